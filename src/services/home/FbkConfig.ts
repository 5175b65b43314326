// Where fbk keeps its files and which Flickr it talks to: from options, then the environment,
// then defaults. Endpoints are checked before any connection is made.
import { Config, Context, Effect, Layer, Option } from "effect"
import * as os from "node:os"
import * as path from "node:path"
import { EndpointError } from "../../schema/Errors.js"

export interface FbkConfigShape {
  readonly home: string
  readonly databasePath: string
  readonly credentialsPath: string
  readonly restUrl: URL
  readonly oauthUrl: URL
  /** Client-side budget; Flickr allows 3,600 calls an hour per key. */
  readonly callsPerHour: number
  /** First delay of the retry schedule; tests shorten it. */
  readonly retryBaseMillis: number
  readonly requestTimeoutMillis: number
}

export class FbkConfig extends Context.Tag("fbk/FbkConfig")<FbkConfig, FbkConfigShape>() {}

export const DEFAULT_REST_URL = "https://api.flickr.com/services/rest"
export const DEFAULT_OAUTH_URL = "https://www.flickr.com/services/oauth"
export const DATABASE_FILE = "flickr_backup.sqlite"
export const CREDENTIALS_FILE = "credentials.json"

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"])

const isLoopback = (hostname: string): boolean =>
  LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname)

/** https anywhere; plain http only to this machine, so tokens never cross a network in clear. */
export const checkEndpoint = (raw: string): Effect.Effect<URL, EndpointError> =>
  Effect.gen(function*() {
    const url = yield* Effect.try({
      try: () => new URL(raw),
      catch: () => new EndpointError({ url: raw, reason: "is not a valid URL" })
    })
    if (url.protocol === "https:") return url
    if (url.protocol === "http:" && isLoopback(url.hostname)) return url
    if (url.protocol === "http:") {
      return yield* new EndpointError({ url: raw, reason: "uses plain http to a host that is not this machine; use https" })
    }
    return yield* new EndpointError({ url: raw, reason: `uses ${url.protocol.replace(":", "")}; only https is accepted` })
  })

export interface ConfigOverrides {
  readonly home?: Option.Option<string>
  readonly database?: Option.Option<string>
  /** The demo points fbk at its simulator whatever the environment says. */
  readonly restUrl?: string
  readonly oauthUrl?: string
}

const expandHome = (p: string): string => (p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p)

/** Resolves the configuration from command-line overrides and the environment. */
export const resolveConfig = (overrides: ConfigOverrides = {}) =>
  Effect.gen(function*() {
    const envHome = yield* Config.option(Config.nonEmptyString("FBK_HOME"))
    const home = path.resolve(
      expandHome(
        Option.getOrElse(
          Option.orElse(overrides.home ?? Option.none(), () => envHome),
          () => path.join(os.homedir(), ".flickr")
        )
      )
    )
    const databasePath = Option.match(overrides.database ?? Option.none(), {
      onNone: () => path.join(home, DATABASE_FILE),
      onSome: (p) => path.resolve(expandHome(p))
    })
    const restUrl = yield* checkEndpoint(
      overrides.restUrl ?? (yield* Config.withDefault(Config.nonEmptyString("FBK_REST_URL"), DEFAULT_REST_URL))
    )
    const oauthUrl = yield* checkEndpoint(
      overrides.oauthUrl ?? (yield* Config.withDefault(Config.nonEmptyString("FBK_OAUTH_URL"), DEFAULT_OAUTH_URL))
    )
    const callsPerHour = yield* Config.withDefault(Config.integer("FBK_CALLS_PER_HOUR"), 3600).pipe(
      Config.validate({ message: "FBK_CALLS_PER_HOUR must be a positive integer", validation: (n) => n > 0 })
    )
    return FbkConfig.of({
      home,
      databasePath,
      credentialsPath: path.join(home, CREDENTIALS_FILE),
      restUrl,
      oauthUrl,
      callsPerHour,
      retryBaseMillis: 500,
      requestTimeoutMillis: 60_000
    })
  })

export const layerFromOverrides = (overrides: ConfigOverrides) => Layer.effect(FbkConfig, resolveConfig(overrides))

/** `p` as one shell word. */
const shellWord = (p: string): string => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replaceAll("'", `'\\''`)}'`)

/**
 * The options a command line needs to reach this home and database: ` --home DIR` unless it is
 * ~/.flickr (cron knows no $FBK_HOME), ` --db FILE` unless it is the home's own.
 */
export const homeArguments = (config: Pick<FbkConfigShape, "home" | "databasePath">): string =>
  (config.home === path.join(os.homedir(), ".flickr") ? "" : ` --home ${shellWord(config.home)}`) +
  (config.databasePath === path.join(config.home, DATABASE_FILE) ? "" : ` --db ${shellWord(config.databasePath)}`)

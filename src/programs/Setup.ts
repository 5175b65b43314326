// `fbk setup`: API key and secret, OAuth (read permission) through the browser or a pasted
// code, a check that the token works, then the credentials file (0600) and the database.
import { FileSystem } from "@effect/platform"
import { Config, Duration, Effect, Layer, Option, Redacted } from "effect"
import * as path from "node:path"
import { type Account } from "../schema/Auth.js"
import { DatabaseError, FlickrAuthError, SetupError } from "../schema/Errors.js"
import { Browser } from "../services/terminal/Browser.js"
import { CredentialStore, type StoredCredentials } from "../services/home/CredentialStore.js"
import * as Database from "../services/database/Database.js"
import { FbkConfig, type FbkConfigShape, homeArguments } from "../services/home/FbkConfig.js"
import { type ConsumerKeys, FlickrOAuth } from "../services/flickr/FlickrOAuth.js"
import * as OAuthCallback from "../services/flickr/OAuthCallback.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { Reporter } from "../services/terminal/Reporter.js"
import { UserInput } from "../services/terminal/UserInput.js"
import { nowSeconds } from "./sync/SyncRun.js"

export interface SetupOptions {
  readonly noBrowser: boolean
  readonly force: boolean
  readonly timeout: Duration.Duration
  /** Keys given by the caller (the demo); otherwise environment, then prompt. */
  readonly keys?: ConsumerKeys
}

const consumerKeys = Effect.gen(function*() {
  const input = yield* UserInput
  const fromEnvKey = yield* Config.option(Config.nonEmptyString("FLICKR_API_KEY"))
  const fromEnvSecret = yield* Config.option(Config.redacted("FLICKR_API_SECRET"))
  const apiKey = Option.isSome(fromEnvKey) ? fromEnvKey.value : yield* input.ask("Flickr API key: ")
  const apiSecret = Option.isSome(fromEnvSecret)
    ? fromEnvSecret.value
    : Redacted.make(yield* input.ask("Flickr API secret: ", { secret: true }))
  return { apiKey, apiSecret } satisfies ConsumerKeys
}).pipe(Effect.mapError((e) => (e._tag === "SetupError" ? e : new SetupError({ reason: "FLICKR_API_SECRET is set but unreadable" }))))

/** Writes the account into the database, creating the file and its tables if needed. */
const storeAccount = (account: Account) =>
  Effect.flatMap(Effect.zip(PhotoRepository, nowSeconds), ([photos, now]) => photos.saveAccount(account, now)).pipe(
    Effect.provide(PhotoRepository.Default.pipe(Layer.provideMerge(Database.layer({ create: true }))))
  )

/** Obtains a verifier: through the local callback, or a code the user pastes. */
const authorise = (keys: ConsumerKeys, options: SetupOptions) =>
  Effect.gen(function*() {
    const oauth = yield* FlickrOAuth
    const reporter = yield* Reporter
    const browser = yield* Browser
    const input = yield* UserInput
    if (options.noBrowser) {
      const request = yield* oauth.requestToken(keys, "oob")
      yield* reporter.result(`Open this page, sign in and authorise fbk (read-only):\n  ${oauth.authorizeUrl(request.oauth_token).href}`)
      const verifier = yield* input.ask("Code shown by Flickr: ")
      return { request, verifier }
    }
    return yield* Effect.scoped(
      Effect.gen(function*() {
        const callback = yield* OAuthCallback.listen
        const request = yield* oauth.requestToken(keys, callback.url)
        const url = oauth.authorizeUrl(request.oauth_token)
        yield* reporter.result(`Authorise fbk (read-only) in your browser; if it does not open, visit:\n  ${url.href}`)
        yield* browser.open(url).pipe(Effect.fork)
        yield* reporter.note(`Waiting for Flickr to send you back (up to ${Duration.format(options.timeout)})...`)
        const answer = yield* callback.answer.pipe(
          Effect.timeoutFail({
            duration: options.timeout,
            onTimeout: () =>
              new SetupError({
                reason: `no answer from the browser within ${Duration.format(options.timeout)}; ` +
                  "run `fbk setup` again, or `fbk setup --no-browser` to paste a code instead"
              })
          })
        )
        if (answer.token !== request.oauth_token) {
          return yield* new SetupError({ reason: "the browser came back with a different request token; run `fbk setup` again" })
        }
        return { request, verifier: answer.verifier }
      })
    )
  })

/**
 * A stored token that still works: the account, after creating the database if it is missing;
 * none when there is no token or Flickr refuses it (setup then starts over).
 */
const stillSetUp = (stored: StoredCredentials) =>
  Effect.gen(function*() {
    const config = yield* FbkConfig
    const oauth = yield* FlickrOAuth
    const reporter = yield* Reporter
    const fs = yield* FileSystem.FileSystem
    const keys = { apiKey: stored.api_key, apiSecret: stored.api_secret }
    const works = yield* oauth.testLogin(keys, {
      oauth_token: stored.oauth_token,
      oauth_token_secret: stored.oauth_token_secret,
      user_nsid: stored.user.nsid,
      username: stored.user.username,
      fullname: stored.user.fullname
    }).pipe(
      Effect.as(true),
      Effect.catchTag("FlickrAuthError", () => Effect.succeed(false))
    )
    if (!works) {
      yield* reporter.note("The stored token no longer works; setting up again.")
      return Option.none<Account>()
    }
    const hasDatabase = yield* fs.exists(config.databasePath).pipe(
      Effect.mapError((e) => new DatabaseError({ path: config.databasePath, reason: `cannot be checked (${e.message})`, cause: e }))
    )
    if (!hasDatabase) yield* storeAccount(stored.user)
    yield* reporter.result(
      hasDatabase
        ? `fbk is already set up for ${stored.user.username} (${stored.user.nsid}) in ${config.home}; nothing changed. ` +
          "Use `fbk setup --force` to set it up again."
        : `fbk was set up for ${stored.user.username} (${stored.user.nsid}); created the database ${config.databasePath}.`
    )
    return Option.some(stored.user)
  })

/** What to run after setup, on this home: the backup, the files, the details, then an update every night. */
export const nextSteps = (config: FbkConfigShape): string => {
  const on = homeArguments(config)
  return "Next:\n" +
    `  fbk backup${on}      the photos, albums and collections into the database (resumable)\n` +
    `  fbk download${on}    their files into ${path.join(config.home, "files")} (or --dest DIR); later backups and updates keep them in step\n` +
    `  fbk details${on}     each photo's tags, notes, EXIF, comments and people (hours on a large account; resumable)\n` +
    "Then every night, in `crontab -e`:\n" +
    `  15 3 * * * fbk update -q --wait${on}`
}

/** The whole OAuth dance, then the credentials and the account stored. */
const setUpAnew = (options: SetupOptions) =>
  Effect.gen(function*() {
    const config = yield* FbkConfig
    const oauth = yield* FlickrOAuth
    const reporter = yield* Reporter
    const keys = options.keys ?? (yield* consumerKeys)
    const { request, verifier } = yield* authorise(keys, options)
    const access = yield* oauth.accessToken(keys, request, verifier)
    const login = yield* oauth.testLogin(keys, access)
    if (login.user.id !== access.user_nsid) {
      return yield* new FlickrAuthError({ problem: "token_mismatch", detail: "the token belongs to another account" })
    }
    const account: Account = { nsid: access.user_nsid, username: access.username, fullname: access.fullname }
    yield* (yield* CredentialStore).save({
      api_key: keys.apiKey,
      api_secret: keys.apiSecret,
      oauth_token: access.oauth_token,
      oauth_token_secret: access.oauth_token_secret,
      user: account
    })
    yield* storeAccount(account)
    yield* reporter.result(
      `Set up for ${account.username}${account.fullname ? ` (${account.fullname})` : ""}, ${account.nsid}.\n` +
        `  credentials: ${config.credentialsPath} (mode 0600)\n` +
        `  database:    ${config.databasePath}\n` +
        nextSteps(config)
    )
    return account
  })

export const setup = (options: SetupOptions) =>
  Effect.gen(function*() {
    // Refuse a database that is not fbk's before asking the user for anything.
    yield* Database.inspect((yield* FbkConfig).databasePath)
    const existing = yield* (yield* CredentialStore).find
    if (Option.isSome(existing) && !options.force) {
      const account = yield* stillSetUp(existing.value)
      if (Option.isSome(account)) return account.value
    }
    return yield* setUpAnew(options)
  })

import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Option } from "effect"
import * as os from "node:os"
import * as path from "node:path"
import {
  checkEndpoint,
  type ConfigOverrides,
  DEFAULT_OAUTH_URL,
  DEFAULT_REST_URL,
  homeArguments,
  resolveConfig
} from "../../../src/services/home/FbkConfig.js"

/** Resolves the configuration with exactly `env` as the environment. */
const resolveWith = (env: Record<string, string>, overrides: ConfigOverrides = {}) =>
  resolveConfig(overrides).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("checkEndpoint", () => {
  it.effect("accepts https anywhere", () =>
    Effect.gen(function*() {
      const url = yield* checkEndpoint("https://api.flickr.com/services/rest")
      expect(url.href).toBe("https://api.flickr.com/services/rest")
      expect((yield* checkEndpoint("https://example.com:8443/x")).port).toBe("8443")
    }))

  it.effect("accepts plain http to this machine only", () =>
    Effect.gen(function*() {
      for (const ok of [
        "http://127.0.0.1:43117/services/rest",
        "http://localhost/services/rest",
        "http://LOCALHOST:8080/",
        "http://127.0.0.2:1/",
        "http://[::1]:9000/services/oauth"
      ]) {
        expect((yield* checkEndpoint(ok)).protocol).toBe("http:")
      }
    }))

  it.effect("refuses plain http to other hosts, other schemes and garbage", () =>
    Effect.gen(function*() {
      const refused = (raw: string) => checkEndpoint(raw).pipe(Effect.flip)

      const remote = yield* refused("http://example.com/services/rest")
      expect(remote._tag).toBe("EndpointError")
      expect(remote.url).toBe("http://example.com/services/rest")
      expect(remote.reason).toContain("plain http")

      for (const lookalike of ["http://localhost.example.com/", "http://127.0.0.1.example.com/", "http://10.0.0.1/"]) {
        expect((yield* refused(lookalike)).reason).toContain("plain http")
      }

      expect((yield* refused("ftp://api.flickr.com/services/rest")).reason).toContain("uses ftp")
      expect((yield* refused("file:///etc/passwd")).reason).toContain("uses file")
      expect((yield* refused("not a url")).reason).toBe("is not a valid URL")
      expect((yield* refused("")).reason).toBe("is not a valid URL")
      expect((yield* refused("api.flickr.com/services/rest")).reason).toBe("is not a valid URL")
    }))
})

describe("resolveConfig", () => {
  it.effect("defaults to ~/.flickr, Flickr's endpoints and 3,600 calls an hour", () =>
    Effect.gen(function*() {
      const config = yield* resolveWith({})
      const home = path.join(os.homedir(), ".flickr")
      expect(config.home).toBe(home)
      expect(config.databasePath).toBe(path.join(home, "flickr_backup.sqlite"))
      expect(config.credentialsPath).toBe(path.join(home, "credentials.json"))
      expect(config.restUrl.href).toBe(DEFAULT_REST_URL)
      expect(config.oauthUrl.href).toBe(DEFAULT_OAUTH_URL)
      expect(config.callsPerHour).toBe(3600)
    }))

  it.effect("takes FBK_HOME from the environment, and the --home option over it", () =>
    Effect.gen(function*() {
      const fromEnv = yield* resolveWith({ FBK_HOME: "/srv/fbk-env" })
      expect(fromEnv.home).toBe("/srv/fbk-env")
      expect(fromEnv.databasePath).toBe("/srv/fbk-env/flickr_backup.sqlite")
      expect(fromEnv.credentialsPath).toBe("/srv/fbk-env/credentials.json")

      const fromOption = yield* resolveWith({ FBK_HOME: "/srv/fbk-env" }, { home: Option.some("/srv/fbk-option") })
      expect(fromOption.home).toBe("/srv/fbk-option")
      expect(fromOption.databasePath).toBe("/srv/fbk-option/flickr_backup.sqlite")

      const none = yield* resolveWith({ FBK_HOME: "/srv/fbk-env" }, { home: Option.none() })
      expect(none.home).toBe("/srv/fbk-env")
    }))

  it.effect("expands ~ and resolves relative paths", () =>
    Effect.gen(function*() {
      const tilde = yield* resolveWith({ FBK_HOME: "~/photos-backup" })
      expect(tilde.home).toBe(path.join(os.homedir(), "photos-backup"))
      const relative = yield* resolveWith({}, { home: Option.some("relative/home"), database: Option.some("db/x.sqlite") })
      expect(relative.home).toBe(path.resolve("relative/home"))
      expect(relative.databasePath).toBe(path.resolve("db/x.sqlite"))
      expect(relative.credentialsPath).toBe(path.join(path.resolve("relative/home"), "credentials.json"))
    }))

  it.effect("takes --db over the home's database, and keeps credentials in the home", () =>
    Effect.gen(function*() {
      const config = yield* resolveWith({ FBK_HOME: "/srv/h" }, { database: Option.some("/data/other.sqlite") })
      expect(config.databasePath).toBe("/data/other.sqlite")
      expect(config.credentialsPath).toBe("/srv/h/credentials.json")
    }))

  it.effect("takes endpoints from the environment, overrides over them, and checks both", () =>
    Effect.gen(function*() {
      const env = {
        FBK_REST_URL: "http://127.0.0.1:4000/services/rest",
        FBK_OAUTH_URL: "http://127.0.0.1:4000/services/oauth"
      }
      const fromEnv = yield* resolveWith(env)
      expect(fromEnv.restUrl.href).toBe(env.FBK_REST_URL)
      expect(fromEnv.oauthUrl.href).toBe(env.FBK_OAUTH_URL)

      const overridden = yield* resolveWith(
        { FBK_REST_URL: "http://example.com/rest", FBK_OAUTH_URL: "ftp://x" },
        { restUrl: "http://127.0.0.1:5000/services/rest", oauthUrl: "http://127.0.0.1:5000/services/oauth" }
      )
      expect(overridden.restUrl.href).toBe("http://127.0.0.1:5000/services/rest")
      expect(overridden.oauthUrl.href).toBe("http://127.0.0.1:5000/services/oauth")

      const refused = yield* resolveWith({ FBK_REST_URL: "http://example.com/rest" }).pipe(Effect.flip)
      expect(refused).toMatchObject({ _tag: "EndpointError", url: "http://example.com/rest" })
      const refusedOauth = yield* resolveWith({ FBK_OAUTH_URL: "ftp://example.com/oauth" }).pipe(Effect.flip)
      expect(refusedOauth).toMatchObject({ _tag: "EndpointError", url: "ftp://example.com/oauth" })
    }))

  it.effect("reads FBK_CALLS_PER_HOUR and refuses zero or nonsense", () =>
    Effect.gen(function*() {
      expect((yield* resolveWith({ FBK_CALLS_PER_HOUR: "120" })).callsPerHour).toBe(120)
      for (const bad of ["0", "-5", "many", "1.5"]) {
        const exit = yield* Effect.exit(resolveWith({ FBK_CALLS_PER_HOUR: bad }))
        expect(Exit.isFailure(exit)).toBe(true)
      }
    }))
})

describe("homeArguments", () => {
  const defaultHome = path.join(os.homedir(), ".flickr")
  it("is nothing for ~/.flickr and its own database, even when $FBK_HOME chose it (cron knows no $FBK_HOME)", () => {
    expect(homeArguments({ home: defaultHome, databasePath: path.join(defaultHome, "flickr_backup.sqlite") })).toBe("")
  })
  it("names another home, and a database elsewhere, quoting what the shell would split", () => {
    expect(homeArguments({ home: "/srv/flickr", databasePath: "/srv/flickr/flickr_backup.sqlite" })).toBe(" --home /srv/flickr")
    expect(homeArguments({ home: "/srv/my photos", databasePath: "/data/it's.sqlite" }))
      .toBe(" --home '/srv/my photos' --db '/data/it'\\''s.sqlite'")
    expect(homeArguments({ home: defaultHome, databasePath: "/data/fbk.sqlite" })).toBe(" --db /data/fbk.sqlite")
  })
})

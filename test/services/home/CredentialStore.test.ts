import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { inspect } from "node:util"
import { CredentialStore, signingKeys, type StoredCredentials } from "../../../src/services/home/CredentialStore.js"
import { configFor, tempDir, testBase } from "../../support/Fixtures.js"

const API_SECRET = "f00dfacecafe1234"
const TOKEN_SECRET = "0ddba11deadbeef9"

const credentials: StoredCredentials = {
  api_key: "653e7a6ecc1d528c516cc8f92cf98611",
  api_secret: Redacted.make(API_SECRET),
  oauth_token: "72157626318069415-087bfc7b5816092c",
  oauth_token_secret: Redacted.make(TOKEN_SECRET),
  user: { nsid: "85853333@N00", username: "jeremybrooks", fullname: "Zoë Ångström" }
}

/** Runs `body` with a store whose home is `home`. */
const withStore = <A, E>(home: string, body: (store: CredentialStore) => Effect.Effect<A, E>) =>
  Effect.flatMap(CredentialStore, body).pipe(
    Effect.provide(CredentialStore.Default),
    Effect.provide(testBase(configFor(home)))
  )

const mode = (p: string) => fs.statSync(p).mode & 0o777

describe("CredentialStore", () => {
  it.scoped("creates the home 0700 and writes the file 0600, leaving no temporary file", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const home = path.join(root, "nested", ".flickr")
      yield* withStore(home, (store) => store.save(credentials))
      expect(mode(home)).toBe(0o700)
      expect(mode(path.join(home, "credentials.json"))).toBe(0o600)
      expect(fs.readdirSync(home)).toEqual(["credentials.json"])
    }))

  it.scoped("round-trips the file: what load returns is what save was given", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      yield* withStore(home, (store) => store.save(credentials))
      const loaded = yield* withStore(home, (store) => store.load)
      expect(loaded.api_key).toBe(credentials.api_key)
      expect(loaded.oauth_token).toBe(credentials.oauth_token)
      expect(loaded.user).toStrictEqual(credentials.user)
      expect(Redacted.value(loaded.api_secret)).toBe(API_SECRET)
      expect(Redacted.value(loaded.oauth_token_secret)).toBe(TOKEN_SECRET)
      expect(signingKeys(loaded)).toStrictEqual({
        consumerKey: credentials.api_key,
        consumerSecret: API_SECRET,
        token: credentials.oauth_token,
        tokenSecret: TOKEN_SECRET
      })
      const found = yield* withStore(home, (store) => store.find)
      expect(Option.map(found, (c) => c.user.nsid)).toStrictEqual(Option.some("85853333@N00"))

      // On disk the secrets are plain (the file is the only place they live), as named JSON fields.
      const onDisk = JSON.parse(fs.readFileSync(path.join(home, "credentials.json"), "utf8"))
      expect(onDisk).toStrictEqual({
        api_key: credentials.api_key,
        api_secret: API_SECRET,
        oauth_token: credentials.oauth_token,
        oauth_token_secret: TOKEN_SECRET,
        user: credentials.user
      })
    }))

  it.scoped("keeps secrets redacted in memory", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      yield* withStore(home, (store) => store.save(credentials))
      const loaded = yield* withStore(home, (store) => store.load)
      expect(Redacted.isRedacted(loaded.api_secret)).toBe(true)
      expect(Redacted.isRedacted(loaded.oauth_token_secret)).toBe(true)
      for (const shown of [String(loaded.api_secret), `${loaded.oauth_token_secret}`, JSON.stringify(loaded), inspect(loaded)]) {
        expect(shown).not.toContain(API_SECRET)
        expect(shown).not.toContain(TOKEN_SECRET)
      }
      expect(JSON.stringify(loaded)).toContain(credentials.oauth_token)
    }))

  it.scoped("replaces an existing file and tightens its mode", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "credentials.json")
      fs.writeFileSync(file, "old", { mode: 0o644 })
      fs.chmodSync(file, 0o644)
      yield* withStore(home, (store) => store.save({ ...credentials, oauth_token: "new-token" }))
      expect(mode(file)).toBe(0o600)
      expect((yield* withStore(home, (store) => store.load)).oauth_token).toBe("new-token")
    }))

  it.scoped("reports a missing file with a pointer to fbk setup", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      expect(yield* withStore(home, (store) => store.find)).toStrictEqual(Option.none())
      const error = yield* withStore(home, (store) => store.load).pipe(Effect.flip)
      expect(error._tag).toBe("CredentialsError")
      expect(error.path).toBe(path.join(home, "credentials.json"))
      expect(error.reason).toContain("fbk setup")
      expect(error.reason).toContain(home)
    }))

  it.scoped("reports a damaged or incomplete file as CredentialsError", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "credentials.json")
      const { api_secret: _drop, ...withoutSecret } = {
        ...credentials,
        api_secret: API_SECRET,
        oauth_token_secret: TOKEN_SECRET
      }
      for (const text of ["{\"api_key\": \"abc\",", "", JSON.stringify(withoutSecret), "[]"]) {
        fs.writeFileSync(file, text)
        const loadError = yield* withStore(home, (store) => store.load).pipe(Effect.flip)
        expect(loadError._tag).toBe("CredentialsError")
        expect(loadError.reason).toContain("damaged or incomplete")
        const findError = yield* withStore(home, (store) => store.find).pipe(Effect.flip)
        expect(findError._tag).toBe("CredentialsError")
        // Nothing was rewritten.
        expect(fs.readFileSync(file, "utf8")).toBe(text)
      }
    }))

  it.scoped("a home that cannot be read is not a home never set up: the system's reason, in plain words", () =>
    Effect.gen(function*() {
      // Root reads anything, so the home is a file: the credentials under it fail with ENOTDIR.
      const home = path.join(yield* tempDir, "home")
      fs.writeFileSync(home, "")
      for (const use of [(store: CredentialStore) => Effect.asVoid(store.find), (store: CredentialStore) => Effect.asVoid(store.load)]) {
        const error = yield* withStore(home, use).pipe(Effect.flip)
        expect(error).toMatchObject({
          _tag: "CredentialsError",
          path: path.join(home, "credentials.json"),
          reason: "cannot be read (a file is in the way of a folder)"
        })
      }
    }))
})

// The API key, its secret and the OAuth token live in one file in fbk's home, mode 0600,
// replaced atomically so a crash never leaves half a file. Secrets stay Redacted in memory.
import { FileSystem } from "@effect/platform"
import { Effect, Option, Redacted, Schema } from "effect"
import * as path from "node:path"
import { Account } from "../../schema/Auth.js"
import { CredentialsError } from "../../schema/Errors.js"
import { plainReason } from "../files/NodeErrors.js"
import { FbkConfig } from "./FbkConfig.js"
import type { SigningKeys } from "../flickr/OAuthSignature.js"

export const StoredCredentials = Schema.Struct({
  api_key: Schema.NonEmptyString,
  api_secret: Schema.Redacted(Schema.NonEmptyString),
  oauth_token: Schema.NonEmptyString,
  oauth_token_secret: Schema.Redacted(Schema.NonEmptyString),
  user: Account
})
export type StoredCredentials = typeof StoredCredentials.Type

const CredentialsJson = Schema.parseJson(StoredCredentials, { space: 2 })

export const signingKeys = (credentials: StoredCredentials): SigningKeys => ({
  consumerKey: credentials.api_key,
  consumerSecret: Redacted.value(credentials.api_secret),
  token: credentials.oauth_token,
  tokenSecret: Redacted.value(credentials.oauth_token_secret)
})

export class CredentialStore extends Effect.Service<CredentialStore>()("fbk/CredentialStore", {
  effect: Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const { home, credentialsPath } = yield* FbkConfig
    const fail = (reason: string, cause?: unknown) => new CredentialsError({ path: credentialsPath, reason, cause })

    const find = Effect.gen(function*() {
      // Only a file that is not there means fbk is not set up; a home that cannot be read says why.
      const exists = yield* fs.exists(credentialsPath).pipe(Effect.mapError((e) => fail(`cannot be read (${plainReason(e)})`, e)))
      if (!exists) return Option.none<StoredCredentials>()
      const text = yield* fs.readFileString(credentialsPath).pipe(
        Effect.mapError((e) => fail(`cannot be read (${plainReason(e)})`, e))
      )
      const credentials = yield* Schema.decodeUnknown(CredentialsJson)(text).pipe(
        Effect.mapError(() => fail("is damaged or incomplete; run `fbk setup --force`"))
      )
      return Option.some(credentials)
    })

    const load = find.pipe(
      Effect.flatMap(Option.match({
        onNone: () => Effect.fail(fail(`is missing: fbk is not set up in ${home}; run \`fbk setup\``)),
        onSome: Effect.succeed
      }))
    )

    /** Creates the home (0700) if needed and replaces the file atomically (0600). */
    const save = (credentials: StoredCredentials) =>
      Effect.gen(function*() {
        const homeExists = yield* fs.exists(home)
        if (!homeExists) yield* fs.makeDirectory(home, { recursive: true, mode: 0o700 })
        const text = yield* Schema.encode(CredentialsJson)(credentials)
        const temporary = path.join(home, `.${path.basename(credentialsPath)}.${process.pid}.tmp`)
        yield* fs.writeFileString(temporary, `${text}\n`, { mode: 0o600, flag: "w" })
        yield* fs.chmod(temporary, 0o600)
        yield* fs.rename(temporary, credentialsPath)
      }).pipe(Effect.mapError((e) => fail(`cannot be written (${plainReason(e)})`, e)))

    return { find, load, save } as const
  })
}) {}

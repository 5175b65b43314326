// The OAuth 1.0a dance (request token, user authorisation, access token) and the check of a
// fresh token, for `fbk setup`. Works with keys the user has just typed, before anything is stored.
import { Effect, Redacted, Schema } from "effect"
import { AccessTokenAnswer, RequestTokenAnswer, TestLoginAnswer } from "../../schema/Auth.js"
import { FlickrDecodeError } from "../../schema/Errors.js"
import { FbkConfig } from "../home/FbkConfig.js"
import { FlickrHttp } from "./FlickrHttp.js"

export interface ConsumerKeys {
  readonly apiKey: string
  readonly apiSecret: Redacted.Redacted<string>
}

const decodeAnswer = <A, I>(schema: Schema.Schema<A, I>, endpoint: string) => (form: Record<string, string>) =>
  Schema.decodeUnknown(schema)(form).pipe(
    Effect.mapError(() =>
      new FlickrDecodeError({ method: endpoint, reason: `the answer lacks ${Object.keys(form).length === 0 ? "everything" : "a token"}` })
    )
  )

export class FlickrOAuth extends Effect.Service<FlickrOAuth>()("fbk/FlickrOAuth", {
  effect: Effect.gen(function*() {
    const http = yield* FlickrHttp
    const { oauthUrl } = yield* FbkConfig
    const consumer = (keys: ConsumerKeys) => ({ consumerKey: keys.apiKey, consumerSecret: Redacted.value(keys.apiSecret) })

    /** `callback` is a local URL that will receive the verifier, or "oob" to show a code instead. */
    const requestToken = (keys: ConsumerKeys, callback: string) =>
      http.oauth("request_token", consumer(keys), [["oauth_callback", callback]]).pipe(
        Effect.flatMap(decodeAnswer(RequestTokenAnswer, "request_token"))
      )

    const authorizeUrl = (requestToken: string): URL => {
      const url = new URL(`${oauthUrl.href.replace(/\/$/, "")}/authorize`)
      url.searchParams.set("oauth_token", requestToken)
      url.searchParams.set("perms", "read")
      return url
    }

    const accessToken = (keys: ConsumerKeys, request: RequestTokenAnswer, verifier: string) =>
      http.oauth(
        "access_token",
        { ...consumer(keys), token: request.oauth_token, tokenSecret: Redacted.value(request.oauth_token_secret) },
        [["oauth_verifier", verifier]]
      ).pipe(Effect.flatMap(decodeAnswer(AccessTokenAnswer, "access_token")))

    /** Confirms a token works and says whose it is. */
    const testLogin = (keys: ConsumerKeys, access: AccessTokenAnswer) =>
      http.call(
        "flickr.test.login",
        {},
        { ...consumer(keys), token: access.oauth_token, tokenSecret: Redacted.value(access.oauth_token_secret) },
        TestLoginAnswer
      )

    return { requestToken, authorizeUrl, accessToken, testLogin } as const
  })
}) {}

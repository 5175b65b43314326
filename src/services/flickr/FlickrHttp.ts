// The one way fbk talks to Flickr: each attempt signed afresh and counted against the call budget,
// failures mapped to typed errors, transient ones retried with jittered exponential backoff.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Clock, Duration, Effect, Either, Option, ParseResult, Schedule, Schema } from "effect"
import { FailureBody } from "../../schema/Wire.js"
import {
  FlickrApiError,
  FlickrAuthError,
  FlickrDecodeError,
  FlickrTransportError
} from "../../schema/Errors.js"
import { CallBudget } from "./CallBudget.js"
import { FbkConfig } from "../home/FbkConfig.js"
import { parseRetryAfter } from "./RetryAfter.js"
import { freshNonce, type Parameters, sign, type SigningKeys } from "./OAuthSignature.js"

export type FlickrError = FlickrApiError | FlickrAuthError | FlickrTransportError | FlickrDecodeError

/** Codes Flickr uses for "try again later". */
const TRANSIENT_CODES = new Set([0, 105, 106, 201])
/** Legacy JSON forms of OAuth failures: treat like the HTTP 401 answers. */
const AUTH_CODES: Readonly<Record<number, string>> = {
  95: "ssl_required",
  96: "signature_invalid",
  97: "signature_missing",
  98: "token_rejected",
  99: "permission_denied",
  100: "consumer_key_unknown"
}
const RETRY_ATTEMPTS = 6
const LONGEST_RETRY_AFTER_SECONDS = 600

export const isTransient = (error: FlickrError): boolean => {
  switch (error._tag) {
    case "FlickrTransportError":
      return error.status === undefined || error.status === 429 || error.status >= 500
    case "FlickrApiError":
      return TRANSIENT_CODES.has(error.code)
    default:
      return false
  }
}

/**
 * Jittered exponential backoff from `base`, at most RETRY_ATTEMPTS retries of transient errors;
 * a Retry-After the server sent lengthens that retry's wait. The schedule decides before
 * sleeping, so a failure it will not retry is never slept on.
 */
export const retrySchedule = (baseMillis: number) =>
  Schedule.exponential(Duration.millis(baseMillis)).pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(RETRY_ATTEMPTS)),
    Schedule.whileInput(isTransient),
    Schedule.passthrough,
    Schedule.modifyDelay((error: FlickrError, delay) =>
      error._tag === "FlickrTransportError" && error.retryAfterSeconds !== undefined
        ? Duration.max(delay, Duration.seconds(error.retryAfterSeconds))
        : delay
    )
  )

const parseForm = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body.trim()))

const decodeFailure = Schema.decodeUnknownEither(FailureBody)

/**
 * How the body of a REST answer becomes a value: parsed, a `stat: "fail"` body mapped to its
 * typed error (OAuth's legacy codes to FlickrAuthError), anything else decoded with `schema`.
 */
export const answerDecoder = <A, I>(method: string, schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (body: string): Either.Either<A, FlickrError> => {
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      return Either.left(new FlickrTransportError({ method, reason: "the answer was not valid JSON" }))
    }
    const failure = decodeFailure(json)
    if (Either.isRight(failure)) {
      const { code, message = "" } = failure.right
      const problem = AUTH_CODES[code]
      return Either.left(
        problem !== undefined
          ? new FlickrAuthError({ problem, detail: `code ${code}: ${message}` })
          : new FlickrApiError({ method, code, message })
      )
    }
    return Either.mapLeft(decode(json), (error) =>
      new FlickrDecodeError({
        method,
        reason: ParseResult.TreeFormatter.formatErrorSync(error).split("\n").slice(0, 6).join(" "),
        cause: error
      }))
  }
}

export class FlickrHttp extends Effect.Service<FlickrHttp>()("fbk/FlickrHttp", {
  effect: Effect.gen(function*() {
    const config = yield* FbkConfig
    const budget = yield* CallBudget
    const client = yield* HttpClient.HttpClient

    /** One signed GET; the answer's status and body, or a transport error. */
    const signedGet = (
      label: string,
      url: URL,
      parameters: Parameters,
      keys: SigningKeys,
      protocol: Parameters = []
    ) =>
      Effect.gen(function*() {
        yield* budget.take
        const signed = sign({
          method: "GET",
          url,
          parameters,
          keys,
          protocol,
          nonce: freshNonce(),
          timestamp: Math.floor((yield* Clock.currentTimeMillis) / 1000)
        })
        const request = HttpClientRequest.get(url).pipe(
          HttpClientRequest.setUrlParams(signed as Array<[string, string]>),
          HttpClientRequest.acceptJson
        )
        const response = yield* client.execute(request).pipe(
          Effect.mapError((e) => new FlickrTransportError({ method: label, reason: e.message, cause: e })),
          Effect.timeoutFail({
            duration: Duration.millis(config.requestTimeoutMillis),
            onTimeout: () =>
              new FlickrTransportError({ method: label, reason: `no answer within ${config.requestTimeoutMillis / 1000}s` })
          })
        )
        const body = yield* response.text.pipe(
          Effect.mapError((e) => new FlickrTransportError({ method: label, reason: `answer cut short (${e.message})`, cause: e })),
          Effect.timeoutFail({
            duration: Duration.millis(config.requestTimeoutMillis),
            onTimeout: () => new FlickrTransportError({ method: label, reason: "answer stalled" })
          })
        )
        if (response.status === 401 || (response.status === 400 && body.includes("oauth_problem"))) {
          const form = parseForm(body)
          return yield* new FlickrAuthError({
            problem: form.oauth_problem ?? `http_${response.status}`,
            ...(form.oauth_parameters_absent === undefined ? {} : { detail: form.oauth_parameters_absent })
          })
        }
        if (response.status < 200 || response.status >= 300) {
          const header = response.headers["retry-after"]
          const retryAfter = header === undefined
            ? undefined
            : Option.getOrUndefined(parseRetryAfter(header, yield* Clock.currentTimeMillis, LONGEST_RETRY_AFTER_SECONDS))
          return yield* new FlickrTransportError({
            method: label,
            reason: `HTTP ${response.status}`,
            status: response.status,
            ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter })
          })
        }
        return body
      })

    /** Retries the transient failures of `attempt`; each retry runs `attempt` anew (fresh signature). */
    const withRetries = <A>(attempt: Effect.Effect<A, FlickrError>) =>
      Effect.retry(attempt, retrySchedule(config.retryBaseMillis))

    /** Calls a REST method and decodes its successful answer with `schema`. */
    const call = <A, I>(
      method: string,
      parameters: Record<string, string>,
      keys: SigningKeys,
      schema: Schema.Schema<A, I>
    ): Effect.Effect<A, FlickrError> => {
      const decode = answerDecoder(method, schema)
      const attempt = Effect.flatMap(
        signedGet(
          method,
          config.restUrl,
          [["method", method], ["format", "json"], ["nojsoncallback", "1"], ...Object.entries(parameters)],
          keys
        ),
        decode // an Either is an Effect
      )
      return withRetries(attempt)
    }

    /** Calls an OAuth endpoint (request_token, access_token); the form-encoded answer as a record. */
    const oauth = (endpoint: string, keys: SigningKeys, protocol: Parameters) => {
      const url = new URL(`${config.oauthUrl.href.replace(/\/$/, "")}/${endpoint}`)
      return withRetries(signedGet(endpoint, url, [], keys, protocol)).pipe(Effect.map(parseForm))
    }

    return { call, oauth } as const
  })
}) {}

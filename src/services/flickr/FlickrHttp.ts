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
import { duration } from "../terminal/HumanTime.js"
import { Reporter } from "../terminal/Reporter.js"
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
/** A request unanswered this long is said to be (once), while it keeps waiting up to the request timeout. */
const SLOW_ANSWER_MS = 30_000

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

/** What failed, as the line announcing a retry starts: "Flickr answered 503". */
export const failureText = (error: FlickrError): string => {
  switch (error._tag) {
    case "FlickrTransportError":
      return error.status === undefined ? `no good answer from Flickr (${error.reason})` : `Flickr answered ${error.status}`
    case "FlickrApiError":
      return `Flickr answered error ${error.code} (${error.message})`
    default:
      return "Flickr failed"
  }
}

/**
 * Jittered exponential backoff from `base`, at most RETRY_ATTEMPTS retries of transient errors;
 * a Retry-After the server sent lengthens that retry's wait. The schedule decides before
 * sleeping, so a failure it will not retry is never slept on; `onRetry` hears of each retry
 * (its wait and its number, from 1) before the wait.
 */
export const retrySchedule = (
  baseMillis: number,
  onRetry: (error: FlickrError, wait: Duration.Duration, retry: number) => Effect.Effect<void> = () => Effect.void
) =>
  Schedule.exponential(Duration.millis(baseMillis)).pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(RETRY_ATTEMPTS)),
    Schedule.whileInput(isTransient),
    Schedule.intersect(Schedule.identity<FlickrError>()),
    Schedule.modifyDelayEffect(([[, count], error], delay) => {
      const wait = error._tag === "FlickrTransportError" && error.retryAfterSeconds !== undefined
        ? Duration.max(delay, Duration.seconds(error.retryAfterSeconds))
        : delay
      return Effect.as(onRetry(error, wait, count + 1), wait)
    })
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
    const reporter = yield* Reporter

    /** `self`, saying so once it has waited SLOW_ANSWER_MS for `host`. */
    const sayWhenSlow = (host: string) => <A, E>(self: Effect.Effect<A, E>) =>
      Effect.scoped(Effect.zipRight(
        Effect.forkScoped(Effect.delay(reporter.note(`no answer from ${host} yet (${duration(SLOW_ANSWER_MS)})`), SLOW_ANSWER_MS)),
        self
      ))

    /** The answer to `request` and its body, each within the request timeout; said once it is slow. */
    const answer = (label: string, url: URL, request: HttpClientRequest.HttpClientRequest) =>
      Effect.gen(function*() {
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
        return { body, response }
      }).pipe(sayWhenSlow(url.host))

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
        const { body, response } = yield* answer(label, url, request)
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
      Effect.retry(
        attempt,
        retrySchedule(config.retryBaseMillis, (error, wait, retry) =>
          reporter.waiting(
            `${failureText(error)}; trying again in ${duration(Duration.toMillis(wait))} (${retry} of ${RETRY_ATTEMPTS})`,
            Duration.toMillis(wait)
          ))
      )

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

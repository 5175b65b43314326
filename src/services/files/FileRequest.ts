// The HTTP side of a file transfer: a GET that follows redirects by hand (each hop's address checked
// before it is asked), and what a status, a Content-Range or a Content-Length says.
import { type HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Clock, Duration, Effect, Option, type Scope } from "effect"
import { FileTransferError } from "../../schema/Files.js"
import { checkEndpoint } from "../home/FbkConfig.js"
import { parseRetryAfter } from "../flickr/RetryAfter.js"

const MAX_REDIRECTS = 5
/** Image servers throttle with 429 and long Retry-After values; wait that long, but not all night. */
const LONGEST_RETRY_AFTER_SECONDS = 300
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** `bytes first-last/total` of a 206 (total may be `*`). */
export const parseContentRange = (header: string | undefined) => {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? "")
  if (match === null) return Option.none()
  return Option.some({
    first: Number(match[1]),
    last: Number(match[2]),
    total: match[3] === "*" ? Option.none<number>() : Option.some(Number(match[3]))
  })
}

export const parseLength = (header: string | undefined): Option.Option<number> =>
  header !== undefined && /^\d+$/.test(header.trim()) ? Option.some(Number(header)) : Option.none()

export interface Answer {
  readonly response: HttpClientResponse.HttpClientResponse
  readonly url: string
}

export const transportFailure = (url: string, reason: string) => (cause: HttpClientError.HttpClientError) =>
  new FileTransferError({ url, reason: `${reason} (${cause.message})`, retryable: true, cause })

/** GET `url` with `headers` through `client`, following redirects by hand so every hop is checked before it is asked. */
export const follow = (client: HttpClient.HttpClient.With<HttpClientError.HttpClientError, Scope.Scope>, requestTimeoutMillis: number) => {
  const go = (url: string, headers: Record<string, string>, hops: number): Effect.Effect<Answer, FileTransferError, Scope.Scope> =>
    Effect.gen(function*() {
      const checked = yield* checkEndpoint(url).pipe(
        Effect.mapError((e) =>
          new FileTransferError({ url, reason: `${hops === 0 ? "" : "redirected to "}${url}, which ${e.reason}`, retryable: false })
        )
      )
      const response = yield* client.execute(HttpClientRequest.get(checked).pipe(HttpClientRequest.setHeaders(headers))).pipe(
        Effect.mapError(transportFailure(url, "could not get an answer")),
        Effect.timeoutFail({
          duration: Duration.millis(requestTimeoutMillis),
          onTimeout: () => new FileTransferError({ url, reason: `no answer within ${requestTimeoutMillis / 1000}s`, retryable: true })
        })
      )
      if (!REDIRECT_STATUSES.has(response.status)) return { response, url }
      const location = response.headers["location"]
      if (location === undefined) {
        return yield* new FileTransferError({ url, reason: `HTTP ${response.status} redirect without a Location`, status: response.status, retryable: false })
      }
      if (hops === MAX_REDIRECTS) return yield* new FileTransferError({ url, reason: `more than ${MAX_REDIRECTS} redirects`, retryable: false })
      // A relative Location is resolved against the URL that sent it; a malformed one fails its check.
      const next = URL.canParse(location, checked.href) ? new URL(location, checked).href : location
      return yield* go(next, headers, hops + 1)
    })
  return (url: string, headers: Record<string, string>) => go(url, headers, 0)
}

/** A status that is neither a file nor a redirect, as a failure: retryable for throttling and server trouble. */
export const statusFailure = (url: string, response: HttpClientResponse.HttpClientResponse) =>
  Effect.gen(function*() {
    const { status } = response
    const nowMillis = yield* Clock.currentTimeMillis
    const retryAfter = Option.flatMap(
      Option.fromNullable(response.headers["retry-after"]),
      (header) => parseRetryAfter(header, nowMillis, LONGEST_RETRY_AFTER_SECONDS)
    )
    return new FileTransferError({
      url,
      reason: `HTTP ${status}`,
      status,
      // A missing or forbidden file does not pass.
      retryable: status === 429 || status >= 500,
      ...Option.match(retryAfter, { onNone: () => ({}), onSome: (seconds) => ({ retryAfterSeconds: seconds }) })
    })
  })

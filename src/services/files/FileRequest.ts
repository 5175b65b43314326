// What a file server's answer says: a status as a failure (retryable or not, with its Retry-After),
// a Content-Range, a Content-Length.
import { Clock, Effect, Option } from "effect"
import { FileTransferError } from "../../schema/Files.js"
import { parseRetryAfter } from "../flickr/RetryAfter.js"
import type { Answer } from "./FileGet.js"

/** Image servers throttle with 429 and long Retry-After values; wait that long, but not all night. */
const LONGEST_RETRY_AFTER_SECONDS = 300

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

/** A status that is neither a file nor a redirect, as a failure: retryable for throttling and server trouble. */
export const statusFailure = ({ headers, status, url }: Answer) =>
  Effect.gen(function*() {
    const nowMillis = yield* Clock.currentTimeMillis
    const retryAfter = Option.flatMap(
      Option.fromNullable(headers["retry-after"]),
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

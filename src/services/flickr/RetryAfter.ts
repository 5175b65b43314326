// HTTP's Retry-After, as servers send it to say how long to back off: seconds, or a date.
import { Option } from "effect"

/** Seconds to wait from `nowMillis`, at most `longestSeconds`; none when the header is neither form. */
export const parseRetryAfter = (header: string, nowMillis: number, longestSeconds: number): Option.Option<number> => {
  const seconds = /^\s*\d+\s*$/.test(header) ? Number(header) : (Date.parse(header) - nowMillis) / 1000
  return Number.isFinite(seconds) ? Option.some(Math.min(Math.max(0, seconds), longestSeconds)) : Option.none()
}

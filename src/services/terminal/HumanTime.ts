// Moments and waits as a person reads them: local time (TZ honoured) to the minute with how long
// ago, and durations in whole seconds, minutes or hours. `--json` keeps ISO 8601 UTC instead.
import { Clock, Effect } from "effect"

const two = (n: number) => String(n).padStart(2, "0")

/** "2026-12-07 18:20" in the local time zone (process.env.TZ, read afresh on every call). */
export const localMinute = (date: Date): string =>
  `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`

/** "18:20": the local time of day alone, for a moment of today. */
export const localClock = (date: Date): string => `${two(date.getHours())}:${two(date.getMinutes())}`

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const units = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`

/**
 * How long before `nowMs` the moment `atMs` was: "just now" under a minute (or a little ahead, a
 * clock apart), then whole minutes, hours, days, months of 30 days and years of 365, rounded down.
 */
export const ago = (atMs: number, nowMs: number): string => {
  const past = nowMs - atMs
  if (past < -MINUTE) return `in ${span(-past)}`
  if (past < MINUTE) return "just now"
  return `${span(past)} ago`
}

const span = (ms: number): string => {
  if (ms < HOUR) return units(Math.floor(ms / MINUTE), "minute")
  if (ms < DAY) return units(Math.floor(ms / HOUR), "hour")
  if (ms < 60 * DAY) return units(Math.floor(ms / DAY), "day")
  if (ms < 365 * DAY) return units(Math.floor(ms / (30 * DAY)), "month")
  return units(Math.floor(ms / (365 * DAY)), "year")
}

/** "2026-12-07 18:20 (2 hours ago)"; "unknown" for a moment that is not one. */
export const humanTime = (atMs: number, nowMs: number): string => {
  const date = new Date(atMs)
  return Number.isNaN(date.getTime()) ? "unknown" : `${localMinute(date)} (${ago(atMs, nowMs)})`
}

/** A moment recorded in unix seconds (as the database keeps them), with "now" from the Clock. */
export const humanTimeOfSeconds = (seconds: number): Effect.Effect<string> =>
  Effect.map(Clock.currentTimeMillis, (now) => humanTime(seconds * 1000, now))

/** ISO 8601 UTC for `--json`, from unix seconds: "2026-12-07T17:20:00.000Z". */
export const isoOfSeconds = (seconds: number): string => new Date(seconds * 1000).toISOString()

/** A wait or an elapsed time: "4 s", "59 min", "2 h 5 min"; seconds and minutes rounded up, so a wait is never undersold. */
export const duration = (ms: number): string => {
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
}

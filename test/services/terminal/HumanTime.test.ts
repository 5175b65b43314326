import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { ago, duration, humanTime, humanTimeOfSeconds, localClock, localMinute } from "../../../src/services/terminal/HumanTime.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

// Node reads TZ afresh once it is assigned: each test sets the zone it means.
const savedZone = process.env.TZ
beforeEach(() => {
  process.env.TZ = "Europe/Berlin"
})
afterEach(() => {
  if (savedZone === undefined) delete process.env.TZ
  else process.env.TZ = savedZone
})

describe("localMinute", () => {
  it("shows the local wall clock of the zone TZ names, to the minute", () => {
    const at = Date.UTC(2026, 11, 7, 17, 20, 59)
    expect(localMinute(new Date(at))).toBe("2026-12-07 18:20")
    process.env.TZ = "America/New_York"
    expect(localMinute(new Date(at))).toBe("2026-12-07 12:20")
    process.env.TZ = "UTC"
    expect(localMinute(new Date(at))).toBe("2026-12-07 17:20")
    expect(localClock(new Date(at))).toBe("17:20")
  })

  it("follows daylight saving time: the hour before and after Berlin's clocks go back", () => {
    // Summer time (UTC+2) ends at 01:00 UTC on 2026-10-25 and starts at 01:00 UTC on 2026-03-29.
    expect(localMinute(new Date(Date.UTC(2026, 9, 25, 0, 30)))).toBe("2026-10-25 02:30")
    expect(localMinute(new Date(Date.UTC(2026, 9, 25, 1, 30)))).toBe("2026-10-25 02:30")
    expect(localMinute(new Date(Date.UTC(2026, 2, 29, 0, 59)))).toBe("2026-03-29 01:59")
    expect(localMinute(new Date(Date.UTC(2026, 2, 29, 1, 0)))).toBe("2026-03-29 03:00")
  })

  it("crosses midnight and the year in the local zone, not in UTC", () => {
    process.env.TZ = "Pacific/Auckland"
    expect(localMinute(new Date(Date.UTC(2026, 11, 31, 12, 5)))).toBe("2027-01-01 01:05")
  })
})

describe("ago", () => {
  const now = Date.UTC(2026, 11, 7, 20, 0)
  it.each([
    [0, "just now"],
    [59_999, "just now"],
    [-30_000, "just now"],
    [MINUTE, "1 minute ago"],
    [59 * MINUTE + 59_999, "59 minutes ago"],
    [HOUR, "1 hour ago"],
    [2 * HOUR + 59 * MINUTE, "2 hours ago"],
    [DAY - 1, "23 hours ago"],
    [DAY, "1 day ago"],
    [3 * DAY + 5 * HOUR, "3 days ago"],
    [59 * DAY, "59 days ago"],
    [60 * DAY, "2 months ago"],
    [364 * DAY, "12 months ago"],
    [365 * DAY, "1 year ago"],
    [3 * 365 * DAY, "3 years ago"],
    [-5 * MINUTE, "in 5 minutes"]
  ])("%d ms before now is %s", (before, expected) => {
    expect(ago(now - before, now)).toBe(expected)
  })
})

describe("humanTime", () => {
  it("writes the local minute and how long ago", () => {
    const now = Date.UTC(2026, 11, 7, 19, 20)
    expect(humanTime(now - 2 * HOUR, now)).toBe("2026-12-07 18:20 (2 hours ago)")
    expect(humanTime(now, now)).toBe("2026-12-07 20:20 (just now)")
    expect(humanTime(Number.NaN, now)).toBe("unknown")
  })

  it.effect("takes now from the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 11, 10, 17, 20))
      const seconds = Date.UTC(2026, 11, 7, 17, 20) / 1000
      expect(yield* humanTimeOfSeconds(seconds)).toBe("2026-12-07 18:20 (3 days ago)")
    }))
})

describe("duration", () => {
  it.each([
    [0, "0 s"],
    [400, "1 s"],
    [4_000, "4 s"],
    [59_000, "59 s"],
    [60_000, "1 min"],
    [61_000, "2 min"],
    [59 * MINUTE, "59 min"],
    [HOUR, "1 h"],
    [2 * HOUR + 5 * MINUTE, "2 h 5 min"]
  ])("%d ms is %s", (ms, expected) => {
    expect(duration(ms)).toBe(expected)
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import { CallBudget } from "../../../src/services/flickr/CallBudget.js"
import { FbkConfig } from "../../../src/services/home/FbkConfig.js"
import * as Reporter from "../../../src/services/terminal/Reporter.js"
import { configFor } from "../../support/Fixtures.js"

const budgetLayer = (callsPerHour: number, lines: Array<string>) =>
  CallBudget.Default.pipe(
    Layer.provide(Layer.succeed(FbkConfig, configFor("/nonexistent-fbk-home", { callsPerHour }))),
    Layer.provide(Reporter.collecting(lines))
  )

describe("CallBudget", () => {
  it.effect("lets the budget through at once and counts every call", () => {
    const lines: Array<string> = []
    return Effect.gen(function*() {
      const budget = yield* CallBudget
      expect(yield* budget.used).toBe(0)
      yield* budget.take
      yield* budget.take
      yield* budget.take
      expect(yield* budget.used).toBe(3)
      expect(lines).toEqual([])
    }).pipe(Effect.provide(budgetLayer(3, lines)))
  })

  it.effect("makes the 4th call of 3 an hour wait until an hour after the 1st, and says so", () => {
    const lines: Array<string> = []
    return Effect.gen(function*() {
      const budget = yield* CallBudget
      yield* budget.take // t = 0
      yield* TestClock.adjust("10 minutes")
      yield* budget.take // t = 10 min
      yield* TestClock.adjust("10 minutes")
      yield* budget.take // t = 20 min
      expect(lines).toEqual([])

      const fourth = yield* Effect.fork(budget.take)
      yield* TestClock.adjust("2399 seconds") // t = 59:59
      expect(Option.isNone(yield* Fiber.poll(fourth))).toBe(true)
      expect(yield* budget.used).toBe(3)
      expect(lines).toEqual(["the hourly budget of 3 calls is spent; waiting 40 min\n"])

      yield* TestClock.adjust("1 second") // t = 60:00, an hour after the 1st
      yield* Fiber.join(fourth)
      expect(yield* budget.used).toBe(4)

      // The window rolls: the 5th is bounded by the 2nd (t = 10 min), so it waits until 70:00.
      const fifth = yield* Effect.fork(budget.take)
      yield* TestClock.adjust("9 minutes")
      expect(Option.isNone(yield* Fiber.poll(fifth))).toBe(true)
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fifth)
      expect(yield* budget.used).toBe(5)
      expect(lines).toHaveLength(2)
      expect(lines[1]).toBe("the hourly budget of 3 calls is spent; waiting 10 min\n")
    }).pipe(Effect.provide(budgetLayer(3, lines)))
  })

  it.effect("does not wait for a call made more than an hour after the one it is bounded by", () => {
    const lines: Array<string> = []
    return Effect.gen(function*() {
      const budget = yield* CallBudget
      yield* budget.take
      yield* budget.take
      yield* TestClock.adjust("61 minutes")
      // Both earlier calls are out of the window: no waiting, no note.
      yield* budget.take
      yield* budget.take
      expect(yield* budget.used).toBe(4)
      expect(lines).toEqual([])
    }).pipe(Effect.provide(budgetLayer(2, lines)))
  })

  it.effect("queues concurrent callers behind the one that waits", () => {
    const lines: Array<string> = []
    return Effect.gen(function*() {
      const budget = yield* CallBudget
      yield* budget.take // t = 0
      const waiting = yield* Effect.fork(Effect.all([budget.take, budget.take], { concurrency: 2 }))
      yield* TestClock.adjust("59 minutes")
      expect(Option.isNone(yield* Fiber.poll(waiting))).toBe(true)
      expect(yield* budget.used).toBe(1)
      yield* TestClock.adjust("1 minute") // t = 60: the 2nd call goes
      expect(yield* budget.used).toBe(2)
      expect(Option.isNone(yield* Fiber.poll(waiting))).toBe(true)
      yield* TestClock.adjust("1 hour") // t = 120: the 3rd call goes
      yield* Fiber.join(waiting)
      expect(yield* budget.used).toBe(3)
    }).pipe(Effect.provide(budgetLayer(1, lines)))
  })
})

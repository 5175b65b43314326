// A client-side budget so fbk stays under Flickr's hourly per-key limit: a rolling window of the last
// N call times; a call that would exceed it waits, and a wait longer than a moment is said.
import { Clock, Duration, Effect, Ref } from "effect"
import { FbkConfig } from "../home/FbkConfig.js"
import { duration } from "../terminal/HumanTime.js"
import { formatCount, Reporter } from "../terminal/Reporter.js"

const WINDOW_MS = 3_600_000

export class CallBudget extends Effect.Service<CallBudget>()("fbk/CallBudget", {
  effect: Effect.gen(function*() {
    const { callsPerHour } = yield* FbkConfig
    const reporter = yield* Reporter
    // stamps[i % limit] is the time of call i: the call `limit` places back bounds the next one.
    const stamps = new Array<number>(callsPerHour)
    const used = yield* Ref.make(0)
    const lock = yield* Effect.makeSemaphore(1)

    const take = lock.withPermits(1)(
      Effect.gen(function*() {
        const count = yield* Ref.get(used)
        const slot = count % callsPerHour
        const oldest = count >= callsPerHour ? stamps[slot] : undefined
        const now = yield* Clock.currentTimeMillis
        if (oldest !== undefined && now - oldest < WINDOW_MS) {
          const wait = WINDOW_MS - (now - oldest)
          yield* reporter.waiting(`the hourly budget of ${formatCount(callsPerHour)} calls is spent; waiting ${duration(wait)}`, wait)
          yield* Effect.sleep(Duration.millis(wait))
        }
        stamps[slot] = yield* Clock.currentTimeMillis
        yield* Ref.set(used, count + 1)
      })
    )

    return {
      /** Waits, if needed, until one more call fits in the budget, and counts it. */
      take,
      /** Calls made through this budget so far (every attempt, retries included). */
      used: Ref.get(used)
    } as const
  })
}) {}

import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Ref, Stream } from "effect"
import { keysetPages } from "../../../src/services/database/KeysetPages.js"

const ROWS = [3, 5, 8, 13, 21, 34, 55]

/** A keyset query over ROWS: the `size` rows after `after`, recording each `after` it was asked. */
const pagesOf = (size: number, asked: Ref.Ref<ReadonlyArray<number | null>>) => (after: number | null) =>
  Effect.as(
    Ref.update(asked, (a) => [...a, after]),
    ROWS.filter((n) => after === null || n > after).slice(0, size)
  )

describe("keysetPages", () => {
  it.effect("reads every row once, in key order, each page after the last key of the one before", () =>
    Effect.gen(function*() {
      const asked = yield* Ref.make<ReadonlyArray<number | null>>([])
      const rows = yield* Stream.runCollect(keysetPages(pagesOf(3, asked), (n) => n))
      expect(Chunk.toReadonlyArray(rows)).toEqual(ROWS)
      expect(yield* Ref.get(asked)).toEqual([null, 8, 34, 55])
    }))

  it.effect("ends at once on an empty first page", () =>
    Effect.gen(function*() {
      const asked = yield* Ref.make<ReadonlyArray<number | null>>([])
      const rows = yield* Stream.runCollect(keysetPages((after: number | null) => Effect.as(Ref.update(asked, (a) => [...a, after]), []), (n: number) => n))
      expect(Chunk.size(rows)).toBe(0)
      expect(yield* Ref.get(asked)).toEqual([null])
    }))

  // Without it the first row never finishes: the run would hang, so a timeout fails it instead.
  it.live("lets a consumer's concurrency cross page boundaries: a slow first row does not hold the next page", () =>
    Effect.gen(function*() {
      const asked = yield* Ref.make<ReadonlyArray<number | null>>([])
      const release = yield* Deferred.make<void>()
      // Pages of 2 and 2 slots: row 3 waits until row 8 (on the second page) has started.
      const work = (n: number) =>
        Effect.gen(function*() {
          if (n === 3) yield* Deferred.await(release)
          if (n === 8) yield* Deferred.succeed(release, undefined)
          return n
        })
      const done = yield* keysetPages(pagesOf(2, asked), (n) => n).pipe(
        Stream.mapEffect(work, { concurrency: 2, unordered: true }),
        Stream.runCollect,
        Effect.timeout("10 seconds")
      )
      expect([...Chunk.toReadonlyArray(done)].sort((a, b) => a - b)).toEqual(ROWS)
    }))
})

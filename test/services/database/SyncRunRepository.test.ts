import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { zeroCounters } from "../../../src/schema/SyncRun.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

const counters = { pages: 3, photos: 1_200, added: 1_000, changed: 150, deleted: 7, restored: 2, api_calls: 4 }

describe("SyncRunRepository", () => {
  it.effect("starts a run as running with zero counters, owned by this process", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        expect(Option.isNone(yield* runs.latest(["backup", "staged-backup", "update"]))).toBe(true)
        const id = yield* runs.start("backup", 1_700_000_000_000)
        const latest = yield* runs.latest(["backup"])
        expect(latest).toStrictEqual(
          Option.some({
            id,
            kind: "backup",
            started_at: 1_700_000_000_000,
            finished_at: null,
            outcome: "running",
            pid: process.pid,
            resume_cursor: null,
            message: null,
            ...zeroCounters
          })
        )
      })
    ))

  it.effect("checkpoints counters and the cursor, then finishes with outcome and message", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        const id = yield* runs.start("staged-backup", 1_000)
        yield* runs.checkpoint(id, counters, "{\"maxUploadDate\":1401132433}")
        expect(Option.getOrThrow(yield* runs.latest(["staged-backup"]))).toMatchObject({
          ...counters,
          resume_cursor: "{\"maxUploadDate\":1401132433}",
          outcome: "running",
          finished_at: null
        })

        const final = { ...counters, pages: 4, photos: 1_500 }
        yield* runs.finish(id, "failed", 9_000, final, "Flickr said code 105")
        expect(Option.getOrThrow(yield* runs.latest(["staged-backup"]))).toMatchObject({
          ...final,
          id,
          outcome: "failed",
          finished_at: 9_000,
          message: "Flickr said code 105",
          resume_cursor: "{\"maxUploadDate\":1401132433}"
        })
      })
    ))

  it.effect("finds the latest run of the kinds and outcomes asked for", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        const backup = yield* runs.start("backup", 1_000)
        yield* runs.finish(backup, "succeeded", 2_000, counters, null)
        const update = yield* runs.start("update", 3_000)
        yield* runs.finish(update, "succeeded", 4_000, zeroCounters, null)
        const interrupted = yield* runs.start("backup", 5_000)
        yield* runs.finish(interrupted, "interrupted", 6_000, zeroCounters, "interrupted")

        const id = (run: Option.Option<{ readonly id: number }>) => Option.map(run, (r) => r.id)
        expect(id(yield* runs.latest(["backup"]))).toStrictEqual(Option.some(interrupted))
        expect(id(yield* runs.latest(["backup"], ["succeeded"]))).toStrictEqual(Option.some(backup))
        expect(id(yield* runs.latest(["backup", "update"], ["succeeded"]))).toStrictEqual(Option.some(update))
        expect(id(yield* runs.latest(["update"], ["failed", "running"]))).toStrictEqual(Option.none())
        expect(id(yield* runs.latest(["staged-backup"]))).toStrictEqual(Option.none())
      })
    ))

  it.effect("adopts a run: its pid becomes this process's", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        const sql = yield* SqlClient.SqlClient
        const id = yield* runs.start("backup", 1_000)
        yield* sql`UPDATE sync_runs SET pid = 1 WHERE id = ${id}`
        expect(Option.getOrThrow(yield* runs.latest(["backup"])).pid).toBe(1)
        yield* runs.adopt(id)
        expect(Option.getOrThrow(yield* runs.latest(["backup"])).pid).toBe(process.pid)
      })
    ))

  it.effect("numbers runs in order", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        const a = yield* runs.start("backup", 1)
        const b = yield* runs.start("update", 2)
        expect(b).toBeGreaterThan(a)
      })
    ))

  it.effect("closes runs a dead process left running as interrupted, but leaves a backup to be resumed", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        const backup = yield* runs.start("backup", 1_000)
        const update = yield* runs.start("update", 2_000)
        yield* runs.closeAbandoned(3_000)
        expect(Option.getOrThrow(yield* runs.latest(["backup"])).outcome).toBe("running")
        expect(yield* runs.latest(["update"])).toStrictEqual(Option.some({
          id: update,
          kind: "update",
          started_at: 2_000,
          finished_at: 3_000,
          outcome: "interrupted",
          pid: process.pid,
          resume_cursor: null,
          message: "the process stopped",
          ...zeroCounters
        }))
        expect(Option.getOrThrow(yield* runs.latest(["backup"])).id).toBe(backup)
      })
    ))

  it.effect("records when each part was last synced completely, the latest time winning", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        expect(yield* runs.syncedParts).toEqual([])
        const run = yield* runs.start("backup", 1_000)
        yield* runs.markPartSynced("photostream", 1_100, run)
        yield* runs.markPartSynced("details", 1_200, null)
        yield* runs.markPartSynced("photostream", 1_300, null)
        expect(yield* runs.syncedParts).toEqual([
          { part: "details", synced_at: 1_200, run_id: null },
          { part: "photostream", synced_at: 1_300, run_id: null }
        ])
      })
    ))

  it.effect("runs each of its methods in a span named after it", () =>
    withDatabase(
      Effect.gen(function*() {
        const runs = yield* SyncRunRepository
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          const id = yield* runs.start("update", 1_000)
          yield* runs.checkpoint(id, counters, null)
          yield* runs.adopt(id)
          yield* runs.finish(id, "succeeded", 2_000, counters, null)
          yield* runs.closeAbandoned(3_000)
          yield* runs.latest(["update"])
          yield* runs.markPartSynced("albums", 2_000, id)
          yield* runs.syncedParts
        }))
        expect(spanNamesOf("SyncRunRepository", runs).filter((name) => !names.has(name))).toEqual([])
      })
    ))
})

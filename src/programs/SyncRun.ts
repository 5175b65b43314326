// What backup and update share: claiming a run (or resuming an interrupted one), storing pages
// with their checkpoint in one transaction, counting calls, and closing the run with a summary.
import { Cause, Effect, Option, Ref } from "effect"
import type { PhotoRow } from "../schema/Photo.js"
import { UsageError } from "../schema/Errors.js"
import { type RunCounters, type SyncKind, type SyncRun, zeroCounters } from "../schema/SyncRun.js"
import { CallBudget } from "../services/CallBudget.js"
import { PhotoRepository } from "../services/PhotoRepository.js"
import { counted, formatCount, Reporter } from "../services/Reporter.js"
import { SyncRunRepository } from "../services/SyncRunRepository.js"

export const nowSeconds = () => Math.floor(Date.now() / 1000)

const isAlive = (pid: number | null): boolean => {
  if (pid === null || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Refuses to start while another fbk process is syncing the same database. A run left
 * "running" by a process that died is closed as interrupted, except a backup, which the next
 * `fbk backup` resumes.
 */
export const ensureNoOtherRun = Effect.gen(function*() {
  const runs = yield* SyncRunRepository
  const running = yield* runs.latest(["backup", "staged-backup", "update"], ["running"])
  if (Option.isNone(running)) return
  const run = running.value
  if (isAlive(run.pid)) {
    return yield* new UsageError({
      reason: `another fbk (pid ${run.pid}) is running a ${run.kind} on this database; wait for it to finish`
    })
  }
  if (run.kind !== "backup") yield* runs.finish(run.id, "interrupted", nowSeconds(), run, "the process stopped")
})

export interface ActiveRun {
  readonly id: number
  readonly kind: SyncKind
  readonly startedAt: number
  readonly counters: Ref.Ref<RunCounters>
  /** Stores one page of photos and the run's checkpoint in one transaction. */
  readonly storePage: (photos: ReadonlyArray<PhotoRow>, cursor: string | null) => Effect.Effect<void, unknown>
  /** Forgets which photos this run has seen and its cursor, in one transaction: a fresh listing. */
  readonly restartListing: Effect.Effect<void, unknown>
  readonly finish: (outcome: "succeeded" | "failed" | "interrupted", message: string | null) => Effect.Effect<RunCounters, unknown>
}

/** Starts a new run, or adopts `resume` (an interrupted run of the same kind) with its counters. */
export const beginRun = (kind: SyncKind, resume?: SyncRun) =>
  Effect.gen(function*() {
    const runs = yield* SyncRunRepository
    const photos = yield* PhotoRepository
    const budget = yield* CallBudget
    const startedAt = resume?.started_at ?? nowSeconds()
    const id = resume === undefined ? yield* runs.start(kind, startedAt) : resume.id
    if (resume !== undefined) yield* runs.adopt(id)
    const counters = yield* Ref.make<RunCounters>(
      resume === undefined ? zeroCounters : {
        pages: resume.pages,
        photos: resume.photos,
        added: resume.added,
        changed: resume.changed,
        deleted: resume.deleted,
        restored: resume.restored,
        api_calls: resume.api_calls
      }
    )
    const callsBefore = (yield* Ref.get(counters)).api_calls - (yield* budget.used)
    const withCalls = Effect.flatMap(budget.used, (used) =>
      Ref.updateAndGet(counters, (c) => ({ ...c, api_calls: callsBefore + used }))
    )

    const storePage = (rows: ReadonlyArray<PhotoRow>, cursor: string | null) =>
      Effect.gen(function*() {
        const now = nowSeconds()
        const batch = yield* photos.upsertBatch(rows, id, now)
        yield* Ref.update(counters, (c) => ({
          ...c,
          pages: c.pages + 1,
          photos: c.photos + rows.length,
          added: c.added + batch.added,
          changed: c.changed + batch.changed,
          restored: c.restored + batch.restored
        }))
        yield* runs.checkpoint(id, yield* withCalls, cursor)
      }).pipe(photos.transaction)

    const restartListing = Effect.gen(function*() {
      yield* photos.forgetSeen(id)
      yield* runs.checkpoint(id, yield* withCalls, null)
    }).pipe(photos.transaction)

    const finish = (outcome: "succeeded" | "failed" | "interrupted", message: string | null) =>
      Effect.gen(function*() {
        const final = yield* withCalls
        yield* runs.finish(id, outcome, nowSeconds(), final, message)
        return final
      })

    return { id, kind, startedAt, counters, storePage, restartListing, finish } satisfies ActiveRun
  })

/** Closes the run whatever happens: succeeded by the caller, interrupted on Ctrl-C or error. */
export const closeOnFailure = <A, E, R>(run: ActiveRun, self: Effect.Effect<A, E, R>) =>
  self.pipe(
    Effect.onExit((exit) => {
      if (exit._tag === "Success") return Effect.void
      const reason = Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "stopped by an error"
      return run.finish("interrupted", reason).pipe(Effect.ignore)
    })
  )

export const summaryLine = (label: string, counters: RunCounters, seconds: number) =>
  `${label}: ${formatCount(counters.added)} added, ${formatCount(counters.changed)} changed, ` +
  `${formatCount(counters.deleted)} deleted, ${formatCount(counters.restored)} restored; ` +
  `${counted(counters.photos, "photo")} in ${counted(counters.pages, "page")}, ` +
  `${counted(counters.api_calls, "API call")}, ${seconds.toFixed(1)}s`

export const reportSummary = (label: string, counters: RunCounters, startedMillis: number) =>
  Effect.flatMap(Reporter, (r) => Effect.zipRight(r.endProgress, r.result(summaryLine(label, counters, (Date.now() - startedMillis) / 1000))))

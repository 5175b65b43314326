// What backup and update share: claiming a run (or resuming an interrupted one), storing pages
// with their checkpoint in one transaction, counting calls, and closing the run with a summary.
import type { SqlError } from "@effect/sql/SqlError"
import { Cause, Clock, Effect, Ref } from "effect"
import type { PhotoRow } from "../../schema/Photo.js"
import { pickCounters, type RunCounters, type SyncKind, type SyncRun, zeroCounters } from "../../schema/SyncRun.js"
import { CallBudget } from "../../services/flickr/CallBudget.js"
import { PhotoRepository } from "../../services/database/PhotoRepository.js"
import { counted, formatCount, isoUtc, Reporter } from "../../services/terminal/Reporter.js"
import { SyncRunRepository } from "../../services/database/SyncRunRepository.js"

/** The time now in unix seconds, from Effect's Clock (so tests can run on TestClock). */
export const nowSeconds = Effect.map(Clock.currentTimeMillis, (millis) => Math.floor(millis / 1000))

export interface ActiveRun {
  readonly id: number
  readonly kind: SyncKind
  readonly startedAt: number
  readonly counters: Ref.Ref<RunCounters>
  /** Whether `finish` has closed the run (a failed listing stays failed, not interrupted). */
  readonly finished: Ref.Ref<boolean>
  /** Stores one page of photos and the run's checkpoint in one transaction. */
  readonly storePage: (photos: ReadonlyArray<PhotoRow>, cursor: string | null) => Effect.Effect<void, SqlError>
  /** Forgets which photos this run has seen and its cursor, in one transaction: a fresh listing. */
  readonly restartListing: Effect.Effect<void, SqlError>
  readonly finish: (outcome: "succeeded" | "failed" | "interrupted", message: string | null) => Effect.Effect<RunCounters, SqlError>
}

/**
 * Starts a new run, or adopts `resume` (an interrupted run of the same kind) with its counters.
 * Called with the run lock held, so any other run still marked running was left by a process
 * that died: those are closed as interrupted, except a backup, which stays to be resumed.
 */
export const beginRun = (kind: SyncKind, resume?: SyncRun) =>
  Effect.gen(function*() {
    const runs = yield* SyncRunRepository
    const photos = yield* PhotoRepository
    const budget = yield* CallBudget
    const startedAt = resume?.started_at ?? (yield* nowSeconds)
    yield* runs.closeAbandoned(yield* nowSeconds)
    const id = resume === undefined ? yield* runs.start(kind, startedAt) : resume.id
    if (resume !== undefined) yield* runs.adopt(id)
    const finished = yield* Ref.make(false)
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
        const now = yield* nowSeconds
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
        yield* runs.finish(id, outcome, yield* nowSeconds, final, message)
        yield* Ref.set(finished, true)
        return final
      })

    return { id, kind, startedAt, counters, finished, storePage, restartListing, finish } satisfies ActiveRun
  })

/** Closes the run whatever happens: by the caller, or as interrupted on Ctrl-C or an error before that. */
export const closeOnFailure = <A, E, R>(run: ActiveRun, self: Effect.Effect<A, E, R>) =>
  self.pipe(
    Effect.onExit((exit) => {
      if (exit._tag === "Success") return Effect.void
      const reason = Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "stopped by an error"
      return Effect.flatMap(Ref.get(run.finished), (done) => (done ? Effect.void : run.finish("interrupted", reason))).pipe(
        Effect.ignore
      )
    })
  )

/** A backup's or update's summary: its --json record and, from it, its line. */
export interface SyncSummary extends RunCounters {
  readonly outcome: "succeeded" | "failed"
  readonly started_at: string
  readonly seconds: number
  /** A staged backup's pages. */
  readonly first_page?: number
  readonly last_page?: number
}

export const summaryLine = (label: string) => (summary: SyncSummary) =>
  `${label}: ${formatCount(summary.added)} added, ${formatCount(summary.changed)} changed, ` +
  `${formatCount(summary.deleted)} deleted, ${formatCount(summary.restored)} restored; ` +
  `${counted(summary.photos, "photo")} in ${counted(summary.pages, "page")}, ` +
  `${counted(summary.api_calls, "API call")}, ${summary.seconds.toFixed(1)}s`

/** Seconds since `startedMillis` (a Clock reading), for summaries. */
export const secondsSince = (startedMillis: number) =>
  Effect.map(Clock.currentTimeMillis, (now) => (now - startedMillis) / 1000)

/** The run's summary under `part` (backup, update): its line, or its record with --json. */
export const reportSummary = (
  part: string,
  label: string,
  run: { readonly counters: RunCounters; readonly startedAt: number; readonly outcome: SyncSummary["outcome"] },
  startedMillis: number,
  pages: Pick<SyncSummary, "first_page" | "last_page"> = {}
) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    yield* reporter.endProgress
    const summary: SyncSummary = {
      outcome: run.outcome,
      started_at: isoUtc(run.startedAt),
      seconds: Math.round((yield* secondsSince(startedMillis)) * 10) / 10,
      ...pages,
      ...pickCounters(run.counters)
    }
    yield* reporter.summary(part, summary, summaryLine(label))
  })

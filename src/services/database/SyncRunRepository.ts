// The `sync_runs` table (one row per backup or update: outcome, counters, the cursor an interrupted run
// resumes from) and `sync_parts` (when each part of the account was last synced completely).
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsAreOurs } from "./RepositoryHelpers.js"
import { pickCounters, type RunCounters, type SyncKind, SyncOutcome, type SyncPart, SyncedPart, SyncRun } from "../../schema/SyncRun.js"

const RunId = Schema.Struct({ id: Schema.Number })

export class SyncRunRepository extends Effect.Service<SyncRunRepository>()("fbk/SyncRunRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const insertRun = SqlSchema.single({
      Request: Schema.Struct({ kind: Schema.String, started_at: Schema.Number, pid: Schema.Number }),
      Result: RunId,
      execute: (run) => sql`INSERT INTO sync_runs ${sql.insert({ ...run, outcome: "running" })} RETURNING id`
    })

    const findLatest = SqlSchema.findOne({
      Request: Schema.Struct({ kinds: Schema.Array(Schema.String), outcomes: Schema.Array(Schema.String) }),
      Result: SyncRun,
      execute: ({ kinds, outcomes }) =>
        sql`SELECT * FROM sync_runs WHERE kind IN ${sql.in(kinds)} AND outcome IN ${sql.in(outcomes)}
            ORDER BY id DESC LIMIT 1`
    })

    const start = Effect.fn("SyncRunRepository.start")((kind: SyncKind, startedAt: number) =>
      insertRun({ kind, started_at: startedAt, pid: process.pid }).pipe(Effect.map((r) => r.id), rowsAreOurs)
    )

    /** Progress and the resume cursor, written in the same transaction as the photos they describe. */
    const checkpoint = Effect.fn("SyncRunRepository.checkpoint")((id: number, counters: RunCounters, cursor: string | null) =>
      sql`UPDATE sync_runs SET ${sql.update({ ...pickCounters(counters), resume_cursor: cursor })} WHERE id = ${id}`.pipe(
        Effect.asVoid
      )
    )

    const finish = Effect.fn("SyncRunRepository.finish")(
      (id: number, outcome: SyncOutcome, finishedAt: number, counters: RunCounters, message: string | null) =>
        sql`UPDATE sync_runs SET ${sql.update({ ...pickCounters(counters), outcome, finished_at: finishedAt, message })}
            WHERE id = ${id}`.pipe(Effect.asVoid)
    )

    /** Adopts an interrupted run: it becomes this process's, running again. */
    const adopt = Effect.fn("SyncRunRepository.adopt")((id: number) =>
      sql`UPDATE sync_runs SET pid = ${process.pid}, outcome = 'running', finished_at = NULL WHERE id = ${id}`.pipe(Effect.asVoid)
    )

    /** Runs still marked running by a process that died, but backups (resumed later), closed as interrupted. */
    const closeAbandoned = Effect.fn("SyncRunRepository.closeAbandoned")((now: number) =>
      sql`UPDATE sync_runs SET outcome = 'interrupted', finished_at = ${now}, message = coalesce(message, 'the process stopped')
          WHERE outcome = 'running' AND kind <> 'backup'`.pipe(Effect.asVoid)
    )

    const latest = Effect.fn("SyncRunRepository.latest")(
      (kinds: ReadonlyArray<SyncKind>, outcomes: ReadonlyArray<SyncOutcome> = SyncOutcome.literals) =>
        findLatest({ kinds, outcomes }).pipe(rowsAreOurs)
    )

    /** `part` is now completely in step with Flickr, as of `at` (by run `runId`, if a backup or update did it). */
    const markPartSynced = Effect.fn("SyncRunRepository.markPartSynced")((part: SyncPart, at: number, runId: number | null) =>
      sql`INSERT INTO sync_parts (part, synced_at, run_id) VALUES (${part}, ${at}, ${runId})
          ON CONFLICT (part) DO UPDATE SET synced_at = excluded.synced_at, run_id = excluded.run_id`.pipe(Effect.asVoid)
    )

    const syncedParts = SqlSchema.findAll({
      Request: Schema.Void,
      Result: SyncedPart,
      execute: () => sql`SELECT part, synced_at, run_id FROM sync_parts ORDER BY part`
    })(undefined).pipe(rowsAreOurs, Effect.withSpan("SyncRunRepository.syncedParts"))

    return { start, checkpoint, finish, adopt, closeAbandoned, latest, markPartSynced, syncedParts } as const
  })
}) {}

// The `photos`, `photo_revisions` and `users` tables. Photos are upserted in batches, one
// transaction each; a record whose last_update moved keeps its previous version as a revision;
// rows are never deleted, only marked.
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Schema } from "effect"
import { Account } from "../schema/Auth.js"
import { PHOTO_COLUMNS, type PhotoRow } from "../schema/Photo.js"
import { rowsAreOurs } from "./SyncRunRepository.js"

/** Rows per INSERT: 250 rows x 38 columns stays well under SQLite's 32,766 bound parameters. */
const ROWS_PER_STATEMENT = 250

const INSERT_COLUMNS = [...PHOTO_COLUMNS, "first_seen_at", "changed_at", "last_seen_run"] as const
const UPDATE_COLUMNS = PHOTO_COLUMNS.filter((c) => c !== "id")
  .map((c) => `${c} = excluded.${c}`)
  .join(", ")
const ROW_PLACEHOLDERS = `(${INSERT_COLUMNS.map(() => "?").join(", ")})`

/**
 * The upsert for `rows` rows, built once per size: 100,000 photos go through here, and
 * building the text and its parameters by hand costs a fraction of composing them per batch.
 */
const upsertStatement = (() => {
  const cache = new Map<number, string>()
  return (rows: number): string => {
    let text = cache.get(rows)
    if (text === undefined) {
      text = `INSERT INTO photos (${INSERT_COLUMNS.join(", ")}) VALUES ${Array(rows).fill(ROW_PLACEHOLDERS).join(", ")}
        ON CONFLICT (id) DO UPDATE SET ${UPDATE_COLUMNS},
          last_seen_run = excluded.last_seen_run,
          deleted_at = NULL,
          changed_at = CASE WHEN photos.last_update IS excluded.last_update AND photos.deleted_at IS NULL
                            THEN photos.changed_at ELSE excluded.changed_at END`
      cache.set(rows, text)
    }
    return text
  }
})()

export interface BatchCounts {
  readonly added: number
  readonly changed: number
  readonly restored: number
}

const Existing = Schema.Struct({
  id: Schema.String,
  last_update: Schema.NullOr(Schema.Number),
  deleted_at: Schema.NullOr(Schema.Number)
})
const Count = Schema.Struct({ n: Schema.Number })
const Ids = Schema.Array(Schema.String)

export class PhotoRepository extends Effect.Service<PhotoRepository>()("fbk/PhotoRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findExisting = SqlSchema.findAll({
      Request: Ids,
      Result: Existing,
      execute: (ids) => sql`SELECT id, last_update, deleted_at FROM photos WHERE id IN ${sql.in(ids)}`
    })

    const count = (query: Effect.Effect<ReadonlyArray<unknown>, SqlError>) =>
      SqlSchema.single({ Request: Schema.Void, Result: Count, execute: () => query })(undefined).pipe(
        Effect.map((r) => r.n),
        rowsAreOurs
      )

    /**
     * Writes one batch (one transaction): new photos added, known ones refreshed, a changed
     * record's previous version kept in photo_revisions, deleted ones restored.
     */
    const upsertBatch = (rows: ReadonlyArray<PhotoRow>, runId: number, now: number) =>
      Effect.gen(function*() {
        // A page can repeat an id when the stream shifts under it: the last copy wins.
        const unique = Array.from(new Map(rows.map((r) => [r.id, r])).values())
        if (unique.length === 0) return { added: 0, changed: 0, restored: 0 }
        const existing = new Map((yield* findExisting(unique.map((r) => r.id)).pipe(rowsAreOurs)).map((e) => [e.id, e]))
        const changedIds: Array<string> = []
        let restored = 0
        for (const row of unique) {
          const before = existing.get(row.id)
          if (before === undefined) continue
          if (before.deleted_at !== null) restored++
          if (before.last_update !== row.last_update) changedIds.push(row.id)
        }
        if (changedIds.length > 0) {
          yield* sql`INSERT INTO photo_revisions (photo_id, last_update, raw, replaced_at, run_id)
                     SELECT id, last_update, raw, ${now}, ${runId} FROM photos WHERE id IN ${sql.in(changedIds)}`
        }
        for (let i = 0; i < unique.length; i += ROWS_PER_STATEMENT) {
          const chunk = unique.slice(i, i + ROWS_PER_STATEMENT)
          const parameters: Array<unknown> = []
          for (const row of chunk) {
            for (const column of PHOTO_COLUMNS) parameters.push(row[column])
            parameters.push(now, now, runId)
          }
          yield* sql.unsafe(upsertStatement(chunk.length), parameters)
        }
        return { added: unique.length - existing.size, changed: changedIds.length, restored }
      }).pipe(sql.withTransaction)

    /** After a complete listing: every live photo it did not see is gone from Flickr. */
    const markUnseenDeleted = (runId: number, now: number) =>
      sql`UPDATE photos SET deleted_at = ${now}
          WHERE deleted_at IS NULL AND (last_seen_run IS NULL OR last_seen_run <> ${runId})`.raw.pipe(
        Effect.map((result) => (result as { readonly changes: number }).changes)
      )

    const countLive = count(sql`SELECT count(*) AS n FROM photos WHERE deleted_at IS NULL`)
    const countDeleted = count(sql`SELECT count(*) AS n FROM photos WHERE deleted_at IS NOT NULL`)
    const countRevisions = count(sql`SELECT count(*) AS n FROM photo_revisions`)
    const countSeenIn = (runId: number) =>
      count(sql`SELECT count(*) AS n FROM photos WHERE last_seen_run = ${runId} AND deleted_at IS NULL`)

    const saveAccount = (account: Account, now: number) =>
      sql`INSERT INTO users ${sql.insert({ ...account, is_account: 1, updated_at: now })}
          ON CONFLICT (nsid) DO UPDATE SET username = excluded.username, fullname = excluded.fullname,
            is_account = 1, updated_at = excluded.updated_at`.pipe(Effect.asVoid)

    const findAccount = SqlSchema.findOne({
      Request: Schema.Void,
      Result: Account,
      execute: () => sql`SELECT nsid, username, fullname FROM users WHERE is_account = 1 ORDER BY updated_at DESC LIMIT 1`
    })
    const account = findAccount(undefined).pipe(rowsAreOurs)

    return {
      /** Runs `self` in one transaction (a page and its checkpoint commit together). */
      transaction: sql.withTransaction,
      upsertBatch,
      markUnseenDeleted,
      countLive,
      countDeleted,
      countRevisions,
      countSeenIn,
      saveAccount,
      account
    } as const
  })
}) {}

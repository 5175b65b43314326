// What every repository does the same way: counting, decoding rows fbk wrote itself, keeping the
// last copy of a repeated id, and marking rows a complete listing did not see as deleted.
import type { SqlError } from "@effect/sql/SqlError"
import { type SqlClient, SqlSchema } from "@effect/sql"
import { Cause, Effect, ParseResult, Schema } from "effect"

type NotOurRows = ParseResult.ParseError | Cause.NoSuchElementException

const isNotOurRows = (error: unknown): error is NotOurRows =>
  ParseResult.isParseError(error) || Cause.isNoSuchElementException(error)

/**
 * Rows fbk wrote itself that do not decode, or a row its own query must return that is missing
 * (a count, an INSERT ... RETURNING), mean a bug or a hand-edited database: a defect.
 */
export const rowsAreOurs = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, NotOurRows>, R> =>
  Effect.catchIf(self, isNotOurRows, (e) => Effect.die(e)) as Effect.Effect<A, Exclude<E, NotOurRows>, R>

const Count = Schema.Struct({ n: Schema.Number })

/** A `SELECT count(*) AS n ...` query whose parameters are `Request`: built once, run per request. */
export const countBy = <IA, II, E, R>(
  Request: Schema.Schema<IA, II>,
  execute: (request: II) => Effect.Effect<ReadonlyArray<unknown>, E, R>
) => {
  const count = SqlSchema.single({ Request, Result: Count, execute })
  return (request: IA) => count(request).pipe(Effect.map((r) => r.n), rowsAreOurs)
}

/** The `n` of a `SELECT count(*) AS n ...` query without parameters. */
export const countOf = <E, R>(query: Effect.Effect<ReadonlyArray<unknown>, E, R>) =>
  countBy(Schema.Void, () => query)(undefined)

const decodeRunResult = Schema.decodeUnknown(Schema.Struct({ changes: Schema.Number }))

/** How many rows an INSERT, UPDATE or DELETE run with `.raw` changed. */
export const changedRows = <E, R>(statement: Effect.Effect<unknown, E, R>) =>
  statement.pipe(
    Effect.flatMap(decodeRunResult),
    Effect.map((result) => result.changes),
    rowsAreOurs
  )

/** A batch with each id once: a page can repeat an id when the list shifts under it, and the last copy wins. */
export const uniqueById = <Row extends { readonly id: string }>(rows: ReadonlyArray<Row>): ReadonlyArray<Row> =>
  Array.from(new Map(rows.map((r) => [r.id, r])).values())

/** After a complete listing of `table`: every live row it did not see is gone from Flickr. */
export const markUnseenDeleted = (
  sql: SqlClient.SqlClient,
  table: "photos" | "albums" | "collections",
  runId: number,
  now: number
): Effect.Effect<number, SqlError> =>
  changedRows(
    sql`UPDATE ${sql(table)} SET deleted_at = ${now}
        WHERE deleted_at IS NULL AND (last_seen_run IS NULL OR last_seen_run <> ${runId})`.raw
  )

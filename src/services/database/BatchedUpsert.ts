// Multi-row INSERT ... ON CONFLICT for the repositories: hundreds of rows a statement, its text built
// once per row count, since large syncs push every photo, album member and collection through here.
import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"

/** SQLite's default limit on bound parameters in one statement. */
const MAX_PARAMETERS = 32_766
const MAX_ROWS_PER_STATEMENT = 250

export interface BatchedUpsert<Row> {
  /** Writes `rows` in as few statements as the parameter limit allows (no transaction of its own). */
  readonly run: (sql: SqlClient.SqlClient, rows: ReadonlyArray<Row>) => Effect.Effect<void, SqlError>
}

/**
 * `columns` in the order `valuesOf` pushes each row's values; `conflict` is everything after
 * the VALUES list (`ON CONFLICT (...) DO UPDATE SET ...`).
 */
export const batchedUpsert = <Row>(options: {
  readonly table: string
  readonly columns: ReadonlyArray<string>
  readonly conflict: string
  readonly valuesOf: (row: Row, into: Array<unknown>) => void
}): BatchedUpsert<Row> => {
  const rowsPerStatement = Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / options.columns.length))
  const placeholders = `(${options.columns.map(() => "?").join(", ")})`
  const texts = new Map<number, string>()
  const statementFor = (rows: number): string => {
    let text = texts.get(rows)
    if (text === undefined) {
      text = `INSERT INTO ${options.table} (${options.columns.join(", ")}) VALUES ${Array(rows).fill(placeholders).join(", ")}
        ${options.conflict}`
      texts.set(rows, text)
    }
    return text
  }
  return {
    run: (sql, rows) =>
      Effect.gen(function*() {
        for (let i = 0; i < rows.length; i += rowsPerStatement) {
          const chunk = rows.slice(i, i + rowsPerStatement)
          const parameters: Array<unknown> = []
          for (const row of chunk) options.valuesOf(row, parameters)
          yield* sql.unsafe(statementFor(chunk.length), parameters)
        }
      })
  }
}

// The lock that lets one fbk process at a time write: a table of at most one row (its primary
// key is always 1), so two processes that both try to take it cannot both insert it.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE run_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    command TEXT NOT NULL,
    pid INTEGER NOT NULL,
    token TEXT NOT NULL,
    taken_at INTEGER NOT NULL
  )`
})

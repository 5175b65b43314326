// When download, verify and link last ran and how they ended: `fbk status` says so. Backups and
// updates have their own log (`sync_runs`); these keep only their last run.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE command_runs (
    command TEXT PRIMARY KEY CHECK (command IN ('download', 'verify', 'link')),
    finished_at INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed'))
  )`
})

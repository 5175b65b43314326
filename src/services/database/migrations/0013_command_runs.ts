// The last download, verify and link: when each started and finished and how it ended, for
// `fbk status`. Backups and updates have their own log (`sync_runs`).
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE command_runs (
    command TEXT PRIMARY KEY CHECK (command IN ('download', 'verify', 'link')),
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted'))
  )`
})

// XMP sidecars fbk wrote beside the originals (`fbk download --sidecars`): which, with the hash of
// the bytes written, so a file changed or put there by anyone else is never overwritten nor removed.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE file_store ADD COLUMN sidecars INTEGER NOT NULL DEFAULT 0 CHECK (sidecars IN (0, 1))`
  yield* sql`CREATE TABLE sidecars (
    photo_id TEXT PRIMARY KEY REFERENCES photos(id),
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    written_at INTEGER NOT NULL
  )`
})

// Flickr's data export: where each photo's record came from (Flickr's API, or the export alone), and
// every media file imported from an export, so a second import recognises it without reading it.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // A backup's record replaces an export's (and sets this back to 'flickr'); an import never overwrites Flickr's.
  yield* sql`ALTER TABLE photos ADD COLUMN source TEXT NOT NULL DEFAULT 'flickr' CHECK (source IN ('flickr', 'export'))`
  yield* sql`CREATE TABLE export_files (
    id INTEGER PRIMARY KEY,
    photo_id TEXT NOT NULL REFERENCES photos(id),
    entry TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    crc32 INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    file_id INTEGER REFERENCES files(id),
    imported_at INTEGER NOT NULL,
    UNIQUE (photo_id, bytes, crc32)
  )`
})

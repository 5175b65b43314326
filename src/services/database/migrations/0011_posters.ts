// A video's poster (Flickr's url_o of a video is a JPEG) recorded in `files` beside its current
// file: a role of its own, and a current file per photo that no longer counts the poster.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // SQLite cannot change a CHECK: the table is built again (new, copy, drop, rename, indexes). export_files
  // points at files(id), with foreign keys on (they cannot be turned off inside the migration's transaction,
  // and a drop's deferred violation is never cleared by the rename): its links are set aside and put back.
  yield* sql`CREATE TEMP TABLE export_file_links AS SELECT id, file_id FROM export_files WHERE file_id IS NOT NULL`
  yield* sql`UPDATE export_files SET file_id = NULL WHERE file_id IS NOT NULL`
  yield* sql`CREATE TABLE files_new (
    id INTEGER PRIMARY KEY,
    photo_id TEXT NOT NULL REFERENCES photos(id),
    role TEXT NOT NULL CHECK (role IN ('original', 'video original', 'largest available', 'replaced', 'poster')),
    path TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    source_url TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'download' CHECK (source IN ('download', 'export')),
    for_secret TEXT,
    fetched_at INTEGER NOT NULL,
    verified_at INTEGER NOT NULL,
    not_original_reason TEXT
  )`
  yield* sql`INSERT INTO files_new (id, photo_id, role, path, bytes, sha256, source_url, source, for_secret, fetched_at, verified_at,
               not_original_reason)
             SELECT id, photo_id, role, path, bytes, sha256, source_url, source, for_secret, fetched_at, verified_at, not_original_reason
             FROM files`
  yield* sql`DROP TABLE files`
  yield* sql`ALTER TABLE files_new RENAME TO files`
  yield* sql`UPDATE export_files SET file_id = (SELECT l.file_id FROM export_file_links l WHERE l.id = export_files.id)
             WHERE id IN (SELECT id FROM export_file_links)`
  yield* sql`DROP TABLE export_file_links`
  yield* sql`CREATE INDEX files_photo ON files (photo_id)`
  // A photo has one current file and a video one poster; earlier ones are kept as replaced.
  yield* sql`CREATE UNIQUE INDEX files_current ON files (photo_id) WHERE role NOT IN ('replaced', 'poster')`
  yield* sql`CREATE UNIQUE INDEX files_poster ON files (photo_id) WHERE role = 'poster'`
})

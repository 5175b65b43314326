// The photos' files on disk: where the store is, every file fetched with its hash, the photos whose
// file could not be had; and where each photo's EXIF came from (Flickr, or the file itself).
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE file_store (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    destination TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT 'symlink' CHECK (links IN ('symlink', 'hardlink', 'copy')),
    created_at INTEGER NOT NULL
  )`
  yield* sql`CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    photo_id TEXT NOT NULL REFERENCES photos(id),
    role TEXT NOT NULL CHECK (role IN ('original', 'video original', 'largest available', 'replaced')),
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
  yield* sql`CREATE INDEX files_photo ON files (photo_id)`
  // A photo has one current file; earlier originals are kept as replaced ones.
  yield* sql`CREATE UNIQUE INDEX files_current ON files (photo_id) WHERE role <> 'replaced'`
  yield* sql`CREATE TABLE file_problems (
    photo_id TEXT PRIMARY KEY REFERENCES photos(id),
    for_secret TEXT,
    problem TEXT NOT NULL,
    url TEXT,
    at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
  )`
  yield* sql`ALTER TABLE exif ADD COLUMN source TEXT NOT NULL DEFAULT 'flickr' CHECK (source IN ('flickr', 'file'))`
})

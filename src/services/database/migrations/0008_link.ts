// Files found on the user's own disks (`fbk link`), what their metadata says, and which Flickr
// photo each one is, when exactly one fits.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE disk_files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    sha256 TEXT,
    taken TEXT,
    taken_from TEXT CHECK (taken_from IN ('exif', 'video')),
    subsec TEXT,
    make TEXT,
    model TEXT,
    width INTEGER,
    height INTEGER,
    orientation INTEGER,
    latitude REAL,
    longitude REAL,
    problem TEXT,
    state TEXT NOT NULL DEFAULT 'unmatched'
      CHECK (state IN ('unmatched', 'linked', 'ambiguous', 'only on disk', 'unreadable')),
    candidates TEXT,
    read_at INTEGER NOT NULL,
    seen_run INTEGER NOT NULL,
    gone_at INTEGER
  )`
  yield* sql`CREATE INDEX disk_files_sha256 ON disk_files (sha256)`
  yield* sql`CREATE INDEX disk_files_state ON disk_files (state) WHERE gone_at IS NULL`
  yield* sql`CREATE TABLE photo_links (
    path TEXT PRIMARY KEY REFERENCES disk_files(path),
    photo_id TEXT NOT NULL REFERENCES photos(id),
    method TEXT NOT NULL CHECK (method IN ('sha256', 'exif', 'title')),
    agreed TEXT NOT NULL,
    linked_at INTEGER NOT NULL
  )`
  yield* sql`CREATE INDEX photo_links_photo ON photo_links (photo_id)`
  // The last link run (files it did not see under its folders are gone), and what the Flickr side
  // looked like when files were last matched: a change rematches the files without a link.
  yield* sql`CREATE TABLE link_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_run INTEGER NOT NULL,
    flickr_fingerprint TEXT NOT NULL
  )`
})

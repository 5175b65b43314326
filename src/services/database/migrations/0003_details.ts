// Per-photo details from flickr.photos.getInfo (one row per photo, its notes, its raw tags), read for
// `for_last_update` so only changed photos are read again; a per-photo error is kept on the row.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE photo_details (
    photo_id TEXT PRIMARY KEY REFERENCES photos(id),
    for_last_update INTEGER,
    fetched_at INTEGER NOT NULL,
    error_code INTEGER,
    error_message TEXT,
    last_update INTEGER,
    safety_level INTEGER,
    count_comments INTEGER,
    views INTEGER,
    has_people INTEGER,
    neighbourhood TEXT,
    locality TEXT,
    county TEXT,
    region TEXT,
    country TEXT,
    photopage_url TEXT,
    raw TEXT
  )`
  yield* sql`CREATE TABLE notes (
    photo_id TEXT NOT NULL REFERENCES photos(id),
    note_id TEXT NOT NULL,
    author TEXT,
    author_name TEXT,
    x REAL,
    y REAL,
    w REAL,
    h REAL,
    text TEXT,
    first_seen_at INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (photo_id, note_id)
  )`
  yield* sql`CREATE TABLE photo_tags (
    photo_id TEXT NOT NULL REFERENCES photos(id),
    tag_id TEXT NOT NULL,
    tag TEXT,
    raw TEXT,
    author TEXT,
    author_name TEXT,
    machine_tag INTEGER NOT NULL DEFAULT 0 CHECK (machine_tag IN (0, 1)),
    first_seen_at INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (photo_id, tag_id)
  )`
  yield* sql`CREATE INDEX photo_tags_tag ON photo_tags (tag)`
})

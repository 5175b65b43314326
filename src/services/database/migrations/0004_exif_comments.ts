// EXIF, read once per original (`photo_details.exif_for` is its secret) and replaced whole with it, and
// comments, read when getInfo counts some; comments that disappear are marked `removed_at`.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE photo_details ADD COLUMN exif_for TEXT`
  yield* sql`ALTER TABLE photo_details ADD COLUMN exif_error_code INTEGER`
  yield* sql`CREATE TABLE exif (
    photo_id TEXT NOT NULL REFERENCES photos(id),
    tagspace TEXT NOT NULL,
    tag TEXT NOT NULL,
    label TEXT,
    raw TEXT,
    clean TEXT,
    PRIMARY KEY (photo_id, tagspace, tag)
  )`
  yield* sql`CREATE TABLE comments (
    photo_id TEXT NOT NULL REFERENCES photos(id),
    comment_id TEXT NOT NULL,
    author TEXT,
    author_name TEXT,
    created INTEGER,
    permalink TEXT,
    text TEXT,
    raw TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (photo_id, comment_id)
  )`
})

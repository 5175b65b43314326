// People in photos, the comment count comments were last read at (read again only when it moves), when
// each part of the account was last synced, and the search index, created empty for opening to fill.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE photo_people (
    photo_id TEXT NOT NULL REFERENCES photos(id),
    nsid TEXT NOT NULL,
    username TEXT,
    realname TEXT,
    path_alias TEXT,
    added_by TEXT,
    x REAL,
    y REAL,
    w REAL,
    h REAL,
    raw TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (photo_id, nsid)
  )`
  yield* sql`ALTER TABLE photo_details ADD COLUMN comments_read_for INTEGER`
  yield* sql`CREATE TABLE sync_parts (
    part TEXT PRIMARY KEY CHECK (part IN ('photostream', 'albums', 'collections', 'details')),
    synced_at INTEGER NOT NULL,
    run_id INTEGER REFERENCES sync_runs(id)
  )`
  // rowid is the photo's numeric id (stable across VACUUM, unlike photos' own rowid).
  yield* sql`CREATE VIRTUAL TABLE photo_search USING fts5(
    title, description, tags, notes, comments, people,
    tokenize = 'unicode61 remove_diacritics 2'
  )`
})

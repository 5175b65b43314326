// The photostream, its account, the history of every photo's record, and the log of sync runs.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE users (
    nsid TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    fullname TEXT NOT NULL,
    is_account INTEGER NOT NULL DEFAULT 0 CHECK (is_account IN (0, 1)),
    updated_at INTEGER NOT NULL
  )`
  yield* sql`CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('backup', 'staged-backup', 'update')),
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
    pid INTEGER,
    resume_cursor TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    photos INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    restored INTEGER NOT NULL DEFAULT 0,
    api_calls INTEGER NOT NULL DEFAULT 0,
    message TEXT
  )`
  yield* sql`CREATE TABLE photos (
    id TEXT PRIMARY KEY,
    owner TEXT,
    title TEXT,
    description TEXT,
    media TEXT NOT NULL DEFAULT 'photo',
    secret TEXT,
    server TEXT,
    farm INTEGER,
    original_secret TEXT,
    original_format TEXT,
    is_public INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
    is_friend INTEGER NOT NULL DEFAULT 0 CHECK (is_friend IN (0, 1)),
    is_family INTEGER NOT NULL DEFAULT 0 CHECK (is_family IN (0, 1)),
    license INTEGER,
    date_taken TEXT,
    date_taken_granularity INTEGER,
    date_taken_unknown INTEGER NOT NULL DEFAULT 0 CHECK (date_taken_unknown IN (0, 1)),
    date_uploaded INTEGER,
    last_update INTEGER,
    width INTEGER,
    height INTEGER,
    url_o TEXT,
    views INTEGER,
    tags TEXT NOT NULL DEFAULT '',
    machine_tags TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    accuracy INTEGER,
    geo_context INTEGER,
    place_id TEXT,
    woeid TEXT,
    path_alias TEXT,
    count_faves INTEGER,
    count_comments INTEGER,
    raw TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    last_seen_run INTEGER REFERENCES sync_runs(id),
    deleted_at INTEGER
  )`
  yield* sql`CREATE INDEX photos_date_uploaded ON photos (date_uploaded)`
  yield* sql`CREATE INDEX photos_last_seen_run ON photos (last_seen_run)`
  yield* sql`CREATE INDEX photos_deleted_at ON photos (deleted_at) WHERE deleted_at IS NOT NULL`
  yield* sql`CREATE TABLE photo_revisions (
    id INTEGER PRIMARY KEY,
    photo_id TEXT NOT NULL REFERENCES photos(id),
    last_update INTEGER,
    raw TEXT NOT NULL,
    replaced_at INTEGER NOT NULL,
    run_id INTEGER REFERENCES sync_runs(id)
  )`
  yield* sql`CREATE INDEX photo_revisions_photo ON photo_revisions (photo_id)`
})

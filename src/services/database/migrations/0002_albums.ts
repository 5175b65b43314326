// Albums (photosets) with their ordered members, and collections nested to any depth with their albums.
// Nothing is deleted: albums and collections gone get `deleted_at`, members and placements `removed_at`.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE albums (
    id TEXT PRIMARY KEY,
    title TEXT,
    description TEXT,
    primary_photo_id TEXT,
    photos INTEGER,
    videos INTEGER,
    count_views INTEGER,
    count_comments INTEGER,
    created_at INTEGER,
    updated_at INTEGER,
    raw TEXT NOT NULL,
    members_updated_at INTEGER,
    first_seen_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    last_seen_run INTEGER REFERENCES sync_runs(id),
    deleted_at INTEGER
  )`
  yield* sql`CREATE TABLE album_photos (
    album_id TEXT NOT NULL REFERENCES albums(id),
    photo_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    added_at INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (album_id, photo_id)
  )`
  yield* sql`CREATE INDEX album_photos_photo ON album_photos (photo_id)`
  yield* sql`CREATE TABLE collections (
    id TEXT PRIMARY KEY,
    parent_id TEXT,
    position INTEGER NOT NULL,
    title TEXT,
    description TEXT,
    icon_large TEXT,
    icon_small TEXT,
    raw TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    last_seen_run INTEGER REFERENCES sync_runs(id),
    deleted_at INTEGER
  )`
  yield* sql`CREATE TABLE collection_albums (
    collection_id TEXT NOT NULL REFERENCES collections(id),
    album_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    removed_at INTEGER,
    PRIMARY KEY (collection_id, album_id)
  )`
  yield* sql`CREATE INDEX collection_albums_album ON collection_albums (album_id)`
})

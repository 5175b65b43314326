// The rows the album and collection folders are made from, written straight into a real database
// (the real migrations on a temporary home), and what a folder test runs on.
import type { FileSystem } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import * as path from "node:path"
import * as Database from "../../src/services/database/Database.js"
import { FolderRepository } from "../../src/services/database/FolderRepository.js"
import { configFor, tempDir, testBase } from "./Fixtures.js"

const NOW = 1_700_000_000

/** A photo, live unless `deleted`; its `date_taken` as Flickr writes it. */
export const putPhoto = (id: string, options: { readonly dateTaken?: string | null; readonly deleted?: boolean } = {}) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`INSERT INTO photos (id, raw, date_taken, first_seen_at, changed_at, deleted_at)
        VALUES (${id}, '{}', ${options.dateTaken ?? null}, ${NOW}, ${NOW}, ${options.deleted === true ? NOW : null})
        ON CONFLICT (id) DO UPDATE SET date_taken = excluded.date_taken, deleted_at = excluded.deleted_at`)

/** The photo's current file is now `file` (relative to the file store); an earlier one becomes replaced. */
export const putFile = (photoId: string, file: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE files SET role = 'replaced', path = path || '.replaced' WHERE photo_id = ${photoId} AND role <> 'replaced'`
    yield* sql`INSERT INTO files (photo_id, role, path, bytes, sha256, source_url, fetched_at, verified_at)
               VALUES (${photoId}, 'original', ${file}, 1, 'x', 'http://example.invalid/', ${NOW}, ${NOW})`
  })

/** An album titled `title` whose live members are exactly `members`, in that order. */
export const putAlbum = (id: string, title: string | null, members: ReadonlyArray<string>, options: { readonly deleted?: boolean } = {}) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO albums (id, title, raw, first_seen_at, changed_at, deleted_at)
               VALUES (${id}, ${title}, '{}', ${NOW}, ${NOW}, ${options.deleted === true ? NOW : null})
               ON CONFLICT (id) DO UPDATE SET title = excluded.title, deleted_at = excluded.deleted_at`
    yield* sql`UPDATE album_photos SET removed_at = ${NOW} WHERE album_id = ${id} AND removed_at IS NULL`
    for (const [position, photoId] of members.entries()) {
      yield* sql`INSERT INTO album_photos (album_id, photo_id, position, added_at) VALUES (${id}, ${photoId}, ${position}, ${NOW})
                 ON CONFLICT (album_id, photo_id) DO UPDATE SET position = excluded.position, removed_at = NULL`
    }
  })

export const deleteAlbum = (id: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE albums SET deleted_at = ${NOW} WHERE id = ${id}`)

/** A collection under `parent` (null: at the top) holding exactly `albums`, in that order. */
export const putCollection = (
  id: string,
  options: {
    readonly title: string | null
    readonly parent?: string | null
    readonly position?: number
    readonly albums?: ReadonlyArray<string>
    readonly deleted?: boolean
  }
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`INSERT INTO collections (id, parent_id, position, title, raw, first_seen_at, changed_at, deleted_at)
               VALUES (${id}, ${options.parent ?? null}, ${options.position ?? 0}, ${options.title}, '{}', ${NOW}, ${NOW},
                       ${options.deleted === true ? NOW : null})
               ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, position = excluded.position,
                 title = excluded.title, deleted_at = excluded.deleted_at`
    yield* sql`UPDATE collection_albums SET removed_at = ${NOW} WHERE collection_id = ${id} AND removed_at IS NULL`
    for (const [position, albumId] of (options.albums ?? []).entries()) {
      yield* sql`INSERT INTO collection_albums (collection_id, album_id, position, added_at) VALUES (${id}, ${albumId}, ${position}, ${NOW})
                 ON CONFLICT (collection_id, album_id) DO UPDATE SET position = excluded.position, removed_at = NULL`
    }
  })

/**
 * Runs `body` with the folder repository over a fresh database, the Node file system, and an
 * empty file store folder (passed in); all removed afterwards.
 */
export const withFolderStore = <A, E>(
  body: (destination: string) => Effect.Effect<A, E, FolderRepository | SqlClient.SqlClient | FileSystem.FileSystem>
) =>
  Effect.scoped(
    Effect.gen(function*() {
      const home = yield* tempDir
      const layer = FolderRepository.Default.pipe(
        Layer.provideMerge(Database.layer({ create: true })),
        Layer.provideMerge(testBase(configFor(home)))
      )
      return yield* body(path.join(home, "files")).pipe(Effect.provide(layer))
    })
  )

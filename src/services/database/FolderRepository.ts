// What the album and collection folders are built from: live albums with their members' files in
// order, the photos in no album, the live collection tree, and any photo's current file. Read-only.
import { SqlClient, SqlSchema, type Statement } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { rowsAreOurs } from "./RepositoryHelpers.js"

export const FolderAlbum = Schema.Struct({ id: Schema.String, title: Schema.NullOr(Schema.String) })
export type FolderAlbum = typeof FolderAlbum.Type

/**
 * A photo that has a file, at its 1-based `position`: its place among the album's live members,
 * counted whether or not the others have a file yet, so a file that arrives later does not move
 * its neighbours.
 */
export const FolderMember = Schema.Struct({ photo_id: Schema.String, position: Schema.Number, path: Schema.String })
export type FolderMember = typeof FolderMember.Type

/** A photo in no album that has a file, with its date taken (null when Flickr does not know it). */
export const LoosePhoto = Schema.Struct({ photo_id: Schema.String, date_taken: Schema.NullOr(Schema.String), path: Schema.String })
export type LoosePhoto = typeof LoosePhoto.Type

export const FolderCollection = Schema.Struct({
  id: Schema.String,
  parent_id: Schema.NullOr(Schema.String),
  position: Schema.Number,
  title: Schema.NullOr(Schema.String)
})
export type FolderCollection = typeof FolderCollection.Type

export const FolderPlacement = Schema.Struct({ collection_id: Schema.String, album_id: Schema.String })
export type FolderPlacement = typeof FolderPlacement.Type

export interface CollectionTree {
  /** Ordered by parent, then position. */
  readonly collections: ReadonlyArray<FolderCollection>
  /** Live albums placed in live collections, ordered by collection, then position. */
  readonly placements: ReadonlyArray<FolderPlacement>
}

export class FolderRepository extends Effect.Service<FolderRepository>()("fbk/FolderRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    // A photo's current file; `max(id)` so that a photo never appears twice should it have two.
    const currentFileOf = (photoId: Statement.Fragment) =>
      sql`f.id = (SELECT max(x.id) FROM files x WHERE x.photo_id = ${photoId} AND x.role NOT IN ('replaced', 'poster'))`

    const albums = SqlSchema.findAll({
      Request: Schema.Void,
      Result: FolderAlbum,
      execute: () => sql`SELECT id, title FROM albums WHERE deleted_at IS NULL ORDER BY id`
    })

    const members = SqlSchema.findAll({
      Request: Schema.String,
      Result: FolderMember,
      execute: (albumId) =>
        sql`SELECT m.photo_id, m.position, f.path
            FROM (SELECT am.photo_id, row_number() OVER (ORDER BY am.position, am.photo_id) AS position
                  FROM album_photos am LEFT JOIN photos p ON p.id = am.photo_id
                  WHERE am.album_id = ${albumId} AND am.removed_at IS NULL AND p.deleted_at IS NULL) m
            JOIN files f ON ${currentFileOf(sql`m.photo_id`)}
            ORDER BY m.position`
    })

    const inNoAlbum = SqlSchema.findAll({
      Request: Schema.Void,
      Result: LoosePhoto,
      execute: () =>
        sql`SELECT p.id AS photo_id, CASE WHEN p.date_taken_unknown = 1 THEN NULL ELSE p.date_taken END AS date_taken, f.path
            FROM photos p JOIN files f ON ${currentFileOf(sql`p.id`)}
            WHERE p.deleted_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM album_photos am JOIN albums a ON a.id = am.album_id
                              WHERE am.photo_id = p.id AND am.removed_at IS NULL AND a.deleted_at IS NULL)
            ORDER BY length(p.id), p.id`
    })

    const currentFile = SqlSchema.findOne({
      Request: Schema.String,
      Result: Schema.Struct({ path: Schema.String }),
      execute: (photoId) => sql`SELECT f.path FROM files f WHERE ${currentFileOf(sql`${photoId}`)}`
    })

    const collections = SqlSchema.findAll({
      Request: Schema.Void,
      Result: FolderCollection,
      execute: () =>
        sql`SELECT id, parent_id, position, title FROM collections WHERE deleted_at IS NULL
            ORDER BY parent_id, position, id`
    })

    const placements = SqlSchema.findAll({
      Request: Schema.Void,
      Result: FolderPlacement,
      execute: () =>
        sql`SELECT ca.collection_id, ca.album_id FROM collection_albums ca
            JOIN albums a ON a.id = ca.album_id AND a.deleted_at IS NULL
            JOIN collections c ON c.id = ca.collection_id AND c.deleted_at IS NULL
            WHERE ca.removed_at IS NULL
            ORDER BY ca.collection_id, ca.position, ca.album_id`
    })

    return {
      /** Albums not deleted, by id. */
      albums: albums(undefined).pipe(rowsAreOurs, Effect.withSpan("FolderRepository.albums")),
      /** One album's live members that have a file, in the album's order: one album in memory at a time. */
      members: Effect.fn("FolderRepository.members")((albumId: string) => members(albumId).pipe(rowsAreOurs)),
      /** Live photos with a file that are in no live album, by id as a number; the date taken null when Flickr does not know it. */
      inNoAlbum: inNoAlbum(undefined).pipe(rowsAreOurs, Effect.withSpan("FolderRepository.inNoAlbum")),
      /** Where a photo's current file is, relative to the file store (deleted photos too: an entry made before names it). */
      currentFile: Effect.fn("FolderRepository.currentFile")((photoId: string) =>
        currentFile(photoId).pipe(rowsAreOurs, Effect.map(Option.map((row) => row.path)))
      ),
      /** The live collections and the live albums placed in them. */
      collectionTree: Effect.all({ collections: collections(undefined), placements: placements(undefined) }).pipe(
        Effect.map((tree): CollectionTree => tree),
        rowsAreOurs,
        Effect.withSpan("FolderRepository.collectionTree")
      )
    } as const
  })
}) {}

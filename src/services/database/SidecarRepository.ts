// What an XMP sidecar holds, read for a batch of photos at once: each part one query over the
// batch's ids (photo-led indexes), so thousands of sidecars cost a few queries per batch, not per photo.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema, Struct } from "effect"
import { CollectionStep, collectionStepsOf, Num, PhotoRecord, Text } from "./PhotoPageRepository.js"
import { rowsAreOurs } from "./RepositoryHelpers.js"

const Ids = Schema.Array(Schema.String)

/** The photo page's record, as much of it as a sidecar holds, with the page URL and the current file. */
export const SidecarPhotoRow = Schema.Struct({
  ...Struct.pick(
    PhotoRecord.fields,
    "id", "owner", "path_alias", "title", "description", "media", "date_taken", "date_taken_granularity", "date_taken_unknown",
    "tags", "machine_tags", "license", "is_public", "is_friend", "is_family", "views", "count_faves", "count_comments",
    "latitude", "longitude"
  ),
  photopage_url: Text,
  /** The current file (not a replaced original, not a poster), relative to the store. */
  file_path: Text
})
export type SidecarPhotoRow = typeof SidecarPhotoRow.Type

export const SidecarAlbumRow = Schema.Struct({ photo_id: Schema.String, id: Schema.String, title: Text })
export type SidecarAlbumRow = typeof SidecarAlbumRow.Type
export const SidecarTagRow = Schema.Struct({ photo_id: Schema.String, tag: Text, raw: Text, machine_tag: Schema.Number })
export type SidecarTagRow = typeof SidecarTagRow.Type
export const SidecarNoteRow = Schema.Struct({ photo_id: Schema.String, author_name: Text, text: Text })
export type SidecarNoteRow = typeof SidecarNoteRow.Type
export const SidecarCommentRow = Schema.Struct({
  photo_id: Schema.String,
  author_name: Text,
  created: Num,
  permalink: Text,
  text: Text
})
export type SidecarCommentRow = typeof SidecarCommentRow.Type

export class SidecarRepository extends Effect.Service<SidecarRepository>()("fbk/SidecarRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findPhotos = SqlSchema.findAll({
      Request: Ids,
      Result: SidecarPhotoRow,
      execute: (ids) =>
        sql`SELECT p.id, p.owner, p.path_alias, p.title, p.description, p.media, p.date_taken, p.date_taken_granularity,
                   p.date_taken_unknown, p.tags, p.machine_tags, p.license, p.is_public, p.is_friend, p.is_family,
                   coalesce(d.views, p.views) AS views, p.count_faves, coalesce(d.count_comments, p.count_comments) AS count_comments,
                   p.latitude, p.longitude, d.photopage_url, f.path AS file_path
            FROM photos p
            LEFT JOIN photo_details d ON d.photo_id = p.id
            LEFT JOIN files f ON f.photo_id = p.id AND f.role NOT IN ('replaced', 'poster')
            WHERE p.id IN ${sql.in(ids)} ORDER BY p.id`
    })
    const findAlbums = SqlSchema.findAll({
      Request: Ids,
      Result: SidecarAlbumRow,
      execute: (ids) =>
        sql`SELECT ap.photo_id, a.id, a.title FROM album_photos ap JOIN albums a ON a.id = ap.album_id
            WHERE ap.photo_id IN ${sql.in(ids)} AND ap.removed_at IS NULL AND a.deleted_at IS NULL
            ORDER BY ap.photo_id, a.title, a.id`
    })
    const findCollections = SqlSchema.findAll({
      Request: Ids,
      Result: CollectionStep,
      execute: (ids) => collectionStepsOf(sql, ids)
    })
    const findTags = SqlSchema.findAll({
      Request: Ids,
      Result: SidecarTagRow,
      execute: (ids) =>
        sql`SELECT photo_id, tag, raw, machine_tag FROM photo_tags
            WHERE photo_id IN ${sql.in(ids)} AND removed_at IS NULL ORDER BY photo_id, rowid`
    })
    const findNotes = SqlSchema.findAll({
      Request: Ids,
      Result: SidecarNoteRow,
      execute: (ids) =>
        sql`SELECT photo_id, author_name, text FROM notes
            WHERE photo_id IN ${sql.in(ids)} AND removed_at IS NULL ORDER BY photo_id, note_id`
    })
    const findComments = SqlSchema.findAll({
      Request: Ids,
      Result: SidecarCommentRow,
      execute: (ids) =>
        sql`SELECT photo_id, author_name, created, permalink, text FROM comments
            WHERE photo_id IN ${sql.in(ids)} AND removed_at IS NULL ORDER BY photo_id, created, comment_id`
    })

    return {
      /** The photos' records with their page URL and current file. */
      photos: Effect.fn("SidecarRepository.photos")((ids: ReadonlyArray<string>) => findPhotos(ids).pipe(rowsAreOurs)),
      /** The live albums each photo is in. */
      albums: Effect.fn("SidecarRepository.albums")((ids: ReadonlyArray<string>) => findAlbums(ids).pipe(rowsAreOurs)),
      /** The collections above every album of the photos, a path per placement, nearest first. */
      collections: Effect.fn("SidecarRepository.collections")((ids: ReadonlyArray<string>) => findCollections(ids).pipe(rowsAreOurs)),
      /** The photos' tags as getInfo gave them, in Flickr's order. */
      tags: Effect.fn("SidecarRepository.tags")((ids: ReadonlyArray<string>) => findTags(ids).pipe(rowsAreOurs)),
      notes: Effect.fn("SidecarRepository.notes")((ids: ReadonlyArray<string>) => findNotes(ids).pipe(rowsAreOurs)),
      /** The live comments, oldest first. */
      comments: Effect.fn("SidecarRepository.comments")((ids: ReadonlyArray<string>) => findComments(ids).pipe(rowsAreOurs))
    } as const
  })
}) {}

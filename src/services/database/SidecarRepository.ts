// What an XMP sidecar holds, read for a batch of photos at once: each part one query over the
// batch's ids (photo-led indexes), so thousands of sidecars cost a few queries per batch, not per photo.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { CollectionStep } from "./PhotoPageRepository.js"
import { rowsAreOurs } from "./RepositoryHelpers.js"

const Text = Schema.NullOr(Schema.String)
const Num = Schema.NullOr(Schema.Number)
const Ids = Schema.Array(Schema.String)

export const SidecarPhotoRow = Schema.Struct({
  id: Schema.String,
  owner: Text,
  path_alias: Text,
  title: Text,
  description: Text,
  media: Schema.String,
  date_taken: Text,
  date_taken_granularity: Num,
  date_taken_unknown: Schema.Number,
  tags: Schema.String,
  machine_tags: Schema.String,
  license: Num,
  is_public: Schema.Number,
  is_friend: Schema.Number,
  is_family: Schema.Number,
  views: Num,
  count_faves: Num,
  count_comments: Num,
  latitude: Num,
  longitude: Num,
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
    // As the photo page's query, for every album of the batch: from each album up to the root, the
    // depth bound stopping a cycle a hand-edited database could hold.
    const findCollections = SqlSchema.findAll({
      Request: Ids,
      Result: CollectionStep,
      execute: (ids) =>
        sql`WITH RECURSIVE up(album_id, start_id, id, parent_id, title, depth) AS (
              SELECT ca.album_id, c.id, c.id, c.parent_id, c.title, 0
              FROM collection_albums ca
              JOIN collections c ON c.id = ca.collection_id AND c.deleted_at IS NULL
              WHERE ca.removed_at IS NULL AND ca.album_id IN (
                SELECT album_id FROM album_photos WHERE photo_id IN ${sql.in(ids)} AND removed_at IS NULL)
              UNION ALL
              SELECT up.album_id, up.start_id, c.id, c.parent_id, c.title, up.depth + 1
              FROM up JOIN collections c ON c.id = up.parent_id AND c.deleted_at IS NULL
              WHERE up.depth < 64
            )
            SELECT album_id, start_id, id, title, depth FROM up ORDER BY album_id, start_id, depth`
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

// Everything the archive holds about one photo, for its page in the viewer.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsAreOurs } from "./RepositoryHelpers.js"

export const PhotoRecord = Schema.Struct({
  id: Schema.String,
  title: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String),
  media: Schema.String,
  date_taken: Schema.NullOr(Schema.String),
  date_taken_granularity: Schema.NullOr(Schema.Number),
  date_taken_unknown: Schema.Number,
  date_uploaded: Schema.NullOr(Schema.Number),
  width: Schema.NullOr(Schema.Number),
  height: Schema.NullOr(Schema.Number),
  tags: Schema.String,
  deleted_at: Schema.NullOr(Schema.Number)
})
export type PhotoRecord = typeof PhotoRecord.Type

export const AlbumLink = Schema.Struct({ id: Schema.String, title: Schema.NullOr(Schema.String) })
export type AlbumLink = typeof AlbumLink.Type

export class PhotoPageRepository extends Effect.Service<PhotoPageRepository>()("fbk/PhotoPageRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findRecord = SqlSchema.findOne({
      Request: Schema.String,
      Result: PhotoRecord,
      execute: (id) =>
        sql`SELECT id, title, description, media, date_taken, date_taken_granularity, date_taken_unknown, date_uploaded,
                   width, height, tags, deleted_at
            FROM photos WHERE id = ${id}`
    })
    const findAlbums = SqlSchema.findAll({
      Request: Schema.String,
      Result: AlbumLink,
      execute: (id) =>
        sql`SELECT a.id, a.title FROM album_photos ap JOIN albums a ON a.id = ap.album_id
            WHERE ap.photo_id = ${id} AND ap.removed_at IS NULL AND a.deleted_at IS NULL
            ORDER BY a.title, a.id`
    })

    return {
      /** The photo's record, if the archive has the photo. */
      record: Effect.fn("PhotoPageRepository.record")((id: string) => findRecord(id).pipe(rowsAreOurs)),
      /** The live albums the photo is in. */
      albums: Effect.fn("PhotoPageRepository.albums")((id: string) => findAlbums(id).pipe(rowsAreOurs))
    } as const
  })
}) {}

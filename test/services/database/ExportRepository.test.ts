import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type ExportPhoto, exportPhotoFrom } from "../../../src/schema/Export.js"
import { ExportRepository } from "../../../src/services/database/ExportRepository.js"
import { type ExportedAccount, type ExportedPhoto, generateAccount, photoJson } from "../../support/FlickrExport.js"
import { withDatabase } from "../../support/Fixtures.js"

/** The photo as fbk reads it from its photo_<id>.json. */
const decoded = (account: ExportedAccount, photo: ExportedPhoto): ExportPhoto => {
  const text = JSON.stringify(photoJson(account, photo))
  const read = exportPhotoFrom(JSON.parse(text), text, { owner: account.nsid, mediaExt: "jpg" })
  if (typeof read === "string") throw new Error(read)
  return read
}

/** The photo's rows of `table` that are not marked removed, by their ids. */
const liveIds = (table: "photo_tags" | "comments" | "notes", key: string, photoId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ id: string }>`SELECT ${sql(key)} AS id FROM ${sql(table)} WHERE photo_id = ${photoId} AND removed_at IS NULL ORDER BY id`).pipe(
      Effect.map((rows) => rows.map((r) => r.id))
    )

describe("ExportRepository.storePhotos", () => {
  it.effect("a newer export without a tag, comment or note marks them removed, for the photos it carries only", () =>
    withDatabase(
      Effect.gen(function*() {
        const account = generateAccount({ photos: 7 })
        // Photo 0 has a comment and a note in the generated account; photo 6 a note.
        const [changed, , , , , , other] = account.photos
        const first = account.photos.map((p) => decoded(account, p))
        const repo = yield* ExportRepository
        yield* repo.storePhotos(first, 1_000)
        const before = first[0]!
        expect(before.comments.length).toBe(1)
        expect(before.notes.length).toBe(1)
        expect(yield* liveIds("notes", "note_id", other!.id)).toHaveLength(1)

        const newer = decoded(account, { ...changed!, tags: changed!.tags.slice(1), comments: [], notes: [] })
        const stored = yield* repo.storePhotos([newer], 2_000)
        expect(stored.changed).toBe(1)
        expect(yield* liveIds("photo_tags", "tag_id", changed!.id)).toEqual(newer.tags.map((t) => t.tag_id).sort())
        expect(yield* liveIds("comments", "comment_id", changed!.id)).toEqual([])
        expect(yield* liveIds("notes", "note_id", changed!.id)).toEqual([])
        // A photo the newer export does not carry keeps what it had.
        expect(yield* liveIds("notes", "note_id", other!.id)).toEqual(first[6]!.notes.map((n) => n.note_id))
      }).pipe(Effect.provide(ExportRepository.Default))
    ))

  it.effect("stores the export's EXIF for its photos, replacing what an earlier export gave", () =>
    withDatabase(
      Effect.gen(function*() {
        const account = generateAccount({ photos: 1 })
        const photo = decoded(account, account.photos[0]!)
        const repo = yield* ExportRepository
        const sql = yield* SqlClient.SqlClient
        const exifRows = sql<{ tagspace: string; tag: string; raw: string; source: string }>`
          SELECT tagspace, tag, raw, source FROM exif WHERE photo_id = ${photo.row.id} ORDER BY tagspace, tag`
        yield* repo.storePhotos([photo], 1_000)
        expect(yield* exifRows).toEqual([{ tagspace: "IFD0", tag: "Make", raw: "Canon", source: "flickr" }])
        const newer = { ...photo, row: { ...photo.row, raw: `${photo.row.raw} ` }, exif: [{ tagspace: "IFD0", tag: "Model", label: null, raw: "EOS", clean: null }] }
        yield* repo.storePhotos([newer], 2_000)
        expect(yield* exifRows).toEqual([{ tagspace: "IFD0", tag: "Model", raw: "EOS", source: "flickr" }])
      }).pipe(Effect.provide(ExportRepository.Default))
    ))
})

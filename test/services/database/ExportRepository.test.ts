import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { type ExportPhoto, exportPhotoFrom } from "../../../src/schema/Export.js"
import { ExportRepository, type ImportedFile } from "../../../src/services/database/ExportRepository.js"
import { type ExportedAccount, type ExportedPhoto, generateAccount, photoJson } from "../../support/FlickrExport.js"
import { withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

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

/** A media file of the export, as the import has written and checked it. */
const importedFile = (photoId: string, entry: string, bytes: number): ImportedFile => ({
  photoId,
  entry,
  bytes,
  crc32: bytes * 7,
  sha256: `sha-${entry}`,
  path: `2024/01/${entry}`,
  sourceUrl: `export:${entry}`
})

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

describe("ExportRepository files", () => {
  it.effect("records an imported file as the photo's current one with its entry, clears its problem, and reads both back", () =>
    withDatabase(
      Effect.gen(function*() {
        const account = generateAccount({ photos: 2 })
        const [first, second] = account.photos.map((p) => decoded(account, p))
        const repo = yield* ExportRepository
        const sql = yield* SqlClient.SqlClient
        yield* repo.storePhotos([first!, second!], 1_000)
        const id = first!.row.id
        yield* sql`INSERT INTO file_problems (photo_id, problem, at) VALUES (${id}, 'gone', 1)`

        yield* repo.recordFile(importedFile(id, "a_o.jpg", 100), "original", "secret1", 2_000)
        expect(yield* sql`SELECT photo_id, role, path, bytes, sha256, source_url, source, for_secret, fetched_at, verified_at,
                            not_original_reason FROM files`).toEqual([{
          photo_id: id, role: "original", path: "2024/01/a_o.jpg", bytes: 100, sha256: "sha-a_o.jpg", source_url: "export:a_o.jpg",
          source: "export", for_secret: "secret1", fetched_at: 2_000, verified_at: 2_000, not_original_reason: null
        }])
        expect(yield* sql`SELECT count(*) AS n FROM file_problems`).toEqual([{ n: 0 }])
        const photo = Option.getOrThrow(yield* repo.photoForFile(id))
        expect([photo.id, photo.file_path, photo.file_sha256, photo.file_role, photo.file_fetched_at])
          .toEqual([id, "2024/01/a_o.jpg", "sha-a_o.jpg", "original", 2_000])
        expect(yield* repo.imported(id, 100)).toEqual([{ entry: "a_o.jpg", crc32: 700, sha256: "sha-a_o.jpg", path: "2024/01/a_o.jpg" }])
        expect(yield* repo.imported(id, 101)).toEqual([])
        expect(Option.isNone(yield* repo.photoForFile("404"))).toBe(true)

        // An entry kept beside the current file, and one whose bytes are the current file's.
        yield* repo.recordEntry(importedFile(id, "a_copy.jpg", 90), null, 2_100)
        yield* repo.recordEntry(importedFile(id, "a_again.jpg", 110), photo.file_id, 2_100)
        expect(yield* sql`SELECT entry, file_id FROM export_files ORDER BY entry`).toEqual([
          { entry: "a_again.jpg", file_id: photo.file_id },
          { entry: "a_copy.jpg", file_id: null },
          { entry: "a_o.jpg", file_id: photo.file_id }
        ])
        expect(yield* repo.summary).toEqual({ photos: 2, files: 1, beside: 1 })
        expect([...(yield* repo.existing([id, "404"])).keys()]).toEqual([id])
      }).pipe(Effect.provide(ExportRepository.Default))
    ))

  it.effect("runs each of its methods in a span named after it", () =>
    withDatabase(
      Effect.gen(function*() {
        const account = generateAccount({ photos: 1 })
        const photo = decoded(account, account.photos[0]!)
        const repo = yield* ExportRepository
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* repo.transaction(repo.storePhotos([photo], 1_000))
          yield* repo.storeAlbums([], 1_000)
          yield* repo.existing([photo.row.id])
          yield* repo.photoForFile(photo.row.id)
          yield* repo.imported(photo.row.id, 100)
          yield* repo.recordFile(importedFile(photo.row.id, "a_o.jpg", 100), "original", null, 2_000)
          yield* repo.recordEntry(importedFile(photo.row.id, "a_copy.jpg", 90), null, 2_000)
          yield* repo.summary
        }))
        expect(spanNamesOf("ExportRepository", repo).filter((name) => !names.has(name))).toEqual([])
      }).pipe(Effect.provide(ExportRepository.Default))
    ))
})

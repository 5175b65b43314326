// What an import of Flickr's data export writes: photos known only from the export (never over a
// record from Flickr's API), their tags, comments and notes, albums, and the files it brought.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { ALBUM_COLUMNS, type AlbumRow } from "../../schema/Album.js"
import type { ExportPhoto } from "../../schema/Export.js"
import { PHOTO_COLUMNS } from "../../schema/Photo.js"
import { batchedUpsert } from "./BatchedUpsert.js"
import { insertExif, markRemoved, upsertComments, upsertNotes, upsertTags } from "./DetailsRepository.js"
import type { FileRole } from "./FileRepository.js"
import { rowsAreOurs } from "./RepositoryHelpers.js"
import { searchDocuments } from "./SearchIndex.js"

const upsertExportPhotos = batchedUpsert<{ readonly photo: ExportPhoto; readonly now: number }>({
  table: "photos",
  columns: [...PHOTO_COLUMNS, "source", "first_seen_at", "changed_at"],
  // A record from Flickr's API is newer and fuller than the export's: it is never overwritten.
  conflict: `ON CONFLICT (id) DO UPDATE SET ${PHOTO_COLUMNS.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ")},
    changed_at = excluded.changed_at
    WHERE photos.source = 'export' AND photos.raw IS NOT excluded.raw`,
  valuesOf: ({ now, photo }, into) => {
    for (const column of PHOTO_COLUMNS) into.push(photo.row[column])
    into.push("export", now, now)
  }
})

const upsertExportAlbums = batchedUpsert<{ readonly row: AlbumRow; readonly now: number }>({
  table: "albums",
  columns: [...ALBUM_COLUMNS, "first_seen_at", "changed_at"],
  conflict: `ON CONFLICT (id) DO UPDATE SET ${ALBUM_COLUMNS.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ")},
    changed_at = excluded.changed_at
    WHERE albums.raw IS NOT excluded.raw`,
  valuesOf: ({ now, row }, into) => {
    for (const column of ALBUM_COLUMNS) into.push(row[column])
    into.push(now, now)
  }
})

/** What a media file of the export is filed by: the photo's date taken, and the original it is. */
export const PhotoForFile = Schema.Struct({
  id: Schema.String,
  media: Schema.String,
  date_taken: Schema.NullOr(Schema.String),
  date_taken_unknown: Schema.Number,
  for_secret: Schema.NullOr(Schema.String),
  /** The photo's current file, when it has one. */
  file_id: Schema.NullOr(Schema.Number),
  file_path: Schema.NullOr(Schema.String),
  file_sha256: Schema.NullOr(Schema.String),
  file_role: Schema.NullOr(Schema.String),
  file_fetched_at: Schema.NullOr(Schema.Number)
})
export type PhotoForFile = typeof PhotoForFile.Type

/** An entry of an earlier import. */
export const ImportedEntry = Schema.Struct({ entry: Schema.String, crc32: Schema.Number, sha256: Schema.String, path: Schema.String })
export type ImportedEntry = typeof ImportedEntry.Type

/** A media file of the export now on disk under the store, checked. */
export interface ImportedFile {
  readonly photoId: string
  readonly entry: string
  readonly bytes: number
  readonly crc32: number
  readonly sha256: string
  /** Relative to the store. */
  readonly path: string
  readonly sourceUrl: string
}

const Existing = Schema.Struct({ id: Schema.String, source: Schema.String, raw: Schema.String })

/** A `files` row as an import records it. */
const ImportedFileRow = Schema.Struct({
  photo_id: Schema.String,
  role: Schema.String,
  path: Schema.String,
  bytes: Schema.Number,
  sha256: Schema.String,
  source_url: Schema.String,
  for_secret: Schema.NullOr(Schema.String),
  fetched_at: Schema.Number
})

const Summary = Schema.Struct({ photos: Schema.Number, files: Schema.Number, beside: Schema.Number })

export class ExportRepository extends Effect.Service<ExportRepository>()("fbk/ExportRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const documents = searchDocuments(sql)

    const findExisting = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: Existing,
      execute: (ids) => sql`SELECT id, source, raw FROM photos WHERE id IN ${sql.in(ids)}`
    })

    /** Which of `ids` the database has: where each record came from, and the record. */
    const existing = Effect.fn("ExportRepository.existing")((ids: ReadonlyArray<string>) =>
      ids.length === 0
        ? Effect.succeed(new Map<string, typeof Existing.Type>())
        : findExisting(ids).pipe(rowsAreOurs, Effect.map((rows) => new Map(rows.map((r) => [r.id, r]))))
    )

    /**
     * Photos from the export with their tags, comments and notes, and their search documents, in one
     * transaction. Photos whose record came from Flickr's API are left as they are.
     */
    const storePhotos = Effect.fn("ExportRepository.storePhotos")(
      function*(photos: ReadonlyArray<ExportPhoto>, now: number) {
        if (photos.length === 0) return { added: [] as ReadonlyArray<string>, changed: 0 }
        const before = yield* existing(photos.map((p) => p.row.id))
        // New photos, and the export's own records that changed; nothing of Flickr's API's, nothing unchanged.
        const ours = photos.filter((p) => {
          const stored = before.get(p.row.id)
          return stored === undefined || (stored.source === "export" && stored.raw !== p.row.raw)
        })
        yield* upsertExportPhotos.run(sql, ours.map((photo) => ({ photo, now })))
        const owned = <Row>(pick: (p: ExportPhoto) => ReadonlyArray<Row>) =>
          ours.flatMap((p) => pick(p).map((row) => ({ photoId: p.row.id, row, now })))
        yield* upsertTags.run(sql, owned((p) => p.tags))
        yield* upsertComments.run(sql, owned((p) => p.comments))
        yield* upsertNotes.run(sql, owned((p) => p.notes))
        // The export is the photo's whole record: what a newer one no longer has was removed on Flickr.
        for (const p of ours.filter((p) => before.has(p.row.id))) {
          yield* markRemoved(sql, "photo_tags", "tag_id", p.row.id, p.tags.map((t) => t.tag_id), now)
          yield* markRemoved(sql, "comments", "comment_id", p.row.id, p.comments.map((c) => c.comment_id), now)
          yield* markRemoved(sql, "notes", "note_id", p.row.id, p.notes.map((n) => n.note_id), now)
        }
        // Flickr's EXIF as the export gives it, replacing an earlier export's (EXIF read from a file stays).
        if (ours.length > 0) yield* sql`DELETE FROM exif WHERE source = 'flickr' AND photo_id IN ${sql.in(ours.map((p) => p.row.id))}`
        yield* insertExif.run(sql, ours.flatMap((p) => p.exif.map((row) => ({ photoId: p.row.id, row, now, source: "flickr" as const }))))
        yield* documents.refresh(ours.map((p) => p.row.id))
        const added = ours.filter((p) => !before.has(p.row.id)).map((p) => p.row.id)
        return { added: added as ReadonlyArray<string>, changed: ours.length - added.length }
      },
      sql.withTransaction
    )

    const storeAlbums = Effect.fn("ExportRepository.storeAlbums")((albums: ReadonlyArray<AlbumRow>, now: number) =>
      upsertExportAlbums.run(sql, albums.map((row) => ({ row, now })))
    )

    const findPhotoForFile = SqlSchema.findOne({
      Request: Schema.String,
      Result: PhotoForFile,
      execute: (id) =>
        sql`SELECT p.id, p.media, p.date_taken, p.date_taken_unknown, coalesce(p.original_secret, p.secret) AS for_secret,
              f.id AS file_id, f.path AS file_path, f.sha256 AS file_sha256, f.role AS file_role, f.fetched_at AS file_fetched_at
            FROM photos p LEFT JOIN files f ON f.photo_id = p.id AND f.role NOT IN ('replaced', 'poster')
            WHERE p.id = ${id}`
    })

    const findImported = SqlSchema.findAll({
      Request: Schema.Struct({ photoId: Schema.String, bytes: Schema.Number }),
      Result: ImportedEntry,
      execute: ({ bytes, photoId }) =>
        sql`SELECT entry, crc32, sha256, path FROM export_files WHERE photo_id = ${photoId} AND bytes = ${bytes}`
    })

    const insertEntry = (file: ImportedFile, fileId: number | null, now: number) =>
      sql`INSERT INTO export_files ${
        sql.insert({
          photo_id: file.photoId,
          entry: file.entry,
          bytes: file.bytes,
          crc32: file.crc32,
          sha256: file.sha256,
          path: file.path,
          file_id: fileId,
          imported_at: now
        })
      } ON CONFLICT (photo_id, bytes, crc32) DO NOTHING`

    const insertFile = SqlSchema.single({
      Request: ImportedFileRow,
      Result: Schema.Struct({ id: Schema.Number }),
      // The import checked the bytes against the zip as it wrote them: verified when fetched.
      execute: (row) =>
        sql`INSERT INTO files ${
          sql.insert({ ...row, source: "export", verified_at: row.fetched_at, not_original_reason: null })
        } RETURNING id`
    })

    /** The photo's file, imported: recorded in `files` (source export) as its current one, and as imported. */
    const recordFile = Effect.fn("ExportRepository.recordFile")(
      function*(file: ImportedFile, role: Exclude<FileRole, "replaced">, forSecret: string | null, now: number) {
        const inserted = yield* insertFile({
          photo_id: file.photoId,
          role,
          path: file.path,
          bytes: file.bytes,
          sha256: file.sha256,
          source_url: file.sourceUrl,
          for_secret: forSecret,
          fetched_at: now
        }).pipe(rowsAreOurs)
        yield* insertEntry(file, inserted.id, now)
        yield* sql`DELETE FROM file_problems WHERE photo_id = ${file.photoId}`
      },
      sql.withTransaction
    )

    return {
      /** Runs `self` in one transaction. */
      transaction: <A, E, R>(self: Effect.Effect<A, E, R>) =>
        sql.withTransaction(self).pipe(Effect.withSpan("ExportRepository.transaction")),
      existing,
      storePhotos,
      storeAlbums,
      photoForFile: Effect.fn("ExportRepository.photoForFile")((id: string) => findPhotoForFile(id).pipe(rowsAreOurs)),
      /** Entries of earlier imports of the photo with this many bytes. */
      imported: Effect.fn("ExportRepository.imported")((photoId: string, bytes: number) =>
        findImported({ photoId, bytes }).pipe(rowsAreOurs)
      ),
      recordFile,
      /** An entry whose bytes are already in the store: as a current file (`fileId`), or kept beside it (null). */
      recordEntry: Effect.fn("ExportRepository.recordEntry")((file: ImportedFile, fileId: number | null, now: number) =>
        insertEntry(file, fileId, now).pipe(Effect.asVoid)
      ),
      /** Photos known from the export only, files it brought, and files it kept beside a different download. */
      summary: SqlSchema.single({
        Request: Schema.Void,
        Result: Summary,
        execute: () =>
          sql`SELECT (SELECT count(*) FROM photos WHERE source = 'export') AS photos,
                (SELECT count(*) FROM files WHERE source = 'export') AS files,
                (SELECT count(*) FROM export_files WHERE file_id IS NULL) AS beside`
      })(undefined).pipe(rowsAreOurs, Effect.withSpan("ExportRepository.summary"))
    } as const
  })
}) {}

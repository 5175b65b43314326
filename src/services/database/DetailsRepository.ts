// The `photo_details`, `notes`, `photo_tags`, `exif`, `comments` and `photo_people` tables, and the
// queue of live photos whose details are missing or older than their record.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import type { CommentRow, ExifRow, NoteRow, PersonRow, PhotoInfo, TagRow } from "../../schema/Details.js"
import { batchedUpsert } from "./BatchedUpsert.js"
import { countOf, rowsAreOurs } from "./RepositoryHelpers.js"
import { searchDocuments } from "./SearchIndex.js"

const DETAIL_COLUMNS = [
  "last_update", "safety_level", "count_comments", "views", "has_people", "neighbourhood", "locality", "county",
  "region", "country", "photopage_url", "raw"
] as const

/** Built once: every photo of the queue goes through it. */
const UPSERT_DETAILS = `INSERT INTO photo_details (photo_id, for_last_update, fetched_at, error_code, error_message, ${DETAIL_COLUMNS.join(", ")})
  VALUES (?, ?, ?, NULL, NULL, ${DETAIL_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT (photo_id) DO UPDATE SET for_last_update = excluded.for_last_update, fetched_at = excluded.fetched_at,
    error_code = NULL, error_message = NULL, ${DETAIL_COLUMNS.map((c) => `${c} = excluded.${c}`).join(", ")}`

/**
 * A photo waiting for its details, with the last_update they will be read for; whether it is a
 * photo (videos have no EXIF worth a call), which original it has now (`original`: its
 * original secret), which original its EXIF was read for (`exif_for`), and the comment count
 * its comments were last read at (`comments_read_for`: null when never read).
 */
export const QueuedPhoto = Schema.Struct({
  id: Schema.String,
  last_update: Schema.NullOr(Schema.Number),
  media: Schema.String,
  original: Schema.String,
  exif_for: Schema.NullOr(Schema.String),
  comments_read_for: Schema.NullOr(Schema.Number),
  /** Where the photo's original is on disk, checked, when it has been downloaded. */
  original_file: Schema.NullOr(Schema.String)
})
export type QueuedPhoto = typeof QueuedPhoto.Type

interface Owned<Row> {
  readonly photoId: string
  readonly row: Row
  readonly now: number
}

export const upsertNotes = batchedUpsert<Owned<NoteRow>>({
  table: "notes",
  columns: ["photo_id", "note_id", "author", "author_name", "x", "y", "w", "h", "text", "first_seen_at"],
  conflict: `ON CONFLICT (photo_id, note_id) DO UPDATE SET author = excluded.author, author_name = excluded.author_name,
    x = excluded.x, y = excluded.y, w = excluded.w, h = excluded.h, text = excluded.text, removed_at = NULL`,
  valuesOf: ({ now, photoId, row }, into) => {
    into.push(photoId, row.note_id, row.author, row.author_name, row.x, row.y, row.w, row.h, row.text, now)
  }
})

export const upsertTags = batchedUpsert<Owned<TagRow>>({
  table: "photo_tags",
  columns: ["photo_id", "tag_id", "tag", "raw", "author", "author_name", "machine_tag", "first_seen_at"],
  conflict: `ON CONFLICT (photo_id, tag_id) DO UPDATE SET tag = excluded.tag, raw = excluded.raw, author = excluded.author,
    author_name = excluded.author_name, machine_tag = excluded.machine_tag, removed_at = NULL`,
  valuesOf: ({ now, photoId, row }, into) => {
    into.push(photoId, row.tag_id, row.tag, row.raw, row.author, row.author_name, row.machine_tag, now)
  }
})

export const upsertComments = batchedUpsert<Owned<CommentRow>>({
  table: "comments",
  columns: ["photo_id", "comment_id", "author", "author_name", "created", "permalink", "text", "raw", "first_seen_at"],
  conflict: `ON CONFLICT (photo_id, comment_id) DO UPDATE SET author = excluded.author, author_name = excluded.author_name,
    created = excluded.created, permalink = excluded.permalink, text = excluded.text, raw = excluded.raw, removed_at = NULL`,
  valuesOf: ({ now, photoId, row }, into) => {
    into.push(photoId, row.comment_id, row.author, row.author_name, row.created, row.permalink, row.text, row.raw, now)
  }
})

const upsertPeople = batchedUpsert<Owned<PersonRow>>({
  table: "photo_people",
  columns: ["photo_id", "nsid", "username", "realname", "path_alias", "added_by", "x", "y", "w", "h", "raw", "first_seen_at"],
  conflict: `ON CONFLICT (photo_id, nsid) DO UPDATE SET username = excluded.username, realname = excluded.realname,
    path_alias = excluded.path_alias, added_by = excluded.added_by, x = excluded.x, y = excluded.y, w = excluded.w,
    h = excluded.h, raw = excluded.raw, removed_at = NULL`,
  valuesOf: ({ now, photoId, row }, into) => {
    into.push(photoId, row.nsid, row.username, row.realname, row.path_alias, row.added_by, row.x, row.y, row.w, row.h, row.raw, now)
  }
})

/** Where a photo's EXIF was read: Flickr's getExif, or the downloaded original itself. */
export type ExifSource = "flickr" | "file"

export const insertExif = batchedUpsert<Owned<ExifRow> & { readonly source: ExifSource }>({
  table: "exif",
  columns: ["photo_id", "tagspace", "tag", "label", "raw", "clean", "source"],
  // Flickr can list a tag twice in one tagspace; the last one wins.
  conflict: "ON CONFLICT (photo_id, tagspace, tag) DO UPDATE SET label = excluded.label, raw = excluded.raw, clean = excluded.clean",
  valuesOf: ({ photoId, row, source }, into) => {
    into.push(photoId, row.tagspace, row.tag, row.label, row.raw, row.clean, source)
  }
})

/** Marks the photo's rows in `table` that are not in `ids` removed (an empty `ids`: all of them). */
export const markRemoved = (
  sql: SqlClient.SqlClient,
  table: "notes" | "photo_tags" | "comments" | "photo_people",
  key: "note_id" | "tag_id" | "comment_id" | "nsid",
  photoId: string, ids: ReadonlyArray<string>, now: number) =>
  ids.length === 0
    ? sql`UPDATE ${sql(table)} SET removed_at = ${now} WHERE photo_id = ${photoId} AND removed_at IS NULL`
    : sql`UPDATE ${sql(table)} SET removed_at = ${now}
          WHERE photo_id = ${photoId} AND removed_at IS NULL AND ${sql(key)} NOT IN ${sql.in(ids)}`

export class DetailsRepository extends Effect.Service<DetailsRepository>()("fbk/DetailsRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const documents = searchDocuments(sql)

    const findQueued = SqlSchema.findAll({
      Request: Schema.Number,
      Result: QueuedPhoto,
      execute: (limit) =>
        sql`SELECT p.id, p.last_update, p.media, COALESCE(p.original_secret, p.secret, '') AS original, d.exif_for,
                d.comments_read_for,
                (SELECT s.destination || '/' || f.path FROM files f JOIN file_store s ON s.id = 1
                   WHERE f.photo_id = p.id AND f.role = 'original' AND f.for_secret = p.original_secret) AS original_file
              FROM photos p LEFT JOIN photo_details d ON d.photo_id = p.id
              WHERE p.deleted_at IS NULL AND (d.photo_id IS NULL OR d.for_last_update IS NOT p.last_update)
              ORDER BY p.date_uploaded DESC, p.id DESC LIMIT ${limit}`
    })
    const queued = Effect.fn("DetailsRepository.queued")((limit: number) => findQueued(limit).pipe(rowsAreOurs))

    /** A photo's details as getInfo gave them, for `photo.last_update`, in one transaction. */
    const store = Effect.fn("DetailsRepository.store")(
      function*(photo: QueuedPhoto, info: PhotoInfo, now: number) {
        const values = DETAIL_COLUMNS.map((c) => info.details[c])
        yield* sql.unsafe(UPSERT_DETAILS, [photo.id, photo.last_update, now, ...values])
        yield* upsertNotes.run(sql, info.notes.map((row) => ({ photoId: photo.id, row, now })))
        yield* markRemoved(sql, "notes", "note_id", photo.id, info.notes.map((n) => n.note_id), now)
        yield* upsertTags.run(sql, info.tags.map((row) => ({ photoId: photo.id, row, now })))
        yield* markRemoved(sql, "photo_tags", "tag_id", photo.id, info.tags.map((t) => t.tag_id), now)
      },
      sql.withTransaction
    )

    /** Flickr refused this photo's details: recorded, the details read earlier kept, not asked again until it changes. */
    const storeError = Effect.fn("DetailsRepository.storeError")((photo: QueuedPhoto, code: number, message: string, now: number) =>
      sql`INSERT INTO photo_details (photo_id, for_last_update, fetched_at, error_code, error_message)
          VALUES (${photo.id}, ${photo.last_update}, ${now}, ${code}, ${message})
          ON CONFLICT (photo_id) DO UPDATE SET for_last_update = excluded.for_last_update, fetched_at = excluded.fetched_at,
            error_code = excluded.error_code, error_message = excluded.error_message`.pipe(Effect.asVoid)
    )

    /**
     * The photo's EXIF as read for original `photo.original`, replacing what was stored; a refusal
     * (`exif` as an error code) is recorded instead and not asked again for this original.
     */
    const storeExif = Effect.fn("DetailsRepository.storeExif")(
      function*(
        photo: QueuedPhoto,
        exif: ReadonlyArray<ExifRow> | { readonly refused: number },
        now: number,
        source: ExifSource
      ) {
        if ("refused" in exif) {
          yield* sql`UPDATE photo_details SET exif_for = ${photo.original}, exif_error_code = ${exif.refused}
                     WHERE photo_id = ${photo.id}`
          return
        }
        yield* sql`DELETE FROM exif WHERE photo_id = ${photo.id}`
        yield* insertExif.run(sql, exif.map((row) => ({ photoId: photo.id, row, now, source })))
        yield* sql`UPDATE photo_details SET exif_for = ${photo.original}, exif_error_code = NULL WHERE photo_id = ${photo.id}`
      },
      sql.withTransaction
    )

    /** All of the photo's comments now, read when getInfo counted `count` (none: every stored one is marked removed). */
    const storeComments = Effect.fn("DetailsRepository.storeComments")(
      function*(photo: QueuedPhoto, comments: ReadonlyArray<CommentRow>, count: number, now: number) {
        yield* upsertComments.run(sql, comments.map((row) => ({ photoId: photo.id, row, now })))
        yield* markRemoved(sql, "comments", "comment_id", photo.id, comments.map((c) => c.comment_id), now)
        yield* sql`UPDATE photo_details SET comments_read_for = ${count} WHERE photo_id = ${photo.id}`
      },
      sql.withTransaction
    )

    /** Everyone marked in the photo now (none: every stored one is marked removed). */
    const storePeople = Effect.fn("DetailsRepository.storePeople")(
      function*(photo: QueuedPhoto, people: ReadonlyArray<PersonRow>, now: number) {
        yield* upsertPeople.run(sql, people.map((row) => ({ photoId: photo.id, row, now })))
        yield* markRemoved(sql, "photo_people", "nsid", photo.id, people.map((p) => p.nsid), now)
      },
      sql.withTransaction
    )

    /** The photo's search document rebuilt from what is stored now (last, in the photo's transaction). */
    const reindex = Effect.fn("DetailsRepository.reindex")((photo: QueuedPhoto) => documents.refresh([photo.id]))

    return {
      /** Runs `self` in one transaction (the parts of one photo commit together). */
      transaction: <A, E, R>(self: Effect.Effect<A, E, R>) =>
        sql.withTransaction(self).pipe(Effect.withSpan("DetailsRepository.transaction")),
      queued,
      store,
      storeExif,
      storeComments,
      storePeople,
      reindex,
      storeError,
      countQueued: countOf(sql`SELECT count(*) AS n FROM photos p LEFT JOIN photo_details d ON d.photo_id = p.id
        WHERE p.deleted_at IS NULL AND (d.photo_id IS NULL OR d.for_last_update IS NOT p.last_update)`).pipe(
          Effect.withSpan("DetailsRepository.countQueued")
        ),
      countWithDetails: countOf(sql`SELECT count(*) AS n FROM photo_details d JOIN photos p ON p.id = d.photo_id
        WHERE p.deleted_at IS NULL AND d.error_code IS NULL AND d.raw IS NOT NULL`).pipe(
          Effect.withSpan("DetailsRepository.countWithDetails")
        ),
      countFailed: countOf(sql`SELECT count(*) AS n FROM photo_details d JOIN photos p ON p.id = d.photo_id
        WHERE p.deleted_at IS NULL AND d.error_code IS NOT NULL`).pipe(Effect.withSpan("DetailsRepository.countFailed"))
    } as const
  })
}) {}

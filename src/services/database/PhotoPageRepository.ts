// Everything the archive holds about one photo, for its page in the viewer: each part one query
// on an index that starts with the photo's id.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsAreOurs } from "./RepositoryHelpers.js"

export const Text = Schema.NullOr(Schema.String)
export const Num = Schema.NullOr(Schema.Number)

export const PhotoRecord = Schema.Struct({
  id: Schema.String,
  owner: Text,
  path_alias: Text,
  title: Text,
  description: Text,
  media: Schema.String,
  date_taken: Text,
  date_taken_granularity: Num,
  date_taken_unknown: Schema.Number,
  date_uploaded: Num,
  last_update: Num,
  width: Num,
  height: Num,
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
  accuracy: Num,
  source: Schema.String,
  raw: Schema.String,
  deleted_at: Num
})
export type PhotoRecord = typeof PhotoRecord.Type

/** What getInfo added: counts, safety, place names (`error_code`: Flickr refused the details). */
export const PhotoDetails = Schema.Struct({
  fetched_at: Schema.Number,
  error_code: Num,
  safety_level: Num,
  views: Num,
  count_comments: Num,
  neighbourhood: Text,
  locality: Text,
  county: Text,
  region: Text,
  country: Text
})
export type PhotoDetails = typeof PhotoDetails.Type

export const AlbumLink = Schema.Struct({ id: Schema.String, title: Text })
export type AlbumLink = typeof AlbumLink.Type

/** One collection on the way from an album up to the root (`depth` 0: the one holding the album). */
export const CollectionStep = Schema.Struct({
  album_id: Schema.String,
  start_id: Schema.String,
  id: Schema.String,
  title: Text,
  depth: Schema.Number
})
export type CollectionStep = typeof CollectionStep.Type

export const TagEntry = Schema.Struct({ tag: Text, raw: Text, machine_tag: Schema.Number })
export type TagEntry = typeof TagEntry.Type

export const NoteEntry = Schema.Struct({
  note_id: Schema.String,
  author_name: Text,
  x: Num,
  y: Num,
  w: Num,
  h: Num,
  text: Text
})
export type NoteEntry = typeof NoteEntry.Type

export const CommentEntry = Schema.Struct({
  comment_id: Schema.String,
  author: Text,
  author_name: Text,
  created: Num,
  permalink: Text,
  text: Text
})
export type CommentEntry = typeof CommentEntry.Type

export const PersonEntry = Schema.Struct({ nsid: Schema.String, username: Text, realname: Text, path_alias: Text })
export type PersonEntry = typeof PersonEntry.Type

export const ExifEntry = Schema.Struct({ tagspace: Schema.String, tag: Schema.String, label: Text, raw: Text, clean: Text, source: Schema.String })
export type ExifEntry = typeof ExifEntry.Type

/** An earlier version of the record: what it was until `replaced_at`. */
export const RevisionEntry = Schema.Struct({ id: Schema.Number, raw: Schema.String, replaced_at: Schema.Number })
export type RevisionEntry = typeof RevisionEntry.Type

/** A file of the photo's in the store (the current one, or an original kept after being replaced). */
export const StoredFile = Schema.Struct({
  path: Schema.String,
  role: Schema.String,
  bytes: Schema.Number,
  sha256: Schema.String,
  source: Schema.String,
  fetched_at: Schema.Number,
  verified_at: Schema.Number,
  not_original_reason: Text
})
export type StoredFile = typeof StoredFile.Type

/** A copy on the user's own disks that `fbk link` matched to the photo. */
export const DiskCopy = Schema.Struct({ path: Schema.String, method: Schema.String, linked_at: Schema.Number, size: Schema.Number, gone_at: Num })
export type DiskCopy = typeof DiskCopy.Type

/**
 * From each album of `photoIds` up through collection_albums and parent_id to the root, nearest
 * first; the depth bound stops a cycle a hand-edited database could hold.
 */
export const collectionStepsOf = (sql: SqlClient.SqlClient, photoIds: ReadonlyArray<string>) =>
  sql`WITH RECURSIVE up(album_id, start_id, id, parent_id, title, depth) AS (
        SELECT ca.album_id, c.id, c.id, c.parent_id, c.title, 0
        FROM collection_albums ca
        JOIN collections c ON c.id = ca.collection_id AND c.deleted_at IS NULL
        WHERE ca.removed_at IS NULL AND ca.album_id IN (
          SELECT album_id FROM album_photos WHERE photo_id IN ${sql.in(photoIds)} AND removed_at IS NULL)
        UNION ALL
        SELECT up.album_id, up.start_id, c.id, c.parent_id, c.title, up.depth + 1
        FROM up JOIN collections c ON c.id = up.parent_id AND c.deleted_at IS NULL
        WHERE up.depth < 64
      )
      SELECT album_id, start_id, id, title, depth FROM up ORDER BY album_id, start_id, depth`

export class PhotoPageRepository extends Effect.Service<PhotoPageRepository>()("fbk/PhotoPageRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findRecord = SqlSchema.findOne({
      Request: Schema.String,
      Result: PhotoRecord,
      execute: (id) =>
        sql`SELECT id, owner, path_alias, title, description, media, date_taken, date_taken_granularity, date_taken_unknown,
                   date_uploaded, last_update, width, height, tags, machine_tags, license, is_public, is_friend, is_family, views,
                   count_faves, count_comments, latitude, longitude, accuracy, source, raw, deleted_at
            FROM photos WHERE id = ${id}`
    })
    const findDetails = SqlSchema.findOne({
      Request: Schema.String,
      Result: PhotoDetails,
      execute: (id) =>
        sql`SELECT fetched_at, error_code, safety_level, views, count_comments, neighbourhood, locality, county, region, country
            FROM photo_details WHERE photo_id = ${id}`
    })
    const findAlbums = SqlSchema.findAll({
      Request: Schema.String,
      Result: AlbumLink,
      execute: (id) =>
        sql`SELECT a.id, a.title FROM album_photos ap JOIN albums a ON a.id = ap.album_id
            WHERE ap.photo_id = ${id} AND ap.removed_at IS NULL AND a.deleted_at IS NULL
            ORDER BY a.title, a.id`
    })
    const findCollections = SqlSchema.findAll({
      Request: Schema.String,
      Result: CollectionStep,
      execute: (id) => collectionStepsOf(sql, [id])
    })
    const findTags = SqlSchema.findAll({
      Request: Schema.String,
      Result: TagEntry,
      execute: (id) =>
        sql`SELECT tag, raw, machine_tag FROM photo_tags WHERE photo_id = ${id} AND removed_at IS NULL ORDER BY rowid`
    })
    const findNotes = SqlSchema.findAll({
      Request: Schema.String,
      Result: NoteEntry,
      execute: (id) =>
        sql`SELECT note_id, author_name, x, y, w, h, text FROM notes WHERE photo_id = ${id} AND removed_at IS NULL ORDER BY note_id`
    })
    const findComments = SqlSchema.findAll({
      Request: Schema.String,
      Result: CommentEntry,
      execute: (id) =>
        sql`SELECT comment_id, author, author_name, created, permalink, text FROM comments
            WHERE photo_id = ${id} AND removed_at IS NULL ORDER BY created, comment_id`
    })
    const findPeople = SqlSchema.findAll({
      Request: Schema.String,
      Result: PersonEntry,
      execute: (id) =>
        sql`SELECT nsid, username, realname, path_alias FROM photo_people WHERE photo_id = ${id} AND removed_at IS NULL ORDER BY rowid`
    })
    const findExif = SqlSchema.findAll({
      Request: Schema.String,
      Result: ExifEntry,
      execute: (id) => sql`SELECT tagspace, tag, label, raw, clean, source FROM exif WHERE photo_id = ${id} ORDER BY rowid`
    })
    const findRevisions = SqlSchema.findAll({
      Request: Schema.String,
      Result: RevisionEntry,
      execute: (id) => sql`SELECT id, raw, replaced_at FROM photo_revisions WHERE photo_id = ${id} ORDER BY id`
    })
    const findFiles = SqlSchema.findAll({
      Request: Schema.String,
      Result: StoredFile,
      execute: (id) =>
        sql`SELECT path, role, bytes, sha256, source, fetched_at, verified_at, not_original_reason FROM files
            WHERE photo_id = ${id} ORDER BY role = 'replaced', fetched_at DESC, id DESC`
    })
    const findCopies = SqlSchema.findAll({
      Request: Schema.String,
      Result: DiskCopy,
      execute: (id) =>
        sql`SELECT l.path, l.method, l.linked_at, d.size, d.gone_at FROM photo_links l JOIN disk_files d ON d.path = l.path
            WHERE l.photo_id = ${id} ORDER BY l.path`
    })

    return {
      /** The photo's record, if the archive has the photo. */
      record: Effect.fn("PhotoPageRepository.record")((id: string) => findRecord(id).pipe(rowsAreOurs)),
      /** What `fbk details` read of the photo, if it ran for it. */
      details: Effect.fn("PhotoPageRepository.details")((id: string) => findDetails(id).pipe(rowsAreOurs)),
      /** The live albums the photo is in. */
      albums: Effect.fn("PhotoPageRepository.albums")((id: string) => findAlbums(id).pipe(rowsAreOurs)),
      /** The collections above each of the photo's albums, a path per placement, nearest first. */
      collections: Effect.fn("PhotoPageRepository.collections")((id: string) => findCollections(id).pipe(rowsAreOurs)),
      /** The photo's tags as getInfo gave them (raw as typed, machine tags marked). */
      tags: Effect.fn("PhotoPageRepository.tags")((id: string) => findTags(id).pipe(rowsAreOurs)),
      notes: Effect.fn("PhotoPageRepository.notes")((id: string) => findNotes(id).pipe(rowsAreOurs)),
      /** The live comments, oldest first. */
      comments: Effect.fn("PhotoPageRepository.comments")((id: string) => findComments(id).pipe(rowsAreOurs)),
      people: Effect.fn("PhotoPageRepository.people")((id: string) => findPeople(id).pipe(rowsAreOurs)),
      exif: Effect.fn("PhotoPageRepository.exif")((id: string) => findExif(id).pipe(rowsAreOurs)),
      /** The earlier versions of the record, oldest first. */
      revisions: Effect.fn("PhotoPageRepository.revisions")((id: string) => findRevisions(id).pipe(rowsAreOurs)),
      /** The photo's files in the store: the current one first, then replaced originals kept. */
      files: Effect.fn("PhotoPageRepository.files")((id: string) => findFiles(id).pipe(rowsAreOurs)),
      /** The copies on the user's disks matched to the photo. */
      diskCopies: Effect.fn("PhotoPageRepository.diskCopies")((id: string) => findCopies(id).pipe(rowsAreOurs))
    } as const
  })
}) {}

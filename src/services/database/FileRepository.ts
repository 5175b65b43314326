// The `file_store`, `files` and `file_problems` tables: where the files live, every file fetched
// with its hash and the secret it was fetched for, and the photos whose file could not be had.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { countBy, countOf, rowsAreOurs } from "./RepositoryHelpers.js"

/** What a photo's file is: its original, a video's original, the largest size Flickr offers, an earlier one, or a video's poster. */
export const FileRole = Schema.Literal("original", "video original", "largest available", "replaced", "poster")
export type FileRole = typeof FileRole.Type

/** A live photo whose current file is missing, or was fetched for an earlier original (replaced since). */
export const WantedPhoto = Schema.Struct({
  id: Schema.String,
  media: Schema.String,
  secret: Schema.NullOr(Schema.String),
  original_secret: Schema.NullOr(Schema.String),
  original_format: Schema.NullOr(Schema.String),
  url_o: Schema.NullOr(Schema.String),
  width: Schema.NullOr(Schema.Number),
  height: Schema.NullOr(Schema.Number),
  date_taken: Schema.NullOr(Schema.String),
  date_taken_unknown: Schema.Number,
  /** The file kept for an earlier original, when there is one. */
  current_id: Schema.NullOr(Schema.Number),
  current_path: Schema.NullOr(Schema.String),
  current_fetched_at: Schema.NullOr(Schema.Number),
  /** 1 when a problem is recorded for its current original (asked for with the problems only). */
  problem: Schema.Number
})
export type WantedPhoto = typeof WantedPhoto.Type

/** A file fetched and checked, as it is recorded. */
export interface FetchedFile {
  readonly photoId: string
  readonly role: Exclude<FileRole, "replaced">
  readonly path: string
  readonly bytes: number
  readonly sha256: string
  readonly sourceUrl: string
  readonly forSecret: string | null
  readonly notOriginalReason: string | null
}

export const StoredFile = Schema.Struct({
  id: Schema.Number,
  photo_id: Schema.String,
  role: FileRole,
  path: Schema.String,
  bytes: Schema.Number,
  sha256: Schema.String,
  source_url: Schema.String
})
export type StoredFile = typeof StoredFile.Type

export const MediaFilter = Schema.Literal("all", "photos", "videos")
export type MediaFilter = typeof MediaFilter.Type

/** How album folders reach the files in `originals/`. */
export const LinkMode = Schema.Literal("symlink", "hardlink", "copy")
export type LinkMode = typeof LinkMode.Type

const mediaClause = (sql: SqlClient.SqlClient, only: MediaFilter) =>
  only === "photos" ? sql`AND p.media <> 'video'` : only === "videos" ? sql`AND p.media = 'video'` : sql``

export class FileRepository extends Effect.Service<FileRepository>()("fbk/FileRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findDestination = SqlSchema.findOne({
      Request: Schema.Void,
      Result: Schema.Struct({ destination: Schema.String }),
      execute: () => sql`SELECT destination FROM file_store WHERE id = 1`
    })

    const problemFor = sql`EXISTS (SELECT 1 FROM file_problems x
                                   WHERE x.photo_id = p.id AND x.for_secret IS coalesce(p.original_secret, p.secret))`
    /** Live photos without a file for their current original, nor (unless `withProblems`) a problem recorded for it. */
    const wantedWhere = (only: MediaFilter, withProblems: boolean) =>
      sql`FROM photos p
          LEFT JOIN files f ON f.photo_id = p.id AND f.role NOT IN ('replaced', 'poster')
          WHERE p.deleted_at IS NULL ${mediaClause(sql, only)}
            AND (f.id IS NULL OR f.for_secret IS NOT coalesce(p.original_secret, p.secret))
            ${withProblems ? sql`` : sql`AND NOT ${problemFor}`}`

    const WantedQuery = Schema.Struct({ only: MediaFilter, withProblems: Schema.Boolean })
    const findWanted = SqlSchema.findAll({
      Request: Schema.Struct({ ...WantedQuery.fields, after: Schema.NullOr(Schema.String), limit: Schema.Number }),
      Result: WantedPhoto,
      execute: ({ after, limit, only, withProblems }) =>
        sql`SELECT p.id, p.media, p.secret, p.original_secret, p.original_format, p.url_o, p.width, p.height,
              p.date_taken, p.date_taken_unknown, f.id AS current_id, f.path AS current_path,
              f.fetched_at AS current_fetched_at, ${withProblems ? problemFor : sql`0`} AS problem
            ${wantedWhere(only, withProblems)} AND (${after} IS NULL OR p.id > ${after})
            ORDER BY p.id LIMIT ${limit}`
    })

    /** Live videos whose poster (their url_o, a JPEG) is not recorded for their current secret. */
    const posterWhere = sql`FROM photos p
          LEFT JOIN files f ON f.photo_id = p.id AND f.role = 'poster'
          WHERE p.deleted_at IS NULL AND p.media = 'video' AND p.url_o IS NOT NULL
            AND (f.id IS NULL OR f.for_secret IS NOT coalesce(p.original_secret, p.secret))`

    const findWantedPosters = SqlSchema.findAll({
      Request: Schema.Struct({ after: Schema.NullOr(Schema.String), limit: Schema.Number }),
      Result: WantedPhoto,
      execute: ({ after, limit }) =>
        sql`SELECT p.id, p.media, p.secret, p.original_secret, p.original_format, p.url_o, p.width, p.height,
              p.date_taken, p.date_taken_unknown, f.id AS current_id, f.path AS current_path,
              f.fetched_at AS current_fetched_at, 0 AS problem
            ${posterWhere} AND (${after} IS NULL OR p.id > ${after})
            ORDER BY p.id LIMIT ${limit}`
    })

    const countWantedOf = countBy(WantedQuery, ({ only, withProblems }) => sql`SELECT count(*) AS n ${wantedWhere(only, withProblems)}`)
    /** How many photos' files are wanted; `withProblems`: also those recorded as problems (what --retry-problems asks for). */
    const countWanted = Effect.fn("FileRepository.countWanted")((only: MediaFilter, withProblems = false) =>
      countWantedOf({ only, withProblems })
    )

    /** Records a file fetched and checked, and forgets any problem the photo had, in one transaction. */
    const record = Effect.fn("FileRepository.record")(
      function*(file: FetchedFile, now: number) {
        yield* sql`INSERT INTO files ${
          sql.insert({
            photo_id: file.photoId,
            role: file.role,
            path: file.path,
            bytes: file.bytes,
            sha256: file.sha256,
            source_url: file.sourceUrl,
            for_secret: file.forSecret,
            fetched_at: now,
            verified_at: now,
            not_original_reason: file.notOriginalReason
          })
        }`
        // A poster says nothing about the video's own file, nor the problem recorded for it.
        if (file.role !== "poster") yield* sql`DELETE FROM file_problems WHERE photo_id = ${file.photoId}`
      },
      sql.withTransaction
    )

    /** Why a photo's file could not be had; it is not asked for again until its original changes. */
    const recordProblem = Effect.fn("FileRepository.recordProblem")(
      (photoId: string, forSecret: string | null, problem: string, url: string | null, now: number) =>
        sql`INSERT INTO file_problems (photo_id, for_secret, problem, url, at) VALUES (${photoId}, ${forSecret}, ${problem}, ${url}, ${now})
            ON CONFLICT (photo_id) DO UPDATE SET for_secret = excluded.for_secret, problem = excluded.problem, url = excluded.url,
              at = excluded.at, attempts = file_problems.attempts + 1`.pipe(Effect.asVoid)
    )

    const Summary = Schema.Struct({
      files: Schema.Number,
      bytes: Schema.Number,
      not_original: Schema.Number,
      replaced: Schema.Number,
      posters: Schema.Number
    })
    const summary = SqlSchema.single({
      Request: Schema.Void,
      Result: Summary,
      execute: () =>
        sql`SELECT count(*) FILTER (WHERE role NOT IN ('replaced', 'poster')) AS files, coalesce(sum(bytes), 0) AS bytes,
              count(*) FILTER (WHERE role = 'largest available') AS not_original,
              count(*) FILTER (WHERE role = 'replaced') AS replaced,
              count(*) FILTER (WHERE role = 'poster') AS posters
            FROM files`
    })(undefined).pipe(rowsAreOurs, Effect.withSpan("FileRepository.summary"))

    /** The file kept for an earlier original, now at `path`, is no longer the photo's current one. */
    const markReplaced = Effect.fn("FileRepository.markReplaced")((fileId: number, path: string) =>
      sql`UPDATE files SET role = 'replaced', path = ${path} WHERE id = ${fileId}`.pipe(Effect.asVoid)
    )

    const countWithoutFileOf = countBy(
      Schema.Array(Schema.String),
      (photoIds) =>
        sql`SELECT count(*) AS n FROM photos p WHERE p.id IN ${sql.in(photoIds)}
            AND NOT EXISTS (SELECT 1 FROM files f WHERE f.photo_id = p.id AND f.role NOT IN ('replaced', 'poster'))`
    )
    /** Of these photos, how many have no current file. */
    const countWithoutFile = Effect.fn("FileRepository.countWithoutFile")((photoIds: ReadonlyArray<string>) =>
      photoIds.length === 0 ? Effect.succeed(0) : countWithoutFileOf(photoIds)
    )

    const findFilesAfter = SqlSchema.findAll({
      Request: Schema.Struct({ afterId: Schema.Number, limit: Schema.Number }),
      Result: StoredFile,
      execute: ({ afterId, limit }) =>
        sql`SELECT id, photo_id, role, path, bytes, sha256, source_url FROM files WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`
    })

    const findLinks = SqlSchema.findOne({
      Request: Schema.Void,
      Result: Schema.Struct({ links: LinkMode }),
      execute: () => sql`SELECT links FROM file_store WHERE id = 1`
    })

    /** About `size` recorded files spread evenly over the table (all of them when there are fewer). */
    const findSample = SqlSchema.findAll({
      Request: Schema.Number,
      Result: Schema.Struct({ path: Schema.String, bytes: Schema.Number }),
      execute: (size) =>
        sql`SELECT path, bytes FROM (SELECT path, bytes, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM files)
            WHERE (n * ${size}) % total < ${size} ORDER BY n LIMIT ${size}`
    })
    const sampleFiles = Effect.fn("FileRepository.sampleFiles")((size: number) => findSample(size).pipe(rowsAreOurs))

    return {
      sampleFiles,
      /** Every recorded file, in pages of `limit` after `afterId`. */
      filesAfter: Effect.fn("FileRepository.filesAfter")((afterId: number, limit: number) =>
        findFilesAfter({ afterId, limit }).pipe(rowsAreOurs)
      ),
      markReplaced,
      countWithoutFile,
      /** These files were read back and their bytes are the ones recorded. */
      markVerified: Effect.fn("FileRepository.markVerified")((ids: ReadonlyArray<number>, now: number) =>
        ids.length === 0 ? Effect.void : sql`UPDATE files SET verified_at = ${now} WHERE id IN ${sql.in(ids)}`.pipe(Effect.asVoid)
      ),
      /** Forgets files that are gone or altered on disk, so the next download fetches them again. */
      /** Forgets files (to be fetched again); an export import that brought one is forgotten with it, so a new import lands it again. */
      forget: Effect.fn("FileRepository.forget")((ids: ReadonlyArray<number>) =>
        ids.length === 0 ? Effect.void : Effect.zipRight(
          sql`DELETE FROM export_files WHERE file_id IN ${sql.in(ids)}`,
          sql`DELETE FROM files WHERE id IN ${sql.in(ids)}`
        ).pipe(Effect.asVoid, sql.withTransaction)
      ),
      destination: findDestination(undefined).pipe(
        rowsAreOurs,
        Effect.map(Option.map((r) => r.destination)),
        Effect.withSpan("FileRepository.destination")
      ),
      /** How album folders reach the files, as last chosen (symbolic links until then). */
      links: findLinks(undefined).pipe(
        rowsAreOurs,
        Effect.map(Option.match({ onNone: () => "symlink" as const, onSome: (r) => r.links })),
        Effect.withSpan("FileRepository.links")
      ),
      setLinks: Effect.fn("FileRepository.setLinks")((links: LinkMode) =>
        sql`UPDATE file_store SET links = ${links} WHERE id = 1`.pipe(Effect.asVoid)
      ),
      setDestination: Effect.fn("FileRepository.setDestination")((destination: string, now: number) =>
        sql`INSERT INTO file_store (id, destination, created_at) VALUES (1, ${destination}, ${now})`.pipe(Effect.asVoid)
      ),
      /** The store's folder was moved: the recorded paths are relative to it, so only its place changes. */
      moveDestination: Effect.fn("FileRepository.moveDestination")((destination: string) =>
        sql`UPDATE file_store SET destination = ${destination} WHERE id = 1`.pipe(Effect.asVoid)
      ),
      wanted: Effect.fn("FileRepository.wanted")((only: MediaFilter, after: string | null, limit: number, withProblems = false) =>
        findWanted({ only, withProblems, after, limit }).pipe(rowsAreOurs)
      ),
      countWanted,
      /** Videos whose poster is to be fetched, `limit` after `after` by id. */
      wantedPosters: Effect.fn("FileRepository.wantedPosters")((after: string | null, limit: number) =>
        findWantedPosters({ after, limit }).pipe(rowsAreOurs)
      ),
      countWantedPosters: countOf(sql`SELECT count(*) AS n ${posterWhere}`).pipe(Effect.withSpan("FileRepository.countWantedPosters")),
      record,
      recordProblem,
      /** Runs `self` in one transaction: a batch of outcomes is one commit, not one a file. */
      transaction: <A, E, R>(self: Effect.Effect<A, E, R>) =>
        sql.withTransaction(self).pipe(Effect.withSpan("FileRepository.transaction")),
      clearProblems: sql`DELETE FROM file_problems`.pipe(Effect.asVoid, Effect.withSpan("FileRepository.clearProblems")),
      summary,
      /** Current files of photos still on Flickr: a deleted photo's file is kept, but is not one of theirs. */
      countLiveFiles: countOf(sql`SELECT count(*) AS n FROM files f JOIN photos p ON p.id = f.photo_id
                                  WHERE p.deleted_at IS NULL AND f.role NOT IN ('replaced', 'poster')`).pipe(
        Effect.withSpan("FileRepository.countLiveFiles")
      ),
      countProblems: countOf(sql`SELECT count(*) AS n FROM file_problems x JOIN photos p ON p.id = x.photo_id
                                 WHERE p.deleted_at IS NULL AND x.for_secret IS coalesce(p.original_secret, p.secret)`).pipe(
        Effect.withSpan("FileRepository.countProblems")
      )
    } as const
  })
}) {}

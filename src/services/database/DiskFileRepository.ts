// The `disk_files`, `photo_links` and `link_state` tables: files on the user's disks as last read,
// which Flickr photo each one is, and what the last `fbk link` run saw.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import type { FlickrPhoto, MatchResult, MediaFacts, MediaReading } from "../../schema/Link.js"
import { batchedUpsert } from "./BatchedUpsert.js"
import { countOf, rowsAreOurs } from "./RepositoryHelpers.js"

/** A file as the table last saw it: enough to tell whether it changed since. */
export const KnownFile = Schema.Struct({
  path: Schema.String,
  size: Schema.Number,
  mtime_ms: Schema.Number,
  gone_at: Schema.NullOr(Schema.Number)
})
export type KnownFile = typeof KnownFile.Type

/** A file read in this run: its size, time and hash, and its metadata or why it could not be read. */
export interface ReadFile {
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
  readonly sha256: string | null
  readonly facts: MediaFacts | null
  readonly problem: string | null
}

/** A present file still to be matched, as the matcher needs it, with the link it has now. */
export const PendingFile = Schema.Struct({
  path: Schema.String,
  sha256: Schema.String,
  taken: Schema.NullOr(Schema.String),
  taken_from: Schema.NullOr(Schema.Literal("exif", "video")),
  subsec: Schema.NullOr(Schema.String),
  make: Schema.NullOr(Schema.String),
  model: Schema.NullOr(Schema.String),
  width: Schema.NullOr(Schema.Number),
  height: Schema.NullOr(Schema.Number),
  orientation: Schema.NullOr(Schema.Number),
  latitude: Schema.NullOr(Schema.Number),
  longitude: Schema.NullOr(Schema.Number),
  linked_to: Schema.NullOr(Schema.String),
  linked_by: Schema.NullOr(Schema.Literal("sha256", "exif", "title")),
  linked_agreed: Schema.NullOr(Schema.String)
})
export type PendingFile = typeof PendingFile.Type

/** A link held by a file that is gone from disk: a file with its bytes found elsewhere keeps it. */
export const GoneLink = Schema.Struct({
  sha256: Schema.String,
  path: Schema.String,
  photo_id: Schema.String,
  method: Schema.Literal("sha256", "exif", "title"),
  agreed: Schema.String
})
export type GoneLink = typeof GoneLink.Type

const FlickrRow = Schema.Struct({
  id: Schema.String,
  title: Schema.NullOr(Schema.String),
  date_taken: Schema.NullOr(Schema.String),
  date_taken_unknown: Schema.Number,
  width: Schema.NullOr(Schema.Number),
  height: Schema.NullOr(Schema.Number),
  make: Schema.NullOr(Schema.String),
  model: Schema.NullOr(Schema.String),
  subsec: Schema.NullOr(Schema.String)
})

const FileHash = Schema.Struct({ photo_id: Schema.String, sha256: Schema.String })

export const LinkCounts = Schema.Struct({
  files: Schema.Number,
  linked: Schema.Number,
  ambiguous: Schema.Number,
  only_on_disk: Schema.Number,
  unreadable: Schema.Number,
  gone: Schema.Number
})
export type LinkCounts = typeof LinkCounts.Type

const ListedFile = Schema.Struct({ path: Schema.String, detail: Schema.NullOr(Schema.String) })
const ListedPhoto = Schema.Struct({ id: Schema.String, title: Schema.NullOr(Schema.String), date_taken: Schema.NullOr(Schema.String) })
const DifferingFile = Schema.Struct({ path: Schema.String, photo_id: Schema.String, method: Schema.String, store_path: Schema.String })

/** The files a run found, as the report lists them. */
export const ReportList = Schema.Literal("ambiguous", "only on disk", "unreadable")
export type ReportList = typeof ReportList.Type

const READ_COLUMNS = [
  "path", "size", "mtime_ms", "sha256", "taken", "taken_from", "subsec", "make", "model", "width", "height", "orientation",
  "latitude", "longitude", "problem", "state", "candidates", "read_at", "seen_run", "gone_at"
]

const upsertRead = (readAt: number, run: number) =>
  batchedUpsert<ReadFile>({
    table: "disk_files",
    columns: READ_COLUMNS,
    conflict: `ON CONFLICT (path) DO UPDATE SET ${READ_COLUMNS.filter((c) => c !== "path").map((c) => `${c} = excluded.${c}`).join(", ")}`,
    valuesOf: (f, into) => {
      const facts = f.facts
      into.push(
        f.path, f.size, f.mtimeMs, f.sha256, facts?.taken ?? null, facts?.takenFrom ?? null, facts?.subsec ?? null,
        facts?.make ?? null, facts?.model ?? null, facts?.width ?? null, facts?.height ?? null, facts?.orientation ?? null,
        facts?.latitude ?? null, facts?.longitude ?? null, f.problem, f.problem === null ? "unmatched" : "unreadable", null,
        readAt, run, null
      )
    }
  })

/** `path` is `root` or below it: a range over the primary key, so it reads only that folder's rows. */
const underRoot = (sql: SqlClient.SqlClient, root: string) => {
  const prefix = root.endsWith("/") ? root : `${root}/`
  const after = `${prefix.slice(0, -1)}0` // "0" sorts right after "/"
  return sql`(path >= ${prefix} AND path < ${after})`
}

export class DiskFileRepository extends Effect.Service<DiskFileRepository>()("fbk/DiskFileRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const lastRun = countOf(sql`SELECT last_run AS n FROM link_state WHERE id = 1`)

    /** Starts a run: its number marks every file it sees, so the ones it did not see are gone. */
    const beginRun = Effect.gen(function*() {
      yield* sql`INSERT INTO link_state (id, last_run, flickr_fingerprint) VALUES (1, 1, '')
                 ON CONFLICT (id) DO UPDATE SET last_run = last_run + 1`
      return yield* lastRun
    }).pipe(Effect.withSpan("DiskFileRepository.beginRun"))

    const findKnown = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: KnownFile,
      execute: (paths) => sql`SELECT path, size, mtime_ms, gone_at FROM disk_files WHERE path IN ${sql.in(paths)}`
    })

    const known = Effect.fn("DiskFileRepository.known")((paths: ReadonlyArray<string>) =>
      paths.length === 0 ? Effect.succeed([] as ReadonlyArray<KnownFile>) : findKnown(paths).pipe(rowsAreOurs)
    )

    /** Files unchanged since they were read, seen again; one back from being gone is matched again. */
    const markSeen = Effect.fn("DiskFileRepository.markSeen")((paths: ReadonlyArray<string>, run: number) =>
      paths.length === 0
        ? Effect.void
        : sql`UPDATE disk_files SET seen_run = ${run},
                state = CASE WHEN gone_at IS NULL THEN state WHEN problem IS NULL THEN 'unmatched' ELSE 'unreadable' END,
                gone_at = NULL
              WHERE path IN ${sql.in(paths)}`.pipe(Effect.asVoid)
    )

    /** Files read in this run, their earlier link dropped: their content may be another photo's now. */
    const saveRead = Effect.fn("DiskFileRepository.saveRead")((files: ReadonlyArray<ReadFile>, run: number, now: number) =>
      files.length === 0 ? Effect.void : Effect.gen(function*() {
        yield* sql`DELETE FROM photo_links WHERE path IN ${sql.in(files.map((f) => f.path))}`
        yield* upsertRead(now, run).run(sql, files)
      }).pipe(sql.withTransaction)
    )

    /**
     * Files under `root` this run did not see: gone from disk (their links go once matching has
     * used them). Files under `unread` folders (which could not be opened) are not known to be gone.
     */
    const markGone = Effect.fn("DiskFileRepository.markGone")((root: string, unread: ReadonlyArray<string>, run: number, now: number) =>
      sql`UPDATE disk_files SET gone_at = ${now}
          WHERE ${underRoot(sql, root)} AND seen_run < ${run} AND gone_at IS NULL
            ${unread.reduce((clause, folder) => sql`${clause} AND NOT ${underRoot(sql, folder)}`, sql``)}`.pipe(Effect.asVoid)
    )

    const goneLinks = SqlSchema.findAll({
      Request: Schema.Void,
      Result: GoneLink,
      execute: () =>
        sql`SELECT d.sha256, d.path, l.photo_id, l.method, l.agreed FROM photo_links l JOIN disk_files d ON d.path = l.path
            WHERE d.gone_at IS NOT NULL AND d.sha256 IS NOT NULL`
    })(undefined).pipe(rowsAreOurs, Effect.withSpan("DiskFileRepository.goneLinks"))

    const dropGoneLinks = sql`DELETE FROM photo_links WHERE path IN (SELECT path FROM disk_files WHERE gone_at IS NOT NULL)`.pipe(
      Effect.asVoid,
      Effect.withSpan("DiskFileRepository.dropGoneLinks")
    )

    /**
     * Present, readable files after `after` (by path) that need matching: unmatched ones, or with
     * `all` every one but those linked by their bytes (a photo uploaded or deleted since can make
     * a date or a title fit another photo, or none).
     */
    const findPending = SqlSchema.findAll({
      Request: Schema.Struct({ all: Schema.Boolean, after: Schema.String, limit: Schema.Number }),
      Result: PendingFile,
      execute: ({ after, all, limit }) =>
        sql`SELECT d.path, d.sha256, d.taken, d.taken_from, d.subsec, d.make, d.model, d.width, d.height, d.orientation,
              d.latitude, d.longitude, l.photo_id AS linked_to, l.method AS linked_by, l.agreed AS linked_agreed
            FROM disk_files d LEFT JOIN photo_links l ON l.path = d.path
            WHERE d.gone_at IS NULL AND d.sha256 IS NOT NULL AND d.path > ${after}
              AND ${
          all
            ? sql`(d.state IN ('unmatched', 'ambiguous', 'only on disk') OR (d.state = 'linked' AND l.method <> 'sha256'))`
            : sql`d.state = 'unmatched'`
        }
            ORDER BY d.path LIMIT ${limit}`
    })
    const pending = Effect.fn("DiskFileRepository.pending")((all: boolean, after: string, limit: number) =>
      findPending({ all, after, limit }).pipe(rowsAreOurs)
    )

    /** Every live photo as the matcher needs it: date taken when the camera gave one, camera and sub-seconds from its EXIF. */
    const flickrPhotos = SqlSchema.findAll({
      Request: Schema.Void,
      Result: FlickrRow,
      execute: () =>
        sql`SELECT p.id, p.title, p.date_taken, p.date_taken_unknown, p.width, p.height,
              (SELECT raw FROM exif e WHERE e.photo_id = p.id AND e.tag = 'Make' LIMIT 1) AS make,
              (SELECT raw FROM exif e WHERE e.photo_id = p.id AND e.tag = 'Model' LIMIT 1) AS model,
              (SELECT raw FROM exif e WHERE e.photo_id = p.id AND e.tag = 'SubSecTimeOriginal' LIMIT 1) AS subsec
            FROM photos p WHERE p.deleted_at IS NULL`
    })(undefined).pipe(
      rowsAreOurs,
      Effect.map((rows) =>
        rows.map((r): FlickrPhoto => ({
          id: r.id,
          title: r.title,
          taken: r.date_taken_unknown === 1 ? null : r.date_taken,
          width: r.width,
          height: r.height,
          make: r.make,
          model: r.model,
          subsec: r.subsec
        }))
      ),
      Effect.withSpan("DiskFileRepository.flickrPhotos")
    )

    const fileHashes = SqlSchema.findAll({
      Request: Schema.Void,
      Result: FileHash,
      execute: () => sql`SELECT photo_id, sha256 FROM files`
    })(undefined).pipe(
      rowsAreOurs,
      Effect.map((rows) => rows.map((r) => ({ photoId: r.photo_id, sha256: r.sha256 }))),
      Effect.withSpan("DiskFileRepository.fileHashes")
    )

    /** The hashes of the current downloaded files: a file on disk with one of them is that photo's original. */
    const originalHashes = SqlSchema.findAll({
      Request: Schema.Void,
      Result: Schema.Struct({ sha256: Schema.String }),
      execute: () => sql`SELECT DISTINCT sha256 FROM files WHERE role NOT IN ('replaced', 'poster')`
    })(undefined).pipe(
      rowsAreOurs,
      Effect.map((rows): ReadonlySet<string> => new Set(rows.map((r) => r.sha256))),
      Effect.withSpan("DiskFileRepository.originalHashes")
    )

    /** Metadata read after the file was (its bytes were a downloaded original's then); a problem makes it unreadable. */
    const saveFacts = Effect.fn("DiskFileRepository.saveFacts")((files: ReadonlyArray<{ readonly path: string; readonly reading: MediaReading }>) =>
      files.length === 0 ? Effect.void : Effect.forEach(files, ({ path, reading }) => {
        if ("problem" in reading) {
          return sql`UPDATE disk_files SET problem = ${reading.problem}, state = 'unreadable' WHERE path = ${path}`
        }
        const f = reading.facts
        return sql`UPDATE disk_files SET taken = ${f.taken}, taken_from = ${f.takenFrom}, subsec = ${f.subsec}, make = ${f.make},
                     model = ${f.model}, width = ${f.width}, height = ${f.height}, orientation = ${f.orientation},
                     latitude = ${f.latitude}, longitude = ${f.longitude}
                   WHERE path = ${path}`
      }, { discard: true }).pipe(sql.withTransaction))

    /** Changes whenever a sync runs, a photo comes or goes, a file is downloaded or the EXIF matching reads changes. */
    const flickrFingerprint = SqlSchema.single({
      Request: Schema.Void,
      Result: Schema.Struct({ fingerprint: Schema.String }),
      execute: () =>
        sql`SELECT (SELECT count(*) FROM photos WHERE deleted_at IS NULL) || ':' || (SELECT coalesce(max(rowid), 0) FROM photos)
              || ':' || (SELECT coalesce(max(changed_at), 0) FROM photos) || ':' || (SELECT coalesce(max(id), 0) FROM sync_runs)
              || ':' || (SELECT count(*) FROM files) || ':' || (SELECT coalesce(max(id), 0) FROM files)
              || ':' || (SELECT count(*) FROM exif WHERE tag IN ('Make', 'Model', 'SubSecTimeOriginal')) AS fingerprint`
    })(undefined).pipe(rowsAreOurs, Effect.map((r) => r.fingerprint), Effect.withSpan("DiskFileRepository.flickrFingerprint"))

    const matchedAgainst = SqlSchema.findOne({
      Request: Schema.Void,
      Result: Schema.Struct({ flickr_fingerprint: Schema.String }),
      execute: () => sql`SELECT flickr_fingerprint FROM link_state WHERE id = 1`
    })(undefined).pipe(
      rowsAreOurs,
      Effect.map(Option.map((r) => r.flickr_fingerprint)),
      Effect.withSpan("DiskFileRepository.matchedAgainst")
    )

    const setMatchedAgainst = Effect.fn("DiskFileRepository.setMatchedAgainst")((fingerprint: string) =>
      sql`UPDATE link_state SET flickr_fingerprint = ${fingerprint} WHERE id = 1`.pipe(Effect.asVoid)
    )

    /** Each file's match, and its link when it has one, in one transaction. */
    const saveMatches = Effect.fn("DiskFileRepository.saveMatches")((
      matches: ReadonlyArray<{ readonly path: string; readonly result: MatchResult }>,
      now: number
    ) =>
      matches.length === 0 ? Effect.void : Effect.gen(function*() {
        yield* sql`DELETE FROM photo_links WHERE path IN ${sql.in(matches.map((m) => m.path))}`
        for (const { path, result } of matches) {
          const state = result.kind === "linked" ? "linked" : result.kind === "ambiguous" ? "ambiguous" : "only on disk"
          const candidates = result.kind === "ambiguous" ? JSON.stringify(result.candidates) : null
          yield* sql`UPDATE disk_files SET state = ${state}, candidates = ${candidates} WHERE path = ${path}`
          if (result.kind === "linked") {
            yield* sql`INSERT INTO photo_links ${
              sql.insert({ path, photo_id: result.photoId, method: result.method, agreed: result.agreed, linked_at: now })
            }`
          }
        }
      }).pipe(sql.withTransaction)
    )

    const counts = SqlSchema.single({
      Request: Schema.Void,
      Result: LinkCounts,
      execute: () =>
        sql`SELECT count(*) FILTER (WHERE gone_at IS NULL) AS files,
              count(*) FILTER (WHERE gone_at IS NULL AND state = 'linked') AS linked,
              count(*) FILTER (WHERE gone_at IS NULL AND state = 'ambiguous') AS ambiguous,
              count(*) FILTER (WHERE gone_at IS NULL AND state = 'only on disk') AS only_on_disk,
              count(*) FILTER (WHERE gone_at IS NULL AND state = 'unreadable') AS unreadable,
              count(*) FILTER (WHERE gone_at IS NOT NULL) AS gone
            FROM disk_files`
    })(undefined).pipe(rowsAreOurs, Effect.withSpan("DiskFileRepository.counts"))

    const linksByMethod = SqlSchema.findAll({
      Request: Schema.Void,
      Result: Schema.Struct({ method: Schema.Literal("sha256", "exif", "title"), n: Schema.Number }),
      execute: () =>
        sql`SELECT l.method, count(*) AS n FROM photo_links l JOIN disk_files d ON d.path = l.path
            WHERE d.gone_at IS NULL GROUP BY l.method`
    })(undefined).pipe(rowsAreOurs, Effect.withSpan("DiskFileRepository.linksByMethod"))

    /** Live photos with no file in the file store and none on disk linked to them: Flickr holds the only copy. */
    const onlyOnFlickrWhere = sql`FROM photos p WHERE p.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM files f WHERE f.photo_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM photo_links l JOIN disk_files d ON d.path = l.path
                      WHERE l.photo_id = p.id AND d.gone_at IS NULL)`
    const countOnlyOnFlickr = countOf(sql`SELECT count(*) AS n ${onlyOnFlickrWhere}`).pipe(
      Effect.withSpan("DiskFileRepository.countOnlyOnFlickr")
    )
    const findOnlyOnFlickr = SqlSchema.findAll({
      Request: Schema.Number,
      Result: ListedPhoto,
      execute: (limit) => sql`SELECT p.id, p.title, p.date_taken ${onlyOnFlickrWhere} ORDER BY p.date_taken, p.id LIMIT ${limit}`
    })
    const onlyOnFlickr = Effect.fn("DiskFileRepository.onlyOnFlickr")((limit: number) =>
      findOnlyOnFlickr(limit).pipe(rowsAreOurs)
    )

    const findFilesIn = SqlSchema.findAll({
      Request: Schema.Struct({ state: ReportList, limit: Schema.Number }),
      Result: ListedFile,
      execute: ({ limit, state }) =>
        sql`SELECT path, CASE state WHEN 'ambiguous' THEN candidates WHEN 'unreadable' THEN problem END AS detail
            FROM disk_files WHERE gone_at IS NULL AND state = ${state} ORDER BY path LIMIT ${limit}`
    })
    const findAmbiguous = SqlSchema.findAll({
      Request: Schema.Number,
      Result: Schema.Struct({ path: Schema.String, candidates: Schema.NullOr(Schema.parseJson(Schema.Array(Schema.String))) }),
      execute: (limit) =>
        sql`SELECT path, candidates FROM disk_files WHERE gone_at IS NULL AND state = 'ambiguous' ORDER BY path LIMIT ${limit}`
    })
    /** Present files more than one photo fits, with the ids of those photos. */
    const ambiguousFiles = Effect.fn("DiskFileRepository.ambiguousFiles")((limit: number) =>
      findAmbiguous(limit).pipe(rowsAreOurs, Effect.map((rows) => rows.map((r) => ({ path: r.path, candidates: r.candidates ?? [] }))))
    )
    /** Present files in one state, with their candidates (ambiguous) or why (unreadable). */
    const filesIn = Effect.fn("DiskFileRepository.filesIn")((state: ReportList, limit: number) =>
      findFilesIn({ state, limit }).pipe(rowsAreOurs)
    )

    /**
     * Linked files of the original's full size whose bytes differ from the downloaded original:
     * edited since upload, candidates to replace on Flickr (a smaller export is only a copy).
     */
    const differingWhere = sql`FROM photo_links l JOIN disk_files d ON d.path = l.path
      JOIN files f ON f.photo_id = l.photo_id AND f.role NOT IN ('replaced', 'poster')
      JOIN photos p ON p.id = l.photo_id
      WHERE d.gone_at IS NULL AND d.sha256 <> f.sha256
        AND (d.width IS NULL OR p.width IS NULL OR d.width * d.height = p.width * p.height)`
    const countDiffering = countOf(sql`SELECT count(*) AS n ${differingWhere}`).pipe(
      Effect.withSpan("DiskFileRepository.countDiffering")
    )
    const findDiffering = SqlSchema.findAll({
      Request: Schema.Number,
      Result: DifferingFile,
      execute: (limit) => sql`SELECT d.path, l.photo_id, l.method, f.path AS store_path ${differingWhere} ORDER BY d.path LIMIT ${limit}`
    })
    const differing = Effect.fn("DiskFileRepository.differing")((limit: number) => findDiffering(limit).pipe(rowsAreOurs))

    return {
      beginRun,
      known,
      markSeen,
      saveRead,
      markGone,
      goneLinks,
      dropGoneLinks,
      pending,
      flickrPhotos,
      fileHashes,
      originalHashes,
      saveFacts,
      flickrFingerprint,
      matchedAgainst,
      setMatchedAgainst,
      saveMatches,
      counts,
      linksByMethod,
      countOnlyOnFlickr,
      onlyOnFlickr,
      filesIn,
      ambiguousFiles,
      countDiffering,
      differing
    } as const
  })
}) {}

// `fbk backup`: the whole photostream into the database, resumable; or, with --numpages /
// --pagenum, a staged part of it, page by page like the original tool.
import { Clock, Effect, Option, Ref, Stream } from "effect"
import type { SyncRun } from "../schema/SyncRun.js"
import { FlickrApi } from "../services/FlickrApi.js"
import { PhotoRepository } from "../services/PhotoRepository.js"
import { RunLock } from "../services/RunLock.js"
import { ListingIncomplete, UsageError } from "../schema/Errors.js"
import { counted, formatCount, Reporter } from "../services/Reporter.js"
import { SyncRunRepository } from "../services/SyncRunRepository.js"
import { syncAlbums } from "./AlbumSync.js"
import { allPages, FETCH_CONCURRENCY } from "./Paging.js"
import { decodeCursor, listPhotostream } from "./PhotostreamListing.js"
import { listUntilCountsAgree } from "./Relisting.js"
import { type ActiveRun, beginRun, closeOnFailure, nowSeconds, reportSummary } from "./SyncRun.js"

export interface BackupOptions {
  readonly numPages: Option.Option<number>
  readonly pageNum: Option.Option<number>
  readonly perPage: number
}

/** Seconds before a run's start that the upload sweep after it looks back, against clock skew. */
const UPLOAD_OVERLAP_SECONDS = 3600

/**
 * Lists the whole stream into `run` (from `resumeFrom`), then checks it against Flickr's count.
 * Fewer seen: photos uploaded during the run are fetched. More seen: photos this run had stored
 * were deleted afterwards (or while it was stopped), and only a fresh listing tells which. When
 * the counts agree, every photo the run did not see is gone and is marked deleted; when they
 * never agree, nothing is marked and the run fails with ListingIncomplete.
 */
export const listAndSweep = (run: ActiveRun, options: { readonly perPage: number; readonly resumeFrom: number | null }) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const photos = yield* PhotoRepository
    const reporter = yield* Reporter
    const listing = yield* listUntilCountsAgree(
      (listing, previous: { readonly remote: number; readonly seen: number } | undefined) =>
        Effect.gen(function*() {
          if (listing === 0 || previous === undefined) return yield* listPhotostream(run, options)
          const gone = previous.seen - previous.remote
          yield* reporter.note(
            `${counted(gone, "photo")} listed by this run ${gone === 1 ? "was" : "were"} deleted on Flickr since; ` +
              "listing again to find which"
          )
          yield* run.restartListing
          return yield* listPhotostream(run, { perPage: options.perPage, resumeFrom: null })
        }),
      Effect.gen(function*() {
        let remote = yield* api.countPhotos
        let seen = yield* photos.countSeenIn(run.id)
        if (seen < remote) {
          yield* reporter.note(
            `Flickr counts ${formatCount(remote)} photos but ${formatCount(seen)} were listed; fetching photos uploaded meanwhile`
          )
          yield* allPages((page) => api.listPhotos({ page, perPage: options.perPage, minUploadDate: run.startedAt - UPLOAD_OVERLAP_SECONDS }))
            .pipe(Stream.runForEach((listed) => run.storePage(listed.photos, null)))
          remote = yield* api.countPhotos
          seen = yield* photos.countSeenIn(run.id)
        }
        const counts = { remote, seen }
        // Fewer seen even after the uploads: listing the same stream again would not find more.
        return seen === remote
          ? { _tag: "Agreed", counts } as const
          : seen < remote
          ? { _tag: "Stop", counts } as const
          : { _tag: "Again", counts } as const
      })
    )
    if (listing.complete) {
      const deleted = yield* photos.markUnseenDeleted(run.id, yield* nowSeconds)
      yield* Ref.update(run.counters, (c) => ({ ...c, deleted: c.deleted + deleted }))
    }
    return { complete: listing.complete, ...listing.counts }
  })

/** Closes a run after listAndSweep: succeeded, or failed with ListingIncomplete after its summary. */
export const finishListing = (
  run: ActiveRun,
  check: { readonly complete: boolean; readonly remote: number; readonly seen: number },
  summary: { readonly label: string; readonly command: string; readonly startedMillis: number }
) =>
  Effect.gen(function*() {
    const incomplete = check.complete ? null : new ListingIncomplete({ command: summary.command, remote: check.remote, seen: check.seen })
    if (incomplete === null) yield* (yield* SyncRunRepository).markPartSynced("photostream", run.startedAt, run.id)
    const counters = yield* run.finish(
      incomplete === null ? "succeeded" : "failed",
      incomplete === null ? null : `Flickr counts ${check.remote} photos but only ${check.seen} could be listed`
    )
    yield* reportSummary(summary.label, counters, summary.startedMillis)
    if (incomplete !== null) return yield* incomplete
    return counters
  })

/**
 * A full backup: a new one, or the interrupted one in `pending` carried on from where its last
 * stored page ended. Called with the run lock held; `fbk update` calls it too, so a scheduled
 * update finishes what a backup left.
 */
export const runFullBackup = (perPage: number, pending: Option.Option<SyncRun>) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const startedMillis = yield* Clock.currentTimeMillis
    const resume = Option.getOrUndefined(pending)
    const resumeFrom = resume === undefined ? null : decodeCursor(resume.resume_cursor)
    if (resume !== undefined) {
      yield* reporter.note(
        resumeFrom === null
          ? `Resuming the interrupted backup started ${new Date(resume.started_at * 1000).toISOString()}`
          : `Resuming the interrupted backup from photos uploaded at or before ${new Date(resumeFrom * 1000).toISOString()}`
      )
    }
    const run = yield* beginRun("backup", resume)
    return yield* closeOnFailure(
      run,
      Effect.gen(function*() {
        const check = yield* listAndSweep(run, { perPage, resumeFrom })
        yield* syncAlbums(run)
        return yield* finishListing(run, check, { label: "Backup", command: "backup", startedMillis })
      })
    )
  })

/** The backup still waiting to be resumed, if a process running one stopped. */
export const pendingBackup = Effect.flatMap(SyncRunRepository, (runs) => runs.latest(["backup"], ["running", "interrupted"]))

const fullBackup = (perPage: number) => Effect.flatMap(pendingBackup, (pending) => runFullBackup(perPage, pending))

const stagedBackup = (options: BackupOptions) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const reporter = yield* Reporter
    const startedMillis = yield* Clock.currentTimeMillis
    if (Option.isSome(yield* pendingBackup)) {
      // Its pages would count as seen by the staged run, not by the backup that must sweep.
      return yield* new UsageError({
        reason: "a full backup was interrupted; run `fbk backup` without --numpages/--pagenum to finish it first"
      })
    }
    const first = Option.getOrElse(options.pageNum, () => 1)
    const run = yield* beginRun("staged-backup")
    return yield* closeOnFailure(
      run,
      Effect.gen(function*() {
        const opening = yield* api.listPhotos({ page: first, perPage: options.perPage })
        // Past the last page Flickr repeats earlier results: never ask beyond `pages`.
        const last = Math.min(
          opening.pages,
          Option.match(options.numPages, { onNone: () => opening.pages, onSome: (n) => first + n - 1 })
        )
        const expected = Math.max(0, Math.min(opening.total, (last - first + 1) * options.perPage))
        let done = 0
        const store = (photos: typeof opening.photos) =>
          Effect.gen(function*() {
            yield* run.storePage(photos, null)
            done += photos.length
            yield* reporter.progress({ label: `Pages ${first}-${last}`, done, total: expected, unit: "photos" })
          })
        if (first <= opening.pages) {
          yield* store(opening.photos)
          yield* Stream.range(first + 1, last).pipe(
            Stream.mapEffect((page) => api.listPhotos({ page, perPage: options.perPage }), { concurrency: FETCH_CONCURRENCY }),
            Stream.runForEach((listed) => store(listed.photos))
          )
        } else {
          yield* reporter.note(`The photostream has ${opening.pages} pages of ${options.perPage}; page ${first} is past the end`)
        }
        const counters = yield* run.finish("succeeded", null)
        yield* reportSummary(`Backup of pages ${first}-${Math.max(first, last)}`, counters, startedMillis)
        return counters
      })
    )
  })

export const backup = (options: BackupOptions) =>
  Effect.flatMap(RunLock, (lock) =>
    lock.exclusive("backup")(Effect.gen(function*() {
      if (Option.isNone(options.numPages) && Option.isNone(options.pageNum)) return yield* fullBackup(options.perPage)
      return yield* stagedBackup(options)
    })))

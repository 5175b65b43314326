// The full photostream sync that backup and update share: list, sweep deletions, close the run,
// and carry on an interrupted backup.
import { Clock, Effect, Option, Ref, Stream } from "effect"
import { ListingIncomplete } from "../../schema/Errors.js"
import type { SyncRun } from "../../schema/SyncRun.js"
import { PhotoRepository } from "../../services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../services/database/SyncRunRepository.js"
import { FlickrApi } from "../../services/flickr/FlickrApi.js"
import { counted, formatCount, Reporter } from "../../services/terminal/Reporter.js"
import { syncAlbums } from "./AlbumSync.js"
import { allPages } from "./Paging.js"
import { decodeCursor, listPhotostream } from "./PhotostreamListing.js"
import { listUntilCountsAgree } from "./Relisting.js"
import { type ActiveRun, beginRun, closeOnFailure, nowSeconds, reportSummary } from "./SyncRun.js"

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
    const outcome = incomplete === null ? "succeeded" as const : "failed" as const
    yield* reportSummary(summary.command, summary.label, { counters, startedAt: run.startedAt, outcome }, summary.startedMillis)
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

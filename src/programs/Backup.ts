// `fbk backup`: the whole photostream into the database, resumable; or, with --numpages /
// --pagenum, a staged part of it, page by page like the original tool.
import { Effect, Option, Ref, Stream } from "effect"
import { FlickrApi } from "../services/FlickrApi.js"
import { PhotoRepository } from "../services/PhotoRepository.js"
import { formatCount, Reporter } from "../services/Reporter.js"
import { SyncRunRepository } from "../services/SyncRunRepository.js"
import { decodeCursor, FETCH_CONCURRENCY, listPhotostream } from "./PhotostreamListing.js"
import { type ActiveRun, beginRun, closeOnFailure, ensureNoOtherRun, nowSeconds, reportSummary } from "./SyncRun.js"

export interface BackupOptions {
  readonly numPages: Option.Option<number>
  readonly pageNum: Option.Option<number>
  readonly perPage: number
}

/** Seconds before a run's start that the upload sweep after it looks back, against clock skew. */
const UPLOAD_OVERLAP_SECONDS = 3600

/**
 * After a complete listing: Flickr's count against what this run saw. Equal or more seen: the
 * photos not seen are gone. Fewer: photos uploaded during the run are fetched; if still short,
 * nothing is marked deleted and the run says so.
 */
export const verifyAndSweep = (run: ActiveRun, perPage: number) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const photos = yield* PhotoRepository
    const reporter = yield* Reporter
    let remote = yield* api.countPhotos
    let seen = yield* photos.countSeenIn(run.id)
    if (seen < remote) {
      yield* reporter.note(`Flickr counts ${formatCount(remote)} photos but ${formatCount(seen)} were listed; fetching photos uploaded meanwhile`)
      const since = run.startedAt - UPLOAD_OVERLAP_SECONDS
      yield* Stream.paginateEffect(1, (page) =>
        api.listPhotos({ page, perPage, minUploadDate: since }).pipe(
          Effect.map((listed) => [listed, listed.page < listed.pages ? Option.some(page + 1) : Option.none()] as const)
        )
      ).pipe(Stream.runForEach((listed) => run.storePage(listed.photos, null)))
      remote = yield* api.countPhotos
      seen = yield* photos.countSeenIn(run.id)
    }
    if (seen < remote) {
      return { complete: false, deleted: 0, remote, seen } as const
    }
    const deleted = yield* photos.markUnseenDeleted(run.id, nowSeconds())
    yield* Ref.update(run.counters, (c) => ({ ...c, deleted: c.deleted + deleted }))
    return { complete: true, deleted, remote, seen } as const
  })

const fullBackup = (perPage: number) =>
  Effect.gen(function*() {
    const runs = yield* SyncRunRepository
    const reporter = yield* Reporter
    const startedMillis = Date.now()
    yield* ensureNoOtherRun
    const pending = yield* runs.latest(["backup"], ["running", "interrupted"])
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
        yield* listPhotostream(run, { perPage, resumeFrom })
        const check = yield* verifyAndSweep(run, perPage)
        if (!check.complete) {
          yield* reporter.warn(
            `Flickr counts ${check.remote} photos but only ${check.seen} could be listed; nothing was marked deleted. ` +
              "Run `fbk backup` again."
          )
        }
        const final = yield* run.finish(
          check.complete ? "succeeded" : "failed",
          check.complete ? null : `Flickr counts ${check.remote} photos but only ${check.seen} could be listed`
        )
        yield* reportSummary("Backup", final, startedMillis)
        return final
      })
    )
  })

const stagedBackup = (options: BackupOptions) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const reporter = yield* Reporter
    const startedMillis = Date.now()
    yield* ensureNoOtherRun
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
  Option.isNone(options.numPages) && Option.isNone(options.pageNum)
    ? fullBackup(options.perPage)
    : stagedBackup(options)

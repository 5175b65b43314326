// `fbk backup`: the whole photostream into the database, resumable; or, with --numpages /
// --pagenum, a staged part of it, page by page like the original tool.
import { Clock, Effect, Option, Stream } from "effect"
import { UsageError } from "../schema/Errors.js"
import { RunLock } from "../services/database/RunLock.js"
import { FlickrApi } from "../services/flickr/FlickrApi.js"
import { Reporter } from "../services/terminal/Reporter.js"
import { FETCH_CONCURRENCY } from "./sync/Paging.js"
import { pendingBackup, runFullBackup } from "./sync/PhotostreamSync.js"
import { beginRun, closeOnFailure, reportSummary } from "./sync/SyncRun.js"

export interface BackupOptions {
  readonly numPages: Option.Option<number>
  readonly pageNum: Option.Option<number>
  readonly perPage: number
}

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
        const pages = { first_page: first, last_page: Math.max(first, last) }
        yield* reportSummary("backup", `Backup of pages ${first}-${pages.last_page}`, { counters, startedAt: run.startedAt, outcome: "succeeded" }, startedMillis, pages)
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

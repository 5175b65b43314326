// `fbk update`: what changed since the last successful sync, with the fewest calls:
// photos.recentlyUpdated from that sync's start (minus an overlap), then one count; only when
// Flickr's count and ours disagree is the stream listed again to find what was deleted.
import { Effect, Option, Stream } from "effect"
import { UsageError } from "../schema/Errors.js"
import { FlickrApi } from "../services/FlickrApi.js"
import { PhotoRepository } from "../services/PhotoRepository.js"
import { formatCount, Reporter } from "../services/Reporter.js"
import { SyncRunRepository } from "../services/SyncRunRepository.js"
import { verifyAndSweep } from "./Backup.js"
import { FETCH_CONCURRENCY, listPhotostream } from "./PhotostreamListing.js"
import { beginRun, closeOnFailure, ensureNoOtherRun, reportSummary } from "./SyncRun.js"

/** recentlyUpdated looks back this far before the last sync's start, against clock skew. */
export const UPDATE_OVERLAP_SECONDS = 3600

export const update = (options: { readonly perPage: number }) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const photos = yield* PhotoRepository
    const runs = yield* SyncRunRepository
    const reporter = yield* Reporter
    const startedMillis = Date.now()
    yield* ensureNoOtherRun
    const pendingBackup = yield* runs.latest(["backup"], ["running", "interrupted"])
    if (Option.isSome(pendingBackup)) {
      return yield* new UsageError({ reason: "a backup was interrupted; run `fbk backup` to finish it first" })
    }
    const last = yield* runs.latest(["backup", "update"], ["succeeded"])
    if (Option.isNone(last)) {
      return yield* new UsageError({ reason: "there is no complete backup yet; run `fbk backup` first" })
    }
    const since = last.value.started_at - UPDATE_OVERLAP_SECONDS
    const run = yield* beginRun("update")
    return yield* closeOnFailure(
      run,
      Effect.gen(function*() {
        // Noted only once Flickr has answered, so a rejected token leaves just the error line.
        const first = yield* api.recentlyUpdated(since, 1, options.perPage)
        yield* reporter.note(
          `${formatCount(first.total)} photos changed on Flickr since ${new Date(since * 1000).toISOString()}`
        )
        let done = 0
        const store = (listed: typeof first) =>
          Effect.gen(function*() {
            yield* run.storePage(listed.photos, null)
            done += listed.photos.length
            yield* reporter.progress({ label: "Changed photos", done, total: first.total, unit: "photos" })
          })
        yield* store(first)
        yield* Stream.range(2, first.pages).pipe(
          Stream.mapEffect((page) => api.recentlyUpdated(since, page, options.perPage), { concurrency: FETCH_CONCURRENCY }),
          Stream.runForEach(store)
        )
        const remote = yield* api.countPhotos
        const local = yield* photos.countLive
        let complete = true
        if (remote !== local) {
          yield* reporter.note(
            `Flickr counts ${formatCount(remote)} photos, the database ${formatCount(local)}: ` +
              "listing the photostream to find what was deleted or restored"
          )
          yield* listPhotostream(run, { perPage: options.perPage, resumeFrom: null })
          complete = (yield* verifyAndSweep(run, options.perPage)).complete
        }
        const counters = yield* run.finish(complete ? "succeeded" : "failed", complete ? null : "listing incomplete")
        if (!complete) yield* reporter.warn("The photostream could not be listed completely; nothing was marked deleted")
        yield* reportSummary("Update", counters, startedMillis)
        return counters
      })
    )
  })

// `fbk update`: what changed since the last successful sync, with the fewest calls:
// photos.recentlyUpdated from that sync's start (minus an overlap), then one count; only when
// Flickr's count and ours disagree is the stream listed again to find what was deleted.
import { Effect, Option, Stream } from "effect"
import { UsageError } from "../schema/Errors.js"
import { FlickrApi } from "../services/FlickrApi.js"
import { PhotoRepository } from "../services/PhotoRepository.js"
import { formatCount, Reporter } from "../services/Reporter.js"
import { SyncRunRepository } from "../services/SyncRunRepository.js"
import { finishListing, listAndSweep } from "./Backup.js"
import { syncAlbums } from "./AlbumSync.js"
import { DEEPEST_RESULTS, restOfPages } from "./Paging.js"
import { beginRun, closeOnFailure, ensureNoOtherRun } from "./SyncRun.js"

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
        const changedSince = (page: number) => api.recentlyUpdated(since, page, options.perPage)
        // Noted only once Flickr has answered, so a rejected token leaves just the error line.
        const first = yield* changedSince(1)
        yield* reporter.note(`${formatCount(first.total)} photos changed on Flickr since ${new Date(since * 1000).toISOString()}`)
        // Too many changes to page through one query: listing the whole stream finds them all.
        const listEverything = first.total > DEEPEST_RESULTS
        if (!listEverything) {
          let done = 0
          yield* restOfPages(first, changedSince).pipe(
            Stream.runForEach((listed) =>
              Effect.gen(function*() {
                yield* run.storePage(listed.photos, null)
                done += listed.photos.length
                yield* reporter.progress({ label: "Changed photos", done, total: first.total, unit: "photos" })
              })
            )
          )
        }
        const remote = yield* api.countPhotos
        const local = yield* photos.countLive
        let check = { complete: true, remote, seen: local }
        if (listEverything || remote !== local) {
          yield* reporter.note(
            listEverything
              ? "Listing the whole photostream instead of paging through that many changes"
              : `Flickr counts ${formatCount(remote)} photos, the database ${formatCount(local)}: ` +
                "listing the photostream to find what was deleted or restored"
          )
          check = yield* listAndSweep(run, { perPage: options.perPage, resumeFrom: null })
        }
        yield* syncAlbums(run)
        return yield* finishListing(run, check, { label: "Update", command: "update", startedMillis })
      })
    )
  })

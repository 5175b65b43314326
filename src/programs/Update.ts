// `fbk update`: what changed since the last complete sync, in the fewest calls, listing the stream
// again only when Flickr's count and ours disagree; it first finishes whatever a backup left.
import { Clock, Effect, Option, Stream } from "effect"
import { UsageError } from "../schema/Errors.js"
import { FlickrApi } from "../services/flickr/FlickrApi.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { humanTimeOfSeconds } from "../services/terminal/HumanTime.js"
import { formatCount, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { SyncRunRepository } from "../services/database/SyncRunRepository.js"
import { finishListing, listAndSweep, pendingBackup, runFullBackup } from "./sync/PhotostreamSync.js"
import { syncAlbums } from "./sync/AlbumSync.js"
import { DEEPEST_RESULTS, restOfPages } from "./sync/Paging.js"
import { type ActiveRun, beginRun, closeOnFailure } from "./sync/SyncRun.js"

/** recentlyUpdated looks back this far before the last sync's start, against clock skew. */
export const UPDATE_OVERLAP_SECONDS = 3600

const NO_BACKUP = "there is no complete backup yet; run `fbk backup` first"

/** Where the photostream stands before an update: what it must build on, and whether it owes a whole listing. */
const photostreamState = Effect.gen(function*() {
  const runs = yield* SyncRunRepository
  const succeeded = yield* runs.latest(["backup", "update"], ["succeeded"])
  const failed = yield* runs.latest(["backup", "update"], ["failed"])
  // A listing that did not add up marked nothing deleted: until one does, only a whole listing can.
  const listingOwed = Option.isSome(failed) &&
    Option.match(succeeded, { onNone: () => true, onSome: (s) => s.id < failed.value.id })
  const since = Option.orElse(succeeded, () => failed)
  return { since, listingOwed }
})

/**
 * The photos recentlyUpdated lists since `since`, stored in `run`; false when there are too many
 * to page through one query (listing the whole stream then finds them all).
 */
const storeChangedPhotos = (run: ActiveRun, since: number, perPage: number) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const reporter = yield* Reporter
    const changedSince = (page: number) => api.recentlyUpdated(since, page, perPage)
    // Noted only once Flickr has answered, so a rejected token leaves just the error line.
    const first = yield* changedSince(1)
    yield* reporter.note(`${formatCount(first.total)} photos changed on Flickr since ${yield* humanTimeOfSeconds(since)}`)
    if (first.total > DEEPEST_RESULTS) {
      yield* reporter.note("Listing the whole photostream instead of paging through that many changes")
      return false
    }
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
    return true
  })

/** Flickr's count against the database's: when they differ, only a whole listing finds what was deleted or restored. */
const countsAgree = Effect.gen(function*() {
  const remote = yield* (yield* FlickrApi).countPhotos
  const local = yield* (yield* PhotoRepository).countLive
  if (remote === local) return Option.some({ complete: true, remote, seen: local })
  yield* (yield* Reporter).note(
    `Flickr counts ${formatCount(remote)} photos, the database ${formatCount(local)}: ` +
      "listing the photostream to find what was deleted or restored"
  )
  return Option.none()
})

const updateRun = (perPage: number) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const startedMillis = yield* Clock.currentTimeMillis
    const { listingOwed, since: base } = yield* photostreamState
    if (Option.isNone(base)) return yield* new UsageError({ reason: NO_BACKUP })
    const since = base.value.started_at - UPDATE_OVERLAP_SECONDS
    const run = yield* beginRun("update")
    return yield* closeOnFailure(
      run,
      Effect.gen(function*() {
        if (listingOwed) {
          yield* reporter.note("The last listing of the photostream did not add up; listing it whole to make the database exact")
        }
        const agreed = !listingOwed && (yield* storeChangedPhotos(run, since, perPage)) ? yield* countsAgree : Option.none()
        const check = yield* Option.match(agreed, {
          onSome: Effect.succeed,
          // Photos recentlyUpdated brought count as seen until the listing sees them again: one
          // deleted since would otherwise make the counts disagree and the stream listed twice.
          onNone: () => Effect.zipRight(run.restartListing, listAndSweep(run, { perPage, resumeFrom: null }))
        })
        yield* syncAlbums(run)
        return yield* finishListing(run, check, { label: "Update", command: "update", startedMillis })
      })
    )
  })

export const update = (options: { readonly perPage: number }) =>
  Effect.flatMap(RunLock, (lock) =>
    lock.exclusive("update")(
      Effect.gen(function*() {
        const pending = yield* pendingBackup
        if (Option.isSome(pending)) {
          const built = yield* photostreamState
          // A first backup that stored nothing is the user's to start, with `fbk backup`.
          if (pending.value.pages === 0 && Option.isNone(built.since)) return yield* new UsageError({ reason: NO_BACKUP })
          yield* (yield* Reporter).note("A backup was interrupted; finishing it before the update")
          yield* runFullBackup(options.perPage, pending)
        }
        return yield* updateRun(options.perPage)
      })
    ))

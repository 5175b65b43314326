// `fbk details`: per-photo details (flickr.photos.getInfo, one call a photo) for every photo
// whose details are missing or older than its record, as a persistent queue: it spends the call
// budget (waiting when the hour's calls are used), stores each photo as it arrives, and can be
// stopped at any point and run again. Per-photo refusals (code 1 gone or private, code 2
// permission denied) are recorded on the photo and do not stop the run.
import { Effect, Either, Option, Stream } from "effect"
import { UsageError } from "../schema/Errors.js"
import { FbkConfig } from "../services/FbkConfig.js"
import { DetailsRepository, type QueuedPhoto } from "../services/DetailsRepository.js"
import { FlickrApi } from "../services/FlickrApi.js"
import { PhotoRepository } from "../services/PhotoRepository.js"
import { counted, formatCount, Reporter } from "../services/Reporter.js"
import { FETCH_CONCURRENCY } from "./Paging.js"
import { nowSeconds } from "./SyncRun.js"

/** Flickr's per-photo refusals: not found (deleted, or private to others) and permission denied. */
const PER_PHOTO_CODES = new Set([1, 2])
/** Photos taken from the queue at a time. */
const QUEUE_BATCH = 200

const hours = (calls: number, perHour: number): string => {
  const h = calls / perHour
  return h < 1 ? `${Math.max(1, Math.round(h * 60))} minutes` : `${h.toFixed(1)} hours`
}

export const details = (options: { readonly maxCalls: Option.Option<number> }) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const repository = yield* DetailsRepository
    const reporter = yield* Reporter
    const { callsPerHour } = yield* FbkConfig
    const startedMillis = Date.now()
    const queued = yield* repository.countQueued
    const planned = Option.match(options.maxCalls, { onNone: () => queued, onSome: (n) => Math.min(n, queued) })
    if (queued === 0) {
      if ((yield* (yield* PhotoRepository).countLive) === 0) {
        return yield* new UsageError({ reason: "there are no photos in the database yet; run `fbk backup` first" })
      }
      yield* reporter.result("Details: every photo's details are up to date")
      return { read: 0, refused: 0, remaining: 0 }
    }
    yield* reporter.note(
      `${counted(queued, "photo")} need details (one call each, about ${hours(queued, callsPerHour)} at ${formatCount(callsPerHour)} calls an hour)` +
        (planned < queued ? `; this run reads ${formatCount(planned)}` : "")
    )
    let read = 0
    let refused = 0
    const fetch = (photo: QueuedPhoto) => Effect.map(Effect.either(api.photoInfo(photo.id)), (answer) => ({ photo, answer }))
    while (read + refused < planned) {
      const batch = yield* repository.queued(Math.min(QUEUE_BATCH, planned - read - refused))
      if (batch.length === 0) break
      yield* Stream.fromIterable(batch).pipe(
        Stream.mapEffect(fetch, { concurrency: FETCH_CONCURRENCY }),
        Stream.runForEach(({ answer, photo }) =>
          Effect.gen(function*() {
            if (Either.isRight(answer)) {
              yield* repository.store(photo, answer.right, nowSeconds())
              read++
            } else if (answer.left._tag === "FlickrApiError" && PER_PHOTO_CODES.has(answer.left.code)) {
              yield* repository.storeError(photo, answer.left.code, answer.left.message, nowSeconds())
              refused++
            } else {
              return yield* answer.left
            }
            yield* reporter.progress({ label: "Details", done: read + refused, total: planned, unit: "photos" })
          })
        )
      )
    }
    const remaining = yield* repository.countQueued
    yield* reporter.endProgress
    yield* reporter.result(
      `Details: ${formatCount(read)} read, ${formatCount(refused)} refused by Flickr (recorded); ` +
        `${counted(remaining, "photo")} still queued; ${((Date.now() - startedMillis) / 1000).toFixed(1)}s`
    )
    return { read, refused, remaining }
  })

// `fbk details`: per-photo details (getInfo, plus EXIF, comments and people where needed) for every
// photo whose details are missing or older than its record, as a queue that can stop and resume.
import { Clock, Effect, Either, Option, Stream } from "effect"
import { type FlickrApiError, UsageError } from "../schema/Errors.js"
import { ExifReader } from "../services/files/ExifReader.js"
import { FbkConfig } from "../services/home/FbkConfig.js"
import { DetailsRepository, type QueuedPhoto } from "../services/database/DetailsRepository.js"
import { FlickrApi } from "../services/flickr/FlickrApi.js"
import type { FlickrError } from "../services/flickr/FlickrHttp.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { counted, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { SyncRunRepository } from "../services/database/SyncRunRepository.js"
import { FETCH_CONCURRENCY } from "./sync/Paging.js"
import { nowSeconds, secondsSince } from "./sync/SyncRun.js"

/** Flickr's per-photo refusals (not found: deleted or private; permission denied): recorded, and the run goes on. */
const PER_PHOTO_CODES = new Set([1, 2])
const isPerPhoto = (error: FlickrError): error is FlickrApiError => error._tag === "FlickrApiError" && PER_PHOTO_CODES.has(error.code)

/** Photos taken from the queue at a time. */
const QUEUE_BATCH = 200

const hours = (calls: number, perHour: number): string => {
  const h = calls / perHour
  return h < 1 ? `${Math.max(1, Math.round(h * 60))} minutes` : `${h.toFixed(1)} hours`
}

/**
 * One photo: getInfo, then EXIF if its original's was never read (photos only), the comments
 * if getInfo counts some and not as many as when they were last read, and the people if it
 * says there are some. A per-photo refusal of getInfo is the photo's answer; one of getExif
 * (hidden EXIF) is recorded and the rest of the photo still stored.
 */
const readPhoto = (photo: QueuedPhoto) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const exifReader = yield* ExifReader
    const info = yield* api.photoInfo(photo.id)
    const fromFlickr = api.photoExif(photo.id).pipe(
      Effect.map((rows) => ({ rows, source: "flickr" as const })),
      Effect.catchIf(isPerPhoto, (e) => Effect.succeed({ rows: { refused: e.code }, source: "flickr" as const }))
    )
    // The original on disk has the EXIF getExif would send: read there, it costs no call.
    // A file ExifTool cannot read leaves it to Flickr.
    const fromFile = (file: string) =>
      exifReader.read(file).pipe(
        Effect.map((rows) => ({ rows, source: "file" as const })),
        Effect.orElse(() => fromFlickr)
      )
    const exif = photo.media === "photo" && photo.exif_for !== photo.original
      ? Option.some(yield* (photo.original_file === null ? fromFlickr : fromFile(photo.original_file)))
      : Option.none()
    const commentCount = info.details.count_comments ?? 0
    // None counted: none to ask for (the stored ones are marked removed without a call).
    const comments = commentCount === 0
      ? Option.some([])
      : commentCount === photo.comments_read_for
      ? Option.none()
      : Option.some(yield* api.photoComments(photo.id))
    const people = (info.details.has_people ?? 0) > 0 ? yield* api.photoPeople(photo.id) : []
    return { info, exif, comments, commentCount, people }
  })

type PhotoAnswer = Effect.Effect.Success<ReturnType<typeof readPhoto>>

/** All of a photo in one transaction: a kill leaves it either stored whole or queued. */
const storeAnswer = (photo: QueuedPhoto, answer: PhotoAnswer) =>
  Effect.gen(function*() {
    const repository = yield* DetailsRepository
    const { commentCount, comments, exif, info, people } = answer
    const now = yield* nowSeconds
    yield* Effect.gen(function*() {
      yield* repository.store(photo, info, now)
      if (Option.isSome(exif)) yield* repository.storeExif(photo, exif.value.rows, now, exif.value.source)
      if (Option.isSome(comments)) yield* repository.storeComments(photo, comments.value, commentCount, now)
      yield* repository.storePeople(photo, people, now)
      yield* repository.reindex(photo)
    }).pipe(repository.transaction)
  })

/** Reads up to `planned` queued photos, a batch at a time; a per-photo refusal is recorded and the run goes on. */
const readPlanned = (planned: number) =>
  Effect.gen(function*() {
    const repository = yield* DetailsRepository
    const reporter = yield* Reporter
    let read = 0
    let refused = 0
    const fetch = (photo: QueuedPhoto) => Effect.map(Effect.either(readPhoto(photo)), (answer) => ({ photo, answer }))
    const keep = ({ answer, photo }: Effect.Effect.Success<ReturnType<typeof fetch>>) =>
      Effect.gen(function*() {
        if (Either.isRight(answer)) {
          yield* storeAnswer(photo, answer.right)
          read++
        } else if (isPerPhoto(answer.left)) {
          yield* repository.storeError(photo, answer.left.code, answer.left.message, yield* nowSeconds)
          refused++
        } else {
          return yield* answer.left
        }
        yield* reporter.progress({ label: "Details", done: read + refused, total: planned, unit: "photos" })
      })
    // The queue is what is still unread: each batch is asked for after the one before is stored.
    while (read + refused < planned) {
      const batch = yield* repository.queued(Math.min(QUEUE_BATCH, planned - read - refused))
      if (batch.length === 0) break
      yield* Stream.fromIterable(batch).pipe(
        Stream.mapEffect(fetch, { concurrency: FETCH_CONCURRENCY }),
        Stream.runForEach(keep)
      )
    }
    return { read, refused }
  })

const readQueue = (options: { readonly maxCalls: Option.Option<number> }) =>
  Effect.gen(function*() {
    const repository = yield* DetailsRepository
    const reporter = yield* Reporter
    const { callsPerHour } = yield* FbkConfig
    const startedMillis = yield* Clock.currentTimeMillis
    const queued = yield* repository.countQueued
    const planned = Option.match(options.maxCalls, { onNone: () => queued, onSome: (n) => Math.min(n, queued) })
    if (queued === 0) {
      if ((yield* (yield* PhotoRepository).countLive) === 0) {
        return yield* new UsageError({ reason: "there are no photos in the database yet; run `fbk backup` first" })
      }
      yield* (yield* SyncRunRepository).markPartSynced("details", yield* nowSeconds, null)
      yield* reporter.result("Details: every photo's details are up to date")
      return { read: 0, refused: 0, remaining: 0 }
    }
    yield* reporter.note(
      `${counted(queued, "photo")} need details: a call each, plus EXIF once per original and comments where there are ` +
        `some; at least ${hours(queued, callsPerHour)} at ${formatCount(callsPerHour)} calls an hour` +
        (planned < queued ? `; this run reads ${formatCount(planned)}` : "")
    )
    const { read, refused } = yield* readPlanned(planned)
    const remaining = yield* repository.countQueued
    if (remaining === 0) yield* (yield* SyncRunRepository).markPartSynced("details", yield* nowSeconds, null)
    yield* reporter.endProgress
    yield* reporter.result(
      `Details: ${formatCount(read)} read, ${formatCount(refused)} refused by Flickr (recorded); ` +
        `${counted(remaining, "photo")} still queued; ${(yield* secondsSince(startedMillis)).toFixed(1)}s`
    )
    return { read, refused, remaining }
  })

export const details = (options: { readonly maxCalls: Option.Option<number> }) =>
  Effect.flatMap(RunLock, (lock) => lock.exclusive("details")(readQueue(options)))

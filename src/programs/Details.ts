// `fbk details`: per-photo details (getInfo, plus EXIF, comments and people where needed) for every
// photo whose details are missing or older than its record, as a queue that can stop and resume.
import { Clock, Data, Effect, Either, Option, Ref, Stream } from "effect"
import { type FlickrApiError, UsageError } from "../schema/Errors.js"
import { ExifReader } from "../services/files/ExifReader.js"
import { FbkConfig } from "../services/home/FbkConfig.js"
import { DetailsRepository, type QueuedPhoto } from "../services/database/DetailsRepository.js"
import { CallBudget } from "../services/flickr/CallBudget.js"
import { FlickrApi } from "../services/flickr/FlickrApi.js"
import type { FlickrError } from "../services/flickr/FlickrHttp.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { counted, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { SyncRunRepository } from "../services/database/SyncRunRepository.js"
import { sidecarsIfKept } from "./sidecars/SidecarSync.js"
import { FETCH_CONCURRENCY } from "./sync/Paging.js"
import { nowSeconds, secondsSince } from "./sync/SyncRun.js"

/** Flickr's per-photo refusals (not found: deleted or private; permission denied): recorded, and the run goes on. */
const PER_PHOTO_CODES = new Set([1, 2])
/** --max-calls spent: the photo being read stays queued, whole, for the next run. */
class OutOfCalls extends Data.TaggedError("OutOfCalls")<Record<never, never>> {}

const isPerPhoto = (error: FlickrError | OutOfCalls): error is FlickrApiError => error._tag === "FlickrApiError" && PER_PHOTO_CODES.has(error.code)

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
const readPhoto = (photo: QueuedPhoto, gate: CallGate) =>
  Effect.gen(function*() {
    const flickr = yield* FlickrApi
    const exifReader = yield* ExifReader
    const api = {
      photoInfo: (id: string) => gate(flickr.photoInfo(id)),
      photoExif: (id: string) => gate(flickr.photoExif(id)),
      photoComments: (id: string) => gate(flickr.photoComments(id)),
      photoPeople: (id: string) => gate(flickr.photoPeople(id))
    }
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

/** Lets a call through while the run's calls last, counting it; none: every call goes. */
type CallGate = <A, E, R>(call: Effect.Effect<A, E, R>) => Effect.Effect<A, E | OutOfCalls, R>

const callGate = (maxCalls: Option.Option<number>) =>
  Effect.map(Ref.make(Option.getOrElse(maxCalls, () => Number.POSITIVE_INFINITY)), (left): CallGate => (call) =>
    Effect.zipRight(
      Effect.filterOrFail(Ref.modify(left, (n) => n > 0 ? [true, n - 1] : [false, n]), (allowed) => allowed, () => new OutOfCalls()),
      call
    ))

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

/**
 * Reads the `planned` queued photos, a batch at a time, until the gate's calls run out; a
 * per-photo refusal is recorded and the run goes on.
 */
const readPlanned = (planned: number, gate: CallGate, limited: boolean) =>
  Effect.gen(function*() {
    const repository = yield* DetailsRepository
    const reporter = yield* Reporter
    let read = 0
    let refused = 0
    let outOfCalls = false
    const fetch = (photo: QueuedPhoto) => Effect.map(Effect.either(readPhoto(photo, gate)), (answer) => ({ photo, answer }))
    const keep = ({ answer, photo }: Effect.Effect.Success<ReturnType<typeof fetch>>) =>
      Effect.gen(function*() {
        if (Either.isRight(answer)) {
          yield* storeAnswer(photo, answer.right)
          read++
        } else if (answer.left._tag === "OutOfCalls") {
          outOfCalls = true
          return
        } else if (isPerPhoto(answer.left)) {
          yield* repository.storeError(photo, answer.left.code, answer.left.message, yield* nowSeconds)
          refused++
        } else {
          return yield* answer.left
        }
        yield* reporter.progress({ label: "Details", done: read + refused, total: planned, unit: "photos" })
      })
    // The queue is what is still unread: each batch is asked for after the one before is stored.
    while (!outOfCalls && read + refused < planned) {
      const batch = yield* repository.queued(Math.min(QUEUE_BATCH, planned - read - refused))
      if (batch.length === 0) break
      yield* Stream.fromIterable(batch).pipe(
        // Under --max-calls, one photo at a time: photos read side by side would spend the calls on
        // getInfo each and store none, and the next run would buy the same answers again.
        Stream.mapEffect(fetch, { concurrency: limited ? 1 : FETCH_CONCURRENCY }),
        Stream.runForEach(keep)
      )
    }
    return { read, refused }
  })

interface DetailsSummary {
  readonly read: number
  readonly refused: number
  readonly remaining: number
  readonly api_calls: number
  readonly seconds: number
}

const detailsLine = (summary: DetailsSummary): string =>
  `Details: ${formatCount(summary.read)} read, ${formatCount(summary.refused)} refused by Flickr (recorded); ` +
  `${counted(summary.remaining, "photo")} still queued; ${counted(summary.api_calls, "API call")}, ${summary.seconds.toFixed(1)}s`

const readQueue = (options: { readonly maxCalls: Option.Option<number> }) =>
  Effect.gen(function*() {
    const repository = yield* DetailsRepository
    const reporter = yield* Reporter
    const { callsPerHour } = yield* FbkConfig
    const startedMillis = yield* Clock.currentTimeMillis
    const queued = yield* repository.countQueued
    const planned = queued
    if (queued === 0) {
      if ((yield* (yield* PhotoRepository).countLive) === 0) {
        return yield* new UsageError({ reason: "there are no photos in the database yet; run `fbk backup` first" })
      }
      yield* (yield* SyncRunRepository).markPartSynced("details", yield* nowSeconds, null)
      const summary = { read: 0, refused: 0, remaining: 0, api_calls: 0, seconds: 0 }
      yield* reporter.summary("details", summary, () => "Details: every photo's details are up to date")
      return { read: 0, refused: 0, remaining: 0 }
    }
    yield* reporter.note(
      `${counted(queued, "photo")} need details: a call each, plus EXIF once per original and comments where there are ` +
        `some; at least ${hours(queued, callsPerHour)} at ${formatCount(callsPerHour)} calls an hour` +
        Option.match(options.maxCalls, { onNone: () => "", onSome: (n) => `; this run makes at most ${counted(n, "call")}` })
    )
    const budget = yield* CallBudget
    const callsBefore = yield* budget.used
    const { read, refused } = yield* readPlanned(planned, yield* callGate(options.maxCalls), Option.isSome(options.maxCalls))
    const remaining = yield* repository.countQueued
    if (remaining === 0) yield* (yield* SyncRunRepository).markPartSynced("details", yield* nowSeconds, null)
    yield* reporter.endProgress
    const seconds = Math.round((yield* secondsSince(startedMillis)) * 10) / 10
    const summary = { read, refused, remaining, api_calls: (yield* budget.used) - callsBefore, seconds }
    yield* reporter.summary("details", summary, detailsLine)
    return { read, refused, remaining }
  })

export const details = (options: { readonly maxCalls: Option.Option<number> }) =>
  Effect.flatMap(RunLock, (lock) => lock.exclusive("details")(Effect.tap(readQueue(options), () => sidecarsIfKept)))

// `fbk download`: every live photo's file into the file store, from what the database holds
// (originals from url_o, else what getSizes offers), then the album folders. Never deletes.
import type { SqlError } from "@effect/sql/SqlError"
import { Chunk, Clock, Data, Duration, Effect, Match, Option, Stream } from "effect"
import * as path from "node:path"
import type { Fetched, FileCheckError, FileTransferError } from "../schema/Files.js"
import type { FlickrApiError } from "../schema/Errors.js"
import { expectedKindOf } from "../schema/MediaTypes.js"
import { type FetchedFile, FileRepository, type MediaFilter, type WantedPhoto } from "../services/database/FileRepository.js"
import type { SidecarChoice } from "../services/database/SidecarFileRepository.js"
import { keysetPages } from "../services/database/KeysetPages.js"
import { FileStore, originalPath, posterPath } from "../services/files/FileStore.js"
import { FileTransfer, type FileTransferFailure } from "../services/files/FileTransfer.js"
import type { FlickrError } from "../services/flickr/FlickrHttp.js"
import { FlickrApi } from "../services/flickr/FlickrApi.js"
import { counted, fileSize, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { trackedAs } from "../services/database/CommandRunRepository.js"
import { RunLock } from "../services/database/RunLock.js"
import { type LinkMode, syncFoldersAndReport } from "./folders/Folders.js"
import { sidecarsAfterDownload } from "./sidecars/SidecarSync.js"
import { NotOriginal, type Plan, plansFor } from "./download/FilePlans.js"
import { nowSeconds, secondsSince } from "./sync/SyncRun.js"

export interface DownloadOptions {
  readonly dest: Option.Option<string>
  readonly concurrency: number
  readonly only: MediaFilter
  /** How album folders reach the files (see Folders.ts); none: as the store was last told. */
  readonly links: Option.Option<LinkMode>
  /** Ask again for the files recorded as problems (a 404 that may have passed). */
  readonly retryProblems: boolean
  /** XMP sidecars beside the originals (--sidecars), or fbk's removed (--no-sidecars); none: as the store was last told. */
  readonly sidecars: Option.Option<SidecarChoice>
}

/**
 * A download with every option left to its default: the store's folder and link mode, and 4
 * transfers at once, polite to Flickr's image servers, which throttle with 429.
 */
export const DOWNLOAD_DEFAULTS: DownloadOptions = {
  dest: Option.none(),
  concurrency: 4,
  only: "all",
  links: Option.none(),
  retryProblems: false,
  sidecars: Option.none()
}

/** Photos read from the queue at a time; transfers run across these pages, not page by page. */
const QUEUE_BATCH = 200
/** Outcomes recorded together (after one sync of their files' folders), or those of this long, if fewer. */
const RECORD_BATCH = 64
const RECORD_WAIT = Duration.millis(200)
/** Flickr's answer for a photo that is gone or private to the caller. */
const NOT_FOUND = 1

/** What became of one photo of the queue. */
type FetchOutcome = Data.TaggedEnum<{
  Fetched: { readonly photo: WantedPhoto; readonly file: FetchedFile }
  Failed: { readonly photo: WantedPhoto; readonly problem: string; readonly url: string | null; readonly poster: boolean }
}>
const FetchOutcome = Data.taggedEnum<FetchOutcome>()

type FetchFailure = FileTransferFailure | FlickrError | SqlError

/** The record of `plan`'s file, fetched to `relative`; `previous` is why the plan before it failed. */
const fetchedFile = (photo: WantedPhoto, plan: Plan, relative: string, done: Fetched, previous: string): FetchedFile => ({
  photoId: photo.id,
  role: plan.role,
  path: relative,
  bytes: done.bytes,
  sha256: done.sha256,
  sourceUrl: plan.url,
  forSecret: photo.original_secret ?? photo.secret,
  notOriginalReason: Match.valueTags(plan.notOriginal, {
    IsOriginal: () => null,
    Because: ({ reason }) => reason,
    OriginalFailed: () => `the Video Original failed (${previous})`
  })
})

/** How one photo's file is fetched into `destination`: its plans tried in order, the first file fetched and checked wins. */
const photoFetcher = (destination: string) =>
  Effect.gen(function*() {
    const transfer = yield* FileTransfer
    const api = yield* FlickrApi
    const store = yield* FileStore

    const tryPlans = (photo: WantedPhoto, plans: ReadonlyArray<Plan>, previous: string): Effect.Effect<FetchOutcome, FetchFailure> => {
      const [plan, ...rest] = plans
      if (plan === undefined) return Effect.succeed(FetchOutcome.Failed({ photo, problem: "Flickr offers no file for it", url: null, poster: false }))
      const relative = originalPath(photo, plan.ext)
      return transfer.fetchTo({ url: plan.url, target: path.join(destination, relative), expect: plan.expect }).pipe(
        Effect.map((done): FetchOutcome => FetchOutcome.Fetched({ photo, file: fetchedFile(photo, plan, relative, done, previous) })),
        // Worth a fallback or a note: the file is not there, or not what it should be; or a
        // flaky Video Original still failing after its retries, while an MP4 remains to try.
        Effect.catchIf(
          (e): e is FileTransferError | FileCheckError =>
            e._tag === "FileCheckError" || (e._tag === "FileTransferError" && (!e.retryable || rest.length > 0)),
          (e) => rest.length === 0 ? Effect.succeed(FetchOutcome.Failed({ photo, problem: e.reason, url: plan.url, poster: false })) : tryPlans(photo, rest, e.reason)
        )
      )
    }

    return (photo: WantedPhoto): Effect.Effect<FetchOutcome, FetchFailure> =>
      Effect.gen(function*() {
        const plans = yield* plansFor(api, photo)
        if (plans.length > 0 && photo.current_id !== null && photo.current_path !== null) {
          yield* store.keepEarlierOriginal(destination, photo.current_id, photo.current_path, photo.current_fetched_at ?? 0)
        }
        return yield* tryPlans(photo, plans, "")
      }).pipe(
        Effect.catchIf(
          (e): e is FlickrApiError => e._tag === "FlickrApiError" && e.code === NOT_FOUND,
          (e) => Effect.succeed(FetchOutcome.Failed({ photo, problem: `Flickr: ${e.message}`, url: null, poster: false }))
        )
      )
  })

/**
 * How one video's poster is fetched into `destination` (its url_o, a JPEG; no API call). A failure
 * is not recorded in file_problems, which holds the video's own file's problem.
 */
const posterFetcher = (destination: string) =>
  Effect.gen(function*() {
    const transfer = yield* FileTransfer
    const store = yield* FileStore
    return (photo: WantedPhoto): Effect.Effect<FetchOutcome, FetchFailure> =>
      Effect.gen(function*() {
        const url = photo.url_o!
        if (photo.current_id !== null && photo.current_path !== null) {
          yield* store.keepEarlierOriginal(destination, photo.current_id, photo.current_path, photo.current_fetched_at ?? 0)
        }
        const relative = posterPath(photo)
        // A poster's size need not be the video's: only its kind is checked.
        const done = yield* transfer.fetchTo({ url, target: path.join(destination, relative), expect: { kind: expectedKindOf("jpg") } })
        const plan: Plan = { url, role: "poster", ext: "jpg", expect: { kind: expectedKindOf("jpg") }, notOriginal: NotOriginal.IsOriginal() }
        return FetchOutcome.Fetched({ photo, file: fetchedFile(photo, plan, relative, done, "") })
      }).pipe(
        Effect.catchIf(
          (e): e is FileTransferError | FileCheckError => e._tag === "FileCheckError" || (e._tag === "FileTransferError" && !e.retryable),
          (e) => Effect.succeed(FetchOutcome.Failed({ photo, problem: e.reason, url: photo.url_o, poster: true }))
        )
      )
  })

/** What a run fetched: files, their bytes, how many are not the original, and problems recorded. */
const NO_TALLY = { fetched: 0, bytes: 0, notOriginal: 0, problems: 0 }
type Tally = Readonly<typeof NO_TALLY>

const tallied = (tally: Tally, outcome: FetchOutcome): Tally =>
  Match.valueTags(outcome, {
    Fetched: ({ file }) => ({
      ...tally,
      fetched: tally.fetched + 1,
      bytes: tally.bytes + file.bytes,
      notOriginal: tally.notOriginal + (file.role === "largest available" ? 1 : 0)
    }),
    Failed: () => ({ ...tally, problems: tally.problems + 1 })
  })

/** What a queue's run did: its --json record, from which its line is made. */
export interface QueueSummary {
  readonly folder: string
  readonly wanted: number
  readonly fetched: number
  readonly bytes: number
  readonly not_original: number
  readonly problems: number
  readonly seconds: number
}

const queueSummary = (destination: string, wanted: number, tally: Tally, seconds: number): QueueSummary => ({
  folder: destination,
  wanted,
  fetched: tally.fetched,
  bytes: tally.bytes,
  not_original: tally.notOriginal,
  problems: tally.problems,
  seconds: Math.round(seconds * 10) / 10
})

/** The run's closing line. */
export const downloadSummary = (summary: QueueSummary): string =>
  summary.wanted === 0
    ? `Download: nothing to fetch into ${summary.folder}`
    : `Download: ${counted(summary.fetched, "file")} (${fileSize(summary.bytes)}) in ${summary.seconds.toFixed(1)}s, ` +
      `${fileSize(summary.bytes / Math.max(summary.seconds, 0.001))}/s; ${formatCount(summary.not_original)} not the original; ` +
      `${counted(summary.problems, "problem")}${summary.problems > 0 ? " (see `fbk status`)" : ""}`

const postersSummary = (summary: QueueSummary): string =>
  `Posters: ${counted(summary.fetched, "video poster")} (${fileSize(summary.bytes)}) in ${summary.seconds.toFixed(1)}s; ` +
  `${counted(summary.problems, "problem")}${summary.problems > 0 ? " (listed above; tried again next run)" : ""}`

/** An outcome into the database: the file, or why there is none (a poster's failure is only reported: see `posterFetcher`). */
const recordOutcome = (outcome: FetchOutcome) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const reporter = yield* Reporter
    const now = yield* nowSeconds
    yield* Match.valueTags(outcome, {
      Fetched: ({ file }) => files.record(file, now),
      Failed: ({ photo, poster, problem, url }) =>
        poster
          ? reporter.warn(`poster of video ${photo.id} not fetched: ${problem}${url === null ? "" : ` (${url})`}`)
          : files.recordProblem(photo.id, photo.original_secret ?? photo.secret, problem, url, now)
    })
  })

/** What a queue fetches: the photos wanted in keyset pages by id, and how one is fetched. */
interface Queue {
  readonly label: string
  readonly wanted: number
  readonly page: (after: string | null) => Effect.Effect<ReadonlyArray<WantedPhoto>, SqlError>
  readonly fetchOne: (photo: WantedPhoto) => Effect.Effect<FetchOutcome, FetchFailure>
}

/** The queue fetched `concurrency` at a time as one stream, each outcome recorded as it comes. */
const fetchQueue = (destination: string, queue: Queue, options: DownloadOptions) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const startedMillis = yield* Clock.currentTimeMillis
    yield* reporter.note(`${counted(queue.wanted, queue.label === "Files" ? "file" : "poster")} to fetch into ${destination}`)
    const transfer = yield* FileTransfer
    const files = yield* FileRepository
    const tally = yield* keysetPages(queue.page, (photo) => photo.id).pipe(
      Stream.mapEffect(queue.fetchOne, { concurrency: options.concurrency, unordered: true }),
      // Recorded a batch at a time, each after its files' folders are synced: one fsync a folder, not a file,
      // and one commit a batch.
      Stream.groupedWithin(RECORD_BATCH, RECORD_WAIT),
      Stream.runFoldEffect(NO_TALLY, (tally, outcomes) =>
        Effect.gen(function*() {
          yield* transfer.syncRenamed
          yield* files.transaction(Effect.forEach(outcomes, recordOutcome, { discard: true }))
          const next = Chunk.reduce(outcomes, tally, tallied)
          const seconds = yield* secondsSince(startedMillis)
          yield* reporter.progress({
            label: queue.label,
            done: next.fetched + next.problems,
            total: queue.wanted,
            unit: "files",
            detail: `${fileSize(next.bytes)}, ${fileSize(next.bytes / Math.max(seconds, 0.001))}/s`
          })
          return next
        }))
    )
    yield* reporter.endProgress
    return { tally, seconds: yield* secondsSince(startedMillis) }
  })

/** The videos' posters, after their files: Flickr's url_o of a video is a JPEG, fetched without an API call. */
const fetchPosters = (destination: string, options: DownloadOptions) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const wanted = yield* files.countWantedPosters
    if (wanted === 0) return NO_TALLY
    const fetchOne = yield* posterFetcher(destination)
    const { seconds, tally } = yield* fetchQueue(destination, { label: "Posters", wanted, page: (after) => files.wantedPosters(after, QUEUE_BATCH), fetchOne }, options)
    yield* (yield* Reporter).summary("posters", queueSummary(destination, wanted, tally, seconds), postersSummary)
    return tally
  })

/** Every photo's current file, the one-line summary after them. */
const fetchOriginals = (destination: string, wanted: number, options: DownloadOptions) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const fetchOne = yield* photoFetcher(destination)
    const { seconds, tally } = yield* fetchQueue(destination, { label: "Files", wanted, page: (after) => files.wanted(options.only, after, QUEUE_BATCH), fetchOne }, options)
    yield* (yield* Reporter).summary("files", queueSummary(destination, wanted, tally, seconds), downloadSummary)
    return tally
  })

const fetchRun = (options: DownloadOptions) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const destination = yield* (yield* FileStore).prepare(options.dest)
    if (options.retryProblems) yield* files.clearProblems
    const wanted = yield* files.countWanted(options.only)
    const tally = wanted === 0
      ? yield* Effect.as((yield* Reporter).summary("files", queueSummary(destination, 0, NO_TALLY, 0), downloadSummary), NO_TALLY)
      : yield* fetchOriginals(destination, wanted, options)
    const posters = options.only === "photos" ? NO_TALLY : yield* fetchPosters(destination, options)
    yield* foldersInStep(destination, options.links)
    yield* sidecarsAfterDownload(destination, options.sidecars)
    return { fetched: tally.fetched, bytes: tally.bytes, problems: tally.problems, posters: posters.fetched }
  })

/** The album and collection folders, brought in step with the database after the files. */
const foldersInStep = (destination: string, asked: Option.Option<LinkMode>) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const links = yield* Option.match(asked, { onNone: () => files.links, onSome: Effect.succeed })
    if (Option.isSome(asked)) yield* files.setLinks(asked.value)
    yield* syncFoldersAndReport({ destination, links })
  })

export const download = (options: DownloadOptions) =>
  Effect.flatMap(RunLock, (lock) => lock.exclusive("download")(trackedAs("download")(fetchRun(options))))

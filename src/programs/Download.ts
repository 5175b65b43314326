// `fbk download`: every live photo's file into the file store, from what the database holds
// (originals from url_o, else what getSizes offers), then the album folders. Never deletes.
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import type { SqlError } from "@effect/sql/SqlError"
import { Clock, Effect, Option, Stream } from "effect"
import * as fsp from "node:fs/promises"
import * as path from "node:path"
import { type Expected, type FileCheckError, type FileTransferError, FileWriteError } from "../schema/Files.js"
import { type FlickrApiError, UsageError } from "../schema/Errors.js"
import { expectedKindOf, isFlickrImageFormat } from "../schema/MediaTypes.js"
import { largestPhotoSize, largestVideoFile, type OfferedSize, videoOriginal } from "../schema/Sizes.js"
import { FbkConfig } from "../services/home/FbkConfig.js"
import { type FetchedFile, FileRepository, type MediaFilter, type WantedPhoto } from "../services/database/FileRepository.js"
import { FileTransfer, type FileTransferFailure } from "../services/files/FileTransfer.js"
import type { FlickrError } from "../services/flickr/FlickrHttp.js"
import { FlickrApi } from "../services/flickr/FlickrApi.js"
import { counted, formatCount, megabytes, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { type LinkMode, syncFoldersAndReport } from "./folders/Folders.js"
import { nowSeconds, secondsSince } from "./sync/SyncRun.js"

export interface DownloadOptions {
  readonly dest: Option.Option<string>
  readonly concurrency: number
  readonly only: MediaFilter
  /** How album folders reach the files (see Folders.ts); none: as the store was last told. */
  readonly links: Option.Option<LinkMode>
  /** Ask again for the files recorded as problems (a 404 that may have passed). */
  readonly retryProblems: boolean
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
  retryProblems: false
}

/** Photos taken from the queue at a time. */
const QUEUE_BATCH = 200
/** Below this much free space a run does not start: it could not finish even one large file. */
const LEAST_FREE_BYTES = 64 * 1024 * 1024
/** Flickr's answer for a photo that is gone or private to the caller. */
const NOT_FOUND = 1

const NO_ORIGINAL = "Flickr offers no original of this photo (no url_o in the listing: since 15 May 2025 " +
  "originals of free accounts cannot be downloaded, even by their owner)"
const NO_VIDEO_ORIGINAL = "Flickr offers no Video Original for this video"

/** A video original's extension: Flickr's original_format of a video is often an image's ("jpg"). */
const videoExtension = (format: string | null): string =>
  format === null || isFlickrImageFormat(format) ? "mp4" : format.toLowerCase()

/** The extension of a file URL's last path segment, if it has one. */
const extensionOf = (url: string): string | null => {
  const match = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)
  return match === null ? null : match[1]!.toLowerCase()
}

/**
 * `originals/YYYY/MM/<id>.<ext>` by date taken; `undated/` when Flickr has no date. The id and
 * extension come from Flickr's answers: anything but plain digits and letters is not let into a path.
 */
export const originalPath = (photo: Pick<WantedPhoto, "id" | "date_taken" | "date_taken_unknown">, ext: string): string => {
  const taken = /^(\d{4})-(\d{2})/.exec(photo.date_taken ?? "")
  const folder = taken === null || photo.date_taken_unknown === 1 ? "undated" : `${taken[1]}/${taken[2]}`
  const safeExt = /^[a-z0-9]{1,5}$/i.test(ext) ? ext.toLowerCase() : "bin"
  return path.join("originals", folder, `${photo.id.replace(/[^0-9A-Za-z_-]/g, "_")}.${safeExt}`)
}

/**
 * Where a file kept for an earlier original goes once the photo was replaced on Flickr: its
 * fetch date, and its row's id so that two replacements in a day never share a name.
 */
export const replacedPath = (current: string, fetchedAt: number, fileId: number): string => {
  const { dir, ext, name } = path.parse(current)
  return path.join(dir, `${name}.replaced-${new Date(fetchedAt * 1000).toISOString().slice(0, 10)}-${fileId}${ext}`)
}

/**
 * The file kept for an earlier original stays, under a name of its own, recorded as replaced
 * before anything takes its place: a run stopped at any point leaves it on disk and in `files`.
 * A second name (a hard link, else a copy) is made first, so the bytes are never at no name.
 */
export const keepEarlierOriginal = (
  fs: FileSystem.FileSystem,
  files: FileRepository,
  destination: string,
  fileId: number,
  current: string,
  fetchedAt: number
) =>
  Effect.gen(function*() {
    const aside = replacedPath(current, fetchedAt, fileId)
    const from = path.join(destination, current)
    const to = path.join(destination, aside)
    const fail = (e: PlatformError) => new FileWriteError({ path: from, reason: `cannot be kept aside (${e.message})`, cause: e })
    if (!(yield* fs.exists(to).pipe(Effect.mapError(fail))) && (yield* fs.exists(from).pipe(Effect.mapError(fail)))) {
      yield* fs.link(from, to).pipe(Effect.orElse(() => fs.copyFile(from, to)), Effect.mapError(fail))
    }
    yield* files.markReplaced(fileId, aside)
  })

/** One way to get a photo's file: the URL, what the file is, and what it must look like. */
interface Plan {
  readonly url: string
  readonly role: FetchedFile["role"]
  readonly ext: string
  readonly expect: Expected
  readonly notOriginalReason: string | null
}

const dimensions = (width: number | null, height: number | null) =>
  width !== null && height !== null && width > 0 && height > 0 ? { width, height } : {}

const fromSize = (size: OfferedSize, fallbackExt: string, reason: string): Plan => {
  const url = size.source!
  const ext = extensionOf(url) ?? fallbackExt
  return {
    url,
    role: "largest available",
    ext,
    expect: { kind: expectedKindOf(ext), ...(size.media === "video" ? {} : dimensions(size.width, size.height)) },
    notOriginalReason: reason
  }
}

/** The files to try for a photo, best first (a video's original may fail; its MP4 is the fallback). */
const plansFor = (api: FlickrApi, photo: WantedPhoto) =>
  Effect.gen(function*() {
    if (photo.media !== "video" && photo.url_o !== null) {
      const ext = photo.original_format ?? extensionOf(photo.url_o) ?? "jpg"
      return [{
        url: photo.url_o,
        role: "original",
        ext,
        expect: { kind: expectedKindOf(ext), ...dimensions(photo.width, photo.height) },
        notOriginalReason: null
      }] satisfies ReadonlyArray<Plan>
    }
    const sizes = (yield* api.photoSizes(photo.id)).sizes.size
    if (photo.media !== "video") {
      const largest = largestPhotoSize(sizes)
      return largest === undefined ? [] : [fromSize(largest, "jpg", NO_ORIGINAL)]
    }
    const plans: Array<Plan> = []
    const original = videoOriginal(sizes)
    if (original !== undefined) {
      const ext = videoExtension(photo.original_format)
      plans.push({ url: original.source!, role: "video original", ext, expect: { kind: expectedKindOf(ext) }, notOriginalReason: null })
    }
    const mp4 = largestVideoFile(sizes)
    if (mp4 !== undefined) plans.push(fromSize(mp4, "mp4", original === undefined ? NO_VIDEO_ORIGINAL : ""))
    return plans
  })

/** Checks (and creates) the file store's folder, so bad input fails before anything is recorded. */
export const prepareDestination = (requested: Option.Option<string>) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const { home } = yield* FbkConfig
    const fs = yield* FileSystem.FileSystem
    const stored = yield* files.destination
    const asked = Option.map(requested, (p) => path.resolve(p))
    if (Option.isSome(stored) && Option.isSome(asked) && asked.value !== stored.value) {
      return yield* new UsageError({
        reason: `the files of this database are kept in ${stored.value}; --dest ${asked.value} would start a second store ` +
          "(leave --dest out, or move that folder and give its new place)"
      })
    }
    const destination = Option.getOrElse(Option.orElse(stored, () => asked), () => path.join(home, "files"))
    const refuse = (reason: string) => new UsageError({ reason: `--dest ${destination} ${reason}` })
    const info = yield* fs.stat(destination).pipe(Effect.option)
    if (Option.isSome(info) && info.value.type !== "Directory") return yield* refuse("is not a folder")
    // A store that has files and is gone is a disk not mounted, not a place to start again.
    if (Option.isNone(info) && Option.isSome(stored)) {
      return yield* new UsageError({
        reason: `the file store ${destination} is missing (is its disk mounted?); nothing was fetched`
      })
    }
    if (Option.isNone(info)) {
      yield* fs.makeDirectory(destination, { recursive: true }).pipe(
        Effect.mapError((e) => refuse(`cannot be created (${e.message})`))
      )
    }
    yield* Effect.tryPromise({
      try: () => fsp.access(destination, fsp.constants.W_OK),
      catch: () => refuse("is not writable")
    })
    const free = yield* Effect.tryPromise({
      try: () => fsp.statfs(destination),
      catch: () => refuse("cannot be examined")
    })
    if (free.bavail * free.bsize < LEAST_FREE_BYTES) {
      return yield* refuse(`has only ${formatCount(free.bavail * free.bsize)} bytes free`)
    }
    if (Option.isNone(stored)) yield* files.setDestination(destination, yield* nowSeconds)
    return destination
  })

const fetchRun = (options: DownloadOptions) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const transfer = yield* FileTransfer
    const api = yield* FlickrApi
    const reporter = yield* Reporter
    const fs = yield* FileSystem.FileSystem
    const startedMillis = yield* Clock.currentTimeMillis
    const destination = yield* prepareDestination(options.dest)
    if (options.retryProblems) yield* files.clearProblems
    const wanted = yield* files.countWanted(options.only)
    if (wanted === 0) {
      yield* reporter.result(`Download: nothing to fetch into ${destination}`)
      yield* foldersInStep(destination, options.links)
      return { fetched: 0, bytes: 0, problems: 0 }
    }
    yield* reporter.note(`${counted(wanted, "file")} to fetch into ${destination}`)
    let fetched = 0
    let bytes = 0
    let notOriginal = 0
    let problems = 0

    type Outcome =
      | { readonly file: FetchedFile }
      | { readonly problem: string; readonly url: string | null }

    /** Tries the plans in order; the first file fetched and checked wins. */
    const fetchOne = (photo: WantedPhoto): Effect.Effect<{ readonly photo: WantedPhoto; readonly outcome: Outcome }, FetchFailure> =>
      Effect.gen(function*() {
        const plans = yield* plansFor(api, photo)
        if (plans.length === 0) return { photo, outcome: { problem: "Flickr offers no file for it", url: null } }
        if (photo.current_id !== null && photo.current_path !== null) {
          yield* keepEarlierOriginal(fs, files, destination, photo.current_id, photo.current_path, photo.current_fetched_at ?? 0)
        }
        let lastProblem = ""
        for (const [i, plan] of plans.entries()) {
          const relative = originalPath(photo, plan.ext)
          const attempt = yield* transfer.fetchTo({ url: plan.url, target: path.join(destination, relative), expect: plan.expect }).pipe(
            Effect.map((done) => ({ done })),
            // Worth a fallback or a note: the file is not there, or not what it should be; or a
            // flaky Video Original still failing after its retries, while an MP4 remains to try.
            Effect.catchIf(
              (e): e is FileTransferError | FileCheckError =>
                e._tag === "FileCheckError" ||
                (e._tag === "FileTransferError" && (!e.retryable || i < plans.length - 1)),
              (e) => Effect.succeed({ failed: e })
            )
          )
          if ("done" in attempt) {
            const reason = plan.notOriginalReason === ""
              ? `the Video Original failed (${lastProblem})`
              : plan.notOriginalReason
            const file: FetchedFile = {
              photoId: photo.id,
              role: plan.role,
              path: relative,
              bytes: attempt.done.bytes,
              sha256: attempt.done.sha256,
              sourceUrl: plan.url,
              forSecret: photo.original_secret ?? photo.secret,
              notOriginalReason: reason
            }
            return { photo, outcome: { file } }
          }
          lastProblem = attempt.failed.reason
          if (i === plans.length - 1) return { photo, outcome: { problem: attempt.failed.reason, url: plan.url } }
        }
        return { photo, outcome: { problem: "no file could be fetched", url: null } }
      }).pipe(
        Effect.catchIf(
          (e): e is FlickrApiError => e._tag === "FlickrApiError" && e.code === NOT_FOUND,
          (e) => Effect.succeed({ photo, outcome: { problem: `Flickr: ${e.message}`, url: null } })
        )
      )

    let after: string | null = null
    for (;;) {
      const batch: ReadonlyArray<WantedPhoto> = yield* files.wanted(options.only, after, QUEUE_BATCH)
      if (batch.length === 0) break
      after = batch[batch.length - 1]!.id
      yield* Stream.fromIterable(batch).pipe(
        Stream.mapEffect(fetchOne, { concurrency: options.concurrency, unordered: true }),
        Stream.runForEach(({ outcome, photo }) =>
          Effect.gen(function*() {
            const now = yield* nowSeconds
            if ("file" in outcome) {
              yield* files.record(outcome.file, now)
              fetched++
              bytes += outcome.file.bytes
              if (outcome.file.role === "largest available") notOriginal++
            } else {
              yield* files.recordProblem(photo.id, photo.original_secret ?? photo.secret, outcome.problem, outcome.url, now)
              problems++
            }
            const seconds = yield* secondsSince(startedMillis)
            yield* reporter.progress({
              label: "Files",
              done: fetched + problems,
              total: wanted,
              unit: "files",
              detail: `${megabytes(bytes)} MB, ${megabytes(bytes / Math.max(seconds, 0.001))} MB/s`
            })
          })
        )
      )
    }
    yield* reporter.endProgress
    const seconds = yield* secondsSince(startedMillis)
    yield* reporter.result(
      `Download: ${counted(fetched, "file")} (${megabytes(bytes)} MB) in ${seconds.toFixed(1)}s, ` +
        `${megabytes(bytes / Math.max(seconds, 0.001))} MB/s; ${formatCount(notOriginal)} not the original; ` +
        `${counted(problems, "problem")}${problems > 0 ? " (see `fbk status`)" : ""}`
    )
    yield* foldersInStep(destination, options.links)
    return { fetched, bytes, problems }
  })

type FetchFailure = FileTransferFailure | FlickrError | SqlError

/** The album and collection folders, brought in step with the database after the files. */
const foldersInStep = (destination: string, asked: Option.Option<LinkMode>) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const links = yield* Option.match(asked, { onNone: () => files.links, onSome: Effect.succeed })
    if (Option.isSome(asked)) yield* files.setLinks(asked.value)
    yield* syncFoldersAndReport({ destination, links })
  })

export const download = (options: DownloadOptions) =>
  Effect.flatMap(RunLock, (lock) => lock.exclusive("download")(fetchRun(options)))

// The file store, owned in one place: where it is (remembered; moved only onto the recorded files),
// its layout, a replaced original kept aside, a `.part` given its name, and what is on disk.
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Clock, Effect, Option } from "effect"
import * as fsp from "node:fs/promises"
import * as path from "node:path"
import { UsageError } from "../../schema/Errors.js"
import { FileReadError, FileWriteError } from "../../schema/Files.js"
import { FileRepository, type WantedPhoto } from "../database/FileRepository.js"
import { FbkConfig } from "../home/FbkConfig.js"
import { counted, fileSize, formatCount, Reporter, type ReporterShape } from "../terminal/Reporter.js"
import { hashFile } from "./FileHash.js"
import { isNotFound, plainReason } from "./NodeErrors.js"
import { finishPart } from "./StoreWrites.js"

/** Below this much free space a run does not start: it could not finish even one large file. */
const LEAST_FREE_BYTES = 64 * 1024 * 1024
/** Recorded files looked for (by size) before a folder is taken for the store moved there. */
const MOVE_SAMPLE = 20

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

/** A video's poster, beside the video: `originals/YYYY/MM/<id>.poster.jpg`. */
export const posterPath = (photo: Pick<WantedPhoto, "id" | "date_taken" | "date_taken_unknown">): string =>
  originalPath(photo, "jpg").replace(/\.jpg$/, ".poster.jpg")

/**
 * Where a file kept for an earlier original goes once the photo was replaced on Flickr: its
 * fetch date, and its row's id so that two replacements in a day never share a name.
 */
export const replacedPath = (current: string, fetchedAt: number, fileId: number): string => {
  const { dir, ext, name } = path.parse(current)
  return path.join(dir, `${name}.replaced-${new Date(fetchedAt * 1000).toISOString().slice(0, 10)}-${fileId}${ext}`)
}

const nowSeconds = Effect.map(Clock.currentTimeMillis, (millis) => Math.floor(millis / 1000))

const unreadable = (at: string) => (e: PlatformError) => new FileReadError({ path: at, reason: plainReason(e), cause: e })

/** What is at `at`: none only when nothing is (a permission or disk failure is an error, not "missing"). */
const statOf = (fs: FileSystem.FileSystem, at: string) =>
  fs.stat(at).pipe(
    Effect.map(Option.some),
    Effect.catchIf(isNotFound, () => Effect.succeedNone),
    Effect.mapError(unreadable(at))
  )

/** Of a sample of the recorded files spread over the table, how many `folder` lacks (or holds at another size). */
const recordedFilesAbsent = (fs: FileSystem.FileSystem, files: FileRepository, folder: string) =>
  Effect.gen(function*() {
    const sample = yield* files.sampleFiles(MOVE_SAMPLE)
    let absent = 0
    for (const file of sample) {
      const info = yield* statOf(fs, path.join(folder, file.path))
      if (Option.isNone(info) || info.value.type !== "File" || Number(info.value.size) !== file.bytes) absent++
    }
    return { checked: sample.length, absent }
  })

/**
 * A `--dest` other than the recorded store is taken as the store moved there only when it holds
 * the recorded files; otherwise a second store would begin, and albums/ would point at nothing.
 */
const refuseUnlessMoved = (fs: FileSystem.FileSystem, files: FileRepository, stored: string, asked: string) =>
  Effect.gen(function*() {
    const { absent, checked } = yield* recordedFilesAbsent(fs, files, asked)
    if (absent > 0) {
      return yield* new UsageError({
        reason: `the files of this database are kept in ${stored}, and --dest ${asked} does not hold them ` +
          `(${formatCount(absent)} of ${counted(checked, "recorded file")} looked for are not there); leave --dest out ` +
          `to use ${stored}, or to move the store, move the folder ${stored} itself to ${asked} and give --dest ${asked} again`
      })
    }
    return checked
  })

/** A store that has files and is gone is a disk not mounted (or a folder moved), not a place to start again. */
const missingStore = (destination: string) =>
  new UsageError({
    reason: `the file store ${destination} is missing (is its disk mounted? If you moved the folder, ` +
      "give its new place with --dest); nothing was changed"
  })

/** The store's folder as a place to write: writable, with room for a large file. */
const writableFolder = (destination: string) =>
  Effect.gen(function*() {
    const refuse = (reason: string) => new UsageError({ reason: `--dest ${destination} ${reason}` })
    yield* Effect.tryPromise({
      try: () => fsp.access(destination, fsp.constants.W_OK),
      catch: (e) => refuse(`is not writable (${plainReason(e)})`)
    })
    const free = yield* Effect.tryPromise({
      try: () => fsp.statfs(destination),
      catch: (e) => refuse(`cannot be examined (${plainReason(e)})`)
    })
    if (free.bavail * free.bsize < LEAST_FREE_BYTES) return yield* refuse(`has only ${fileSize(free.bavail * free.bsize)} free, and a large file needs ${fileSize(LEAST_FREE_BYTES)}`)
  })

/** What taking the store's folder for a run takes, found without writing anything. */
export interface StorePlan {
  readonly destination: string
  /** The folder is not there yet: it is made. */
  readonly make: boolean
  /** No store was recorded: this one is. */
  readonly record: boolean
  /** The recorded store this one is taken for, moved here. */
  readonly movedFrom: Option.Option<string>
  /** Recorded files looked for in the moved store (all there). */
  readonly found: number
}

/** The store's folder for `requested`, checked as `prepare` checks it (bad input fails the same way), nothing written. */
const planStore = (fs: FileSystem.FileSystem, files: FileRepository, home: string) => (requested: Option.Option<string>) =>
  Effect.gen(function*() {
    const stored = yield* files.destination
    const destination = Option.getOrElse(
      Option.orElse(Option.map(requested, (p) => path.resolve(p)), () => stored),
      () => path.join(home, "files")
    )
    const moving = Option.isSome(stored) && destination !== stored.value
    const existing = yield* statOf(fs, destination)
    if (Option.isSome(existing) && existing.value.type !== "Directory") {
      return yield* new UsageError({ reason: `--dest ${destination} is not a folder` })
    }
    const found = moving ? yield* refuseUnlessMoved(fs, files, Option.getOrThrow(stored), destination) : 0
    if (Option.isNone(existing) && Option.isSome(stored) && !moving) return yield* missingStore(destination)
    if (Option.isSome(existing)) yield* writableFolder(destination)
    return { destination, make: Option.isNone(existing), record: Option.isNone(stored), movedFrom: moving ? stored : Option.none(), found } satisfies StorePlan
  })

/** Checks (and creates) the store's folder, so bad input fails before anything is recorded; a move is recorded and said. */
const prepareStore = (fs: FileSystem.FileSystem, files: FileRepository, reporter: ReporterShape, home: string) => (requested: Option.Option<string>) =>
  Effect.gen(function*() {
    const plan = yield* planStore(fs, files, home)(requested)
    const { destination } = plan
    if (plan.make) {
      yield* fs.makeDirectory(destination, { recursive: true }).pipe(
        Effect.mapError((e) => new UsageError({ reason: `--dest ${destination} cannot be created (${plainReason(e)})` }))
      )
      yield* writableFolder(destination)
    }
    if (plan.record) yield* files.setDestination(destination, yield* nowSeconds)
    if (Option.isSome(plan.movedFrom)) {
      yield* files.moveDestination(destination)
      yield* reporter.result(`File store: moved from ${plan.movedFrom.value} to ${destination} (${counted(plan.found, "recorded file")} looked for, all there)`)
    }
    return destination
  })

/**
 * The file kept for an earlier original stays, under a name of its own, recorded as replaced
 * before anything takes its place: a run stopped at any point leaves it on disk and in `files`.
 * A second name (a hard link, else a copy) is made first, so the bytes are never at no name.
 */
const keepEarlierOriginal = (fs: FileSystem.FileSystem, files: FileRepository) =>
  (destination: string, fileId: number, current: string, fetchedAt: number) =>
    Effect.gen(function*() {
      const aside = replacedPath(current, fetchedAt, fileId)
      const from = path.join(destination, current)
      const to = path.join(destination, aside)
      const fail = (e: PlatformError) => new FileWriteError({ path: from, reason: `cannot be kept aside (${plainReason(e)})`, cause: e })
      if (!(yield* fs.exists(to).pipe(Effect.mapError(fail))) && (yield* fs.exists(from).pipe(Effect.mapError(fail)))) {
        yield* fs.link(from, to).pipe(Effect.orElse(() => fs.copyFile(from, to)), Effect.mapError(fail))
      }
      yield* files.markReplaced(fileId, aside)
    })

export class FileStore extends Effect.Service<FileStore>()("fbk/FileStore", {
  effect: Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const files = yield* FileRepository
    const reporter = yield* Reporter
    const { home } = yield* FbkConfig
    return {
      /** The store's folder, checked: the one recorded, or `--dest` (the first time, or the store moved there). */
      prepare: prepareStore(fs, files, reporter, home),
      /** What `prepare` would do, checked the same way, nothing written (a dry run's). */
      plan: planStore(fs, files, home),
      /** Where the store is, once anything was put into it, and that it is there. */
      located: Effect.gen(function*() {
        const stored = yield* files.destination
        if (Option.isSome(stored) && Option.isNone(yield* statOf(fs, stored.value))) return yield* missingStore(stored.value)
        return stored
      }),
      /** Whether the recorded store's folder is on disk now (none: no store yet); one that cannot be looked at is not. */
      present: Effect.flatMap(files.destination, (stored) =>
        Option.isNone(stored)
          ? Effect.succeedNone
          : statOf(fs, stored.value).pipe(
            Effect.map((info) => Option.some(Option.isSome(info) && info.value.type === "Directory")),
            Effect.orElseSucceed(() => Option.some(false))
          )),
      keepEarlierOriginal: keepEarlierOriginal(fs, files),
      /** Gives the synced, checked `part` its final name `target`, durably. */
      finishPart: (part: string, target: string) => finishPart(fs, part, target),
      /** A recorded file read back: its size and hash, or none when nothing is at `full` (or a folder is). */
      readBack: (full: string) =>
        Effect.flatMap(statOf(fs, full), (info) =>
          Option.isNone(info) || info.value.type !== "File"
            ? Effect.succeedNone
            : Effect.map(Effect.mapError(hashFile(full), unreadable(full)), Option.some)),
      /** Moves `full` aside to `aside` (a rename: nothing on disk is ever deleted). */
      setAside: (full: string, aside: string) =>
        fs.rename(full, aside).pipe(
          Effect.mapError((e) => new FileWriteError({ path: full, reason: `cannot be set aside (${plainReason(e)})`, cause: e }))
        )
    } as const
  }),
  dependencies: [FileRepository.Default]
}) {}

// `fbk import-export PATH...`: Flickr's own data export (zips, or folders they were unpacked into)
// into the database and the file store; on a home never set up, the whole account from the export.
import { FileSystem } from "@effect/platform"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option } from "effect"
import * as path from "node:path"
import { UsageError } from "../schema/Errors.js"
import type { FileWriteError } from "../schema/Files.js"
import {
  exportAccountFrom,
  exportAlbumsFrom,
  ExportIncomplete,
  type ExportPhoto,
  exportPhotoFrom,
  sortExport
} from "../schema/Export.js"
import { isVideoExtension } from "../schema/MediaTypes.js"
import { AlbumRepository } from "../services/database/AlbumRepository.js"
import { CredentialStore } from "../services/home/CredentialStore.js"
import { messageOf } from "../services/files/NodeErrors.js"
import { finishPart } from "../services/files/StoreWrites.js"
import { type CopiedEntry, type ExportEntry, ExportArchive, type ExportReadError, type ExportSource } from "../services/files/ExportArchive.js"
import { ExportRepository, type ImportedFile } from "../services/database/ExportRepository.js"
import { FileRepository } from "../services/database/FileRepository.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { counted, formatCount, megabytes, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { keepEarlierOriginal, originalPath, prepareDestination } from "./Download.js"
import { syncFoldersAndReport } from "./folders/Folders.js"
import { nowSeconds } from "./sync/SyncRun.js"

export interface ImportExportOptions {
  readonly paths: ReadonlyArray<string>
  readonly dest: Option.Option<string>
}

/** Photo JSON files read and stored per transaction. */
const PHOTO_BATCH = 250
/** A photo_<id>.json is a few KB; anything this large is not one, and is not read into memory. */
const MAX_JSON_BYTES = 64 * 1024 * 1024
/** Ids listed in the note about photos the database lacked. */
const IDS_SHOWN = 10

interface Located {
  readonly source: ExportSource
  readonly entry: ExportEntry
}

interface Media extends Located {
  readonly ext: string
  readonly alternative?: string
}

/** Every entry of the export by what it is (see `sortExport`); sources with nothing of an export in them are named. */
const inventory = (sources: ReadonlyArray<ExportSource>) => {
  const sorted = sortExport<ExportEntry, ExportSource>(sources)
  return { ...sorted, unrelated: sorted.unrelated.map((source) => source.path) }
}

/** What stops an import: the disk, or the database. Problems with the input do not. */
type ImportFailure = FileWriteError | SqlError

const where = (located: Located) => `${located.source.path}: ${located.entry.name}`
const readProblem = (e: ExportReadError) => `${e.path}${e.entry === undefined ? "" : `: ${e.entry}`}: ${e.reason}`

/** An export as found in the inputs: its entries by kind, and the problems met reading them. */
export type FoundExport = ReturnType<typeof inventory> & { readonly problems: number }

/**
 * Reads the inputs and sorts their entries, before the database is opened: input with no export in
 * it is refused without creating or changing anything. The zips stay open for the scope.
 */
export const findExport = (paths: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const archive = yield* ExportArchive
    const reporter = yield* Reporter
    let problems = 0
    const problem = (line: string) => Effect.zipRight(reporter.warn(line), Effect.sync(() => void problems++))
    const sources: Array<ExportSource> = []
    for (const input of paths) {
      const found = yield* archive.sourcesAt(input).pipe(
        Effect.catchTag("ExportReadError", (e) => Effect.as(problem(readProblem(e)), []))
      )
      for (const either of found) {
        if (either._tag === "Left") yield* problem(readProblem(either.left))
        else sources.push(either.right)
      }
    }
    const found = inventory(sources)
    for (const unrelated of found.unrelated) {
      yield* problem(`${unrelated}: not part of a Flickr export (no albums.json, photo_<id>.json, <name>_<id>_o.<ext>, or file named with the id of a photo_<id>.json given)`)
    }
    if (found.photos.size === 0 && found.media.size === 0 && found.albums.length === 0) {
      return yield* new UsageError({
        reason: `no Flickr export in ${paths.join(", ")}${problems > 0 ? ` (${counted(problems, "problem")} listed above)` : ""}; nothing was imported`
      })
    }
    return { ...found, problems } satisfies FoundExport
  })

const importRun = (options: ImportExportOptions, found: FoundExport) =>
  Effect.gen(function*() {
    const archive = yield* ExportArchive
    const exports = yield* ExportRepository
    const photosRepo = yield* PhotoRepository
    const albumsRepo = yield* AlbumRepository
    const files = yield* FileRepository
    const reporter = yield* Reporter
    const fs = yield* FileSystem.FileSystem
    // A home with an API key keeps Flickr's API as the truth; one without is built from the export.
    const fromApi = Option.isSome(yield* (yield* CredentialStore).find)

    let problems = found.problems
    const problem = (line: string) => Effect.zipRight(reporter.warn(line), Effect.sync(() => void problems++))

    // A bad --dest is bad input: refused before anything is written.
    const destination = found.media.size === 0 ? Option.none<string>() : Option.some(yield* prepareDestination(options.dest))

    /** A JSON entry parsed, or a problem reported and none. */
    const readJson = (located: Located) =>
      archive.readText(located.source, located.entry, MAX_JSON_BYTES).pipe(
        Effect.flatMap((text) =>
          Effect.try({ try: () => ({ text, json: JSON.parse(text) as unknown }), catch: messageOf }).pipe(
            Effect.catchAll((reason) => Effect.as(problem(`${where(located)} does not parse (${reason})`), undefined))
          )
        ),
        Effect.catchTag("ExportReadError", (e) => Effect.as(problem(readProblem(e)), undefined))
      )

    // ---- the account ----
    let owner: string | null = null
    if (fromApi) {
      owner = Option.getOrNull(Option.map(yield* photosRepo.account, (a) => a.nsid))
    } else {
      for (const profile of found.profiles) {
        const read = yield* readJson(profile)
        const account = read === undefined ? null : exportAccountFrom(read.json)
        if (account === null) continue
        owner = account.nsid
        const stored = yield* photosRepo.account
        const same = Option.isSome(stored) && stored.value.nsid === account.nsid && stored.value.username === account.username &&
          stored.value.fullname === account.fullname
        if (!same) yield* photosRepo.saveAccount(account, yield* nowSeconds)
      }
    }

    // ---- the photos' records ----
    const badJson = new Set<string>()
    const ids = [...found.photos.keys()].sort()
    const added: Array<string> = []
    let changed = 0
    for (let i = 0; i < ids.length; i += PHOTO_BATCH) {
      const batch: Array<ExportPhoto> = []
      for (const id of ids.slice(i, i + PHOTO_BATCH)) {
        const located = found.photos.get(id)!
        const read = yield* readJson(located)
        const photo = read === undefined
          ? "unreadable"
          : exportPhotoFrom(read.json, read.text, { owner, mediaExt: found.media.get(id)?.[0]?.ext ?? null })
        if (typeof photo === "string") {
          badJson.add(id)
          if (read !== undefined) yield* problem(`${where(located)} ${photo}`)
          continue
        }
        if (photo.row.id !== id) {
          badJson.add(id)
          yield* problem(`${where(located)} is the record of photo ${photo.row.id}, not of ${id}`)
          continue
        }
        batch.push(photo)
      }
      const stored = yield* exports.storePhotos(batch, yield* nowSeconds)
      added.push(...stored.added)
      changed += stored.changed
      yield* reporter.progress({ label: "Export records", done: Math.min(i + PHOTO_BATCH, ids.length), total: ids.length, unit: "photos" })
    }
    yield* reporter.endProgress
    if (fromApi && added.length > 0) {
      yield* reporter.warn(
        `${counted(added.length, "photo")} of the export ${added.length === 1 ? "is" : "are"} not in the database ` +
          `(deleted on Flickr, or uploaded after the last backup): kept from the export: ${added.slice(0, IDS_SHOWN).join(", ")}` +
          (added.length > IDS_SHOWN ? ", ..." : "")
      )
    }

    // ---- albums: Flickr's API owns them on a home that has it ----
    let albumCount = 0
    if (!fromApi) {
      for (const located of found.albums) {
        const read = yield* readJson(located)
        if (read === undefined) continue
        const albums = exportAlbumsFrom(read.json)
        if (typeof albums === "string") {
          yield* problem(`${where(located)} ${albums}`)
          continue
        }
        const now = yield* nowSeconds
        yield* exports.transaction(Effect.gen(function*() {
          yield* exports.storeAlbums(albums.map((a) => a.row), now)
          for (const album of albums) {
            const members = album.members.map((photo_id) => ({ photo_id, is_primary: photo_id === album.row.primary_photo_id ? 1 : 0 }))
            yield* albumsRepo.replaceMembers({ id: album.row.id, updated_at: album.row.updated_at }, members, now)
          }
        }))
        albumCount += albums.length
      }
    }

    // ---- the files ----
    const mediaIds = [...found.media.keys()].sort()
    const totalFiles = mediaIds.reduce((n, id) => n + found.media.get(id)!.length, 0)
    let copied = 0
    let copiedBytes = 0
    let already = 0
    let beside = 0
    let done = 0

    const importFile = (store: string, id: string, media: Media): Effect.Effect<void, ImportFailure> =>
      Effect.gen(function*() {
        const photo = yield* exports.photoForFile(id)
        if (Option.isNone(photo) && media.alternative !== undefined) {
          const other = yield* exports.photoForFile(media.alternative)
          if (Option.isSome(other)) return yield* importFile(store, media.alternative, { ...media, alternative: id })
        }
        if (Option.isNone(photo)) {
          // A record that did not parse has been reported already; its file waits for a rerun.
          if (!badJson.has(id)) {
            yield* problem(`${where(media)}: photo ${id} is neither in the export's photo_<id>.json files nor in the database; not imported`)
          }
          return
        }
        const earlier = yield* exports.imported(id, media.entry.bytes)
        // An unpacked file has no CRC: under a name imported before, or else with bytes hashing to a
        // file imported before (from a zip, say), it is there already; hashing it writes nothing.
        let seen = media.entry.crc32 !== null
          ? earlier.some((e) => e.crc32 === media.entry.crc32)
          : earlier.some((e) => e.entry === media.entry.name)
        if (!seen && media.entry.crc32 === null && earlier.length > 0) {
          const { sha256 } = yield* archive.hashEntry(media.source, media.entry)
          seen = earlier.some((e) => e.sha256 === sha256)
        }
        if (seen) {
          already++
          return
        }
        const now = yield* nowSeconds
        const current = photo.value
        const record = (copy: { readonly bytes: number; readonly sha256: string; readonly crc32: number }, at: string): ImportedFile => ({
          photoId: id,
          entry: media.entry.name,
          bytes: copy.bytes,
          crc32: copy.crc32,
          sha256: copy.sha256,
          path: at,
          sourceUrl: `export:${path.basename(media.source.path)}/${media.entry.name}`
        })
        /** The checked `part` as the photo's original, in the store's layout. */
        const landOriginal = (part: string, copy: CopiedEntry) =>
          Effect.gen(function*() {
            const relative = originalPath(current, media.ext)
            yield* finishPart(fs, part, path.join(store, relative))
            yield* exports.recordFile(record(copy, relative), isVideoExtension(media.ext) ? "video original" : "original", current.for_secret, now)
            copied++
            copiedBytes += copy.bytes
          })
        if (current.file_id === null || current.file_path === null) {
          const part = `${path.join(store, originalPath(current, media.ext))}.part`
          return yield* landOriginal(part, yield* archive.copyEntry(media.source, media.entry, part))
        }
        // The photo has a file: the export's is hashed first (nothing written), and copied only if it differs.
        const hashed = yield* archive.hashEntry(media.source, media.entry)
        if (hashed.sha256 === current.file_sha256) {
          yield* exports.recordEntry(record(hashed, current.file_path), current.file_id, now)
          already++
          return
        }
        const part = `${path.join(store, current.file_path)}.export.part`
        const copy = yield* archive.copyEntry(media.source, media.entry, part)
        // The store has only a smaller size (a free account's): the export's original takes its place, as a download of it would.
        if (current.file_role === "largest available") {
          yield* keepEarlierOriginal(fs, files, store, current.file_id, current.file_path, current.file_fetched_at ?? 0)
          return yield* landOriginal(part, copy)
        }
        const parsed = path.parse(current.file_path)
        const relative = path.join(parsed.dir, `${parsed.name}.export-${copy.sha256.slice(0, 12)}.${media.ext}`)
        yield* finishPart(fs, part, path.join(store, relative))
        yield* exports.recordEntry(record(copy, relative), null, now)
        beside++
        yield* reporter.warn(`photo ${id}: the export's file differs from ${current.file_path} in the store; kept beside it as ${relative}`)
      }).pipe(
        Effect.catchTag("ExportReadError", (e) => problem(readProblem(e)))
      )

    if (Option.isSome(destination)) {
      for (const id of mediaIds) {
        for (const media of found.media.get(id)!) {
          yield* importFile(destination.value, id, media)
          done++
          yield* reporter.progress({ label: "Export files", done, total: totalFiles, unit: "files", detail: `${megabytes(copiedBytes)} MB copied` })
        }
      }
      yield* reporter.endProgress
    }

    yield* reporter.result(
      `Import: ${counted(added.length, "photo")} added and ${formatCount(changed)} changed from the export` +
        (fromApi ? " (photos Flickr's API gave are left as they are)" : `, ${counted(albumCount, "album")}`) + "; " +
        `files: ${formatCount(copied)} copied (${megabytes(copiedBytes)} MB), ${formatCount(already)} already in the store, ` +
        `${formatCount(beside)} kept beside a different file; ${counted(problems, "problem")}`
    )
    if (Option.isSome(destination)) {
      yield* syncFoldersAndReport({ destination: destination.value, links: yield* files.links })
    }
    if (problems > 0) return yield* new ExportIncomplete({ problems })
    return { added: added.length, changed, albums: albumCount, copied, already, beside }
  })

/** The export `findExport` found, into the database and the file store. */
export const importExport = (options: ImportExportOptions, found: FoundExport) =>
  Effect.flatMap(RunLock, (lock) => lock.exclusive("import-export")(importRun(options, found)))

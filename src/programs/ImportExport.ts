// `fbk import-export PATH...`: Flickr's own data export (zips, or folders they were unpacked into)
// into the database and the file store; on a home never set up, the whole account from the export.
import type { SqlError } from "@effect/sql/SqlError"
import { Data, Effect, Match, Option, Ref } from "effect"
import * as path from "node:path"
import type { FileWriteError } from "../schema/Files.js"
import {
  exportAccountFrom,
  exportAlbumsFrom,
  ExportIncomplete,
  type ExportPhoto,
  exportPhotoFrom
} from "../schema/Export.js"
import { isVideoExtension } from "../schema/MediaTypes.js"
import { AlbumRepository } from "../services/database/AlbumRepository.js"
import { CredentialStore } from "../services/home/CredentialStore.js"
import { messageOf } from "../services/files/NodeErrors.js"
import { FileStore, originalPath } from "../services/files/FileStore.js"
import { type CopiedEntry, type ExportEntry, ExportArchive, type ExportSource } from "../services/files/ExportArchive.js"
import { ExportRepository, type ImportedFile, type PhotoForFile } from "../services/database/ExportRepository.js"
import { FileRepository } from "../services/database/FileRepository.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { counted, fileSize, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { syncFoldersAndReport } from "./folders/Folders.js"
import { type FoundExport, readProblem } from "./export/ExportInventory.js"
import { sidecarsIfKept } from "./sidecars/SidecarSync.js"
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

/** What stops an import: the disk, or the database. Problems with the input do not. */
type ImportFailure = FileWriteError | SqlError

const where = (located: Located) => `${located.source.path}: ${located.entry.name}`
/** Problems with the input, each reported on stderr and counted: they do not stop the import. */
interface Problems {
  readonly report: (line: string) => Effect.Effect<void>
  readonly count: Effect.Effect<number>
}

const problemsFrom = (found: FoundExport) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const count = yield* Ref.make(found.problems)
    return { report: (line) => Effect.zipRight(reporter.warn(line), Ref.update(count, (n) => n + 1)), count: Ref.get(count) } satisfies Problems
  })

/** A JSON entry parsed, or a problem reported and none. */
const readJson = (problems: Problems, located: Located) =>
  Effect.flatMap(ExportArchive, (archive) =>
    archive.readText(located.source, located.entry, MAX_JSON_BYTES).pipe(
      Effect.flatMap((text) =>
        Effect.try({ try: () => ({ text, json: JSON.parse(text) as unknown }), catch: messageOf }).pipe(
          Effect.catchAll((reason) => Effect.as(problems.report(`${where(located)} does not parse (${reason})`), undefined))
        )
      ),
      Effect.catchTag("ExportReadError", (e) => Effect.as(problems.report(readProblem(e)), undefined))
    ))

/** The account: from the export's profile on a home built from it; the stored one's on a home with Flickr's API. Its nsid. */
const importAccount = (found: FoundExport, problems: Problems, fromApi: boolean) =>
  Effect.gen(function*() {
    const photosRepo = yield* PhotoRepository
    if (fromApi) return Option.getOrNull(Option.map(yield* photosRepo.account, (a) => a.nsid))
    let owner: string | null = null
    for (const profile of found.profiles) {
      const read = yield* readJson(problems, profile)
      const account = read === undefined ? null : exportAccountFrom(read.json)
      if (account === null) continue
      owner = account.nsid
      const stored = yield* photosRepo.account
      const same = Option.isSome(stored) && stored.value.nsid === account.nsid && stored.value.username === account.username &&
        stored.value.fullname === account.fullname
      if (!same) yield* photosRepo.saveAccount(account, yield* nowSeconds)
    }
    return owner
  })

/** One photo_<id>.json as a record, or a problem reported and none. */
const readPhoto = (found: FoundExport, problems: Problems, owner: string | null, id: string) =>
  Effect.gen(function*() {
    const located = found.photos.get(id)!
    const read = yield* readJson(problems, located)
    if (read === undefined) return undefined
    const photo = exportPhotoFrom(read.json, read.text, { owner, mediaExt: found.media.get(id)?.[0]?.ext ?? null })
    if (typeof photo === "string") return yield* Effect.as(problems.report(`${where(located)} ${photo}`), undefined)
    if (photo.row.id !== id) {
      return yield* Effect.as(problems.report(`${where(located)} is the record of photo ${photo.row.id}, not of ${id}`), undefined)
    }
    return photo
  })

/** The photos' records, PHOTO_BATCH a transaction: the ids added, how many changed, and the ids whose record did not read. */
const importRecords = (found: FoundExport, problems: Problems, owner: string | null) =>
  Effect.gen(function*() {
    const exports = yield* ExportRepository
    const reporter = yield* Reporter
    const badJson = new Set<string>()
    const ids = [...found.photos.keys()].sort()
    const added: Array<string> = []
    let changed = 0
    for (let i = 0; i < ids.length; i += PHOTO_BATCH) {
      const batch: Array<ExportPhoto> = []
      for (const id of ids.slice(i, i + PHOTO_BATCH)) {
        const photo = yield* readPhoto(found, problems, owner, id)
        if (photo === undefined) badJson.add(id)
        else batch.push(photo)
      }
      const stored = yield* exports.storePhotos(batch, yield* nowSeconds)
      added.push(...stored.added)
      changed += stored.changed
      yield* reporter.progress({ label: "Export records", done: Math.min(i + PHOTO_BATCH, ids.length), total: ids.length, unit: "photos" })
    }
    yield* reporter.endProgress
    return { added: added as ReadonlyArray<string>, changed, badJson: badJson as ReadonlySet<string> }
  })

/** On a home with Flickr's API, the photos the export has and the database lacked, named. */
const warnAdded = (added: ReadonlyArray<string>) =>
  Effect.flatMap(Reporter, (reporter) =>
    reporter.warn(
      `${counted(added.length, "photo")} of the export ${added.length === 1 ? "is" : "are"} not in the database ` +
        `(deleted on Flickr, or uploaded after the last backup): kept from the export: ${added.slice(0, IDS_SHOWN).join(", ")}` +
        (added.length > IDS_SHOWN ? ", ..." : "")
    ))

/** The albums of the export with their members, each albums.json in one transaction; how many. */
const importAlbums = (found: FoundExport, problems: Problems) =>
  Effect.gen(function*() {
    const exports = yield* ExportRepository
    const albumsRepo = yield* AlbumRepository
    let count = 0
    // Flickr lists an account's albums in its order, continued across albums.json files.
    for (const located of found.albums) {
      const read = yield* readJson(problems, located)
      if (read === undefined) continue
      const albums = exportAlbumsFrom(read.json)
      if (typeof albums === "string") {
        yield* problems.report(`${where(located)} ${albums}`)
        continue
      }
      const now = yield* nowSeconds
      yield* exports.transaction(Effect.gen(function*() {
        yield* exports.storeAlbums(albums.map((a) => a.row), now)
        yield* albumsRepo.placeAlbums(albums.map((a) => a.row.id), count)
        for (const album of albums) {
          const members = album.members.map((photo_id) => ({ photo_id, is_primary: photo_id === album.row.primary_photo_id ? 1 : 0 }))
          yield* albumsRepo.replaceMembers({ id: album.row.id, updated_at: album.row.updated_at }, members, now)
        }
      }))
      count += albums.length
    }
    return count
  })

/** What became of one media file of the export. */
type FileImport = Data.TaggedEnum<{
  Copied: { readonly bytes: number }
  Already: Record<never, never>
  Beside: Record<never, never>
  Skipped: Record<never, never>
}>
const FileImport = Data.taggedEnum<FileImport>()

/**
 * Whether the entry was imported before. An unpacked file has no CRC: under a name imported before,
 * or else with bytes hashing to a file imported before (from a zip, say), it is there already.
 */
const importedBefore = (id: string, media: Media) =>
  Effect.gen(function*() {
    const earlier = yield* (yield* ExportRepository).imported(id, media.entry.bytes)
    if (media.entry.crc32 !== null) return earlier.some((e) => e.crc32 === media.entry.crc32)
    if (earlier.some((e) => e.entry === media.entry.name)) return true
    if (earlier.length === 0) return false
    const { sha256 } = yield* (yield* ExportArchive).hashEntry(media.source, media.entry)
    return earlier.some((e) => e.sha256 === sha256)
  })

const importedFile = (id: string, media: Media, copy: CopiedEntry, at: string): ImportedFile => ({
  photoId: id,
  entry: media.entry.name,
  bytes: copy.bytes,
  crc32: copy.crc32,
  sha256: copy.sha256,
  path: at,
  sourceUrl: `export:${path.basename(media.source.path)}/${media.entry.name}`
})

/** The checked `part` as the photo's original, in the store's layout, recorded. */
const landOriginal = (store: string, current: PhotoForFile, media: Media, part: string, copy: CopiedEntry) =>
  Effect.gen(function*() {
    const relative = originalPath(current, media.ext)
    yield* (yield* FileStore).finishPart(part, path.join(store, relative))
    const role = isVideoExtension(media.ext) ? "video original" : "original"
    yield* (yield* ExportRepository).recordFile(importedFile(current.id, media, copy, relative), role, current.for_secret, yield* nowSeconds)
    return FileImport.Copied({ bytes: copy.bytes })
  })

/** The export's file for a photo that has one in the store: hashed first (nothing written), copied only if it differs. */
const besideCurrent = (store: string, current: PhotoForFile & { readonly file_id: number; readonly file_path: string }, media: Media) =>
  Effect.gen(function*() {
    const archive = yield* ExportArchive
    const exports = yield* ExportRepository
    const hashed = yield* archive.hashEntry(media.source, media.entry)
    if (hashed.sha256 === current.file_sha256) {
      yield* exports.recordEntry(importedFile(current.id, media, hashed, current.file_path), current.file_id, yield* nowSeconds)
      return FileImport.Already()
    }
    const part = `${path.join(store, current.file_path)}.export.part`
    const copy = yield* archive.copyEntry(media.source, media.entry, part)
    // The store has only a smaller size (a free account's): the export's original takes its place, as a download of it would.
    if (current.file_role === "largest available") {
      yield* (yield* FileStore).keepEarlierOriginal(store, current.file_id, current.file_path, current.file_fetched_at ?? 0)
      return yield* landOriginal(store, current, media, part, copy)
    }
    const parsed = path.parse(current.file_path)
    const relative = path.join(parsed.dir, `${parsed.name}.export-${copy.sha256.slice(0, 12)}.${media.ext}`)
    yield* (yield* FileStore).finishPart(part, path.join(store, relative))
    yield* exports.recordEntry(importedFile(current.id, media, copy, relative), null, yield* nowSeconds)
    yield* (yield* Reporter).warn(`photo ${current.id}: the export's file differs from ${current.file_path} in the store; kept beside it as ${relative}`)
    return FileImport.Beside()
  })

/** One media file of the export into the store at `store`, under the photo the database knows it as. */
const importFile = (
  store: string,
  problems: Problems,
  badJson: ReadonlySet<string>,
  id: string,
  media: Media
): Effect.Effect<FileImport, ImportFailure, ImportFileNeeds> =>
  Effect.gen(function*() {
    const exports = yield* ExportRepository
    const photo = yield* exports.photoForFile(id)
    if (Option.isNone(photo) && media.alternative !== undefined && Option.isSome(yield* exports.photoForFile(media.alternative))) {
      return yield* importFile(store, problems, badJson, media.alternative, { ...media, alternative: id })
    }
    if (Option.isNone(photo)) {
      // A record that did not parse has been reported already; its file waits for a rerun.
      if (!badJson.has(id)) {
        yield* problems.report(`${where(media)}: photo ${id} is neither in the export's photo_<id>.json files nor in the database; not imported`)
      }
      return FileImport.Skipped()
    }
    if (yield* importedBefore(id, media)) return FileImport.Already()
    const current = photo.value
    if (current.file_id !== null && current.file_path !== null) {
      return yield* besideCurrent(store, { ...current, file_id: current.file_id, file_path: current.file_path }, media)
    }
    const part = `${path.join(store, originalPath(current, media.ext))}.part`
    return yield* landOriginal(store, current, media, part, yield* (yield* ExportArchive).copyEntry(media.source, media.entry, part))
  }).pipe(
    Effect.catchTag("ExportReadError", (e) => Effect.as(problems.report(readProblem(e)), FileImport.Skipped()))
  )

type ImportFileNeeds = ExportRepository | ExportArchive | FileStore | Reporter

export interface FileCounts {
  readonly copied: number
  readonly copiedBytes: number
  readonly already: number
  readonly beside: number
}

const NO_FILES: FileCounts = { copied: 0, copiedBytes: 0, already: 0, beside: 0 }

const countedIn = (counts: FileCounts, outcome: FileImport): FileCounts =>
  Match.valueTags(outcome, {
    Copied: ({ bytes }) => ({ ...counts, copied: counts.copied + 1, copiedBytes: counts.copiedBytes + bytes }),
    Already: () => ({ ...counts, already: counts.already + 1 }),
    Beside: () => ({ ...counts, beside: counts.beside + 1 }),
    Skipped: () => counts
  })

/** Every media file of the export into the store, in id order. */
const importFiles = (store: string, found: FoundExport, problems: Problems, badJson: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const media = [...found.media.keys()].sort().flatMap((id) => found.media.get(id)!.map((file) => ({ id, file })))
    let counts = NO_FILES
    for (const [done, { file, id }] of media.entries()) {
      counts = countedIn(counts, yield* importFile(store, problems, badJson, id, file))
      yield* reporter.progress({ label: "Export files", done: done + 1, total: media.length, unit: "files", detail: `${fileSize(counts.copiedBytes)} copied` })
    }
    yield* reporter.endProgress
    return counts
  })

/** What an import did, as its steps counted it. */
export interface ImportCounts {
  /** Whether the home has Flickr's API (photos and albums then come from it, not from the export). */
  readonly fromApi: boolean
  readonly added: number
  readonly changed: number
  readonly albums: number
  readonly files: FileCounts
  readonly problems: number
}

/** The import's closing line. */
export const importSummary = (counts: ImportCounts): string =>
  `Import: ${counted(counts.added, "photo")} added and ${formatCount(counts.changed)} changed from the export` +
  (counts.fromApi ? " (photos Flickr's API gave are left as they are)" : `, ${counted(counts.albums, "album")}`) + "; " +
  `files: ${formatCount(counts.files.copied)} copied (${fileSize(counts.files.copiedBytes)}), ${formatCount(counts.files.already)} already in the store, ` +
  `${formatCount(counts.files.beside)} kept beside a different file; ${counted(counts.problems, "problem")}`

const importRun = (options: ImportExportOptions, found: FoundExport) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    // A home with an API key keeps Flickr's API as the truth; one without is built from the export.
    const fromApi = Option.isSome(yield* (yield* CredentialStore).find)
    const problems = yield* problemsFrom(found)
    // A bad --dest is bad input: refused before anything is written.
    const destination = found.media.size === 0 ? Option.none<string>() : Option.some(yield* (yield* FileStore).prepare(options.dest))
    const owner = yield* importAccount(found, problems, fromApi)
    const { added, badJson, changed } = yield* importRecords(found, problems, owner)
    if (fromApi && added.length > 0) yield* warnAdded(added)
    const albums = fromApi ? 0 : yield* importAlbums(found, problems)
    const files = Option.isSome(destination) ? yield* importFiles(destination.value, found, problems, badJson) : NO_FILES
    const counts: ImportCounts = { fromApi, added: added.length, changed, albums, files, problems: yield* problems.count }
    const record = {
      from_api: counts.fromApi,
      added: counts.added,
      changed: counts.changed,
      albums: counts.albums,
      files: { copied: files.copied, copied_bytes: files.copiedBytes, already: files.already, beside: files.beside },
      problems: counts.problems
    }
    yield* reporter.summary("import", record, () => importSummary(counts))
    if (Option.isSome(destination)) {
      yield* syncFoldersAndReport({ destination: destination.value, links: yield* (yield* FileRepository).links })
    }
    if (counts.problems > 0) return yield* new ExportIncomplete({ problems: counts.problems })
    return { added: added.length, changed, albums, copied: files.copied, already: files.already, beside: files.beside }
  })

/** The export `findExport` found, into the database and the file store. */
export const importExport = (options: ImportExportOptions, found: FoundExport) =>
  Effect.flatMap(RunLock, (lock) => lock.exclusive("import-export")(Effect.tap(importRun(options, found), () => sidecarsIfKept)))

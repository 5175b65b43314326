// `fbk link DIR...`: the media files on the user's disks, read once (hash and metadata) and then
// only when they change, each linked to the one Flickr photo it is, and a report of what is where.
import type { SqlError } from "@effect/sql/SqlError"
import { Chunk, Effect, Option, Stream } from "effect"
import * as fs from "node:fs"
import * as fsp from "node:fs/promises"
import * as path from "node:path"
import { isMediaFileName } from "../schema/MediaTypes.js"
import { LinkFolderError, type MatchResult, type MediaFacts, type MediaReading } from "../schema/Link.js"
import { trackedAs } from "../services/database/CommandRunRepository.js"
import { DiskFileRepository, type GoneLink, type PendingFile, type ReadFile } from "../services/database/DiskFileRepository.js"
import { keysetPages } from "../services/database/KeysetPages.js"
import { ExifReader, HEAD_BYTES, isJpegName, jpegFacts } from "../services/files/ExifReader.js"
import { hashFile } from "../services/files/FileHash.js"
import { isNotFound, messageOf, plainReason } from "../services/files/NodeErrors.js"
import { counted, fileSize, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { describeLinkReport, linkReport } from "./link/LinkReport.js"
import { buildIndex, type FlickrIndex, matchFile } from "./link/PhotoMatcher.js"
import { nowSeconds } from "./sync/SyncRun.js"

/** Files looked at together: one database query, one ExifTool command. */
const CHUNK = 100
/** Chunks in flight: two keep both ExifTool processes and the hashing busy. */
const CHUNKS_AT_ONCE = 2
/** Files hashed at once within a chunk. */
const HASHES_AT_ONCE = 2
/** Files matched per transaction. */
const MATCH_PAGE = 1000
/** Entries of each list the human report shows (--json shows them all). */
const SHOWN = 10

export interface LinkOptions {
  readonly folders: ReadonlyArray<string>
  readonly json: boolean
}


/**
 * Every media file under `root`, depth first, one folder open at a time. Symbolic links are not
 * followed (fbk's own album folders are links to files found anyway); unreadable folders are
 * passed to `skipped`.
 */
async function* mediaFiles(root: string, skipped: (folder: string, reason: string) => void): AsyncGenerator<string> {
  const folders = [root]
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let dir: Awaited<ReturnType<typeof fsp.opendir>>
    try {
      dir = await fsp.opendir(folder, { bufferSize: 256 })
    } catch (e) {
      skipped(folder, messageOf(e))
      continue
    }
    try {
      for await (const entry of dir) {
        const full = path.join(folder, entry.name)
        if (entry.isDirectory()) folders.push(full)
        else if (entry.isFile() && isMediaFileName(entry.name)) yield full
      }
    } catch (e) {
      // A folder removed or unmounted while it is read: what it gave is kept, the rest left out.
      skipped(folder, messageOf(e))
    }
  }
}

/** A folder to link: it must exist and be a folder; its real path, so links survive a different spelling. */
const resolveFolder = (folder: string) =>
  Effect.tryPromise({
    try: async () => {
      const real = await fsp.realpath(path.resolve(folder))
      if (!(await fsp.stat(real)).isDirectory()) throw new Error("is not a folder")
      return real
    },
    catch: (e) =>
      new LinkFolderError({
        path: folder,
        reason: isNotFound(e) ? "does not exist" : plainReason(e),
        cause: e
      })
  })

interface Tally {
  seen: number
  read: number
  bytesRead: number
}

/** The hashes of the downloaded originals (earlier, replaced ones aside), loaded once a run when a file is first read. */
type OriginalHashes = Effect.Effect<ReadonlySet<string>, SqlError>

/**
 * A file's hash, and what its metadata needs: nothing for a downloaded original's bytes, else a
 * JPEG's facts when its first bytes settle them (read from the first block while it is there).
 */
const hashAndLook = (path: string, downloaded: ReadonlySet<string>) =>
  Effect.gen(function*() {
    let inHead: Option.Option<MediaFacts> | undefined
    const jpeg = isJpegName(path)
    const { sha256 } = yield* hashFile(path, (block) =>
      Effect.sync(() => {
        if (jpeg) inHead ??= jpegFacts(block.subarray(0, HEAD_BYTES))
      }))
    const original = downloaded.has(sha256)
    return { sha256, original, inHead: original || inHead === undefined ? Option.none<MediaFacts>() : inHead }
  }).pipe(Effect.either)

/** Reads the files of a chunk that are new or changed since they were last read; marks the rest seen. */
const scanChunk = (paths: ReadonlyArray<string>, run: number, tally: Tally, originals: OriginalHashes) =>
  Effect.gen(function*() {
    const disk = yield* DiskFileRepository
    const exif = yield* ExifReader
    // Synchronous: an inode the listing just read is cached, and a promise a file cost more than the stat.
    const stats = yield* Effect.sync(() =>
      paths.map((p) => {
        try {
          const s = fs.lstatSync(p, { throwIfNoEntry: false })
          return s === undefined ? null : { path: p, size: s.size, mtimeMs: Math.floor(s.mtimeMs) }
        } catch {
          return null // gone or unreachable since its folder was listed: not seen
        }
      })
    )
    const present = stats.filter((s) => s !== null)
    const known = new Map((yield* disk.known(present.map((s) => s.path))).map((k) => [k.path, k]))
    const isUnchanged = (s: (typeof present)[number]) => {
      const k = known.get(s.path)
      return k !== undefined && k.size === s.size && k.mtime_ms === s.mtimeMs
    }
    const unchanged = present.filter(isUnchanged)
    const changed = present.filter((s) => !isUnchanged(s))
    yield* disk.markSeen(unchanged.map((s) => s.path), run)
    const downloaded = changed.length === 0 ? new Set<string>() : yield* originals
    const hashes = yield* Effect.forEach(changed, (s) => hashAndLook(s.path, downloaded), { concurrency: HASHES_AT_ONCE })
    // The rest (not a JPEG, or one its head does not settle) in one ExifTool command.
    const toRead = changed.filter((_, i) => {
      const hash = hashes[i]!
      return hash._tag === "Right" && !hash.right.original && Option.isNone(hash.right.inHead)
    })
    const readings = new Map((yield* exif.readFacts(toRead.map((s) => ({ path: s.path })))).map((reading, i) => [toRead[i]!.path, reading]))
    const read = changed.map((s, i): ReadFile => {
      const hash = hashes[i]!
      if (hash._tag === "Left") return { ...s, sha256: null, facts: null, problem: `cannot be read (${hash.left.message})` }
      const { sha256, inHead } = hash.right
      // A downloaded original's bytes link it whatever its metadata says: its metadata is not read.
      const reading: MediaReading | undefined = Option.isSome(inHead) ? { facts: inHead.value } : readings.get(s.path)
      if (reading === undefined) return { ...s, sha256, facts: null, problem: null }
      return "problem" in reading ? { ...s, sha256, facts: null, problem: reading.problem } : { ...s, sha256, facts: reading.facts, problem: null }
    })
    yield* disk.saveRead(read, run, yield* nowSeconds)
    tally.seen += present.length
    tally.read += read.length
    tally.bytesRead += changed.reduce((sum, s) => sum + s.size, 0)
  })

/** Reads what changed under `root`; returns the folders that could not be read. */
const scanFolder = (root: string, run: number, tally: Tally, originals: OriginalHashes) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const skipped: Array<{ readonly folder: string; readonly reason: string }> = []
    yield* Stream.fromAsyncIterable(mediaFiles(root, (folder, reason) => skipped.push({ folder, reason })), (e) => e).pipe(
      Stream.orDie,
      Stream.grouped(CHUNK),
      Stream.mapEffect((chunk) => scanChunk(Array.from(chunk), run, tally, originals), { concurrency: CHUNKS_AT_ONCE }),
      Stream.runForEach(() =>
        reporter.progress({
          label: "Looking at files",
          done: tally.seen,
          unit: "files",
          detail: `${formatCount(tally.read)} read, ${fileSize(tally.bytesRead)}`
        })
      )
    )
    for (const { folder, reason } of skipped) {
      yield* reporter.warn(`could not read ${folder} (${reason}): its files were left out, and what was known of them is kept`)
    }
    return skipped.map((s) => s.folder)
  })

const factsOf = (file: PendingFile): MediaFacts => ({
  taken: file.taken,
  takenFrom: file.taken_from,
  subsec: file.subsec,
  make: file.make,
  model: file.model,
  width: file.width,
  height: file.height,
  orientation: file.orientation,
  latitude: file.latitude,
  longitude: file.longitude
})

/** Nothing from its metadata: read as a downloaded original's bytes (or a file that says nothing). */
const saysNothing = (facts: MediaFacts) => Object.values(facts).every((value) => value === null)

/**
 * A page of files to match, each with its facts. A file read as a downloaded original's bytes,
 * which no stored file has any more, has its metadata read now, as any other file had.
 */
const withFacts = (page: ReadonlyArray<PendingFile>, index: FlickrIndex) =>
  Effect.gen(function*() {
    const disk = yield* DiskFileRepository
    const exif = yield* ExifReader
    const unread = page.filter((file) => saysNothing(factsOf(file)) && !index.bySha256.has(file.sha256))
    const readings = yield* exif.readFacts(unread.map((file) => ({ path: file.path })))
    yield* disk.saveFacts(unread.map((file, i) => ({ path: file.path, reading: readings[i]! })))
    const late = new Map(unread.map((file, i) => [file.path, readings[i]!]))
    return page.flatMap((file) => {
      const reading = late.get(file.path)
      if (reading === undefined) return [{ file, facts: factsOf(file) }]
      return "problem" in reading ? [] : [{ file, facts: reading.facts }]
    })
  })

/** Matches the files that need it: new or changed ones, and every one without a link when the Flickr side changed. */
const matchFiles = (run: number) =>
  Effect.gen(function*() {
    const disk = yield* DiskFileRepository
    const reporter = yield* Reporter
    const fingerprint = yield* disk.flickrFingerprint
    const all = Option.getOrNull(yield* disk.matchedAgainst) !== fingerprint
    let index: FlickrIndex | null = null
    let moved: Map<string, GoneLink> | null = null
    let matched = 0
    yield* keysetPages((after: string | null) => disk.pending(all, after ?? "", MATCH_PAGE), (file) => file.path).pipe(
      Stream.runForEachChunk((chunk) =>
        Effect.gen(function*() {
          // Built only when there is something to match: an unchanged library costs nothing here.
          index ??= buildIndex(yield* disk.flickrPhotos, yield* disk.fileHashes)
          moved ??= new Map((yield* disk.goneLinks).map((g) => [g.sha256, g]))
          const page = yield* withFacts(Chunk.toReadonlyArray(chunk), index)
          const results = page.map(({ facts, file }) => ({ path: file.path, result: matchOne(file, facts, index!, moved!) }))
          yield* disk.saveMatches(results, yield* nowSeconds)
          matched += chunk.length
          yield* reporter.progress({ label: "Matching", done: matched, unit: "files" })
        })
      )
    )
    yield* disk.setMatchedAgainst(fingerprint)
    yield* disk.dropGoneLinks
    return { matched, run }
  })

const matchOne = (file: PendingFile, facts: MediaFacts, index: FlickrIndex, moved: Map<string, GoneLink>): MatchResult => {
  const result = matchFile({ path: file.path, sha256: file.sha256, facts }, index)
  if (result.kind === "linked" && result.method === "sha256") return result
  // The same bytes as a linked file now gone: the file moved, and its link moves with it (once).
  const gone = moved.get(file.sha256)
  if (gone !== undefined) {
    moved.delete(file.sha256)
    return { kind: "linked", photoId: gone.photo_id, method: gone.method, agreed: `${gone.agreed} (moved from ${gone.path})` }
  }
  // A link carried from a moved file (whose old name may have been the evidence) stays while its
  // photo is live and nothing now points elsewhere; a second photo that fits makes it ambiguous.
  const carried = file.linked_agreed?.includes("(moved from ") === true
  if (result.kind === "none" && carried && file.linked_to !== null && file.linked_by !== null && index.live.has(file.linked_to)) {
    return { kind: "linked", photoId: file.linked_to, method: file.linked_by, agreed: file.linked_agreed ?? "" }
  }
  return result
}

export const link = (options: LinkOptions) =>
  Effect.gen(function*() {
    // Every folder is checked before anything is written, even the run lock.
    const resolved = yield* Effect.forEach(options.folders, resolveFolder)
    // A folder inside another one given is walked with it, not twice.
    const roots = [...new Set(resolved)].filter((root, _, all) => !all.some((other) => other !== root && root.startsWith(`${other}/`)))
    const lock = yield* RunLock
    return yield* lock.exclusive("link")(
      Effect.gen(function*() {
        const reporter = yield* Reporter
        const disk = yield* DiskFileRepository
        const run = yield* disk.beginRun
        const tally: Tally = { seen: 0, read: 0, bytesRead: 0 }
        const originals = yield* Effect.cached(disk.originalHashes)
        for (const root of roots) {
          const unread = yield* scanFolder(root, run, tally, originals)
          yield* disk.markGone(root, unread, run, yield* nowSeconds)
        }
        const { matched } = yield* matchFiles(run)
        yield* reporter.endProgress
        const report = yield* linkReport(options.json ? Number.MAX_SAFE_INTEGER : SHOWN)
        yield* reporter.note(
          `Link: ${counted(tally.seen, "file")} under ${counted(roots.length, "folder")}, ` +
            `${formatCount(tally.read)} read (${fileSize(tally.bytesRead)}), ${formatCount(matched)} matched`
        )
        const result = { ...report, this_run: { ...tally } }
        yield* reporter.output(options.json ? JSON.stringify(result, null, 2) : describeLinkReport(report))
        return result
      }).pipe(trackedAs("link"))
    )
  })

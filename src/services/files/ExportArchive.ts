// Reads Flickr's data export as it comes: zips (through yauzl: the central directory, ZIP64, one
// entry streamed at a time) or folders they were unpacked into; never unpacks a whole zip anywhere.
import { FileSystem } from "@effect/platform"
import { NodeStream } from "@effect/platform-node"
import { Data, Effect, Either, type Scope, Stream } from "effect"
import * as path from "node:path"
import * as zlib from "node:zlib"
import yauzl from "yauzl"
import type { FileWriteError } from "../../schema/Files.js"
import { sha256Stream } from "./FileHash.js"
import { messageOf } from "./NodeErrors.js"
import { diskFailure } from "./StoreWrites.js"

/** One file of the export: its name inside its zip or folder, its size, its CRC-32 when the zip records one. */
export interface ExportEntry {
  readonly name: string
  readonly bytes: number
  readonly crc32: number | null
}

/** A zip of the export, or a folder holding unpacked files. */
export interface ExportSource {
  readonly path: string
  readonly entries: ReadonlyArray<ExportEntry>
  readonly read: (entry: ExportEntry) => Stream.Stream<Uint8Array, ExportReadError>
}

/** A zip or file of the export that cannot be read: not a zip, truncated, damaged, unreadable. */
export class ExportReadError extends Data.TaggedError("ExportReadError")<{
  readonly path: string
  readonly entry?: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** An entry copied into a `.part` file: what was written, checked against what the zip recorded. */
export interface CopiedEntry {
  readonly bytes: number
  readonly sha256: string
  readonly crc32: number
}


const openZip = (file: string) =>
  Effect.acquireRelease(
    Effect.async<yauzl.ZipFile, ExportReadError>((resume) => {
      yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
        if (error !== null) {
          resume(Effect.fail(new ExportReadError({ path: file, reason: `not a readable zip (${error.message}): truncated, or not a zip`, cause: error })))
        } else resume(Effect.succeed(zip))
      })
    }),
    (zip) => Effect.sync(() => zip.close())
  )

/** The zip's central directory: every file entry, nothing read yet. */
const entriesOf = (file: string, zip: yauzl.ZipFile) =>
  Effect.async<Map<string, yauzl.Entry>, ExportReadError>((resume) => {
    const entries = new Map<string, yauzl.Entry>()
    zip.on("entry", (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith("/")) entries.set(entry.fileName, entry)
      zip.readEntry()
    })
    zip.once("end", () => resume(Effect.succeed(entries)))
    zip.once("error", (error: Error) =>
      resume(Effect.fail(new ExportReadError({ path: file, reason: `its list of files is damaged (${error.message})`, cause: error }))))
    zip.readEntry()
  })

const zipSource = (file: string): Effect.Effect<ExportSource, ExportReadError, Scope.Scope> =>
  Effect.gen(function*() {
    const zip = yield* openZip(file)
    const entries = yield* entriesOf(file, zip)
    const fail = (entry: string) => (cause: unknown) =>
      new ExportReadError({ path: file, entry, reason: messageOf(cause), cause })
    return {
      path: file,
      entries: Array.from(entries.values(), (e) => ({ name: e.fileName, bytes: e.uncompressedSize, crc32: e.crc32 })),
      read: (entry) =>
        Stream.unwrap(Effect.async<Stream.Stream<Uint8Array, ExportReadError>, ExportReadError>((resume) => {
          const found = entries.get(entry.name)
          if (found === undefined) return resume(Effect.fail(fail(entry.name)("no such entry")))
          zip.openReadStream(found, (error, stream) => {
            if (error !== null) return resume(Effect.fail(fail(entry.name)(error)))
            resume(Effect.succeed(NodeStream.fromReadable<ExportReadError, Uint8Array>(() => stream, fail(entry.name))))
          })
        }))
    } satisfies ExportSource
  })

export class ExportArchive extends Effect.Service<ExportArchive>()("fbk/ExportArchive", {
  effect: Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem

    /** The files of an unpacked folder (zips in it are sources of their own). */
    const folderSource = (folder: string, names: ReadonlyArray<string>) =>
      Effect.gen(function*() {
        const entries: Array<ExportEntry> = []
        for (const name of names) {
          const info = yield* fs.stat(path.join(folder, name)).pipe(
            Effect.mapError((e) => new ExportReadError({ path: path.join(folder, name), reason: e.message, cause: e }))
          )
          if (info.type === "File") entries.push({ name, bytes: Number(info.size), crc32: null })
        }
        return {
          path: folder,
          entries,
          read: (entry) =>
            fs.stream(path.join(folder, entry.name)).pipe(
              Stream.mapError((e) => new ExportReadError({ path: path.join(folder, entry.name), reason: e.message, cause: e }))
            )
        } satisfies ExportSource
      })

    /**
     * What `input` holds: a zip; or a folder with zips (each its own source, read problems kept
     * apart so the others still count) and loose files (one source). Opened zips close with the scope.
     */
    const sourcesAt = (input: string) =>
      Effect.gen(function*() {
        const full = path.resolve(input)
        const info = yield* fs.stat(full).pipe(
          Effect.mapError((e) => new ExportReadError({ path: full, reason: e._tag === "SystemError" && e.reason === "NotFound" ? "does not exist" : e.message, cause: e }))
        )
        if (info.type !== "Directory") return [yield* Effect.either(zipSource(full))]
        const names = (yield* fs.readDirectory(full, { recursive: true }).pipe(
          Effect.mapError((e) => new ExportReadError({ path: full, reason: e.message, cause: e }))
        )).sort()
        const zips = names.filter((n) => n.toLowerCase().endsWith(".zip"))
        const loose = names.filter((n) => !n.toLowerCase().endsWith(".zip"))
        const found = yield* Effect.forEach(zips, (zip) => Effect.either(zipSource(path.join(full, zip))))
        const folder = yield* folderSource(full, loose)
        return folder.entries.length === 0 ? found : [...found, Either.right(folder)]
      })

    /**
     * Streams `entry` through `each`, hashing and summing CRC-32 on the way: fails unless the bytes
     * are exactly as many as, and sum to the CRC that, the zip recorded.
     */
    const readChecked = <E, R>(source: ExportSource, entry: ExportEntry, each: (block: Uint8Array) => Effect.Effect<void, E, R>) =>
      Effect.gen(function*() {
        let crc = 0
        const { bytes, sha256 } = yield* sha256Stream(
          source.read(entry),
          (block) => Effect.map(each(block), () => void (crc = zlib.crc32(block, crc)))
        )
        const where = { path: source.path, entry: entry.name }
        if (bytes !== entry.bytes) {
          return yield* new ExportReadError({ ...where, reason: `${bytes} bytes read, ${entry.bytes} recorded: the zip is damaged` })
        }
        if (entry.crc32 !== null && crc !== entry.crc32) {
          return yield* new ExportReadError({ ...where, reason: "its bytes do not match the zip's CRC-32: the zip is damaged" })
        }
        return { bytes, sha256, crc32: crc } satisfies CopiedEntry
      })

    /**
     * Streams `entry` into `part` (replaced), checked as `readChecked` does, then fsyncs; fails
     * leaving no `part`. The caller gives `part` its final name (or drops it).
     */
    const copyEntry = (source: ExportSource, entry: ExportEntry, part: string) =>
      Effect.scoped(Effect.gen(function*() {
        yield* fs.makeDirectory(path.dirname(part), { recursive: true }).pipe(Effect.mapError(diskFailure(path.dirname(part))))
        const file = yield* fs.open(part, { flag: "w" }).pipe(Effect.mapError(diskFailure(part)))
        const copied = yield* readChecked(source, entry, (block) => file.writeAll(block).pipe(Effect.mapError(diskFailure(part))))
        yield* file.sync.pipe(Effect.mapError(diskFailure(part)))
        return copied
      })).pipe(
        Effect.tapError(() => fs.remove(part, { force: true }).pipe(Effect.ignore))
      ) satisfies Effect.Effect<CopiedEntry, ExportReadError | FileWriteError>

    /** What `entry` holds (its hash), read and checked without writing anything. */
    const hashEntry = (source: ExportSource, entry: ExportEntry) =>
      readChecked(source, entry, () => Effect.void) satisfies Effect.Effect<CopiedEntry, ExportReadError>

    /** A small entry (a JSON file) as text; larger than `limit` bytes is refused rather than held in memory. */
    const readText = (source: ExportSource, entry: ExportEntry, limit: number) =>
      entry.bytes > limit
        ? Effect.fail(new ExportReadError({ path: source.path, entry: entry.name, reason: `is ${entry.bytes} bytes, more than a JSON file of the export should be` }))
        : source.read(entry).pipe(
          Stream.decodeText(),
          Stream.mkString
        )

    return { sourcesAt, copyEntry, hashEntry, readText } as const
  })
}) {}

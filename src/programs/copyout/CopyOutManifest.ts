// The record copy-out keeps inside its folder (`.fbk-copy-out.json`) of every copy it wrote, so
// the folder carries its own state; a journal beside it covers the copies put in place since it was saved.
import { FileSystem } from "@effect/platform"
import { Effect, Option, Schema } from "effect"
import * as path from "node:path"
import { CopyOutError } from "../../schema/Files.js"
import { plainReason } from "../../services/files/NodeErrors.js"
import { syncDirectory } from "../../services/files/StoreWrites.js"
import { onDisk } from "./CopyOutFolder.js"
import { isAsWritten } from "./CopyOutPlan.js"

export const MANIFEST_NAME = ".fbk-copy-out.json"
/** Each copy appended (and fsynced) before it is renamed into place; emptied when the manifest is saved. */
export const JOURNAL_NAME = ".fbk-copy-out.journal"

/** One copy fbk wrote; its size and modification time tell whether it is still as written. */
export const CopyRecord = Schema.Struct({
  slot: Schema.String,
  photo_id: Schema.String,
  /** SHA-256 of the original it was made from. */
  source: Schema.String,
  /** SHA-256 of the metadata embedded (the rendered XMP and the options). */
  metadata: Schema.String,
  bytes: Schema.Number,
  mtime_ms: Schema.Number
})
export type CopyRecord = typeof CopyRecord.Type

const Manifest = Schema.Struct({
  fbk_copy_out: Schema.Literal(1),
  /** By target, relative to the folder, with `/` between parts. */
  copies: Schema.Record({ key: Schema.String, value: CopyRecord })
})
const ManifestJson = Schema.parseJson(Manifest)

export type Copies = Map<string, CopyRecord>

/** The copies recorded in `dir`; none when it has no manifest yet. */
export const readManifest = (dir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const file = path.join(dir, MANIFEST_NAME)
    const refuse = (reason: string) => new CopyOutError({ path: file, reason })
    const text = yield* fs.readFileString(file).pipe(
      Effect.map(Option.some),
      Effect.catchIf((e) => e._tag === "SystemError" && e.reason === "NotFound", () => Effect.succeedNone),
      Effect.mapError((e) => refuse(`cannot be read (${plainReason(e)})`))
    )
    const copies: Copies = Option.isNone(text) ? new Map() : new Map(Object.entries((yield* Schema.decodeUnknown(ManifestJson)(text.value).pipe(
      Effect.mapError(() => refuse("is not a manifest fbk wrote; move it away to start the folder afresh"))
    )).copies))
    yield* adoptJournal(dir, copies)
    return copies
  })

const JournalLine = Schema.parseJson(Schema.Struct({ target: Schema.String, record: CopyRecord }))

/**
 * A run stopped after renaming copies into place but before saving the manifest left them in the
 * journal: each one whose file is there as journalled is fbk's; any other line (the rename never
 * happened, or a line cut short) leaves the manifest's record as it was.
 */
const adoptJournal = (dir: string, copies: Copies) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* Effect.orElseSucceed(fs.readFileString(path.join(dir, JOURNAL_NAME)), () => "")
    for (const line of text.split("\n")) {
      const entry = Option.getOrUndefined(Schema.decodeUnknownOption(JournalLine)(line))
      if (entry === undefined) continue
      const disk = yield* onDisk(path.join(dir, entry.target))
      if (disk !== undefined && isAsWritten(entry.record, disk)) copies.set(entry.target, entry.record)
    }
  })

/** Records one copy in the journal, durably, before it is renamed to `target`. */
export const journalCopy = (dir: string, target: string, record: CopyRecord) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    yield* Effect.scoped(Effect.gen(function*() {
      // One write of one line with O_APPEND: lines of copies written side by side do not interleave.
      const handle = yield* fs.open(path.join(dir, JOURNAL_NAME), { flag: "a" })
      yield* handle.writeAll(new TextEncoder().encode(`${JSON.stringify({ target, record })}\n`))
      yield* handle.sync
    }))
  }).pipe(Effect.mapError((e) => new CopyOutError({ path: path.join(dir, JOURNAL_NAME), reason: `cannot be written (${plainReason(e)})`, cause: e })))

/** Writes `copies` as `dir`'s manifest atomically: a temporary name, fsync, rename. */
export const writeManifest = (dir: string, copies: Copies) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const file = path.join(dir, MANIFEST_NAME)
    const part = `${file}.part`
    const sorted = Object.fromEntries([...copies].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    const text = JSON.stringify({ fbk_copy_out: 1, copies: sorted }, null, 1)
    yield* Effect.scoped(Effect.gen(function*() {
      const handle = yield* fs.open(part, { flag: "w" })
      yield* handle.writeAll(new TextEncoder().encode(text))
      yield* handle.sync
    }))
    yield* fs.rename(part, file)
    yield* syncDirectory(fs, dir)
    // Every journalled copy is in the manifest now.
    yield* fs.remove(path.join(dir, JOURNAL_NAME)).pipe(Effect.catchIf((e) => e._tag === "SystemError" && e.reason === "NotFound", () => Effect.void))
  }).pipe(Effect.mapError((e) => new CopyOutError({ path: path.join(dir, MANIFEST_NAME), reason: `cannot be written (${plainReason(e)})`, cause: e })))

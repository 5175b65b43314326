// `fbk copy-out DIR`: copies of the chosen originals with their Flickr record inside (the sidecar's
// XMP, plus IPTC and EXIF for JPEG), for apps that read only the file; a rerun writes only what changed.
import { FileSystem } from "@effect/platform"
import { Clock, Effect, Option, Stream } from "effect"
import { createHash } from "node:crypto"
import * as path from "node:path"
import { CopyOutError } from "../schema/Files.js"
import { UsageError } from "../schema/Errors.js"
import { type CopyOutFilter, CopyOutRepository } from "../services/database/CopyOutRepository.js"
import { matchExpression } from "../services/database/SearchIndex.js"
import { FileStore } from "../services/files/FileStore.js"
import { type EmbedKind, MetadataWriter, WRITE_PROCS } from "../services/files/MetadataWriter.js"
import { plainReason } from "../services/files/NodeErrors.js"
import { syncDirectory } from "../services/files/StoreWrites.js"
import { counted, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { type Copies, type CopyRecord, journalCopy, readManifest, writeManifest } from "./copyout/CopyOutManifest.js"
import { onDisk, prepareFolder } from "./copyout/CopyOutFolder.js"
import { albumPlacements, datePlacements, type Layout, type Placement } from "./copyout/CopyOutNames.js"
import { copyOutLine, type CopyOutSummary, decide, type Decision } from "./copyout/CopyOutPlan.js"
import { xmpFor } from "./copyout/EmbeddedXmp.js"
import { noWordsReason } from "./Search.js"

export interface CopyOutOptions {
  readonly dir: string
  readonly albums: ReadonlyArray<string>
  readonly tags: ReadonlyArray<string>
  readonly search: Option.Option<string>
  /** `YYYY-MM-DD`, checked by the command: taken on or after. */
  readonly since: Option.Option<string>
  readonly layout: Layout
  readonly gps: boolean
  /** The title as the description's first line (Immich shows no title), as `fbk download --sidecars --title-in-description`. */
  readonly titleInDescription: boolean
  readonly dryRun: boolean
}

/** Copies decided and written a batch at a time; the manifest is saved after each. */
const BATCH = 100
/** Bumped when what is embedded changes for the same XMP (the ExifTool arguments), so every copy is rewritten once. */
const EMBED_VERSION = 1
/** How many paths of each list are named on stderr. */
const LISTED = 10

/** Flickr's normalised form of a tag as typed (`San Francisco` is `sanfrancisco`); machine tags keep their `:` and `=`. */
export const normalisedTag = (raw: string): string =>
  /^[a-z_][a-z0-9_]*:[a-z0-9_]+=./i.test(raw) ? raw.toLowerCase() : raw.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")

/** The options as a filter, refused in one line when they cannot choose anything sensible. */
const filterOf = (options: CopyOutOptions) =>
  Effect.gen(function*() {
    const search = Option.map(options.search, (query) => ({ query, expression: matchExpression(query) }))
    if (Option.isSome(search) && search.value.expression === null) return yield* new UsageError({ reason: `--search: ${noWordsReason(search.value.query)}` })
    const tags = options.tags.map(normalisedTag)
    const empty = options.tags.find((_, i) => tags[i] === "")
    if (empty !== undefined) return yield* new UsageError({ reason: `--tag ${JSON.stringify(empty)} has no letters or digits, so it is no Flickr tag` })
    const live = yield* (yield* CopyOutRepository).liveAlbums(options.albums)
    const unknown = options.albums.filter((id) => !live.has(id))
    if (unknown.length > 0) {
      return yield* new UsageError({ reason: `no album ${unknown.join(", ")} is stored here (\`fbk serve\` lists the albums, with their ids in each album's address); nothing was written` })
    }
    return { albums: options.albums, tags, search: Option.getOrNull(Option.flatMapNullable(search, (s) => s.expression)), since: Option.getOrNull(options.since) } satisfies CopyOutFilter
  })

export const embedKind = (file: string): EmbedKind =>
  /\.jpe?g$/i.test(file) ? "jpeg" : /\.(mp4|mov|m4v)$/i.test(file) ? "video" : "other"

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

interface Run {
  readonly folder: string
  readonly store: string
  readonly copies: Copies
  readonly options: CopyOutOptions
  readonly tally: { copied: number; updated: number; unchanged: number; leftAlone: number; failed: number; bytes: number; done: number }
  readonly leftAlone: Array<string>
}

/** The temporary names of a copy beside its place: the copy ExifTool writes, and the XMP it reads. */
const temporaries = (run: Run, placement: Placement) => {
  const dir = path.dirname(path.join(run.folder, placement.target))
  const base = path.join(dir, `.fbk-tmp.${placement.photo.id}`)
  return { dir, copy: `${base}${path.extname(placement.target)}`, xmp: `${base}.xmp` }
}

/** Writes one copy: the XMP to a temporary file beside it, ExifTool writes a temporary copy, fsync, journal, rename. */
const writeCopy = (run: Run, placement: Placement, xmp: string, metadata: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const reporter = yield* Reporter
    const target = path.join(run.folder, placement.target)
    const temp = temporaries(run, placement)
    const failed = (e: unknown) => new CopyOutError({ path: target, reason: `cannot be written (${plainReason(e)})`, cause: e })
    const source = path.join(run.store, placement.photo.path)
    if (!(yield* Effect.orElseSucceed(fs.exists(source), () => false))) {
      yield* reporter.warn(`cannot write ${placement.target}: its original ${placement.photo.path} is missing from the store (\`fbk verify --repair\` fetches it again)`)
      return Option.none()
    }
    yield* fs.makeDirectory(temp.dir, { recursive: true }).pipe(Effect.mapError(failed))
    // Left by an interrupted run: ExifTool will not write over a file.
    yield* Effect.ignore(fs.remove(temp.copy))
    yield* fs.writeFileString(temp.xmp, xmp).pipe(Effect.mapError(failed))
    const embedded = yield* (yield* MetadataWriter).copy({
      source,
      target: temp.copy,
      xmpFile: temp.xmp,
      kind: embedKind(target),
      withoutLocation: !run.options.gps
    }).pipe(Effect.as(true), Effect.catchTag("MetadataWriteError", (e) =>
      Effect.as(reporter.warn(`cannot write ${placement.target} from ${placement.photo.path}: ${e.reason}`), false)))
    if (!embedded) return Option.none()
    yield* Effect.scoped(Effect.flatMap(fs.open(temp.copy, { flag: "r+" }), (handle) => handle.sync)).pipe(Effect.mapError(failed))
    const copy = yield* onDisk(temp.copy)
    if (copy === undefined) return Option.none()
    const record: CopyRecord = { slot: placement.slot, photo_id: placement.photo.id, source: placement.photo.sha256 ?? "", metadata, ...copy }
    yield* journalCopy(run.folder, placement.target, record)
    yield* fs.rename(temp.copy, target).pipe(Effect.mapError(failed))
    yield* syncDirectory(fs, temp.dir)
    return Option.some(record)
  }).pipe(Effect.ensuring(Effect.flatMap(FileSystem.FileSystem, (fs) => {
    const temp = temporaries(run, placement)
    return Effect.all([fs.remove(temp.xmp), fs.remove(temp.copy)].map(Effect.ignore), { discard: true })
  })))

/** Does what `decision` says for one copy, recording it in the manifest. */
const carryOut = (run: Run, placement: Placement, metadata: string, xmp: string, decision: Decision) =>
  Effect.gen(function*() {
    const { tally } = run
    if (decision._tag === "Unchanged") return void tally.unchanged++
    if (decision._tag === "LeftAlone") {
      tally.leftAlone++
      run.leftAlone.push(`${placement.target} (${decision.why})`)
      return
    }
    if (decision.fresh) tally.copied++
    else tally.updated++
    if (run.options.dryRun) return
    const written = yield* writeCopy(run, placement, xmp, metadata)
    if (Option.isNone(written)) {
      if (decision.fresh) tally.copied--
      else tally.updated--
      return void tally.failed++
    }
    tally.bytes += written.value.bytes
    run.copies.set(placement.target, written.value)
    if (decision.replaces !== null) {
      yield* Effect.ignore(Effect.flatMap(FileSystem.FileSystem, (fs) => fs.remove(path.join(run.folder, decision.replaces!))))
      run.copies.delete(decision.replaces)
    }
  })

/** One batch: its photos' XMP, each copy decided from the manifest and the disk, then written. */
const copyBatch = (run: Run, batch: ReadonlyArray<Placement>, earlierOf: ReadonlyMap<string, string>, targets: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const ids = [...new Set(batch.map((p) => p.photo.id))]
    const xmps = yield* xmpFor(ids, { gps: run.options.gps, titleInDescription: run.options.titleInDescription })
    yield* Effect.forEach(batch, (placement) =>
      Effect.gen(function*() {
        const xmp = xmps.get(placement.photo.id) ?? ""
        const metadata = sha256(`${EMBED_VERSION}\n${run.options.gps}\n${xmp}`)
        const earlierTarget = earlierOf.get(placement.slot)
        const earlier = earlierTarget === undefined || earlierTarget === placement.target || targets.has(earlierTarget)
          ? undefined
          : { target: earlierTarget, record: run.copies.get(earlierTarget)!, disk: yield* onDisk(path.join(run.folder, earlierTarget)) }
        const recorded = run.copies.get(placement.target)
        const disk = yield* onDisk(path.join(run.folder, placement.target))
        const decision = decide({ slot: placement.slot, source: placement.photo.sha256 ?? "", metadata, recorded, disk, earlier })
        yield* carryOut(run, placement, metadata, xmp, decision)
        run.tally.done++
      }), { concurrency: WRITE_PROCS * 2, discard: true })
    if (!run.options.dryRun) yield* writeManifest(run.folder, run.copies)
  })

/** The copies of earlier runs no copy of this run replaces: their photo or album is no longer chosen. */
const notChosen = (copies: Copies, placements: ReadonlyArray<Placement>) => {
  const slots = new Set(placements.map((p) => p.slot))
  return [...copies.values()].filter((record) => !slots.has(record.slot)).length
}

const say = (lines: ReadonlyArray<string>, head: string) =>
  Effect.flatMap(Reporter, (reporter) =>
    lines.length === 0 ? Effect.void : Effect.forEach([head, ...lines.slice(0, LISTED).map((l) => `  ${l}`),
      ...(lines.length > LISTED ? [`  ... and ${formatCount(lines.length - LISTED)} more`] : [])], reporter.note, { discard: true }))

export const copyOut = (options: CopyOutOptions) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const started = yield* Clock.currentTimeMillis
    const filter = yield* filterOf(options)
    const store = yield* (yield* FileStore).located
    const folder = yield* prepareFolder(options.dir, store, options.dryRun)
    const copies = yield* readManifest(folder)
    const repository = yield* CopyOutRepository
    const chosen = yield* repository.chosen(filter)
    const earlierOf = new Map([...copies].map(([target, record]) => [record.slot, target]))
    const placements = options.layout === "dates"
      ? datePlacements(chosen, earlierOf)
      : albumPlacements(chosen, yield* repository.memberships(filter), earlierOf, options.albums.length > 0)
    const run: Run = {
      folder, store: Option.getOrElse(store, () => ""), copies, options, leftAlone: [],
      tally: { copied: 0, updated: 0, unchanged: 0, leftAlone: 0, failed: 0, bytes: 0, done: 0 }
    }
    const notChosenBefore = notChosen(copies, placements)
    const targets = new Set(placements.map((p) => p.target))
    yield* Stream.fromIterable(placements).pipe(
      Stream.grouped(BATCH),
      Stream.mapEffect((batch) =>
        Effect.zipRight(copyBatch(run, [...batch], earlierOf, targets), Effect.suspend(() =>
          reporter.progress({ label: options.dryRun ? "Checking" : "Copying out", done: run.tally.done, total: placements.length, unit: "copies" })))),
      Stream.runDrain,
      // Stopped or failed halfway, the copies written so far are recorded, or the next run would take them for files it did not write.
      Effect.onError(() => (options.dryRun ? Effect.void : Effect.ignore(writeManifest(folder, copies))))
    )
    yield* reporter.endProgress
    const noFile = chosen.filter((p) => p.path === null).length
    const { tally } = run
    const summary: CopyOutSummary = {
      folder, layout: options.layout, dry_run: options.dryRun, chosen: chosen.length, copies: placements.length,
      copied: tally.copied, updated: tally.updated, unchanged: tally.unchanged, no_file: noFile, left_alone: tally.leftAlone,
      not_chosen: notChosenBefore, failed: tally.failed, bytes: tally.bytes, seconds: ((yield* Clock.currentTimeMillis) - started) / 1000
    }
    yield* say(run.leftAlone, `${counted(run.leftAlone.length, "file")} where a copy would go left alone (fbk never overwrites a file it did not write, or one changed since):`)
    if (noFile > 0) yield* reporter.note(`${counted(noFile, "chosen photo")} ${noFile === 1 ? "has" : "have"} no file in the store yet (\`fbk download\` fetches them)`)
    if (notChosenBefore > 0) yield* reporter.note(`${counted(notChosenBefore, "copy", "copies")} from earlier runs ${notChosenBefore === 1 ? "is" : "are"} of photos or albums not chosen this time: left in place`)
    yield* reporter.summary("copy_out", summary, copyOutLine)
    if (tally.failed > 0) {
      return yield* new CopyOutError({ path: folder, reason: `got ${counted(tally.failed, "copy", "copies")} that could not be written (listed above); the rest are in place, and the same command tries them again` })
    }
    return summary
  })

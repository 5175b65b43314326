// A dry run's report: what the real run would do, as a short summary with examples for people,
// or one --json record; and the note when another run holds the lock (its work may change the plan).
import { Effect, Option } from "effect"
import * as path from "node:path"
import { RunLock } from "../../services/database/RunLock.js"
import type { StorePlan } from "../../services/files/FileStore.js"
import { counted, fileSize, formatCount, Reporter } from "../../services/terminal/Reporter.js"
import { describeAction, FolderAction } from "../folders/FolderPlan.js"
import type { FolderCounts } from "../folders/Folders.js"
import { type FetchPlan, type PlannedFetch, SAMPLE_SIZE } from "./FetchPlan.js"

/** A list cut to its first SAMPLE_SIZE, with how many there are. */
const capped = <A>(all: ReadonlyArray<A>) => ({ count: all.length, first: all.slice(0, SAMPLE_SIZE) })

/** The folder sync's plan: its counts, the folders made and removed, and its first changes. */
export const foldersRecord = (destination: string, counts: FolderCounts, actions: ReadonlyArray<FolderAction>) => {
  const relative = (tag: "MakeFolder" | "RemoveFolder") =>
    capped(actions.filter(FolderAction.$is(tag)).map((a) => path.relative(destination, a.at)))
  return {
    albums: counts.albums,
    collections: counts.collections,
    entries: counts.entries,
    entries_made: counts.entriesMade,
    entries_removed: counts.entriesRemoved,
    left_alone: counts.leftAlone + counts.skipped,
    missing: counts.missing,
    folders_made: relative("MakeFolder"),
    folders_removed: relative("RemoveFolder"),
    changes: capped(actions.map((a) => describeAction(destination, a)))
  }
}
export type FoldersRecord = ReturnType<typeof foldersRecord>

/** What a dry run prints: the store, the files, what a repair sets aside, the folders, and who runs now. */
export interface DryRunRecord {
  readonly dry_run: true
  readonly command: string
  readonly folder: string
  readonly store: { readonly make: boolean; readonly record: boolean; readonly moved_from: string | null }
  /** Another fbk holding the run lock now: its work may change what the real run finds. */
  readonly running: { readonly command: string; readonly pid: number } | null
  readonly set_aside?: { readonly count: number; readonly first: ReadonlyArray<{ readonly path: string; readonly to: string }> }
  readonly rows_forgotten?: number
  readonly fetch: FetchPlan
  readonly folders: FoldersRecord
}

export const storeRecord = (store: StorePlan): DryRunRecord["store"] => ({
  make: store.make,
  record: store.record,
  moved_from: Option.getOrNull(store.movedFrom)
})

/** The run holding the lock now, if another one does; said in a note. */
export const runningNow = Effect.gen(function*() {
  const holder = yield* (yield* RunLock).holder
  if (Option.isNone(holder) || holder.value.pid === process.pid) return null
  const { command, pid } = holder.value
  yield* (yield* Reporter).note(`fbk ${command} (pid ${pid}) is running now: what it changes may change this plan`)
  return { command, pid }
})

/** Each kind: one, many, and as a listed file's label. */
const KIND_WORDS = {
  photo_originals: ["photo original", "photo originals", "photo original"],
  videos: ["video", "videos", "video"],
  not_original: ["photo not the original (the largest size offered)", "photos not the original (the largest size offered)", "not the original"],
  posters: ["video poster", "video posters", "video poster"]
} as const
const REASON_WORDS = {
  new: "new",
  changed: "changed on Flickr (the earlier file kept as replaced)",
  retry: "recorded problems asked for again",
  missing: "missing from disk",
  altered: "altered on disk"
} as const

const byWords = <K extends string>(counts: Readonly<Record<K, number>>, words: (k: K, n: number) => string) =>
  (Object.keys(counts) as Array<K>).filter((k) => counts[k] > 0).map((k) => words(k, counts[k])).join(", ")

const fetchLine = (f: PlannedFetch) =>
  `  ${f.reason.padEnd(8)} ${KIND_WORDS[f.kind][2].padEnd(21)} ${f.path ?? `photo ${f.photo_id} (named once Flickr's sizes are asked for)`}`

const more = (count: number, shown: number) => (count > shown ? [`  ... and ${formatCount(count - shown)} more`] : [])

const fetchLines = (fetch: FetchPlan): ReadonlyArray<string> => {
  if (fetch.files === 0) return ["- fetch nothing"]
  const kinds = Object.fromEntries(Object.entries(fetch.kinds).map(([k, c]) => [k, c.files])) as Record<keyof typeof KIND_WORDS, number>
  const size = fetch.size_unknown === 0
    ? fileSize(fetch.bytes)
    : `${fetch.bytes > 0 ? `${fileSize(fetch.bytes)} known, ` : ""}size unknown for ${formatCount(fetch.size_unknown)}: Flickr's listing gives no sizes`
  return [
    `- fetch ${counted(fetch.files, "file")} (${size}): ${byWords(kinds, (k, n) => `${formatCount(n)} ${KIND_WORDS[k][n === 1 ? 0 : 1]}`)}`,
    `  why: ${byWords(fetch.reasons, (k, n) => `${formatCount(n)} ${REASON_WORDS[k]}`)}`,
    `  Flickr API calls: ${formatCount(fetch.get_sizes_calls)} getSizes (videos, and photos without url_o)`,
    ...fetch.sample.map(fetchLine),
    ...more(fetch.files, fetch.sample.length)
  ]
}

const folderLines = (record: DryRunRecord): ReadonlyArray<string> => {
  const f = record.folders
  const where = `albums/ and collections/ (${counted(f.albums, "album")}, ${counted(f.collections, "collection")})`
  const fetched = record.fetch.files > 0 ? ["  (for the files on record now: the entries of the files fetched are made too)"] : []
  if (f.changes.count === 0) return [`- change nothing in ${where}`, ...fetched]
  return [
    `- change ${where}: ${formatCount(f.folders_made.count)} folders made, ${formatCount(f.folders_removed.count)} removed; ` +
    `${formatCount(f.entries_made)} entries made, ${formatCount(f.entries_removed)} removed` +
    (f.missing > 0 ? `; ${formatCount(f.missing)} not made (their file is missing from originals/)` : ""),
    ...f.changes.first.map((c) => `  ${c}`),
    ...more(f.changes.count, f.changes.first.length),
    ...fetched
  ]
}

/** The human report: a line a step, with examples. */
export const dryRunLines = (record: DryRunRecord): string =>
  [
    `Dry run: nothing was written. fbk ${record.command} would:`,
    ...(record.store.make ? [`- make the file store's folder ${record.folder}`] : []),
    ...(record.store.record ? [`- record ${record.folder} as the file store`] : []),
    ...(record.store.moved_from !== null ? [`- take ${record.folder} as the file store, moved from ${record.store.moved_from}`] : []),
    ...(record.set_aside === undefined ? [] : [
      `- set ${counted(record.set_aside.count, "altered file")} aside (renamed, not deleted) and forget ${counted(record.rows_forgotten ?? 0, "file row")}`,
      ...record.set_aside.first.map((a) => `  ${a.path} -> ${a.to}`),
      ...more(record.set_aside.count, record.set_aside.first.length)
    ]),
    ...fetchLines(record.fetch),
    ...folderLines(record)
  ].join("\n")

/** The record as the run's one summary (`dry_run` in --json). */
export const reportDryRun = (record: DryRunRecord) => Effect.flatMap(Reporter, (reporter) => reporter.summary("dry_run", record, dryRunLines))

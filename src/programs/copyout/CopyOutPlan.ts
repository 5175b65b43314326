// What copy-out does with each copy, decided from the manifest and what is on disk, and its
// summary. Pure: no Effect, no I/O.
import { counted, formatCount } from "../../services/terminal/Reporter.js"
import type { CopyRecord } from "./CopyOutManifest.js"

/** A file as found on disk: its size and modification time, or nothing there. */
export interface OnDisk {
  readonly bytes: number
  readonly mtime_ms: number
}

export type Decision =
  | { readonly _tag: "Unchanged" }
  /** `fresh`: no copy of fbk's was there; else it is rewritten. `replaces`: fbk's earlier copy under another name, removed after. */
  | { readonly _tag: "Write"; readonly fresh: boolean; readonly replaces: string | null }
  /** A file fbk did not write, or one it wrote that was changed since: never overwritten. */
  | { readonly _tag: "LeftAlone"; readonly why: "not made by fbk" | "changed since fbk wrote it" }

/** Whether the file on disk is still the copy `record` describes. */
export const isAsWritten = (record: CopyRecord, disk: OnDisk): boolean =>
  record.bytes === disk.bytes && record.mtime_ms === disk.mtime_ms

export interface Wanted {
  readonly slot: string
  readonly source: string
  readonly metadata: string
  /** What the manifest holds at the target, and what is there. */
  readonly recorded: CopyRecord | undefined
  readonly disk: OnDisk | undefined
  /** The slot's copy under another name (the title changed), with what is there. */
  readonly earlier: { readonly target: string; readonly record: CopyRecord; readonly disk: OnDisk | undefined } | undefined
}

export const decide = (wanted: Wanted): Decision => {
  const { disk, recorded } = wanted
  // Only a copy fbk wrote for this slot, as it wrote it, may be replaced.
  const ours = recorded !== undefined && recorded.slot === wanted.slot
  if (disk !== undefined && !ours) return { _tag: "LeftAlone", why: recorded === undefined ? "not made by fbk" : "changed since fbk wrote it" }
  if (disk !== undefined && !isAsWritten(recorded!, disk)) return { _tag: "LeftAlone", why: "changed since fbk wrote it" }
  const earlier = wanted.earlier
  const replaces = earlier !== undefined && earlier.disk !== undefined && isAsWritten(earlier.record, earlier.disk) ? earlier.target : null
  if (disk === undefined) return { _tag: "Write", fresh: true, replaces }
  return recorded!.source === wanted.source && recorded!.metadata === wanted.metadata
    ? { _tag: "Unchanged" }
    : { _tag: "Write", fresh: false, replaces }
}

/** Copy-out's summary: its --json record, from which its line is made. */
export interface CopyOutSummary {
  readonly folder: string
  readonly layout: string
  readonly dry_run: boolean
  /** Photos the options chose, and the copies they make (a photo in three albums makes three). */
  readonly chosen: number
  readonly copies: number
  readonly copied: number
  readonly updated: number
  readonly unchanged: number
  /** Chosen photos with no file in the store. */
  readonly no_file: number
  readonly left_alone: number
  /** Copies of earlier runs whose photo (or album) is no longer chosen: left in place. */
  readonly not_chosen: number
  readonly failed: number
  readonly bytes: number
  readonly seconds: number
}

export const copyOutLine = (s: CopyOutSummary): string => {
  const would = s.dry_run ? "would " : ""
  const parts = [
    `${would}copy ${formatCount(s.copied)}`.replace(/^copy/, "copied"),
    `${would}update ${formatCount(s.updated)}`.replace(/^update/, "updated"),
    `unchanged ${formatCount(s.unchanged)}`,
    ...(s.no_file > 0 ? [`skipped ${formatCount(s.no_file)} (no file)`] : []),
    ...(s.left_alone > 0 ? [`left alone ${formatCount(s.left_alone)}`] : []),
    ...(s.failed > 0 ? [`failed ${formatCount(s.failed)}`] : [])
  ]
  return `Copy-out${s.dry_run ? " (dry run: nothing written)" : ""}: ${parts.join(", ")} ` +
    `(${counted(s.chosen, "photo")} chosen, ${counted(s.copies, "copy", "copies")}) in ${s.folder}`
}

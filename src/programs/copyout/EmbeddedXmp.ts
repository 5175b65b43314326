// The XMP each copy carries: the sidecar's own rendering of the same record, so the copies and the
// sidecars never disagree, less what only fbk's namespace holds (ExifTool writes no namespace it does not know).
import { Effect } from "effect"
import { loadSidecarRecords, type SidecarRecord } from "../sidecars/SidecarRecord.js"
import { renderXmp, type XmpOptions } from "../sidecars/XmpSidecar.js"

/**
 * Counts, notes and comments go only into fbk's namespace, which a copy cannot carry: left out, so
 * a new view or comment on Flickr does not rewrite every copy.
 */
const embeddable = (record: SidecarRecord): SidecarRecord => ({
  ...record,
  views: null,
  faves: null,
  commentCount: null,
  notes: [],
  comments: []
})

/** Each photo's XMP packet for its copies, by id. */
export const xmpFor = (ids: ReadonlyArray<string>, options: XmpOptions) =>
  Effect.map(loadSidecarRecords(ids), (records) =>
    new Map(records.map((record) => [record.id, renderXmp(embeddable(record), options)])) as ReadonlyMap<string, string>)

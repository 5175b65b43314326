// The log of backup and update runs, as stored in `sync_runs`.
import { Schema } from "effect"

export const SyncKind = Schema.Literal("backup", "staged-backup", "update")
export type SyncKind = typeof SyncKind.Type

export const SyncOutcome = Schema.Literal("running", "succeeded", "failed", "interrupted")
export type SyncOutcome = typeof SyncOutcome.Type

/** Counters a run keeps as it goes; stored at every checkpoint so a resumed run carries on. */
export const RunCounters = Schema.Struct({
  pages: Schema.Number,
  photos: Schema.Number,
  added: Schema.Number,
  changed: Schema.Number,
  deleted: Schema.Number,
  restored: Schema.Number,
  api_calls: Schema.Number
})
export type RunCounters = typeof RunCounters.Type

/** Just the counter fields of anything that carries them (a stored run, say). */
export const pickCounters = (c: RunCounters): RunCounters => ({
  pages: c.pages,
  photos: c.photos,
  added: c.added,
  changed: c.changed,
  deleted: c.deleted,
  restored: c.restored,
  api_calls: c.api_calls
})

export const zeroCounters: RunCounters = { pages: 0, photos: 0, added: 0, changed: 0, deleted: 0, restored: 0, api_calls: 0 }

export const SyncRun = Schema.Struct({
  id: Schema.Number,
  kind: SyncKind,
  started_at: Schema.Number,
  finished_at: Schema.NullOr(Schema.Number),
  outcome: SyncOutcome,
  pid: Schema.NullOr(Schema.Number),
  resume_cursor: Schema.NullOr(Schema.String),
  message: Schema.NullOr(Schema.String),
  ...RunCounters.fields
})
export type SyncRun = typeof SyncRun.Type

/** The parts of an account that are synced on their own, each with the time it was last complete (`sync_parts`). */
export const SyncPart = Schema.Literal("photostream", "albums", "collections", "details")
export type SyncPart = typeof SyncPart.Type

export const SyncedPart = Schema.Struct({ part: SyncPart, synced_at: Schema.Number, run_id: Schema.NullOr(Schema.Number) })
export type SyncedPart = typeof SyncedPart.Type

/** Where an interrupted full listing picks up: the upload time of the last photo it stored. */
export const ListingCursor = Schema.parseJson(Schema.Struct({ maxUploadDate: Schema.NullOr(Schema.Number) }))
export type ListingCursor = typeof ListingCursor.Type

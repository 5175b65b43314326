// Earlier versions of the photo's record: when each was replaced, and which fields the next
// version changed, old → new, from the listing items kept verbatim.
import { licenseOf } from "../../../../schema/Licenses.js"
import { photoRowFromItem, type PhotoRow } from "../../../../schema/Photo.js"
import type { PhotoRecord, RevisionEntry } from "../../../../services/database/PhotoPageRepository.js"
import { localMinute } from "../../../../services/terminal/HumanTime.js"
import { moment } from "../../Dates.js"
import { flickrText } from "../../FlickrHtml.js"
import { html, type Html } from "../../Html.js"
import { privacyName } from "./Facts.js"
import { part } from "./Parts.js"

/** What a reader compares, each as text (null: not set). */
const FIELDS: ReadonlyArray<readonly [string, (row: PhotoRow) => string | null]> = [
  // Flickr keeps entities in these (`&amp;`): compared and shown as a reader sees them, markup as text.
  ["Title", (r) => (r.title === null ? null : flickrText(r.title))],
  ["Description", (r) => (r.description === null ? null : flickrText(r.description))],
  ["Tags", (r) => r.tags],
  ["Machine tags", (r) => r.machine_tags],
  ["Date taken", (r) =>
    r.date_taken_unknown === 1
      ? "unknown"
      : r.date_taken === null
      ? null
      : `${r.date_taken}${r.date_taken_granularity ? ` (granularity ${r.date_taken_granularity})` : ""}`],
  ["Uploaded", (r) => (r.date_uploaded === null ? null : localMinute(new Date(r.date_uploaded * 1000)))],
  ["Location", (r) =>
    r.latitude === null || r.longitude === null
      ? null
      : `${r.latitude}, ${r.longitude}${r.accuracy === null ? "" : ` (accuracy ${r.accuracy})`}`],
  ["Privacy", privacyName],
  ["Licence", (r) => (r.license === null ? null : licenseOf(r.license).name)],
  ["Media", (r) => r.media],
  ["Original", (r) => (r.original_secret === null ? null : `${r.original_secret}.${r.original_format ?? "?"}`)],
  ["Size", (r) => (r.width === null || r.height === null ? null : `${r.width} × ${r.height}`)]
]

export interface FieldChange {
  readonly field: string
  readonly before: string | null
  readonly after: string | null
}

/** A record kept as fbk got it: a Flickr listing item (null: not one, e.g. a record from Flickr's data export). */
const listedRow = (raw: string): PhotoRow | null => {
  try {
    const item: unknown = JSON.parse(raw)
    if (typeof item !== "object" || item === null || "date_imported" in item || "photopage" in item) return null
    return photoRowFromItem(item as Readonly<Record<string, unknown>>)
  } catch {
    return null
  }
}

/** The fields that differ between two versions of a record; null when either is not a listing item. */
export const changesBetween = (before: string, after: string): ReadonlyArray<FieldChange> | null => {
  const old = listedRow(before)
  const next = listedRow(after)
  if (old === null || next === null) return null
  return FIELDS.map(([field, read]) => ({ field, before: read(old), after: read(next) })).filter((c) => c.before !== c.after)
}

const shown = (value: string | null): Html => (value === null || value === "" ? html`<span class="muted">(none)</span>` : html`<span class="value">${value}</span>`)

export const revisionsPart = (photo: PhotoRecord, revisions: ReadonlyArray<RevisionEntry>): Html | null => {
  if (revisions.length === 0) return null
  const entries = revisions.map((revision, i) => ({ revision, changes: changesBetween(revision.raw, revisions[i + 1]?.raw ?? photo.raw) }))
  return part(
    "history",
    "Earlier versions of the record",
    html`<ol class="revisions" reversed>${
      entries.reverse().map(({ changes, revision }) =>
        html`<li><p>Replaced ${moment(revision.replaced_at)}${
          changes === null
            ? html`: <span class="muted">this version came from Flickr's data export; fields are not compared.</span>`
            : changes.length === 0
            ? html`: <span class="muted">no field shown here changed (Flickr updated the record).</span>`
            : ""
        }</p>${
          changes === null || changes.length === 0 ? "" : html`<dl class="changes">${
            changes.map((c) => html`<dt>${c.field}</dt><dd>${shown(c.before)} <span aria-label="became">→</span> ${shown(c.after)}</dd>`)
          }</dl>`
        }</li>`
      )
    }</ol>`
  )
}

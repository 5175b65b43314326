// A photo's record as plain text: who may see it, and what each earlier version changed, field
// by field. `fbk show` prints these and the viewer's photo page shows them.
import { decodeHTMLStrict } from "entities"
import { licenseOf } from "../../schema/Licenses.js"
import { photoRowFromItem, type PhotoRow } from "../../schema/Photo.js"
import type { CollectionStep } from "../../services/database/PhotoPageRepository.js"
import { localMinute } from "../serve/Dates.js"

/** A title (or any text Flickr stores with its entities) as the reader sees it. */
export const flickrText = (text: string | null): string => (text === null ? "" : decodeHTMLStrict(text))

/** Who may see the photo on Flickr. */
export const privacyName = (p: { readonly is_public: number; readonly is_friend: number; readonly is_family: number }): string =>
  p.is_public === 1
    ? "public"
    : p.is_friend === 1 && p.is_family === 1
    ? "friends and family"
    : p.is_friend === 1
    ? "friends"
    : p.is_family === 1
    ? "family"
    : "private"

/** Each path of collections above `album` (one per placement), root first: Travel, Africa. */
export const collectionPaths = (album: string, steps: ReadonlyArray<CollectionStep>): Array<Array<CollectionStep>> => {
  const paths = new Map<string, Array<CollectionStep>>()
  for (const step of steps.filter((s) => s.album_id === album)) paths.set(step.start_id, [...(paths.get(step.start_id) ?? []), step])
  return [...paths.values()].map((path) => path.sort((a, b) => b.depth - a.depth))
}

const ACCURACY: ReadonlyArray<readonly [number, string]> = [[16, "street"], [11, "city"], [6, "region"], [3, "country"], [1, "world"]]

/** Flickr's location accuracy (1 world to 16 street) in words. */
export const accuracyName = (accuracy: number): string => {
  const level = ACCURACY.find(([from]) => accuracy >= from)?.[1]
  return level === undefined ? `${accuracy} of 16` : `${level} level (${accuracy} of 16)`
}

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

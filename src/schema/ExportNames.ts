// Which entry of Flickr's data export is what, by its name alone (never by the zip's name), and
// which photo a media file belongs to.
import { isMediaFileName, isVideoExtension } from "./MediaTypes.js"

/** An entry of the export, by the last part of its name. */
export type EntryKind =
  | { readonly kind: "albums" }
  | { readonly kind: "profile" }
  | { readonly kind: "photo"; readonly id: string }
  /**
   * A photo or video: `ids` are the runs of digits in its name that could be its id, the last first;
   * `original` when it is named `..._o.<ext>`, as Flickr names an original.
   */
  | { readonly kind: "media"; readonly ids: ReadonlyArray<string>; readonly ext: string; readonly original: boolean }
  | { readonly kind: "other" }

const PHOTO_JSON = /^photo_(\d+)\.json$/
const NAME_AND_EXTENSION = /^(.+)\.([A-Za-z0-9]{1,5})$/

/**
 * Names are `<title slug>_<id>_o.<ext>`, the older `<id>_<secret>_o.<ext>`, and (reported, not
 * confirmed) `<title slug>_<id>.<ext>` for videos; a slug has digits of its own (`img_1234`,
 * `my_trip_2014`), and so can a secret. Every whole run of digits is a candidate; which one is the
 * id is for the ids the export and the database know to decide (`mediaIdOf`).
 */
export const classifyEntry = (entryName: string): EntryKind => {
  const name = entryName.slice(entryName.lastIndexOf("/") + 1)
  if (name === "albums.json") return { kind: "albums" }
  if (name === "account_profile.json") return { kind: "profile" }
  const photo = PHOTO_JSON.exec(name)
  if (photo !== null) return { kind: "photo", id: photo[1]! }
  const parts = NAME_AND_EXTENSION.exec(name)
  if (parts === null) return { kind: "other" }
  const [, stem, extension] = parts
  const ext = extension!.toLowerCase()
  const original = stem!.endsWith("_o")
  if (!original && !isMediaFileName(name) && !isVideoExtension(ext)) return { kind: "other" }
  const ids = stem!.split(/[^0-9A-Za-z]+/).filter((token) => /^\d+$/.test(token)).reverse()
  return ids.length === 0 ? { kind: "other" } : { kind: "media", ids, ext, original }
}

/**
 * A media file's id: the last candidate the export's photo_<id>.json files know. When they know
 * none, the last candidate, with the one before it as `alternative` for the database to try.
 */
export const mediaIdOf = (ids: ReadonlyArray<string>, known: ReadonlySet<string>): { readonly id: string; readonly alternative?: string; readonly known: boolean } => {
  const id = ids.find((candidate) => known.has(candidate))
  if (id !== undefined) return { id, known: true }
  return ids.length > 1 ? { id: ids[0]!, alternative: ids[1]!, known: false } : { id: ids[0]!, known: false }
}

/** An entry of the export where it was found. */
export interface Placed<Source, Entry> {
  readonly source: Source
  readonly entry: Entry
}

export interface PlacedMedia<Source, Entry> extends Placed<Source, Entry> {
  readonly ext: string
  /** Another id its name may carry, for the database to decide (see `mediaIdOf`). */
  readonly alternative?: string
}

/**
 * Every entry of the export's sources by what it is. A source is part of the export when it holds
 * one of the export's JSON files, a file named as an original (`_o`), or a file named with the id
 * of a photo_<id>.json given; the others are `unrelated`, and nothing is taken from them.
 */
export const sortExport = <Entry extends { readonly name: string }, Source extends { readonly entries: ReadonlyArray<Entry> }>(
  sources: ReadonlyArray<Source>
) => {
  const albums: Array<Placed<Source, Entry>> = []
  const profiles: Array<Placed<Source, Entry>> = []
  const photos = new Map<string, Placed<Source, Entry>>()
  const media = new Map<string, Array<PlacedMedia<Source, Entry>>>()
  const unrelated: Array<Source> = []
  const kinds = sources.map((source) => source.entries.map((entry) => classifyEntry(entry.name)))
  sources.forEach((source, s) =>
    kinds[s]!.forEach((kind, e) => {
      if (kind.kind === "photo") photos.set(kind.id, { source, entry: source.entries[e]! })
    })
  )
  const known = new Set(photos.keys())
  sources.forEach((source, s) => {
    const found: Array<PlacedMedia<Source, Entry> & { readonly id: string }> = []
    let recognised = false
    kinds[s]!.forEach((kind, e) => {
      const entry = source.entries[e]!
      if (kind.kind === "albums") albums.push({ source, entry })
      else if (kind.kind === "profile") profiles.push({ source, entry })
      else if (kind.kind === "media") {
        const { alternative, id, known: matched } = mediaIdOf(kind.ids, known)
        recognised ||= kind.original || matched
        found.push({ source, entry, ext: kind.ext, id, ...(alternative === undefined ? {} : { alternative }) })
      }
      if (kind.kind !== "other" && kind.kind !== "media") recognised = true
    })
    if (!recognised) unrelated.push(source)
    else for (const { id, ...file } of found) media.set(id, [...(media.get(id) ?? []), file])
  })
  return { albums, profiles, photos, media, unrelated }
}

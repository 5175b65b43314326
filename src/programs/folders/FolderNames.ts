// The names in `albums/` and `collections/`: titles made safe file names, sibling folders kept
// apart, and the entry names fbk writes and later recognises as its own. Pure: no Effect, no I/O.
import { decodeHTMLStrict } from "entities"
import * as path from "node:path"

/** The folder under `albums/` for photos in no album; an album of that title gets its id appended. */
export const NOT_IN_ALBUM = "(not in any album)"
/** What most file systems allow for one name, in bytes. */
export const MAX_NAME_BYTES = 255
/** Where a copy is written before it is renamed into place; fbk's own, in every mode. */
const TEMP_PREFIX = ".fbk-tmp."

const byteLength = (text: string) => Buffer.byteLength(text, "utf8")
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" })

/** The leading parts of `parts` whose UTF-8 bytes fit in `max`. */
const takeBytes = (parts: Iterable<string>, max: number) => {
  let cut = ""
  let used = 0
  for (const part of parts) {
    used += byteLength(part)
    if (used > max) break
    cut += part
  }
  return cut
}

/** `text` cut to at most `max` UTF-8 bytes between whole characters (graphemes, so accents stay on their letter). */
export const cutToBytes = (text: string, max: number): string => {
  if (byteLength(text) <= max) return text
  const whole = takeBytes(Array.from(graphemes.segment(text), (s) => s.segment), max)
  // A single grapheme longer than `max` (a pile of combining marks): cut between code points.
  return whole !== "" ? whole : takeBytes(text, max)
}

/** NUL and the other control characters (C0, DEL, C1), and the path separator. */
const CONTROL_OR_SLASH = /[\p{Cc}/]/gu
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** No space in front, no space or dot at the end (Windows and Samba drop them), no dot in front (hidden). */
const tidy = (name: string) => name.replace(/^\s+/u, "").replace(/[\s.]+$/u, "").replace(/^\./, "_")

/**
 * A title made a safe file name: HTML entities decoded (Flickr sends `&amp;`), NFC, `/`, NUL,
 * control characters and broken surrogates replaced by `_`, spaces trimmed, no trailing dots, no
 * leading dot, at most 255 UTF-8 bytes. Empty when nothing is left (the caller names it by id).
 */
export const safeName = (title: string | null): string => {
  const text = tidy(decodeHTMLStrict(title ?? "").normalize("NFC"))
  return tidy(cutToBytes(tidy(text.replace(CONTROL_OR_SLASH, "_").replace(LONE_SURROGATE, "_")), MAX_NAME_BYTES))
}

/** `name` then a space and `suffix`, the name cut so the whole stays within 255 bytes. */
export const withSuffix = (name: string, suffix: string): string => {
  const room = MAX_NAME_BYTES - byteLength(` ${suffix}`)
  const cut = tidy(cutToBytes(name, Math.max(room, 0)))
  return cut === "" ? suffix : `${cut} ${suffix}`
}

export interface Titled {
  readonly id: string
  readonly title: string | null
}

/** Compared as a case-insensitive file system (macOS, Windows) would. */
const nameKey = (name: string) => name.toLowerCase()

/**
 * Folder names for siblings (all albums, or the collections in one collection): each title made
 * safe, an empty one named by its id; every sibling whose name another one shares (case aside) or
 * that takes a name in `taken` gets its id appended, so the outcome depends on the set only.
 */
export const siblingNames = (items: ReadonlyArray<Titled>, taken: Iterable<string> = []): Map<string, string> => {
  const takenKeys = new Set(Array.from(taken, nameKey))
  const names = new Map(items.map((item) => [item.id, safeName(item.title) || safeName(item.id) || "_"]))
  // A name with an id appended can meet a title that reads the same; then that one gets its id too.
  for (let round = 0; round < 8; round++) {
    const uses = new Map<string, number>()
    for (const name of names.values()) uses.set(nameKey(name), (uses.get(nameKey(name)) ?? 0) + 1)
    const clashing = [...names].filter(([, name]) => uses.get(nameKey(name))! > 1 || takenKeys.has(nameKey(name)))
    if (clashing.length === 0) break
    for (const [id, name] of clashing) names.set(id, withSuffix(name, safeName(id) || "_"))
  }
  return names
}

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_@-]/g, "_")

const extensionOf = (filePath: string) => {
  const ext = path.extname(filePath)
  return /^\.[A-Za-z0-9]{1,16}$/.test(ext) ? ext : ""
}

/** An album entry's name: `0007 12345.jpg`, the 1-based position padded to at least 4 digits. */
export const entryName = (position: number, photoId: string, filePath: string): string =>
  `${String(position).padStart(4, "0")} ${safeId(photoId)}${extensionOf(filePath)}`

/** Flickr's `date_taken`, `2019-07-01 12:00:00` (seconds optional). */
const DATE_TAKEN = /^(\d{4}-\d\d-\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?/

/**
 * An entry's name in the folder of photos in no album: `2019-07-01 12.00.00 12345.jpg`, or
 * `undated 12345.jpg`. Made from the photo alone, so an upload or a deletion elsewhere renames
 * nothing (a position would shift every later name, and every mirror of the store would copy them
 * again); the date in front still sorts the folder by when the photos were taken, as a numbered
 * album sorts by its order, and dots because `:` is not allowed on Windows and Samba shares.
 */
export const looseEntryName = (dateTaken: string | null, photoId: string, filePath: string): string => {
  const date = dateTaken === null ? null : DATE_TAKEN.exec(dateTaken)
  const when = date === null ? "undated" : `${date[1]} ${date[2]}.${date[3]}.${date[4] ?? "00"}`
  return `${when} ${safeId(photoId)}${extensionOf(filePath)}`
}

/** Every name fbk gives an entry; group 1 is the photo id. */
const ENTRY = /^(?:\d{4,}|\d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d|undated) ([A-Za-z0-9_@-]+)(?:\.[A-Za-z0-9]{1,16})?$/
/** fbk's temporary names; group 1 is the photo id. */
const TEMPORARY = /^\.fbk-tmp\.([A-Za-z0-9_@-]+)(?:\.[A-Za-z0-9]{1,16})?$/

/** Whether `name` is shaped as one of fbk's entries (not whether fbk made what is there). */
export const isEntryName = (name: string): boolean => ENTRY.test(name)
/** Whether `name` is one of fbk's temporary copies. */
export const isTemporaryName = (name: string): boolean => TEMPORARY.test(name)
/** The photo id (made safe) an entry or temporary name is for. */
export const photoIdOf = (name: string): string | undefined => (ENTRY.exec(name) ?? TEMPORARY.exec(name))?.[1]
/** The id as it stands in an entry's name. */
export const entryId = safeId

export const temporaryName = (photoId: string, filePath: string) => `${TEMP_PREFIX}${safeId(photoId)}${extensionOf(filePath)}`

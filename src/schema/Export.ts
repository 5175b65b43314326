// Flickr's own data export ("Request my Flickr data"), decoded leniently into fbk's rows: which
// entry is what (by name, never by the zip's name), photo_<id>.json, albums.json, account_profile.json.
import { Data } from "effect"
import type { AlbumRow } from "./Album.js"
import type { CommentRow, ExifRow, NoteRow, TagRow } from "./Details.js"
import { isNode, type Node, nodes } from "./Nodes.js"
import type { PhotoRow } from "./Photo.js"
import { isVideoExtension } from "./MediaTypes.js"
import { looseInteger, looseNumber, looseText } from "./Wire.js"

// ---- what an entry is ----

/** An entry of the export, by the last part of its name. */
export type EntryKind =
  | { readonly kind: "albums" }
  | { readonly kind: "profile" }
  | { readonly kind: "photo"; readonly id: string }
  /** `alternative`: the other reading of a name both forms fit (`<digits>_<digits>_o`), for the caller to resolve by the ids it knows. */
  | { readonly kind: "media"; readonly id: string; readonly ext: string; readonly alternative?: string }
  | { readonly kind: "other" }

const PHOTO_JSON = /^photo_(\d+)\.json$/
/**
 * `<title slug>_<id>_o.<ext>` or the older `<id>_<secret>_o.<ext>`: the part right before `_o` is
 * the id when it is all digits (a slug can start with digits too: `img_1234_<id>_o.jpg`), else it
 * is a secret (hex with letters) and the id is the part before it.
 */
const MEDIA = /^(?:(.*)_)?([0-9A-Za-z]+)_o\.([A-Za-z0-9]{1,5})$/

export const classifyEntry = (entryName: string): EntryKind => {
  const name = entryName.slice(entryName.lastIndexOf("/") + 1)
  if (name === "albums.json") return { kind: "albums" }
  if (name === "account_profile.json") return { kind: "profile" }
  const photo = PHOTO_JSON.exec(name)
  if (photo !== null) return { kind: "photo", id: photo[1]! }
  const media = MEDIA.exec(name)
  if (media === null) return { kind: "other" }
  const [, before, last, ext] = media
  if (/^\d+$/.test(last!)) {
    // A secret can be all digits too; and a slug all digits.
    const alternative = before !== undefined && /^\d+$/.test(before) ? { alternative: before } : {}
    return { kind: "media", id: last!, ext: ext!.toLowerCase(), ...alternative }
  }
  if (/^[0-9a-f]+$/.test(last!) && before !== undefined && /^\d+$/.test(before)) {
    return { kind: "media", id: before, ext: ext!.toLowerCase() }
  }
  return { kind: "other" }
}


// ---- values ----

/** "YYYY-MM-DD HH:MM:SS" (taken as UTC) or unix seconds as digits, to unix seconds. */
export const exportTime = (value: unknown): number | null => {
  const text = looseText(value)?.trim() ?? ""
  if (/^\d+$/.test(text)) return Number(text)
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text)
  if (match === null) return null
  const millis = Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +match[6]!)
  return Number.isFinite(millis) ? Math.floor(millis / 1000) : null
}

/** Flickr's license ids by the names the export gives (the API's flickr.photos.licenses.getInfo). */
const LICENSES: ReadonlyArray<readonly [string, number]> = [
  ["all rights reserved", 0],
  ["attribution-noncommercial-sharealike", 1],
  ["attribution-noncommercial", 2],
  ["attribution-noncommercial-noderivs", 3],
  ["attribution", 4],
  ["attribution-sharealike", 5],
  ["attribution-noderivs", 6],
  ["no known copyright restrictions", 7],
  ["united states government work", 8],
  ["public domain dedication (cc0)", 9],
  ["public domain mark", 10]
]
const LICENSE_IDS = new Map(LICENSES)

/** A license name ("Attribution-NonCommercial License", "All Rights Reserved") as Flickr's id; null when unknown. */
export const licenseId = (value: unknown): number | null => {
  const name = looseText(value)?.trim().toLowerCase().replace(/\s+license$/, "")
  if (name === undefined || name === "") return null
  return LICENSE_IDS.get(name) ?? looseInteger(name)
}

/** "public", "private", "friends", "family", "friends & family" as is_public / is_friend / is_family. */
export const visibility = (value: unknown) => {
  const text = (looseText(value) ?? "").toLowerCase()
  return {
    is_public: text === "public" ? 1 : 0,
    is_friend: text.includes("friend") ? 1 : 0,
    is_family: text.includes("family") ? 1 : 0
  }
}

/** The parts of an original's URL: `.../<server>/<id>_<originalsecret>_o.<ext>`, on `farmN` hosts in older exports. */
export const originalUrlParts = (url: string | null) => {
  const match = url === null ? null : /\/(\d+)\/(\d+)_([0-9a-f]+)_o\.([A-Za-z0-9]+)(?:\?.*)?$/.exec(url)
  if (match === null) return null
  const farm = /\/\/farm(\d+)\./.exec(url!)
  return {
    server: match[1]!,
    id: match[2]!,
    originalSecret: match[3]!,
    format: match[4]!.toLowerCase(),
    farm: farm === null ? null : Number(farm[1])
  }
}

/** The user part of a photo page URL (`https://www.flickr.com/photos/<alias or nsid>/<id>/`). */
const photopageUser = (url: string | null): string | null => {
  const match = url === null ? null : /\/photos\/([^/]+)\/\d+/.exec(url)
  return match === null ? null : decodeURIComponent(match[1]!)
}

/** Degrees x 1e6 as an integer string (or a plain number in degrees, should an export send one). */
const degrees = (value: unknown): number | null => {
  const n = looseNumber(value)
  if (n === null) return null
  const text = looseText(value) ?? ""
  return /^-?\d+$/.test(text.trim()) ? n / 1_000_000 : n
}

const isMachineTag = (tag: string) => /^[^:\s]+:[^=\s]+=.+$/.test(tag)

/** Flickr's normalised form of a tag (as in `photos.tags`): lower case, letters and digits only. */
export const normalisedTag = (raw: string): string =>
  isMachineTag(raw) ? raw.toLowerCase() : raw.toLowerCase().normalize("NFC").replace(/[^\p{L}\p{N}]/gu, "")

// ---- photo_<id>.json ----

/** One photo_<id>.json as fbk's rows. */
export interface ExportPhoto {
  readonly row: PhotoRow
  readonly tags: ReadonlyArray<TagRow>
  readonly comments: ReadonlyArray<CommentRow>
  readonly notes: ReadonlyArray<NoteRow>
  readonly exif: ReadonlyArray<ExifRow>
}

/** The export's `exif` map (`"IFD0:Make": "Canon"`) as EXIF rows; keys without a tagspace and values that are not text are left out. */
const exifOf = (map: unknown): Array<ExifRow> => {
  if (!isNode(map)) return []
  const rows: Array<ExifRow> = []
  for (const [key, value] of Object.entries(map)) {
    const colon = key.indexOf(":")
    const raw = looseText(value)
    if (colon <= 0 || colon === key.length - 1 || raw === null) continue
    rows.push({ tagspace: key.slice(0, colon), tag: key.slice(colon + 1), label: null, raw, clean: null })
  }
  return rows
}

/**
 * Where the exif map may give the pixel size, best first. FLICKR.md does not say which keys real
 * exports use, so the first pair present wins (the EXIF's own size before the file's).
 */
const PIXEL_SIZE_KEYS = [
  ["ExifIFD", "ExifImageWidth", "ExifImageHeight"],
  ["File", "ImageWidth", "ImageHeight"],
  ["IFD0", "ImageWidth", "ImageHeight"]
] as const

/** The pixel size from the first pair of `PIXEL_SIZE_KEYS` with both present and positive ("6000", "6000 pixels"). */
const pixelSizeOf = (exif: ReadonlyArray<ExifRow>): { readonly width: number; readonly height: number } | null => {
  const pixels = (tagspace: string, tag: string) => {
    const raw = exif.find((r) => r.tagspace === tagspace && r.tag === tag)?.raw
    const n = raw === undefined || raw === null ? NaN : Number(/^\s*(\d+)/.exec(raw)?.[1])
    return Number.isSafeInteger(n) && n > 0 ? n : null
  }
  for (const [tagspace, w, h] of PIXEL_SIZE_KEYS) {
    const width = pixels(tagspace, w)
    const height = pixels(tagspace, h)
    if (width !== null && height !== null) return { width, height }
  }
  return null
}

/** What is known of the account and its files when a photo is read: who owns it, and whether its file is a video. */
export interface PhotoContext {
  readonly owner: string | null
  readonly mediaExt: string | null
}

/** A stable id for an item the export gives none (the same item always gets the same one). */
const derivedId = (prefix: string, parts: ReadonlyArray<string | null>): string => {
  let hash = 0x811c9dc5
  for (const c of parts.join("\u0000")) {
    hash ^= c.codePointAt(0)!
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return `${prefix}${hash.toString(16).padStart(8, "0")}`
}

/** The first of `keys` that `node` has as text. */
const textOf = (node: Node, ...keys: ReadonlyArray<string>): string | null => {
  for (const key of keys) {
    const value = looseText(node[key])
    if (value !== null) return value
  }
  return null
}

/** `geo` is an object, or a list of one, or empty when the photo has no location. */
const geoOf = (value: unknown): Node | null => {
  const node = Array.isArray(value) ? nodes(value)[0] : isNode(value) ? value : undefined
  return node === undefined || node.latitude === undefined || node.longitude === undefined ? null : node
}

/**
 * A parsed photo_<id>.json as rows; a string saying what is wrong when it has no usable id.
 * `text` is the file as it came, kept verbatim in `raw`.
 */
export const exportPhotoFrom = (json: unknown, text: string, context: PhotoContext): ExportPhoto | string => {
  if (!isNode(json)) return "is not a JSON object"
  const id = looseText(json.id)
  if (id === null || !/^\d+$/.test(id)) return "has no photo id"
  const original = textOf(json, "original")
  const parts = originalUrlParts(original)
  const geo = geoOf(json.geo)
  const latitude = geo === null ? null : degrees(geo.latitude)
  const longitude = geo === null ? null : degrees(geo.longitude)
  const located = latitude !== null && longitude !== null && (latitude !== 0 || longitude !== 0)
  const pageUser = photopageUser(textOf(json, "photopage"))
  const isVideo = context.mediaExt !== null && isVideoExtension(context.mediaExt)

  const tags: Array<TagRow> = []
  for (const tag of nodes(json.tags)) {
    const raw = textOf(tag, "tag", "raw")
    if (raw === null || raw.trim() === "") continue
    const author = textOf(tag, "user", "author")
    tags.push({
      tag_id: derivedId("export-", [raw, author]),
      tag: normalisedTag(raw),
      raw,
      author,
      author_name: null,
      machine_tag: isMachineTag(raw) ? 1 : 0
    })
  }
  const plainTags = tags.filter((t) => t.machine_tag === 0).map((t) => t.tag)
  const machineTags = tags.filter((t) => t.machine_tag === 1).map((t) => t.tag)

  const comments: Array<CommentRow> = nodes(json.comments).map((c) => {
    const author = textOf(c, "user", "author")
    const created = textOf(c, "date", "date_create", "created")
    const body = textOf(c, "comment", "message", "text")
    return {
      comment_id: textOf(c, "id", "comment_id") ?? derivedId("export-", [author, created, body]),
      author,
      author_name: null,
      created: exportTime(created),
      permalink: textOf(c, "url", "permalink"),
      text: body,
      raw: JSON.stringify(c)
    }
  })

  const notes: Array<NoteRow> = nodes(json.notes).map((n) => {
    const author = textOf(n, "user", "author")
    const body = textOf(n, "note", "text", "message", "_content")
    return {
      note_id: textOf(n, "id", "note_id") ?? derivedId("export-", [author, body, textOf(n, "x"), textOf(n, "y")]),
      author,
      author_name: null,
      x: looseNumber(n.x),
      y: looseNumber(n.y),
      w: looseNumber(n.w ?? n.width),
      h: looseNumber(n.h ?? n.height),
      text: body
    }
  })

  const exif = exifOf(json.exif)
  const size = pixelSizeOf(exif)

  const row: PhotoRow = {
    id,
    owner: context.owner,
    title: textOf(json, "name", "title"),
    description: textOf(json, "description"),
    media: isVideo ? "video" : "photo",
    secret: null,
    server: parts?.server ?? null,
    farm: parts?.farm ?? null,
    original_secret: parts?.originalSecret ?? null,
    original_format: isVideo ? context.mediaExt : parts?.format ?? context.mediaExt,
    ...visibility(json.privacy),
    license: licenseId(json.license),
    date_taken: textOf(json, "date_taken"),
    date_taken_granularity: null,
    date_taken_unknown: 0,
    date_uploaded: exportTime(json.date_imported),
    last_update: null,
    width: size?.width ?? null,
    height: size?.height ?? null,
    // A video's `original` is its poster, not the video.
    url_o: isVideo ? null : original,
    views: looseInteger(json.count_views),
    tags: plainTags.join(" "),
    machine_tags: machineTags.join(" "),
    latitude: located ? latitude : null,
    longitude: located ? longitude : null,
    accuracy: located ? looseInteger(geo!.accuracy) : null,
    geo_context: null,
    place_id: null,
    woeid: null,
    path_alias: pageUser !== null && !pageUser.includes("@") ? pageUser : null,
    count_faves: looseInteger(json.count_faves),
    count_comments: looseInteger(json.count_comments),
    raw: text.trim()
  }
  return { row, tags, comments, notes, exif }
}

// ---- albums.json and account_profile.json ----

export interface ExportAlbum {
  readonly row: AlbumRow
  /** Member photo ids in the album's order. */
  readonly members: ReadonlyArray<string>
}

/** The photo id in a cover_photo given as an id or as a photo page / file URL. */
const photoIdIn = (value: unknown): string | null => {
  const text = looseText(value)?.trim() ?? ""
  if (/^\d+$/.test(text)) return text
  const inUrl = /\/(\d+)(?:_[0-9a-f]+_[a-z]\.[a-z]+)?\/?$/.exec(text) ?? /\/(\d+)_[0-9a-f]+/.exec(text)
  return inUrl === null ? null : inUrl[1]!
}

/** albums.json as album rows with their members in order; a string saying what is wrong. */
export const exportAlbumsFrom = (json: unknown): ReadonlyArray<ExportAlbum> | string => {
  if (!isNode(json) || !Array.isArray(json.albums)) return "has no `albums` list"
  const albums: Array<ExportAlbum> = []
  for (const album of nodes(json.albums)) {
    const id = looseText(album.id)
    if (id === null || id === "") return "lists an album without an id"
    const members = (Array.isArray(album.photos) ? album.photos : []).map(looseText).filter((m): m is string => m !== null && m !== "")
    albums.push({
      row: {
        id,
        title: looseText(album.title),
        description: looseText(album.description),
        primary_photo_id: photoIdIn(album.cover_photo),
        photos: looseInteger(album.photo_count),
        videos: null,
        count_views: looseInteger(album.view_count),
        count_comments: null,
        created_at: exportTime(album.created),
        updated_at: exportTime(album.last_updated),
        // Without the member list, which album_photos holds.
        raw: JSON.stringify({ ...album, photos: undefined })
      },
      members
    })
  }
  return albums
}

export interface ExportAccount {
  readonly nsid: string
  readonly username: string
  readonly fullname: string
}

/** The account an export belongs to, from account_profile.json; null when it does not say. */
export const exportAccountFrom = (json: unknown): ExportAccount | null => {
  if (!isNode(json)) return null
  const nsid = looseText(json.nsid)
  if (nsid === null || nsid === "") return null
  return {
    nsid,
    username: looseText(json.screen_name) ?? looseText(json.username) ?? nsid,
    fullname: looseText(json.real_name) ?? ""
  }
}

// ---- errors ----

/**
 * An import that met problems (each already reported on its own line): what was good is kept,
 * and a run on the same input after fixing it finishes the rest.
 */
export class ExportIncomplete extends Data.TaggedError("ExportIncomplete")<{
  readonly problems: number
}> {}

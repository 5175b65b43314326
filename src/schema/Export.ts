// Flickr's own data export ("Request my Flickr data"), decoded leniently into fbk's rows:
// photo_<id>.json, albums.json, account_profile.json (which entry is which: ExportNames).
import { Data, Either, Option, ParseResult, Schema } from "effect"
import type * as AST from "effect/SchemaAST"
import type { AlbumRow } from "./Album.js"
import type { CommentRow, ExifRow, NoteRow, TagRow } from "./Details.js"
import { type Node, withOriginal } from "./Nodes.js"
import type { PhotoRow } from "./Photo.js"
import { LICENSES } from "./Licenses.js"
import { isVideoExtension } from "./MediaTypes.js"
import { isNone, looseInteger, looseNumber, looseText, NumberOrNone, orNone, problemAt, TextOrNone } from "./Wire.js"

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

/** Flickr's license ids by the names the export gives (lower case, without " License"). */
const LICENSE_IDS = new Map(LICENSES.map((l) => [l.name.toLowerCase(), l.id]))

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
const exifOf = (map: Node): Array<ExifRow> => {
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

const fail = (ast: AST.AST, value: unknown, expected: string) =>
  ParseResult.fail(new ParseResult.Type(ast, value, `expected ${expected}, not ${JSON.stringify(value) ?? String(value)}`))

/** An id: text or a number matching `pattern`. */
const Id = (what: string, pattern: RegExp) =>
  Schema.transformOrFail(Schema.Unknown, Schema.String, {
    strict: true,
    decode: (value, _, ast) => {
      const text = looseText(value)
      return text !== null && pattern.test(text) ? ParseResult.succeed(text) : fail(ast, value, what)
    },
    encode: ParseResult.succeed
  })

const PhotoId = Id("a photo id (digits)", /^\d+$/)
const AlbumId = Id("an album id", /\S/)

/** A time as `exportTime` reads it; none is null. */
const ExportDate = Schema.transformOrFail(Schema.Unknown, Schema.NullOr(Schema.Number), {
  strict: true,
  decode: (value, _, ast) => {
    if (isNone(value)) return ParseResult.succeed(null)
    const seconds = exportTime(value)
    return seconds === null ? fail(ast, value, "a date (\"YYYY-MM-DD HH:MM:SS\") or unix seconds") : ParseResult.succeed(seconds)
  },
  encode: ParseResult.succeed
})

/** Degrees x 1e6 as an integer (as text or a number), or a plain number in degrees, should an export send one. */
const Degrees = Schema.transformOrFail(Schema.Unknown, Schema.NullOr(Schema.Number), {
  strict: true,
  decode: (value, _, ast) => {
    if (isNone(value)) return ParseResult.succeed(null)
    const n = looseNumber(value)
    if (n === null) return fail(ast, value, "degrees")
    return ParseResult.succeed(/^-?\d+$/.test(String(value).trim()) ? n / 1_000_000 : n)
  },
  encode: ParseResult.succeed
})

const GeoPoint = Schema.Struct({ latitude: Degrees, longitude: Degrees, accuracy: NumberOrNone }).annotations({ identifier: "a location" })

/** `geo` is an object, or a list of one, or empty when the photo has no location. */
const Geo = Schema.transformOrFail(Schema.Unknown, Schema.NullOr(Schema.typeSchema(GeoPoint)), {
  strict: true,
  decode: (value, options) => {
    const first: unknown = Array.isArray(value) ? value[0] : value
    return isNone(first) ? ParseResult.succeed(null) : ParseResult.decodeUnknown(GeoPoint)(first, options)
  },
  encode: ParseResult.succeed
})

/** A list the export may leave out. */
const listOf = <A, I>(item: Schema.Schema<A, I>, what: string) =>
  orNone(Schema.Array(item).annotations({ identifier: `a list of ${what}` }), [] as ReadonlyArray<A>)

const TagJson = Schema.Struct({ tag: TextOrNone, raw: TextOrNone, user: TextOrNone, author: TextOrNone }).annotations({ identifier: "a tag" })

const CommentJson = withOriginal(Schema.Struct({
  id: TextOrNone,
  comment_id: TextOrNone,
  user: TextOrNone,
  author: TextOrNone,
  date: TextOrNone,
  date_create: TextOrNone,
  created: TextOrNone,
  comment: TextOrNone,
  message: TextOrNone,
  text: TextOrNone,
  url: TextOrNone,
  permalink: TextOrNone
}).annotations({ identifier: "a comment" }))

const NoteJson = withOriginal(Schema.Struct({
  id: TextOrNone,
  note_id: TextOrNone,
  user: TextOrNone,
  author: TextOrNone,
  note: TextOrNone,
  text: TextOrNone,
  message: TextOrNone,
  _content: TextOrNone,
  x: NumberOrNone,
  y: NumberOrNone,
  w: NumberOrNone,
  width: NumberOrNone,
  h: NumberOrNone,
  height: NumberOrNone
}).annotations({ identifier: "a note" }))

/** photo_<id>.json as FLICKR.md describes it, leniently: counts as text, fields left out, "" for none. */
export const ExportPhotoJson = Schema.Struct({
  id: PhotoId,
  name: TextOrNone,
  title: TextOrNone,
  description: TextOrNone,
  count_views: NumberOrNone,
  count_faves: NumberOrNone,
  count_comments: NumberOrNone,
  date_taken: TextOrNone,
  date_imported: ExportDate,
  photopage: TextOrNone,
  original: TextOrNone,
  license: TextOrNone,
  privacy: TextOrNone,
  geo: Geo,
  exif: orNone(Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({ identifier: "a map of EXIF fields" }), {}),
  tags: listOf(TagJson, "tags"),
  comments: listOf(CommentJson, "comments"),
  notes: listOf(NoteJson, "notes")
}).annotations({ identifier: "a photo's record" })
export type ExportPhotoJson = typeof ExportPhotoJson.Type

const tagRows = (tags: ExportPhotoJson["tags"]): Array<TagRow> =>
  tags.flatMap((tag) => {
    const raw = tag.tag ?? tag.raw
    if (raw === null || raw.trim() === "") return []
    const author = tag.user ?? tag.author
    return [{ tag_id: derivedId("export-", [raw, author]), tag: normalisedTag(raw), raw, author, author_name: null, machine_tag: isMachineTag(raw) ? 1 : 0 }]
  })

const commentRow = ({ fields: c, original }: ExportPhotoJson["comments"][number]): CommentRow => {
  const author = c.user ?? c.author
  const created = c.date ?? c.date_create ?? c.created
  const body = c.comment ?? c.message ?? c.text
  return {
    comment_id: c.id ?? c.comment_id ?? derivedId("export-", [author, created, body]),
    author,
    author_name: null,
    created: exportTime(created),
    permalink: c.url ?? c.permalink,
    text: body,
    raw: JSON.stringify(original)
  }
}

const noteRow = ({ fields: n, original }: ExportPhotoJson["notes"][number]): NoteRow => {
  const author = n.user ?? n.author
  const body = n.note ?? n.text ?? n.message ?? n._content
  return {
    note_id: n.id ?? n.note_id ?? derivedId("export-", [author, body, looseText(original.x), looseText(original.y)]),
    author,
    author_name: null,
    x: n.x,
    y: n.y,
    w: n.w ?? n.width,
    h: n.h ?? n.height,
    text: body
  }
}

const whole = (n: number | null) => (n === null ? null : Math.trunc(n))

/** A decoded photo_<id>.json as rows; `text` is the file as it came, kept verbatim in `raw`. */
export const exportPhotoRows = (json: ExportPhotoJson, text: string, context: PhotoContext): ExportPhoto => {
  const parts = originalUrlParts(json.original)
  const geo = json.geo
  const located = geo !== null && geo.latitude !== null && geo.longitude !== null && (geo.latitude !== 0 || geo.longitude !== 0)
  const pageUser = photopageUser(json.photopage)
  const isVideo = context.mediaExt !== null && isVideoExtension(context.mediaExt)
  const tags = tagRows(json.tags)
  const exif = exifOf(json.exif)
  const size = pixelSizeOf(exif)
  const row: PhotoRow = {
    id: json.id,
    owner: context.owner,
    title: json.name ?? json.title,
    description: json.description,
    media: isVideo ? "video" : "photo",
    secret: null,
    server: parts?.server ?? null,
    farm: parts?.farm ?? null,
    original_secret: parts?.originalSecret ?? null,
    original_format: isVideo ? context.mediaExt : parts?.format ?? context.mediaExt,
    ...visibility(json.privacy),
    license: licenseId(json.license),
    date_taken: json.date_taken,
    date_taken_granularity: null,
    date_taken_unknown: 0,
    date_uploaded: json.date_imported,
    last_update: null,
    width: size?.width ?? null,
    height: size?.height ?? null,
    // A video's `original` is its poster, not the video.
    url_o: isVideo ? null : json.original,
    views: whole(json.count_views),
    tags: tags.filter((t) => t.machine_tag === 0).map((t) => t.tag).join(" "),
    machine_tags: tags.filter((t) => t.machine_tag === 1).map((t) => t.tag).join(" "),
    latitude: located ? geo.latitude : null,
    longitude: located ? geo.longitude : null,
    accuracy: located ? whole(geo.accuracy) : null,
    geo_context: null,
    place_id: null,
    woeid: null,
    path_alias: pageUser !== null && !pageUser.includes("@") ? pageUser : null,
    count_faves: whole(json.count_faves),
    count_comments: whole(json.count_comments),
    raw: text.trim()
  }
  return { row, tags, comments: json.comments.map(commentRow), notes: json.notes.map(noteRow), exif }
}

/**
 * A parsed photo_<id>.json as rows; when a field cannot be read, a line saying which and why
 * (`has a field fbk cannot read: date_imported: expected a date ...`).
 */
export const exportPhotoFrom = (json: unknown, text: string, context: PhotoContext): ExportPhoto | string =>
  Either.match(Schema.decodeUnknownEither(ExportPhotoJson)(json), {
    onLeft: unreadable,
    onRight: (decoded) => exportPhotoRows(decoded, text, context)
  })

const unreadable = (error: ParseResult.ParseError) => `has a field fbk cannot read: ${problemAt(error)}`

// ---- albums.json and account_profile.json ----

export interface ExportAlbum {
  readonly row: AlbumRow
  /** Member photo ids in the album's order. */
  readonly members: ReadonlyArray<string>
}

/** The photo id in a cover_photo given as an id or as a photo page / file URL. */
const photoIdIn = (value: string | null): string | null => {
  const text = value?.trim() ?? ""
  if (/^\d+$/.test(text)) return text
  const inUrl = /\/(\d+)(?:_[0-9a-f]+_[a-z]\.[a-z]+)?\/?$/.exec(text) ?? /\/(\d+)_[0-9a-f]+/.exec(text)
  return inUrl === null ? null : inUrl[1]!
}

const AlbumJson = withOriginal(Schema.Struct({
  id: AlbumId,
  title: TextOrNone,
  description: TextOrNone,
  cover_photo: TextOrNone,
  photo_count: NumberOrNone,
  view_count: NumberOrNone,
  created: ExportDate,
  last_updated: ExportDate,
  photos: listOf(TextOrNone, "photo ids")
}).annotations({ identifier: "an album" }))

/** albums.json: `{albums: [...]}`, counts and times as text. */
export const ExportAlbumsJson = Schema.Struct({
  albums: Schema.Array(AlbumJson).annotations({ identifier: "a list of albums" })
}).annotations({ identifier: "albums.json" })

const exportAlbum = ({ fields: album, original }: typeof AlbumJson.Type): ExportAlbum => ({
  row: {
    id: album.id,
    title: album.title,
    description: album.description,
    primary_photo_id: photoIdIn(album.cover_photo),
    photos: whole(album.photo_count),
    videos: null,
    count_views: whole(album.view_count),
    count_comments: null,
    created_at: album.created,
    updated_at: album.last_updated,
    // Without the member list, which album_photos holds.
    raw: JSON.stringify({ ...original, photos: undefined })
  },
  members: album.photos.filter((m): m is string => m !== null && m !== "")
})

/** albums.json as album rows with their members in order; a line saying which field cannot be read. */
export const exportAlbumsFrom = (json: unknown): ReadonlyArray<ExportAlbum> | string =>
  Either.match(Schema.decodeUnknownEither(ExportAlbumsJson)(json), {
    onLeft: unreadable,
    onRight: (decoded) => decoded.albums.map(exportAlbum)
  })

export interface ExportAccount {
  readonly nsid: string
  readonly username: string
  readonly fullname: string
}

/** account_profile.json: only who the account is matters to fbk. */
export const ExportAccountJson = Schema.Struct({
  nsid: TextOrNone,
  screen_name: TextOrNone,
  username: TextOrNone,
  real_name: TextOrNone
}).annotations({ identifier: "account_profile.json" })

/** The account an export belongs to, from account_profile.json; null when it does not say, or says it unreadably. */
export const exportAccountFrom = (json: unknown): ExportAccount | null => {
  const decoded = Schema.decodeUnknownOption(ExportAccountJson)(json)
  if (Option.isNone(decoded) || decoded.value.nsid === null || decoded.value.nsid === "") return null
  const { nsid, real_name, screen_name, username } = decoded.value
  return { nsid, username: screen_name ?? username ?? nsid, fullname: real_name ?? "" }
}

// ---- errors ----

/**
 * An import that met problems (each already reported on its own line): what was good is kept,
 * and a run on the same input after fixing it finishes the rest.
 */
export class ExportIncomplete extends Data.TaggedError("ExportIncomplete")<{
  readonly problems: number
}> {}

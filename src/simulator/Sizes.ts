// The files Flickr keeps of each photo and video (its sizes, the original, a video's films) and the
// URLs the simulator serves them at, both ways: from a photo to its URLs, and from a path to its file.

import { contentOf, type Account, type PhotoContent, type PhotoRecord } from "./Account.js"
import { hash32, hex10 } from "./Random.js"

/** Where and what the simulator's image servers serve. */
export interface Hosting {
  /** `http://127.0.0.1:PORT`: static files under /static, video play pages under /photos. */
  readonly site: string
  /** False for a free account: no originals and nothing over 1024 px, as since May 2025. */
  readonly originals: boolean
}

/** The longest side a free account's files may have. */
export const FREE_EDGE = 1024

export interface PhotoSize {
  readonly label: string
  /** The `url_<name>` extra and the `/sizes/<name>/` page. */
  readonly name: string
  readonly suffix: string
  /** The longest side (or the square's side). */
  readonly edge: number
  readonly square: boolean
  /** Sizes from 1600 px up have a secret of their own in their file name, as the recording shows. */
  readonly ownSecret: boolean
}

const size = (label: string, name: string, suffix: string, edge: number, square = false): PhotoSize => ({
  label, name, suffix, edge, square, ownSecret: edge >= 1600
})

/** Every size in getSizes order, smallest first; the original comes after them. */
export const PHOTO_SIZES: ReadonlyArray<PhotoSize> = [
  size("Square", "sq", "_s", 75, true),
  size("Large Square", "q", "_q", 150, true),
  size("Thumbnail", "t", "_t", 100),
  size("Small", "s", "_m", 240),
  size("Small 320", "n", "_n", 320),
  size("Small 400", "w", "_w", 400),
  size("Medium", "m", "", 500),
  size("Medium 640", "z", "_z", 640),
  size("Medium 800", "c", "_c", 800),
  size("Large", "l", "_b", 1024),
  size("Large 1600", "h", "_h", 1600),
  size("Large 2048", "k", "_k", 2048),
  size("X-Large 3K", "3k", "_3k", 3072),
  size("X-Large 4K", "4k", "_4k", 4096),
  size("X-Large 5K", "5k", "_5k", 5120),
  size("X-Large 6K", "6k", "_6k", 6144)
]

export const sizeNamed = (name: string): PhotoSize => {
  const found = PHOTO_SIZES.find((s) => s.name === name)
  if (found === undefined) throw new Error(`flickr simulator: no size ${name}`)
  return found
}

const BY_SUFFIX: ReadonlyMap<string, PhotoSize> = new Map(PHOTO_SIZES.map((s) => [s.suffix, s]))

export interface Dimensions {
  readonly width: number
  readonly height: number
}

/** A size scaled from the original's dimensions (longest side to the size's edge). */
export const scaledTo = (content: PhotoContent, edge: number): Dimensions => {
  const scale = edge / Math.max(content.width, content.height)
  return { width: Math.round(content.width * scale), height: Math.round(content.height * scale) }
}

export const sizeDimensions = (photoSize: PhotoSize, content: PhotoContent): Dimensions =>
  photoSize.square ? { width: photoSize.edge, height: photoSize.edge } : scaledTo(content, photoSize.edge)

/** Flickr makes no size larger than the original; a free account gets none over 1024 px. */
export const hasSize = (photoSize: PhotoSize, content: PhotoContent, hosting: Hosting): boolean =>
  (photoSize.square || photoSize.edge <= Math.max(content.width, content.height)) && (hosting.originals || photoSize.edge <= FREE_EDGE)

export const sizeSecret = (photoSize: PhotoSize, content: PhotoContent, id: string): string =>
  photoSize.ownSecret ? hex10(hash32(`${id}:${content.secret}:${photoSize.name}`), hash32(`${photoSize.name}:${content.secret}`)) : content.secret

/** `{base}/static/{server}/{id}_{secret}{suffix}.{ext}`, with `slash` for every `/` after the base (FlickrJson marks them). */
export const staticImageUrl = (base: string, slash: string, content: PhotoContent, id: string, secret: string, suffix: string, ext: string): string =>
  `${base}${slash}static${slash}${content.server}${slash}${id}_${secret}${suffix}.${ext}`

// ---- videos ----

export type FilmKind = "site" | "mobile" | "iphone_wifi" | "hd" | "orig"

export interface Film {
  readonly kind: FilmKind
  readonly label: string
  /** The longest side; undefined for the original, which keeps the video's own. */
  readonly edge: number | undefined
  /** What a second of it weighs: its size is this times the video's duration. */
  readonly bytesPerSecond: number
}

const FILMS: ReadonlyArray<Film> = [
  { kind: "site", label: "Site MP4", edge: 640, bytesPerSecond: 12_000 },
  { kind: "mobile", label: "Mobile MP4", edge: 320, bytesPerSecond: 5_000 },
  { kind: "iphone_wifi", label: "iphone_wifi", edge: 640, bytesPerSecond: 9_000 },
  { kind: "hd", label: "HD MP4", edge: 1280, bytesPerSecond: 30_000 },
  { kind: "orig", label: "Video Original", edge: undefined, bytesPerSecond: 48_000 }
]

/** A video's original film: served, not offered at all, or offered at a URL that 404s (FLICKR.md, Files). */
export type VideoOriginal = "served" | "absent" | "broken"

const videoBits = (record: PhotoRecord): number => hash32(`video:${record.id}`)

export const videoOriginalOf = (record: PhotoRecord): VideoOriginal => {
  const roll = videoBits(record) % 20
  return roll < 3 ? "absent" : roll < 6 ? "broken" : "served"
}

/** The films getSizes offers for a video, smallest first (a broken original included: its page 404s). */
export const filmsOf = (record: PhotoRecord, content: PhotoContent, hosting: Hosting): ReadonlyArray<Film> => {
  const bits = videoBits(record)
  const longest = Math.max(content.width, content.height)
  return FILMS.filter((film) => {
    if (film.kind === "iphone_wifi") return ((bits >>> 8) & 3) === 0
    if (film.kind === "orig") return hosting.originals && videoOriginalOf(record) !== "absent"
    const edge = film.edge ?? longest
    return edge <= longest && (hosting.originals || edge <= FREE_EDGE)
  })
}

export const filmDimensions = (film: Film, content: PhotoContent): Dimensions =>
  film.edge === undefined ? { width: content.width, height: content.height } : scaledTo(content, film.edge)

/** The original film's file name carries the original secret; every other film the photo's secret. */
export const filmSecret = (film: Film, content: PhotoContent): string => (film.kind === "orig" ? content.originalSecret : content.secret)

/** Where a film's file is: `{site}/static/video/{id}/{secret}/{kind}.mp4`. */
export const filmFileUrl = (site: string, id: string, film: Film, content: PhotoContent): string =>
  `${site}/static/video/${id}/${filmSecret(film, content)}/${film.kind}.mp4`

/** The page a film's getSizes source names, which redirects to its file: `{site}/photos/{name}/{id}/play/{kind}/{secret}/`. */
export const playPageUrl = (site: string, pageName: string, id: string, film: Film, content: PhotoContent): string =>
  `${site}/photos/${pageName}/${id}/play/${film.kind}/${filmSecret(film, content)}/`

// ---- from a path to its file ----

/** One file the image servers serve. */
export type MediaFile =
  | {
      readonly kind: "image"
      readonly record: PhotoRecord
      readonly content: PhotoContent
      /** The size's name, or "o" for the original. */
      readonly name: string
      readonly format: string
      readonly dimensions: Dimensions
    }
  | {
      readonly kind: "film"
      readonly record: PhotoRecord
      readonly content: PhotoContent
      readonly film: Film
      readonly dimensions: Dimensions
    }

const STATIC_IMAGE = /^\/static\/(\d+)\/(\d+)_([0-9a-f]{10})(_[0-9a-z]+)?\.([a-z]+)$/
const STATIC_FILM = /^\/static\/video\/(\d+)\/([0-9a-f]{10})\/([a-z_]+)\.mp4$/
const PLAY_PAGE = /^\/photos\/[^/]+\/(\d+)\/play\/([a-z_]+)\/([0-9a-f]{10})\/?$/

const liveContent = (account: Account, id: string): readonly [PhotoRecord, PhotoContent] | undefined => {
  const record = account.get(id)
  return record === undefined ? undefined : [record, contentOf(record)]
}

const imageAt = (path: string, account: Account, hosting: Hosting): MediaFile | undefined => {
  const match = STATIC_IMAGE.exec(path)
  if (match === null) return undefined
  const [, server, id, secret, suffix = "", ext] = match as unknown as [string, string, string, string, string | undefined, string]
  const found = liveContent(account, id)
  if (found === undefined) return undefined
  const [record, content] = found
  if (String(content.server) !== server) return undefined
  if (suffix === "_o") {
    if (!hosting.originals || secret !== content.originalSecret || ext !== content.originalFormat) return undefined
    return { kind: "image", record, content, name: "o", format: ext, dimensions: { width: content.width, height: content.height } }
  }
  const photoSize = BY_SUFFIX.get(suffix)
  if (photoSize === undefined || ext !== "jpg" || !hasSize(photoSize, content, hosting) || secret !== sizeSecret(photoSize, content, id)) return undefined
  return { kind: "image", record, content, name: photoSize.name, format: "jpg", dimensions: sizeDimensions(photoSize, content) }
}

/** A film that exists at this id, kind and secret; a broken original does not. */
const filmOf = (account: Account, hosting: Hosting, id: string, kind: string, secret: string): MediaFile | undefined => {
  const found = liveContent(account, id)
  if (found === undefined) return undefined
  const [record, content] = found
  if (content.media !== "video") return undefined
  const film = filmsOf(record, content, hosting).find((f) => f.kind === kind)
  if (film === undefined || filmSecret(film, content) !== secret) return undefined
  if (film.kind === "orig" && videoOriginalOf(record) === "broken") return undefined
  return { kind: "film", record, content, film, dimensions: filmDimensions(film, content) }
}

/** The file a /static path names, or undefined when there is none (unknown, deleted, replaced, not offered). */
export const fileAt = (path: string, account: Account, hosting: Hosting): MediaFile | undefined => {
  const film = STATIC_FILM.exec(path)
  if (film === null) return imageAt(path, account, hosting)
  const [, id, secret, kind] = film as unknown as [string, string, string, string]
  return filmOf(account, hosting, id, kind, secret)
}

export const isPlayPage = (path: string): boolean => PLAY_PAGE.test(path)

/** The film a play page redirects to, or undefined when the page 404s. */
export const playPageFilm = (path: string, account: Account, hosting: Hosting): MediaFile | undefined => {
  const match = PLAY_PAGE.exec(path)
  if (match === null) return undefined
  const [, id, kind, secret] = match as unknown as [string, string, string, string]
  return filmOf(account, hosting, id, kind, secret)
}

/** The photo id a file or play page path names, for faults aimed at one photo. */
export const photoIdIn = (path: string): string | undefined =>
  (STATIC_IMAGE.exec(path)?.[2] ?? STATIC_FILM.exec(path)?.[1] ?? PLAY_PAGE.exec(path)?.[1])

// Where a photo's picture comes from: a thumbnail of its file (a video's poster), else Flickr's own
// sized copy while online, else a placeholder that says why, in fixed words (nothing from the URL).
import { Option } from "effect"
import type { PhotoCard } from "../../schema/Viewer.js"
import type { ThumbSize } from "../../services/files/Thumbnails.js"

/** Flickr's image server: the only origin besides fbk's own that pictures load from. */
export const FLICKR_IMAGES = "https://live.staticflickr.com"

/** Why a photo is shown as a placeholder, and what the placeholder says. */
export const PLACEHOLDERS = {
  "not-downloaded": ["Not downloaded yet:", "fbk download"],
  "not-in-export": ["Not in Flickr's export"],
  unreadable: ["fbk cannot make a picture", "of this file"],
  offline: ["From Flickr (online only):", "Flickr cannot be reached"]
} as const satisfies Record<string, ReadonlyArray<string>>
export type PlaceholderReason = keyof typeof PLACEHOLDERS

export const isPlaceholderReason = (name: string): name is PlaceholderReason => Object.hasOwn(PLACEHOLDERS, name)

export const placeholderHref = (reason: PlaceholderReason) => `/placeholder/${reason}.svg`

/** The placeholder picture: grey, 4:3, its words centred (they are ours, but escaped all the same). */
export const placeholderSvg = (reason: PlaceholderReason): string => {
  const lines = PLACEHOLDERS[reason]
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/'/g, "&apos;")
  const text = lines.map((line, i) =>
    `<text x="200" y="${150 + (i - (lines.length - 1) / 2) * 26}" text-anchor="middle" dominant-baseline="middle">${escape(line)}</text>`
  ).join("")
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300">` +
    `<rect width="400" height="300" fill="#d8d8dc"/><g font-family="system-ui, sans-serif" font-size="20" fill="#444">${text}</g></svg>`
}

/** Flickr's suffix for each of our sizes: `w` is 400 px on the long side, `b` 1024. */
const FLICKR_SUFFIX: Record<ThumbSize, string> = { small: "w", large: "b" }

/** Flickr's own copy of the photo at about `size`, when its record has the server and secret (checked: they go into a URL). */
export const flickrSizedUrl = (photo: Pick<PhotoCard, "id" | "server" | "secret">, size: ThumbSize): Option.Option<string> =>
  photo.server !== null && photo.secret !== null && /^\d+$/.test(photo.id) && /^\d+$/.test(photo.server) &&
    /^[0-9a-f]+$/i.test(photo.secret)
    ? Option.some(`${FLICKR_IMAGES}/${photo.server}/${photo.id}_${photo.secret}_${FLICKR_SUFFIX[size]}.jpg`)
    : Option.none()

/** Why a photo without a picture of its own, nor Flickr's, shows a placeholder. */
export const missingReason = (photo: Pick<PhotoCard, "source">): PlaceholderReason =>
  photo.source === "export" ? "not-in-export" : "not-downloaded"

/** Where the listing's thumbnail of `photo` will come from. */
export type PictureOrigin =
  | { readonly _tag: "Local" }
  | { readonly _tag: "Flickr" }
  | { readonly _tag: "Placeholder"; readonly reason: PlaceholderReason }

export const pictureOrigin = (photo: PhotoCard): PictureOrigin =>
  photo.local_picture === 1
    ? { _tag: "Local" }
    : Option.isSome(flickrSizedUrl(photo, "small"))
    ? { _tag: "Flickr" }
    : { _tag: "Placeholder", reason: missingReason(photo) }

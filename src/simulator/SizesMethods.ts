// flickr.photos.getSizes, shaped like the recorded body in flickr-samples/: the sizes a photo has up to
// its original, then a video's player and films; widths and heights numbers or strings (films' maybe "").

import { contentOf, type PhotoContent } from "./Account.js"
import { pageName, photoPage } from "./PhotoItem.js"
import { hash32 } from "./Random.js"
import { NOT_FOUND, photoOf, type FlickrValue, type RestContext } from "./RestContext.js"
import {
  filmDimensions, filmsOf, hasSize, PHOTO_SIZES, playPageUrl, scaledTo, sizeDimensions, sizeSecret, staticImageUrl, type Dimensions, type PhotoSize
} from "./Sizes.js"

// Bits of a photo's getSizes drift.
const ALL_NUMBERS = 0 // two bits: 0 means every photo size's width and height are numbers
const CAN_BLOG = 2
const BLANK_ORIGINAL = 3 // a video original's width and height are ""
const BLANK_MOBILE = 4 // two bits: 0 means the Mobile MP4's are ""
const FILM_STRINGS = 6

/** The recording sends Square's and Thumbnail's dimensions as numbers and every other size's as strings. */
const RECORDED_NUMBERS = new Set(["sq", "t"])

const PLAYER = "https://www.flickr.com/apps/video/stewart.swf?v=2968162862"

const bitOf = (bits: number, at: number, width = 1): number => (bits >>> at) & ((1 << width) - 1)

const entry = (label: string, dimensions: Dimensions | "", typed: (n: number) => number | string, source: string, url: string, media: string): FlickrValue => ({
  label,
  width: dimensions === "" ? "" : typed(dimensions.width),
  height: dimensions === "" ? "" : typed(dimensions.height),
  source,
  url,
  media
})

const photoSizes = (context: RestContext, content: PhotoContent, id: string, bits: number): Array<FlickrValue> => {
  const { hosting } = context
  const page = (name: string): string => `https://www.flickr.com/photos/${pageName(context.account.owner, content)}/${id}/sizes/${name}/`
  const allNumbers = bitOf(bits, ALL_NUMBERS, 2) === 0
  const typedFor = (name: string) => (n: number): number | string => (allNumbers || RECORDED_NUMBERS.has(name) ? n : String(n))
  const sizes = PHOTO_SIZES.filter((size: PhotoSize) => hasSize(size, content, hosting)).map((size) =>
    entry(
      size.label,
      sizeDimensions(size, content),
      typedFor(size.name),
      staticImageUrl(hosting.site, "/", content, id, sizeSecret(size, content, id), size.suffix, "jpg"),
      page(size.name),
      "photo"
    )
  )
  if (hosting.originals) {
    const source = staticImageUrl(hosting.site, "/", content, id, content.originalSecret, "_o", content.originalFormat)
    sizes.push(entry("Original", { width: content.width, height: content.height }, typedFor("o"), source, page("o"), "photo"))
  }
  return sizes
}

const getSizes = (context: RestContext): FlickrValue => {
  const record = photoOf(context)
  if (record === undefined) return NOT_FOUND
  const content = contentOf(record)
  const { hosting } = context
  const owner = context.account.owner
  const bits = hash32(`sizes:${record.id}`)
  const size = photoSizes(context, content, record.id, bits)
  if (content.media === "video") {
    const typed = (n: number): number | string => (bitOf(bits, FILM_STRINGS) === 1 ? String(n) : n)
    // The player is a page to embed, not a file.
    const player = `${PLAYER}&photo_id=${record.id}&photo_secret=${content.secret}`
    size.push(entry("Video Player", scaledTo(content, 640), typed, player, photoPage(owner, content, record.id), "video"))
    for (const film of filmsOf(record, content, hosting)) {
      const blank =
        (film.kind === "orig" && bitOf(bits, BLANK_ORIGINAL) === 1) || (film.kind === "mobile" && bitOf(bits, BLANK_MOBILE, 2) === 0)
      const play = playPageUrl(hosting.site, pageName(owner, content), record.id, film, content)
      size.push(entry(film.label, blank ? "" : filmDimensions(film, content), typed, play, play, "video"))
    }
  }
  const can = bitOf(bits, CAN_BLOG)
  return { sizes: { canblog: can, canprint: can, candownload: 1, size }, stat: "ok" }
}

export const SIZE_METHODS: ReadonlyArray<readonly [string, (context: RestContext) => FlickrValue]> = [["flickr.photos.getSizes", getSizes]]

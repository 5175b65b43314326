// The files to try for one photo, best first: its url_o; else the largest size getSizes offers; a
// video's original, with its largest MP4 as the fallback. Each says what the file must look like.
import { Data, Effect } from "effect"
import type { Expected } from "../../schema/Files.js"
import { expectedKindOf, isFlickrImageFormat } from "../../schema/MediaTypes.js"
import { largestPhotoSize, largestVideoFile, type OfferedSize, videoOriginal } from "../../schema/Sizes.js"
import type { FetchedFile, WantedPhoto } from "../../services/database/FileRepository.js"
import type { FlickrApi } from "../../services/flickr/FlickrApi.js"
import { extensionOf, originalExtension } from "./FetchPlan.js"

const NO_ORIGINAL = "Flickr offers no original of this photo (no url_o in the listing: since 15 May 2025 " +
  "originals of free accounts cannot be downloaded, even by their owner)"
const NO_VIDEO_ORIGINAL = "Flickr offers no Video Original for this video"

/** A video original's extension: Flickr's original_format of a video is often an image's ("jpg"). */
const videoExtension = (format: string | null): string =>
  format === null || isFlickrImageFormat(format) ? "mp4" : format.toLowerCase()

/** Why a plan's file is not the original: it is; Flickr offers none; or the original was tried and failed. */
export type NotOriginal = Data.TaggedEnum<{
  IsOriginal: Record<never, never>
  Because: { readonly reason: string }
  OriginalFailed: Record<never, never>
}>
export const NotOriginal = Data.taggedEnum<NotOriginal>()

/** One way to get a photo's file: the URL, what the file is, and what it must look like. */
export interface Plan {
  readonly url: string
  readonly role: FetchedFile["role"]
  readonly ext: string
  readonly expect: Expected
  readonly notOriginal: NotOriginal
}

const dimensions = (width: number | null, height: number | null) =>
  width !== null && height !== null && width > 0 && height > 0 ? { width, height } : {}

const fromSize = (size: OfferedSize, fallbackExt: string, notOriginal: NotOriginal): Plan => {
  const url = size.source!
  const ext = extensionOf(url) ?? fallbackExt
  return {
    url,
    role: "largest available",
    ext,
    expect: { kind: expectedKindOf(ext), ...(size.media === "video" ? {} : dimensions(size.width, size.height)) },
    notOriginal
  }
}

/** The files to try for a photo, best first (a video's original may fail; its MP4 is the fallback). */
export const plansFor = (api: FlickrApi, photo: WantedPhoto) =>
  Effect.gen(function*() {
    if (photo.media !== "video" && photo.url_o !== null) {
      const ext = originalExtension({ ...photo, url_o: photo.url_o })
      return [{
        url: photo.url_o,
        role: "original",
        ext,
        expect: { kind: expectedKindOf(ext), ...dimensions(photo.width, photo.height) },
        notOriginal: NotOriginal.IsOriginal()
      }] satisfies ReadonlyArray<Plan>
    }
    const sizes = (yield* api.photoSizes(photo.id)).sizes.size
    if (photo.media !== "video") {
      const largest = largestPhotoSize(sizes)
      return largest === undefined ? [] : [fromSize(largest, "jpg", NotOriginal.Because({ reason: NO_ORIGINAL }))]
    }
    const plans: Array<Plan> = []
    const original = videoOriginal(sizes)
    if (original !== undefined) {
      const ext = videoExtension(photo.original_format)
      plans.push({ url: original.source!, role: "video original", ext, expect: { kind: expectedKindOf(ext) }, notOriginal: NotOriginal.IsOriginal() })
    }
    const mp4 = largestVideoFile(sizes)
    if (mp4 !== undefined) {
      plans.push(fromSize(mp4, "mp4", original === undefined ? NotOriginal.Because({ reason: NO_VIDEO_ORIGINAL }) : NotOriginal.OriginalFailed()))
    }
    return plans
  })

// flickr.photos.getSizes: every size Flickr offers of a photo or video, with the label, pixel
// size (numbers or strings, "" for some videos) and the file's URL.
import { Schema } from "effect"
import { LooseNumber, LooseText } from "./Wire.js"

export const OfferedSize = Schema.Struct({
  label: Schema.String,
  width: LooseNumber,
  height: LooseNumber,
  source: LooseText,
  media: Schema.optionalWith(LooseText, { default: () => null })
})
export type OfferedSize = typeof OfferedSize.Type

export const SizesAnswer = Schema.Struct({
  sizes: Schema.Struct({ size: Schema.Array(OfferedSize) })
})
export type SizesAnswer = typeof SizesAnswer.Type

/** Not a file: the page that plays a video. */
const PLAYER = "Video Player"
export const VIDEO_ORIGINAL = "Video Original"

const pixels = (size: OfferedSize): number => (size.width ?? 0) * (size.height ?? 0)

/** The largest file offered among `sizes` that `accept` lets through (by pixels, later labels winning ties). */
const largest = (sizes: ReadonlyArray<OfferedSize>, accept: (size: OfferedSize) => boolean): OfferedSize | undefined =>
  sizes.filter((s) => s.source !== null && s.source !== "" && s.label !== PLAYER && accept(s))
    .reduce<OfferedSize | undefined>((best, s) => (best === undefined || pixels(s) >= pixels(best) ? s : best), undefined)

/** A photo's largest size (its Original when offered). */
export const largestPhotoSize = (sizes: ReadonlyArray<OfferedSize>) => largest(sizes, (s) => s.media !== "video")

/** A video's largest MP4 (never the player, never the Video Original, which is asked for on its own). */
export const largestVideoFile = (sizes: ReadonlyArray<OfferedSize>) =>
  largest(sizes, (s) => s.media === "video" && s.label !== VIDEO_ORIGINAL)

export const videoOriginal = (sizes: ReadonlyArray<OfferedSize>) =>
  sizes.find((s) => s.label === VIDEO_ORIGINAL && s.source !== null && s.source !== "")

// Files as a photographer's own disks hold them: JPEGs of a given pixel size with the EXIF a camera
// writes (or none), for `fbk demo`, the link tests and the benchmark.
import * as fs from "node:fs"
import * as path from "node:path"
import { exifSegment, jfifSegment, jpegImage, SOI, toYCbCr } from "./Jpeg.js"

export interface CameraFile {
  readonly width: number
  readonly height: number
  /** `YYYY-MM-DD HH:MM:SS` on the camera's clock; without it the file has no EXIF at all. */
  readonly taken?: string
  readonly subsec?: string
  readonly make?: string
  readonly model?: string
  /** Picks the picture's colours, so two files of one size and date differ in their bytes. */
  readonly look?: number
  /** The file's length, reached with bytes after the image's end (where a camera's data would be). */
  readonly bytes?: number
  /** Where it was taken, in signed degrees (south and west below zero). */
  readonly location?: { readonly latitude: number; readonly longitude: number }
}

const FILLER = Buffer.alloc(1024 * 1024, 0x5a)

/** `bytes` of filler, from one shared block. */
const padding = (bytes: number): ReadonlyArray<Buffer> =>
  Array.from({ length: Math.ceil(bytes / FILLER.length) }, (_, i) => FILLER.subarray(0, Math.min(FILLER.length, bytes - i * FILLER.length)))

const PALETTE = [[200, 40, 40], [40, 160, 60], [30, 60, 200], [220, 200, 40], [90, 90, 90]] as const

/** A baseline JPEG of exactly `width` x `height`, with the camera's EXIF when it has a date. */
export const cameraJpeg = (file: CameraFile): Buffer => {
  const look = file.look ?? 0
  const colors = [PALETTE[look % PALETTE.length]!, PALETTE[(look + 2) % PALETTE.length]!].map((c) => toYCbCr(c))
  const tiling = { tile: 32, colorAt: (x: number, y: number) => (x + y) % 2, rowClass: (y: number) => y % 2 }
  const head = file.taken === undefined
    ? jfifSegment()
    : exifSegment({
      camera: { make: file.make ?? "Canon", model: file.model ?? "Canon EOS R6", name: "", software: undefined },
      artist: undefined,
      exposure: undefined,
      taken: Date.parse(`${file.taken.replace(" ", "T")}Z`) / 1000,
      subsec: file.subsec,
      location: file.location === undefined
        ? undefined
        : { ...file.location, accuracy: 16, context: 0, placeId: "", woeid: "" }
    }, file.width, file.height)
  const image = Buffer.concat([SOI, head, jpegImage(file.width, file.height, tiling, colors)])
  return file.bytes === undefined || file.bytes <= image.length ? image : Buffer.concat([image, ...padding(file.bytes - image.length)])
}

/** Writes `bytes` at `dir/name`, making the folders on the way. */
export const writeFile = (dir: string, name: string, bytes: Uint8Array): string => {
  const full = path.join(dir, name)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  fs.writeFileSync(full, bytes)
  return full
}

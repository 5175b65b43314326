// Small files that look like what they claim to be, for the file tests: a JPEG with a frame of a
// given size (behind an EXIF segment whose bytes look like markers), and an MP4's first box.
import { randomBytes } from "node:crypto"

export const concat = (...parts: ReadonlyArray<ReadonlyArray<number> | Uint8Array>) =>
  new Uint8Array(Buffer.concat(parts.map((part) => Uint8Array.from(part))))
const u16 = (n: number) => [n >> 8, n & 0xff]
export const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))
export const segment = (marker: number, payload: ReadonlyArray<number> | Uint8Array) =>
  concat([0xff, marker, ...u16(payload.length + 2)], payload)

/**
 * A small baseline JPEG as a camera writes it: SOI, an APP1 EXIF segment (large, with bytes that
 * look like markers inside), a DHT before the frame (C4 is not a frame header), the frame
 * (SOF0 unless `frameMarker` says otherwise), a scan, EOI.
 */
export const jpeg = (width: number, height: number, frameMarker = 0xc0) =>
  concat(
    [0xff, 0xd8],
    segment(0xe1, concat(ascii("Exif\0\0"), [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10], randomBytes(3000))),
    segment(0xdb, concat([0x00], randomBytes(64))),
    segment(0xc4, concat([0x00, 0x08, 0x00, 0x10, 0x00, 0x10], randomBytes(20))),
    segment(frameMarker, [0x08, ...u16(height), ...u16(width), 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]),
    segment(0xda, [0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00]),
    randomBytes(2000).map((b) => (b === 0xff ? 0x00 : b)),
    [0xff, 0xd9]
  )

export const mp4 = () => concat([0, 0, 0, 0x20], ascii("ftypisom"), randomBytes(500))

type IfdEntry = readonly [tag: number, type: 1 | 3 | 4, value: number | ReadonlyArray<number>]

/** A little-endian TIFF directory at `at`, its values in the entries (4 bytes at most each), linking to `next`. */
const ifd = (entries: ReadonlyArray<IfdEntry>, next: number) => {
  const bytes = Buffer.alloc(2 + entries.length * 12 + 4)
  bytes.writeUInt16LE(entries.length, 0)
  entries.forEach(([tag, type, value], i) => {
    const at = 2 + i * 12
    const values = typeof value === "number" ? [value] : value
    bytes.writeUInt16LE(tag, at)
    bytes.writeUInt16LE(type, at + 2)
    bytes.writeUInt32LE(values.length, at + 4)
    values.forEach((v, j) => (type === 1 ? bytes.writeUInt8(v, at + 8 + j) : type === 3 ? bytes.writeUInt16LE(v, at + 8) : bytes.writeUInt32LE(v, at + 8)))
  })
  bytes.writeUInt32LE(next, bytes.length - 4)
  return bytes
}

/**
 * A RAW file in the way ExifTool reads one (a DNG when `dng`, else a TIFF) with no image data sharp
 * can decode: a large JPEG in a SubIFD (ExifTool's JpgFromRaw) and a small one in IFD1 (its
 * ThumbnailImage), as cameras embed them; `orientation` in IFD0.
 */
export const rawWithPreviews = (options: { readonly large: Uint8Array; readonly small: Uint8Array; readonly dng: boolean; readonly orientation?: number }) => {
  const jpegAt = (offset: number, jpeg: Uint8Array): ReadonlyArray<IfdEntry> => [[0x201, 4, offset], [0x202, 4, jpeg.length]]
  const ifd0Entries = (subIfdAt: number): ReadonlyArray<IfdEntry> => [
    [254, 4, 0], [256, 4, 4000], [257, 4, 3000], [258, 3, 16], [259, 3, 1], [262, 3, 32803], [274, 3, options.orientation ?? 1],
    [330, 4, subIfdAt], ...(options.dng ? [[50706, 1, [1, 4, 0, 0]] as const] : [])
  ]
  const ifd0Size = ifd(ifd0Entries(0), 0).length
  const subIfdAt = 8 + ifd0Size
  const subIfdSize = ifd(jpegAt(0, options.large), 0).length
  const ifd1At = subIfdAt + subIfdSize
  const largeAt = ifd1At + ifd(jpegAt(0, options.small), 0).length
  const smallAt = largeAt + options.large.length
  return concat(
    [0x49, 0x49, 42, 0, 8, 0, 0, 0],
    ifd(ifd0Entries(subIfdAt), ifd1At),
    ifd(jpegAt(largeAt, options.large), 0),
    ifd(jpegAt(smallAt, options.small), 0),
    options.large,
    options.small
  )
}

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

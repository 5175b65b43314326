// Whether a file's bytes are what its name or Flickr promised, read as they stream by: the format
// by its first bytes (magic numbers), and a JPEG's frame size by walking its marker segments.
import { Option } from "effect"
import type { Expected, ExpectedKind } from "../../schema/Files.js"

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))
const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>, at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b)

const JPEG_MAGIC = [0xff, 0xd8, 0xff]
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const FTYP = ascii("ftyp")
/** Atoms old QuickTime files open with, before `ftyp` existed. */
const QUICKTIME_ATOMS = ["moov", "mdat", "wide", "free"].map(ascii)

export const MAGIC_CHECKS: Readonly<Record<Exclude<ExpectedKind, "any">, (head: Uint8Array) => boolean>> = {
  jpeg: (head) => startsWith(head, JPEG_MAGIC),
  png: (head) => startsWith(head, PNG_MAGIC),
  gif: (head) => startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a")),
  mp4: (head) => startsWith(head, FTYP, 4),
  mov: (head) => startsWith(head, FTYP, 4) || QUICKTIME_ATOMS.some((atom) => startsWith(head, atom, 4))
}

/** Names what a file that failed its check looks like, so the reason says what came instead. */
export const describeStart = (head: Uint8Array): string => {
  const kind = Object.entries(MAGIC_CHECKS).find(([, looksLike]) => looksLike(head))
  if (kind !== undefined) return `it is ${kind[0].toUpperCase()}`
  const text = new TextDecoder().decode(head).trimStart()
  if (text.startsWith("<")) return "it is text (an HTML or XML page)"
  if (head.length === 0) return "it is empty"
  return `it starts with ${Buffer.from(head.subarray(0, 8)).toString("hex").replace(/(..)(?!$)/g, "$1 ")}`
}

/** Start-of-frame markers (SOF0-SOF15 without DHT C4, JPG C8, DAC CC): they carry the frame size. */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])
/** Markers with no length after them (TEM, RST0-7, SOI). */
const isStandalone = (marker: number) => marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)

export interface FrameSize {
  readonly width: number
  readonly height: number
}

/**
 * Walks a JPEG's marker segments as its bytes go by (by their lengths, so EXIF and ICC segments of
 * any size are skipped, never kept) to the frame header; none if the scan or the end comes first.
 */
export const jpegFrameScan = () => {
  /** Where the next marker starts, and up to 9 bytes from there: marker, length, a frame's size. */
  let next = 2
  const window = new Uint8Array(9)
  let have = 0
  let seen = 0
  let found: Option.Option<FrameSize> | undefined

  const advance = (by: number) => {
    next += by
    if (by < have) window.copyWithin(0, by, have)
    have = Math.max(0, have - by)
  }
  /** One step at `next`, with all 9 bytes there or the file ending within them. */
  const decide = () => {
    const marker = window[1]!
    if (window[0] !== 0xff) found = Option.none()
    else if (marker === 0xff) advance(1) // fill byte before a marker
    else if (isStandalone(marker)) advance(2)
    else if (SOF_MARKERS.has(marker)) {
      found = have < 9
        ? Option.none()
        : Option.some({ height: (window[5]! << 8) | window[6]!, width: (window[7]! << 8) | window[8]! })
    } else {
      const length = (window[2]! << 8) | window[3]!
      // Image data (SOS) or the end (EOI) before any frame header: not a picture fbk can size.
      if (marker === 0xda || marker === 0xd9 || length < 2) found = Option.none()
      else advance(2 + length)
    }
  }
  return {
    update: (bytes: Uint8Array) => {
      const start = seen
      seen += bytes.length
      while (found === undefined) {
        const at = next + have - start
        if (at >= bytes.length) return
        const take = Math.min(window.length - have, bytes.length - at)
        window.set(bytes.subarray(at, at + take), have)
        have += take
        if (have < window.length) return
        decide()
      }
    },
    /** Where the frame header starts, once `end` found one: every segment before it is in the bytes seen. */
    frameAt: () => next,
    /** The frame size, once every byte went through `update`. */
    end: (): Option.Option<FrameSize> => {
      while (found === undefined) {
        if (next + 4 > seen) found = Option.none()
        else decide()
      }
      return found
    }
  }
}

const HEAD_BYTES = 16

/**
 * Checks that a file is what `expect` asks for from its bytes as they are written: its first bytes,
 * and a JPEG's frame size. Nothing is read back from the disk.
 */
export const contentCheck = (expect: Expected) => {
  const head = new Uint8Array(HEAD_BYTES)
  let headLength = 0
  const frame = expect.kind === "jpeg" && expect.width !== undefined && expect.height !== undefined
    ? jpegFrameScan()
    : undefined
  return {
    update: (bytes: Uint8Array) => {
      if (headLength < HEAD_BYTES) {
        const take = Math.min(HEAD_BYTES - headLength, bytes.length)
        head.set(bytes.subarray(0, take), headLength)
        headLength += take
      }
      frame?.update(bytes)
    },
    /** Why the file is not what was asked for, or none when it is; once all of it went through `update`. */
    problem: (): Option.Option<string> => {
      if (expect.kind === "any") return Option.none()
      const start = head.subarray(0, headLength)
      if (!MAGIC_CHECKS[expect.kind](start)) {
        return Option.some(`expected ${expect.kind.toUpperCase()}, but ${describeStart(start)}`)
      }
      if (frame === undefined || expect.width === undefined || expect.height === undefined) return Option.none()
      const { width, height } = expect
      const size = frame.end()
      if (Option.isNone(size)) return Option.some("expected a JPEG, but it has no frame header before its image data")
      const found = size.value
      // EXIF orientation may have the stored frame rotated from the size Flickr reports.
      const fits = (found.width === width && found.height === height) || (found.width === height && found.height === width)
      return fits
        ? Option.none()
        : Option.some(`expected a JPEG of ${width}x${height} (or ${height}x${width}), but its frame is ${found.width}x${found.height}`)
    }
  }
}

export type ContentCheck = ReturnType<typeof contentCheck>

// The bytes of every file the image servers serve, deterministic per photo and per secret: JPEG, PNG
// and GIF images of the size they claim, MP4 films, padded to a realistic length with repeated blocks.

import { deflateSync, crc32 } from "node:zlib"
import type { Owner } from "./Account.js"
import { exifFactsOf, videoDuration } from "./Details.js"
import { SOI, commentSegment, exifSegment, jfifSegment, jpegImage, toYCbCr, type Tiling } from "./Jpeg.js"
import { hash32, Random } from "./Random.js"
import type { Dimensions, MediaFile } from "./Sizes.js"

// ---- bodies read by range ----

/** A run of identical pieces, such as padding: held once, however long the run. */
interface Repeat {
  readonly unit: Buffer
  readonly count: number
}

type Part = Buffer | Repeat

const partSize = (part: Part): number => (Buffer.isBuffer(part) ? part.length : part.unit.length * part.count)

/** A file's bytes as parts, so any range streams without the whole file ever being built. */
export class FileBody {
  readonly size: number

  constructor(private readonly parts: ReadonlyArray<Part>) {
    this.size = parts.reduce((sum, part) => sum + partSize(part), 0)
  }

  /** The bytes in [start, end), as slices of the parts (nothing copied). */
  *chunks(start: number, end: number): Generator<Buffer> {
    let at = 0
    for (const part of this.parts) {
      const size = partSize(part)
      if (at + size > start && at < end) {
        if (Buffer.isBuffer(part)) yield part.subarray(Math.max(0, start - at), Math.min(size, end - at))
        else {
          const unit = part.unit.length
          const first = Math.floor(Math.max(0, start - at) / unit)
          for (let i = first; i < part.count && at + i * unit < end; i++) {
            const from = at + i * unit
            yield part.unit.subarray(Math.max(0, start - from), Math.min(unit, end - from))
          }
        }
      }
      at += size
      if (at >= end) return
    }
  }
}

// ---- padding ----

const BLOCK = 65_536

/** Noise shared by every file's padding: files differ by their headers, not by their filler. */
const FILLER: Buffer = (() => {
  const random = new Random(0x5eed)
  const block = Buffer.alloc(BLOCK)
  for (let i = 0; i < BLOCK; i += 4) block.writeInt32LE(random.bits32(), i)
  return block
})()

/** How a format carries filler: segments it skips, each of `min` to `max` bytes whole. */
interface Carrier {
  readonly min: number
  readonly max: number
  readonly segment: (total: number) => Buffer
}

const fullSegments = new Map<Carrier, Buffer>()

/** Segments of exactly `total` bytes (none when under `min`), the full ones held once. */
const padding = (carrier: Carrier, total: number): ReadonlyArray<Part> => {
  if (total < carrier.min) return []
  let full = Math.floor(total / carrier.max)
  let rest = total - full * carrier.max
  const tail: Array<Buffer> = []
  if (rest > 0 && rest < carrier.min) {
    // Too little left for a segment of its own: one full segment and it become two.
    full -= 1
    rest += carrier.max
    tail.push(carrier.segment(carrier.min))
    rest -= carrier.min
  }
  if (rest > 0) tail.unshift(carrier.segment(rest))
  let unit = fullSegments.get(carrier)
  if (unit === undefined) {
    unit = carrier.segment(carrier.max)
    fullSegments.set(carrier, unit)
  }
  return full > 0 ? [{ unit, count: full }, ...tail] : tail
}

const JPEG_COMMENTS: Carrier = { min: 4, max: 65_537, segment: (total) => commentSegment(total, FILLER) }

const pngChunk = (type: string, data: Buffer): Buffer => {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, "latin1")
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** A private ancillary chunk (`fbKp`: ancillary, private, safe to copy), which readers skip. */
const PNG_CHUNKS: Carrier = { min: 12, max: 12 + BLOCK, segment: (total) => pngChunk("fbKp", FILLER.subarray(0, total - 12)) }

/** A comment extension: 0x21 0xFE, sub-blocks of at most 255 bytes, a zero terminator. */
const gifComment = (total: number): Buffer => {
  const out = Buffer.alloc(total)
  out[0] = 0x21
  out[1] = 0xfe
  let at = 2
  while (total - 1 - at >= 2) {
    const length = Math.min(255, total - 1 - at - 1)
    out[at] = length
    FILLER.copy(out, at + 1, 0, length)
    at += 1 + length
  }
  return out.subarray(0, at + 1) // a byte short when one sub-block would have had to be empty
}

const GIF_COMMENTS: Carrier = { min: 3, max: 3 + 256 * 255, segment: gifComment }

// ---- what each file looks like ----

const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [214, 93, 14], [38, 104, 181], [240, 196, 25], [47, 143, 87], [136, 46, 114], [230, 230, 224], [52, 52, 58], [120, 180, 220]
]

interface Look {
  /** Two or three palette indices. */
  readonly colors: ReadonlyArray<number>
  readonly kind: "checker" | "stripes" | "bands"
}

/** A photo's pattern, fixed by its seed and how often it was replaced: a replacement always looks different. */
const lookOf = (file: MediaFile): Look => {
  const bits = hash32(`look:${file.record.seed}`)
  const first = (bits + file.record.replaced * 3) % PALETTE.length
  const count = 2 + ((bits >>> 8) % 2)
  const colors = Array.from({ length: count }, (_, i) => (first + 1 + i * 2) % PALETTE.length)
  colors[0] = first
  const kinds = ["checker", "stripes", "bands"] as const
  return { colors, kind: kinds[((bits >>> 12) + file.record.replaced) % 3] as Look["kind"] }
}

/** About eight tiles along the longest side, in whole 16-pixel MCUs. */
const tilingOf = (look: Look, { width, height }: Dimensions): Tiling => {
  const tile = 16 * Math.max(1, Math.round(Math.max(width, height) / 8 / 16))
  const n = look.colors.length
  switch (look.kind) {
    case "checker":
      return { tile, colorAt: (x, y) => (x + y) % n, rowClass: (y) => y % n }
    case "stripes":
      return { tile, colorAt: (x) => x % n, rowClass: () => 0 }
    case "bands":
      return { tile, colorAt: (_x, y) => y % n, rowClass: (y) => y % n }
  }
}

/** Bytes per pixel of a photo's files (its padded size), 0.08 to 0.2: a 24-megapixel original is about 2-5 MB. */
const bytesPerPixel = (file: MediaFile): number => 0.08 + (hash32(`weight:${file.record.seed}`) % 1000) / 1000 * 0.12

const targetSize = (file: MediaFile, natural: number, requested: number | undefined): number => {
  if (requested !== undefined) return Math.max(natural, requested)
  return Math.max(natural, Math.round(file.dimensions.width * file.dimensions.height * bytesPerPixel(file)))
}

const jpegParts = (file: MediaFile, owner: Owner, look: Look, requested: number | undefined): ReadonlyArray<Part> => {
  const facts = file.kind === "image" && file.name === "o" ? exifFactsOf(file.record, owner, file.content) : undefined
  const { width, height } = file.dimensions
  const head = Buffer.concat([SOI, facts === undefined ? jfifSegment() : exifSegment(facts, width, height)])
  const image = jpegImage(width, height, tilingOf(look, file.dimensions), look.colors.map((i) => toYCbCr(PALETTE[i] as readonly [number, number, number])))
  const natural = head.length + image.length
  return [head, ...padding(JPEG_COMMENTS, targetSize(file, natural, requested) - natural), image]
}

/** A palette PNG (two bits a pixel), each tile row's first line unfiltered and the rest "Up": zeros. */
const pngParts = (file: MediaFile, look: Look, requested: number | undefined): ReadonlyArray<Part> => {
  const { width, height } = file.dimensions
  const tiling = tilingOf(look, file.dimensions)
  const stride = 1 + Math.ceil(width / 4)
  const raw = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const line = raw.subarray(y * stride, (y + 1) * stride)
    const tileY = Math.floor(y / tiling.tile)
    if (y % tiling.tile !== 0) {
      line[0] = 2
      continue
    }
    for (let x = 0; x < width; x++) {
      const index = tiling.colorAt(Math.floor(x / tiling.tile), tileY)
      line[1 + (x >> 2)] = (line[1 + (x >> 2)] as number) | (index << (6 - 2 * (x & 3)))
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([2, 3, 0, 0, 0], 8) // bit depth 2, palette, deflate, no interlace
  const head = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("PLTE", Buffer.from(look.colors.flatMap((i) => [...(PALETTE[i] as readonly number[])])))
  ])
  const image = Buffer.concat([pngChunk("IDAT", deflateSync(raw, { level: 1 })), pngChunk("IEND", Buffer.alloc(0))])
  const natural = head.length + image.length
  return [head, ...padding(PNG_CHUNKS, targetSize(file, natural, requested) - natural), image]
}

/** LZW codes, least significant bit first, in sub-blocks of 255 bytes. */
class GifCodeWriter {
  private readonly bytes: Array<number> = []
  private acc = 0
  private count = 0

  write(code: number, width: number): void {
    this.acc |= code << this.count
    this.count += width
    while (this.count >= 8) {
      this.bytes.push(this.acc & 255)
      this.acc >>>= 8
      this.count -= 8
    }
  }

  finish(): Buffer {
    if (this.count > 0) this.bytes.push(this.acc & 255)
    const blocks: Array<number> = []
    for (let i = 0; i < this.bytes.length; i += 255) {
      const block = this.bytes.slice(i, i + 255)
      blocks.push(block.length, ...block)
    }
    blocks.push(0)
    return Buffer.from(blocks)
  }
}

/**
 * The LZW data of `pixels` pixels of colour 0, code for code as the classic GIF encoder writes them:
 * the k-th code after a clear covers k pixels, so even a large photo takes a few thousand codes.
 */
const flatLzw = (pixels: number): Buffer => {
  const clear = 4
  const out = new GifCodeWriter()
  let width = 3
  let free = clear + 2
  out.write(clear, width)
  let run = 1
  for (let left = pixels; left > 0; ) {
    const take = Math.min(run, left)
    // The string of k zeros (k >= 2) was the (k-1)-th entry added: code clear + k.
    out.write(take === 1 ? 0 : clear + take, width)
    if (free > (1 << width) - 1 && width < 12) width += 1
    left -= take
    if (left === 0) break
    if (free < 4096) {
      free += 1
      run += 1
    } else {
      out.write(clear, width)
      width = 3
      free = clear + 2
      run = 1
    }
  }
  out.write(clear + 1, width) // end of information
  return out.finish()
}

/** A flat GIF of the first colour (logical screen = image = the photo's size). */
const gifParts = (file: MediaFile, look: Look, requested: number | undefined): ReadonlyArray<Part> => {
  const { width, height } = file.dimensions
  const screen = Buffer.alloc(13)
  screen.write("GIF89a", 0, "latin1")
  screen.writeUInt16LE(width, 6)
  screen.writeUInt16LE(height, 8)
  screen[10] = 0x80 // a global colour table of two colours
  const colors = Buffer.from([look.colors[0] as number, look.colors[1] as number].flatMap((i) => [...(PALETTE[i] as readonly number[])]))
  const descriptor = Buffer.alloc(10)
  descriptor[0] = 0x2c
  descriptor.writeUInt16LE(width, 5)
  descriptor.writeUInt16LE(height, 7)
  const head = Buffer.concat([screen, colors])
  const image = Buffer.concat([descriptor, Buffer.from([2]), flatLzw(width * height), Buffer.from([0x3b])])
  const natural = head.length + image.length
  return [head, ...padding(GIF_COMMENTS, targetSize(file, natural, requested) - natural), image]
}

// ---- MP4 ----

const box = (type: string, ...content: ReadonlyArray<Buffer>): Buffer => {
  const body = Buffer.concat(content)
  const head = Buffer.alloc(8)
  head.writeUInt32BE(8 + body.length, 0)
  head.write(type, 4, "latin1")
  return Buffer.concat([head, body])
}

const words = (...values: ReadonlyArray<number>): Buffer => {
  const out = Buffer.alloc(4 * values.length)
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, 4 * i))
  return out
}

const MATRIX = words(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
/** Seconds from 1904 (MP4's epoch) to 1970. */
const MP4_EPOCH = 2_082_844_800

/** `ftyp` and a `moov` with one video track: the film's size, length and date. */
const movieHeader = (file: MediaFile, durationMs: number): Buffer => {
  const created = (file.content.taken + MP4_EPOCH) >>> 0
  const { width, height } = file.dimensions
  const ftyp = box("ftyp", Buffer.from("isom", "latin1"), words(0x200), Buffer.from("isomiso2avc1mp41", "latin1"))
  const mvhd = box("mvhd", words(0, created, created, 1000, durationMs, 0x10000), Buffer.from([1, 0]), Buffer.alloc(10), MATRIX, Buffer.alloc(24), words(2))
  const tkhd = box("tkhd", words(3, created, created, 1, 0, durationMs, 0, 0, 0, 0), MATRIX, words(width << 16, height << 16))
  const mdhd = box("mdhd", words(0, created, created, 1000, durationMs), Buffer.from([0x55, 0xc4, 0, 0]))
  const hdlr = box("hdlr", words(0, 0), Buffer.from("vide", "latin1"), Buffer.alloc(12), Buffer.from("VideoHandler\0", "latin1"))
  return Buffer.concat([ftyp, box("moov", mvhd, box("trak", tkhd, box("mdia", mdhd, hdlr)))])
}

/** `mdat` header for a payload; past 4 GiB a box's size moves to a 64-bit field. */
const mdatHeader = (payload: number): Buffer => {
  if (payload + 8 <= 0xffffffff) return Buffer.concat([words(payload + 8), Buffer.from("mdat", "latin1")])
  const head = Buffer.alloc(16)
  head.writeUInt32BE(1, 0)
  head.write("mdat", 4, "latin1")
  head.writeBigUInt64BE(BigInt(payload + 16), 8)
  return head
}

const filmParts = (file: MediaFile & { readonly kind: "film" }, requested: number | undefined): ReadonlyArray<Part> => {
  const seconds = videoDuration(file.record)
  const header = movieHeader(file, seconds * 1000)
  const wanted = requested ?? seconds * file.film.bytesPerSecond
  const short = wanted - header.length - 8
  const payload = Math.max(0, short + 8 > 0xffffffff ? short - 8 : short)
  const full = Math.floor(payload / BLOCK)
  const rest = FILLER.subarray(0, payload - full * BLOCK)
  return [header, mdatHeader(payload), ...(full > 0 ? [{ unit: FILLER, count: full }] : []), rest]
}

// ---- served files ----

const contentTypeOf = (file: MediaFile): string => {
  if (file.kind === "film") return "video/mp4"
  return file.format === "png" ? "image/png" : file.format === "gif" ? "image/gif" : "image/jpeg"
}

/** A file ready to serve: its bytes, a strong validator and its type. */
export interface Served {
  readonly body: FileBody
  readonly etag: string
  readonly contentType: string
}

const hex8 = (n: number): string => n.toString(16).padStart(8, "0")

const CACHED_BODIES = 64

/** One simulator's files: made on demand from its owner's photos, the last few kept for resumed downloads. */
export class MediaFiles {
  private readonly bodies = new Map<string, FileBody>()

  constructor(private readonly owner: Owner) {}

  /**
   * The file at `path` (which names its photo, secret and size), made `requested` bytes when asked.
   * The ETag changes whenever the bytes do: a new secret is a new path, a new size a new key.
   */
  serve(file: MediaFile, path: string, requested: number | undefined): Served {
    const key = `${path}#${requested ?? ""}`
    const body = this.bodyOf(file, key, requested)
    // The owner's name is in the EXIF (Artist): another owner's file is other bytes.
    const tag = `${this.owner.fullname}:${key}:${body.size}`
    return { body, etag: `"${hex8(hash32(key))}${hex8(hash32(tag))}"`, contentType: contentTypeOf(file) }
  }

  private bodyOf(file: MediaFile, key: string, requested: number | undefined): FileBody {
    const cached = this.bodies.get(key)
    if (cached !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.bodies.delete(key)
      this.bodies.set(key, cached)
      return cached
    }
    const look = lookOf(file)
    const parts =
      file.kind === "film"
        ? filmParts(file, requested)
        : file.format === "png"
          ? pngParts(file, look, requested)
          : file.format === "gif"
            ? gifParts(file, look, requested)
            : jpegParts(file, this.owner, look, requested)
    const body = new FileBody(parts)
    if (this.bodies.size >= CACHED_BODIES) this.bodies.delete(this.bodies.keys().next().value as string)
    this.bodies.set(key, body)
    return body
  }
}

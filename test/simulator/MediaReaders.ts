// Readers for the files the simulator serves, written from the formats' specifications (not from the
// simulator's writers): a baseline JPEG's segments and entropy-coded scan, EXIF, PNG, GIF's LZW, MP4 boxes.
import { crc32, inflateSync } from "node:zlib"

// ---- JPEG ----

export interface JpegSegment {
  readonly marker: number
  readonly data: Buffer
}

export interface Jpeg {
  readonly segments: ReadonlyArray<JpegSegment>
  readonly width: number
  readonly height: number
  /** MCUs the scan decoded to, every block's coefficients read to its EOB or the 64th. */
  readonly mcus: number
  /** The luminance DC of each MCU's first block (its colour's brightness level). */
  readonly lumaLevels: ReadonlyArray<number>
}

interface Huffman {
  /** `${length}:${code}` -> symbol */
  readonly codes: ReadonlyMap<string, number>
}

const huffmanTables = (data: Buffer, into: Map<number, Huffman>): void => {
  let at = 0
  while (at < data.length) {
    const classAndId = data[at] as number
    const counts = [...data.subarray(at + 1, at + 17)]
    const symbols = data.subarray(at + 17, at + 17 + counts.reduce((a, b) => a + b, 0))
    const codes = new Map<string, number>()
    let code = 0
    let k = 0
    counts.forEach((count, i) => {
      for (let n = 0; n < count; n++) codes.set(`${i + 1}:${code++}`, symbols[k++] as number)
      code <<= 1
    })
    into.set(classAndId, { codes })
    at += 17 + symbols.length
  }
}

/** Bits of entropy-coded data: stuffed zeros dropped, restart markers met only where expected. */
class ScanReader {
  private at = 0
  private bits = 0
  private count = 0

  constructor(private readonly data: Buffer) {}

  bit(): number {
    if (this.count === 0) {
      const byte = this.data[this.at]
      if (byte === undefined) throw new Error("scan ended mid-block")
      if (byte === 0xff) {
        if (this.data[this.at + 1] !== 0) throw new Error(`marker FF${(this.data[this.at + 1] ?? 0).toString(16)} inside an interval`)
        this.at += 1
      }
      this.at += 1
      this.bits = byte
      this.count = 8
    }
    this.count -= 1
    return (this.bits >> this.count) & 1
  }

  read(length: number): number {
    let value = 0
    for (let i = 0; i < length; i++) value = (value << 1) | this.bit()
    return value
  }

  decode(table: Huffman): number {
    let code = 0
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | this.bit()
      const symbol = table.codes.get(`${length}:${code}`)
      if (symbol !== undefined) return symbol
    }
    throw new Error("no such Huffman code")
  }

  /** The rest of the byte is padding of one-bits; then RSTn, or the end of the data. */
  restart(n: number | undefined): void {
    if (this.count > 0 && this.bits % (1 << this.count) !== (1 << this.count) - 1) throw new Error("padding is not one-bits")
    this.count = 0
    if (n === undefined) {
      if (this.at !== this.data.length) throw new Error(`${this.data.length - this.at} bytes after the last MCU`)
      return
    }
    if (this.data[this.at] !== 0xff || this.data[this.at + 1] !== 0xd0 + n) throw new Error(`expected RST${n}`)
    this.at += 2
  }
}

const extend = (value: number, length: number): number => (length === 0 ? 0 : value < 1 << (length - 1) ? value - (1 << length) + 1 : value)

/** Reads a baseline JPEG whole: every segment up to SOS, then the scan MCU by MCU to EOI. */
export const readJpeg = (buf: Buffer): Jpeg => {
  if (buf.readUInt16BE(0) !== 0xffd8) throw new Error("no SOI")
  if (buf.readUInt16BE(buf.length - 2) !== 0xffd9) throw new Error("no EOI at the end")
  const segments: Array<JpegSegment> = []
  let at = 2
  for (;;) {
    if (buf[at] !== 0xff) throw new Error(`no marker at ${at}`)
    const marker = buf[at + 1] as number
    const length = buf.readUInt16BE(at + 2)
    segments.push({ marker, data: buf.subarray(at + 4, at + 2 + length) })
    at += 2 + length
    if (marker === 0xda) break
  }
  const frame = segments.find((s) => s.marker === 0xc0)?.data
  if (frame === undefined) throw new Error("no SOF0 (baseline) frame")
  const height = frame.readUInt16BE(1)
  const width = frame.readUInt16BE(3)
  const components = Array.from({ length: frame[5] as number }, (_, i) => ({
    id: frame[6 + 3 * i] as number,
    h: (frame[7 + 3 * i] as number) >> 4,
    v: (frame[7 + 3 * i] as number) & 15
  }))
  const tables = new Map<number, Huffman>()
  for (const s of segments) if (s.marker === 0xc4) huffmanTables(s.data, tables)
  const interval = segments.find((s) => s.marker === 0xdd)?.data.readUInt16BE(0) ?? 0
  const scan = segments[segments.length - 1]!.data
  const selectors = new Map(Array.from({ length: scan[0] as number }, (_, i) => [scan[1 + 2 * i] as number, scan[2 + 2 * i] as number]))
  const hMax = Math.max(...components.map((c) => c.h))
  const vMax = Math.max(...components.map((c) => c.v))
  const mcus = Math.ceil(width / (8 * hMax)) * Math.ceil(height / (8 * vMax))
  const reader = new ScanReader(buf.subarray(at, buf.length - 2))
  const lumaLevels: Array<number> = []
  let predictors = components.map(() => 0)
  for (let mcu = 0; mcu < mcus; mcu++) {
    if (interval > 0 && mcu > 0 && mcu % interval === 0) {
      reader.restart(((mcu / interval - 1) % 8) as number)
      predictors = components.map(() => 0)
    }
    components.forEach((component, c) => {
      const selector = selectors.get(component.id) ?? 0
      const dc = tables.get(selector >> 4)!
      const ac = tables.get(0x10 | (selector & 15))!
      for (let block = 0; block < component.h * component.v; block++) {
        const category = reader.decode(dc)
        predictors[c] = (predictors[c] as number) + extend(reader.read(category), category)
        if (c === 0 && block === 0) lumaLevels.push(predictors[c] as number)
        for (let k = 1; k < 64; ) {
          const rs = reader.decode(ac)
          if (rs === 0) break
          if (rs === 0xf0) k += 16
          else {
            reader.read(rs & 15)
            k += (rs >> 4) + 1
          }
        }
      }
    })
  }
  reader.restart(undefined)
  return { segments, width, height, mcus, lumaLevels }
}

// ---- EXIF ----

export type ExifValue = string | number | ReadonlyArray<readonly [number, number]> | Buffer

export interface ExifDirectories {
  readonly ifd0: ReadonlyMap<number, ExifValue>
  readonly exif: ReadonlyMap<number, ExifValue>
  readonly gps: ReadonlyMap<number, ExifValue> | undefined
}

const TYPE_SIZES: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1 }

/** The directories of an APP1 EXIF segment (IFD0, its EXIF IFD and GPS IFD), little- or big-endian. */
export const readExif = (app1: Buffer): ExifDirectories => {
  if (app1.subarray(0, 6).toString("latin1") !== "Exif\0\0") throw new Error("not an EXIF APP1")
  const tiff = app1.subarray(6)
  const little = tiff.toString("latin1", 0, 2) === "II"
  const u16 = (at: number): number => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at))
  const u32 = (at: number): number => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at))
  if (u16(2) !== 42) throw new Error("not TIFF")
  const directory = (offset: number): Map<number, ExifValue> => {
    const entries = new Map<number, ExifValue>()
    for (let i = 0; i < u16(offset); i++) {
      const at = offset + 2 + 12 * i
      const [tag, type, count] = [u16(at), u16(at + 2), u32(at + 4)]
      const size = (TYPE_SIZES[type] ?? 1) * count
      const value = size > 4 ? u32(at + 8) : at + 8
      switch (type) {
        case 2:
          entries.set(tag, tiff.toString("utf8", value, value + count).replace(/\0+$/, ""))
          break
        case 3:
          entries.set(tag, u16(value))
          break
        case 4:
          entries.set(tag, u32(value))
          break
        case 5:
          entries.set(tag, Array.from({ length: count }, (_, k) => [u32(value + 8 * k), u32(value + 8 * k + 4)] as const))
          break
        default:
          entries.set(tag, tiff.subarray(value, value + size))
      }
    }
    return entries
  }
  const ifd0 = directory(u32(4))
  const pointer = (tag: number): number | undefined => ifd0.get(tag) as number | undefined
  const gpsAt = pointer(0x8825)
  return { ifd0, exif: directory(pointer(0x8769) ?? 0), gps: gpsAt === undefined ? undefined : directory(gpsAt) }
}

// ---- PNG ----

export interface Png {
  readonly width: number
  readonly height: number
  readonly bitDepth: number
  readonly colorType: number
  readonly chunkTypes: ReadonlyArray<string>
  /** The inflated image data: a filter byte then the packed pixels, for every line. */
  readonly lines: Buffer
}

/** Every chunk's CRC checked; the IDAT data inflated. */
export const readPng = (buf: Buffer): Png => {
  if (buf.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("no PNG signature")
  const chunkTypes: Array<string> = []
  const idat: Array<Buffer> = []
  let ihdr: Buffer | undefined
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at)
    const type = buf.toString("latin1", at + 4, at + 8)
    const data = buf.subarray(at + 8, at + 8 + length)
    if (crc32(buf.subarray(at + 4, at + 8 + length)) !== buf.readUInt32BE(at + 8 + length)) throw new Error(`bad CRC in ${type}`)
    chunkTypes.push(type)
    if (type === "IHDR") ihdr = data
    if (type === "IDAT") idat.push(data)
    at += 12 + length
  }
  if (ihdr === undefined || chunkTypes[0] !== "IHDR" || chunkTypes[chunkTypes.length - 1] !== "IEND") throw new Error("chunks out of order")
  return {
    width: ihdr.readUInt32BE(0),
    height: ihdr.readUInt32BE(4),
    bitDepth: ihdr[8] as number,
    colorType: ihdr[9] as number,
    chunkTypes,
    lines: inflateSync(Buffer.concat(idat))
  }
}

// ---- GIF ----

export interface Gif {
  readonly screenWidth: number
  readonly screenHeight: number
  readonly imageWidth: number
  readonly imageHeight: number
  /** Pixels the image's LZW data decodes to. */
  readonly pixels: number
}

/** The header, blocks skipped by their sub-block lengths, and the first image's LZW data decoded (counted). */
export const readGif = (buf: Buffer): Gif => {
  if (buf.toString("latin1", 0, 6) !== "GIF89a") throw new Error("not GIF89a")
  const packed = buf[10] as number
  let at = 13 + (packed & 0x80 ? 3 * (2 << (packed & 7)) : 0)
  const subBlocks = (): Buffer => {
    const parts: Array<Buffer> = []
    while (buf[at] !== 0) {
      const length = buf[at] as number
      parts.push(buf.subarray(at + 1, at + 1 + length))
      at += 1 + length
    }
    at += 1
    return Buffer.concat(parts)
  }
  while (buf[at] === 0x21) {
    at += 2
    subBlocks()
  }
  if (buf[at] !== 0x2c) throw new Error("no image descriptor")
  const imageWidth = buf.readUInt16LE(at + 5)
  const imageHeight = buf.readUInt16LE(at + 7)
  const minCodeSize = buf[at + 10] as number
  at += 11
  const data = subBlocks()
  if (buf[at] !== 0x3b || at !== buf.length - 1) throw new Error("no trailer at the end")
  return { screenWidth: buf.readUInt16LE(6), screenHeight: buf.readUInt16LE(8), imageWidth, imageHeight, pixels: lzwLength(data, minCodeSize) }
}

/** How many pixels LZW data decodes to, read as a GIF decoder reads it (codes LSB first, growing widths). */
const lzwLength = (data: Buffer, minCodeSize: number): number => {
  const clear = 1 << minCodeSize
  const lengths: Array<number> = []
  let width = minCodeSize + 1
  let next = clear + 2
  let previous = -1
  let pixels = 0
  let bit = 0
  const read = (): number => {
    let code = 0
    for (let i = 0; i < width; i++, bit++) code |= (((data[bit >> 3] ?? 0) >> (bit & 7)) & 1) << i
    return code
  }
  const lengthOf = (code: number): number => (code < clear ? 1 : (lengths[code] as number))
  for (;;) {
    if (bit + width > data.length * 8) throw new Error("LZW data ended without an end code")
    const code = read()
    if (code === clear) {
      width = minCodeSize + 1
      next = clear + 2
      previous = -1
      continue
    }
    if (code === clear + 1) return pixels
    let length: number
    if (code < clear || code < next) length = lengthOf(code)
    else if (code === next && previous >= 0) length = lengthOf(previous) + 1
    else throw new Error(`LZW code ${code} not in the table (${next})`)
    pixels += length
    if (previous >= 0 && next < 4096) {
      lengths[next] = lengthOf(previous) + 1
      next += 1
      if (next === 1 << width && width < 12) width += 1
    }
    previous = code
  }
}

// ---- MP4 ----

export interface Mp4Box {
  readonly type: string
  readonly start: number
  readonly size: number
  /** Where the box's content starts (after its 8- or 16-byte header). */
  readonly body: number
}

/** The boxes one after another in `buf` from `start` to `end`; a box may say it is longer than `buf` holds. */
export const mp4Boxes = (buf: Buffer, start = 0, end = buf.length): ReadonlyArray<Mp4Box> => {
  const boxes: Array<Mp4Box> = []
  for (let at = start; at + 8 <= end; ) {
    const short = buf.readUInt32BE(at)
    const type = buf.toString("latin1", at + 4, at + 8)
    const size = short === 1 ? Number(buf.readBigUInt64BE(at + 8)) : short
    boxes.push({ type, start: at, size, body: at + (short === 1 ? 16 : 8) })
    at += size
  }
  return boxes
}

// Baseline JPEGs of tiled flat colours, cheap at any size: each 8x8 block is one DC step and an EOB,
// and a restart at every MCU row makes rows of one kind identical bytes. Plus the EXIF APP1 segment.

import type { ExifFacts } from "./Details.js"
import { EXPOSURE_PROGRAMS, dmsParts, exifDate } from "./Details.js"

/** A colour as JPEG stores it. */
export interface YCbCr {
  readonly y: number
  readonly cb: number
  readonly cr: number
}

export const toYCbCr = ([r, g, b]: readonly [number, number, number]): YCbCr => ({
  y: Math.round(0.299 * r + 0.587 * g + 0.114 * b),
  cb: Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
  cr: Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)
})

/** Which colour each tile of an image has. */
export interface Tiling {
  /** The tiles' side in pixels. */
  readonly tile: number
  readonly colorAt: (tileX: number, tileY: number) => number
  /** Tile rows of one class have the same colours left to right. */
  readonly rowClass: (tileY: number) => number
}

const segment = (marker: number, body: Buffer): Buffer => {
  const head = Buffer.alloc(4)
  head.writeUInt16BE(0xff00 | marker, 0)
  head.writeUInt16BE(body.length + 2, 2)
  return Buffer.concat([head, body])
}

// ---- entropy coding ----

class BitWriter {
  private readonly bytes: Array<number> = []
  private acc = 0
  private count = 0

  write(bits: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((bits >>> i) & 1)
      if (++this.count === 8) this.push()
    }
  }

  private push(): void {
    this.bytes.push(this.acc)
    // A 0xFF in entropy-coded data is followed by a stuffed zero, so it is not read as a marker.
    if (this.acc === 0xff) this.bytes.push(0)
    this.acc = 0
    this.count = 0
  }

  /** Pads the last byte with one-bits, as before a restart marker or EOI. */
  finish(): Buffer {
    if (this.count > 0) this.write(0xff, 8 - this.count)
    return Buffer.from(this.bytes)
  }
}

// The DC table codes category 0 (no change) in one bit, the others in five; the AC table has EOB alone.
const DC_BITS = [1, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
const AC_VALUES = [0x00]

const category = (value: number): number => (value === 0 ? 0 : 32 - Math.clz32(Math.abs(value)))

const writeBlock = (out: BitWriter, diff: number): void => {
  const cat = category(diff)
  if (cat === 0) out.write(0, 1)
  else {
    out.write(0b10000 + cat - 1, 5)
    out.write(diff > 0 ? diff : diff + (1 << cat) - 1, cat)
  }
  out.write(0, 1) // EOB: every AC coefficient is zero
}

/**
 * One MCU row of 16x16 MCUs (4:2:0): four luminance blocks then Cb and Cr. With a quantizer of 8 a
 * block's DC is its value minus 128; predictors start from zero, as after every restart.
 */
const encodeRow = (mcus: number, colorOf: (mcuX: number) => YCbCr): Buffer => {
  const out = new BitWriter()
  let y = 0
  let cb = 0
  let cr = 0
  for (let x = 0; x < mcus; x++) {
    const color = colorOf(x)
    writeBlock(out, color.y - 128 - y)
    for (let i = 0; i < 3; i++) writeBlock(out, 0)
    writeBlock(out, color.cb - 128 - cb)
    writeBlock(out, color.cr - 128 - cr)
    y = color.y - 128
    cb = color.cb - 128
    cr = color.cr - 128
  }
  return out.finish()
}

const tables = (width: number, height: number, mcusPerRow: number): Buffer => {
  const quant = Buffer.alloc(65, 12)
  quant[0] = 0 // 8-bit table 0
  quant[1] = 8 // the DC quantizer
  const frame = Buffer.from([8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0])
  const huffman = Buffer.from([0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES])
  const restart = Buffer.from([mcusPerRow >> 8, mcusPerRow & 255])
  const scan = Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])
  return Buffer.concat([segment(0xdb, quant), segment(0xc0, frame), segment(0xc4, huffman), segment(0xdd, restart), segment(0xda, scan)])
}

/** Everything after the APP segments: tables, frame (exact width and height), scan and EOI. */
export const jpegImage = (width: number, height: number, tiling: Tiling, palette: ReadonlyArray<YCbCr>): Buffer => {
  const mcusPerRow = Math.ceil(width / 16)
  const mcuRows = Math.ceil(height / 16)
  const rows = new Map<number, Buffer>()
  const rowAt = (mcuY: number): Buffer => {
    const tileY = Math.floor((mcuY * 16) / tiling.tile)
    const key = tiling.rowClass(tileY)
    let row = rows.get(key)
    if (row === undefined) {
      row = encodeRow(mcusPerRow, (mcuX) => palette[tiling.colorAt(Math.floor((mcuX * 16) / tiling.tile), tileY)] as YCbCr)
      rows.set(key, row)
    }
    return row
  }
  const parts: Array<Buffer> = [tables(width, height, mcusPerRow)]
  for (let mcuY = 0; mcuY < mcuRows; mcuY++) {
    if (mcuY > 0) parts.push(Buffer.from([0xff, 0xd0 + ((mcuY - 1) & 7)]))
    parts.push(rowAt(mcuY))
  }
  parts.push(Buffer.from([0xff, 0xd9]))
  return Buffer.concat(parts)
}

export const SOI = Buffer.from([0xff, 0xd8])

/** JFIF's APP0, for files without EXIF. */
export const jfifSegment = (): Buffer => segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 1, 0, 72, 0, 72, 0, 0]))

/** A COM segment of `total` bytes (4 to 65537), its text taken from `filler`. */
export const commentSegment = (total: number, filler: Buffer): Buffer => segment(0xfe, filler.subarray(0, total - 4))

// ---- EXIF ----

const ASCII = 2
const SHORT = 3
const LONG = 4
const RATIONAL = 5
const UNDEFINED = 7

interface Field {
  readonly tag: number
  readonly type: number
  readonly count: number
  readonly data: Buffer
}

const ascii = (tag: number, text: string): Field => {
  const data = Buffer.from(`${text}\0`, "utf8")
  return { tag, type: ASCII, count: data.length, data }
}

const short = (tag: number, value: number): Field => {
  const data = Buffer.alloc(2)
  data.writeUInt16LE(value)
  return { tag, type: SHORT, count: 1, data }
}

const long = (tag: number, value: number): Field => {
  const data = Buffer.alloc(4)
  data.writeUInt32LE(value)
  return { tag, type: LONG, count: 1, data }
}

const rationals = (tag: number, values: ReadonlyArray<readonly [number, number]>): Field => {
  const data = Buffer.alloc(8 * values.length)
  values.forEach(([num, den], i) => {
    data.writeUInt32LE(num, 8 * i)
    data.writeUInt32LE(den, 8 * i + 4)
  })
  return { tag, type: RATIONAL, count: values.length, data }
}

const IFD_POINTER = 0x8769
const GPS_POINTER = 0x8825

const ifdSize = (fields: ReadonlyArray<Field>): number =>
  6 + 12 * fields.length + fields.reduce((sum, f) => sum + (f.data.length > 4 ? f.data.length + (f.data.length & 1) : 0), 0)

/** One IFD at `offset` in the TIFF data: entries sorted by tag, values over four bytes after them. */
const ifd = (fields: ReadonlyArray<Field>, offset: number): Buffer => {
  const sorted = [...fields].sort((a, b) => a.tag - b.tag)
  const out = Buffer.alloc(ifdSize(sorted))
  out.writeUInt16LE(sorted.length, 0)
  let data = 6 + 12 * sorted.length
  sorted.forEach((field, i) => {
    const at = 2 + 12 * i
    out.writeUInt16LE(field.tag, at)
    out.writeUInt16LE(field.type, at + 2)
    out.writeUInt32LE(field.count, at + 4)
    if (field.data.length <= 4) field.data.copy(out, at + 8)
    else {
      out.writeUInt32LE(offset + data, at + 8)
      field.data.copy(out, data)
      data += field.data.length + (field.data.length & 1)
    }
  })
  return out // the next-IFD offset stays 0
}

const degrees = (value: number): ReadonlyArray<readonly [number, number]> => {
  const [deg, min, sec] = dmsParts(value)
  return [[deg, 1], [min, 1], [Math.round(sec * 100), 100]]
}

const FLASH_FIRED = 0x09 // "On, Fired"
const FLASH_OFF = 0x10 // "Off, Did not fire"

/** The APP1 EXIF segment of an original: what getExif reports for it, from the same facts. */
export const exifSegment = (facts: ExifFacts, width: number, height: number): Buffer => {
  const { camera, exposure } = facts
  const ifd0: Array<Field> = [ascii(0x010f, camera.make), ascii(0x0110, camera.model)]
  const exif: Array<Field> = [{ tag: 0x9000, type: UNDEFINED, count: 4, data: Buffer.from("0232") }]
  if (exposure !== undefined) {
    ifd0.push(rationals(0x011a, [[72, 1]]), rationals(0x011b, [[72, 1]]), short(0x0128, 2))
    if (camera.software !== undefined) ifd0.push(ascii(0x0131, camera.software))
    if (facts.artist !== undefined) ifd0.push(ascii(0x013b, facts.artist))
    exif.push(
      rationals(0x829a, [exposure.time]),
      rationals(0x829d, [[Math.round(exposure.aperture * 10), 10]]),
      short(0x8822, EXPOSURE_PROGRAMS[exposure.program]),
      short(0x8827, exposure.iso),
      short(0x9209, exposure.flashFired ? FLASH_FIRED : FLASH_OFF),
      rationals(0x920a, [[exposure.focalLength, 1]]),
      short(0xa001, 1) // sRGB
    )
  }
  if (facts.taken !== undefined) exif.push(ascii(0x9003, exifDate(facts.taken)), ascii(0x9004, exifDate(facts.taken)))
  if (facts.subsec !== undefined) exif.push(ascii(0x9291, facts.subsec))
  exif.push(long(0xa002, width), long(0xa003, height))
  const location = facts.location
  const gps: Array<Field> =
    location === undefined
      ? []
      : [
          { tag: 0x0000, type: 1, count: 4, data: Buffer.from([2, 3, 0, 0]) },
          ascii(0x0001, location.latitude >= 0 ? "N" : "S"),
          rationals(0x0002, degrees(location.latitude)),
          ascii(0x0003, location.longitude >= 0 ? "E" : "W"),
          rationals(0x0004, degrees(location.longitude))
        ]
  // Pointers first, at placeholder values, so IFD0's size is known before the offsets are.
  ifd0.push(long(IFD_POINTER, 0))
  if (gps.length > 0) ifd0.push(long(GPS_POINTER, 0))
  const exifAt = 8 + ifdSize(ifd0)
  const gpsAt = exifAt + ifdSize(exif)
  const pointed = ifd0.map((f) => (f.tag === IFD_POINTER ? long(IFD_POINTER, exifAt) : f.tag === GPS_POINTER ? long(GPS_POINTER, gpsAt) : f))
  const header = Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0])
  const tiff = Buffer.concat([header, ifd(pointed, 8), ifd(exif, exifAt), ...(gps.length > 0 ? [ifd(gps, gpsAt)] : [])])
  return segment(0xe1, Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]))
}

// The EXIF of a file on disk: all of it with ExifTool (one long-lived process a run), named as
// Flickr's getExif names it; the facts `fbk link` matches on in-process for JPEGs, else ExifTool.
import { Data, Effect, Option } from "effect"
import { ExifTool, ExifToolTask } from "exiftool-vendored"
import ExifParser from "exifreader"
import * as fsp from "node:fs/promises"
import type { ExifRow } from "../../schema/Details.js"
import type { MediaFacts, MediaReading } from "../../schema/Link.js"
import { jpegFrameScan, MAGIC_CHECKS } from "./ContentCheck.js"
import { messageOf } from "./NodeErrors.js"

/** ExifTool could not read the file (gone, not an image, damaged). */
export class ExifReadError extends Data.TaggedError("ExifReadError")<{
  readonly path: string
  readonly reason: string
  readonly cause?: unknown
}> {}

/** Groups that describe the file or ExifTool itself, not the photo's metadata: getExif has none of them. */
const NOT_METADATA = new Set(["ExifTool", "System", "File", "Composite"])

/** Left out by ExifTool itself: a file's comments (File:Comment) can be megabytes. */
const READ_ARGS = ["-G1", "-a", "-l", ...Array.from(NOT_METADATA, (group) => `--${group}:all`)]

interface LongTag {
  readonly desc?: unknown
  readonly val?: unknown
}

const isLongTag = (value: unknown): value is LongTag => typeof value === "object" && value !== null && "val" in value

const text = (value: unknown): string | null =>
  value === undefined || value === null ? null : Array.isArray(value) ? value.map(String).join(", ") : String(value)

/** ExifTool's `-j -G1 -l` answer as rows: the group, the tag, its description, its printed value. */
export const exifRows = (answer: Readonly<Record<string, unknown>>): ReadonlyArray<ExifRow> =>
  Object.entries(answer).flatMap(([key, value]) => {
    const colon = key.indexOf(":")
    if (colon < 0 || !isLongTag(value)) return []
    const tagspace = key.slice(0, colon)
    if (NOT_METADATA.has(tagspace)) return []
    return [{ tagspace, tag: key.slice(colon + 1), label: text(value.desc), raw: text(value.val), clean: null }]
  })

/** The tags `fbk link` matches on, as numbers where ExifTool has them (-n); -fast2 skips maker notes. */
const FACT_ARGS = [
  "-json", "-n", "-fast2", "-charset", "filename=utf8",
  ...["Error", "Warning", "MIMEType", "DateTimeOriginal", "SubSecTimeOriginal", "CreationDate", "CreateDate", "Make", "Model",
    "ImageSize", "Orientation", "GPSLatitude", "GPSLongitude"].map((tag) => `-${tag}`)
]

/** The JPEGs a camera or phone embeds in its files, one of which stands in for what sharp cannot decode. */
const PREVIEW_TAGS = ["JpgFromRaw", "PreviewImage", "ThumbnailImage"] as const

/** ExifTool's `(Binary data 12345 bytes, use -b option to extract)`: the size of an embedded image. */
const binaryBytes = (value: unknown): number => Number(/^\(Binary data (\d+) bytes/.exec(String(value ?? ""))?.[1] ?? 0)

/** The largest embedded JPEG of a file, and the orientation its camera recorded (the preview itself seldom carries one). */
export interface EmbeddedPreview {
  readonly jpeg: Buffer
  readonly orientation: number | null
}

/** Many files in one ExifTool command: its cost per command is far above its cost per file. */
class FactsTask extends ExifToolTask<ReadonlyArray<Record<string, unknown>>> {
  constructor(paths: ReadonlyArray<string>) {
    super([...FACT_ARGS, ...paths])
  }
  // A file ExifTool cannot read makes an error line and no entry: the others still count.
  protected parse(input: string): ReadonlyArray<Record<string, unknown>> {
    return input.trim() === "" ? [] : JSON.parse(input) as ReadonlyArray<Record<string, unknown>>
  }
}

const word = (value: unknown): string | null => {
  if (value === undefined || value === null) return null
  const s = String(value).trim()
  return s === "" ? null : s
}

const numeric = (value: unknown): number | null => {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN
  return Number.isFinite(n) ? n : null
}

/** `2014:05:30 06:31:07[.123][+02:00]` as Flickr writes date taken; null for a zero or malformed date. */
const takenDate = (value: unknown): string | null => {
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(word(value) ?? "")
  if (m === null || m[1] === "0000" || m[2] === "00") return null
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`
}

/** One file's entry in ExifTool's answer as the facts link matches on, or why it is not a readable image or video. */
export const mediaReading = (entry: Readonly<Record<string, unknown>> | undefined): MediaReading => {
  if (entry === undefined) return { problem: "ExifTool could not read it" }
  const error = word(entry.Error)
  if (error !== null) return { problem: error }
  const mime = word(entry.MIMEType) ?? ""
  const video = mime.startsWith("video/")
  if (!video && !mime.startsWith("image/")) return { problem: mime === "" ? "not an image or video" : `not an image or video (${mime})` }
  const size = (word(entry.ImageSize) ?? "").split(/[ x]/).map(Number)
  const [width, height] = size.length === 2 && size.every((n) => Number.isInteger(n) && n > 0) ? size : [null, null]
  if (width === null && !video) return { problem: word(entry.Warning) ?? "no image in it (truncated?)" }
  const exifTaken = takenDate(entry.DateTimeOriginal)
  const videoTaken = video ? takenDate(entry.CreationDate) ?? takenDate(entry.CreateDate) : null
  const facts: MediaFacts = {
    taken: exifTaken ?? videoTaken,
    takenFrom: exifTaken !== null ? "exif" : videoTaken !== null ? "video" : null,
    subsec: word(entry.SubSecTimeOriginal),
    make: word(entry.Make),
    model: word(entry.Model),
    width: width ?? null,
    height: height ?? null,
    orientation: numeric(entry.Orientation),
    latitude: numeric(entry.GPSLatitude),
    longitude: numeric(entry.GPSLongitude)
  }
  return { facts }
}

/** A file to read the facts of, with its first bytes when the caller read them anyway (hashing it). */
export interface MediaFile {
  readonly path: string
  readonly head?: Uint8Array
}

/** What the in-process reader looks at: a camera's EXIF and frame header sit in a JPEG's first kilobytes. */
export const HEAD_BYTES = 128 * 1024

const IN_PROCESS_TAGS: ExifParser.IncludeTagsOptions = {
  exif: ["DateTimeOriginal", "SubSecTimeOriginal", "Make", "Model", "Orientation", "ImageWidth", "ImageLength",
    "GPSLatitude", "GPSLatitudeRef", "GPSLongitude", "GPSLongitudeRef"],
  gps: true
}

/** XMP can hold the same tags (a date, the camera, the place), and ExifTool reads them from there when EXIF has none. */
const XMP_HEADER = Buffer.from("http://ns.adobe.com/xap/1.0/", "latin1")

/** As ExifTool prints a number with -n: 15 significant digits. */
const printed = (n: number | null) => (n === null ? null : Number(n.toPrecision(15)))

/**
 * The facts of a JPEG from its first bytes, as ExifTool would give them; none where ExifTool must
 * decide: not a JPEG, the frame header not within `head`, XMP beside the EXIF, or EXIF the parser
 * cannot read (ExifTool then names the problem).
 */
export const jpegFacts = (head: Uint8Array): Option.Option<MediaFacts> => {
  if (!MAGIC_CHECKS.jpeg(head)) return Option.none()
  const scan = jpegFrameScan()
  scan.update(head)
  const frame = scan.end()
  if (Option.isNone(frame) || Buffer.from(head.buffer, head.byteOffset, head.length).includes(XMP_HEADER)) return Option.none()
  // Only the segments before the frame header: the parser copies what it is given.
  const segments = head.subarray(0, scan.frameAt())
  let tags: ExifParser.ExpandedTags
  try {
    tags = ExifParser.loadView(new DataView(segments.buffer, segments.byteOffset, segments.byteLength), { expanded: true, includeTags: IN_PROCESS_TAGS })
  } catch {
    return Option.none()
  }
  const exif: ExifParser.ExifTags = tags.exif ?? {}
  // An IFD0 ImageWidth (some editors write one) would be the size ExifTool reports: it decides.
  if (exif.ImageWidth !== undefined || exif.ImageLength !== undefined) return Option.none()
  const taken = takenDate(exif.DateTimeOriginal?.description)
  return Option.some({
    taken,
    takenFrom: taken === null ? null : "exif",
    subsec: word(exif.SubSecTimeOriginal?.description),
    make: word(exif.Make?.description),
    model: word(exif.Model?.description),
    width: frame.value.width,
    height: frame.value.height,
    orientation: numeric(exif.Orientation?.value),
    latitude: printed(numeric(tags.gps?.Latitude)),
    longitude: printed(numeric(tags.gps?.Longitude))
  })
}

/** The files whose facts are read in-process (their bytes decide in the end). */
export const isJpegName = (path: string) => /\.jpe?g$/i.test(path)

/** The first HEAD_BYTES of a file; empty when it cannot be read (ExifTool then says why). */
const readHead = (path: string) =>
  Effect.promise(async () => {
    const handle = await fsp.open(path, "r").catch(() => null)
    if (handle === null) return new Uint8Array()
    try {
      const head = new Uint8Array(HEAD_BYTES)
      const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0)
      return head.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  })

export class ExifReader extends Effect.Service<ExifReader>()("fbk/ExifReader", {
  scoped: Effect.gen(function*() {
    // Started on first use and ended with the run: a run that reads no file starts no process.
    const exiftool = yield* Effect.acquireRelease(
      Effect.sync(() => new ExifTool({ maxProcs: 2 })),
      (tool) => Effect.promise(() => tool.end())
    )
    const read = (path: string) =>
      Effect.tryPromise({
        try: () => exiftool.readRaw(path, READ_ARGS),
        catch: (cause) => new ExifReadError({ path, reason: messageOf(cause), cause })
      }).pipe(Effect.map((answer) => exifRows(answer as Readonly<Record<string, unknown>>)))
    const readBatch = (paths: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<MediaReading>> =>
      paths.length === 0 ? Effect.succeed([]) : Effect.tryPromise(() => exiftool.enqueueTask(() => new FactsTask(paths))).pipe(
        Effect.map((answer) => {
          const byPath = new Map(answer.map((entry) => [String(entry.SourceFile), entry]))
          return paths.map((p) => mediaReading(byPath.get(p)))
        }),
        // One file that breaks ExifTool must not cost the others their reading.
        Effect.catchAll((e) =>
          paths.length > 1
            ? Effect.map(Effect.forEach(paths, (p) => readBatch([p])), (readings) => readings.flat())
            : Effect.succeed([{ problem: `ExifTool failed (${messageOf(e.cause)})` }])
        )
      )
    /** Each path's facts (see mediaReading), read in one ExifTool command. */
    const readWithExifTool = (paths: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<MediaReading>> => {
      // ExifTool takes its arguments one a line: a name with a line break cannot be given to it.
      const sayable = paths.filter((p) => !/[\r\n\0]/.test(p))
      if (sayable.length === paths.length) return readBatch(paths)
      return Effect.map(readBatch(sayable), (readings) => {
        const byPath = new Map(sayable.map((p, i) => [p, readings[i]!]))
        return paths.map((p) => byPath.get(p) ?? { problem: "its name has a line break, which ExifTool cannot be given" })
      })
    }
    /**
     * Each file's facts (see mediaReading): a JPEG's from its head in-process (an ExifTool command
     * costs milliseconds a file, whatever its size), the rest and what the head cannot settle in
     * one ExifTool command.
     */
    const readFacts = (files: ReadonlyArray<MediaFile>): Effect.Effect<ReadonlyArray<MediaReading>> =>
      Effect.gen(function*() {
        const inProcess = yield* Effect.forEach(files, (file) =>
          !isJpegName(file.path)
            ? Effect.succeed(Option.none<MediaFacts>())
            : Effect.map(file.head === undefined ? readHead(file.path) : Effect.succeed(file.head), jpegFacts))
        const left = files.flatMap((file, i) => (Option.isNone(inProcess[i]!) ? [file.path] : []))
        const byTool = new Map(left.map((p, i) => [p, i]))
        const toolReadings = yield* readWithExifTool(left)
        return files.map((file, i) =>
          Option.match(inProcess[i]!, {
            onSome: (facts): MediaReading => ({ facts }),
            onNone: () => toolReadings[byTool.get(file.path)!]!
          })
        )
      })
    /** The largest JPEG embedded in the file (RAW, HEIC): the sizes asked first, so only that one is extracted. */
    const preview = (path: string): Effect.Effect<EmbeddedPreview, ExifReadError> =>
      Effect.gen(function*() {
        const failed = (reason: string) => (cause: unknown) => new ExifReadError({ path, reason: `${reason} (${messageOf(cause)})`, cause })
        const answer = yield* Effect.tryPromise({
          try: () => exiftool.readRaw(path, [...PREVIEW_TAGS.map((tag) => `-${tag}`), "-Orientation#"]),
          catch: failed("ExifTool could not read it")
        })
        const sized = PREVIEW_TAGS.map((tag) => ({ tag, bytes: binaryBytes(answer[tag]) })).filter((t) => t.bytes > 0)
        const largest = sized.reduce<(typeof sized)[number] | undefined>((best, t) => (best === undefined || t.bytes > best.bytes ? t : best), undefined)
        if (largest === undefined) return yield* new ExifReadError({ path, reason: "it holds no preview JPEG" })
        const jpeg = yield* Effect.tryPromise({
          try: () => exiftool.extractBinaryTagToBuffer(largest.tag, path),
          catch: failed(`its ${largest.tag} could not be extracted`)
        })
        return { jpeg, orientation: numeric(answer.Orientation) }
      })
    return { read, readFacts, readWithExifTool, preview } as const
  })
}) {}

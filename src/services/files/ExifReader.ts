// The EXIF of a file on disk, read with ExifTool (one long-lived process a run), named as Flickr's
// getExif names it: ExifTool's family-1 group as the tagspace (IFD0, ExifIFD, GPS, XMP-...).
import { Data, Effect } from "effect"
import { ExifTool, ExifToolTask } from "exiftool-vendored"
import type { ExifRow } from "../../schema/Details.js"
import type { MediaFacts, MediaReading } from "../../schema/Link.js"
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
    const readFacts = (paths: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<MediaReading>> => {
      // ExifTool takes its arguments one a line: a name with a line break cannot be given to it.
      const sayable = paths.filter((p) => !/[\r\n\0]/.test(p))
      if (sayable.length === paths.length) return readBatch(paths)
      return Effect.map(readBatch(sayable), (readings) => {
        const byPath = new Map(sayable.map((p, i) => [p, readings[i]!]))
        return paths.map((p) => byPath.get(p) ?? { problem: "its name has a line break, which ExifTool cannot be given" })
      })
    }
    return { read, readFacts } as const
  })
}) {}

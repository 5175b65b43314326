// The EXIF of a file on disk, read with ExifTool (one long-lived process a run), named as Flickr's
// getExif names it: ExifTool's family-1 group as the tagspace (IFD0, ExifIFD, GPS, XMP-...).
import { Data, Effect } from "effect"
import { ExifTool } from "exiftool-vendored"
import type { ExifRow } from "../schema/Details.js"

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
        catch: (cause) => new ExifReadError({ path, reason: cause instanceof Error ? cause.message : String(cause), cause })
      }).pipe(Effect.map((answer) => exifRows(answer as Readonly<Record<string, unknown>>)))
    return { read } as const
  })
}) {}

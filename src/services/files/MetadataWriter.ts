// Copies with metadata inside, written by ExifTool (one long-lived pair of processes a run): the
// original is read, never written; ExifTool writes the copy (`-o`), so no `_original` is ever left.
import { Data, Effect } from "effect"
import { ExifTool, ExifToolTask } from "exiftool-vendored"
import { messageOf } from "./NodeErrors.js"

/** ExifTool could not write a copy (the original unreadable, a format it cannot write). */
export class MetadataWriteError extends Data.TaggedError("MetadataWriteError")<{
  readonly path: string
  readonly reason: string
  readonly cause?: unknown
}> {}

export type EmbedKind = "jpeg" | "video" | "other"

/** ExifTool processes at once: each copy is mostly ExifTool's own reading and writing of the bytes. */
export const WRITE_PROCS = 2

/**
 * What each kind gets from the XMP besides the XMP itself, so the fields are mapped from the record
 * once (the XMP) and ExifTool carries them over: IPTC and EXIF for JPEG (Apple Photos, Google
 * Photos, PhotoPrism's location), QuickTime's dates and title for videos.
 */
const FROM_XMP: Readonly<Record<EmbedKind, ReadonlyArray<string>>> = {
  jpeg: [
    "-IPTC:CodedCharacterSet=UTF8",
    "-IPTC:ObjectName<XMP-dc:Title",
    "-IPTC:Caption-Abstract<XMP-dc:Description",
    "-IPTC:Keywords<XMP-dc:Subject",
    "-EXIF:ImageDescription<XMP-dc:Description",
    "-EXIF:DateTimeOriginal<XMP-exif:DateTimeOriginal",
    "-EXIF:CreateDate<XMP-exif:DateTimeOriginal",
    "-EXIF:GPSLatitude<XMP-exif:GPSLatitude",
    "-EXIF:GPSLatitudeRef<XMP-exif:GPSLatitude",
    "-EXIF:GPSLongitude<XMP-exif:GPSLongitude",
    "-EXIF:GPSLongitudeRef<XMP-exif:GPSLongitude"
  ],
  video: [
    "-QuickTime:CreateDate<XMP-exif:DateTimeOriginal",
    "-Keys:CreationDate<XMP-exif:DateTimeOriginal",
    "-Keys:Title<XMP-dc:Title",
    "-Keys:Description<XMP-dc:Description"
  ],
  other: []
}

/** Every location the original itself carries, for copies meant to be shared (`--no-gps`). */
const NO_LOCATION = ["-GPS:all=", "-XMP-exif:GPS*=", "-Keys:GPSCoordinates=", "-UserData:GPSCoordinates=", "-ItemList:GPSCoordinates="]

/** The arguments that write `target` from `source` with the XMP of `xmpFile` in it. */
export const writeArgs = (request: CopyRequest): Array<string> => [
  "-charset", "filename=utf8", "-charset", "iptc=UTF8",
  ...(request.withoutLocation ? NO_LOCATION : []),
  // dc:source is one of the tags ExifTool leaves out of `-all` copies unless named.
  "-tagsFromFile", request.xmpFile, "-XMP:all", "-XMP-dc:Source", ...FROM_XMP[request.kind],
  "-o", request.target, request.source
]

export interface CopyRequest {
  readonly source: string
  /** Must not exist: ExifTool creates it. */
  readonly target: string
  readonly xmpFile: string
  readonly kind: EmbedKind
  readonly withoutLocation: boolean
}

/** One copy written; it fails unless ExifTool says it created the file. */
class CopyTask extends ExifToolTask<void> {
  protected parse(input: string, error?: Error): void {
    if (error !== undefined) throw error
    if (!/\b1 image files? created\b/.test(input)) {
      throw new Error([...this.errors, ...this.warnings].join("; ") || input.trim() || "ExifTool wrote nothing")
    }
  }
}

export class MetadataWriter extends Effect.Service<MetadataWriter>()("fbk/MetadataWriter", {
  scoped: Effect.gen(function*() {
    // Started on first use and ended with the run: a run with nothing to copy starts no process.
    const exiftool = yield* Effect.acquireRelease(
      Effect.sync(() => new ExifTool({ maxProcs: WRITE_PROCS })),
      (tool) => Effect.promise(() => tool.end())
    )
    return {
      /** Writes `request.target`: the original's bytes with the XMP (and what each kind gets from it) in. */
      copy: (request: CopyRequest) =>
        Effect.tryPromise({
          try: () => exiftool.enqueueTask(() => new CopyTask(writeArgs(request))),
          catch: (cause) => new MetadataWriteError({ path: request.source, reason: messageOf(cause), cause })
        })
    } as const
  })
}) {}

// Thumbnails and screen-sized copies of the originals, made by sharp (libvips) on first request and
// kept under <home>/thumbs by the file's sha256; what sharp cannot decode (HEIC, RAW) from its preview JPEG.
import { Data, Effect } from "effect"
import { mkdir, rename, stat, unlink, writeFile } from "node:fs/promises"
import * as path from "node:path"
import type { Sharp } from "sharp"
import { FbkConfig } from "../home/FbkConfig.js"
import { ExifReader } from "./ExifReader.js"
import { FileWriteError } from "../../schema/Files.js"
import { plainReason, systemError } from "./NodeErrors.js"
import { diskFailure } from "./StoreWrites.js"

/** The grid's thumbnail (about 400 px high) and the photo page's picture (up to 2048 px). */
export const THUMB_SIZES = {
  small: { width: 1200, height: 400 },
  large: { width: 2048, height: 2048 }
} as const
export type ThumbSize = keyof typeof THUMB_SIZES

export const isThumbSize = (size: string): size is ThumbSize => Object.hasOwn(THUMB_SIZES, size)

/** A thumbnail that could not be made from its source (a format sharp cannot read, a damaged file). */
export class ThumbnailError extends Data.TaggedError("ThumbnailError")<{
  readonly path: string
  readonly reason: string
  readonly cause?: unknown
}> {}

export interface ThumbnailSource {
  /** The file to make it from. */
  readonly path: string
  /** The file's sha256: the cache key. */
  readonly sha256: string
}

/**
 * Formats whose pixels sharp's own libvips cannot decode (HEVC is not in its build) or would decode
 * wrongly (a RAW read as TIFF gives its small first IFD): their embedded JPEG is the picture.
 */
export const PREVIEW_FORMATS = /\.(heic|heif|dng|cr2|cr3|nef|arw|orf|rw2|raf)$/i

type SharpLibrary = typeof import("sharp").default

let sharpLibrary: Promise<SharpLibrary> | undefined

/** sharp (libvips), loaded on first use: the commands that make no thumbnail start without it. */
export const loadSharp = (): Promise<SharpLibrary> =>
  (sharpLibrary ??= import("sharp").then(({ default: sharp }) => {
    // libvips runs its own threads per image; the cache would only hold pixels no one asks for twice.
    sharp.cache(false)
    return sharp
  }))

/** EXIF orientation 1-8 as sharp's rotation and mirroring (sharp rotates first, then mirrors). */
const ORIENTED: Record<number, { readonly angle: number; readonly flop: boolean; readonly flip: boolean }> = {
  2: { angle: 0, flop: true, flip: false },
  3: { angle: 180, flop: false, flip: false },
  4: { angle: 0, flop: false, flip: true },
  5: { angle: 90, flop: true, flip: false },
  6: { angle: 90, flop: false, flip: false },
  7: { angle: 270, flop: true, flip: false },
  8: { angle: 270, flop: false, flip: false }
}

/** A sharp pipeline turned upright: by its own EXIF, or by the orientation of the file a preview came from. */
const upright = (image: Sharp, orientation: number | null): Sharp => {
  const turn = orientation === null ? undefined : ORIENTED[orientation]
  if (turn === undefined) return image.rotate()
  return image.rotate(turn.angle).flop(turn.flop).flip(turn.flip)
}

export class Thumbnails extends Effect.Service<Thumbnails>()("fbk/Thumbnails", {
  effect: Effect.gen(function*() {
    const { home } = yield* FbkConfig
    const exif = yield* ExifReader
    const root = path.join(home, "thumbs")
    const cachePath = (sha256: string, size: ThumbSize) => path.join(root, sha256.slice(0, 2), `${sha256}-${size}.jpg`)

    /** The cache's own failures (a read-only or full home) stop the work: no other file would fare better. */
    const cacheWrite = (method: string, at: string, run: () => Promise<unknown>) =>
      Effect.tryPromise({ try: run, catch: (error) => diskFailure(at)(systemError(method, at, error)) })

    /** Resizes `input` into `target` through a `.part`, so a thumbnail is whole or not there. */
    const write = (input: string | Buffer, orientation: number | null, size: ThumbSize, target: string) =>
      Effect.gen(function*() {
        const picture = yield* Effect.tryPromise(async () =>
          upright((await loadSharp())(input, { failOn: "none" }), orientation)
            .resize({ ...THUMB_SIZES[size], fit: "inside", withoutEnlargement: true })
            .jpeg({ quality: size === "small" ? 78 : 85 })
            .toBuffer()
        )
        const partial = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.part`
        yield* cacheWrite("mkdir", path.dirname(target), () => mkdir(path.dirname(target), { recursive: true }))
        yield* cacheWrite("writeFile", partial, () => writeFile(partial, picture)).pipe(
          Effect.zipRight(cacheWrite("rename", target, () => rename(partial, target))),
          Effect.tapError(() => Effect.promise(() => unlink(partial).catch(() => undefined)))
        )
      })

    /** From the file's preview JPEG; `before` says why sharp was not enough, when it was tried. */
    const fromPreview = (source: ThumbnailSource, size: ThumbSize, target: string, before: string | null) =>
      exif.preview(source.path).pipe(
        Effect.mapError((e) => ({ reason: before === null ? e.reason : `${before}; ${e.reason}`, cause: e })),
        Effect.flatMap((preview) =>
          write(preview.jpeg, preview.orientation, size, target).pipe(
            Effect.catchTag("UnknownException", (e) =>
              Effect.fail({ reason: `its preview JPEG cannot be read (${plainReason(e.error)})`, cause: e.error }))
          )
        )
      )

    const make = (source: ThumbnailSource, size: ThumbSize, target: string) =>
      (PREVIEW_FORMATS.test(source.path)
        ? fromPreview(source, size, target, null)
        : write(source.path, null, size, target).pipe(
          // A file named as a JPEG that sharp cannot decode may still carry a preview.
          Effect.catchTag("UnknownException", (e) => fromPreview(source, size, target, plainReason(e.error)))
        )).pipe(
          Effect.mapError((e) => e instanceof FileWriteError ? e : new ThumbnailError({ path: source.path, reason: e.reason, cause: e.cause }))
        )

    return {
      /** Where the thumbnail of `source` at `size` is, made first if it is not there yet. */
      thumbnail: Effect.fn("Thumbnails.thumbnail")((source: ThumbnailSource, size: ThumbSize) => {
        const target = cachePath(source.sha256, size)
        return Effect.promise(() => stat(target).then(() => true, () => false)).pipe(
          Effect.flatMap((cached) => (cached ? Effect.void : make(source, size, target))),
          Effect.as(target)
        )
      }),
      /** Whether the thumbnail of the file with this sha256 at `size` is made already. */
      cached: (sha256: string, size: ThumbSize) => Effect.promise(() => stat(cachePath(sha256, size)).then(() => true, () => false))
    } as const
  }),
  dependencies: [ExifReader.Default]
}) {}

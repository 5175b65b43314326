// Thumbnails and screen-sized copies of the originals, made by sharp (libvips) on first request and
// kept under <home>/thumbs by the file's sha256, so a replaced original gets new ones.
import { Data, Effect } from "effect"
import { mkdir, rename, stat, unlink } from "node:fs/promises"
import * as path from "node:path"
import sharp from "sharp"
import { FbkConfig } from "../home/FbkConfig.js"
import { plainReason } from "./NodeErrors.js"

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

// libvips runs its own threads per image; sharp's default of one per core is right for a server.
sharp.cache(false)

export class Thumbnails extends Effect.Service<Thumbnails>()("fbk/Thumbnails", {
  effect: Effect.gen(function*() {
    const { home } = yield* FbkConfig
    const root = path.join(home, "thumbs")
    const cachePath = (sha256: string, size: ThumbSize) => path.join(root, sha256.slice(0, 2), `${sha256}-${size}.jpg`)

    const make = (source: ThumbnailSource, size: ThumbSize, target: string) =>
      Effect.tryPromise({
        try: async () => {
          await mkdir(path.dirname(target), { recursive: true })
          const partial = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.part`
          try {
            await sharp(source.path, { failOn: "none" })
              .rotate()
              .resize({ ...THUMB_SIZES[size], fit: "inside", withoutEnlargement: true })
              .jpeg({ quality: size === "small" ? 78 : 85 })
              .toFile(partial)
            await rename(partial, target)
          } catch (error) {
            await unlink(partial).catch(() => undefined)
            throw error
          }
        },
        catch: (cause) => new ThumbnailError({ path: source.path, reason: plainReason(cause), cause })
      })

    return {
      /** Where the thumbnail of `source` at `size` is, made first if it is not there yet. */
      thumbnail: Effect.fn("Thumbnails.thumbnail")((source: ThumbnailSource, size: ThumbSize) => {
        const target = cachePath(source.sha256, size)
        return Effect.promise(() => stat(target).then(() => true, () => false)).pipe(
          Effect.flatMap((cached) => (cached ? Effect.void : make(source, size, target))),
          Effect.as(target)
        )
      })
    } as const
  })
}) {}

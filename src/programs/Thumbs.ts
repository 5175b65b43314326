// `fbk thumbs [--size small|large|all]`: every thumbnail the viewer would make on first request,
// made ahead on every core; the cache under <home>/thumbs is the state, so a stopped run resumes.
import { Clock, Effect, Stream } from "effect"
import * as os from "node:os"
import * as path from "node:path"
import { keysetPages } from "../services/database/KeysetPages.js"
import { ViewerRepository } from "../services/database/ViewerRepository.js"
import type { CurrentFile } from "../schema/Viewer.js"
import { loadSharp, type ThumbSize, Thumbnails } from "../services/files/Thumbnails.js"
import { counted, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { secondsSince } from "./sync/SyncRun.js"

export type ThumbsSize = ThumbSize | "all"

const PAGE = 500

/**
 * Images made at once, and libvips threads for each. Measured with bench/thumbnails.ts (200 JPEGs of
 * 2 MB, 2 cores, other work running beside it): one image at a time on two threads 8.3-11.3 s; an
 * image a core, one thread each 6.9-8.7 s, two each 6.9-7.9 s; four at once 5.5-8.9 s. Decoding a
 * JPEG is mostly one thread's work whatever libvips has, so images run side by side, a core each;
 * the second thread (sharp's default is one a core) covers reads and writes and costs nothing measurable.
 */
export const thumbsParallelism = () => ({ images: Math.max(1, os.availableParallelism()), threadsPerImage: 2 })

/** What one file's thumbnails came to. */
interface Made {
  readonly made: number
  readonly already: number
  readonly failed: number
}

const NONE: Made = { made: 0, already: 0, failed: 0 }
const plus = (a: Made, b: Made): Made => ({ made: a.made + b.made, already: a.already + b.already, failed: a.failed + b.failed })

export const thumbsSummary = (total: Made, seconds: number): string =>
  `Thumbnails: ${formatCount(total.made)} made, ${formatCount(total.already)} already there, ${counted(total.failed, "thumbnail")} could not be made ` +
  `in ${seconds.toFixed(1)}s (${(total.made / Math.max(seconds, 0.001)).toFixed(1)} a second)`

export const thumbs = (options: { readonly size: ThumbsSize }) =>
  Effect.gen(function*() {
    const viewer = yield* ViewerRepository
    const thumbnails = yield* Thumbnails
    const reporter = yield* Reporter
    const sizes: ReadonlyArray<ThumbSize> = options.size === "all" ? ["small", "large"] : [options.size]
    const files = yield* viewer.countPictureFiles
    if (files === 0) {
      yield* reporter.result("Thumbnails: no file to make them from (`fbk download` fetches the files)")
      return NONE
    }
    const { images, threadsPerImage } = thumbsParallelism()
    const sharp = yield* Effect.promise(loadSharp)
    const threadsBefore = sharp.concurrency()
    sharp.concurrency(threadsPerImage)
    const startedMillis = yield* Clock.currentTimeMillis

    const forFile = (file: CurrentFile) =>
      Effect.forEach(sizes, (size) =>
        Effect.gen(function*() {
          if (yield* thumbnails.cached(file.sha256, size)) return { ...NONE, already: 1 }
          return yield* thumbnails.thumbnail({ path: path.join(file.destination, file.path), sha256: file.sha256 }, size).pipe(
            Effect.as({ ...NONE, made: 1 }),
            Effect.catchTag("ThumbnailError", (e) => Effect.as(reporter.warn(`${file.path}: ${e.reason}`), { ...NONE, failed: 1 }))
          )
        })).pipe(Effect.map((results) => results.reduce(plus, NONE)))

    let done = 0
    const total = yield* keysetPages((after: number | null) => viewer.pictureFiles(after ?? 0, PAGE), (file) => file.id).pipe(
      Stream.mapEffect(forFile, { concurrency: images, unordered: true }),
      Stream.runFoldEffect(NONE, (sum, one) =>
        Effect.gen(function*() {
          done++
          const next = plus(sum, one)
          yield* reporter.progress({ label: "Thumbnails", done, total: files, unit: "files", detail: `${formatCount(next.made)} made` })
          return next
        })),
      Effect.ensuring(Effect.sync(() => sharp.concurrency(threadsBefore)))
    )
    yield* reporter.endProgress
    yield* reporter.result(thumbsSummary(total, yield* secondsSince(startedMillis)))
    return total
  })

// The thumbnail benchmark: `fbk thumbs`' work (the Thumbnails service making the small size, as many
// at once as `fbk thumbs` runs) against Debian's vipsthumbnail (the same libvips) on the same 2 MB JPEGs.
// Run alone (`node dist/bench/thumbnails.js`) it prints its figures; only a whole `npm run bench` writes bench/results.json.
import { Effect, Layer, Stream } from "effect"
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import sharp from "sharp"
import { thumbsParallelism } from "../src/programs/Thumbs.js"
import { FbkConfig } from "../src/services/home/FbkConfig.js"
import { THUMB_SIZES, Thumbnails } from "../src/services/files/Thumbnails.js"
import { configFor } from "../test/support/Fixtures.js"

export const THUMBNAIL_BENCH = {
  files: Number(process.env.BENCH_THUMBS_FILES ?? 200),
  width: 4000,
  height: 3000,
  vipsthumbnail: "/usr/bin/vipsthumbnail"
}

const ROUNDS = 2

/** Distinct pictures; the rest of the files are copies of them (decoding costs the same, making one costs seconds). */
const DISTINCT = 20

/**
 * A camera-sized JPEG of about 2 MB: random colours at an eighteenth of the size, softened and
 * enlarged, at quality 90 (plain noise would be 5 MB, a flat colour a few KB; neither is a photo's cost).
 */
const benchJpeg = async (file: string) => {
  const { height, width } = THUMBNAIL_BENCH
  const [w, h] = [Math.round(width / 18), Math.round(height / 18)]
  await sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } })
    .blur(1)
    .resize(width, height, { kernel: "cubic" })
    .jpeg({ quality: 90 })
    .toFile(file)
}

/** `count` JPEGs (by default the thumbnail bench's), made once and kept in the temporary folder. */
export const benchJpegs = async (count = THUMBNAIL_BENCH.files) => {
  const dir = path.join(os.tmpdir(), `fbk-bench-jpegs-${THUMBNAIL_BENCH.width}x${THUMBNAIL_BENCH.height}-v2`)
  fs.mkdirSync(dir, { recursive: true })
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `${String(i).padStart(4, "0")}.jpg`))
  for (const [i, file] of files.entries()) {
    if (fs.existsSync(file)) continue
    if (i < DISTINCT) await benchJpeg(`${file}.part`)
    else fs.copyFileSync(files[i % DISTINCT]!, `${file}.part`)
    fs.renameSync(`${file}.part`, file)
  }
  return files
}

/** The Thumbnails service making every small thumbnail into a new cache, `images` at once with `threads` libvips threads each. */
const ours = async (files: ReadonlyArray<string>, images: number, threads: number) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-thumbs-"))
  const before = sharp.concurrency()
  sharp.concurrency(threads)
  try {
    const started = performance.now()
    await Effect.runPromise(
      Stream.fromIterable(files.map((file, i) => ({ path: file, sha256: i.toString(16).padStart(64, "0") }))).pipe(
        Stream.mapEffect((source) => Effect.flatMap(Thumbnails, (t) => t.thumbnail(source, "small")), { concurrency: images }),
        Stream.runDrain,
        Effect.provide(Thumbnails.Default.pipe(Layer.provide(Layer.succeed(FbkConfig, configFor(home)))))
      )
    )
    return (performance.now() - started) / 1000
  } finally {
    sharp.concurrency(before)
    fs.rmSync(home, { recursive: true, force: true })
  }
}

/** vipsthumbnail on the same files to the same size, `processes` at once (each given a share) with `threads` threads each. */
const vipsthumbnail = async (files: ReadonlyArray<string>, processes: number, threads: number) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-vips-"))
  const { height, width } = THUMB_SIZES.small
  try {
    const started = performance.now()
    await Promise.all(Array.from({ length: processes }, (_, p) => {
      const share = files.filter((_, i) => i % processes === p)
      return new Promise<void>((resolve, reject) => {
        const child = spawn(THUMBNAIL_BENCH.vipsthumbnail, ["-s", `${width}x${height}`, "-o", `${out}/%s.jpg[Q=78]`, ...share], {
          stdio: ["ignore", "ignore", "inherit"],
          env: { ...process.env, VIPS_CONCURRENCY: String(threads) }
        })
        child.once("error", reject)
        child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vipsthumbnail exited with ${code}`))))
      })
    }))
    return (performance.now() - started) / 1000
  } finally {
    fs.rmSync(out, { recursive: true, force: true })
  }
}

export interface ThumbnailFigures {
  readonly files: number
  readonly meanBytes: number
  readonly cores: number
  readonly images: number
  readonly threadsPerImage: number
  readonly seconds: number
  readonly perSecond: number
  readonly vipsSeconds: number
  readonly vipsPerSecond: number
  readonly ratio: number
  /** Ours at other mixes of images at once and threads each: what chose `fbk thumbs`' mix. */
  readonly mixes: ReadonlyArray<{ readonly images: number; readonly threads: number; readonly seconds: number }>
}

export const benchThumbnails = async (): Promise<ThumbnailFigures> => {
  if (!fs.existsSync(THUMBNAIL_BENCH.vipsthumbnail)) throw new Error(`${THUMBNAIL_BENCH.vipsthumbnail} is missing: apt-get install libvips-tools`)
  const files = await benchJpegs()
  const meanBytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0) / files.length
  const cores = os.availableParallelism()
  const { images, threadsPerImage } = thumbsParallelism()
  // Once through first, so both read the files from the page cache; then each the best of ROUNDS,
  // taken in turns, so that a busy moment of the machine falls on neither alone.
  await vipsthumbnail(files, images, threadsPerImage)
  let vipsSeconds = Infinity
  let seconds = Infinity
  for (let round = 0; round < ROUNDS; round++) {
    vipsSeconds = Math.min(vipsSeconds, await vipsthumbnail(files, images, threadsPerImage))
    seconds = Math.min(seconds, await ours(files, images, threadsPerImage))
  }
  const mixes = []
  for (const [i, t] of [[1, cores], [cores, 1], [cores * 2, 1]] as const) {
    mixes.push({ images: i, threads: t, seconds: Math.min(await ours(files, i, t), await ours(files, i, t)) })
  }
  return {
    files: files.length,
    meanBytes,
    cores,
    images,
    threadsPerImage,
    seconds,
    perSecond: files.length / seconds,
    vipsSeconds,
    vipsPerSecond: files.length / vipsSeconds,
    ratio: seconds / vipsSeconds,
    mixes
  }
}

export const thumbnailReport = (t: ThumbnailFigures, check: (ok: boolean) => string): ReadonlyArray<string> => [
  `Thumbnails (small, 1200x400) of ${t.files} JPEGs of ${THUMBNAIL_BENCH.width}x${THUMBNAIL_BENCH.height}, ${(t.meanBytes / 1e6).toFixed(1)} MB each, ` +
  `on ${t.cores} cores, ${t.images} at once with ${t.threadsPerImage} libvips thread${t.threadsPerImage === 1 ? "" : "s"} each:`,
  `  fbk ${t.seconds.toFixed(2)} s (${t.perSecond.toFixed(1)} a second), vipsthumbnail ${t.vipsSeconds.toFixed(2)} s ` +
  `(${t.vipsPerSecond.toFixed(1)} a second), ratio ${t.ratio.toFixed(2)} (target <= 1.3: ${check(t.ratio <= 1.3)})`,
  `  other mixes: ${t.mixes.map((m) => `${m.images} at once x ${m.threads} threads ${m.seconds.toFixed(2)} s`).join(", ")}`,
  ""
]

const runAlone = async () => {
  const figures = await benchThumbnails()
  process.stdout.write(`${thumbnailReport(figures, (ok) => (ok ? "ok" : "MISSED")).join("\n")}\n`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runAlone().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}

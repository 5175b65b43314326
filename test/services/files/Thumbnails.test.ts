import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import sharp from "sharp"
import { FbkConfig } from "../../../src/services/home/FbkConfig.js"
import { Thumbnails } from "../../../src/services/files/Thumbnails.js"
import { configFor, tempDir } from "../../support/Fixtures.js"
import { rawWithPreviews } from "../../support/MediaBytes.js"

/** A JPEG whose left half is red and right half blue, with an EXIF orientation when given. */
const halves = async (width: number, height: number, orientation?: number) => {
  const left = { r: 255, g: 0, b: 0 }
  const blue = await sharp({ create: { width: width / 2, height, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer()
  const image = sharp({ create: { width, height, channels: 3, background: left } }).composite([{ input: blue, left: width / 2, top: 0 }])
  return (orientation === undefined ? image : image.withMetadata({ orientation })).jpeg({ quality: 95 }).toBuffer()
}

const solid = (width: number, height: number, background: { r: number; g: number; b: number }) =>
  sharp({ create: { width, height, channels: 3, background } }).jpeg().toBuffer()

/** The pixel size of an image file, and the colour at (x, y). */
const look = async (file: string, x: number, y: number) => {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true })
  const at = (y * info.width + x) * info.channels
  return { width: info.width, height: info.height, rgb: [data[at]!, data[at + 1]!, data[at + 2]!] }
}

const isRed = ([r, g, b]: ReadonlyArray<number>) => r > 200 && g < 60 && b < 60
const isBlue = ([r, g, b]: ReadonlyArray<number>) => b > 200 && r < 60 && g < 60
const isGreen = ([r, g, b]: ReadonlyArray<number>) => g > 150 && r < 60 && b < 60

const withThumbnails = <A, E>(body: (dir: string) => Effect.Effect<A, E, Thumbnails>) =>
  Effect.scoped(Effect.gen(function*() {
    const dir = yield* tempDir
    return yield* body(dir).pipe(
      Effect.provide(Thumbnails.Default.pipe(Layer.provide(Layer.succeed(FbkConfig, configFor(path.join(dir, "home"))))))
    )
  }))

const put = (dir: string, name: string, bytes: Uint8Array) => {
  const full = path.join(dir, name)
  fs.writeFileSync(full, bytes)
  return full
}

describe("Thumbnails", () => {
  it.effect("makes a JPEG's small thumbnail within 1200x400 and its large picture within 2048, under thumbs/ by sha256", () =>
    withThumbnails((dir) =>
      Effect.gen(function*() {
        const source = put(dir, "a.jpg", yield* Effect.promise(() => halves(3000, 2000)))
        const thumbs = yield* Thumbnails
        const small = yield* thumbs.thumbnail({ path: source, sha256: "ab".repeat(32) }, "small")
        const large = yield* thumbs.thumbnail({ path: source, sha256: "ab".repeat(32) }, "large")
        expect(small).toBe(path.join(dir, "home", "thumbs", "ab", `${"ab".repeat(32)}-small.jpg`))
        const s = yield* Effect.promise(() => look(small, 10, 10))
        expect([s.width, s.height]).toEqual([600, 400])
        expect(isRed(s.rgb)).toBe(true)
        const l = yield* Effect.promise(() => look(large, 2000, 10))
        expect([l.width, l.height]).toEqual([2048, 1365])
        expect(isBlue(l.rgb)).toBe(true)
        expect(fs.readdirSync(path.dirname(small)).filter((n) => n.endsWith(".part"))).toEqual([])
      })
    ))

  it.effect("turns an EXIF-rotated JPEG upright", () =>
    withThumbnails((dir) =>
      Effect.gen(function*() {
        // Orientation 6: the stored picture is shown turned 90° clockwise, so its left (red) half ends up on top.
        const source = put(dir, "turned.jpg", yield* Effect.promise(() => halves(600, 300, 6)))
        const made = yield* (yield* Thumbnails).thumbnail({ path: source, sha256: "cd".repeat(32) }, "small")
        const top = yield* Effect.promise(() => look(made, 100, 20))
        const bottom = yield* Effect.promise(() => look(made, 100, 380))
        expect([top.width, top.height]).toEqual([200, 400])
        expect(isRed(top.rgb)).toBe(true)
        expect(isBlue(bottom.rgb)).toBe(true)
      })
    ))

  it.effect("answers from the cache without remaking, and makes a new one for a replaced original (new sha256)", () =>
    withThumbnails((dir) =>
      Effect.gen(function*() {
        const thumbs = yield* Thumbnails
        const source = put(dir, "photo.jpg", yield* Effect.promise(() => solid(800, 600, { r: 255, g: 0, b: 0 })))
        const first = yield* thumbs.thumbnail({ path: source, sha256: "11".repeat(32) }, "small")
        const madeAt = fs.statSync(first).mtimeMs
        // The same sha256 with other bytes on disk: a remake would show blue.
        put(dir, "photo.jpg", yield* Effect.promise(() => solid(800, 600, { r: 0, g: 0, b: 255 })))
        fs.utimesSync(first, new Date(1_000_000), new Date(1_000_000))
        const again = yield* thumbs.thumbnail({ path: source, sha256: "11".repeat(32) }, "small")
        expect(again).toBe(first)
        expect(fs.statSync(again).mtimeMs).toBe(1_000_000)
        expect(isRed((yield* Effect.promise(() => look(again, 5, 5))).rgb)).toBe(true)
        expect(madeAt).toBeGreaterThan(1_000_000)
        const replaced = yield* thumbs.thumbnail({ path: source, sha256: "22".repeat(32) }, "small")
        expect(replaced).not.toBe(first)
        expect(isBlue((yield* Effect.promise(() => look(replaced, 5, 5))).rgb)).toBe(true)
        expect(yield* thumbs.cached("22".repeat(32), "small")).toBe(true)
        expect(yield* thumbs.cached("33".repeat(32), "small")).toBe(false)
      })
    ))

  it.effect("makes a RAW's thumbnail from its largest embedded JPEG, turned by the RAW's orientation", () =>
    withThumbnails((dir) =>
      Effect.gen(function*() {
        const large = yield* Effect.promise(() => halves(640, 480))
        const small = yield* Effect.promise(() => solid(160, 120, { r: 0, g: 200, b: 0 }))
        const source = put(dir, "camera.dng", rawWithPreviews({ large, small, dng: true, orientation: 6 }))
        // Not something sharp can read itself.
        const direct = yield* Effect.promise(() => sharp(source).metadata().then(() => "read", () => "refused"))
        expect(direct).toBe("refused")
        const made = yield* (yield* Thumbnails).thumbnail({ path: source, sha256: "44".repeat(32) }, "small")
        const top = yield* Effect.promise(() => look(made, 100, 20))
        expect([top.width, top.height]).toEqual([300, 400])
        expect(isRed(top.rgb)).toBe(true)
      })
    ))

  it.effect("falls back to the preview when sharp cannot decode a file it was tried on first", () =>
    withThumbnails((dir) =>
      Effect.gen(function*() {
        const large = yield* Effect.promise(() => solid(160, 120, { r: 0, g: 200, b: 0 }))
        const small = yield* Effect.promise(() => solid(80, 60, { r: 255, g: 0, b: 0 }))
        const source = put(dir, "scan.tif", rawWithPreviews({ large, small, dng: false }))
        const made = yield* (yield* Thumbnails).thumbnail({ path: source, sha256: "55".repeat(32) }, "small")
        const seen = yield* Effect.promise(() => look(made, 10, 10))
        expect([seen.width, seen.height]).toEqual([160, 120])
        expect(isGreen(seen.rgb)).toBe(true)
      })
    ))

  it.effect("fails with a ThumbnailError for a file neither sharp nor ExifTool can make a picture of, leaving no file", () =>
    withThumbnails((dir) =>
      Effect.gen(function*() {
        const source = put(dir, "broken.jpg", new TextEncoder().encode("not a picture at all"))
        const error = yield* Effect.flip((yield* Thumbnails).thumbnail({ path: source, sha256: "66".repeat(32) }, "small"))
        expect(error._tag).toBe("ThumbnailError")
        expect(error.path).toBe(source)
        expect(error.reason).toMatch(/preview/)
        const folder = path.join(dir, "home", "thumbs", "66")
        expect(fs.existsSync(folder) ? fs.readdirSync(folder) : []).toEqual([])
        const heic = put(dir, "phone.heic", new TextEncoder().encode("ftypheic but nothing else"))
        const noPreview = yield* Effect.flip((yield* Thumbnails).thumbnail({ path: heic, sha256: "77".repeat(32) }, "large"))
        expect(noPreview._tag).toBe("ThumbnailError")
      })
    ))

  it.effect("fails with a FileWriteError naming the cache when it cannot be written, without trying the preview", () =>
    withThumbnails((dir) =>
      Effect.gen(function*() {
        const source = put(dir, "a.jpg", yield* Effect.promise(() => solid(300, 200, { r: 0, g: 200, b: 0 })))
        // A file where the cache's folder should be: as a read-only or broken home is, even to root.
        fs.mkdirSync(path.join(dir, "home"), { recursive: true })
        fs.writeFileSync(path.join(dir, "home", "thumbs"), "not a folder")
        const error = yield* Effect.flip((yield* Thumbnails).thumbnail({ path: source, sha256: "cd".repeat(32) }, "small"))
        expect(error._tag).toBe("FileWriteError")
        expect(error._tag === "FileWriteError" && error.path).toBe(path.join(dir, "home", "thumbs", "cd"))
        expect(error.reason).not.toMatch(/preview/)
      })))
})

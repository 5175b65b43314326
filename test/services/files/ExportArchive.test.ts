import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { ExportArchive } from "../../../src/services/files/ExportArchive.js"
import { truncatedCopy, writeZip } from "../../support/FlickrExport.js"
import { tempDir } from "../../support/Fixtures.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")
const layer = ExportArchive.Default

const sourcesOf = (input: string) =>
  Effect.flatMap(ExportArchive, (archive) => archive.sourcesAt(input))

describe("ExportArchive", () => {
  it.scoped("reads a ZIP64 zip's directory and copies an entry byte for byte, with its hash and CRC", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const big = randomBytes(3 * 1024 * 1024 + 17)
      const zip = yield* Effect.promise(() =>
        writeZip(path.join(dir, "data-download-1.zip"), [{ name: "a_1_o.jpg", bytes: big }, { name: "photo_1.json", bytes: Buffer.from("{\"id\":\"1\"}") }], { zip64: true }))
      const archive = yield* ExportArchive
      const [found] = yield* archive.sourcesAt(zip)
      const source = Either.getOrThrow(found!)
      expect(source.entries.map((e) => [e.name, e.bytes])).toEqual([["a_1_o.jpg", big.length], ["photo_1.json", 10]])
      const part = path.join(dir, "out", "1.jpg.part")
      const copied = yield* archive.copyEntry(source, source.entries[0]!, part)
      expect(copied.sha256).toBe(sha256(big))
      expect(sha256(fs.readFileSync(part))).toBe(sha256(big))
      expect(yield* archive.readText(source, source.entries[1]!, 1000)).toBe("{\"id\":\"1\"}")
    }).pipe(Effect.provide(layer), Effect.provide(NodeContext.layer)))

  it.scoped("refuses bytes that do not match the zip's CRC-32, leaving no partial file", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const bytes = randomBytes(5000)
      const zip = yield* Effect.promise(() => writeZip(path.join(dir, "m.zip"), [{ name: "x_2_o.png", bytes }]))
      // Stored (not deflated), so one flipped byte of the data changes the content but not the zip's structure.
      const raw = fs.readFileSync(zip)
      const at = raw.indexOf(bytes.subarray(0, 64))
      raw[at + 100] = raw[at + 100]! ^ 0xff
      fs.writeFileSync(zip, raw)
      const archive = yield* ExportArchive
      const source = Either.getOrThrow((yield* archive.sourcesAt(zip))[0]!)
      const part = path.join(dir, "2.png.part")
      const error = yield* Effect.flip(archive.copyEntry(source, source.entries[0]!, part))
      expect(error._tag).toBe("ExportReadError")
      expect(error._tag === "ExportReadError" && error.reason).toMatch(/CRC-32/)
      expect(fs.existsSync(part)).toBe(false)
    }).pipe(Effect.provide(layer), Effect.provide(NodeContext.layer)))

  it.scoped("names a truncated zip as one that cannot be read, and keeps the other sources of a folder", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      yield* Effect.promise(() => writeZip(path.join(dir, "a.zip"), [{ name: "photo_3.json", bytes: Buffer.from("{}") }]))
      const full = yield* Effect.promise(() => writeZip(path.join(dir, "b-full.zip"), [{ name: "y_3_o.jpg", bytes: randomBytes(20000) }]))
      truncatedCopy(full, path.join(dir, "b.zip"))
      fs.rmSync(full)
      fs.writeFileSync(path.join(dir, "loose_4_o.jpg"), randomBytes(100))
      const found = yield* sourcesOf(dir)
      const failed = found.filter(Either.isLeft).map((e) => e.left)
      expect(failed.map((e) => [path.basename(e.path), /truncated/.test(e.reason)])).toEqual([["b.zip", true]])
      const read = found.filter(Either.isRight).map((e) => e.right)
      expect(read.map((s) => [path.basename(s.path), s.entries.map((e) => e.name)])).toEqual([
        ["a.zip", ["photo_3.json"]],
        [path.basename(dir), ["loose_4_o.jpg"]]
      ])
    }).pipe(Effect.provide(layer), Effect.provide(NodeContext.layer)))
})

import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { hashFile, runningSha256, sha256Stream } from "../../../src/services/files/FileHash.js"
import { tempDir } from "../../support/Fixtures.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

describe("runningSha256", () => {
  it("gives the hash so far at any point and goes on hashing after it", () => {
    const bytes = randomBytes(10_000)
    const running = runningSha256()
    running.update(bytes.subarray(0, 3_000))
    expect(running.result()).toEqual({ bytes: 3_000, sha256: sha256(bytes.subarray(0, 3_000)) })
    running.update(bytes.subarray(3_000))
    expect(running.result()).toEqual({ bytes: 10_000, sha256: sha256(bytes) })
  })
})

describe("sha256Stream", () => {
  it.effect("hashes every block after `each` took it, a chunk's pieces joined into one block", () =>
    Effect.gen(function*() {
      const pieces = [randomBytes(10), randomBytes(20), randomBytes(30), randomBytes(40)]
      const stream = Stream.fromChunks(Chunk.make(pieces[0]!, pieces[1]!), Chunk.make(pieces[2]!), Chunk.make(pieces[3]!))
      const seen: Array<number> = []
      const hashed = yield* sha256Stream(stream, (block) => Effect.sync(() => void seen.push(block.length)))
      expect(seen).toEqual([30, 30, 40])
      expect(hashed).toEqual({ bytes: 100, sha256: sha256(Buffer.concat(pieces)) })
    }))

  it.effect("goes on from what a running hash already had (a resumed file)", () =>
    Effect.gen(function*() {
      const bytes = randomBytes(5_000)
      const into = runningSha256()
      into.update(bytes.subarray(0, 1_234))
      const hashed = yield* sha256Stream(Stream.make(bytes.subarray(1_234, 4_000), bytes.subarray(4_000)), undefined, into)
      expect(hashed).toEqual({ bytes: 5_000, sha256: sha256(bytes) })
    }))

  it.effect("stops at a block `each` fails on, which is not hashed", () =>
    Effect.gen(function*() {
      const [a, b, c] = [randomBytes(10), randomBytes(10), randomBytes(10)]
      const into = runningSha256()
      const failure = yield* Effect.flip(sha256Stream(
        Stream.fromChunks(Chunk.of(a), Chunk.of(b), Chunk.of(c)),
        (block) => (block === b ? Effect.fail("disk full" as const) : Effect.void),
        into
      ))
      expect(failure).toBe("disk full")
      expect(into.result()).toEqual({ bytes: 10, sha256: sha256(a) })
    }))
})

describe("hashFile", () => {
  it.scoped("reads a file of several reads, an empty file, and lends each block in order", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const bytes = randomBytes(2 * 1024 * 1024 + 12_345)
      const big = path.join(dir, "big.bin")
      fs.writeFileSync(big, bytes)
      const copies: Array<Buffer> = []
      const hashed = yield* hashFile(big, (block) => Effect.sync(() => void copies.push(Buffer.from(block))))
      expect(hashed).toEqual({ bytes: bytes.length, sha256: sha256(bytes) })
      expect(copies.map((c) => c.length)).toEqual([1024 * 1024, 1024 * 1024, 12_345])
      expect(Buffer.concat(copies).equals(bytes)).toBe(true)

      const empty = path.join(dir, "empty.bin")
      fs.writeFileSync(empty, "")
      expect(yield* hashFile(empty)).toEqual({ bytes: 0, sha256: sha256(new Uint8Array()) })
    }))

  it.scoped("fails with the file system's reason for a missing file and for a folder", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const missing = yield* Effect.flip(hashFile(path.join(dir, "nope.jpg")))
      expect(missing).toMatchObject({ _tag: "SystemError", reason: "NotFound", pathOrDescriptor: path.join(dir, "nope.jpg") })
      const folder = yield* Effect.flip(hashFile(dir))
      expect(folder).toMatchObject({ _tag: "SystemError", reason: "BadResource", pathOrDescriptor: dir })
    }))
})

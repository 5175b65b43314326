// What a transfer writes besides the file: no ETag sidecar for a file written whole, its folder synced
// once by syncRenamed rather than once a file, and kept bytes without an ETag not trusted.
import { FileSystem } from "@effect/platform"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { FbkConfig } from "../../../src/services/home/FbkConfig.js"
import { FileTransfer, FileTransferSettings } from "../../../src/services/files/FileTransfer.js"
import { type Route, startFileServer } from "../../support/FileServer.js"
import { configFor, tempDir } from "../../support/Fixtures.js"
import { jpeg } from "../../support/MediaBytes.js"
import * as Reporter from "../../../src/services/terminal/Reporter.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** Node's file system, noting every file opened (with its flag) and every text file written, as they are. */
const recordingFileSystem = (opened: Array<readonly [string, string | undefined]>, textWritten: Array<string>) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (real) => ({
      ...real,
      open: (p: string, options?: FileSystem.OpenFileOptions) =>
        Effect.zipRight(Effect.sync(() => opened.push([p, options?.flag])), real.open(p, options)),
      writeFileString: (p: string, data: string, options?: FileSystem.WriteFileStringOptions) =>
        Effect.zipRight(Effect.sync(() => textWritten.push(p)), real.writeFileString(p, data, options))
    }))
  ).pipe(Layer.provide(NodeFileSystem.layer))

const transferOver = (routes: Record<string, Route>) =>
  Effect.gen(function*() {
    const server = yield* startFileServer(routes)
    const dir = yield* tempDir
    const opened: Array<readonly [string, string | undefined]> = []
    const textWritten: Array<string> = []
    const layer = FileTransfer.Default.pipe(
      Layer.provide(Layer.mergeAll(
        Layer.succeed(FbkConfig, configFor(dir, { retryBaseMillis: 10, requestTimeoutMillis: 5_000 })),
        Layer.succeed(FileTransferSettings, { stallTimeoutMillis: 500 }),
        recordingFileSystem(opened, textWritten),
        Reporter.collecting([])
      ))
    )
    const transfer = yield* Effect.map(Layer.buildWithScope(layer, yield* Effect.scope), Context.get(FileTransfer))
    return { server, dir, opened, textWritten, transfer }
  })

describe("FileTransfer's writes besides the file", () => {
  it.scopedLive("a file written whole saves no ETag; its folder is synced by syncRenamed, once for all its files", () =>
    Effect.gen(function*() {
      const bodies = ["a", "b", "c"].map((name) => [name, jpeg(320, 240)] as const)
      const s = yield* transferOver(Object.fromEntries(bodies.map(([name, body]) => [`/${name}.jpg`, { body, etag: `"${name}"` }])))
      const folder = path.join(s.dir, "originals", "2024", "06")
      for (const [name, body] of bodies) {
        const fetched = yield* s.transfer.fetchTo({ url: s.server.url(`/${name}.jpg`), target: path.join(folder, `${name}.jpg`), expect: { kind: "jpeg" } })
        expect(fetched.sha256).toBe(sha256(body))
      }
      expect(s.textWritten).toEqual([])
      expect(fs.readdirSync(folder).sort()).toEqual(["a.jpg", "b.jpg", "c.jpg"])
      const folderOpens = () => s.opened.filter(([p]) => p === folder).length
      expect(folderOpens()).toBe(0)
      yield* s.transfer.syncRenamed
      expect(folderOpens()).toBe(1)
      yield* s.transfer.syncRenamed // nothing renamed since: nothing to sync
      expect(folderOpens()).toBe(1)
    }))

  it.scopedLive("a .part kept without its ETag is fetched again from nothing when the server has an ETag", () =>
    Effect.gen(function*() {
      const body = jpeg(800, 600)
      const s = yield* transferOver({ "/r.jpg": { body, etag: "\"now\"" } })
      const target = path.join(s.dir, "r.jpg")
      fs.writeFileSync(`${target}.part`, body.subarray(0, 2_000))

      const fetched = yield* s.transfer.fetchTo({ url: s.server.url("/r.jpg"), target, expect: { kind: "jpeg", width: 800, height: 600 } })
      expect(fetched).toMatchObject({ sha256: sha256(body), resumed: false })
      expect(s.server.served.map(({ ifRange, range, status }) => ({ range, ifRange, status }))).toEqual([
        { range: "bytes=2000-", ifRange: undefined, status: 206 },
        { range: undefined, ifRange: undefined, status: 200 }
      ])
      expect(fs.readdirSync(s.dir)).toEqual(["r.jpg"])
    }))
})

import { FileSystem } from "@effect/platform"
import { SystemError } from "@effect/platform/Error"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Fiber, Layer, Option, TestClock } from "effect"
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { Agent } from "undici"
import type { Expected, FetchRequest } from "../../../src/schema/Files.js"
import { FbkConfig } from "../../../src/services/home/FbkConfig.js"
import { FileTransfer, FileTransferSettings } from "../../../src/services/files/FileTransfer.js"
import { parseRetryAfter } from "../../../src/services/flickr/RetryAfter.js"
import * as Reporter from "../../../src/services/terminal/Reporter.js"
import { type FileServer, type Route, startFileServer } from "../../support/FileServer.js"
import { configFor, tempDir } from "../../support/Fixtures.js"
import { ascii, concat, jpeg, mp4, segment } from "../../support/MediaBytes.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")
const png = () => concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], randomBytes(500))
const gif = () => concat(ascii("GIF89a"), randomBytes(500))
const oldQuickTime = () => concat([0, 0, 0, 0x08], ascii("wide"), [0, 0, 0, 0x10], ascii("mdat"), randomBytes(500))
const htmlPage = () => new TextEncoder().encode("<!DOCTYPE html><html><body>Too many requests</body></html>")

const ANY: Expected = { kind: "any" }
const REQUEST_TIMEOUT_MILLIS = 5_000

/** Gives the event loop turns until `done` holds: waits on I/O, not on a timer, so a TestClock stays where it is. */
const until = (done: Effect.Effect<boolean>): Effect.Effect<void> =>
  Effect.flatMap(done, (ok) =>
    ok ? Effect.void : Effect.zipRight(Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve))), until(done)))

/** Node's file system, but writes fail with ENOSPC once `room` bytes have gone through `open`ed files. */
const fullDiskAfter = (room: number) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (real) => {
      let left = room
      const diskFull = (fd: number) =>
        new SystemError({
          reason: "Unknown",
          module: "FileSystem",
          method: "writeAll",
          pathOrDescriptor: fd,
          description: "ENOSPC: no space left on device, write",
          cause: Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" })
        })
      const withLimitedRoom = (file: FileSystem.File): FileSystem.File => ({
        [FileSystem.FileTypeId]: FileSystem.FileTypeId,
        fd: file.fd,
        stat: file.stat,
        sync: file.sync,
        seek: (offset, from) => file.seek(offset, from),
        read: (buffer) => file.read(buffer),
        readAlloc: (size) => file.readAlloc(size),
        truncate: (length) => file.truncate(length),
        write: (buffer) => file.write(buffer),
        writeAll: (buffer) => {
          const fits = Math.min(left, buffer.length)
          left -= fits
          return fits === buffer.length
            ? file.writeAll(buffer)
            : Effect.zipRight(file.writeAll(buffer.subarray(0, fits)), Effect.fail(diskFull(file.fd)))
        }
      })
      return { ...real, open: (p, options) => Effect.map(real.open(p, options), withLimitedRoom) }
    })
  ).pipe(Layer.provide(NodeFileSystem.layer))

interface Setup {
  readonly server: FileServer
  readonly dir: string
  /** Every URL undici was asked for, whoever answers it. */
  readonly asked: ReadonlyArray<string>
  /** A FileTransfer over a real undici dispatcher and `fileSystem`, living as long as the test. */
  readonly transfer: (fileSystem?: Layer.Layer<FileSystem.FileSystem>) => Effect.Effect<FileTransfer>
  /** What the transfers said (their retries). */
  readonly lines: ReadonlyArray<string>
}

const setup = (routes: Record<string, Route> = {}) =>
  Effect.gen(function*() {
    const server = yield* startFileServer(routes)
    const dir = yield* tempDir
    const asked: Array<string> = []
    const recording = yield* Effect.acquireRelease(
      Effect.sync(() => new Agent()),
      (agent) => Effect.promise(() => agent.destroy())
    )
    const dispatcher = recording.compose((dispatch) => (options, handler) => {
      asked.push(new URL(options.path, options.origin).href)
      return dispatch(options, handler)
    })
    const scope = yield* Effect.scope
    const lines: Array<string> = []
    const transfer = (fileSystem: Layer.Layer<FileSystem.FileSystem> = NodeFileSystem.layer) =>
      Layer.buildWithScope(
        FileTransfer.Default.pipe(
          Layer.provide(Layer.mergeAll(
            Layer.succeed(FbkConfig, configFor(dir, { retryBaseMillis: 10, requestTimeoutMillis: REQUEST_TIMEOUT_MILLIS })),
            Layer.succeed(FileTransferSettings, { stallTimeoutMillis: 200, dispatcher }),
            fileSystem,
            Reporter.collecting(lines)
          ))
        ),
        scope
      ).pipe(Effect.map(Context.get(FileTransfer)))
    return { server, dir, asked, transfer, lines } satisfies Setup
  })

const fetchWith = (transfer: FileTransfer, request: FetchRequest) => transfer.fetchTo(request)

const fetchOnce = (s: Setup, request: FetchRequest) => Effect.flatMap(s.transfer(), (t) => fetchWith(t, request))

const filesIn = (dir: string) => fs.readdirSync(dir).sort()

describe("FileTransfer.fetchTo", () => {
  it.scopedLive("writes the served bytes to the target through a .part, creating its directory", () =>
    Effect.gen(function*() {
      const body = randomBytes(300_000)
      const s = yield* setup({ "/a.bin": { body, etag: "\"v1\"", contentType: "application/octet-stream" } })
      const target = path.join(s.dir, "photos", "2024", "a.bin")
      const fetched = yield* fetchOnce(s, { url: s.server.url("/a.bin"), target, expect: ANY })

      expect(fetched).toEqual({
        bytes: body.length,
        sha256: sha256(body),
        contentType: "application/octet-stream",
        finalUrl: s.server.url("/a.bin"),
        resumed: false
      })
      expect(sha256(fs.readFileSync(target))).toBe(sha256(body))
      expect(filesIn(path.dirname(target))).toEqual(["a.bin"]) // no .part, no .part.etag
      expect(s.server.served).toEqual([{ path: "/a.bin", range: undefined, ifRange: undefined, status: 200, bytesSent: body.length }])
    }))

  it.scopedLive("accepts each kind by its first bytes: JPEG, PNG, GIF, MP4 (ftyp), old QuickTime (wide)", () =>
    Effect.gen(function*() {
      const files: ReadonlyArray<readonly [Expected["kind"], Uint8Array]> = [
        ["jpeg", jpeg(64, 48)],
        ["png", png()],
        ["gif", gif()],
        ["mp4", mp4()],
        ["mov", oldQuickTime()]
      ]
      const s = yield* setup(Object.fromEntries(files.map(([kind, body]) => [`/${kind}`, { body }])))
      const transfer = yield* s.transfer()
      for (const [kind, body] of files) {
        const target = path.join(s.dir, `file.${kind}`)
        const fetched = yield* fetchWith(transfer, { url: s.server.url(`/${kind}`), target, expect: { kind } })
        expect(fetched.sha256).toBe(sha256(body))
        expect(sha256(fs.readFileSync(target))).toBe(sha256(body))
      }
    }))

  it.scopedLive("refuses a body that is not the expected kind, leaving nothing at the final name and not asking again", () =>
    Effect.gen(function*() {
      const s = yield* setup({
        "/photo.jpg": { body: htmlPage(), contentType: "text/html", etag: "\"x\"" },
        "/clip.mp4": { body: jpeg(64, 48) }
      })
      const transfer = yield* s.transfer()
      const target = path.join(s.dir, "photo.jpg")
      const error = yield* Effect.flip(fetchWith(transfer, { url: s.server.url("/photo.jpg"), target, expect: { kind: "jpeg" } }))
      expect(error._tag).toBe("FileCheckError")
      expect(error).toMatchObject({ url: s.server.url("/photo.jpg"), target })
      expect(error.reason).toBe("expected JPEG, but it is text (an HTML or XML page)")

      const clip = path.join(s.dir, "clip.mp4")
      const notVideo = yield* Effect.flip(fetchWith(transfer, { url: s.server.url("/clip.mp4"), target: clip, expect: { kind: "mp4" } }))
      expect(notVideo.reason).toBe("expected MP4, but it is JPEG")

      expect(filesIn(s.dir)).toEqual([])
      expect(s.server.served.map((x) => x.path)).toEqual(["/photo.jpg", "/clip.mp4"])
    }))

  it.scopedLive("accepts a JPEG whose frame is width x height, or height x width (EXIF rotation), baseline or progressive", () =>
    Effect.gen(function*() {
      const baseline = jpeg(4000, 3000)
      const progressive = jpeg(1024, 683, 0xc2)
      const s = yield* setup({ "/b.jpg": { body: baseline }, "/p.jpg": { body: progressive } })
      const transfer = yield* s.transfer()
      const cases = [
        { url: "/b.jpg", width: 4000, height: 3000, body: baseline },
        { url: "/b.jpg", width: 3000, height: 4000, body: baseline },
        { url: "/p.jpg", width: 1024, height: 683, body: progressive }
      ]
      for (const [i, c] of cases.entries()) {
        const target = path.join(s.dir, `${i}.jpg`)
        const fetched = yield* fetchWith(transfer, {
          url: s.server.url(c.url),
          target,
          expect: { kind: "jpeg", width: c.width, height: c.height }
        })
        expect(fetched.sha256).toBe(sha256(c.body))
        expect(fs.existsSync(target)).toBe(true)
      }
    }))

  it.scopedLive("refuses a JPEG whose frame size is not the one expected, and one with no frame header", () =>
    Effect.gen(function*() {
      const noFrame = concat([0xff, 0xd8], segment(0xe1, ascii("Exif\0\0abc")), segment(0xda, [0x01]), [0xff, 0xd9])
      const s = yield* setup({ "/small.jpg": { body: jpeg(640, 480) }, "/odd.jpg": { body: noFrame } })
      const transfer = yield* s.transfer()
      const target = path.join(s.dir, "small.jpg")
      const error = yield* Effect.flip(fetchWith(transfer, {
        url: s.server.url("/small.jpg"),
        target,
        expect: { kind: "jpeg", width: 4000, height: 3000 }
      }))
      expect(error).toMatchObject({
        _tag: "FileCheckError",
        target,
        reason: "expected a JPEG of 4000x3000 (or 3000x4000), but its frame is 640x480"
      })
      const odd = yield* Effect.flip(fetchWith(transfer, {
        url: s.server.url("/odd.jpg"),
        target: path.join(s.dir, "odd.jpg"),
        expect: { kind: "jpeg", width: 10, height: 10 }
      }))
      expect(odd.reason).toBe("expected a JPEG, but it has no frame header before its image data")
      expect(filesIn(s.dir)).toEqual([])
    }))

  it.scopedLive("resumes a .part left by an earlier run with Range and If-Range, fetching only the missing bytes", () =>
    Effect.gen(function*() {
      const body = jpeg(800, 600)
      const s = yield* setup({ "/r.jpg": { body, etag: "\"abc\"" } })
      const target = path.join(s.dir, "r.jpg")
      const kept = 2_000
      fs.writeFileSync(`${target}.part`, body.subarray(0, kept))
      fs.writeFileSync(`${target}.part.etag`, "\"abc\"")

      const fetched = yield* fetchOnce(s, { url: s.server.url("/r.jpg"), target, expect: { kind: "jpeg", width: 800, height: 600 } })
      expect(fetched).toMatchObject({ bytes: body.length, sha256: sha256(body), resumed: true })
      expect(sha256(fs.readFileSync(target))).toBe(sha256(body))
      expect(s.server.served).toEqual([
        { path: "/r.jpg", range: `bytes=${kept}-`, ifRange: "\"abc\"", status: 206, bytesSent: body.length - kept }
      ])
      expect(filesIn(s.dir)).toEqual(["r.jpg"])
    }))

  it.scopedLive("checks a resumed JPEG's frame size wherever the .part ends: in its first bytes, a segment or the frame header", () =>
    Effect.gen(function*() {
      // Before the camera's segments: a short one, fill bytes, a marker without a length, a comment.
      const body = concat([0xff, 0xd8], segment(0xe0, ascii("JF")), [0xff, 0xff, 0xff, 0x01], segment(0xfe, ascii("a")), jpeg(800, 600).subarray(2))
      // The last such header: the EXIF segment holds a decoy frame header (16x16) before it.
      const frame = Buffer.from(body).lastIndexOf(Buffer.from([0xff, 0xc0, 0x00, 0x11]))
      const s = yield* setup({ "/r.jpg": { body, etag: "\"abc\"" } })
      const transfer = yield* s.transfer()
      const cuts = [...Array.from({ length: 24 }, (_, i) => i + 1), ...Array.from({ length: 14 }, (_, i) => frame - 2 + i)]
      for (const kept of cuts) {
        const target = path.join(s.dir, `cut-${kept}.jpg`)
        fs.writeFileSync(`${target}.part`, body.subarray(0, kept))
        fs.writeFileSync(`${target}.part.etag`, "\"abc\"")
        const fetched = yield* fetchWith(transfer, { url: s.server.url("/r.jpg"), target, expect: { kind: "jpeg", width: 600, height: 800 } })
        expect(fetched).toMatchObject({ sha256: sha256(body), resumed: true })
      }
      expect(s.server.served.map((x) => x.range)).toEqual(cuts.map((kept) => `bytes=${kept}-`))

      const target = path.join(s.dir, "wrong.jpg")
      fs.writeFileSync(`${target}.part`, body.subarray(0, frame + 6))
      fs.writeFileSync(`${target}.part.etag`, "\"abc\"")
      const error = yield* Effect.flip(fetchWith(transfer, { url: s.server.url("/r.jpg"), target, expect: { kind: "jpeg", width: 640, height: 480 } }))
      expect(error.reason).toBe("expected a JPEG of 640x480 (or 480x640), but its frame is 800x600")
    }))

  it.scopedLive("starts from zero when the file changed since the .part was written (If-Range no longer matches)", () =>
    Effect.gen(function*() {
      const before = randomBytes(50_000)
      const now = randomBytes(60_000)
      const s = yield* setup({ "/c.bin": { body: now, etag: "\"new\"" } })
      const target = path.join(s.dir, "c.bin")
      fs.writeFileSync(`${target}.part`, before.subarray(0, 20_000))
      fs.writeFileSync(`${target}.part.etag`, "\"old\"")

      const fetched = yield* fetchOnce(s, { url: s.server.url("/c.bin"), target, expect: ANY })
      expect(fetched).toMatchObject({ bytes: now.length, sha256: sha256(now), resumed: false })
      expect(sha256(fs.readFileSync(target))).toBe(sha256(now))
      expect(s.server.served).toEqual([
        { path: "/c.bin", range: "bytes=20000-", ifRange: "\"old\"", status: 200, bytesSent: now.length }
      ])
    }))

  it.scopedLive("starts from zero when the .part is longer than the file (416)", () =>
    Effect.gen(function*() {
      const body = randomBytes(10_000)
      const s = yield* setup({ "/s.bin": { body, etag: "\"e\"" } })
      const target = path.join(s.dir, "s.bin")
      fs.writeFileSync(`${target}.part`, randomBytes(12_000))
      fs.writeFileSync(`${target}.part.etag`, "\"e\"")

      const fetched = yield* fetchOnce(s, { url: s.server.url("/s.bin"), target, expect: ANY })
      expect(fetched).toMatchObject({ sha256: sha256(body), resumed: false })
      expect(s.server.served.map(({ range, status, bytesSent }) => ({ range, status, bytesSent }))).toEqual([
        { range: "bytes=12000-", status: 416, bytesSent: 0 },
        { range: undefined, status: 200, bytesSent: body.length }
      ])
      expect(sha256(fs.readFileSync(target))).toBe(sha256(body))
    }))

  it.scoped("waits out a 429's Retry-After before asking again, by the TestClock", () =>
    Effect.gen(function*() {
      const body = randomBytes(1_000)
      const s = yield* setup({
        "/t.bin": { body, script: [{ _tag: "Status", status: 429, headers: { "retry-after": "60" } }] }
      })
      const fetching = yield* Effect.fork(fetchOnce(s, { url: s.server.url("/t.bin"), target: path.join(s.dir, "t.bin"), expect: ANY }))
      // The request's own timeout is due at 5 s; the retry's wait is the other sleep, once the 429 is in.
      const retryDue = Effect.map(TestClock.sleeps(), (due) => Chunk.toReadonlyArray(due).filter((at) => at !== REQUEST_TIMEOUT_MILLIS))
      yield* until(Effect.map(retryDue, (due) => due.length > 0))
      // The backoff alone (10 ms, jittered) would have asked again at once.
      expect(yield* retryDue).toEqual([60_000])
      yield* TestClock.adjust("59 seconds")
      expect(s.server.served.map((x) => x.status)).toEqual([429])
      yield* TestClock.adjust("1 second")
      const fetched = yield* Fiber.join(fetching)
      expect(fetched.sha256).toBe(sha256(body))
      expect(s.server.served.map((x) => x.status)).toEqual([429, 200])
      expect(s.lines).toEqual(["t.bin: HTTP 429; trying again in 1 min (1 of 6)\n"])
    }))

  it.scopedLive("retries 503s, then fetches", () =>
    Effect.gen(function*() {
      const body = randomBytes(1_000)
      const s = yield* setup({
        "/u.bin": { body, script: [{ _tag: "Status", status: 503 }, { _tag: "Status", status: 503 }] }
      })
      const fetched = yield* fetchOnce(s, { url: s.server.url("/u.bin"), target: path.join(s.dir, "u.bin"), expect: ANY })
      expect(fetched.sha256).toBe(sha256(body))
      expect(s.server.served.map((x) => x.status)).toEqual([503, 503, 200])
    }))

  describe("a body broken mid-way is resumed with Range, and only the missing bytes are fetched again", () => {
    const breaks = [
      { name: "a connection reset", step: { _tag: "Reset", afterBytes: 300_000 } },
      { name: "a body cut short of its Content-Length", step: { _tag: "CutShort", afterBytes: 300_000 } },
      { name: "a stall (nothing for the stall timeout)", step: { _tag: "Stall", afterBytes: 300_000 } }
    ] as const
    for (const { name, step } of breaks) {
      it.scopedLive(name, () =>
        Effect.gen(function*() {
          const whole = concat(mp4(), randomBytes(1_000_000))
          const s = yield* setup({ "/v.mp4": { body: whole, etag: "\"vid\"", script: [step] } })
          const target = path.join(s.dir, "v.mp4")
          const fetched = yield* fetchOnce(s, { url: s.server.url("/v.mp4"), target, expect: { kind: "mp4" } })

          expect(fetched).toMatchObject({ bytes: whole.length, sha256: sha256(whole), resumed: true })
          expect(sha256(fs.readFileSync(target))).toBe(sha256(whole))
          const [first, second, ...more] = s.server.served
          expect(more).toEqual([])
          expect(first).toMatchObject({ status: 200, bytesSent: 300_000 })
          // What the client had kept is what it asked to skip: a prefix of the first answer.
          const kept = Number(/^bytes=(\d+)-$/.exec(second!.range ?? "")?.[1])
          expect(kept).toBeGreaterThan(0)
          expect(kept).toBeLessThanOrEqual(300_000)
          expect(second).toEqual({ path: "/v.mp4", range: `bytes=${kept}-`, ifRange: "\"vid\"", status: 206, bytesSent: whole.length - kept })
          expect(filesIn(s.dir)).toEqual(["v.mp4"])
        }))
    }
  })

  it.scopedLive("gives up after its retries, keeping the .part and its ETag, and the next run resumes from them", () =>
    Effect.gen(function*() {
      const body = randomBytes(2_000_000)
      const resets = Array.from({ length: 7 }, () => ({ _tag: "Reset", afterBytes: 100_000 }) as const)
      const s = yield* setup({ "/w.bin": { body, etag: "\"w\"", script: resets } })
      const target = path.join(s.dir, "w.bin")
      const request = { url: s.server.url("/w.bin"), target, expect: ANY }

      const error = yield* Effect.flip(fetchOnce(s, request))
      expect(error).toMatchObject({ _tag: "FileTransferError", retryable: true })
      expect(s.server.served).toHaveLength(7) // the first try and six retries
      expect(fs.existsSync(target)).toBe(false)
      const kept = fs.readFileSync(`${target}.part`)
      expect(kept.length).toBeGreaterThan(100_000) // the retries added to the first try's bytes
      expect(Buffer.compare(kept, body.subarray(0, kept.length))).toBe(0)
      expect(fs.readFileSync(`${target}.part.etag`, "utf8")).toBe("\"w\"")

      const fetched = yield* fetchOnce(s, request)
      expect(fetched).toMatchObject({ sha256: sha256(body), resumed: true })
      expect(s.server.served[7]).toMatchObject({ range: `bytes=${kept.length}-`, status: 206, bytesSent: body.length - kept.length })
    }))

  it.scopedLive("follows a chain of five redirects (a relative Location included) and reports the final URL", () =>
    Effect.gen(function*() {
      const body = mp4()
      const s = yield* setup({ "/file.mp4": { body } })
      const hops = ["/play/orig/1", "/r2", "/r3", "/r4", "/r5"]
      hops.forEach((hop, i) => {
        const next = hops[i + 1] ?? "/file.mp4"
        s.server.route(hop, { script: [{ _tag: "Redirect", location: i === 2 ? next : s.server.url(next), status: i === 0 ? 301 : 302 }] })
      })
      const fetched = yield* fetchOnce(s, { url: s.server.url(hops[0]!), target: path.join(s.dir, "v.mp4"), expect: { kind: "mp4" } })
      expect(fetched).toMatchObject({ finalUrl: s.server.url("/file.mp4"), sha256: sha256(body) })
      expect(s.server.served.map((x) => x.path)).toEqual([...hops, "/file.mp4"])
    }))

  it.scopedLive("gives up on a sixth redirect without following it", () =>
    Effect.gen(function*() {
      const s = yield* setup({ "/file": { body: mp4() } })
      const hops = ["/h1", "/h2", "/h3", "/h4", "/h5", "/h6"]
      hops.forEach((hop, i) => s.server.route(hop, { script: [{ _tag: "Redirect", location: hops[i + 1] ?? "/file" }] }))
      const error = yield* Effect.flip(fetchOnce(s, { url: s.server.url("/h1"), target: path.join(s.dir, "f"), expect: ANY }))
      expect(error).toMatchObject({ _tag: "FileTransferError", reason: "more than 5 redirects", retryable: false })
      expect(s.server.served.map((x) => x.path)).toEqual(hops)
      expect(filesIn(s.dir)).toEqual([])
    }))

  it.scopedLive("refuses a redirect to plain http off this machine without connecting to it", () =>
    Effect.gen(function*() {
      const s = yield* setup({ "/photo": { script: [{ _tag: "Redirect", location: "http://farm1.example.com/1_o.jpg" }] } })
      const error = yield* Effect.flip(fetchOnce(s, { url: s.server.url("/photo"), target: path.join(s.dir, "p.jpg"), expect: ANY }))
      expect(error).toMatchObject({
        _tag: "FileTransferError",
        url: "http://farm1.example.com/1_o.jpg",
        reason: "redirected to http://farm1.example.com/1_o.jpg, which uses plain http to a host that is not this machine; use https",
        retryable: false
      })
      expect(s.asked).toEqual([s.server.url("/photo")])
      expect(filesIn(s.dir)).toEqual([])
    }))

  it.scopedLive("refuses a first URL that is plain http off this machine, or not http at all, asking nothing", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      for (const url of ["http://live.staticflickr.com/65535/1_a_o.jpg", "ftp://127.0.0.1/1.jpg"]) {
        const error = yield* Effect.flip(fetchOnce(s, { url, target: path.join(s.dir, "1.jpg"), expect: ANY }))
        expect(error).toMatchObject({ _tag: "FileTransferError", url, retryable: false })
        expect(error.reason).toContain(url)
      }
      expect(s.asked).toEqual([])
    }))

  it.scopedLive("does not retry 404, 410, 403 or another 4xx", () =>
    Effect.gen(function*() {
      const s = yield* setup()
      const transfer = yield* s.transfer()
      for (const status of [404, 410, 403, 400]) {
        s.server.route(`/${status}`, { script: [{ _tag: "Status", status }] })
        const error = yield* Effect.flip(fetchWith(transfer, {
          url: s.server.url(`/${status}`),
          target: path.join(s.dir, `${status}.jpg`),
          expect: ANY
        }))
        expect(error).toMatchObject({ _tag: "FileTransferError", status, reason: `HTTP ${status}`, retryable: false })
        expect(s.server.servedAt(`/${status}`)).toHaveLength(1)
      }
      expect(filesIn(s.dir)).toEqual([])
    }))

  it.scopedLive("a full disk fails with FileWriteError, keeping the .part for the next run to resume", () =>
    Effect.gen(function*() {
      const body = randomBytes(1_000_000)
      const s = yield* setup({ "/big.bin": { body, etag: "\"big\"" } })
      const target = path.join(s.dir, "big.bin")
      const request = { url: s.server.url("/big.bin"), target, expect: ANY }

      const full = yield* s.transfer(fullDiskAfter(250_000))
      const error = yield* Effect.flip(fetchWith(full, request))
      expect(error).toMatchObject({ _tag: "FileWriteError", path: `${target}.part`, reason: "no space left on the disk" })
      expect(s.server.served).toHaveLength(1) // a full disk is not retried
      expect(fs.existsSync(target)).toBe(false)
      const kept = fs.readFileSync(`${target}.part`)
      expect(kept.length).toBe(250_000)
      expect(Buffer.compare(kept, body.subarray(0, 250_000))).toBe(0)

      const fetched = yield* fetchOnce(s, request)
      expect(fetched).toMatchObject({ sha256: sha256(body), resumed: true })
      expect(s.server.served[1]).toMatchObject({ range: "bytes=250000-", status: 206, bytesSent: 750_000 })
    }))

  it.scopedLive("streams a 20 MB body without holding it: live memory does not grow with the body", () =>
    Effect.gen(function*() {
      const size = 20 * 1024 * 1024
      const whole = concat(oldQuickTime(), randomBytes(size))
      const s = yield* setup({ "/huge.mov": { body: whole } })
      const transfer = yield* s.transfer()
      const target = path.join(s.dir, "huge.mov")
      // What survives a full collection is what the transfer holds, not the garbage it leaves.
      v8.setFlagsFromString("--expose-gc")
      const collect = vm.runInNewContext("gc") as () => void
      const live = () => {
        collect()
        const { heapUsed, arrayBuffers } = process.memoryUsage()
        return heapUsed + arrayBuffers
      }
      const before = live()
      let peak = before
      let samples = 0
      const sampler = setInterval(() => {
        peak = Math.max(peak, live())
        samples += 1
      }, 50)
      const fetched = yield* fetchWith(transfer, { url: s.server.url("/huge.mov"), target, expect: { kind: "mov" } }).pipe(
        Effect.ensuring(Effect.sync(() => clearInterval(sampler)))
      )
      expect(fetched).toMatchObject({ bytes: whole.length, sha256: sha256(whole) })
      expect(fs.statSync(target).size).toBe(whole.length)
      const growth = peak - before
      console.log(`20 MB body: live heap + buffers peaked ${(growth / 1024 / 1024).toFixed(1)} MB above the start (${samples} samples)`)
      // Loose: a client that gathered the body would hold all of its 20 MB at the end.
      expect(growth).toBeLessThan(size / 4)
    }))
})

describe("parseRetryAfter", () => {
  it.effect("reads seconds or an HTTP date, never below zero, capped at five minutes", () =>
    Effect.sync(() => {
      const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")
      expect(parseRetryAfter("1", now, 300)).toEqual(Option.some(1))
      expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now, 300)).toEqual(Option.some(30))
      expect(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now, 300)).toEqual(Option.some(0))
      expect(parseRetryAfter("86400", now, 300)).toEqual(Option.some(300))
      expect(parseRetryAfter("soon", now, 300)).toEqual(Option.none())
    }))
})

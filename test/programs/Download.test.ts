// `fbk download` on the test account, its files served by a local file server: originals from
// url_o with no call, the largest size for a photo without one, a video's MP4 when its original
// fails, each file checked and recorded; nothing fetched twice; replaced originals kept; problems
// recorded and not asked again; a folder that cannot be the store refused before anything.
import { NodeHttpClient } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { backup } from "../../src/programs/Backup.js"
import { download, DOWNLOAD_DEFAULTS, type DownloadOptions } from "../../src/programs/Download.js"
import { FbkConfig } from "../../src/services/home/FbkConfig.js"
import { FileTransfer, FileTransferSettings } from "../../src/services/files/FileTransfer.js"
import { type FileServer, startFileServer } from "../support/FileServer.js"
import type { FileRow } from "../support/FileRows.js"
import { jpeg, mp4 } from "../support/MediaBytes.js"
import { programLayer } from "../support/ProgramLayer.js"
import { photoRow, TestAccount } from "../support/TestFlickrApi.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

const OPTIONS: DownloadOptions = { ...DOWNLOAD_DEFAULTS, concurrency: 3 }

const fileRows = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<FileRow>`SELECT id, photo_id, role, path, bytes, sha256, not_original_reason FROM files ORDER BY photo_id, role`)
const problems = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ photo_id: string; problem: string }>`SELECT photo_id, problem FROM file_problems ORDER BY photo_id`)

/** An account of photos whose originals the server holds, plus what each test adds; the layer with real transfers. */
const onServedAccount = <A, E, R>(
  body: (context: { readonly account: TestAccount; readonly server: FileServer; readonly bodies: Map<string, Uint8Array> }) => Effect.Effect<A, E, R>
) =>
  Effect.scoped(
    Effect.gen(function*() {
      const server = yield* startFileServer()
      const account = new TestAccount()
      const bodies = new Map<string, Uint8Array>()
      for (const id of ["1", "2", "3"]) {
        const bytes = jpeg(640, 480)
        bodies.set(id, bytes)
        server.route(`/o/${id}.jpg`, { body: bytes, etag: `"${id}"` })
        account.addPhotos([photoRow(id, { url_o: server.url(`/o/${id}.jpg`), width: 640, height: 480, date_taken: `2019-07-0${id} 10:00:00` })])
      }
      const transfers = FileTransfer.Default.pipe(
        Layer.provide(Layer.mergeAll(NodeHttpClient.layerUndici, Layer.succeed(FileTransferSettings, { stallTimeoutMillis: 500 })))
      )
      const layer = transfers.pipe(Layer.provideMerge(programLayer(account)))
      return yield* body({ account, server, bodies }).pipe(Effect.provide(layer))
    })
  )

const run = (options: Partial<DownloadOptions> = {}) => download({ ...OPTIONS, ...options })

describe("download", () => {
  it.live("fetches each original from url_o with no API call, checked and recorded under originals/YYYY/MM; a second run asks for nothing", () =>
    onServedAccount(({ account, bodies, server }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        // A backup has stored the photos.
        yield* backUp(account)
        account.clearLog()
        const result = yield* run()
        expect(result).toMatchObject({ fetched: 3, problems: 0 })
        expect(account.callCounts()).toEqual({})
        const rows = yield* fileRows
        expect(rows.map((r) => [r.photo_id, r.role, r.path, r.sha256])).toEqual(
          ["1", "2", "3"].map((id) => [id, "original", path.join("originals", "2019", "07", `${id}.jpg`), sha256(bodies.get(id)!)])
        )
        for (const row of rows) {
          expect(sha256(fs.readFileSync(path.join(home, "files", row.path)))).toBe(row.sha256)
        }
        const requests = server.served.length
        const again = yield* run()
        expect(again).toMatchObject({ fetched: 0 })
        expect(server.served.length).toBe(requests)
      })))

  it.live("a photo without an original gets the largest size offered, a video whose original fails its largest MP4, each with why", () =>
    onServedAccount(({ account, server }) =>
      Effect.gen(function*() {
        const large = jpeg(1024, 768)
        server.route("/s/4_b.jpg", { body: large })
        account.addPhotos([photoRow("4", { url_o: null, original_secret: null, original_format: null, width: null, height: null })])
        account.setDetails("4", {
          sizes: [
            { label: "Medium", width: 500, height: 375, source: server.url("/s/4.jpg"), media: "photo" },
            { label: "Large", width: 1024, height: 768, source: server.url("/s/4_b.jpg"), media: "photo" }
          ]
        })
        const video = mp4()
        server.route("/v/5/hd.mp4", { body: video })
        server.route("/v/5/orig/", { script: [{ _tag: "Status", status: 404 }] })
        account.addPhotos([photoRow("5", { media: "video", url_o: null, original_format: "mov" })])
        account.setDetails("5", {
          sizes: [
            { label: "Video Player", width: 640, height: 360, source: server.url("/player"), media: "video" },
            { label: "Site MP4", width: 640, height: 360, source: server.url("/v/5/site.mp4"), media: "video" },
            { label: "HD MP4", width: 1280, height: 720, source: server.url("/v/5/hd.mp4"), media: "video" },
            { label: "Video Original", width: 1920, height: 1080, source: server.url("/v/5/orig/"), media: "video" }
          ]
        })
        yield* backUp(account)
        account.clearLog()
        yield* run()
        // One getSizes call each, for the photo without an original and for the video.
        expect(account.callCounts()).toEqual({ photoSizes: 2 })
        const rows = new Map((yield* fileRows).map((r) => [r.photo_id, r]))
        expect(rows.get("4")).toMatchObject({ role: "largest available", sha256: sha256(large) })
        expect(rows.get("4")!.not_original_reason).toMatch(/no original/)
        expect(rows.get("5")).toMatchObject({ role: "largest available", sha256: sha256(video), path: expect.stringMatching(/5\.mp4$/) })
        expect(rows.get("5")!.not_original_reason).toMatch(/Video Original failed \(HTTP 404\)/)
        expect(server.servedAt("/player")).toEqual([])
      })))

  it.live("a replaced original: the new file under the photo's name, the old one kept beside it, both recorded", () =>
    onServedAccount(({ account, bodies, server }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        yield* backUp(account)
        yield* run()
        const replacement = jpeg(480, 640)
        server.route("/o/2-new.jpg", { body: replacement })
        account.editPhoto("2", { original_secret: "o2-new", url_o: server.url("/o/2-new.jpg"), width: 480, height: 640 })
        yield* backUp(account)
        expect(yield* run()).toMatchObject({ fetched: 1 })
        const rows = (yield* fileRows).filter((r) => r.photo_id === "2")
        expect(rows.map((r) => [r.role, r.sha256])).toEqual([["original", sha256(replacement)], ["replaced", sha256(bodies.get("2")!)]])
        for (const row of rows) expect(sha256(fs.readFileSync(path.join(home, "files", row.path)))).toBe(row.sha256)
        expect(rows[1]!.path).toMatch(/2\.replaced-\d{4}-\d\d-\d\d-\d+\.jpg$/)
      })))

  it.live("a replaced original whose new file cannot be had: the earlier one is kept, recorded as replaced, on disk", () =>
    onServedAccount(({ account, bodies, server }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        yield* backUp(account)
        yield* run()
        account.editPhoto("2", { original_secret: "o2-new", url_o: server.url("/o/gone.jpg") })
        yield* backUp(account)
        expect(yield* run()).toMatchObject({ fetched: 0, problems: 1 })
        const rows = (yield* fileRows).filter((r) => r.photo_id === "2")
        expect(rows.map((r) => [r.role, r.sha256])).toEqual([["replaced", sha256(bodies.get("2")!)]])
        expect(sha256(fs.readFileSync(path.join(home, "files", rows[0]!.path)))).toBe(rows[0]!.sha256)
        // Run again: nothing moves, nothing is lost.
        yield* run()
        expect((yield* fileRows).filter((r) => r.photo_id === "2")).toEqual(rows)
      })))

  it.live("a file Flickr does not have is a problem recorded with why, not asked for again; the rest are fetched", () =>
    onServedAccount(({ account, server }) =>
      Effect.gen(function*() {
        account.addPhotos([photoRow("9", { url_o: server.url("/o/missing.jpg"), width: 640, height: 480 })])
        yield* backUp(account)
        expect(yield* run()).toMatchObject({ fetched: 3, problems: 1 })
        expect(yield* problems).toEqual([{ photo_id: "9", problem: "HTTP 404" }])
        const asked = server.servedAt("/o/missing.jpg").length
        expect(yield* run()).toMatchObject({ fetched: 0, problems: 0 })
        expect(server.servedAt("/o/missing.jpg").length).toBe(asked)
        // Asked again on request: the file is there now.
        server.route("/o/missing.jpg", { body: jpeg(640, 480) })
        expect(yield* run({ retryProblems: true })).toMatchObject({ fetched: 1, problems: 0 })
        expect(yield* problems).toEqual([])
      })))

  it.live("--links is remembered: a later run without it keeps the album entries as copies", () =>
    onServedAccount(({ account }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        account.putAlbum("a1", { title: "Trip", members: ["1", "2"] })
        yield* backUp(account)
        yield* run({ links: Option.some("copy") })
        const entry = path.join(home, "files", "albums", "Trip", fs.readdirSync(path.join(home, "files", "albums", "Trip"))[0]!)
        expect(fs.lstatSync(entry).isFile()).toBe(true)
        yield* run()
        expect(fs.lstatSync(entry).isFile()).toBe(true)
      })))

  it.live("a --dest that is a file, or not the store already in use, is refused before anything is recorded", () =>
    onServedAccount(({ account }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        yield* backUp(account)
        const file = path.join(home, "a-file")
        fs.writeFileSync(file, "x")
        const refused = yield* Effect.flip(run({ dest: Option.some(file) }))
        expect(refused).toMatchObject({ _tag: "UsageError", reason: `--dest ${file} is not a folder` })
        expect(yield* fileRows).toEqual([])
        yield* run()
        const other = yield* Effect.flip(run({ dest: Option.some(path.join(home, "elsewhere")) }))
        expect(other).toMatchObject({ _tag: "UsageError" })
        expect(other._tag === "UsageError" && other.reason).toMatch(/kept in .*files; --dest .*elsewhere would start a second store/)
        // The store in use gone (a disk not mounted): refused, not started again in its place.
        const store = path.join(home, "files")
        fs.renameSync(store, `${store}-unmounted`)
        const gone = yield* Effect.flip(run())
        expect(gone._tag === "UsageError" && gone.reason).toMatch(/the file store .*files is missing \(is its disk mounted\?\)/)
        expect(fs.existsSync(store)).toBe(false)
      })))
})

/** What a backup leaves: the account's photos in the database. */
const backUp = (_account: TestAccount) => backup({ numPages: Option.none(), pageNum: Option.none(), perPage: 500 })

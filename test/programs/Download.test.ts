// `fbk download` on the test account, its files served by a local file server: originals from
// url_o with no call, the largest size for a photo without one, a video's MP4 when its original
// fails, each file checked and recorded; nothing fetched twice; replaced originals kept; problems
// recorded and not asked again; a folder that cannot be the store refused before anything.
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Layer, Option } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { download, DOWNLOAD_DEFAULTS, type DownloadOptions } from "../../src/programs/Download.js"
import { FileTransferError } from "../../src/schema/Files.js"
import { FileRepository } from "../../src/services/database/FileRepository.js"
import { FbkConfig } from "../../src/services/home/FbkConfig.js"
import { FileTransfer } from "../../src/services/files/FileTransfer.js"
import { jpeg, mp4 } from "../support/MediaBytes.js"
import { programLayer } from "../support/ProgramLayer.js"
import { backUp, downloadedStore, fileRows, onServedAccount, withStatFailing } from "../support/ServedAccount.js"
import { photoRow, TestAccount } from "../support/TestFlickrApi.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

const OPTIONS: DownloadOptions = { ...DOWNLOAD_DEFAULTS, concurrency: 3 }

const problems = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ photo_id: string; problem: string }>`SELECT photo_id, problem FROM file_problems ORDER BY photo_id`)

const run = (options: Partial<DownloadOptions> = {}) => download({ ...OPTIONS, ...options })

describe("download", () => {
  it.live("fetches each original from url_o with no API call, checked and recorded under originals/YYYY/MM; a second run asks for nothing", () =>
    onServedAccount(({ account, bodies, server }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        // A backup has stored the photos.
        yield* backUp
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
        yield* backUp
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

  it.live("a video's poster (its url_o) beside it with role 'poster', no API call for it; a poster that fails is said, not a problem; a replaced video's poster kept", () =>
    onServedAccount(({ account, lines, server }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        const poster = jpeg(640, 360)
        server.route("/p/6.jpg", { body: poster })
        for (const id of ["6", "7"]) {
          server.route(`/v/${id}/orig.mov`, { body: mp4() })
          account.addPhotos([photoRow(id, { media: "video", url_o: server.url(`/p/${id}.jpg`), original_format: "mov", date_taken: "2014-03-02 10:00:00" })])
          account.setDetails(id, {
            sizes: [{ label: "Video Original", width: 1920, height: 1080, source: server.url(`/v/${id}/orig.mov`), media: "video" }]
          })
        }
        yield* backUp
        account.clearLog()
        expect(yield* run()).toMatchObject({ fetched: 5, problems: 0, posters: 1 })
        // getSizes for the two videos' own files; none for their posters.
        expect(account.callCounts()).toEqual({ photoSizes: 2 })
        const rows = (yield* fileRows).filter((r) => r.photo_id === "6" || r.photo_id === "7")
        expect(rows.map((r) => [r.photo_id, r.role, r.path])).toEqual([
          ["6", "poster", path.join("originals", "2014", "03", "6.poster.jpg")],
          ["6", "video original", path.join("originals", "2014", "03", "6.mov")],
          ["7", "video original", path.join("originals", "2014", "03", "7.mov")]
        ])
        expect(rows[0]!.sha256).toBe(sha256(poster))
        expect(sha256(fs.readFileSync(path.join(home, "files", rows[0]!.path)))).toBe(sha256(poster))
        expect(lines.some((l) => l.includes("poster of video 7 not fetched: HTTP 404"))).toBe(true)
        expect(yield* problems).toEqual([])
        // status counts originals only.
        expect(yield* (yield* FileRepository).summary).toMatchObject({ files: 5, posters: 1, replaced: 0 })
        // The missing poster is asked again next run; what is there is not.
        const askedFor6 = server.servedAt("/p/6.jpg").length
        server.route("/p/7.jpg", { body: jpeg(320, 180) })
        expect(yield* run()).toMatchObject({ fetched: 0, posters: 1 })
        expect(server.servedAt("/p/6.jpg").length).toBe(askedFor6)
        // A replaced video: its earlier poster is kept aside as replaced, the new one takes its name.
        const newPoster = jpeg(640, 360)
        server.route("/p/6-new.jpg", { body: newPoster })
        server.route("/v/6/orig-new.mov", { body: mp4() })
        account.editPhoto("6", { original_secret: "o6-new", url_o: server.url("/p/6-new.jpg") })
        account.setDetails("6", {
          sizes: [{ label: "Video Original", width: 1920, height: 1080, source: server.url("/v/6/orig-new.mov"), media: "video" }]
        })
        yield* backUp
        expect(yield* run()).toMatchObject({ fetched: 1, posters: 1 })
        const six = (yield* fileRows).filter((r) => r.photo_id === "6")
        expect(six.map((r) => [r.role, r.sha256 === sha256(newPoster) ? "new poster" : r.sha256 === sha256(poster) ? "old poster" : "video"]).sort())
          .toEqual([["poster", "new poster"], ["replaced", "old poster"], ["replaced", "video"], ["video original", "video"]])
        for (const row of six) expect(sha256(fs.readFileSync(path.join(home, "files", row.path)))).toBe(row.sha256)
      })))

  it.live("a replaced original: the new file under the photo's name, the old one kept beside it, both recorded", () =>
    onServedAccount(({ account, bodies, server }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        yield* backUp
        yield* run()
        const replacement = jpeg(480, 640)
        server.route("/o/2-new.jpg", { body: replacement })
        account.editPhoto("2", { original_secret: "o2-new", url_o: server.url("/o/2-new.jpg"), width: 480, height: 640 })
        yield* backUp
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
        yield* backUp
        yield* run()
        account.editPhoto("2", { original_secret: "o2-new", url_o: server.url("/o/gone.jpg") })
        yield* backUp
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
        yield* backUp
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
        yield* backUp
        yield* run({ links: Option.some("copy") })
        const entry = path.join(home, "files", "albums", "Trip", fs.readdirSync(path.join(home, "files", "albums", "Trip"))[0]!)
        expect(fs.lstatSync(entry).isFile()).toBe(true)
        yield* run()
        expect(fs.lstatSync(entry).isFile()).toBe(true)
      })))

  it.live("a --dest that is a file, or not the store already in use, is refused before anything is recorded", () =>
    onServedAccount(() =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        yield* backUp
        const file = path.join(home, "a-file")
        fs.writeFileSync(file, "x")
        const refused = yield* Effect.flip(run({ dest: Option.some(file) }))
        expect(refused).toMatchObject({ _tag: "UsageError", reason: `--dest ${file} is not a folder` })
        expect(yield* fileRows).toEqual([])
        yield* run()
        // With a store in use too: a file is not a folder the store could have moved to.
        expect(yield* Effect.flip(run({ dest: Option.some(file) }))).toMatchObject({ _tag: "UsageError", reason: `--dest ${file} is not a folder` })
        const other = yield* Effect.flip(run({ dest: Option.some(path.join(home, "elsewhere")) }))
        expect(other).toMatchObject({ _tag: "UsageError" })
        expect(other._tag === "UsageError" && other.reason).toMatch(/kept in .*files, and --dest .*elsewhere does not hold them/)
        // The store in use gone (a disk not mounted): refused, not started again in its place.
        const store = path.join(home, "files")
        fs.renameSync(store, `${store}-unmounted`)
        const gone = yield* Effect.flip(run())
        expect(gone._tag === "UsageError" && gone.reason).toMatch(/the file store .*files is missing \(is its disk mounted\? If you moved the folder, give its new place with --dest\)/)
        expect(fs.existsSync(store)).toBe(false)
      })))

  it.live("the store moved: --dest at its new place is taken, nothing fetched, the place remembered; a folder without the files is refused, saying how to move it", () =>
    onServedAccount(({ lines, server }) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        const { rows: before, store } = yield* downloadedStore(OPTIONS)
        const moved = path.join(home, "moved")
        fs.renameSync(store, moved)
        const other = path.join(home, "other")
        fs.mkdirSync(other)
        fs.writeFileSync(path.join(other, "notes.txt"), "not photos")
        const refused = yield* Effect.flip(run({ dest: Option.some(other) }))
        expect(refused._tag === "UsageError" && refused.reason).toMatch(
          /does not hold them \(3 of 3 recorded files looked for are not there\); leave --dest out .* move the folder .*files itself to .*other and give --dest .*other again/
        )
        const requests = server.served.length
        expect(yield* run({ dest: Option.some(moved) })).toMatchObject({ fetched: 0, problems: 0 })
        expect(server.served.length).toBe(requests)
        expect(lines).toContain(`File store: moved from ${store} to ${moved} (3 recorded files looked for, all there)\n`)
        expect(yield* fileRows).toEqual(before)
        expect(yield* (yield* FileRepository).destination).toEqual(Option.some(moved))
        // Remembered: the next run needs no --dest.
        expect(yield* run()).toMatchObject({ fetched: 0, problems: 0 })
      })))

  for (const code of ["EACCES", "EIO"] as const) {
    it.live(`a store that cannot be examined (${code}) is refused with the reason, not taken for one missing`, () =>
      onServedAccount(() =>
        Effect.gen(function*() {
          const { rows: before, store } = yield* downloadedStore(OPTIONS)
          const refused = yield* Effect.flip(run().pipe(withStatFailing(store, code)))
          expect(refused).toMatchObject({
            _tag: "FileReadError",
            path: store,
            reason: code === "EACCES" ? "permission denied" : expect.stringMatching(/^input\/output error/)
          })
          expect(yield* fileRows).toEqual(before)
        })))
  }

  it.live("transfers run across the queue's pages: a file slow to come does not hold up the photos after its page", () =>
    Effect.gen(function*() {
      const account = new TestAccount()
      const ids = Array.from({ length: 250 }, (_, i) => String(i + 1))
      account.addPhotos(ids.map((id) => photoRow(id, { url_o: `http://127.0.0.1:9/o/${id}.jpg`, width: 640, height: 480 })))
      const others = yield* Deferred.make<void>()
      const finished: Array<string> = []
      // Photo 1, first in the queue, comes only once every other photo has: page by page, it never would.
      const transfer = FileTransfer.make({
        fetchTo: (request) =>
          Effect.gen(function*() {
            const id = path.basename(request.target, ".jpg")
            if (id === "1") {
              yield* Deferred.await(others).pipe(Effect.timeoutFail({
                duration: "2 seconds",
                onTimeout: () => new FileTransferError({ url: request.url, reason: "held up behind its page", retryable: false })
              }))
            }
            finished.push(id)
            if (finished.length === ids.length - 1) yield* Deferred.succeed(others, undefined)
            return { bytes: 1, sha256: "0".repeat(64), contentType: "image/jpeg", finalUrl: request.url, resumed: false }
          }),
        syncRenamed: Effect.void
      })
      const result = yield* Effect.zipRight(backUp, run()).pipe(
        Effect.provide(Layer.merge(Layer.succeed(FileTransfer, transfer), programLayer(account)))
      )
      expect(result).toMatchObject({ fetched: 250, problems: 0 })
      expect(finished.at(-1)).toBe("1")
    }))
})

// `fbk link` over a scripted account and a folder of generated files: each rule links only when
// exactly one photo fits, bursts and shared titles stay ambiguous, and a second run reads nothing.
import { describe, expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { backup } from "../../src/programs/Backup.js"
import { details } from "../../src/programs/Details.js"
import { link } from "../../src/programs/Link.js"
import { FileRepository } from "../../src/services/database/FileRepository.js"
import { cameraJpeg, writeFile } from "../../src/simulator/LocalLibrary.js"
import { onAccount } from "../support/ProgramLayer.js"
import { exifTag, photoRow, TestAccount } from "../support/TestFlickrApi.js"

const backUp = backup({ numPages: Option.none(), pageNum: Option.none(), perPage: 100 })
const allDetails = details({ maxCalls: Option.none() })
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/**
 * 1 downloaded (its bytes are on disk); 2 downloaded, the disk has it edited at full size; 3 on disk
 * smaller and turned; 4 and 5 a burst within one second; 6 titled uniquely; 7 and 8 titled alike; 9 from a Canon.
 */
const account = () => {
  const a = new TestAccount([
    photoRow("1", { date_taken: "2019-07-01 10:00:00" }),
    photoRow("2", { date_taken: "2019-07-02 10:00:00", width: 400, height: 300 }),
    photoRow("3", { date_taken: "2019-07-03 10:00:00", width: 4000, height: 3000 }),
    photoRow("4", { date_taken: "2019-07-04 12:00:00", width: 400, height: 300 }),
    photoRow("5", { date_taken: "2019-07-04 12:00:00", width: 400, height: 300 }),
    photoRow("6", { title: "Sunset at L&oslash;kken", date_taken: "2019-07-06 10:00:00", date_taken_unknown: 1 }),
    photoRow("7", { title: "DSC_0001" }),
    photoRow("8", { title: "dsc_0001" }),
    photoRow("9", { date_taken: "2019-07-09 10:00:00", width: 400, height: 300 })
  ])
  a.setDetails("4", { exif: [exifTag("SubSecTimeOriginal", "10")] })
  a.setDetails("5", { exif: [exifTag("SubSecTimeOriginal", "55")] })
  a.setDetails("9", { exif: [exifTag("Make", "Canon")] })
  return a
}

const original1 = cameraJpeg({ width: 400, height: 300, taken: "2019-07-01 10:00:00" })

/** The folder the tests link, with one file for each case. */
const library = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-link-"))
  writeFile(dir, "copies/1.jpg", original1)
  writeFile(dir, "exports/two.jpg", cameraJpeg({ width: 400, height: 300, taken: "2019-07-02 10:00:00" }))
  writeFile(dir, "exports/three.JPG", cameraJpeg({ width: 750, height: 1000, taken: "2019-07-03 10:00:00" }))
  writeFile(dir, "burst/a.jpg", cameraJpeg({ width: 400, height: 300, taken: "2019-07-04 12:00:00", subsec: "10" }))
  writeFile(dir, "burst/b.jpg", cameraJpeg({ width: 400, height: 300, taken: "2019-07-04 12:00:00", subsec: "55" }))
  writeFile(dir, "burst/c.jpg", cameraJpeg({ width: 400, height: 300, taken: "2019-07-04 12:00:00", look: 1 }))
  writeFile(dir, "named/sunset at løkken.jpg", cameraJpeg({ width: 64, height: 48 }))
  writeFile(dir, "named/DSC_0001.jpg", cameraJpeg({ width: 64, height: 48, look: 2 }))
  writeFile(dir, "other/never uploaded.jpg", cameraJpeg({ width: 400, height: 300, taken: "2001-01-01 01:01:01" }))
  writeFile(dir, "other/wrong size.jpg", cameraJpeg({ width: 300, height: 300, taken: "2019-07-03 10:00:00" }))
  writeFile(dir, "other/other camera.jpg", cameraJpeg({ width: 400, height: 300, taken: "2019-07-09 10:00:00", make: "NIKON CORPORATION" }))
  writeFile(dir, "broken/text.jpg", Buffer.from("not a photo\n"))
  writeFile(dir, "broken/notes.txt", Buffer.from("not media: never looked at\n"))
  return dir
}

const withLibrary = <A, E, R>(body: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(library),
    body,
    (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
  )

/** Records downloads: photo 1's file with the bytes on disk, 2's and 3's with others (3's disk file is a smaller export). */
const recordDownloads = Effect.gen(function*() {
  const files = yield* FileRepository
  const two = cameraJpeg({ width: 400, height: 300, taken: "2019-07-02 10:00:00", look: 3 })
  const three = cameraJpeg({ width: 4000, height: 3000, taken: "2019-07-03 10:00:00", look: 3 })
  for (const [photoId, bytes] of [["1", original1], ["2", two], ["3", three]] as const) {
    yield* files.record({
      photoId,
      role: "original",
      path: `originals/2019/07/${photoId}.jpg`,
      bytes: bytes.length,
      sha256: sha256(bytes),
      sourceUrl: `https://live.staticflickr.com/${photoId}_o.jpg`,
      forSecret: `o${photoId}`,
      notOriginalReason: null
    }, 1)
  }
})

const links = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ path: string; photo_id: string; method: string; agreed: string }>`SELECT path, photo_id, method, agreed FROM photo_links ORDER BY path`)

const relative = (dir: string) => (p: string) => path.relative(dir, p)

describe("link", () => {
  it.live("links a file only when exactly one photo fits, by bytes, date and pixel size, or title", () =>
    onAccount(account(), () =>
      withLibrary((dir) =>
        Effect.gen(function*() {
          yield* backUp
          yield* allDetails
          yield* recordDownloads
          const report = yield* link({ folders: [dir], json: true })
          const rel = relative(dir)
          expect((yield* links).map((l) => [rel(l.path), l.photo_id, l.method, l.agreed])).toEqual([
            ["burst/a.jpg", "4", "exif", "date taken, pixel size, sub-seconds"],
            ["burst/b.jpg", "5", "exif", "date taken, pixel size, sub-seconds"],
            ["copies/1.jpg", "1", "sha256", "the bytes of a downloaded file"],
            ["exports/three.JPG", "3", "exif", "date taken, pixel size (smaller, turned)"],
            ["exports/two.jpg", "2", "exif", "date taken, pixel size"],
            ["named/sunset at løkken.jpg", "6", "title", "title"]
          ])
          expect(report.lists.ambiguous.map((a) => [rel(a.path), a.candidates])).toEqual([
            ["burst/c.jpg", ["4", "5"]],
            ["named/DSC_0001.jpg", ["7", "8"]]
          ])
          expect(report.lists.only_on_disk.map(rel)).toEqual(["other/never uploaded.jpg", "other/other camera.jpg", "other/wrong size.jpg"])
          expect(report.lists.unreadable.map((u) => [rel(u.path), u.problem])).toEqual([["broken/text.jpg", "not an image or video (text/plain)"]])
          expect(report.lists.only_on_flickr.map((p) => p.id)).toEqual(["7", "8", "9"].sort())
          // Edited at full size; photo 3's smaller export is a copy, not an edit.
          expect(report.lists.differ_from_original.map((d) => [rel(d.path), d.photo_id])).toEqual([["exports/two.jpg", "2"]])
          expect(report).toMatchObject({
            files: 12,
            linked: 6,
            linked_by: { sha256: 1, exif: 4, title: 1 },
            ambiguous: 2,
            only_on_disk: 3,
            only_on_flickr: 3,
            unreadable: 1,
            differ_from_original: 1,
            this_run: { seen: 12, read: 12 }
          })
        }))))

  it.live("a second run reads nothing; moved, changed, gone and new files are followed; a new photo rematches the files", () =>
    onAccount(account(), (flickr) =>
      withLibrary((dir) =>
        Effect.gen(function*() {
          yield* backUp
          yield* allDetails
          yield* recordDownloads
          yield* link({ folders: [dir], json: true })
          const again = yield* link({ folders: [dir], json: true })
          expect(again.this_run).toEqual({ seen: 12, read: 0, bytesRead: 0 })

          // Renamed: the title no longer fits, but the same bytes keep their link.
          fs.renameSync(path.join(dir, "named/sunset at løkken.jpg"), path.join(dir, "named/renamed.jpg"))
          // Gone, and replaced by other bytes.
          fs.rmSync(path.join(dir, "copies/1.jpg"))
          writeFile(dir, "exports/two.jpg", cameraJpeg({ width: 1000, height: 1000, taken: "2019-07-02 10:00:00" }))
          const after = yield* link({ folders: [dir], json: true })
          expect(after.this_run).toMatchObject({ seen: 11, read: 2 })
          const rel = relative(dir)
          const byPath = new Map((yield* links).map((l) => [rel(l.path), l]))
          expect(byPath.get("named/renamed.jpg")).toMatchObject({ photo_id: "6", method: "title" })
          expect(byPath.get("named/renamed.jpg")!.agreed).toContain("moved from")
          expect(byPath.has("copies/1.jpg")).toBe(false)
          expect(byPath.has("exports/two.jpg")).toBe(false)
          // Gone: the deleted file and the renamed file's old name.
          expect(after).toMatchObject({ files: 11, gone: 2, linked: 4 })
          // 1 and 2 have their downloads: not only on Flickr.
          expect(after.lists.only_on_flickr.map((p) => p.id).sort()).toEqual(["7", "8", "9"])

          // A photo uploaded since, taken when the "never uploaded" file was: the next update brings it, link finds it.
          flickr.addPhotos([photoRow("10", { date_taken: "2001-01-01 01:01:01", width: 800, height: 600 })])
          yield* backUp
          const rematched = yield* link({ folders: [dir], json: true })
          expect(rematched.this_run.read).toBe(0)
          expect((yield* links).find((l) => l.photo_id === "10")).toMatchObject({ method: "exif" })

          // Photo 4 deleted on Flickr: its file, linked by date, is only on disk now. A burst twin of
          // photo 3 uploaded: its file is ambiguous. No file is read again; the moved file keeps its link.
          flickr.deletePhotos(["4"])
          flickr.addPhotos([photoRow("11", { date_taken: "2019-07-03 10:00:00", width: 4000, height: 3000 })])
          yield* backUp
          const changed = yield* link({ folders: [dir], json: true })
          expect(changed.this_run.read).toBe(0)
          expect(changed.lists.ambiguous.map((a) => [rel(a.path), a.candidates])).toContainEqual(["exports/three.JPG", ["11", "3"]])
          expect(changed.lists.only_on_disk.map(rel)).toContain("burst/a.jpg")
          expect((yield* links).find((l) => rel(l.path) === "named/renamed.jpg")).toMatchObject({ photo_id: "6", method: "title" })

          // A folder inside another one given is looked at once.
          const nested = yield* link({ folders: [path.join(dir, "burst"), dir], json: true })
          expect(nested.this_run).toMatchObject({ seen: 11, read: 0 })
        }))))

  it.live("a downloaded original's bytes link it unread; its metadata is read once no stored file has those bytes", () =>
    onAccount(account(), () =>
      withLibrary((dir) =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* backUp
          yield* allDetails
          yield* recordDownloads
          // Photo 9 uploaded twice: its download has photo 1's bytes, so the copy is ambiguous by its bytes.
          yield* sql`INSERT INTO files (photo_id, role, path, bytes, sha256, source_url, fetched_at, verified_at)
                     VALUES ('9', 'original', 'originals/2019/07/9.jpg', ${original1.length}, ${sha256(original1)}, 'u', 1, 1)`
          const first = yield* link({ folders: [dir], json: true })
          const facts = sql<{ path: string; taken: string | null; width: number | null; state: string }>`
            SELECT path, taken, width, state FROM disk_files ORDER BY path`
          const rel = relative(dir)
          const rowOf = (rows: ReadonlyArray<{ path: string }>, name: string) => rows.find((r) => rel(r.path) === name)
          expect(rowOf(yield* facts, "copies/1.jpg")).toMatchObject({ taken: null, width: null, state: "ambiguous" })
          expect(rowOf(yield* facts, "exports/two.jpg")).toMatchObject({ taken: "2019-07-02 10:00:00", width: 400 })
          expect(first.lists.ambiguous.map((a) => [rel(a.path), a.candidates])).toContainEqual(["copies/1.jpg", ["1", "9"]])

          // Both downloads forgotten (verify --repair): the copy is matched by its metadata, read now.
          yield* sql`DELETE FROM files WHERE photo_id IN ('1', '9')`
          const again = yield* link({ folders: [dir], json: true })
          expect(again.this_run.read).toBe(0)
          expect(rowOf(yield* facts, "copies/1.jpg")).toMatchObject({ taken: "2019-07-01 10:00:00", width: 400, state: "linked" })
          expect((yield* links).find((l) => rel(l.path) === "copies/1.jpg")).toMatchObject({
            photo_id: "1",
            method: "exif",
            agreed: "date taken, pixel size (smaller)"
          })
        }))))

  it.live("a folder that is not there or is a file: refused before anything is written", () =>
    onAccount(account(), () =>
      withLibrary((dir) =>
        Effect.gen(function*() {
          yield* backUp
          const missing = yield* Effect.flip(link({ folders: [dir, path.join(dir, "nope")], json: false }))
          expect(missing).toMatchObject({ _tag: "LinkFolderError", reason: "does not exist" })
          const file = yield* Effect.flip(link({ folders: [path.join(dir, "broken/text.jpg")], json: false }))
          expect(file).toMatchObject({ _tag: "LinkFolderError", reason: "is not a folder" })
          const sql = yield* SqlClient.SqlClient
          expect(yield* sql`SELECT count(*) AS n FROM disk_files`).toEqual([{ n: 0 }])
          expect(yield* sql`SELECT count(*) AS n FROM link_state`).toEqual([{ n: 0 }])
        }))))
})

// FileRepository on a real SQLite file: the queue of photos wanted, files and problems recorded,
// replaced originals, files forgotten, the summary, keyset pages of files, a spread sample, the store's place.
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Database from "../../../src/services/database/Database.js"
import { type FetchedFile, FileRepository } from "../../../src/services/database/FileRepository.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import type { PhotoRow } from "../../../src/schema/Photo.js"
import { configFor, tempDir, testBase } from "../../support/Fixtures.js"
import { photoRow } from "../../support/TestFlickrApi.js"

/** Runs `body` against a fresh database with the file and photo repositories. */
const withFiles = <A, E>(body: Effect.Effect<A, E, FileRepository | PhotoRepository | SyncRunRepository | SqlClient.SqlClient>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const home = yield* tempDir
      const layer = Layer.mergeAll(FileRepository.Default, PhotoRepository.Default, SyncRunRepository.Default).pipe(
        Layer.provideMerge(Database.layer({ create: true })),
        Layer.provide(testBase(configFor(home)))
      )
      return yield* body.pipe(Effect.provide(layer))
    })
  )

/** The photos stored as a backup stores them. */
const stored = (rows: ReadonlyArray<PhotoRow>, now = 1_000) =>
  Effect.gen(function*() {
    const run = yield* (yield* SyncRunRepository).start("backup", now)
    yield* (yield* PhotoRepository).upsertBatch(rows, run, now)
  })

const fetched = (photo: PhotoRow, fields: Partial<FetchedFile> = {}): FetchedFile => ({
  photoId: photo.id,
  role: "original",
  path: `originals/undated/${photo.id}.jpg`,
  bytes: 1_000 + Number(photo.id),
  sha256: `sha-${photo.id}`,
  sourceUrl: `https://live.staticflickr.com/${photo.id}_o.jpg`,
  forSecret: photo.original_secret,
  notOriginalReason: null,
  ...fields
})

const wantedIds = (only: "all" | "photos" | "videos", after: string | null = null) =>
  Effect.map(Effect.flatMap(FileRepository, (files) => files.wanted(only, after, 100)), (rows) => rows.map((r) => r.id))

describe("FileRepository", () => {
  it.effect("the queue: live photos without a file for their original, by id after a key; a file or a problem takes one off it", () =>
    withFiles(
      Effect.gen(function*() {
        const files = yield* FileRepository
        const photos = ["1", "2", "3"].map((id) => photoRow(id))
        const video = photoRow("4", { media: "video" })
        yield* stored([...photos, video])
        expect(yield* wantedIds("all")).toEqual(["1", "2", "3", "4"])
        expect(yield* wantedIds("all", "2")).toEqual(["3", "4"])
        expect(yield* wantedIds("videos")).toEqual(["4"])
        expect(yield* files.countWanted("photos")).toBe(3)

        yield* files.record(fetched(photos[0]!), 2_000)
        yield* files.recordProblem("2", "o2", "HTTP 404", "https://example.com/2", 2_000)
        expect(yield* wantedIds("all")).toEqual(["3", "4"])
        expect(yield* files.countWanted("all")).toBe(2)
        expect(yield* files.countProblems).toBe(1)
        // A problem is not asked again until the original changes; a file fetched later clears it.
        yield* files.record(fetched(photos[1]!), 3_000)
        expect(yield* files.countProblems).toBe(0)
        expect(yield* files.countWithoutFile(["1", "2", "3"])).toBe(1)
      })
    ))

  it.effect("a photo whose original changed is wanted again with its current file; marked replaced, that file is no longer current", () =>
    withFiles(
      Effect.gen(function*() {
        const files = yield* FileRepository
        const photo = photoRow("1")
        yield* stored([photo])
        yield* files.record(fetched(photo), 2_000)
        expect(yield* wantedIds("all")).toEqual([])
        yield* stored([photoRow("1", { original_secret: "o1-new", last_update: (photo.last_update ?? 0) + 10 })], 3_000)
        const [again] = yield* files.wanted("all", null, 10)
        const [current] = yield* files.filesAfter(0, 10)
        expect(again).toMatchObject({ id: "1", current_id: current!.id, current_path: "originals/undated/1.jpg", current_fetched_at: 2_000 })

        yield* files.markReplaced(current!.id, "originals/undated/1.replaced.jpg")
        expect(yield* files.filesAfter(0, 10)).toEqual([{ ...current, role: "replaced", path: "originals/undated/1.replaced.jpg" }])
        expect(yield* files.summary).toEqual({ files: 0, bytes: 1_001, not_original: 0, replaced: 1, posters: 0 })
        expect((yield* files.wanted("all", null, 10))[0]).toMatchObject({ id: "1", current_id: null })
      })
    ))

  it.effect("summary, forget, keyset pages of files, and a sample spread over the table", () =>
    withFiles(
      Effect.gen(function*() {
        const files = yield* FileRepository
        const photos = Array.from({ length: 30 }, (_, i) => photoRow(String(i + 1)))
        yield* stored(photos)
        for (const photo of photos) {
          yield* files.record(fetched(photo, photo.id === "7" ? { role: "largest available", notOriginalReason: "no url_o" } : {}), 2_000)
        }
        const bytes = photos.reduce((sum, p) => sum + 1_000 + Number(p.id), 0)
        expect(yield* files.summary).toEqual({ files: 30, bytes, not_original: 1, replaced: 0, posters: 0 })

        const first = yield* files.filesAfter(0, 12)
        const rest = yield* files.filesAfter(first.at(-1)!.id, 100)
        expect([...first, ...rest].map((f) => f.photo_id)).toEqual(photos.map((p) => p.id))

        const sample = yield* files.sampleFiles(20)
        expect(sample).toHaveLength(20)
        expect(new Set(sample.map((f) => f.path)).size).toBe(20)
        // Spread: the first and the last file are in it, not the first 20.
        expect(sample[0]).toEqual({ path: "originals/undated/1.jpg", bytes: 1_001 })
        expect(sample.at(-1)).toEqual({ path: "originals/undated/30.jpg", bytes: 1_030 })
        expect(yield* files.sampleFiles(50)).toHaveLength(30)

        yield* files.forget(first.map((f) => f.id))
        expect(yield* files.summary).toMatchObject({ files: 18 })
        expect(yield* wantedIds("all")).toEqual(first.map((f) => f.photo_id).sort())
      })
    ))

  it.effect("forgetting a file the export brought forgets its import too, so the next import-export lands it again", () =>
    withFiles(
      Effect.gen(function*() {
        const files = yield* FileRepository
        const sql = yield* SqlClient.SqlClient
        const photo = photoRow("7")
        yield* stored([photo])
        yield* files.record(fetched(photo), 1_000)
        const [file] = yield* files.filesAfter(0, 10)
        yield* sql`INSERT INTO export_files (photo_id, entry, bytes, crc32, sha256, path, file_id, imported_at)
                   VALUES ('7', 'x_7_o.jpg', ${file!.bytes}, 1, ${file!.sha256}, ${file!.path}, ${file!.id}, 1000)`
        yield* files.forget([file!.id])
        expect(yield* files.filesAfter(0, 10)).toEqual([])
        expect(yield* sql`SELECT count(*) AS n FROM export_files`).toEqual([{ n: 0 }])
      })
    ))

  it.effect("the store's place: none until set, then remembered; moved, only the place changes; links symlink until chosen", () =>
    withFiles(
      Effect.gen(function*() {
        const files = yield* FileRepository
        expect(yield* files.destination).toEqual(Option.none())
        expect(yield* files.sampleFiles(20)).toEqual([])
        yield* files.setDestination("/disk/files", 1_000)
        expect(yield* files.links).toBe("symlink")
        yield* files.setLinks("copy")
        yield* files.moveDestination("/other/files")
        expect(yield* files.destination).toEqual(Option.some("/other/files"))
        expect(yield* files.links).toBe("copy")
      })
    ))
})

import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import type { MediaFacts } from "../../../src/schema/Link.js"
import { DiskFileRepository, type ReadFile } from "../../../src/services/database/DiskFileRepository.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { configFor, repositoriesLayer, tempDir } from "../../support/Fixtures.js"
import { photoRow } from "../../support/TestFlickrApi.js"

/** The repository over a fresh SQLite file in a temporary home, with photos 1-3 stored. */
const withDisk = <A, E>(body: Effect.Effect<A, E, DiskFileRepository | SqlClient.SqlClient>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const home = yield* tempDir
      const layer = DiskFileRepository.Default.pipe(Layer.provideMerge(repositoriesLayer(configFor(home))))
      return yield* Effect.gen(function*() {
        const run = yield* (yield* SyncRunRepository).start("backup", 1)
        yield* (yield* PhotoRepository).upsertBatch([photoRow("1"), photoRow("2"), photoRow("3")], run, 1)
        return yield* body
      }).pipe(Effect.provide(layer))
    })
  )

const facts = (taken: string | null, width: number | null): MediaFacts => ({
  taken,
  takenFrom: taken === null ? null : "exif",
  subsec: null,
  make: null,
  model: null,
  width,
  height: width === null ? null : 100,
  orientation: null,
  latitude: null,
  longitude: null
})

const file = (path: string, fields: Partial<ReadFile> = {}): ReadFile => ({
  path,
  size: 10,
  mtimeMs: 1_000,
  sha256: `sha-${path}`,
  facts: facts("2020-01-01 00:00:00", 200),
  problem: null,
  ...fields
})

const states = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT path, state, gone_at IS NOT NULL AS gone FROM disk_files ORDER BY path`)

describe("DiskFileRepository", () => {
  it.effect("numbers runs, tells known files by size and time, and marks what a run under a folder did not see as gone", () =>
    withDisk(Effect.gen(function*() {
      const disk = yield* DiskFileRepository
      expect(yield* disk.beginRun).toBe(1)
      yield* disk.saveRead([file("/p/a.jpg"), file("/p/sub/b.jpg"), file("/p/locked/c.jpg"), file("/p2/d.jpg")], 1, 100)
      expect(yield* disk.known(["/p/a.jpg", "/nowhere.jpg"])).toEqual([{ path: "/p/a.jpg", size: 10, mtime_ms: 1_000, gone_at: null }])

      const run = yield* disk.beginRun
      expect(run).toBe(2)
      yield* disk.markSeen(["/p/a.jpg"], run)
      // Not seen: sub/b.jpg is gone; locked/ could not be read; /p2 is not under /p.
      yield* disk.markGone("/p", ["/p/locked"], run, 200)
      expect(yield* states).toEqual([
        { path: "/p/a.jpg", state: "unmatched", gone: 0 },
        { path: "/p/locked/c.jpg", state: "unmatched", gone: 0 },
        { path: "/p/sub/b.jpg", state: "unmatched", gone: 1 },
        { path: "/p2/d.jpg", state: "unmatched", gone: 0 }
      ])
      // Seen again: present once more.
      yield* disk.markSeen(["/p/sub/b.jpg"], yield* disk.beginRun)
      expect((yield* disk.known(["/p/sub/b.jpg"]))[0]!.gone_at).toBeNull()
    })))

  it.effect("pages the files to match by path after a key; all of them but those linked by bytes when the Flickr side changed", () =>
    withDisk(Effect.gen(function*() {
      const disk = yield* DiskFileRepository
      const run = yield* disk.beginRun
      yield* disk.saveRead(["/a", "/b", "/c", "/d", "/e"].map((p) => file(p)), run, 100)
      yield* disk.saveRead([file("/broken", { sha256: null, facts: null, problem: "cannot be read" })], run, 100)
      const paths = (rows: ReadonlyArray<{ readonly path: string }>) => rows.map((r) => r.path)
      expect(paths(yield* disk.pending(false, "", 2))).toEqual(["/a", "/b"])
      expect(paths(yield* disk.pending(false, "/b", 2))).toEqual(["/c", "/d"])
      expect(paths(yield* disk.pending(false, "/e", 2))).toEqual([])

      yield* disk.saveMatches([
        { path: "/a", result: { kind: "linked", photoId: "1", method: "sha256", agreed: "the bytes" } },
        { path: "/b", result: { kind: "linked", photoId: "2", method: "exif", agreed: "date taken" } },
        { path: "/c", result: { kind: "ambiguous", candidates: ["1", "3"], method: "exif" } },
        { path: "/d", result: { kind: "none" } }
      ], 200)
      expect(paths(yield* disk.pending(false, "", 10))).toEqual(["/e"])
      expect(paths(yield* disk.pending(true, "", 10))).toEqual(["/b", "/c", "/d", "/e"])
      expect((yield* disk.pending(true, "", 1))[0]).toMatchObject({ path: "/b", linked_to: "2", linked_by: "exif", taken: "2020-01-01 00:00:00" })

      expect(yield* disk.counts).toEqual({ files: 6, linked: 2, ambiguous: 1, only_on_disk: 1, unreadable: 1, gone: 0 })
      expect(yield* disk.linksByMethod).toEqual(expect.arrayContaining([{ method: "sha256", n: 1 }, { method: "exif", n: 1 }]))
      expect(yield* disk.filesIn("ambiguous", 10)).toEqual([{ path: "/c", detail: "[\"1\",\"3\"]" }])
      expect(yield* disk.filesIn("unreadable", 10)).toEqual([{ path: "/broken", detail: "cannot be read" }])
      // Photo 3 has neither a download nor a linked file.
      expect(yield* disk.countOnlyOnFlickr).toBe(1)
    })))

  it.effect("knows the current downloads' hashes (not replaced ones), and saves metadata read late or why it could not be", () =>
    withDisk(Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const disk = yield* DiskFileRepository
      yield* sql`INSERT INTO files (photo_id, role, path, bytes, sha256, source_url, fetched_at, verified_at) VALUES
                 ('1', 'original', 'o/1.jpg', 1, 'current', 'u', 1, 1), ('1', 'replaced', 'o/1.old.jpg', 1, 'earlier', 'u', 1, 1),
                 ('2', 'video original', 'o/2.mp4', 1, 'video', 'u', 1, 1)`
      expect([...(yield* disk.originalHashes)].sort()).toEqual(["current", "video"])

      const run = yield* disk.beginRun
      yield* disk.saveRead([file("/copy.jpg", { facts: null }), file("/gone-bad.jpg", { facts: null })], run, 100)
      yield* disk.saveFacts([
        { path: "/copy.jpg", reading: { facts: facts("2019-07-01 10:00:00", 400) } },
        { path: "/gone-bad.jpg", reading: { problem: "not an image or video" } }
      ])
      expect(yield* sql`SELECT path, taken, width, height, state, problem FROM disk_files ORDER BY path`).toEqual([
        { path: "/copy.jpg", taken: "2019-07-01 10:00:00", width: 400, height: 100, state: "unmatched", problem: null },
        { path: "/gone-bad.jpg", taken: null, width: null, height: null, state: "unreadable", problem: "not an image or video" }
      ])
      yield* disk.setMatchedAgainst(yield* disk.flickrFingerprint)
      expect(yield* disk.matchedAgainst).toEqual(Option.some(yield* disk.flickrFingerprint))
    })))
})

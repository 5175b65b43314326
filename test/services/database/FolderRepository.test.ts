// What the folders are made from, read back from a real database: live albums, their members with
// files in order (numbered among all live members), photos in no live album, the collection tree,
// a photo's current file.
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { FolderRepository } from "../../../src/services/database/FolderRepository.js"
import { deleteAlbum, putAlbum, putCollection, putFile, putPhoto, withFolderStore } from "../../support/FolderRows.js"

const file = (id: string) => `originals/2020/01/${id}.jpg`

/** Photos 1-10 with files, except 4 (no file yet) and 5 (deleted, its file kept). */
const photos = Effect.gen(function*() {
  for (let n = 1; n <= 10; n++) {
    const id = String(n)
    yield* putPhoto(id, { dateTaken: n % 3 === 0 ? null : `2020-01-${String(20 - n).padStart(2, "0")} 10:00:00`, deleted: n === 5 })
    if (n !== 4) yield* putFile(id, file(id))
  }
})

describe("FolderRepository", () => {
  it.effect("live albums by id, titles as stored", () =>
    withFolderStore(() =>
      Effect.gen(function*() {
        yield* photos
        yield* putAlbum("a2", "Cats &amp; dogs", ["1"])
        yield* putAlbum("a1", null, [])
        yield* putAlbum("a3", "Gone", ["2"], { deleted: true })
        expect(yield* (yield* FolderRepository).albums).toEqual([
          { id: "a1", title: null },
          { id: "a2", title: "Cats &amp; dogs" }
        ])
      })
    ))

  it.effect("an album's members with a file, in order, numbered among its live members; removed, deleted and replaced files left out", () =>
    withFolderStore(() =>
      Effect.gen(function*() {
        yield* photos
        yield* putAlbum("a1", "Old order", ["1", "2", "3"])
        // Now: 7 first, 4 has no file (its place counts), 5 is deleted (its place does not), 2 removed.
        yield* putAlbum("a1", "Holidays", ["7", "4", "5", "3", "1"])
        yield* putFile("3", "originals/2020/01/3-new.jpg")
        expect(yield* (yield* FolderRepository).members("a1")).toEqual([
          { photo_id: "7", position: 1, path: file("7") },
          { photo_id: "3", position: 3, path: "originals/2020/01/3-new.jpg" },
          { photo_id: "1", position: 4, path: file("1") }
        ])
        expect(yield* (yield* FolderRepository).members("nope")).toEqual([])
      })
    ))

  it.effect("photos in no live album: with their date taken (none when Flickr does not know it), by id; deleted albums and removed members do not count", () =>
    withFolderStore(() =>
      Effect.gen(function*() {
        yield* photos
        yield* putAlbum("a1", "Live", ["1", "2"])
        yield* putAlbum("a2", "Deleted later", ["7", "8"])
        yield* deleteAlbum("a2")
        yield* putAlbum("a3", "Was in it", ["10"])
        yield* putAlbum("a3", "Was in it", [])
        // Flickr fills in a date it does not know (the upload date) and says so.
        yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`UPDATE photos SET date_taken_unknown = 1 WHERE id = '8'`)
        const rows = yield* (yield* FolderRepository).inNoAlbum
        // 4 has no file, 5 is deleted.
        expect(rows.map((r) => [r.photo_id, r.date_taken])).toEqual([
          ["3", null],
          ["6", null],
          ["7", "2020-01-13 10:00:00"],
          ["8", null],
          ["9", null],
          ["10", "2020-01-10 10:00:00"]
        ])
        expect(rows[0]!.path).toBe(file("3"))
      })
    ))

  it.effect("a photo's current file, deleted photos too; none without one", () =>
    withFolderStore(() =>
      Effect.gen(function*() {
        yield* photos
        yield* putFile("3", "originals/2020/01/3-new.jpg")
        const repository = yield* FolderRepository
        expect(yield* repository.currentFile("3")).toEqual(Option.some("originals/2020/01/3-new.jpg"))
        expect(yield* repository.currentFile("5")).toEqual(Option.some(file("5")))
        expect(yield* repository.currentFile("4")).toEqual(Option.none())
      })
    ))

  it.effect("the collection tree: live collections by parent and position, live albums placed in them in order", () =>
    withFolderStore(() =>
      Effect.gen(function*() {
        yield* photos
        yield* putAlbum("a1", "One", ["1"])
        yield* putAlbum("a2", "Two", ["2"])
        yield* putAlbum("a3", "Three", ["3"], { deleted: true })
        yield* putCollection("c1", { title: "Top", position: 1, albums: [] })
        yield* putCollection("c0", { title: "First", position: 0, albums: ["a2", "a1"] })
        yield* putCollection("c2", { title: "Child", parent: "c1", position: 0, albums: ["a1", "a3"] })
        yield* putCollection("c3", { title: "Old", albums: ["a2"], deleted: true })
        yield* putCollection("c4", { title: "Moved out", albums: ["a1", "a2"] })
        yield* putCollection("c4", { title: "Moved out", position: 2, albums: ["a2"] })
        const tree = yield* (yield* FolderRepository).collectionTree
        expect(tree.collections).toEqual([
          { id: "c0", parent_id: null, position: 0, title: "First" },
          { id: "c1", parent_id: null, position: 1, title: "Top" },
          { id: "c4", parent_id: null, position: 2, title: "Moved out" },
          { id: "c2", parent_id: "c1", position: 0, title: "Child" }
        ])
        expect(tree.placements.map((p) => `${p.collection_id}/${p.album_id}`)).toEqual(["c0/a2", "c0/a1", "c2/a1", "c4/a2"])
      })
    ))
})

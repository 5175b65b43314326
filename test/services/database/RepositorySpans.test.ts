// The file-store repositories (folders, files, files on disk) run each method in a span named
// after it, as the others do; checked here, beside their own tests, with a recording tracer.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { photoRowFromItem } from "../../../src/schema/Photo.js"
import { DiskFileRepository } from "../../../src/services/database/DiskFileRepository.js"
import { FileRepository } from "../../../src/services/database/FileRepository.js"
import { FolderRepository } from "../../../src/services/database/FolderRepository.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

/** Photo "1", stored by a backup run, for the rows that refer to a photo. */
const withPhoto = Effect.gen(function*() {
  const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
  yield* (yield* PhotoRepository).upsertBatch([photoRowFromItem({ id: "1", lastupdate: "1", tags: "" })!], run, 1_000)
})

describe("file-store repository spans", () => {
  it.effect("FolderRepository", () =>
    withDatabase(
      Effect.gen(function*() {
        const folders = yield* FolderRepository
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* folders.albums
          yield* folders.members("a")
          yield* folders.inNoAlbum
          yield* folders.currentFile("1")
          yield* folders.collectionTree
        }))
        expect(spanNamesOf("FolderRepository", folders).filter((name) => !names.has(name))).toEqual([])
      }).pipe(Effect.provide(FolderRepository.Default))
    ))

  it.effect("FileRepository", () =>
    withDatabase(
      Effect.gen(function*() {
        yield* withPhoto
        const files = yield* FileRepository
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* files.setDestination("/store", 1_000)
          yield* files.destination
          yield* files.moveDestination("/moved")
          yield* files.setLinks("copy")
          yield* files.links
          yield* files.wanted("photos", null, 10)
          yield* files.wantedPosters(null, 10)
          yield* files.countWantedPosters
          yield* files.countWanted("all")
          yield* files.recordProblem("1", "s", "gone", null, 1_000)
          yield* files.countProblems
          yield* files.clearProblems
          yield* files.record({
            photoId: "1", role: "original", path: "a.jpg", bytes: 1, sha256: "x", sourceUrl: "u", forSecret: "s", notOriginalReason: null
          }, 1_000)
          const [file] = yield* files.filesAfter(0, 10)
          yield* files.markVerified([file!.id], 2_000)
          yield* files.markReplaced(file!.id, "b.jpg")
          yield* files.countWithoutFile(["1"])
          yield* files.summary
          yield* files.countLiveFiles
          yield* files.sampleFiles(5)
          yield* files.transaction(files.forget([file!.id]))
        }))
        expect(spanNamesOf("FileRepository", files).filter((name) => !names.has(name))).toEqual([])
      }).pipe(Effect.provide(FileRepository.Default))
    ))

  it.effect("DiskFileRepository", () =>
    withDatabase(
      Effect.gen(function*() {
        yield* withPhoto
        const disk = yield* DiskFileRepository
        const read = { path: "/pics/a.jpg", size: 1, mtimeMs: 1, sha256: "x", facts: null, problem: null }
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          const run = yield* disk.beginRun
          yield* disk.saveRead([read], run, 1_000)
          yield* disk.known([read.path])
          yield* disk.markSeen([read.path], run)
          yield* disk.pending(true, "", 10)
          yield* disk.flickrPhotos
          yield* disk.fileHashes
          yield* disk.originalHashes
          yield* disk.saveFacts([{ path: read.path, reading: { problem: "unreadable" } }])
          yield* disk.saveMatches([{ path: read.path, result: { kind: "linked", photoId: "1", method: "sha256", agreed: "bytes" } }], 1_000)
          yield* disk.setMatchedAgainst(yield* disk.flickrFingerprint)
          yield* disk.matchedAgainst
          yield* disk.counts
          yield* disk.linksByMethod
          yield* disk.countOnlyOnFlickr
          yield* disk.onlyOnFlickr(10)
          yield* disk.filesIn("ambiguous", 10)
          yield* disk.ambiguousFiles(10)
          yield* disk.countDiffering
          yield* disk.differing(10)
          yield* disk.markGone("/pics", [], run + 1, 2_000)
          yield* disk.goneLinks
          yield* disk.dropGoneLinks
        }))
        expect(spanNamesOf("DiskFileRepository", disk).filter((name) => !names.has(name))).toEqual([])
      }).pipe(Effect.provide(DiskFileRepository.Default))
    ))
})

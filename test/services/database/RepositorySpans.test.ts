// The file-store repositories (folders, files, files on disk) run each method in a span named
// after it, as the others do; checked here, beside their own tests, with a recording tracer.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { FolderRepository } from "../../../src/services/database/FolderRepository.js"
import { withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

describe("file-store repository spans", () => {
  it.effect("FolderRepository", () =>
    withDatabase(
      Effect.gen(function*() {
        const folders = yield* FolderRepository
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* folders.albums
          yield* folders.members("a")
          yield* folders.inNoAlbum
          yield* folders.collectionTree
        }))
        expect(spanNamesOf("FolderRepository", folders).filter((name) => !names.has(name))).toEqual([])
      }).pipe(Effect.provide(FolderRepository.Default))
    ))
})

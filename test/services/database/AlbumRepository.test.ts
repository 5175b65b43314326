import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { AlbumRow, CollectionTree } from "../../../src/schema/Album.js"
import { AlbumRepository } from "../../../src/services/database/AlbumRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

const album = (id: string, updatedAt: number, title = `album ${id}`): AlbumRow => ({
  id, title, description: null, primary_photo_id: null, photos: 0, videos: 0, count_views: 0, count_comments: 0,
  created_at: 1, updated_at: updatedAt, raw: JSON.stringify({ id, title, date_update: updatedAt })
})
const member = (photoId: string) => ({ photo_id: photoId, is_primary: 0 })
const collection = (id: string, parentId: string | null, position: number): CollectionTree["collections"][number] => ({
  id, parent_id: parentId, position, title: id, description: null, icon_large: null, icon_small: null, raw: JSON.stringify({ id })
})

/** Runs `body` with the album repository over a fresh database. */
const withAlbums = <A, E>(body: Effect.Effect<A, E, AlbumRepository | SyncRunRepository | SqlClient.SqlClient>) =>
  withDatabase(body.pipe(Effect.provide(AlbumRepository.Default)))

describe("AlbumRepository", () => {
  it.effect("counts a page's new and changed albums, marks the unseen deleted, and brings one back changed", () =>
    withAlbums(
      Effect.gen(function*() {
        const albums = yield* AlbumRepository
        const runs = yield* SyncRunRepository
        const first = yield* runs.start("backup", 1_000)
        expect(yield* albums.upsertAlbumPage([album("a", 10), album("b", 10), album("a", 10)], first, 1_000)).toEqual({ added: 2, changed: 0 })
        const second = yield* runs.start("update", 2_000)
        expect(yield* albums.upsertAlbumPage([album("a", 11)], second, 2_000)).toEqual({ added: 0, changed: 1 })
        expect(yield* albums.countAlbumsSeenIn(second)).toBe(1)
        expect(yield* albums.markUnseenAlbumsDeleted(second, 2_000)).toBe(1)
        expect(yield* albums.countAlbums).toBe(1)
        // A relisting within the same run starts from nothing seen.
        yield* albums.forgetSeenAlbums(second)
        expect(yield* albums.countAlbumsSeenIn(second)).toBe(0)
        expect(yield* albums.upsertAlbumPage([album("b", 10)], second, 2_100)).toEqual({ added: 0, changed: 1 })
        expect(yield* albums.countAlbums).toBe(2)
      })
    ))

  it.effect("replaces an album's members in order, marks those gone removed, and takes it off the stale list", () =>
    withAlbums(
      Effect.gen(function*() {
        const albums = yield* AlbumRepository
        const sql = yield* SqlClient.SqlClient
        const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
        yield* albums.upsertAlbumPage([album("a", 10), album("b", 20)], run, 1_000)
        expect(yield* albums.staleAlbums).toEqual([{ id: "a", updated_at: 10 }, { id: "b", updated_at: 20 }])

        expect(yield* albums.replaceMembers({ id: "a", updated_at: 10 }, [member("3"), member("1"), member("3"), member("2")], 1_000))
          .toEqual({ placed: 3, removed: 0 })
        expect(yield* albums.replaceMembers({ id: "a", updated_at: 10 }, [member("2"), member("4")], 1_100))
          .toEqual({ placed: 2, removed: 2 })
        expect(yield* sql`SELECT photo_id, position, removed_at FROM album_photos WHERE album_id = 'a' ORDER BY photo_id`).toEqual([
          { photo_id: "1", position: 1, removed_at: 1_100 },
          { photo_id: "2", position: 0, removed_at: null },
          { photo_id: "3", position: 0, removed_at: 1_100 },
          { photo_id: "4", position: 1, removed_at: null }
        ])
        expect(yield* albums.staleAlbums).toEqual([{ id: "b", updated_at: 20 }])
      })
    ))

  it.effect("replaces the collection tree: collections and placements not in it are deleted and removed", () =>
    withAlbums(
      Effect.gen(function*() {
        const albums = yield* AlbumRepository
        const sql = yield* SqlClient.SqlClient
        const runs = yield* SyncRunRepository
        const first = yield* runs.start("backup", 1_000)
        const tree = {
          collections: [collection("c1", null, 0), collection("c2", "c1", 0)],
          albums: [{ collection_id: "c1", album_id: "a", position: 0 }, { collection_id: "c2", album_id: "b", position: 0 }]
        }
        expect(yield* albums.replaceCollections(tree, first, 1_000)).toEqual({ collections: 2, deleted: 0 })
        expect(yield* albums.countCollections).toBe(2)

        const second = yield* runs.start("update", 2_000)
        const smaller = { collections: [collection("c1", null, 0)], albums: [{ collection_id: "c1", album_id: "b", position: 0 }] }
        expect(yield* albums.replaceCollections(smaller, second, 2_000)).toEqual({ collections: 1, deleted: 1 })
        expect(yield* albums.countCollections).toBe(1)
        expect(yield* sql`SELECT collection_id, album_id, removed_at FROM collection_albums ORDER BY collection_id, album_id`).toEqual([
          { collection_id: "c1", album_id: "a", removed_at: 2_000 },
          { collection_id: "c1", album_id: "b", removed_at: null },
          { collection_id: "c2", album_id: "b", removed_at: 2_000 }
        ])
      })
    ))

  it.effect("places albums in the order given, a later page going on from its start, and leaves others unplaced", () =>
    withAlbums(
      Effect.gen(function*() {
        const albums = yield* AlbumRepository
        const sql = yield* SqlClient.SqlClient
        const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
        yield* albums.upsertAlbumPage([album("a", 10), album("b", 10), album("c", 10), album("d", 10)], run, 1_000)
        yield* albums.placeAlbums(["c", "a"], 0)
        yield* albums.placeAlbums(["b", "nowhere"], 2)
        yield* albums.placeAlbums([], 4)
        expect(yield* sql`SELECT id, position FROM albums ORDER BY id`).toEqual([
          { id: "a", position: 1 }, { id: "b", position: 2 }, { id: "c", position: 0 }, { id: "d", position: null }
        ])
      })
    ))

  it.effect("runs each of its methods in a span named after it", () =>
    withAlbums(
      Effect.gen(function*() {
        const albums = yield* AlbumRepository
        const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* albums.forgetSeenAlbums(run)
          yield* albums.upsertAlbumPage([album("a", 10)], run, 1_000)
          yield* albums.countAlbumsSeenIn(run)
          yield* albums.markUnseenAlbumsDeleted(run, 1_000)
          yield* albums.placeAlbums(["a"], 0)
          yield* albums.staleAlbums
          yield* albums.replaceMembers({ id: "a", updated_at: 10 }, [member("1")], 1_000)
          yield* albums.replaceCollections({ collections: [], albums: [] }, run, 1_000)
          yield* albums.countAlbums
          yield* albums.countCollections
        }))
        expect(spanNamesOf("AlbumRepository", albums).filter((name) => !names.has(name))).toEqual([])
      })
    ))
})

// Album and collection sync over a scripted account and a real database: members read only for
// albums that are new or changed, every change stored, and an album that vanishes mid-sync left
// for the next one. Pages of 2 albums and 3 members, so paging is exercised too.
import { SqlClient, SqlSchema } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { syncAlbums } from "../../../src/programs/sync/AlbumSync.js"
import { beginRun } from "../../../src/programs/sync/SyncRun.js"
import { onAccount, sortedIds, storedAlbums, storedCollections, syncedParts } from "../../support/ProgramLayer.js"
import { photoRows, TestAccount } from "../../support/TestFlickrApi.js"

/** An account of 12 photos with albums a1 (4 members, two pages), a2 (1) and a3 (5, two pages). */
const accountWithAlbums = () => {
  const account = new TestAccount(photoRows(12), { albums: 2, members: 3 })
  account.putAlbum("a1", { title: "Holidays", members: ["3", "1", "2", "5"] })
  account.putAlbum("a2", { title: "Cats", members: ["7"] })
  account.putAlbum("a3", { title: "Walks", members: ["8", "9", "10", "11", "12"] })
  return account
}

/** One album sync in a run of its own, as a backup runs it after the photostream. */
const albumSync = Effect.gen(function*() {
  const run = yield* beginRun("backup")
  const counts = yield* syncAlbums(run)
  yield* run.finish("succeeded", null)
  return { counts, runId: run.id }
})

const Member = Schema.Struct({ photo_id: Schema.String })
const Placement = Schema.Struct({ collection_id: Schema.String, album_id: Schema.String })
const Collection = Schema.Struct({ id: Schema.String, parent_id: Schema.NullOr(Schema.String), title: Schema.NullOr(Schema.String) })

/** The album's current members, in its order. */
const members = (albumId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    SqlSchema.findAll({
      Request: Schema.String,
      Result: Member,
      execute: (id) => sql`SELECT photo_id FROM album_photos WHERE album_id = ${id} AND removed_at IS NULL ORDER BY position`
    })(albumId)).pipe(Effect.map((rows) => rows.map((r) => r.photo_id)))

const albumTitle = (albumId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    SqlSchema.single({
      Request: Schema.String,
      Result: Schema.Struct({ title: Schema.NullOr(Schema.String) }),
      execute: (id) => sql`SELECT title FROM albums WHERE id = ${id}`
    })(albumId)).pipe(Effect.map((row) => row.title))

/** The albums in their stored places (Flickr's order). */
const albumOrder = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  SqlSchema.findAll({
    Request: Schema.Void,
    Result: Schema.Struct({ id: Schema.String, position: Schema.NullOr(Schema.Number) }),
    execute: () => sql`SELECT id, position FROM albums ORDER BY position`
  })(undefined))

/** The collections stored as live, and the albums placed in them, in order. */
const collections = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const live = yield* SqlSchema.findAll({
    Request: Schema.Void,
    Result: Collection,
    execute: () => sql`SELECT id, parent_id, title FROM collections WHERE deleted_at IS NULL ORDER BY id`
  })(undefined)
  const placed = yield* SqlSchema.findAll({
    Request: Schema.Void,
    Result: Placement,
    execute: () => sql`SELECT collection_id, album_id FROM collection_albums WHERE removed_at IS NULL ORDER BY collection_id, position`
  })(undefined)
  return { live, placed: placed.map((p) => `${p.collection_id}/${p.album_id}`) }
})

/** The albums whose members were asked for, each once per page. */
const membersAskedFor = (account: TestAccount) => account.requests("albumMembers").map(([id, page]) => `${id}:${page}`)

describe("syncAlbums", () => {
  it.effect("new albums: every page of the listing stored, and each album's members read across their pages, in order", () =>
    onAccount(accountWithAlbums(), (account) =>
      Effect.gen(function*() {
        const { counts } = yield* albumSync
        expect(counts).toMatchObject({ albums: 3, added: 3, changed: 0, deleted: 0, membersRead: 3 })
        expect(yield* storedAlbums).toEqual({ live: ["a1", "a2", "a3"], deleted: [] })
        expect(yield* members("a1")).toEqual(["3", "1", "2", "5"])
        expect(yield* members("a2")).toEqual(["7"])
        expect(yield* members("a3")).toEqual(["8", "9", "10", "11", "12"])
        expect(sortedIds(membersAskedFor(account))).toEqual(["a1:1", "a1:2", "a2:1", "a3:1", "a3:2"])
        expect(Object.keys(yield* syncedParts)).toEqual(["albums", "collections"])
        // Places in the listing's order, the second page of two going on from the first.
        expect(yield* albumOrder).toEqual([{ id: "a1", position: 0 }, { id: "a2", position: 1 }, { id: "a3", position: 2 }])
      })))

  it.effect("unchanged albums cost no member call; a changed one costs its own pages only", () =>
    onAccount(accountWithAlbums(), (account) =>
      Effect.gen(function*() {
        yield* albumSync
        account.clearLog()
        const { counts } = yield* albumSync
        expect(counts).toMatchObject({ albums: 3, added: 0, changed: 0, membersRead: 0 })
        // Two pages of albums and the collection tree: nothing else.
        expect(account.callCounts()).toEqual({ listAlbums: 2, collectionTree: 1 })

        account.putAlbum("a3", { members: ["12", "8"] })
        account.clearLog()
        yield* albumSync
        expect(membersAskedFor(account)).toEqual(["a3:1"])
        expect(yield* members("a3")).toEqual(["12", "8"])
      })))

  it.effect("a renamed album, a reordered one and a deleted one all land", () =>
    onAccount(accountWithAlbums(), (account) =>
      Effect.gen(function*() {
        yield* albumSync
        account.putAlbum("a1", { title: "Summer holidays" })
        account.putAlbum("a3", { members: ["11", "9", "8", "10"] })
        account.deleteAlbum("a2")
        const { counts } = yield* albumSync
        expect(counts).toMatchObject({ albums: 2, added: 0, changed: 2, deleted: 1 })
        expect(yield* storedAlbums).toEqual({ live: ["a1", "a3"], deleted: ["a2"] })
        expect(yield* albumTitle("a1")).toBe("Summer holidays")
        expect(yield* members("a1")).toEqual(["3", "1", "2", "5"])
        expect(yield* members("a3")).toEqual(["11", "9", "8", "10"])
        // A deleted album keeps its last members: rows are never deleted.
        expect(yield* members("a2")).toEqual(["7"])
      })))

  it.effect("an album deleted while its members are read: left as it was, the albums not marked synced, and the next sync marks it deleted", () =>
    onAccount(accountWithAlbums(), (account) =>
      Effect.gen(function*() {
        yield* albumSync
        account.putAlbum("a1", { members: ["1", "2", "3", "4", "5"] })
        // a1's first page is answered; then it is deleted, and its second page is refused (code 1).
        account.afterCall("albumMembers", 1, (a) => a.deleteAlbum("a1"))
        account.clearLog()
        const { runId } = yield* albumSync
        expect(membersAskedFor(account)).toEqual(["a1:1", "a1:2"])
        expect(yield* storedAlbums).toEqual({ live: ["a1", "a2", "a3"], deleted: [] })
        expect(yield* members("a1")).toEqual(["3", "1", "2", "5"])
        const synced = yield* syncedParts
        expect(synced.albums).not.toBe(runId)
        expect(synced.collections).toBe(runId)

        account.clearLog()
        const next = yield* albumSync
        expect(account.calls("albumMembers")).toBe(0)
        expect(yield* storedAlbums).toEqual({ live: ["a2", "a3"], deleted: ["a1"] })
        expect((yield* syncedParts).albums).toBe(next.runId)
      })))

  it.effect("the collection tree is replaced whole: gone collections and placements marked, moved ones re-parented", () =>
    onAccount(accountWithAlbums(), (account) =>
      Effect.gen(function*() {
        account.setCollections([
          { id: "c1", title: "Travel", albums: ["a1", "a2"], children: [{ id: "c2", title: "Walking", albums: ["a3"] }] },
          { id: "c3", title: "Empty" }
        ])
        yield* albumSync
        expect(yield* collections).toEqual({
          live: [
            { id: "c1", parent_id: null, title: "Travel" },
            { id: "c2", parent_id: "c1", title: "Walking" },
            { id: "c3", parent_id: null, title: "Empty" }
          ],
          placed: ["c1/a1", "c1/a2", "c2/a3"]
        })

        account.setCollections([{ id: "c2", title: "Walking", albums: ["a3", "a1"] }])
        const { counts } = yield* albumSync
        expect(counts).toMatchObject({ collections: 1, collectionsDeleted: 2 })
        expect(yield* collections).toEqual({ live: [{ id: "c2", parent_id: null, title: "Walking" }], placed: ["c2/a3", "c2/a1"] })
        expect(yield* storedCollections).toEqual({ live: ["c2"], deleted: ["c1", "c3"] })
      })))
})

// `fbk update` over a scripted account and a real database: the calls a quiet account costs,
// changes brought by recentlyUpdated, deletions found by a listing when the counts disagree, an
// interrupted backup finished first, and a listing that did not add up owed by the next update.
import { SqlClient, SqlSchema } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Option, Schema, TestClock } from "effect"
import { backup } from "../../src/programs/Backup.js"
import { DEEPEST_RESULTS } from "../../src/programs/sync/Paging.js"
import { update, UPDATE_OVERLAP_SECONDS } from "../../src/programs/Update.js"
import { FlickrTransportError } from "../../src/schema/Errors.js"
import { MAX_PER_PAGE } from "../../src/services/flickr/FlickrApi.js"
import { onAccount, storedPhotos, storedRuns } from "../support/ProgramLayer.js"
import { photoRows, TestAccount } from "../support/TestFlickrApi.js"

const PER_PAGE = 5
const fullBackup = backup({ numPages: Option.none(), pageNum: Option.none(), perPage: PER_PAGE })
const plainUpdate = update({ perPage: PER_PAGE })

/** 2023 by the TestClock: years after the test account's photos were uploaded and last changed. */
const NOW_MILLIS = 1_700_000_000_000
const NOW = NOW_MILLIS / 1000

const NO_BACKUP = "there is no complete backup yet; run `fbk backup` first"

/** What an update costs when nothing changed: one recentlyUpdated page, one count, the albums' one page and the tree. */
const QUIET_CALLS = { recentlyUpdated: 1, countPhotos: 1, listAlbums: 1, collectionTree: 1 }

/** Photos 1..count and album a1 (photos 1-3), so every update also syncs an album that does not change. */
const accountOf = (count: number) => {
  const account = new TestAccount(photoRows(count))
  account.putAlbum("a1", { title: "Unchanged", members: ["1", "2", "3"] })
  return account
}

/** Ids "from".."to", as storedPhotos lists them. */
const ids = (from: number, to: number, without: ReadonlyArray<string> = []) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).filter((id) => !without.includes(id))

/** Edits photo `id` now by the Clock (its last_update is now), giving it `title`. */
const editNow = (account: TestAccount, id: string, title: string) =>
  Effect.map(Clock.currentTimeMillis, (millis) => account.editPhoto(id, { title, last_update: Math.floor(millis / 1000) }))

/** `count` photos uploaded one second apart, the newest now by the Clock. */
const uploadSpread = (account: TestAccount, count: number) =>
  Effect.map(Clock.currentTimeMillis, (millis) => {
    const now = Math.floor(millis / 1000)
    return Array.from({ length: count }, (_, i) => account.upload(1, now - i)[0]!)
  })

/** A backup at NOW_MILLIS, then a day passes by the TestClock. */
const backedUpADayAgo = Effect.gen(function*() {
  yield* TestClock.setTime(NOW_MILLIS)
  yield* fullBackup
  yield* TestClock.adjust("1 day")
})

/** After a backup, photo 7 deleted and Flickr's count 2 above what it lists: no listing can add up. */
const countOffByTwo = (account: TestAccount) =>
  Effect.zipRight(backedUpADayAgo, Effect.sync(() => {
    account.deletePhotos(["7"])
    account.countSkew = 2
  }))

const transportFailure = new FlickrTransportError({ method: "flickr.people.getPhotos", reason: "connection reset" })

const StoredTitle = Schema.Struct({ id: Schema.String, title: Schema.NullOr(Schema.String) })

/** The stored title of each of `photos`, by id. */
const storedTitles = (photos: ReadonlyArray<string>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: StoredTitle,
      execute: (wanted) => sql`SELECT id, title FROM photos WHERE id IN ${sql.in(wanted)}`
    })(photos)).pipe(Effect.map((rows) => Object.fromEntries(rows.map((r) => [r.id, r.title]))))

/** The listPhotos calls that started the whole stream from its newest photo. */
const wholeListings = (account: TestAccount) =>
  account.requests("listPhotos").filter(([q]) => q.page === 1 && q.maxUploadDate === undefined && q.minUploadDate === undefined)

describe("update", () => {
  it.effect("after a backup, with nothing changed: the quiet calls only, and nothing stored", () =>
    onAccount(accountOf(20), (account) =>
      Effect.gen(function*() {
        yield* backedUpADayAgo
        account.clearLog()

        const counters = yield* plainUpdate
        expect(account.callCounts()).toEqual(QUIET_CALLS)
        // From the backup's start, less the overlap.
        expect(account.requests("recentlyUpdated")).toEqual([[NOW - UPDATE_OVERLAP_SECONDS, 1, PER_PAGE]])
        expect(counters).toMatchObject({ added: 0, changed: 0, deleted: 0, restored: 0 })
        expect(yield* storedPhotos).toEqual({ live: ids(1, 20), deleted: [] })
        expect(yield* storedRuns).toEqual([
          expect.objectContaining({ kind: "backup", outcome: "succeeded" }),
          expect.objectContaining({ kind: "update", outcome: "succeeded", added: 0, deleted: 0 })
        ])
      })))

  it.effect("edits and uploads come from recentlyUpdated, page by page; counts that agree list nothing", () =>
    onAccount(accountOf(20), (account) =>
      Effect.gen(function*() {
        yield* backedUpADayAgo
        // 4 edits and 3 uploads: 7 changes, two pages of 5.
        for (const id of ["2", "9", "14", "20"]) yield* editNow(account, id, `Edited ${id}`)
        yield* account.uploadNow(3)
        account.clearLog()

        const counters = yield* plainUpdate
        expect(account.callCounts()).toEqual({ ...QUIET_CALLS, recentlyUpdated: 2 })
        expect(counters).toMatchObject({ added: 3, changed: 4, deleted: 0 })
        expect(yield* storedPhotos).toEqual({ live: ids(1, 23), deleted: [] })
        expect(yield* storedTitles(["2", "9", "14", "20", "3"])).toEqual({
          "2": "Edited 2",
          "9": "Edited 9",
          "14": "Edited 14",
          "20": "Edited 20",
          "3": "Photo 3"
        })
      })))

  it.effect("edits, uploads and deletions: the count differs, so the stream is listed and the deleted photos marked", () =>
    onAccount(accountOf(30), (account) =>
      Effect.gen(function*() {
        yield* backedUpADayAgo
        yield* editNow(account, "5", "Edited 5")
        yield* account.uploadNow(2)
        account.deletePhotos(["17", "25"])
        account.clearLog()

        const counters = yield* plainUpdate
        expect(account.calls("recentlyUpdated")).toBe(1)
        expect(wholeListings(account)).toHaveLength(1)
        expect(counters).toMatchObject({ added: 2, changed: 1, deleted: 2 })
        expect(yield* storedPhotos).toEqual({ live: ids(1, 32, ["17", "25"]), deleted: ["17", "25"] })
        expect(yield* storedTitles(["5"])).toEqual({ "5": "Edited 5" })
        expect((yield* storedRuns).map((r) => [r.kind, r.outcome, r.deleted])).toEqual([
          ["backup", "succeeded", 0],
          ["update", "succeeded", 2]
        ])
      })))

  it.effect("a photo deleted while recentlyUpdated is paged shifts a changed one off its pages: the count differs, and the listing brings it", () =>
    onAccount(accountOf(20), (account) =>
      Effect.gen(function*() {
        yield* backedUpADayAgo
        // Photos 1-10 edited in one second: recentlyUpdated pages them 10-6, then 5-1.
        for (const id of ids(1, 10)) yield* editNow(account, id, `Edited ${id}`)
        // Photo 8 deleted once the first page is read: photo 5 moves onto that page, and page 2 starts at 4.
        account.afterCall("recentlyUpdated", 1, (a) => a.deletePhotos(["8"]))
        account.clearLog()

        const counters = yield* plainUpdate
        expect(yield* storedTitles(["5"])).toEqual({ "5": "Edited 5" })
        expect(yield* storedPhotos).toEqual({ live: ids(1, 20, ["8"]), deleted: ["8"] })
        // All ten edits stored (photo 8's before it went), photo 5's by the listing.
        expect(counters).toMatchObject({ changed: 10, deleted: 1 })
        expect(account.calls("recentlyUpdated")).toBe(2)
        // One listing: photo 8, stored by recentlyUpdated, does not count as seen by it.
        expect(wholeListings(account).length).toBe(1)
      })))

  it.effect("a photo back on Flickr with its old last_update: the count differs, and the listing restores it", () =>
    onAccount(accountOf(20), (account) =>
      Effect.gen(function*() {
        yield* backedUpADayAgo
        const six = account.photo("6")!
        account.deletePhotos(["6"])
        yield* plainUpdate
        expect((yield* storedPhotos).deleted).toEqual(["6"])

        yield* TestClock.adjust("1 day")
        account.addPhotos([six])
        const counters = yield* plainUpdate
        expect(counters).toMatchObject({ restored: 1, added: 0, changed: 0, deleted: 0 })
        expect(yield* storedPhotos).toEqual({ live: ids(1, 20), deleted: [] })
      })))

  it.effect("with no complete backup and none pending it refuses, before any call or run", () =>
    onAccount(accountOf(10), (account) =>
      Effect.gen(function*() {
        expect(yield* Effect.flip(plainUpdate)).toMatchObject({ _tag: "UsageError", reason: NO_BACKUP })
        expect(account.callCounts()).toEqual({})
        expect(yield* storedRuns).toEqual([])
        expect(yield* storedPhotos).toEqual({ live: [], deleted: [] })
      })))

  describe("a backup left interrupted", () => {
    it.effect("part-way: update finishes that backup in its own row, then runs its own update", () =>
      onAccount(accountOf(100), (account) =>
        Effect.gen(function*() {
          yield* TestClock.setTime(NOW_MILLIS)
          // The connection drops on the 12th page, in the second upload-date window.
          account.failCall("listPhotos", 12, transportFailure)
          expect(yield* Effect.flip(fullBackup)).toMatchObject({ _tag: "FlickrTransportError" })
          const [interrupted] = yield* storedRuns
          expect(interrupted).toMatchObject({ kind: "backup", outcome: "interrupted" })
          expect(interrupted!.resume_cursor).not.toBeNull()
          const storedBefore = (yield* storedPhotos).live
          expect(storedBefore.length).toBeGreaterThan(0)
          expect(storedBefore.length).toBeLessThan(100)

          // Photo 95 was stored by the first attempt, then deleted on Flickr.
          yield* TestClock.adjust("1 hour")
          account.deletePhotos(["95"])
          account.clearLog()
          yield* plainUpdate

          const cursor = Number(JSON.parse(interrupted!.resume_cursor!).maxUploadDate)
          expect(account.requests("listPhotos")[0]).toEqual([{ page: 1, perPage: PER_PAGE, maxUploadDate: cursor }])
          expect(account.calls("recentlyUpdated")).toBe(1)
          expect(yield* storedRuns).toEqual([
            expect.objectContaining({ id: interrupted!.id, kind: "backup", outcome: "succeeded", deleted: 1 }),
            expect.objectContaining({ kind: "update", outcome: "succeeded", added: 0, deleted: 0 })
          ])
          expect(yield* storedPhotos).toEqual({ live: ids(1, 100, ["95"]), deleted: ["95"] })
        })))

    it.effect("part-way: the update after it asks for changes since that backup first started, not since it was resumed", () =>
      onAccount(accountOf(100), (account) =>
        Effect.gen(function*() {
          yield* TestClock.setTime(NOW_MILLIS)
          account.failCall("listPhotos", 12, transportFailure)
          yield* Effect.flip(fullBackup)
          // Photo 98, stored by the first attempt, edited an hour later; the update runs a day after that.
          yield* TestClock.adjust("1 hour")
          yield* editNow(account, "98", "Edited 98")
          yield* TestClock.adjust("1 day")
          account.clearLog()

          const counters = yield* plainUpdate
          expect(account.requests("recentlyUpdated")).toEqual([[NOW - UPDATE_OVERLAP_SECONDS, 1, PER_PAGE]])
          expect(counters).toMatchObject({ changed: 1, added: 0, deleted: 0 })
          expect(yield* storedTitles(["98"])).toEqual({ "98": "Edited 98" })
          expect(yield* storedPhotos).toEqual({ live: ids(1, 100), deleted: [] })
        })))

    it.effect("before it stored a page, with no complete sync before it: refused, and the backup not started", () =>
      onAccount(accountOf(10), (account) =>
        Effect.gen(function*() {
          account.failCall("listPhotos", 1, transportFailure)
          yield* Effect.flip(fullBackup)
          const before = yield* storedRuns
          expect(before).toEqual([expect.objectContaining({ kind: "backup", outcome: "interrupted", resume_cursor: null })])
          account.clearLog()

          expect(yield* Effect.flip(plainUpdate)).toMatchObject({ _tag: "UsageError", reason: NO_BACKUP })
          expect(account.callCounts()).toEqual({})
          expect(yield* storedRuns).toEqual(before)
          expect(yield* storedPhotos).toEqual({ live: [], deleted: [] })
        })))

    it.effect("before it stored a page, after a complete backup: update finishes it, then updates", () =>
      onAccount(accountOf(10), (account) =>
        Effect.gen(function*() {
          yield* TestClock.setTime(NOW_MILLIS)
          yield* fullBackup
          account.failCall("listPhotos", 1, transportFailure)
          yield* Effect.flip(fullBackup)
          const [, interrupted] = yield* storedRuns
          expect(interrupted).toMatchObject({ outcome: "interrupted", resume_cursor: null })

          account.deletePhotos(["4"])
          yield* plainUpdate
          expect(yield* storedRuns).toEqual([
            expect.objectContaining({ kind: "backup", outcome: "succeeded" }),
            expect.objectContaining({ id: interrupted!.id, kind: "backup", outcome: "succeeded", deleted: 1 }),
            expect.objectContaining({ kind: "update", outcome: "succeeded" })
          ])
          expect(yield* storedPhotos).toEqual({ live: ids(1, 10, ["4"]), deleted: ["4"] })
        })))
  })

  describe("a listing that does not add up", () => {
    it.effect("after a backup whose listing did not add up, update lists the whole stream, then is quiet again", () =>
      onAccount(accountOf(20), (account) =>
        Effect.gen(function*() {
          yield* countOffByTwo(account)
          expect(yield* Effect.flip(fullBackup)).toMatchObject({ _tag: "ListingIncomplete", command: "backup" })
          expect(yield* storedPhotos).toEqual({ live: ids(1, 20), deleted: [] })

          // Flickr's count is right again, and another photo went meanwhile.
          yield* TestClock.adjust("1 day")
          account.countSkew = 0
          account.deletePhotos(["12"])
          account.clearLog()
          const counters = yield* plainUpdate
          expect(account.calls("recentlyUpdated")).toBe(0)
          expect(wholeListings(account)).toHaveLength(1)
          expect(counters).toMatchObject({ added: 0, deleted: 2 })
          expect(yield* storedPhotos).toEqual({ live: ids(1, 20, ["7", "12"]), deleted: ["7", "12"] })
          expect((yield* storedRuns).map((r) => [r.kind, r.outcome])).toEqual([
            ["backup", "succeeded"],
            ["backup", "failed"],
            ["update", "succeeded"]
          ])

          // That listing added up: the next update is back to the quiet calls.
          yield* TestClock.adjust("1 day")
          account.clearLog()
          yield* plainUpdate
          expect(account.callCounts()).toEqual(QUIET_CALLS)
          expect((yield* storedRuns).map((r) => r.outcome)).toEqual(["succeeded", "failed", "succeeded", "succeeded"])
        })))

    it.effect("an update whose count never agrees fails, marks nothing, and its row stays failed; the next one lists whole", () =>
      onAccount(accountOf(20), (account) =>
        Effect.gen(function*() {
          yield* countOffByTwo(account)

          expect(yield* Effect.flip(plainUpdate)).toMatchObject({ _tag: "ListingIncomplete", command: "update", remote: 21, seen: 19 })
          expect(account.calls("recentlyUpdated")).toBe(1)
          expect(yield* storedPhotos).toEqual({ live: ids(1, 20), deleted: [] })
          const [, failed] = yield* storedRuns
          expect(failed).toMatchObject({
            kind: "update",
            outcome: "failed",
            message: "Flickr counts 21 photos but only 19 could be listed",
            deleted: 0
          })

          account.countSkew = 0
          account.clearLog()
          yield* plainUpdate
          expect(account.calls("recentlyUpdated")).toBe(0)
          expect(yield* storedPhotos).toEqual({ live: ids(1, 20, ["7"]), deleted: ["7"] })
        })))
  })

  describe(`past ${DEEPEST_RESULTS} changes`, () => {
    const wideUpdate = update({ perPage: MAX_PER_PAGE })

    /** An account of 10 photos backed up, then `changes` photos uploaded a day later. */
    const changedBy = (changes: number) => (account: TestAccount) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(NOW_MILLIS)
        yield* backup({ numPages: Option.none(), pageNum: Option.none(), perPage: MAX_PER_PAGE })
        yield* TestClock.adjust("1 day")
        const uploaded = yield* uploadSpread(account, changes)
        account.clearLog()
        return uploaded
      })

    it.effect("one more than can be paged: the whole stream is listed instead, after one recentlyUpdated call", () =>
      onAccount(accountOf(10), (account) =>
        Effect.gen(function*() {
          const uploaded = yield* changedBy(DEEPEST_RESULTS + 1)(account)
          const counters = yield* wideUpdate
          expect(account.calls("recentlyUpdated")).toBe(1)
          expect(wholeListings(account)).toHaveLength(1)
          expect(counters).toMatchObject({ added: uploaded.length, deleted: 0 })
          expect(yield* storedPhotos).toEqual({ live: ids(1, 10 + DEEPEST_RESULTS + 1), deleted: [] })
        })))

    it.effect("exactly as many as can be paged: recentlyUpdated is paged through, nothing listed", () =>
      onAccount(accountOf(10), (account) =>
        Effect.gen(function*() {
          yield* changedBy(DEEPEST_RESULTS)(account)
          yield* wideUpdate
          expect(account.calls("recentlyUpdated")).toBe(DEEPEST_RESULTS / MAX_PER_PAGE)
          expect(account.calls("listPhotos")).toBe(0)
          expect(yield* storedPhotos).toEqual({ live: ids(1, 10 + DEEPEST_RESULTS), deleted: [] })
        })))
  })
})

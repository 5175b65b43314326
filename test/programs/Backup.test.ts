// A full backup's reconciliation over a scripted account and a real database: what ends up live
// and what marked deleted when the photostream shifts under the listing, or cannot be counted.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { backup } from "../../src/programs/Backup.js"
import { FlickrTransportError } from "../../src/schema/Errors.js"
import { onAccount, sortedIds, storedPhotos, storedRuns } from "../support/ProgramLayer.js"
import { photoRows, TestAccount } from "../support/TestFlickrApi.js"

const PER_PAGE = 5
const fullBackup = backup({ numPages: Option.none(), pageNum: Option.none(), perPage: PER_PAGE })

/** 2023 by the TestClock: years after the test account's photos were uploaded. */
const NOW_MILLIS = 1_700_000_000_000

describe("backup", () => {
  it.effect("an exact listing marks the photos it did not see deleted, and only those", () =>
    onAccount(new TestAccount(photoRows(23)), (account) =>
      Effect.gen(function*() {
        yield* fullBackup
        expect((yield* storedPhotos).live).toEqual(sortedIds(account.liveIds))

        account.deletePhotos(["4", "17"])
        const counters = yield* fullBackup
        expect(yield* storedPhotos).toEqual({
          live: photoRows(23).map((p) => p.id).filter((id) => id !== "4" && id !== "17"),
          deleted: ["4", "17"]
        })
        expect(counters).toMatchObject({ added: 0, deleted: 2 })
        expect((yield* storedRuns).map((r) => r.outcome)).toEqual(["succeeded", "succeeded"])
      })))

  it.effect("photos uploaded during the run are fetched before the sweep, and the run ends exact", () =>
    // 100 photos in pages of 5: three upload-date windows, so uploads at the top shift none of the later ones.
    onAccount(new TestAccount(photoRows(100)), (account) =>
      Effect.gen(function*() {
        yield* fullBackup
        yield* TestClock.setTime(NOW_MILLIS)
        // Photos 101-103, once the first three pages are answered.
        account.afterCall("listPhotos", 3, (a) => a.uploadNow(3))
        const counters = yield* fullBackup
        expect(yield* storedPhotos).toEqual({ live: photoRows(103).map((p) => p.id), deleted: [] })
        expect(counters).toMatchObject({ added: 3, deleted: 0 })
      })))

  // An account of at most PAGES_PER_WINDOW pages is listed in one window; uploads meanwhile push
  // its oldest photos past the pages it counted (see the listing's test of the same case).
  it.effect("photos uploaded while a small account's only window is read: the run still ends exact", () =>
    onAccount(new TestAccount(photoRows(23)), (account) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(NOW_MILLIS)
        account.afterCall("listPhotos", 2, (a) => a.uploadNow(3))
        yield* fullBackup
        expect(yield* storedPhotos).toEqual({ live: photoRows(26).map((p) => p.id), deleted: [] })
      })))

  it.effect("photos deleted after the listing stored them: listed again, then exactly those marked deleted", () =>
    onAccount(new TestAccount(photoRows(30)), (account) =>
      Effect.gen(function*() {
        yield* fullBackup
        // Deleted once this run has listed them, before Flickr is asked for its count.
        account.beforeCall("countPhotos", 1, (a) => a.deletePhotos(["30", "12"]))
        account.clearLog()
        const counters = yield* fullBackup
        expect(yield* storedPhotos).toEqual({
          live: photoRows(30).map((p) => p.id).filter((id) => id !== "30" && id !== "12"),
          deleted: ["12", "30"]
        })
        expect(counters).toMatchObject({ deleted: 2 })
        // The whole stream was listed from the top twice.
        expect(account.requests("listPhotos").filter(([q]) => q.page === 1 && q.maxUploadDate === undefined)).toHaveLength(2)
      })))

  describe("a listing whose count never agrees with Flickr's marks nothing deleted and fails", () => {
    /** After a backup, photo 7 is deleted and Flickr's count is off by `skew`: how the next backup fails. */
    const disagreeing = (account: TestAccount, skew: number) =>
      Effect.gen(function*() {
        yield* fullBackup
        account.deletePhotos(["7"])
        account.countSkew = skew
        return yield* Effect.flip(fullBackup)
      })

    for (const [skew, why] of [[2, "Flickr counts photos it never lists"], [-2, "Flickr counts fewer than it lists"]] as const) {
      it.effect(why, () =>
        onAccount(new TestAccount(photoRows(20)), (account) =>
          Effect.gen(function*() {
            expect(yield* disagreeing(account, skew)).toMatchObject({ _tag: "ListingIncomplete", remote: 19 + skew, seen: 19 })
            // Photo 7 is gone from Flickr, but a listing that does not add up cannot say so.
            expect(yield* storedPhotos).toEqual({ live: photoRows(20).map((p) => p.id), deleted: [] })
          })))
    }

    it.effect("the run is recorded as failed with the counts, and the next backup is a new run", () =>
      onAccount(new TestAccount(photoRows(20)), (account) =>
        Effect.gen(function*() {
          yield* disagreeing(account, 2)
          const [, failed] = yield* storedRuns
          expect(failed).toMatchObject({ outcome: "failed", message: "Flickr counts 21 photos but only 19 could be listed" })

          account.countSkew = 0
          yield* fullBackup
          expect((yield* storedRuns).map((r) => r.outcome)).toEqual(["succeeded", "failed", "succeeded"])
          expect((yield* storedPhotos).deleted).toEqual(["7"])
        })))
  })

  it.effect("an interrupted backup resumes from its cursor and still sweeps what the first attempt saw", () =>
    onAccount(new TestAccount(photoRows(100)), (account) =>
      Effect.gen(function*() {
        yield* fullBackup
        account.deletePhotos(["50"])
        // The connection drops on the 12th page (in the second upload-date window).
        account.failCall("listPhotos", 12, new FlickrTransportError({ method: "flickr.people.getPhotos", reason: "connection reset" }))
        expect(yield* Effect.flip(fullBackup)).toMatchObject({ _tag: "FlickrTransportError", reason: "connection reset" })
        const [, interrupted] = yield* storedRuns
        expect(interrupted).toMatchObject({ outcome: "interrupted" })
        const cursor = Number(JSON.parse(interrupted!.resume_cursor!).maxUploadDate)
        // Stopped part-way: the newest photos are behind the cursor, older ones still to list.
        expect(cursor).toBeLessThan(account.photo("100")!.date_uploaded!)
        expect(cursor).toBeGreaterThan(account.photo("1")!.date_uploaded!)

        account.clearLog()
        yield* fullBackup
        const [opening] = account.requests("listPhotos")
        expect(opening).toEqual([{ page: 1, perPage: PER_PAGE, maxUploadDate: cursor }])
        // The same run finished it, and photo 50 (unseen by either attempt) is the only one marked.
        expect(yield* storedRuns).toEqual([
          expect.objectContaining({ outcome: "succeeded" }),
          expect.objectContaining({ id: interrupted!.id, outcome: "succeeded", deleted: 1 })
        ])
        expect(yield* storedPhotos).toEqual({ live: photoRows(100).map((p) => p.id).filter((id) => id !== "50"), deleted: ["50"] })
      })))
})

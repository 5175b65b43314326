// The listing over a scripted account: every photo stored once per window walk, in order, and
// pages let go once stored (memory must not grow with the number of windows).
import { expect, layer } from "@effect/vitest"
import { Effect, Ref } from "effect"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { PAGES_PER_WINDOW, listPhotostream } from "../../../src/programs/sync/PhotostreamListing.js"
import type { ActiveRun } from "../../../src/programs/sync/SyncRun.js"
import type { PhotoRow } from "../../../src/schema/Photo.js"
import { zeroCounters } from "../../../src/schema/SyncRun.js"
import * as Reporter from "../../../src/services/terminal/Reporter.js"
import { photoRows, TestAccount } from "../../support/TestFlickrApi.js"

v8.setFlagsFromString("--expose-gc")
const collectGarbage = vm.runInNewContext("gc") as () => void

const PER_PAGE = 10

/** An account of `count` photos, one upload second each, newest (highest id) first. */
const account = (count: number) => new TestAccount(photoRows(count, 1_000_001))

/** A run that hands every stored page to `onPage` (after a turn of the event loop, when asked). */
const recordingRun = (onPage: (rows: ReadonlyArray<PhotoRow>) => void, yieldBefore: (page: number) => boolean = () => false) =>
  Effect.map(Effect.zip(Ref.make(zeroCounters), Ref.make(false)), ([counters, finished]) => {
    let storedPages = 0
    return ({
      id: 1,
      kind: "backup",
      startedAt: 0,
      counters,
      finished,
      storePage: (rows: ReadonlyArray<PhotoRow>) =>
        Effect.zipRight(
          yieldBefore(++storedPages) ? Effect.promise(() => new Promise((resolve) => setImmediate(resolve))) : Effect.void,
          Effect.sync(() => onPage(rows))
        ),
      restartListing: Effect.void,
      finish: () => Ref.get(counters)
    }) satisfies ActiveRun
  })

/** Lists `photos` from `resumeFrom` into a recording run: the ids stored, in order, and the pages. */
const listAll = (photos: TestAccount, resumeFrom: number | null = null) =>
  Effect.gen(function*() {
    const stored: Array<string> = []
    const run = yield* recordingRun((rows) => stored.push(...rows.map((r) => r.id)))
    const pages = yield* listPhotostream(run, { perPage: PER_PAGE, resumeFrom }).pipe(Effect.provide(photos.layer))
    return { stored, pages }
  })

layer(Reporter.layer({ quiet: true }))("listPhotostream", (it) => {
  it.effect("walks every window: each photo stored, newest first; each of the 3 later windows repeats the boundary photo", () =>
    Effect.gen(function*() {
      const photos = account(PER_PAGE * PAGES_PER_WINDOW * 3 + 7)
      const { stored } = yield* listAll(photos)
      expect([...new Set(stored)]).toStrictEqual(photos.liveIds)
      // Each window starts at the last second of the one before (max_upload_date is inclusive).
      expect(stored.length - photos.liveIds.length).toBe(3)
    }))

  it.effect("an empty account: one empty page stored, and the listing ends", () =>
    Effect.gen(function*() {
      const { pages, stored } = yield* listAll(account(0))
      expect(stored).toStrictEqual([])
      expect(pages).toBe(1)
    }))

  it.effect("resumes below a cursor: only photos uploaded at or before it", () =>
    Effect.gen(function*() {
      const photos = account(PER_PAGE * PAGES_PER_WINDOW + 15)
      const cursor = photos.photo(photos.liveIds[30]!)!.date_uploaded
      const { stored } = yield* listAll(photos, cursor)
      expect([...new Set(stored)]).toStrictEqual(photos.liveIds.slice(30))
    }))

  it.effect("photos deleted under a window: it is read again, so no photo that stayed is skipped", () =>
    Effect.gen(function*() {
      const photos = account(PER_PAGE * PAGES_PER_WINDOW * 2)
      // Once page 2 is answered, three of the newest go: later pages of the window shift up by three.
      photos.afterCall("listPhotos", 2, (a) => a.deletePhotos(["160", "159", "158"]))
      const { stored } = yield* listAll(photos)
      expect(new Set(stored)).toEqual(new Set([...photos.liveIds, "160", "159", "158"]))
    }))

  // The last (here the only) window reads the pages its first page counted; uploads meanwhile
  // push the oldest photos past them, so one more window must follow.
  it.effect("photos uploaded while the only window is read: no photo that was there throughout is skipped", () =>
    Effect.gen(function*() {
      const photos = account(PER_PAGE * 5)
      const before = photos.liveIds
      photos.afterCall("listPhotos", 2, (a) => void a.upload(3))
      const { stored } = yield* listAll(photos)
      expect(before.filter((id) => !stored.includes(id))).toStrictEqual([])
    }))

  it.effect("lets stored pages go: after 40 windows, only the few pages in flight are still reachable", () =>
    Effect.gen(function*() {
      const windows = 40
      const photos = account(PER_PAGE * PAGES_PER_WINDOW * windows)
      const pages: Array<WeakRef<object>> = [] // each stored page and its last row
      let reachableAtEnd = -1
      const checkAt = PAGES_PER_WINDOW * windows - 1
      // WeakRefs made in the current job keep their targets until it ends: check in a later one.
      const run = yield* recordingRun((rows) => {
        if (pages.length === 2 * (checkAt - 1)) {
          collectGarbage()
          reachableAtEnd = pages.filter((page) => page.deref() !== undefined).length
        }
        pages.push(new WeakRef(rows), new WeakRef(rows[rows.length - 1]!))
      }, (page) => page === checkAt)
      yield* listPhotostream(run, { perPage: PER_PAGE, resumeFrom: null }).pipe(Effect.provide(photos.layer))
      expect(pages.length).toBeGreaterThanOrEqual(2 * PAGES_PER_WINDOW * windows)
      // A page of the current window may still be referenced; the old listing kept the first and
      // last page of every window, with their rows (158 of these here).
      expect(reachableAtEnd).toBeGreaterThanOrEqual(0)
      expect(reachableAtEnd).toBeLessThanOrEqual(PAGES_PER_WINDOW)
    }))
})

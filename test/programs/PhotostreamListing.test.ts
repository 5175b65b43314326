// The listing over a canned FlickrApi: every photo stored once per window walk, in order, and
// pages let go once stored (memory must not grow with the number of windows).
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { PAGES_PER_WINDOW, listPhotostream } from "../../src/programs/PhotostreamListing.js"
import type { ActiveRun } from "../../src/programs/SyncRun.js"
import type { ListedPage, PhotoRow } from "../../src/schema/Photo.js"
import { zeroCounters } from "../../src/schema/SyncRun.js"
import { FlickrApi, type ListQuery } from "../../src/services/FlickrApi.js"
import * as Reporter from "../../src/services/Reporter.js"

v8.setFlagsFromString("--expose-gc")
const collectGarbage = vm.runInNewContext("gc") as () => void

const PER_PAGE = 10

/** An account of `count` photos, one upload second each, newest first, as rows. */
const account = (count: number): ReadonlyArray<PhotoRow> =>
  Array.from({ length: count }, (_, i) => ({ id: String(count - i), date_uploaded: 1_000_000 + count - i }) as unknown as PhotoRow)

/** people.getPhotos over `photos`, honouring max_upload_date and paging. */
const cannedApi = (photos: ReadonlyArray<PhotoRow>) =>
  Layer.succeed(
    FlickrApi,
    FlickrApi.make({
      listPhotos: (query: ListQuery) =>
        Effect.sync((): ListedPage => {
          const matching = photos.filter((p) => query.maxUploadDate === undefined || p.date_uploaded! <= query.maxUploadDate)
          const start = (query.page - 1) * query.perPage
          return {
            page: query.page,
            pages: Math.ceil(matching.length / query.perPage),
            total: matching.length,
            // Fresh rows, as a decoded answer has: a leak of single rows would show too.
            photos: matching.slice(start, start + query.perPage).map((p) => ({ ...p }))
          }
        })
    } as unknown as FlickrApi)
  )

/** A run that hands every stored page to `onPage` (after a turn of the event loop, when asked). */
const recordingRun = (onPage: (rows: ReadonlyArray<PhotoRow>) => void, yieldBefore: (page: number) => boolean = () => false) =>
  Effect.map(Ref.make(zeroCounters), (counters) => {
    let storedPages = 0
    return ({
      id: 1,
      kind: "backup",
      startedAt: 0,
      counters,
      storePage: (rows: ReadonlyArray<PhotoRow>) =>
        Effect.zipRight(
          yieldBefore(++storedPages) ? Effect.promise(() => new Promise((resolve) => setImmediate(resolve))) : Effect.void,
          Effect.sync(() => onPage(rows))
        ),
      restartListing: Effect.void,
      finish: () => Ref.get(counters)
    }) satisfies ActiveRun
  })

const layers = (photos: ReadonlyArray<PhotoRow>) => Layer.merge(cannedApi(photos), Reporter.layer({ quiet: true }))

describe("listPhotostream", () => {
  it.effect("walks every window: each photo stored, newest first; each of the 3 later windows repeats the boundary photo", () =>
    Effect.gen(function*() {
      const photos = account(PER_PAGE * PAGES_PER_WINDOW * 3 + 7)
      const stored: Array<string> = []
      const run = yield* recordingRun((rows) => stored.push(...rows.map((r) => r.id)))
      yield* listPhotostream(run, { perPage: PER_PAGE, resumeFrom: null }).pipe(Effect.provide(layers(photos)))
      expect([...new Set(stored)]).toStrictEqual(photos.map((p) => p.id))
      // Each window starts at the last second of the one before (max_upload_date is inclusive).
      expect(stored.length - photos.length).toBe(3)
    }))

  it.effect("an empty account: one empty page stored, and the listing ends", () =>
    Effect.gen(function*() {
      const stored: Array<number> = []
      const run = yield* recordingRun((rows) => stored.push(rows.length))
      const pages = yield* listPhotostream(run, { perPage: PER_PAGE, resumeFrom: null }).pipe(Effect.provide(layers([])))
      expect(stored).toStrictEqual([0])
      expect(pages).toBe(1)
    }))

  it.effect("resumes below a cursor: only photos uploaded at or before it", () =>
    Effect.gen(function*() {
      const photos = account(PER_PAGE * PAGES_PER_WINDOW + 15)
      const cursor = photos[30]!.date_uploaded!
      const stored: Array<string> = []
      const run = yield* recordingRun((rows) => stored.push(...rows.map((r) => r.id)))
      yield* listPhotostream(run, { perPage: PER_PAGE, resumeFrom: cursor }).pipe(Effect.provide(layers(photos)))
      expect([...new Set(stored)]).toStrictEqual(photos.slice(30).map((p) => p.id))
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
      yield* listPhotostream(run, { perPage: PER_PAGE, resumeFrom: null }).pipe(Effect.provide(layers(photos)))
      expect(pages.length).toBeGreaterThanOrEqual(2 * PAGES_PER_WINDOW * windows)
      // A page of the current window may still be referenced; the old listing kept the first and
      // last page of every window, with their rows (158 of these here).
      expect(reachableAtEnd).toBeGreaterThanOrEqual(0)
      expect(reachableAtEnd).toBeLessThanOrEqual(PAGES_PER_WINDOW)
    }))
})

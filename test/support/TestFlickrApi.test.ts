// The scripted account answers as Flickr does where the program tests lean on it: paging,
// inclusive upload bounds, newest first, code 1 for what is gone, and hooks that fire in order.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { FlickrApiError } from "../../src/schema/Errors.js"
import { FlickrApi } from "../../src/services/flickr/FlickrApi.js"
import { FIRST_UPLOAD, photoRows, TestAccount } from "./TestFlickrApi.js"

const ids = (page: { readonly photos: ReadonlyArray<{ readonly id: string }> }) => page.photos.map((p) => p.id)

describe("TestAccount as FlickrApi", () => {
  it.effect("pages newest first within inclusive upload bounds, and serves the last page again past the end", () => {
    const account = new TestAccount(photoRows(12))
    return Effect.gen(function*() {
      const api = yield* FlickrApi
      expect(yield* api.listPhotos({ page: 1, perPage: 5 })).toMatchObject({ page: 1, pages: 3, total: 12 })
      expect(ids(yield* api.listPhotos({ page: 3, perPage: 5 }))).toEqual(["2", "1"])
      expect(ids(yield* api.listPhotos({ page: 4, perPage: 5 }))).toEqual(["2", "1"])
      const bounded = yield* api.listPhotos({ page: 1, perPage: 5, minUploadDate: FIRST_UPLOAD + 3, maxUploadDate: FIRST_UPLOAD + 6 })
      expect({ total: bounded.total, ids: ids(bounded) }).toEqual({ total: 4, ids: ["6", "5", "4", "3"] })
      expect(yield* api.countPhotos).toBe(12)
    }).pipe(Effect.provide(account.layer))
  })

  it.effect("recentlyUpdated lists photos changed at or after the date, most recently changed first", () => {
    const account = new TestAccount(photoRows(5))
    return Effect.gen(function*() {
      const api = yield* FlickrApi
      account.editPhoto("2", { last_update: FIRST_UPLOAD + 100 })
      account.editPhoto("1", { last_update: FIRST_UPLOAD + 50 })
      expect(ids(yield* api.recentlyUpdated(FIRST_UPLOAD + 5, 1, 10))).toEqual(["2", "1", "5"])
    }).pipe(Effect.provide(account.layer))
  })

  it.effect("a photo or album that is gone answers code 1; hidden EXIF code 2", () => {
    const account = new TestAccount(photoRows(2))
    account.setDetails("1", { exif: { refused: 2 } })
    return Effect.gen(function*() {
      const api = yield* FlickrApi
      account.deletePhotos(["2"])
      expect(yield* Effect.flip(api.photoInfo("2"))).toEqual(
        new FlickrApiError({ method: "flickr.photos.getInfo", code: 1, message: "Photo \"2\" not found (invalid ID)" })
      )
      expect(yield* Effect.flip(api.albumMembers("nope", 1))).toMatchObject({ _tag: "FlickrApiError", code: 1 })
      expect(yield* Effect.flip(api.photoExif("1"))).toMatchObject({ _tag: "FlickrApiError", code: 2 })
    }).pipe(Effect.provide(account.layer))
  })

  it.effect("hooks count calls from when they are set: before, failing and after the call they name", () => {
    const account = new TestAccount(photoRows(3))
    return Effect.gen(function*() {
      const api = yield* FlickrApi
      yield* api.countPhotos
      account.beforeCall("countPhotos", 1, (a) => void a.upload(1))
      account.afterCall("countPhotos", 2, (a) => a.deletePhotos(["1", "2"]))
      account.failCall("countPhotos", 3, new FlickrApiError({ method: "flickr.people.getPhotos", code: 105, message: "unavailable" }))
      expect(yield* api.countPhotos).toBe(4)
      expect(yield* api.countPhotos).toBe(4)
      expect(yield* Effect.flip(api.countPhotos)).toMatchObject({ code: 105 })
      expect(yield* api.countPhotos).toBe(2)
      expect(account.callCounts()).toEqual({ countPhotos: 5 })
    }).pipe(Effect.provide(account.layer))
  })
})

import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { listedPage, PHOTO_COLUMNS, PhotoPage, photoRowFromItem, type PhotoRow } from "../../src/schema/Photo.js"
import { readSample } from "../support/Fixtures.js"

type Item = Record<string, unknown>

const LISTING_SAMPLES = [
  "flickr.people.getPhotos",
  "flickr.people.getPublicPhotos",
  "flickr.photos.recentlyUpdated",
  "flickr.photos.search",
  "flickr.photos.getNotInSet",
  "flickr.photos.getWithoutGeoData"
] as const

const decodePage = Schema.decodeUnknownSync(PhotoPage)

const sampleList = (method: string) => {
  const body = readSample(method) as { photos: Record<string, unknown> & { photo: Array<Item> } }
  return body.photos
}

/** Decodes a page holding just `items`, and returns its rows. */
const rowsOf = (...items: Array<Item>): ReadonlyArray<PhotoRow> =>
  decodePage({ photos: { page: 1, pages: 1, perpage: 100, total: items.length, photo: items } }).photos.photo

const rowOf = (item: Item): PhotoRow => rowsOf(item)[0]!

/** What the sample's text node holds, read independently of fbk's helpers. */
const contentOf = (value: unknown): string => (value as { _content: string })._content

describe("PhotoPage on every recorded listing", () => {
  for (const method of LISTING_SAMPLES) {
    it(`${method}: counts as numbers, every item decoded against the file`, () => {
      const sample = sampleList(method)
      const decoded = decodePage(readSample(method))
      const page = listedPage(decoded)

      expect(page.page).toBe(Number(sample.page))
      expect(page.pages).toBe(Number(sample.pages))
      expect(page.total).toBe(Number(sample.total))
      expect(decoded.photos.perpage).toBe(Number(sample.perpage))
      expect(page.photos).toHaveLength(sample.photo.length)
      expect(sample.photo.length).toBeGreaterThan(0)

      sample.photo.forEach((item, i) => {
        const row = page.photos[i]!
        expect(Object.keys(row).sort()).toEqual([...PHOTO_COLUMNS].sort())
        expect(row.id).toBe(item.id)
        expect(row.owner).toBe(item.owner)
        expect(row.title).toBe(item.title)
        expect(row.description).toBe(contentOf(item.description))
        expect(row.date_taken).toBe(item.datetaken)
        expect(row.license).toBe(Number(item.license))
        expect(row.views).toBe(Number(item.views))
        expect(row.date_uploaded).toBe(Number(item.dateupload))
        expect(row.last_update).toBe(Number(item.lastupdate))
        expect(row.width).toBe(Number(item.o_width ?? item.width_o))
        expect(row.height).toBe(Number(item.o_height ?? item.height_o))
        expect(row.url_o).toBe(item.url_o)
        expect(row.tags).toBe(item.tags)
        expect(row.machine_tags).toBe(item.machine_tags)
        expect(row.path_alias).toBe(item.pathalias)
        expect(row.original_secret).toBe(item.originalsecret)
        expect(row.original_format).toBe(item.originalformat)
        expect(row.media).toBe(item.media)
        expect(row.farm).toBe(item.farm)
        // None of these 2014 recordings carries datetakenunknown: it reads as "known".
        expect(item).not.toHaveProperty("datetakenunknown")
        expect(row.date_taken_unknown).toBe(0)
        expect(row.is_public).toBe(Number(item.ispublic))
        expect(JSON.parse(row.raw)).toStrictEqual(item)
        if (item.latitude === 0 && item.longitude === 0 && item.accuracy === 0) {
          expect(row.latitude).toBeNull()
          expect(row.longitude).toBeNull()
          expect(row.accuracy).toBeNull()
          expect(row.geo_context).toBeNull()
          expect(row.place_id).toBeNull()
        } else {
          expect(row.latitude).toBe(item.latitude)
          expect(row.longitude).toBe(item.longitude)
          expect(row.accuracy).toBe(Number(item.accuracy))
          expect(row.place_id).toBe(item.place_id)
          expect(row.woeid).toBe(item.woeid)
        }
      })
    })
  }

  it("flickr.people.getPhotos: numeric counts, width_o without o_width, numeric views, machine tags", () => {
    const sample = sampleList("flickr.people.getPhotos")
    expect(sample.total).toBe(45)
    const page = listedPage(decodePage(readSample("flickr.people.getPhotos")))
    expect(page).toMatchObject({ page: 2, pages: 5, total: 45 })

    const first = page.photos[0]!
    expect(sample.photo[0]).not.toHaveProperty("o_width")
    expect(first).toMatchObject({
      id: "14090163898",
      owner: "124857539@N03",
      title: "La Sombra Rotoporky",
      description: "",
      date_taken: "2013-03-22 21:36:50",
      date_taken_granularity: 0,
      date_uploaded: 1401132433,
      last_update: 1401132439,
      license: 0,
      views: 14,
      width: 5553,
      height: 3702,
      url_o: "https://farm4.staticflickr.com/3797/14090163898_2e60b8888e_o.jpg",
      original_secret: "2e60b8888e",
      path_alias: "jinxlib",
      latitude: null,
      longitude: null,
      accuracy: null
    })
    // The file escapes "/" as "\/": the row holds the plain URL, raw holds the same value.
    expect(JSON.parse(first.raw).url_o).toBe("https://farm4.staticflickr.com/3797/14090163898_2e60b8888e_o.jpg")

    const last = page.photos[9]!
    expect(last.id).toBe("14253652576")
    expect(last.machine_tags).toBe("sign:type=neon test:title=mrcamera")
    expect(last.tags).toContain("sign:type=neon")
  })

  it("flickr.people.getPublicPhotos: string pages/total/views, located items keep their location", () => {
    const sample = sampleList("flickr.people.getPublicPhotos")
    expect(sample.pages).toBe("9526")
    expect(sample.total).toBe("95252")
    const page = listedPage(decodePage(readSample("flickr.people.getPublicPhotos")))
    expect(page).toMatchObject({ page: 5, pages: 9526, total: 95252 })

    expect(sample.photo[2]!.views).toBe("231")
    expect(page.photos[2]).toMatchObject({
      id: "14624906116",
      title: "You're Just Beginning",
      views: 231,
      license: 2,
      width: 3744,
      height: 4532,
      latitude: 37.790613,
      longitude: -122.390412,
      accuracy: 16,
      geo_context: 0,
      place_id: ".rHY.25UV7LvEh6sUg",
      woeid: "55862610",
      date_taken: "2009-11-03 11:44:44"
    })
    const located = page.photos.filter((r) => r.latitude !== null).map((r) => r.id)
    expect(located).toEqual(["14624906116", "14647888145", "14456585898", "14663111603"])
    expect(page.photos[4]).toMatchObject({ latitude: 42.358677, longitude: -83.06507, accuracy: 16 })
    // An unlocated neighbour in the same page.
    expect(page.photos[3]).toMatchObject({ id: "14645693784", latitude: null, longitude: null, accuracy: null, woeid: null })
    // Non-ASCII survives in the row and in raw.
    expect(page.photos[3]!.tags).toContain("missionsanfranciscodeasís")
    expect(JSON.parse(page.photos[3]!.raw).tags).toContain("missionsanfranciscodeasís")
  })

  it("flickr.photos.recentlyUpdated: HTML in a description is stored as sent, views of both types", () => {
    const page = listedPage(decodePage(readSample("flickr.photos.recentlyUpdated")))
    expect(page).toMatchObject({ page: 1, pages: 4, total: 17 })
    expect(page.photos[1]!.description).toBe(
      "<a href=\"http://photochallenge.org/2013/12/13/2014-will-be/\" rel=\"nofollow\">2014 Challenge</a>, " +
        "Week 20/52: LANDSCAPE - MINIMALISM"
    )
    expect(page.photos.map((r) => r.views)).toEqual([32, 189, 160, 114, 139])
  })

  it("flickr.photos.search: an empty title stays an empty string", () => {
    const sample = sampleList("flickr.photos.search")
    const page = listedPage(decodePage(readSample("flickr.photos.search")))
    expect(page).toMatchObject({ page: 1, pages: 160, total: 799 })
    expect(sample.photo[1]!.title).toBe("")
    expect(page.photos[1]!.title).toBe("")
    expect(page.photos[1]!.description).toBe(
      "Poor execution on my part (camera shake), but my amazing colleague Iran still manages to shine through! :)"
    )
    expect(page.photos[4]!.views).toBe(15921)
    expect(page.photos[0]!.date_taken).toBe("2014-05-23 00:00:03")
  })

  it("flickr.photos.getNotInSet and getWithoutGeoData: mixed count types", () => {
    const notInSet = listedPage(decodePage(readSample("flickr.photos.getNotInSet")))
    expect(notInSet).toMatchObject({ page: 1, pages: 34, total: 167 })
    expect(notInSet.photos.map((r) => r.views)).toEqual([70, 157, 185, 220, 80])
    const withoutGeo = listedPage(decodePage(readSample("flickr.photos.getWithoutGeoData")))
    expect(withoutGeo).toMatchObject({ page: 1, pages: 3623, total: 18115 })
    expect(withoutGeo.photos.every((r) => r.latitude === null && r.longitude === null && r.accuracy === null)).toBe(true)
  })
})

describe("PhotoPage quirks", () => {
  const base: Item = {
    id: "1001",
    owner: "85853333@N00",
    secret: "abc",
    server: "1",
    farm: 1,
    title: "t",
    ispublic: 1,
    isfriend: 0,
    isfamily: 0,
    datetaken: "2020-01-02 03:04:05",
    dateupload: "1577934245",
    lastupdate: "1577934300",
    latitude: 0,
    longitude: 0,
    accuracy: 0,
    context: 0
  }

  it("reads a missing datetakenunknown as 0 and keeps a present one", () => {
    expect(rowOf(base).date_taken_unknown).toBe(0)
    expect(rowOf({ ...base, datetakenunknown: "1" }).date_taken_unknown).toBe(1)
    expect(rowOf({ ...base, datetakenunknown: 1 }).date_taken_unknown).toBe(1)
    expect(rowOf({ ...base, datetakenunknown: "0" }).date_taken_unknown).toBe(0)
  })

  it("accepts a null pathalias and a missing machine_tags and tags", () => {
    const row = rowOf({ ...base, pathalias: null })
    expect(row.path_alias).toBeNull()
    expect(row.machine_tags).toBe("")
    expect(row.tags).toBe("")
    expect(rowOf({ ...base, tags: "" }).tags).toBe("")
  })

  it("keeps a tiny dateupload such as \"2013\"", () => {
    const row = rowOf({ ...base, dateupload: "2013", lastupdate: 0 })
    expect(row.date_uploaded).toBe(2013)
    expect(row.last_update).toBe(0)
  })

  it("keeps the location of a photo truly at 0,0 (accuracy 16), drops the zero marker", () => {
    const atNullIsland = rowOf({ ...base, latitude: 0, longitude: 0, accuracy: 16, context: 0 })
    expect(atNullIsland).toMatchObject({ latitude: 0, longitude: 0, accuracy: 16, geo_context: 0 })
    const withPlace = rowOf({ ...base, latitude: "0", longitude: "0", accuracy: "0", place_id: "abc", woeid: "1" })
    expect(withPlace).toMatchObject({ latitude: 0, longitude: 0, place_id: "abc", woeid: "1" })
    const unlocated = rowOf({ ...base, latitude: "0", longitude: "0", accuracy: "0", context: "0" })
    expect(unlocated).toMatchObject({ latitude: null, longitude: null, accuracy: null, geo_context: null, place_id: null })
    const stringAccuracy = rowOf({ ...base, latitude: "51.5", longitude: "-0.12", accuracy: "11" })
    expect(stringAccuracy).toMatchObject({ latitude: 51.5, longitude: -0.12, accuracy: 11 })
  })

  it("stores titles and descriptions with entities and HTML as sent", () => {
    const description = "The theme is &quot;Resolution&quot; &amp; <b>more</b> &#39;"
    const row = rowOf({ ...base, title: "Fish &amp; Chips", description: { _content: description } })
    expect(row.title).toBe("Fish &amp; Chips")
    expect(row.description).toBe(description)
    expect(JSON.parse(row.raw).description._content).toBe(description)
  })

  it("takes widths from o_width or width_o, as numbers or strings; a video's \"\" is no width", () => {
    expect(rowOf({ ...base, o_width: "640", o_height: 480 })).toMatchObject({ width: 640, height: 480 })
    expect(rowOf({ ...base, width_o: 800, height_o: "600" })).toMatchObject({ width: 800, height: 600 })
    expect(rowOf({ ...base, width_o: "", height_o: "" })).toMatchObject({ width: null, height: null })
    expect(rowOf(base)).toMatchObject({ width: null, height: null, views: null, license: null, url_o: null })
  })

  it("decodes license and views sent as strings or numbers", () => {
    expect(rowOf({ ...base, license: "4", views: "12" })).toMatchObject({ license: 4, views: 12 })
    expect(rowOf({ ...base, license: 4, views: 12 })).toMatchObject({ license: 4, views: 12 })
  })

  it("accepts a title as a text node and a media default of photo", () => {
    const row = rowOf({ ...base, title: { _content: "node" } })
    expect(row.title).toBe("node")
    expect(row.media).toBe("photo")
    expect(rowOf({ ...base, media: "video" }).media).toBe("video")
  })

  it("keeps raw as the item, key for key", () => {
    const item = { ...base, pathalias: null, extra_unknown_field: { nested: [1, "2"] } }
    expect(JSON.parse(rowOf(item).raw)).toStrictEqual(item)
  })

  it("decodes an empty result with pages 0", () => {
    const page = listedPage(decodePage({ photos: { page: 1, pages: 0, perpage: 500, total: "0", photo: [] }, stat: "ok" }))
    expect(page).toStrictEqual({ page: 1, pages: 0, total: 0, photos: [] })
  })

  it("fails the page when an item has no id, or an empty one", () => {
    const noId = { ...base }
    delete noId.id
    for (const bad of [noId, { ...base, id: "" }, { ...base, id: null }]) {
      const result = Schema.decodeUnknownEither(PhotoPage)({
        photos: { page: 1, pages: 1, total: 2, photo: [base, bad] }
      })
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) expect(String(result.left)).toContain("a listed photo has no id")
    }
    expect(photoRowFromItem(noId)).toBeNull()
  })

  it("fails the page when counts are missing or not numbers", () => {
    const bad = [
      { photos: { page: 1, pages: 1, photo: [] } },
      { photos: { page: "one", pages: 1, total: 0, photo: [] } },
      { photos: { page: 1, pages: 1, total: 0 } }
    ]
    for (const body of bad) expect(Either.isLeft(Schema.decodeUnknownEither(PhotoPage)(body))).toBe(true)
  })
})

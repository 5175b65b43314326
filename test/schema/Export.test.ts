import { describe, expect, it } from "@effect/vitest"
import {
  exportAccountFrom,
  exportAlbumsFrom,
  exportPhotoFrom,
  exportTime,
  licenseId,
  normalisedTag,
  originalUrlParts,
  visibility
} from "../../src/schema/Export.js"
import { classifyEntry, mediaIdOf, sortExport } from "../../src/schema/ExportNames.js"

const media = (ids: ReadonlyArray<string>, ext: string, original: boolean) => ({ kind: "media", ids, ext, original })

describe("classifyEntry", () => {
  it("knows the account files and photo records by their names, in any folder of the zip", () => {
    expect(classifyEntry("albums.json")).toEqual({ kind: "albums" })
    expect(classifyEntry("some/folder/account_profile.json")).toEqual({ kind: "profile" })
    expect(classifyEntry("photo_49424578362.json")).toEqual({ kind: "photo", id: "49424578362" })
    expect(classifyEntry("faves_part001.json")).toEqual({ kind: "other" })
    expect(classifyEntry("photo_abc.json")).toEqual({ kind: "other" })
  })

  it("offers every whole run of digits of a media name as its id, the last first, whatever comes around it", () => {
    expect(classifyEntry("my_trip_2014_12345678_o.jpg")).toEqual(media(["12345678", "2014"], "jpg", true))
    expect(classifyEntry("dsc_0042_49424578363_o.JPG")).toEqual(media(["49424578363", "0042"], "jpg", true))
    expect(classifyEntry("12345678_abcdef_o.jpg")).toEqual(media(["12345678"], "jpg", true))
    // A secret with digits in it is no candidate: only whole runs between separators are.
    expect(classifyEntry("49424578362_b86d05d6d7_o.jpg")).toEqual(media(["49424578362"], "jpg", true))
    expect(classifyEntry("49424578362_1234567890_o.png")).toEqual(media(["1234567890", "49424578362"], "png", true))
    // Videos named without _o, as people who parsed exports report.
    expect(classifyEntry("data-download-3/sunset_12345678.mp4")).toEqual(media(["12345678"], "mp4", false))
    expect(classifyEntry("IMG_0042_12345678.mov")).toEqual(media(["12345678", "0042"], "mov", false))
    expect(classifyEntry("2014_12345678.mp4")).toEqual(media(["12345678", "2014"], "mp4", false))
  })

  it("leaves out names with no digits of their own and files that are not photos or videos", () => {
    expect(classifyEntry("my_photo_o.jpg")).toEqual({ kind: "other" })
    expect(classifyEntry("notes/readme_2014.txt")).toEqual({ kind: "other" })
    expect(classifyEntry("song_12345678.mp3")).toEqual({ kind: "other" })
  })
})

describe("mediaIdOf", () => {
  const known = new Set(["12345678", "2014"])
  it("takes the last run of digits the export's photo records know", () => {
    expect(mediaIdOf(["12345678", "2014"], known)).toEqual({ id: "12345678", known: true })
    expect(mediaIdOf(["99", "2014"], known)).toEqual({ id: "2014", known: true })
  })

  it("without a known one, the last, with the one before it for the database to try", () => {
    expect(mediaIdOf(["55555555", "0042"], known)).toEqual({ id: "55555555", alternative: "0042", known: false })
    expect(mediaIdOf(["55555555"], known)).toEqual({ id: "55555555", known: false })
  })
})

describe("sortExport", () => {
  const source = (path: string, ...names: ReadonlyArray<string>) => ({ path, entries: names.map((name) => ({ name })) })
  const sorted = (...sources: ReadonlyArray<ReturnType<typeof source>>) => {
    const found = sortExport(sources)
    return {
      photos: [...found.photos.keys()],
      media: Object.fromEntries([...found.media].map(([id, files]) => [id, files.map((f) => [f.source.path, f.entry.name, f.alternative])])),
      unrelated: found.unrelated.map((s) => s.path)
    }
  }

  it("files each media name under the id the photo records know, whatever its form", () => {
    const found = sorted(
      source("account.zip", "photo_12345678.json", "photo_23456789.json", "photo_34567890.json", "photo_45678901.json", "photo_56789012.json", "albums.json"),
      source("data-download-1.zip", "my_trip_2014_12345678_o.jpg", "23456789_abcdef_o.jpg", "sunset_34567890.mp4", "IMG_0042_45678901.mov", "2019_56789012.mp4")
    )
    expect(found.photos).toEqual(["12345678", "23456789", "34567890", "45678901", "56789012"])
    expect(found.media).toEqual({
      "12345678": [["data-download-1.zip", "my_trip_2014_12345678_o.jpg", undefined]],
      "23456789": [["data-download-1.zip", "23456789_abcdef_o.jpg", undefined]],
      "34567890": [["data-download-1.zip", "sunset_34567890.mp4", undefined]],
      "45678901": [["data-download-1.zip", "IMG_0042_45678901.mov", undefined]],
      "56789012": [["data-download-1.zip", "2019_56789012.mp4", undefined]]
    })
    expect(found.unrelated).toEqual([])
  })

  it("a zip holding only videos named <slug>_<id>.mp4 is part of the export; one whose digits no record knows is not", () => {
    const found = sorted(
      source("account.zip", "photo_34567890.json", "photo_45678901.json"),
      source("data-download-2.zip", "sunset_34567890.mp4", "beach_45678901.mp4"),
      source("holiday.zip", "IMG_1234.jpg", "clip_20140612.mp4")
    )
    expect(Object.keys(found.media).sort()).toEqual(["34567890", "45678901"])
    expect(found.unrelated).toEqual(["holiday.zip"])
  })

  it("a name whose digits no record knows stays unmatched under its last run, for the import to report", () => {
    const found = sorted(source("data-download-1.zip", "a_12345678_o.jpg", "IMG_0042_99999999.mov", "x_2014_88888888_o.jpg"))
    expect(found.media).toEqual({
      "12345678": [["data-download-1.zip", "a_12345678_o.jpg", undefined]],
      "99999999": [["data-download-1.zip", "IMG_0042_99999999.mov", "0042"]],
      "88888888": [["data-download-1.zip", "x_2014_88888888_o.jpg", "2014"]]
    })
    expect(found.unrelated).toEqual([])
  })
})

describe("values of the export", () => {
  it("reads dates as UTC seconds, digits as unix seconds", () => {
    expect(exportTime("2019-03-04 05:06:07")).toBe(Date.UTC(2019, 2, 4, 5, 6, 7) / 1000)
    expect(exportTime("1600000000")).toBe(1600000000)
    expect(exportTime("")).toBeNull()
    expect(exportTime(null)).toBeNull()
  })

  it("maps license names to Flickr's ids and privacy to the three flags", () => {
    expect(licenseId("All Rights Reserved")).toBe(0)
    expect(licenseId("Attribution-NonCommercial-ShareAlike License")).toBe(1)
    expect(licenseId("Attribution License")).toBe(4)
    expect(licenseId(null)).toBeNull()
    expect(licenseId("Something new")).toBeNull()
    expect(visibility("public")).toEqual({ is_public: 1, is_friend: 0, is_family: 0 })
    expect(visibility("friends & family")).toEqual({ is_public: 0, is_friend: 1, is_family: 1 })
    expect(visibility("private")).toEqual({ is_public: 0, is_friend: 0, is_family: 0 })
  })

  it("takes the server, original secret and format from the original's URL", () => {
    expect(originalUrlParts("https://live.staticflickr.com/65535/49424578362_b86d05d6d7_o.jpg")).toEqual({
      server: "65535", id: "49424578362", originalSecret: "b86d05d6d7", format: "jpg", farm: null
    })
    expect(originalUrlParts("https://farm66.staticflickr.com/4/123_abc_o.PNG")?.farm).toBe(66)
    expect(originalUrlParts("https://www.flickr.com/photos/x/123/")).toBeNull()
  })

  it("normalises tags as Flickr does, machine tags kept whole", () => {
    expect(normalisedTag("New York")).toBe("newyork")
    expect(normalisedTag("São-Paulo!")).toBe("sãopaulo")
    expect(normalisedTag("geo:lat=51.5")).toBe("geo:lat=51.5")
  })
})

const record = {
  id: "49424578362",
  name: "Tower &amp; bridge",
  description: "<b>Hello</b>",
  count_views: "12",
  count_faves: "3",
  count_comments: "1",
  date_taken: "2019-03-04 05:06:07",
  date_imported: "2020-01-02 03:04:05",
  photopage: "https://www.flickr.com/photos/someone/49424578362/",
  original: "https://live.staticflickr.com/65535/49424578362_b86d05d6d7_o.jpg",
  license: "Attribution License",
  geo: [{ latitude: "51507351", longitude: "-127758", accuracy: "16" }],
  tags: [{ tag: "London Bridge", user: "1@N01", date_create: "1600000000" }, { tag: "geo:lat=51.5", user: "1@N01" }],
  comments: [{ id: "c1", user: "2@N02", comment: "Nice", date: "2020-02-02 00:00:00", url: "https://x/c1" }],
  notes: [{ user: "1@N01", note: "a boat", x: "10", y: 20, w: 30, h: 40 }],
  albums: [],
  people: [],
  privacy: "friends",
  safety: "safe"
}

describe("exportPhotoFrom", () => {
  it("keeps the exif map as EXIF rows (tagspace before the colon) and takes the pixel size from it", () => {
    const exif = {
      "IFD0:Make": "Canon",
      "IFD0:Model": "Canon EOS 80D",
      "ExifIFD:ExifImageWidth": "6000",
      "ExifIFD:ExifImageHeight": 4000,
      "File:ImageWidth": "1024",
      "File:ImageHeight": "683",
      "NoTagspace": "x",
      "IFD0:Nested": { a: 1 }
    }
    const json = { ...record, exif }
    const photo = exportPhotoFrom(json, JSON.stringify(json), { owner: "1@N01", mediaExt: "jpg" })
    if (typeof photo === "string") throw new Error(photo)
    expect(photo.exif).toEqual([
      { tagspace: "IFD0", tag: "Make", label: null, raw: "Canon", clean: null },
      { tagspace: "IFD0", tag: "Model", label: null, raw: "Canon EOS 80D", clean: null },
      { tagspace: "ExifIFD", tag: "ExifImageWidth", label: null, raw: "6000", clean: null },
      { tagspace: "ExifIFD", tag: "ExifImageHeight", label: null, raw: "4000", clean: null },
      { tagspace: "File", tag: "ImageWidth", label: null, raw: "1024", clean: null },
      { tagspace: "File", tag: "ImageHeight", label: null, raw: "683", clean: null }
    ])
    expect([photo.row.width, photo.row.height]).toEqual([6000, 4000])

    const fileOnly = { ...record, exif: { "File:ImageWidth": "1024 pixels", "File:ImageHeight": "683" } }
    const second = exportPhotoFrom(fileOnly, JSON.stringify(fileOnly), { owner: "1@N01", mediaExt: "jpg" })
    if (typeof second === "string") throw new Error(second)
    expect([second.row.width, second.row.height]).toEqual([1024, 683])

    const none = { ...record, exif: { "ExifIFD:ExifImageWidth": "6000" } }
    const third = exportPhotoFrom(none, JSON.stringify(none), { owner: "1@N01", mediaExt: "jpg" })
    if (typeof third === "string") throw new Error(third)
    expect([third.row.width, third.row.height]).toEqual([null, null])
  })

  it("turns photo_<id>.json into a photos row (counts from strings, geo from degrees x 1e6), tags, comments, notes", () => {
    const text = JSON.stringify(record)
    const photo = exportPhotoFrom(record, text, { owner: "1@N01", mediaExt: "jpg" })
    if (typeof photo === "string") throw new Error(photo)
    expect(photo.row).toMatchObject({
      id: "49424578362",
      owner: "1@N01",
      title: "Tower &amp; bridge",
      description: "<b>Hello</b>",
      media: "photo",
      server: "65535",
      original_secret: "b86d05d6d7",
      original_format: "jpg",
      is_public: 0,
      is_friend: 1,
      license: 4,
      date_taken: "2019-03-04 05:06:07",
      date_uploaded: Date.UTC(2020, 0, 2, 3, 4, 5) / 1000,
      url_o: record.original,
      views: 12,
      count_faves: 3,
      count_comments: 1,
      latitude: 51.507351,
      longitude: -0.127758,
      accuracy: 16,
      tags: "londonbridge",
      machine_tags: "geo:lat=51.5",
      path_alias: "someone",
      raw: text
    })
    expect(photo.tags.map((t) => [t.raw, t.tag, t.author, t.machine_tag])).toEqual([
      ["London Bridge", "londonbridge", "1@N01", 0],
      ["geo:lat=51.5", "geo:lat=51.5", "1@N01", 1]
    ])
    expect(photo.comments).toMatchObject([{ comment_id: "c1", author: "2@N02", text: "Nice", permalink: "https://x/c1" }])
    expect(photo.notes).toMatchObject([{ author: "1@N01", text: "a boat", x: 10, y: 20, w: 30, h: 40 }])
    // An item without an id gets the same one every time, so a second import matches it.
    const again = exportPhotoFrom(record, text, { owner: "1@N01", mediaExt: "jpg" })
    expect(typeof again !== "string" && again.notes[0]!.note_id).toBe(photo.notes[0]!.note_id)
  })

  it("makes a video of a photo whose file is a video, without its poster as url_o; no location when geo is empty", () => {
    const photo = exportPhotoFrom({ ...record, geo: [] }, "{}", { owner: null, mediaExt: "mov" })
    if (typeof photo === "string") throw new Error(photo)
    expect(photo.row).toMatchObject({ media: "video", original_format: "mov", url_o: null, latitude: null, longitude: null, accuracy: null })
  })

  it("refuses a record whose id is missing or not digits, naming the field", () => {
    const context = { owner: null, mediaExt: null }
    expect(exportPhotoFrom({ name: "x" }, "{}", context)).toBe("has a field fbk cannot read: id is missing")
    expect(exportPhotoFrom({ ...record, id: "IMG_1" }, "{}", context)).toBe("has a field fbk cannot read: id: expected a photo id (digits), not \"IMG_1\"")
    expect(exportPhotoFrom([1, 2], "[]", context)).toMatch(/^has a field fbk cannot read: expected a photo's record/i)
  })

  it("is lenient where the export is loose: counts as numbers or text, fields left out, \"\" for none", () => {
    const { count_faves: _f, geo: _g, tags: _t, notes: _n, ...sparse } = record
    const photo = exportPhotoFrom({ ...sparse, count_views: 12, date_imported: "", license: null, comments: null }, "{}", { owner: null, mediaExt: "jpg" })
    if (typeof photo === "string") throw new Error(photo)
    expect(photo.row).toMatchObject({ views: 12, count_faves: null, date_uploaded: null, license: null, latitude: null, tags: "" })
    expect([photo.tags, photo.comments, photo.notes]).toEqual([[], [], []])
  })

  it("names the path of a field it cannot read: a bad date, a count that is no number, a tag that is no object", () => {
    const context = { owner: null, mediaExt: "jpg" }
    expect(exportPhotoFrom({ ...record, date_imported: "last summer" }, "{}", context))
      .toBe("has a field fbk cannot read: date_imported: expected a date (\"YYYY-MM-DD HH:MM:SS\") or unix seconds, not \"last summer\"")
    expect(exportPhotoFrom({ ...record, count_views: "many" }, "{}", context)).toBe("has a field fbk cannot read: count_views: expected a number, not \"many\"")
    expect(exportPhotoFrom({ ...record, geo: [{ latitude: "north", longitude: "1" }] }, "{}", context)).toMatch(/: geo\.latitude: expected degrees, not "north"$/)
    expect(exportPhotoFrom({ ...record, tags: [...record.tags, "sea"] }, "{}", context)).toMatch(/: tags\[2\]: expected a tag, /i)
    expect(exportPhotoFrom({ ...record, notes: [{ ...record.notes[0], x: "left" }] }, "{}", context)).toMatch(/: notes\[0\]\.x: expected a number, not "left"$/)
    expect(exportPhotoFrom({ ...record, tags: "sea" }, "{}", context)).toMatch(/: tags: expected a list of tags, /i)
  })
})

describe("albums.json and account_profile.json", () => {
  it("keeps each album's members in the export's order, its cover from a URL", () => {
    const albums = exportAlbumsFrom({
      albums: [{
        photo_count: "3", id: "72157", title: "Trip", description: "", view_count: "5", created: "1600000000",
        last_updated: "2020-09-13 12:26:40", cover_photo: "https://www.flickr.com/photos/someone/30/", photos: ["30", "10", "20"]
      }]
    })
    if (typeof albums === "string") throw new Error(albums)
    expect(albums[0]!.members).toEqual(["30", "10", "20"])
    expect(albums[0]!.row).toMatchObject({ id: "72157", title: "Trip", primary_photo_id: "30", photos: 3, count_views: 5, created_at: 1600000000, updated_at: 1600000000 })
  })

  it("names the path of what it cannot read: no albums list, a list that is not one, an album without an id, a bad date", () => {
    const album = { id: "72157", title: "Trip", created: "1600000000", photos: ["30"] }
    const { id: _id, ...withoutId } = album
    expect(exportAlbumsFrom({})).toBe("has a field fbk cannot read: albums is missing")
    expect(exportAlbumsFrom({ albums: { "72157": album } })).toMatch(/^has a field fbk cannot read: albums: expected a list of albums, /i)
    expect(exportAlbumsFrom({ albums: [album, withoutId] })).toBe("has a field fbk cannot read: albums[1].id is missing")
    expect(exportAlbumsFrom({ albums: [album, { ...album, id: "" }] })).toBe("has a field fbk cannot read: albums[1].id: expected an album id, not \"\"")
    expect(exportAlbumsFrom({ albums: [{ ...album, last_updated: "2020-13-45" }] }))
      .toBe("has a field fbk cannot read: albums[0].last_updated: expected a date (\"YYYY-MM-DD HH:MM:SS\") or unix seconds, not \"2020-13-45\"")
  })

  it("keeps an album as it came in raw, its member list aside", () => {
    const albums = exportAlbumsFrom({ albums: [{ id: "7", title: "A", view_count: 5, extra: { x: 1 }, photos: ["1", "", null, 2] }] })
    if (typeof albums === "string") throw new Error(albums)
    expect(albums[0]!.members).toEqual(["1", "2"])
    expect(JSON.parse(albums[0]!.row.raw)).toEqual({ id: "7", title: "A", view_count: 5, extra: { x: 1 } })
  })

  it("reads the account from the profile, or nothing when it has no NSID", () => {
    expect(exportAccountFrom({ nsid: "1@N01", screen_name: "me", real_name: "Me Myself" })).toEqual({ nsid: "1@N01", username: "me", fullname: "Me Myself" })
    expect(exportAccountFrom({ real_name: "x" })).toBeNull()
    expect(exportAccountFrom({ nsid: "1@N01", username: "me" })).toEqual({ nsid: "1@N01", username: "me", fullname: "" })
    expect(exportAccountFrom({ nsid: ["1@N01"] })).toBeNull()
  })
})

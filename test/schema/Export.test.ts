import { describe, expect, it } from "@effect/vitest"
import {
  classifyEntry,
  exportAccountFrom,
  exportAlbumsFrom,
  exportPhotoFrom,
  exportTime,
  licenseId,
  normalisedTag,
  originalUrlParts,
  visibility
} from "../../src/schema/Export.js"

describe("classifyEntry", () => {
  it("knows the account files and photo records by their names, in any folder of the zip", () => {
    expect(classifyEntry("albums.json")).toEqual({ kind: "albums" })
    expect(classifyEntry("some/folder/account_profile.json")).toEqual({ kind: "profile" })
    expect(classifyEntry("photo_49424578362.json")).toEqual({ kind: "photo", id: "49424578362" })
    expect(classifyEntry("faves_part001.json")).toEqual({ kind: "other" })
    expect(classifyEntry("photo_abc.json")).toEqual({ kind: "other" })
  })

  it("takes the id from the digits right before _o, not the first digits of the name", () => {
    expect(classifyEntry("img_1234_49424578362_o.jpg")).toEqual({ kind: "media", id: "49424578362", ext: "jpg" })
    expect(classifyEntry("dsc_0042_49424578363_o.JPG")).toEqual({ kind: "media", id: "49424578363", ext: "jpg" })
    expect(classifyEntry("holiday_49424578364_o.mp4")).toEqual({ kind: "media", id: "49424578364", ext: "mp4" })
  })

  it("reads the older <id>_<secret>_o form, and offers both readings when the secret is all digits", () => {
    expect(classifyEntry("49424578362_b86d05d6d7_o.jpg")).toEqual({ kind: "media", id: "49424578362", ext: "jpg" })
    expect(classifyEntry("49424578362_1234567890_o.png")).toEqual({ kind: "media", id: "1234567890", ext: "png", alternative: "49424578362" })
    expect(classifyEntry("IMG_1234.jpg")).toEqual({ kind: "other" })
    expect(classifyEntry("my_photo_o.jpg")).toEqual({ kind: "other" })
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

  it("refuses a record without a numeric id", () => {
    expect(exportPhotoFrom({ name: "x" }, "{}", { owner: null, mediaExt: null })).toBe("has no photo id")
    expect(exportPhotoFrom([1, 2], "[]", { owner: null, mediaExt: null })).toBe("is not a JSON object")
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
    expect(exportAlbumsFrom({})).toBe("has no `albums` list")
  })

  it("reads the account from the profile, or nothing when it has no NSID", () => {
    expect(exportAccountFrom({ nsid: "1@N01", screen_name: "me", real_name: "Me Myself" })).toEqual({ nsid: "1@N01", username: "me", fullname: "Me Myself" })
    expect(exportAccountFrom({ real_name: "x" })).toBeNull()
  })
})

// The matching rules on their own: pixel sizes that fit, and when a file's name may decide.
import { describe, expect, it } from "vitest"
import { buildIndex, matchFile, sizeFit } from "../../../src/programs/link/PhotoMatcher.js"
import type { FlickrPhoto, MediaFacts } from "../../../src/schema/Link.js"
import { mediaReading } from "../../../src/services/files/ExifReader.js"

const photo = (id: string, fields: Partial<FlickrPhoto> = {}): FlickrPhoto => ({
  id, title: null, taken: null, width: null, height: null, make: null, model: null, subsec: null, ...fields
})
const facts = (fields: Partial<MediaFacts> = {}): MediaFacts => ({
  taken: null, takenFrom: null, subsec: null, make: null, model: null, width: null, height: null, orientation: null,
  latitude: null, longitude: null, ...fields
})

describe("sizeFit", () => {
  const original = { width: 6000, height: 4000 }
  it("the same, turned, or proportionally smaller within a pixel's rounding; nothing else", () => {
    expect(sizeFit(6000, 4000, original)).toBe("pixel size")
    expect(sizeFit(4000, 6000, original)).toBe("pixel size (turned)")
    expect(sizeFit(2048, 1365, original)).toBe("pixel size (smaller)")
    expect(sizeFit(1366, 2048, original)).toBe("pixel size (smaller, turned)")
    expect(sizeFit(2048, 1300, original)).toBeNull() // cropped
    expect(sizeFit(6001, 4000, original)).toBeNull() // larger
    expect(sizeFit(4000, 4000, original)).toBeNull()
  })
})

describe("matchFile", () => {
  it("a camera's date that fits no photo is not overruled by the file's name", () => {
    const index = buildIndex([photo("1", { title: "IMG_1", taken: "2020-01-01 10:00:00" })], [])
    const file = { path: "/x/IMG_1.jpg", sha256: "a", facts: facts({ taken: "2021-01-01 10:00:00", takenFrom: "exif" }) }
    expect(matchFile(file, index)).toEqual({ kind: "none" })
  })

  it("a video's creation time (often UTC) lets its name decide within a day of the photo's date, not beyond", () => {
    const index = buildIndex([photo("1", { title: "Clip &amp; more", taken: "2020-01-01 10:00:00" })], [])
    const near = facts({ taken: "2020-01-01 18:00:00", takenFrom: "video" })
    expect(matchFile({ path: "/v/clip & more.MOV", sha256: "a", facts: near }, index)).toMatchObject({ kind: "linked", photoId: "1", method: "title" })
    const far = facts({ taken: "2020-01-03 10:00:00", takenFrom: "video" })
    expect(matchFile({ path: "/v/clip & more.MOV", sha256: "a", facts: far }, index)).toEqual({ kind: "none" })
  })

  it("a date with no pixel size to check on either side is not enough", () => {
    const index = buildIndex([photo("1", { taken: "2020-01-01 10:00:00" }), photo("2", { taken: "2020-01-02 10:00:00", width: 400, height: 300 })], [])
    const at = (taken: string, width: number | null) => ({ path: "/a.jpg", sha256: "a", facts: facts({ taken, takenFrom: "exif", width, height: width === null ? null : 300 }) })
    expect(matchFile(at("2020-01-01 10:00:00", 400), index)).toEqual({ kind: "none" })
    expect(matchFile(at("2020-01-02 10:00:00", null), index)).toEqual({ kind: "none" })
    expect(matchFile(at("2020-01-02 10:00:00", 400), index)).toMatchObject({ kind: "linked", photoId: "2" })
  })

  it("the same bytes as two photos' downloads is ambiguous, not a guess", () => {
    const index = buildIndex([photo("1"), photo("2")], [{ photoId: "1", sha256: "a" }, { photoId: "2", sha256: "a" }])
    expect(matchFile({ path: "/a.jpg", sha256: "a", facts: facts() }, index)).toEqual({ kind: "ambiguous", candidates: ["1", "2"], method: "sha256" })
  })
})

describe("mediaReading", () => {
  it("ExifTool's answer: EXIF date first, a video's creation time else; zero dates, text and truncated images", () => {
    expect(mediaReading({ MIMEType: "image/jpeg", ImageSize: "400 300", DateTimeOriginal: "2019:07:04 12:00:00", SubSecTimeOriginal: 10 }))
      .toEqual({ facts: facts({ taken: "2019-07-04 12:00:00", takenFrom: "exif", subsec: "10", width: 400, height: 300 }) })
    expect(mediaReading({ MIMEType: "video/quicktime", ImageSize: "1920 1080", CreateDate: "2020:01:01 10:00:00", CreationDate: "2020:01:01 12:00:00+02:00" }))
      .toMatchObject({ facts: { taken: "2020-01-01 12:00:00", takenFrom: "video" } })
    expect(mediaReading({ MIMEType: "image/jpeg", ImageSize: "400 300", DateTimeOriginal: "0000:00:00 00:00:00" }))
      .toMatchObject({ facts: { taken: null, takenFrom: null } })
    expect(mediaReading({ MIMEType: "text/plain" })).toEqual({ problem: "not an image or video (text/plain)" })
    expect(mediaReading({ MIMEType: "image/jpeg", Warning: "JPEG format error" })).toEqual({ problem: "JPEG format error" })
    expect(mediaReading({ Error: "File is empty" })).toEqual({ problem: "File is empty" })
    expect(mediaReading(undefined)).toEqual({ problem: "ExifTool could not read it" })
  })
})

// The sidecar's text: escaping, dates by granularity, GPS, keyword hierarchies that titles with "/"
// or "|" cannot break, the same bytes for the same record, and every field as ExifTool reads it back.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import type { SidecarRecord } from "../../../src/programs/sidecars/SidecarRecord.js"
import { keywordPaths, renderXmp, xmlText, xmpCoordinate, xmpDates } from "../../../src/programs/sidecars/XmpSidecar.js"
import { tempDir } from "../../support/Fixtures.js"
import { expectXmpOf, readXmp } from "../../support/XmpReadBack.js"

const ON = { gps: true, titleInDescription: false }

export const record = (overrides: Partial<SidecarRecord> = {}): SidecarRecord => ({
  id: "13265121374",
  media: "photo",
  title: "Café <b> & \"Ünïcødé\" 🌍",
  description: "Line one & <two>\nhttps://example.com/?a=1&b=2",
  tags: ["San Francisco", "it's \"quoted\"", "a/b|c", "2010"],
  machineTags: ["geo:lat=1"],
  albums: ["Trip / 2006", "Other | stuff"],
  collectionPaths: [["Travel", "Africa", "Trip / 2006"], ["Best of", "Trip / 2006"]],
  dateTaken: "2006-03-14 09:26:53",
  dateTakenGranularity: 0,
  latitude: -33.92,
  longitude: 18.42,
  license: { id: 4, name: "Attribution", url: "https://creativecommons.org/licenses/by/2.0/" },
  privacy: "friends and family",
  views: 42,
  faves: 3,
  commentCount: 2,
  notes: [{ author: "Ann", text: "Table <Mountain>" }],
  comments: [{ author: "Bob", created: 1_400_000_000, permalink: null, text: "Nice & \"sharp\"" }],
  pageUrl: "https://www.flickr.com/photos/me/13265121374/",
  originalPath: "originals/2006/03/13265121374.jpg",
  ...overrides
})

const bare = record({
  title: "", description: "", tags: [], machineTags: [], albums: [], collectionPaths: [], dateTaken: null, latitude: null,
  longitude: null, license: null, views: null, faves: null, commentCount: null, notes: [], comments: []
})

describe("renderXmp", () => {
  it("renders the same bytes for the same record, and other bytes for any change", () => {
    expect(renderXmp(record(), ON)).toBe(renderXmp(record(), ON))
    expect(renderXmp(record({ tags: ["San Francisco"] }), ON)).not.toBe(renderXmp(record(), ON))
    expect(renderXmp(record({ albums: ["Renamed"] }), ON)).not.toBe(renderXmp(record(), ON))
  })

  it("writes elements only, escaped, with no attribute values but the namespaces", () => {
    const xmp = renderXmp(record(), ON)
    expect(xmp).toContain("<rdf:li xml:lang=\"x-default\">Café &lt;b&gt; &amp; \"Ünïcødé\" 🌍</rdf:li>")
    expect(xmp).not.toMatch(/<(dc|exif|xmp|photoshop|tiff|flickr):\w+ [^>]*=/)
    expect(xmlText("a\u0001b\rc")).toBe("ab&#xD;c")
  })

  it("keeps a title with / or | one level of the hierarchy, and the raw tag in dc:subject", () => {
    const paths = keywordPaths(record())
    expect(paths).toContainEqual(["Flickr", "Albums", "Trip ∕ 2006"])
    expect(paths).toContainEqual(["Flickr", "Albums", "Other ∣ stuff"])
    expect(paths).toContainEqual(["Flickr", "Collections", "Travel", "Africa", "Trip ∕ 2006"])
    expect(paths).toContainEqual(["a∕b∣c"])
    expect(renderXmp(record(), ON)).toContain("<rdf:li>a/b|c</rdf:li>")
  })

  it("dates by granularity: exact in full, month and year only truncated and no DateTimeOriginal", () => {
    expect(xmpDates(record())).toEqual({ full: "2006-03-14T09:26:53", created: "2006-03-14T09:26:53" })
    expect(xmpDates(record({ dateTakenGranularity: 4 }))).toEqual({ full: null, created: "2006-03" })
    expect(xmpDates(record({ dateTakenGranularity: 6 }))).toEqual({ full: null, created: "2006" })
    expect(xmpDates(record({ dateTakenGranularity: 8 }))).toEqual({ full: null, created: "2006" })
    expect(renderXmp(record({ dateTakenGranularity: 4 }), ON)).not.toContain("DateTimeOriginal")
  })

  it("GPS in DD,MM.mmmmR, carrying a rounded 60 minutes into the degrees; none without gps or location", () => {
    expect(xmpCoordinate(51.5074, "N", "S")).toBe("51,30.4440N")
    expect(xmpCoordinate(-0.1278, "E", "W")).toBe("0,7.6680W")
    expect(xmpCoordinate(10.9999999, "N", "S")).toBe("11,0.0000N")
    expect(renderXmp(record(), { ...ON, gps: false })).not.toContain("GPS")
    expect(renderXmp(record({ latitude: null, longitude: null }), ON)).not.toContain("GPS")
  })

  it("puts the title first in the description only when asked", () => {
    expect(renderXmp(record(), ON)).not.toContain("Ünïcødé\" 🌍\n\nLine one")
    expect(renderXmp(record(), { ...ON, titleInDescription: true })).toContain("Ünïcødé\" 🌍\n\nLine one")
  })

  it.scoped("reads back through ExifTool field by field, with and without location and options", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const cases: ReadonlyArray<readonly [SidecarRecord, typeof ON]> = [
        [record(), ON],
        [record(), { gps: false, titleInDescription: true }],
        [record({ id: "2", dateTakenGranularity: 4, latitude: null, longitude: null, media: "video" }), ON],
        [record({ id: "3", dateTakenGranularity: 6, tags: ["one"], albums: ["Solo"], collectionPaths: [] }), ON],
        [{ ...bare, id: "4" }, ON]
      ]
      const files = cases.map(([r, options], i) => {
        const file = path.join(dir, `${i}.jpg.xmp`)
        fs.writeFileSync(file, renderXmp(r, options))
        return file
      })
      const read = yield* readXmp(files)
      cases.forEach(([r, options], i) => expectXmpOf(read[i]!, r, options))
    }), 60_000)
})

// Sidecars read back as the photo apps read them, through ExifTool (`-G1 -struct`, numbers as numbers),
// and what ExifTool must report for a sidecar record: the one comparison unit and integration tests share.
import { expect } from "@effect/vitest"
import { Effect } from "effect"
import { ExifTool } from "exiftool-vendored"
import type { SidecarRecord } from "../../src/programs/sidecars/SidecarRecord.js"
import { descriptionText, keywordPaths, type XmpOptions } from "../../src/programs/sidecars/XmpSidecar.js"

export type XmpTags = Readonly<Record<string, unknown>>

/** Each file's tags as ExifTool reads them, one ExifTool process for all. */
export const readXmp = (paths: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<XmpTags>> =>
  Effect.acquireUseRelease(
    Effect.sync(() => new ExifTool({ maxProcs: 1 })),
    (exiftool) =>
      Effect.promise(() => Promise.all(paths.map((p) => exiftool.readRaw(p, ["-G1", "-struct", "-n"]) as Promise<XmpTags>))),
    (exiftool) => Effect.promise(() => exiftool.end())
  )

/** ExifTool turns "2010" into 2010 and a one-item list into its item: compare as lists of strings. */
const asStrings = (value: unknown): ReadonlyArray<string> | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String)

const DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

/** The fields a sidecar of `record` must show, as ExifTool names them (absent: undefined). */
export const expectedXmp = (record: SidecarRecord, options: XmpOptions): Record<string, ReadonlyArray<string> | undefined> => {
  const description = descriptionText(record, options.titleInDescription)
  const keywords = keywordPaths(record)
  const taken = DATE.exec(record.dateTaken ?? "")
  const exifDate = taken === null ? undefined : `${taken[1]}:${taken[2]}:${taken[3]} ${taken[4]}:${taken[5]}:${taken[6]}`
  const exact = record.dateTakenGranularity === 0 && exifDate !== undefined
  const created = taken === null ? undefined : record.dateTakenGranularity === 4 ? `${taken[1]}:${taken[2]}` : `${taken[1]}`
  const gps = options.gps && record.latitude !== null && record.longitude !== null
  const some = (value: string | number | null | undefined) => (value === null || value === undefined || value === "" ? undefined : [String(value)])
  const many = (values: ReadonlyArray<string>) => (values.length === 0 ? undefined : values)
  return {
    "XMP-dc:Title": some(record.title),
    "XMP-dc:Description": some(description),
    "XMP-tiff:ImageDescription": some(description),
    "XMP-dc:Subject": many(record.tags),
    "XMP-digiKam:TagsList": many(keywords.map((k) => k.join("/"))),
    "XMP-lr:HierarchicalSubject": many(keywords.map((k) => k.join("|"))),
    "XMP-exif:DateTimeOriginal": exact ? [exifDate] : undefined,
    "XMP-xmp:CreateDate": exact ? [exifDate] : undefined,
    "XMP-photoshop:DateCreated": exact ? [exifDate] : created === undefined ? undefined : [created],
    "XMP-exif:GPSLatitude": gps ? [String(Math.round(record.latitude! * 60 * 10_000) / 600_000)] : undefined,
    "XMP-exif:GPSLongitude": gps ? [String(Math.round(record.longitude! * 60 * 10_000) / 600_000)] : undefined,
    "XMP-exif:GPSVersionID": gps ? ["2.2.0.0"] : undefined,
    "XMP-dc:Source": some(record.pageUrl),
    "XMP-xmpRights:WebStatement": some(record.license?.url),
    "XMP-dc:Rights": some(record.license?.name),
    "XMP-flickr:Id": [record.id],
    "XMP-flickr:Privacy": [record.privacy],
    "XMP-flickr:Views": some(record.views),
    "XMP-flickr:MachineTags": many(record.machineTags),
    "XMP-flickr:Notes": many(record.notes.map((n) => (n.author === "" ? n.text : `${n.author}: ${n.text}`))),
    "XMP-flickr:Comments": many(record.comments.map((c) =>
      `${c.author}${c.created === null ? "" : `, ${new Date(c.created * 1000).toISOString().replace(".000Z", "Z")}`}: ${c.text}`))
  }
}

/** Every field of `read` equals what `record` says (GPS to 1/10000 of a minute). */
export const expectXmpOf = (read: XmpTags, record: SidecarRecord, options: XmpOptions) => {
  const expected = expectedXmp(record, options)
  const actual = Object.fromEntries(Object.keys(expected).map((key) => [key, asStrings(read[key])]))
  for (const key of ["XMP-exif:GPSLatitude", "XMP-exif:GPSLongitude"]) {
    const [want, got] = [expected[key], actual[key]]
    if (want !== undefined && got !== undefined) {
      expect(Math.abs(Number(got[0]) - Number(want[0])), `${record.id} ${key}`).toBeLessThan(1e-6)
      actual[key] = want
    }
  }
  expect({ id: record.id, ...actual }).toEqual({ id: record.id, ...expected })
}

import { afterAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { ExifReader, HEAD_BYTES, jpegFacts } from "../../../src/services/files/ExifReader.js"
import { type CameraFile, cameraJpeg, writeFile } from "../../../src/simulator/LocalLibrary.js"
import { ascii, concat, segment } from "../../support/MediaBytes.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-exif-"))

/** Files as cameras and exports have them: what `fbk link` must read the same way in-process as with ExifTool. */
const CAMERA_FILES: Record<string, CameraFile> = {
  "canon.jpg": { width: 4000, height: 3000, taken: "2019-07-01 10:00:00" },
  "nikon south west.jpg": {
    width: 800,
    height: 600,
    taken: "2014-05-30 06:31:07",
    subsec: "050",
    make: "NIKON CORPORATION",
    model: "NIKON D750",
    location: { latitude: -33.8568, longitude: -151.2153 }
  },
  "north east.JPEG": { width: 640, height: 427, taken: "2020-02-29 23:59:59", subsec: "7", location: { latitude: 55.6761, longitude: 12.5683 } },
  "no exif.jpg": { width: 64, height: 48 },
  "padded.jpg": { width: 1024, height: 683, taken: "2001-01-01 01:01:01", bytes: 600_000 }
}

/** A JPEG whose segments before the frame header run past HEAD_BYTES: the head cannot settle its size. */
const lateFrame = () => {
  const camera = cameraJpeg({ width: 300, height: 200, taken: "2018-08-08 08:08:08" })
  const filler = Array.from({ length: 3 }, () => segment(0xe2, new Uint8Array(60_000)))
  return concat(camera.subarray(0, 2), ...filler, camera.subarray(2))
}

/** A JPEG with its date only in XMP, as some editors write: ExifTool reads it from there. */
const xmpOnly = () => {
  const xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:DateTimeOriginal="2015-01-02T03:04:05"/></rdf:RDF></x:xmpmeta>'
  const plain = cameraJpeg({ width: 320, height: 240 })
  return concat(plain.subarray(0, 2), segment(0xe1, concat(ascii("http://ns.adobe.com/xap/1.0/\0"), ascii(xmp))), plain.subarray(2))
}

const pathOf = (name: string) => path.join(dir, name)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe("ExifReader", () => {
  for (const [name, file] of Object.entries(CAMERA_FILES)) writeFile(dir, name, cameraJpeg(file))
  writeFile(dir, "late frame.jpg", lateFrame())
  writeFile(dir, "xmp only.jpg", xmpOnly())
  writeFile(dir, "text.jpg", Buffer.from("not a photo\n"))

  it.layer(ExifReader.Default)((it) => {
    it.effect("reads a JPEG's facts in-process exactly as ExifTool reads them", () =>
      Effect.gen(function*() {
        const reader = yield* ExifReader
        const paths = Object.keys(CAMERA_FILES).map(pathOf)
        const inProcess = yield* reader.readFacts(paths.map((p) => ({ path: p })))
        const byTool = yield* reader.readWithExifTool(paths)
        expect(inProcess).toEqual(byTool)
        expect(inProcess[1]).toEqual({
          facts: {
            taken: "2014-05-30 06:31:07",
            takenFrom: "exif",
            subsec: "050",
            make: "NIKON CORPORATION",
            model: "NIKON D750",
            width: 800,
            height: 600,
            orientation: null,
            latitude: -33.8568,
            longitude: -151.2153
          }
        })
        // Every one of them was settled in-process.
        for (const p of paths) expect(jpegFacts(fs.readFileSync(p).subarray(0, HEAD_BYTES))._tag).toBe("Some")
      }))

    it.effect("reads the head it is given, not the file again", () =>
      Effect.gen(function*() {
        const reader = yield* ExifReader
        const head = fs.readFileSync(pathOf("canon.jpg")).subarray(0, HEAD_BYTES)
        const [reading] = yield* reader.readFacts([{ path: pathOf("no exif.jpg"), head }])
        expect(reading).toMatchObject({ facts: { taken: "2019-07-01 10:00:00", width: 4000, height: 3000 } })
      }))

    it.effect("leaves to ExifTool what the head cannot settle: a frame header past it, a date in XMP, a file that is no JPEG", () =>
      Effect.gen(function*() {
        const reader = yield* ExifReader
        const names = ["late frame.jpg", "xmp only.jpg", "text.jpg"]
        for (const name of names) expect(jpegFacts(fs.readFileSync(pathOf(name)).subarray(0, HEAD_BYTES))._tag).toBe("None")
        const readings = yield* reader.readFacts(names.map((name) => ({ path: pathOf(name) })))
        expect(readings).toEqual(yield* reader.readWithExifTool(names.map(pathOf)))
        expect(readings[0]).toMatchObject({ facts: { taken: "2018-08-08 08:08:08", width: 300, height: 200 } })
        expect(readings[1]).toMatchObject({ facts: { taken: "2015-01-02 03:04:05", takenFrom: "exif", width: 320, height: 240 } })
        expect(readings[2]).toEqual({ problem: "not an image or video (text/plain)" })
      }))

    it.effect("reads every tag ExifTool finds as getExif rows, by family-1 group", () =>
      Effect.gen(function*() {
        const reader = yield* ExifReader
        const rows = yield* reader.read(pathOf("nikon south west.jpg"))
        const raw = (tagspace: string, tag: string) => rows.find((r) => r.tagspace === tagspace && r.tag === tag)?.raw
        expect(raw("IFD0", "Make")).toBe("NIKON CORPORATION")
        expect(raw("ExifIFD", "SubSecTimeOriginal")).toBe("050")
        expect(raw("GPS", "GPSLatitudeRef")).toBe("South")
        expect(rows.some((r) => ["File", "System", "ExifTool", "Composite"].includes(r.tagspace))).toBe(false)
      }))
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import type { Expected } from "../../../src/schema/Files.js"
import { contentCheck, describeStart, jpegFrameScan } from "../../../src/services/files/ContentCheck.js"
import { ascii, concat, jpeg, mp4, segment } from "../../support/MediaBytes.js"

/** `bytes` fed in pieces that end at each of `cuts` (a cut may be 0 or the length: an empty piece). */
const piecesAt = (bytes: Uint8Array, cuts: ReadonlyArray<number>) =>
  [0, ...cuts, bytes.length].slice(1).map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1]!, end))

const frameOf = (pieces: ReadonlyArray<Uint8Array>) => {
  const scan = jpegFrameScan()
  for (const piece of pieces) scan.update(piece)
  return scan.end()
}

const problemOf = (expect: Expected, pieces: ReadonlyArray<Uint8Array>) => {
  const check = contentCheck(expect)
  for (const piece of pieces) check.update(piece)
  return check.problem()
}

// Before the camera's segments: a short one, fill bytes, a marker without a length, a comment.
const awkward = concat([0xff, 0xd8], segment(0xe0, ascii("JF")), [0xff, 0xff, 0xff, 0x01], segment(0xfe, ascii("a")), jpeg(800, 600).subarray(2))
// The last such header: the EXIF segment holds a decoy frame header (16x16) before it.
const frame = Buffer.from(awkward).lastIndexOf(Buffer.from([0xff, 0xc0, 0x00, 0x11]))
/** Where FileTransfer's resume test cuts the file: in its first bytes, and around the frame header. */
const RESUME_CUTS = [...Array.from({ length: 24 }, (_, i) => i + 1), ...Array.from({ length: 14 }, (_, i) => frame - 2 + i)]

describe("jpegFrameScan", () => {
  it("finds the frame size past segments, fill bytes and a decoy in the EXIF, wherever the bytes are split", () => {
    const whole = Option.some({ width: 800, height: 600 })
    expect(frameOf([awkward])).toEqual(whole)
    for (const cut of RESUME_CUTS) expect(frameOf(piecesAt(awkward, [cut])), `cut at ${cut}`).toEqual(whole)
    // Every split point of the bytes up to past the frame header, and one byte at a time.
    for (let cut = 0; cut <= frame + 12; cut++) expect(frameOf(piecesAt(awkward, [cut])), `cut at ${cut}`).toEqual(whole)
    expect(frameOf(Array.from(awkward, (b) => Uint8Array.of(b)))).toEqual(whole)
    // Two cuts close together: a piece of one to three bytes inside the marker, length or size.
    for (let cut = frame - 4; cut <= frame + 9; cut++) {
      for (const width of [1, 2, 3]) expect(frameOf(piecesAt(awkward, [cut, cut + width]))).toEqual(whole)
    }
  })

  it("reads a progressive frame (SOF2) and skips DHT, which is no frame header", () => {
    expect(frameOf([jpeg(1024, 683, 0xc2)])).toEqual(Option.some({ width: 1024, height: 683 }))
  })

  it("has no size when image data, the end, or the end of the bytes comes before a frame header", () => {
    const noFrame = concat([0xff, 0xd8], segment(0xe1, ascii("Exif\0\0abc")), segment(0xda, [0x01]), [0xff, 0xd9])
    expect(frameOf([noFrame])).toEqual(Option.none())
    expect(frameOf([concat([0xff, 0xd8], [0xff, 0xd9])])).toEqual(Option.none())
    expect(frameOf([awkward.subarray(0, frame + 6)])).toEqual(Option.none())
    expect(frameOf([concat([0xff, 0xd8], [0x12, 0x34, 0x56, 0x78])])).toEqual(Option.none())
  })
})

describe("contentCheck", () => {
  it("accepts each kind by its first bytes, even when they come one at a time", () => {
    const gif = concat(ascii("GIF89a"), [1, 2, 3])
    const png = concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13])
    const oldQuickTime = concat([0, 0, 0, 0x08], ascii("wide"), [0, 0, 0, 0x10], ascii("mdat"))
    const cases: ReadonlyArray<readonly [Expected, Uint8Array]> = [
      [{ kind: "jpeg" }, jpeg(10, 10)],
      [{ kind: "png" }, png],
      [{ kind: "gif" }, gif],
      [{ kind: "mp4" }, mp4()],
      [{ kind: "mov" }, mp4()],
      [{ kind: "mov" }, oldQuickTime],
      [{ kind: "any" }, new TextEncoder().encode("<html>")]
    ]
    for (const [expect_, bytes] of cases) {
      const body = bytes
      expect(problemOf(expect_, [body])).toEqual(Option.none())
      const oneByOne: Array<Uint8Array> = Array.from(body.subarray(0, 20), (b) => Uint8Array.of(b))
      expect(problemOf(expect_, [...oneByOne, body.subarray(20)])).toEqual(Option.none())
    }
  })

  it("says what came instead of the expected kind", () => {
    const html = new TextEncoder().encode("  <!DOCTYPE html><html>Too many requests</html>")
    expect(problemOf({ kind: "jpeg" }, [html])).toEqual(Option.some("expected JPEG, but it is text (an HTML or XML page)"))
    expect(problemOf({ kind: "mp4" }, [jpeg(4, 4)])).toEqual(Option.some("expected MP4, but it is JPEG"))
    expect(problemOf({ kind: "png" }, [])).toEqual(Option.some("expected PNG, but it is empty"))
    expect(problemOf({ kind: "gif" }, [Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9)])).toEqual(
      Option.some("expected GIF, but it starts with 01 02 03 04 05 06 07 08")
    )
    expect(describeStart(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe("it is PNG")
  })

  it("checks a JPEG's frame against the size asked for, either way up, at every cut FileTransfer resumes at", () => {
    for (const cut of RESUME_CUTS) {
      const pieces = piecesAt(awkward, [cut])
      expect(problemOf({ kind: "jpeg", width: 800, height: 600 }, pieces)).toEqual(Option.none())
      expect(problemOf({ kind: "jpeg", width: 600, height: 800 }, pieces)).toEqual(Option.none())
      expect(problemOf({ kind: "jpeg", width: 640, height: 480 }, pieces)).toEqual(
        Option.some("expected a JPEG of 640x480 (or 480x640), but its frame is 800x600")
      )
    }
    const noFrame = concat([0xff, 0xd8], segment(0xe1, ascii("Exif\0\0abc")), segment(0xda, [0x01]), [0xff, 0xd9])
    expect(problemOf({ kind: "jpeg", width: 10, height: 10 }, [noFrame])).toEqual(
      Option.some("expected a JPEG, but it has no frame header before its image data")
    )
    // Without a size to check, the frame is not looked for.
    expect(problemOf({ kind: "jpeg" }, [noFrame])).toEqual(Option.none())
  })
})

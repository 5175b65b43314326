// Which bytes a Range header asks of a file: one range, open-ended, a suffix, past the end, and
// what the RFC lets a server answer with the whole file.
import { describe, expect, it } from "vitest"
import { byteRange } from "../../../src/programs/serve/Responses.js"

describe("Responses.byteRange", () => {
  it("no Range: the whole file", () => {
    expect(byteRange(undefined, 1000)).toBeNull()
  })

  it("a closed range, clipped to the file's end", () => {
    expect(byteRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 })
    expect(byteRange("bytes=100-199", 1000)).toEqual({ start: 100, end: 199 })
    expect(byteRange("bytes=999-999", 1000)).toEqual({ start: 999, end: 999 })
    expect(byteRange("bytes=900-5000", 1000)).toEqual({ start: 900, end: 999 })
    expect(byteRange(" bytes=0-0 ", 1000)).toEqual({ start: 0, end: 0 })
  })

  it("open-ended: from the first byte to the end", () => {
    expect(byteRange("bytes=0-", 1000)).toEqual({ start: 0, end: 999 })
    expect(byteRange("bytes=500-", 1000)).toEqual({ start: 500, end: 999 })
  })

  it("a suffix: the last bytes, or the whole file when it is shorter", () => {
    expect(byteRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 })
    expect(byteRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 })
    expect(byteRange("bytes=-0", 1000)).toBe("unsatisfiable")
  })

  it("past the end: unsatisfiable (416)", () => {
    expect(byteRange("bytes=1000-", 1000)).toBe("unsatisfiable")
    expect(byteRange("bytes=1000-1100", 1000)).toBe("unsatisfiable")
    expect(byteRange("bytes=0-", 0)).toBe("unsatisfiable")
    expect(byteRange("bytes=-10", 0)).toBe("unsatisfiable")
  })

  it("several ranges, another unit, nonsense or a last byte before the first: the whole file", () => {
    for (const header of ["bytes=0-9,20-29", "bytes=0-9, 20-29", "items=0-9", "bytes=-", "bytes=a-b", "bytes=5-2", "", "bytes=0-9-"]) {
      expect(byteRange(header, 1000), header).toBeNull()
    }
  })
})

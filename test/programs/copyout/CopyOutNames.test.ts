// Copy-out's names and decisions, pure: safe and unique names that a newcomer never takes from an
// earlier copy, the albums layout's numbering, and which copies are written, kept or left alone.
import { describe, expect, it } from "vitest"
import { albumPlacements, datePlacements, portableName } from "../../../src/programs/copyout/CopyOutNames.js"
import { decide, type Wanted } from "../../../src/programs/copyout/CopyOutPlan.js"
import type { ChosenPhoto } from "../../../src/services/database/CopyOutRepository.js"

const photo = (id: string, title: string | null, date_taken: string | null = "2019-07-01 12:00:00", file = `originals/2019/07/${id}.jpg`): ChosenPhoto => ({
  id, title, date_taken, date_taken_unknown: 0, path: file, sha256: "a".repeat(64)
})

describe("copy-out names", () => {
  it("makes titles names any system takes", () => {
    expect(portableName("Tromsø &amp; \"nordlys\": 1/2?")).toBe("Tromsø & _nordlys__ 1_2_")
    expect(portableName("CON")).toBe("CON_")
    expect(portableName(" .hidden. ")).toBe("_hidden")
    expect(portableName(null)).toBe("")
  })

  it("dates layout: YYYY/MM/<title or id>.<ext>, undated when unknown, the extension lower case", () => {
    const placed = datePlacements([
      photo("1", "Harbour"),
      photo("2", null, "2004-03-01 00:00:00", "originals/2004/03/2.MP4"),
      { ...photo("3", "Fog"), date_taken_unknown: 1 },
      { ...photo("4", "No file"), path: null }
    ], new Map())
    expect(placed.map((p) => p.target)).toEqual(["2019/07/Harbour.jpg", "2004/03/2.mp4", "undated/Fog.jpg"])
  })

  it("a clash (case aside) appends the id, and the photo that had the name keeps it", () => {
    const photos = [photo("10", "Sunset"), photo("11", "sunset"), photo("12", "Other")]
    expect(datePlacements(photos, new Map()).map((p) => p.target)).toEqual(["2019/07/Sunset 10.jpg", "2019/07/sunset 11.jpg", "2019/07/Other.jpg"])
    const earlier = new Map([["11", "2019/07/sunset.jpg"]])
    expect(datePlacements(photos, earlier).map((p) => p.target)).toEqual(["2019/07/Sunset 10.jpg", "2019/07/sunset.jpg", "2019/07/Other.jpg"])
  })

  it("albums layout: a copy per album, numbered by the album's order; photos in no album apart, unless albums were asked for", () => {
    const photos = [photo("1", "A"), photo("2", "B"), photo("3", "C")]
    const memberships = [
      { photo_id: "2", album_id: "100", album_title: "Trip", position: 1 },
      { photo_id: "1", album_id: "100", album_title: "Trip", position: 12 },
      { photo_id: "1", album_id: "200", album_title: "Best: of", position: 3 }
    ]
    expect(albumPlacements(photos, memberships, new Map(), false).map((p) => [p.slot, p.target])).toEqual([
      ["100/2", "Trip/0001 B.jpg"],
      ["100/1", "Trip/0012 A.jpg"],
      ["200/1", "Best_ of/0003 A.jpg"],
      ["/3", "(not in any album)/C.jpg"]
    ])
    expect(albumPlacements(photos, memberships, new Map(), true)).toHaveLength(3)
  })
})

const record = { slot: "1", photo_id: "1", source: "s", metadata: "m", bytes: 10, mtime_ms: 5 }
const wanted = (over: Partial<Wanted>): Wanted => ({ slot: "1", source: "s", metadata: "m", recorded: record, disk: { bytes: 10, mtime_ms: 5 }, earlier: undefined, ...over })

describe("copy-out decisions", () => {
  it("keeps an unchanged copy, rewrites one whose original or metadata changed, writes a deleted one again", () => {
    expect(decide(wanted({}))).toEqual({ _tag: "Unchanged" })
    expect(decide(wanted({ metadata: "m2" }))).toEqual({ _tag: "Write", fresh: false, replaces: null })
    expect(decide(wanted({ source: "s2" }))).toEqual({ _tag: "Write", fresh: false, replaces: null })
    expect(decide(wanted({ disk: undefined }))).toEqual({ _tag: "Write", fresh: true, replaces: null })
  })

  it("never overwrites a file it did not write, or one changed since", () => {
    expect(decide(wanted({ recorded: undefined }))).toEqual({ _tag: "LeftAlone", why: "not made by fbk" })
    expect(decide(wanted({ disk: { bytes: 10, mtime_ms: 6 }, metadata: "m2" }))).toEqual({ _tag: "LeftAlone", why: "changed since fbk wrote it" })
    expect(decide(wanted({ recorded: { ...record, slot: "2" } }))._tag).toBe("LeftAlone")
  })

  it("removes its own earlier copy of a renamed photo only when that copy is as it wrote it", () => {
    const earlier = { target: "old.jpg", record, disk: { bytes: 10, mtime_ms: 5 } }
    expect(decide(wanted({ recorded: undefined, disk: undefined, earlier }))).toEqual({ _tag: "Write", fresh: true, replaces: "old.jpg" })
    expect(decide(wanted({ recorded: undefined, disk: undefined, earlier: { ...earlier, disk: { bytes: 11, mtime_ms: 5 } } })))
      .toEqual({ _tag: "Write", fresh: true, replaces: null })
  })
})

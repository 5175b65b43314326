// The `?in=` context of a photo page: album, tag or search, else the timeline; and back again.
import { describe, expect, it } from "vitest"
import { browsingParam, parseBrowsing } from "../../../src/programs/serve/Browsing.js"

describe("Browsing.parseBrowsing", () => {
  it("reads album, tag and search contexts, keeping everything after the first colon", () => {
    expect(parseBrowsing("album:72157")).toEqual({ _tag: "Album", album: "72157" })
    expect(parseBrowsing("tag:new york")).toEqual({ _tag: "Tag", tag: "new york" })
    expect(parseBrowsing("tag:dc:date=2014")).toEqual({ _tag: "Tag", tag: "dc:date=2014" })
    expect(parseBrowsing("search:title:snow OR ice")).toEqual({ _tag: "Search", query: "title:snow OR ice" })
  })

  it("falls back to the timeline for none, an empty value, an unknown kind or no colon", () => {
    for (const value of [null, "", "album:", "tag:", "search:", "album", "collection:1", ":1", "ALBUM:1", "<script>:x"]) {
      expect(parseBrowsing(value), String(value)).toEqual({ _tag: "Timeline" })
    }
  })

  it("browsingParam gives back what parseBrowsing read", () => {
    for (const value of ["album:72157", "tag:dc:date=2014", "search:a b"]) expect(browsingParam(parseBrowsing(value))).toBe(value)
    expect(browsingParam({ _tag: "Timeline" })).toBeNull()
  })
})

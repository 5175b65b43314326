import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { flickrSizedUrl, missingReason, pictureOrigin, PLACEHOLDERS, placeholderSvg } from "../../../src/programs/serve/Pictures.js"
import type { PhotoCard } from "../../../src/schema/Viewer.js"

const card = (fields: Partial<PhotoCard> = {}): PhotoCard => ({
  id: "5300", title: null, media: "photo", date_taken: null, width: 4, height: 3, deleted_at: null,
  server: "65535", secret: "ab12cd", source: "flickr", local_picture: 0, ...fields
})

describe("Pictures", () => {
  it("a photo's own thumbnail when the store has its file; else Flickr's sized copy; else a placeholder saying why", () => {
    expect(pictureOrigin(card({ local_picture: 1 }))._tag).toBe("Local")
    expect(pictureOrigin(card())._tag).toBe("Flickr")
    expect(flickrSizedUrl(card(), "small")).toEqual(Option.some("https://live.staticflickr.com/65535/5300_ab12cd_w.jpg"))
    expect(flickrSizedUrl(card(), "large")).toEqual(Option.some("https://live.staticflickr.com/65535/5300_ab12cd_b.jpg"))
    expect(pictureOrigin(card({ server: null, secret: null }))).toEqual({ _tag: "Placeholder", reason: "not-downloaded" })
    expect(pictureOrigin(card({ server: null, secret: null, source: "export" }))).toEqual({ _tag: "Placeholder", reason: "not-in-export" })
    expect(missingReason(card({ source: "export" }))).toBe("not-in-export")
  })

  it("never builds a Flickr URL from a server, secret or id that is not what Flickr gives", () => {
    for (const odd of [{ server: "1/../x" }, { secret: "ab?x=1" }, { id: "12@evil" }, { secret: "" }]) {
      expect(flickrSizedUrl(card(odd), "small")).toEqual(Option.none())
    }
  })

  it("placeholders say their fixed words, escaped", () => {
    for (const [reason, lines] of Object.entries(PLACEHOLDERS)) {
      const svg = placeholderSvg(reason as keyof typeof PLACEHOLDERS)
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
      for (const line of lines) expect(svg).toContain(line.replace(/'/g, "&apos;"))
      expect(svg).not.toMatch(/<script|on\w+=/i)
    }
  })
})

// The sidecar records loaded in batches from a database written through fbk's own repositories
// (RichPhoto: everything, and a bare photo), and Flickr's HTML as plain text on recorded samples.
import type { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { flickrPlainText } from "../../../src/programs/sidecars/PlainText.js"
import { loadSidecarRecords, SIDECAR_BATCH } from "../../../src/programs/sidecars/SidecarRecord.js"
import type { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SidecarRepository } from "../../../src/services/database/SidecarRepository.js"
import type { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { SAMPLES_DIR, withDatabase } from "../../support/Fixtures.js"
import { layers, richPhoto, SCRIPT } from "../../support/RichPhoto.js"
import { withSpanNames } from "../../support/SpanNames.js"

type Needs = Layer.Layer.Success<typeof layers> | SidecarRepository | PhotoRepository | SyncRunRepository | SqlClient.SqlClient
const withRichPhoto = <A, E>(body: Effect.Effect<A, E, Needs>) =>
  withDatabase(Effect.andThen(richPhoto, body).pipe(Effect.provide(Layer.merge(layers, SidecarRepository.Default))))

const HOSTILE_TEXT = "alert('x')click (javascript:alert(2))"

describe("loadSidecarRecords", () => {
  it.effect("loads everything a sidecar holds, text made plain, albums and collection paths by title", () =>
    withRichPhoto(Effect.gen(function*() {
      const [rich, bare, ...rest] = yield* loadSidecarRecords(["1002", "1001", "404"])
      expect(rest).toEqual([])
      expect(rich).toEqual({
        id: "1001",
        media: "photo",
        title: `Cape ${SCRIPT} Town`,
        description: `Bold and a link (https://example.com/) ${HOSTILE_TEXT}`,
        tags: ["San Francisco", `Cape ${SCRIPT}`],
        machineTags: ["geo:lat=1"],
        albums: ["Cape Town 2006", `Evil ${SCRIPT}`],
        collectionPaths: [[`Bad ${SCRIPT}`, "Cape Town 2006"], ["Travel", "Africa", "Cape Town 2006"]],
        dateTaken: "2006-03-14 09:26:53",
        dateTakenGranularity: 4,
        latitude: -33.92,
        longitude: 18.42,
        license: { id: 4, name: "Attribution", url: "https://creativecommons.org/licenses/by/2.0/" },
        privacy: "friends and family",
        views: 50,
        faves: 3,
        commentCount: 2,
        notes: [
          { author: "Ann <img src=x onerror=alert(1)>", text: `Table Mountain ${HOSTILE_TEXT}` },
          { author: "", text: "no box" }
        ],
        comments: [
          { author: "Mallory <img src=x onerror=alert(1)>", created: 1_400_000_000, permalink: "https://www.flickr.com/photos/me/1001/#comment1", text: `Nice! ${HOSTILE_TEXT}` },
          { author: "Eve", created: 1_400_000_100, permalink: "javascript:alert(4)", text: "Hi" }
        ],
        pageUrl: "https://www.flickr.com/photos/me/1001/",
        originalPath: "2006/03/1001_o.jpg"
      })
      expect(bare).toMatchObject({
        id: "1002", title: "Plain", description: "", tags: [], machineTags: [], albums: [], collectionPaths: [],
        latitude: null, longitude: null, notes: [], comments: [], originalPath: null
      })
    })))

  it.effect("reads a batch with one query per part, whatever the number of photos", () =>
    withRichPhoto(Effect.gen(function*() {
      const ids = Array.from({ length: SIDECAR_BATCH * 2 + 1 }, (_, i) => String(i === 0 ? 1001 : 5_000 + i))
      let calls = 0
      const counting = Layer.effect(SidecarRepository, Effect.map(SidecarRepository, (repository) => {
        const count = <A extends ReadonlyArray<unknown>, B>(f: (...a: A) => B) => (...a: A) => (calls++, f(...a))
        return SidecarRepository.make({
          photos: count(repository.photos), albums: count(repository.albums), collections: count(repository.collections),
          tags: count(repository.tags), notes: count(repository.notes), comments: count(repository.comments)
        })
      })).pipe(Layer.provide(SidecarRepository.Default))
      const { names, result } = yield* withSpanNames(loadSidecarRecords(ids).pipe(Effect.provide(counting)))
      expect(result.map((r) => r.id)).toEqual(["1001"])
      expect(calls).toBe(3 * 6)
      expect(names).toContain("SidecarRecord.loadBatch")
    })))
})

describe("flickrPlainText", () => {
  it("turns recorded descriptions into text, links kept as their URL", () => {
    const file = path.join(SAMPLES_DIR, "flickr.photos.getInfo", "photos_sample_get_info.json")
    const info = JSON.parse(fs.readFileSync(file, "utf8")) as { photo: { description: { _content: string } } }
    expect(flickrPlainText(info.photo.description._content)).toBe(
      "During 2014, I will be shooting the view from the building I work in. One photo per day, each day I am in the office.\n\n" +
        "All the images in this series can be seen here (https://www.flickr.com/photos/jeremybrooks/sets/72157639332256903/)."
    )
    expect(flickrPlainText("<a href=\"http://x.example/?a=1&amp;b=2\" rel=\"nofollow\">2010 Challenge</a>, the theme is &quot;Resolution&quot;."))
      .toBe("2010 Challenge (http://x.example/?a=1&b=2), the theme is \"Resolution\".")
    expect(flickrPlainText("<a href=\"https://a.example/\">https://a.example/</a><br />next &amp;lt; line")).toBe("https://a.example/\nnext &lt; line")
    expect(flickrPlainText(null)).toBe("")
  })
})

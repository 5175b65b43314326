// The viewer's list pages (collections, albums, tags, a tag, search, map points, status) rendered
// through the viewer's own routes from a test database: order, nesting, counts, links, and other
// people's text escaped.
import { HttpApp } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Layers from "../../../src/Layers.js"
import { MapTiles } from "../../../src/programs/serve/pages/Map.js"
import { viewerApp } from "../../../src/programs/serve/Routes.js"
import type { AlbumRow, CollectionTree } from "../../../src/schema/Album.js"
import { photoRowFromItem } from "../../../src/schema/Photo.js"
import { AlbumRepository } from "../../../src/services/database/AlbumRepository.js"
import * as Database from "../../../src/services/database/Database.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { configFor, tempDir, testBase } from "../../support/Fixtures.js"

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>`

const album = (id: string, title: string, createdAt: number): AlbumRow => ({
  id, title, description: null, primary_photo_id: "1", photos: 0, videos: 0, count_views: 0, count_comments: 0,
  created_at: createdAt, updated_at: 1, raw: JSON.stringify({ id, title })
})
const collection = (id: string, parentId: string | null, position: number, title: string): CollectionTree["collections"][number] => ({
  id, parent_id: parentId, position, title, description: null, icon_large: null, icon_small: null, raw: JSON.stringify({ id })
})

/** Photos 1..6: tags, places (3 at 0,0 is no place, 4 has none), dates one a month apart. */
const PHOTOS = [
  { id: "1", title: "Harbour at dawn", tags: "sea boats", latitude: "64.1466", longitude: "-21.9426" },
  { id: "2", title: "Snow on the harbour", tags: "sea snow café", latitude: "-33.9249", longitude: "18.4241" },
  { id: "3", title: "Snowman", tags: "snow", latitude: "0", longitude: "0" },
  { id: "4", title: HOSTILE, tags: "snow", latitude: null, longitude: null },
  { id: "5", title: "Fish", tags: "", latitude: "35.6762", longitude: "139.6503" },
  { id: "6", title: "Gone", tags: "sea", latitude: "48.8566", longitude: "2.3522" }
]

/** A database holding PHOTOS, four albums (one deleted, one never placed) and a three-deep collection tree. */
const fill = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
  yield* (yield* PhotoRepository).upsertBatch(
    PHOTOS.map((p, i) => photoRowFromItem({ ...p, lastupdate: "1", datetaken: `2020-0${i + 1}-01 10:00:00` })!),
    run,
    1_000
  )
  const albums = yield* AlbumRepository
  yield* albums.upsertAlbumPage([album("a1", "First", 10), album("a2", HOSTILE, 20), album("a3", "Unplaced", 30), album("a4", "Old", 40)], run, 1_000)
  yield* albums.placeAlbums(["a2", "a1", "a4"], 0)
  yield* sql`UPDATE albums SET deleted_at = 2000 WHERE id = 'a4'`
  for (const id of ["a1", "a2", "a3"]) yield* albums.replaceMembers({ id, updated_at: 1 }, [{ photo_id: "1", is_primary: 1 }], 1_000)
  yield* albums.replaceCollections({
    collections: [
      collection("10", null, 0, "Travel"),
      collection("11", "10", 0, HOSTILE),
      { ...collection("12", "11", 0, "Deepest"), description: `Trips <i>abroad</i> ${HOSTILE}` },
      collection("13", null, 1, "Gone")
    ],
    albums: [
      { collection_id: "12", album_id: "a1", position: 0 },
      { collection_id: "10", album_id: "a2", position: 0 }
    ]
  }, run, 1_000)
  yield* sql`UPDATE collections SET deleted_at = 2000 WHERE id = '13'`
  yield* sql`INSERT INTO photo_tags (photo_id, tag_id, tag, raw, machine_tag, first_seen_at) VALUES ('2', 't1', 'café', 'Café Noir', 0, 1)`
})

/** Runs `body` with a `get(path)` that answers as `fbk serve` would, over a database `fill` made. */
const withViewer = <A, E>(
  body: (get: (path: string) => Effect.Effect<{ status: number; text: string }>) => Effect.Effect<A, E, SqlClient.SqlClient>,
  tiles: Option.Option<string> = Option.none()
) =>
  Effect.scoped(Effect.gen(function*() {
    const home = yield* tempDir
    const base = testBase(configFor(home))
    yield* fill.pipe(Effect.provide(
      Layer.mergeAll(PhotoRepository.Default, SyncRunRepository.Default, AlbumRepository.Default).pipe(
        Layer.provideMerge(Database.layer({ create: true })),
        Layer.provide(base)
      )
    ))
    const viewer = Layer.merge(Layers.viewer, Layer.succeed(MapTiles, tiles)).pipe(Layer.provideMerge(base))
    return yield* Effect.gen(function*() {
      const handler = HttpApp.toWebHandlerRuntime(yield* Effect.runtime<Layer.Layer.Success<typeof viewer>>())(viewerApp)
      const get = (path: string) =>
        Effect.promise(async () => {
          const answer = await handler(new Request(`http://viewer${path}`))
          return { status: answer.status, text: await answer.text() }
        })
      return yield* body(get)
    }).pipe(Effect.provide(viewer))
  }))

const ok = (answer: { status: number; text: string }) => {
  expect(answer.status).toBe(200)
  return answer.text
}

describe("the viewer's list pages", () => {
  it.effect("/albums: Flickr's order, then unplaced albums newest first; deleted ones left out; titles escaped", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        const text = ok(yield* get("/albums"))
        const order = [...text.matchAll(/href="\/albums\/(a\d)"/g)].map((m) => m[1])
        expect(order).toEqual(["a2", "a1", "a3"])
        expect(text).not.toContain("<script>alert")
        expect(text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
      })))

  it.effect("/collections: nested to any depth, each an element c<id>, down to its albums; deleted ones left out", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        const text = ok(yield* get("/collections"))
        const ids = [...text.matchAll(/id="(c\d+)"/g)].map((m) => m[1])
        expect(ids).toEqual(["c10", "c11", "c12"])
        // 12 inside 11 inside 10, a2 in 10 and a1 in 12.
        expect(text.indexOf('id="c10"')).toBeLessThan(text.indexOf('href="/albums/a2"'))
        expect(text.indexOf('href="/albums/a2"')).toBeLessThan(text.indexOf('id="c11"'))
        expect(text.indexOf('id="c12"')).toBeLessThan(text.indexOf('href="/albums/a1"'))
        expect(text.match(/<ul class="tree/g)).toHaveLength(3)
        expect(text).toContain("<details open>")
        expect(text).not.toContain("Gone")
        // A description is Flickr's HTML: what Flickr allows kept, the rest shown as text.
        expect(text).toContain("Trips <i>abroad</i> &lt;script&gt;alert(1)&lt;/script&gt;")
        expect(text).not.toContain("<script>alert")
        expect(text).not.toMatch(/<img[^>]*onerror/)
      })))

  it.effect("/tags: every tag A to Z with its count and the typed form; /tags/<tag>: its photos newest first, linked in the tag", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        const text = ok(yield* get("/tags"))
        const tags = [...text.matchAll(/<li><a class="s\d" href="([^"]+)">([^<]+)<\/a> <span class="count">(\d+)<\/span>/g)]
          .map((m) => [decodeURIComponent(m[1]!), m[2], Number(m[3])])
        expect(tags).toEqual([
          ["/tags/boats", "boats", 1],
          ["/tags/café", "Café Noir", 1],
          ["/tags/sea", "sea", 3],
          ["/tags/snow", "snow", 3]
        ])
        expect([...text.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1])).toEqual(["B", "C", "S"])

        const tagged = ok(yield* get(`/tags/${encodeURIComponent("snow")}`))
        expect([...tagged.matchAll(/href="\/photos\/(\d)\?in=([^"]+)"/g)].map((m) => [m[1], decodeURIComponent(m[2]!)]))
          .toEqual([["4", "tag:snow"], ["3", "tag:snow"], ["2", "tag:snow"]])
        expect(tagged).not.toContain("<script>alert")
        expect(ok(yield* get(`/tags/${encodeURIComponent("café")}`))).toContain("Tagged “Café Noir”")
        expect((yield* get(`/tags/${encodeURIComponent("no such tag")}`)).status).toBe(404)
      })))

  it.effect("a tag with spaces and any script comes back from its URL as it was", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        // photos.tags splits on spaces; a spaced tag can only arrive in photo_tag_names directly.
        yield* sql`INSERT INTO photo_tag_names (tag, photo_id, taken) VALUES ('nordlys på Tromsø 東京/x?y#z', '1', (SELECT coalesce(date_taken, '') FROM photos WHERE id = '1'))`
        const text = ok(yield* get(`/tags/${encodeURIComponent("nordlys på Tromsø 東京/x?y#z")}`))
        expect(text).toContain("Tagged “nordlys på Tromsø 東京/x?y#z”")
        expect(text).toContain(`href="/photos/1?in=${encodeURIComponent("tag:nordlys på Tromsø 東京/x?y#z").replaceAll("%20", "+")}"`)
      })))

  it.effect("/search: the same matches as fbk search, counted, linked in the search; an empty query says how to search", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        const text = ok(yield* get("/search?q=snow"))
        expect(text).toContain("3 photos match.")
        expect(text).toContain('value="snow"')
        expect([...text.matchAll(/href="\/photos\/(\d)\?in=search%3Asnow"/g)].map((m) => m[1]).sort()).toEqual(["2", "3", "4"])
        expect(text).not.toContain("<script>alert")
        expect(ok(yield* get("/search?q=harbour"))).toContain("2 photos match.")
        expect(ok(yield* get("/search?q=boats"))).toContain("1 photo matches.")
        for (const query of ["", "%22%22", "***"]) {
          const empty = ok(yield* get(`/search?q=${query}`))
          expect(empty).toContain("has no words to search for (try words, &quot;a phrase&quot;, word*, OR, or title:, description:")
        }
      })))

  it.effect("/map/points.json: every photo with a place, as [id, latitude, longitude]; 0,0 and none left out", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        const points = JSON.parse(ok(yield* get("/map/points.json"))) as Array<[string, number, number]>
        expect(points.sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
          ["1", 64.1466, -21.9426],
          ["2", -33.9249, 18.4241],
          ["5", 35.6762, 139.6503],
          ["6", 48.8566, 2.3522]
        ])
        const page = ok(yield* get("/map?photo=5"))
        expect(page).toContain('data-focus="5"')
        expect(page).toContain('<script type="module" src="/assets/leaflet/leaflet.js"></script>')
        expect(page).not.toContain("data-tiles")
      })))

  it.effect("/map with fbk serve --tiles: the template goes to the map script", () =>
    withViewer(
      (get) =>
        Effect.gen(function*() {
          expect(ok(yield* get("/map"))).toContain('data-tiles="https://tiles.example/{z}/{x}/{y}.png?a=1&amp;b=&quot;2&quot;"')
        }),
      Option.some(`https://tiles.example/{z}/{x}/{y}.png?a=1&b="2"`)
    ))

  it.effect("/assets: a package's files by their names in the table, nothing else", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        expect(ok(yield* get("/assets/leaflet/leaflet.css"))).toContain(".leaflet-container")
        expect((yield* get("/assets/leaflet/images/marker-icon.png")).status).toBe(200)
        expect(ok(yield* get("/assets/map.js"))).toContain("markerClusterGroup")
        const world = JSON.parse(ok(yield* get("/assets/world-50m.json"))) as { features: Array<{ properties: { name: string } }> }
        expect(world.features.map((f) => f.properties.name)).toContain("Iceland")
        for (const path of ["/assets/leaflet/package.json", "/assets/leaflet/../leaflet/dist/leaflet.js", "/assets/leaflet%2Fleaflet.js", "/assets/x"]) {
          expect((yield* get(path)).status).toBe(404)
        }
      })))

  it.effect("/status: what fbk status says, with the home's paths", () =>
    withViewer((get) =>
      Effect.gen(function*() {
        const text = ok(yield* get("/status"))
        expect(text).toContain("<dt>Photos</dt><dd>6 on Flickr")
        expect(text).toContain("<dt>Albums</dt><dd>3; collections: 3</dd>")
        expect(text).toMatch(/<dt>Home<\/dt><dd><code>[^<]*fbk-unit-/)
        expect(text).toContain("<code>fbk setup</code>")
        expect(text).toContain("<dt>Last download</dt><dd>never</dd>")
        expect(text).toContain("<dt>Running</dt><dd>nothing</dd>")
        expect(text).toContain("<dt>Pending</dt><dd>")
      })))
})

// `fbk show ID` over a database written through fbk's own repositories: every section in words and
// in JSON, a bare photo, a photo deleted on Flickr, and an id the database does not hold.
import type { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { show } from "../../src/programs/Show.js"
import { photoRowFromItem } from "../../src/schema/Photo.js"
import { PhotoRepository } from "../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../src/services/database/SyncRunRepository.js"
import * as Reporter from "../../src/services/terminal/Reporter.js"
import { withDatabase } from "../support/Fixtures.js"
import { item, layers, richPhoto } from "../support/RichPhoto.js"

type Needs = Layer.Layer.Success<typeof layers> | PhotoRepository | SyncRunRepository | SqlClient.SqlClient

const withRichPhoto = <A, E>(body: Effect.Effect<A, E, Needs>) => withDatabase(Effect.andThen(richPhoto, body).pipe(Effect.provide(layers)))

/** What `fbk show` prints for `id` (stdout and stderr as the reporter collects them). */
const printed = (id: string, json: boolean) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    yield* show({ id, json }).pipe(Effect.provide(Reporter.collecting(lines)))
    return lines.join("")
  })

const UPLOADED = new Date(1_142_330_000_000).toISOString()

describe("fbk show", () => {
  it.effect("prints every section of a photo with everything, in lines of 80 columns", () =>
    withRichPhoto(Effect.gen(function*() {
      const text = yield* printed("1001", false)
      const lines = text.trimEnd().split("\n")
      expect(lines[0]).toBe("Photo 1001")
      expect(lines).toContain("Title:        Cape <script>alert('x')</script> Town")
      // The description as plain text: markup gone, the words kept.
      expect(text).toMatch(/^Description: {2}Bold and a link alert\('x'\) click$/m)
      expect(lines).toContain("Taken:        March 2006")
      expect(lines).toContain(`Uploaded:     ${UPLOADED.slice(0, 16).replace("T", " ")} UTC`)
      expect(lines).toContain("Updated:      1970-01-01 00:16 UTC")
      expect(lines).toContain("Owner:        12037949754@N01")
      expect(lines).toContain("Privacy:      friends and family")
      expect(lines).toContain("Licence:      Attribution")
      expect(lines).toContain("Media:        photo, 1000 × 750")
      expect(lines).toContain("Tags:         sanfrancisco capetown")
      expect(lines).toContain("Machine tags: geo:lat=1")
      expect(lines).toContain("Location:     -33.920000, 18.420000, accuracy street level (16 of 16)")
      expect(lines).toContain("Place:        Cape Town, Western <script>alert('x')</script> Cape, South Africa")
      expect(lines).toContain("Counts:       50 views, 3 faves, 2 comments")
      expect(lines).toContain("Flickr page:  https://www.flickr.com/photos/me/1001/")
      expect(text).not.toContain("Deleted:")
      // The album under both of its collection paths, root first, and the other album alone.
      expect(lines).toContain("Albums (2)")
      expect(lines).toContain("  Travel › Africa › Cape Town 2006 (a1)")
      expect(lines).toContain("  Evil <script>alert('x')</script> (a2)")
      expect(text).toMatch(/^ {2}Bad <script>alert\('x'\)<\/script> › Cape Town 2006 \(a1\)$/m)
      expect(lines).toContain("  /store/2006/03/1001_o.jpg")
      expect(lines).toContain("    original, 3.5 MB")
      expect(lines).toContain(`    sha256 ${"ab".repeat(32)}`)
      expect(lines).toContain("  /home/me/Pictures/IMG_1.jpg")
      expect(text).toMatch(/^ {4}3\.5 MB, matched by the same bytes on 1970-01-01 00:33 UTC$/m)
      expect(lines).toContain("Earlier versions of the record (1)")
      expect(lines).toContain("  replaced 1970-01-01 00:33 UTC")
      expect(lines).toContain("    Title: Old title -> Cape <script>alert('x')</script> Town")
      expect(lines).toContain("    Licence: All Rights Reserved -> Attribution")
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80)
    })))

  it.effect("--json: one object with everything, times in ISO 8601 UTC", () =>
    withRichPhoto(Effect.gen(function*() {
      const report = JSON.parse(yield* printed("1001", true))
      expect(report).toMatchObject({
        id: "1001",
        url: "https://www.flickr.com/photos/me/1001/",
        title: "Cape <script>alert('x')</script> Town",
        description: "Bold and a link alert('x') click",
        taken: { date: "2006-03-14 09:26:53", granularity: 4, unknown: false, text: "March 2006" },
        uploaded: UPLOADED,
        updated: "1970-01-01T00:16:40.000Z",
        owner: { nsid: "12037949754@N01", path_alias: "me", username: null },
        privacy: "friends and family",
        license: { id: 4, name: "Attribution" },
        tags: ["sanfrancisco", "capetown"],
        machine_tags: ["geo:lat=1"],
        location: { latitude: -33.92, longitude: 18.42, accuracy: 16 },
        counts: { views: 50, faves: 3, comments: 2 },
        deleted_on_flickr: null,
        files: [{ path: "/store/2006/03/1001_o.jpg", role: "original", bytes: 3_456_789, sha256: "ab".repeat(32), fetched_at: "1970-01-01T00:33:20.000Z" }],
        disk_copies: [{ path: "/home/me/Pictures/IMG_1.jpg", bytes: 3_456_789, matched_by: "sha256" }]
      })
      expect(report.description_html).toContain("<b>Bold</b>")
      expect(report.location.places).toEqual(["Cape Town", "Western <script>alert('x')</script> Cape", "South Africa"])
      expect(report.albums).toEqual([
        {
          id: "a1",
          title: "Cape Town 2006",
          collections: [[{ id: "c1", title: "Travel" }, { id: "c2", title: "Africa" }], [{ id: "c3", title: "Bad <script>alert('x')</script>" }]]
        },
        { id: "a2", title: "Evil <script>alert('x')</script>", collections: [] }
      ])
      expect(report.revisions).toHaveLength(1)
      expect(report.revisions[0].replaced_at).toBe("1970-01-01T00:33:20.000Z")
      expect(report.revisions[0].changes.map((c: { field: string }) => c.field)).toEqual(["Title", "Licence"])
    })))

  it.effect("a bare photo has no sections; a photo deleted on Flickr says when", () =>
    withRichPhoto(Effect.gen(function*() {
      const bare = yield* printed("1002", false)
      expect(bare).toContain("Title:        Plain")
      for (const heading of ["Albums", "Files in the store", "Copies on your disks", "Earlier versions", "Location:", "Description:", "Deleted:"]) {
        expect(bare).not.toContain(heading)
      }
      const photos = yield* PhotoRepository
      const runs = yield* SyncRunRepository
      yield* photos.upsertBatch([photoRowFromItem(item({ id: "2001", title: "Gone" }))!], yield* runs.start("backup", 3_000), 3_000)
      yield* photos.markUnseenDeleted(yield* runs.start("backup", 4_000), 4_000)
      expect(yield* printed("2001", false)).toContain("Deleted:      on Flickr, found 1970-01-01 01:06 UTC; kept here")
      expect(JSON.parse(yield* printed("2001", true)).deleted_on_flickr).toBe("1970-01-01T01:06:40.000Z")
    })))

  it.effect("an id the database does not hold is one refusal, nothing printed", () =>
    withRichPhoto(Effect.gen(function*() {
      const lines: Array<string> = []
      const error = yield* Effect.flip(show({ id: "404", json: false }).pipe(Effect.provide(Reporter.collecting(lines))))
      expect(error._tag).toBe("UsageError")
      expect(error._tag === "UsageError" ? error.reason : error).toBe("the database holds no photo 404 (`fbk search WORDS` finds a photo's id)")
      expect(lines).toEqual([])
    })))
})

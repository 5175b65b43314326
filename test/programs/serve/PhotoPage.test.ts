// The photo page's HTML from a test database written through fbk's own repositories: every part
// shown, parts with nothing left out, and other people's hostile text escaped or sanitised.
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { parseBrowsing } from "../../../src/programs/serve/Browsing.js"
import { localMinute, takenDate } from "../../../src/programs/serve/Dates.js"
import { photoPage } from "../../../src/programs/serve/pages/PhotoPage.js"
import { noteDisplaySize } from "../../../src/programs/serve/pages/photo/Notes.js"
import { changesBetween } from "../../../src/programs/photo/PhotoText.js"
import { photoRowFromItem } from "../../../src/schema/Photo.js"
import { PhotoPageRepository } from "../../../src/services/database/PhotoPageRepository.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { withDatabase } from "../../support/Fixtures.js"
import { item, layers, richPhoto } from "../../support/RichPhoto.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

const render = (id: string, context: string | null = null) =>
  Effect.map(photoPage(id, parseBrowsing(context)), (answer) => ({ status: answer.status, text: answer.body.value }))

const withRichPhoto = <A, E>(body: Effect.Effect<A, E, Layer.Layer.Success<typeof layers> | PhotoRepository | SyncRunRepository | SqlClient.SqlClient>) =>
  withDatabase(Effect.andThen(richPhoto, body).pipe(Effect.provide(layers)))

/** What no page may contain: any way for the hostile text to run. */
const expectHarmless = (text: string) => {
  expect(text).not.toContain("<script>alert")
  expect(text).not.toMatch(/<img[^>]*onerror/i)
  expect(text).not.toMatch(/<iframe/i)
  expect(text).not.toMatch(/href="javascript:/i)
  expect(text).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i)
}

describe("the photo page", () => {
  it.effect("shows every part of a photo with everything", () =>
    withRichPhoto(Effect.gen(function*() {
      const { status, text } = yield* render("1001")
      expect(status).toBe(200)
      expect(text).toContain("<h1>Cape &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Town</h1>")
      expect(text).toContain("<b>Bold</b> and <a href=\"https://example.com/\" rel=\"nofollow noopener noreferrer\">a link</a>")
      // Granularity 4: the month only; uploaded in local time with its UTC moment.
      expect(text).toContain("<time datetime=\"2006-03\">March 2006</time>")
      expect(text).toContain(`<time datetime="${new Date(1_142_330_000_000).toISOString().slice(0, 16)}Z">${localMinute(new Date(1_142_330_000_000))}</time>`)
      expect(text).toContain("<dd>friends and family</dd>")
      expect(text).toContain("<a href=\"https://creativecommons.org/licenses/by/2.0/\" rel=\"license noopener noreferrer\">Attribution</a>")
      expect(text).toContain("<dd>moderate</dd>")
      expect(text).toMatch(/50 views.*3 faves.*2 comments/)
      // Tags as typed, linking the normalised tag; the machine tag apart.
      expect(text).toContain("<a href=\"/tags/sanfrancisco\">San Francisco</a>")
      expect(text).toMatch(/<h3>Machine tags<\/h3><ul class="machine-tags"><li><code>geo:lat=1<\/code><\/li><\/ul>/)
      // The album under both collection paths, root first; the other album on its own.
      expect(text).toContain(
        "<a href=\"/collections#cc1\">Travel</a> › <a href=\"/collections#cc2\">Africa</a> › <a href=\"/albums/a1\">Cape Town 2006</a>"
      )
      expect(text).toContain("<li><a href=\"/albums/a2\">Evil &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a></li>")
      // The note's box (500-px display of 1000 x 750: 500 x 375) and the note as text.
      expect(text).toContain("<div class=\"frame\" data-notes-width=\"500\" data-notes-height=\"375\">")
      expect(text).toContain("<div class=\"note\" tabindex=\"0\" data-x=\"250\" data-y=\"125\" data-w=\"50\" data-h=\"25\">")
      expect(text.match(/class="note"/g)).toHaveLength(1)
      expect(text).toContain("<h2 id=\"part-notes\">Notes (2)</h2>")
      expect(text).toContain("no box")
      // Comments: the author's profile, the permalink only when it is Flickr's.
      expect(text).toContain("<a class=\"member\" href=\"https://www.flickr.com/photos/12345@N03/\"")
      expect(text).toContain("href=\"https://www.flickr.com/photos/me/1001/#comment1\"")
      expect(text).toContain("<span class=\"member\">Eve</span>")
      expect(text).toContain("Bob &lt;script&gt;")
      // EXIF: the usual fields first, the rest folded.
      expect(text).toMatch(/<dt>Camera<\/dt><dd>Canon EOS 5D Mark II<\/dd><dt>Exposure<\/dt><dd>1\/250 sec<\/dd><dt>Aperture<\/dt><dd>f\/8.0<\/dd>/)
      expect(text).toContain("<dt>ISO</dt><dd>100</dd><dt>Focal length</dt><dd>24 mm</dd>")
      expect(text).toContain("<summary>All 7 EXIF fields</summary>")
      // Location: place names, coordinates, accuracy, the map's hook.
      expect(text).toContain("Cape Town, Western &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Cape, South Africa")
      expect(text).toContain("-33.920000, 18.420000")
      expect(text).toContain("street level (16 of 16)")
      expect(text).toContain("<div class=\"minimap\" data-lat=\"-33.92\" data-lon=\"18.42\" data-id=\"1001\"></div>")
      expect(text).toContain("<a href=\"/map?photo=1001\">")
      // The earlier record: what changed, old → new.
      expect(text).toMatch(/<dt>Title<\/dt><dd><span class="value">Old title<\/span> <span aria-label="became">→<\/span> <span class="value">Cape &lt;script&gt;/)
      expect(text).toContain("<dt>Licence</dt><dd><span class=\"value\">All Rights Reserved</span>")
      // Files: the store's file and the disk copy; the Flickr page.
      expect(text).toContain("<code>2006/03/1001_o.jpg</code>")
      expect(text).toContain("3.5 MB")
      expect(text).toContain("ab".repeat(32))
      expect(text).toContain("<code>/home/me/Pictures/IMG_1.jpg</code>")
      expect(text).toContain("the same bytes (sha256)")
      expect(text).toContain("href=\"https://www.flickr.com/photos/me/1001/\"")
      expect(text).not.toContain("Deleted on Flickr")
    })))

  it.effect("renders hostile text from every author as harmless", () =>
    withRichPhoto(Effect.gen(function*() {
      const { text } = yield* render("1001", "album:a2")
      expectHarmless(text)
      // The sanitised parts keep the words but drop the markup that could run.
      expect(text).toContain(">click</a>")
      expect(text).toContain("Mallory &lt;img src=x onerror=alert(1)&gt;")
      expect(text).toContain("Ann &lt;img src=x onerror=alert(1)&gt;")
      expect(text).not.toContain("href=\"https://www.flickr.com/photos/javascript")
      expect(text).not.toContain("javascript:alert(4)\"")
    })))

  it.effect("leaves out the parts a bare photo has nothing for, and says where it was opened from", () =>
    withRichPhoto(Effect.gen(function*() {
      const { text } = yield* render("1002", "tag:sanfrancisco")
      for (const part of ["tags", "albums", "notes", "comments", "people", "exif", "location", "history", "files"]) {
        expect(text).not.toContain(`id="part-${part}"`)
      }
      expect(text).not.toContain("class=\"description\"")
      expect(text).toContain("<p class=\"context\">Tagged <a href=\"/tags/sanfrancisco\">sanfrancisco</a></p>")
      const fromAlbum = yield* render("1001", "album:a1")
      expect(fromAlbum.text).toContain("<p class=\"context\">In album <a href=\"/albums/a1\">Cape Town 2006</a></p>")
      const fromSearch = yield* render("1001", "search:cape <b>")
      expect(fromSearch.text).toContain("Search: <a href=\"/search?q=cape+%3Cb%3E\">cape &lt;b&gt;</a>")
      expect((yield* render("404")).status).toBe(404)
    })))

  it.effect("a deleted photo says so; a video plays from its file at its size", () =>
    withRichPhoto(Effect.gen(function*() {
      const photos = yield* PhotoRepository
      const runs = yield* SyncRunRepository
      yield* photos.upsertBatch([photoRowFromItem(item({ id: "2001", media: "video", title: "Clip", o_width: "640", o_height: "360" }))!], yield* runs.start("backup", 3_000), 3_000)
      // A later complete listing that did not see it.
      yield* photos.markUnseenDeleted(yield* runs.start("backup", 4_000), 4_000)
      const { text } = yield* render("2001")
      expect(text).toContain(`<p class="notice">Deleted on Flickr on <time datetime="${new Date(4_000_000).toISOString().slice(0, 16)}Z">`)
      expect(text).toMatch(/<video controls preload="metadata" width="640" height="360" poster="\/thumbs\/2001\/large" src="\/originals\/2001"/)
    })))

  it.effect("every PhotoPageRepository method runs in a span named after it", () =>
    withRichPhoto(Effect.gen(function*() {
      const repository = yield* PhotoPageRepository
      const { names } = yield* withSpanNames(Effect.gen(function*() {
        const id = "1001"
        yield* Effect.all([
          repository.record(id), repository.details(id), repository.albums(id), repository.collections(id), repository.tags(id),
          repository.notes(id), repository.comments(id), repository.people(id), repository.exif(id), repository.revisions(id),
          repository.files(id), repository.diskCopies(id)
        ])
      }))
      expect(spanNamesOf("PhotoPageRepository", repository).filter((name) => !names.has(name))).toEqual([])
    })))
})

describe("the photo page's pieces", () => {
  it("date taken as precisely as Flickr knows it", () => {
    expect(takenDate("2014-05-30 06:31:07", 0, false).value).toBe("<time datetime=\"2014-05-30T06:31\">2014-05-30 06:31</time>")
    expect(takenDate("2014-05-01 00:00:00", 4, false).value).toBe("<time datetime=\"2014-05\">May 2014</time>")
    expect(takenDate("2014-01-01 00:00:00", 6, false).value).toBe("<time datetime=\"2014\">2014</time>")
    expect(takenDate("2014-01-01 00:00:00", 8, false).value).toBe("circa <time datetime=\"2014\">2014</time>")
    expect(takenDate("2014-05-30 06:31:07", 0, true).value).toContain("unknown")
    expect(takenDate(null, null, false).value).toContain("unknown")
  })

  it("notes are measured in the photo shown 500 pixels on its longest side, never enlarged", () => {
    expect(noteDisplaySize(4000, 3000)).toEqual({ width: 500, height: 375 })
    expect(noteDisplaySize(3000, 4000)).toEqual({ width: 375, height: 500 })
    expect(noteDisplaySize(320, 240)).toEqual({ width: 320, height: 240 })
    expect(noteDisplaySize(null, 240)).toBeNull()
  })

  it("record versions compare field by field; an export's record is not compared", () => {
    const before = JSON.stringify(item({ title: "A", latitude: 0, longitude: 0, accuracy: 0 }))
    const after = JSON.stringify(item({ title: "B", ispublic: 1 }))
    expect(changesBetween(before, after)?.map((c) => c.field)).toEqual(["Title", "Location", "Privacy"])
    expect(changesBetween(before, before)).toEqual([])
    expect(changesBetween(JSON.stringify({ id: "1", name: "x", date_imported: "2020-01-01 00:00:00" }), after)).toBeNull()
    expect(changesBetween("not json", after)).toBeNull()
  })
})

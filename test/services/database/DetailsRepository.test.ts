import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { CommentRow, ExifRow, PersonRow, PhotoInfo } from "../../../src/schema/Details.js"
import { photoRowFromItem } from "../../../src/schema/Photo.js"
import { DetailsRepository } from "../../../src/services/database/DetailsRepository.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { matchExpression, SearchIndex } from "../../../src/services/database/SearchIndex.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

const row = (id: string, lastupdate: number, uploaded: number) =>
  photoRowFromItem({ id, title: id, dateupload: String(uploaded), lastupdate: String(lastupdate), tags: "" })!

const info = (id: string, notes: Array<string>, tags: Array<string>): PhotoInfo => ({
  details: {
    photo_id: id, last_update: 1, safety_level: 0, count_comments: 2, views: 3, has_people: 0, neighbourhood: null,
    locality: "Richmond", county: null, region: null, country: null, photopage_url: null, raw: `{"id":"${id}"}`
  },
  notes: notes.map((n) => ({ note_id: n, author: "a", author_name: "A", x: 1, y: 2, w: 3, h: 4, text: `note ${n}` })),
  tags: tags.map((t) => ({ tag_id: t, tag: t.toLowerCase(), raw: t, author: "a", author_name: "A", machine_tag: 0 }))
})

/** A queued photo as the repository lists it (no original secret in these rows). */
const queuedPhoto = (id: string, lastUpdate: number) => ({ id, last_update: lastUpdate, media: "photo", original: "", exif_for: null, comments_read_for: null, original_file: null })

/** Three photos stored by a backup run: 1 and 2 at last_update 100, 3 at 300. */
const withPhotos = <A, E>(body: Effect.Effect<A, E, DetailsRepository | PhotoRepository | SqlClient.SqlClient>) =>
  withDatabase(
    Effect.gen(function*() {
      const photos = yield* PhotoRepository
      const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
      yield* photos.upsertBatch([row("1", 100, 10), row("2", 100, 20), row("3", 300, 30)], run, 1_000)
      return yield* body
    }).pipe(Effect.provide(DetailsRepository.Default))
  )

const live = (table: string, photoId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ id: string; removed_at: number | null }>`
      SELECT ${sql(table === "notes" ? "note_id" : "tag_id")} AS id, removed_at FROM ${sql(table)} WHERE photo_id = ${photoId} ORDER BY id`)

const comment = (id: string, text: string): CommentRow => ({
  comment_id: id, author: "a", author_name: "A", created: 1, permalink: null, text, raw: `{"id":"${id}"}`
})
const person = (nsid: string, realname: string): PersonRow => ({
  nsid, username: null, realname, path_alias: null, added_by: null, x: null, y: null, w: null, h: null, raw: "{}"
})
const exifTag = (tag: string, raw: string): ExifRow => ({ tagspace: "IFD0", tag, label: tag, raw, clean: null })

/** The ids of the live photos a search for `query` finds, in id order. */
const found = (query: string) =>
  Effect.flatMap(SearchIndex, (index) => index.search(matchExpression(query)!, 100)).pipe(
    Effect.map((hits) => hits.map((h) => h.id).sort()),
    Effect.provide(SearchIndex.Default)
  )

describe("DetailsRepository", () => {
  it.effect("queues every live photo newest upload first, and a stored one leaves the queue until its record changes", () =>
    withPhotos(
      Effect.gen(function*() {
        const details = yield* DetailsRepository
        const photos = yield* PhotoRepository
        expect((yield* details.queued(10)).map((p) => p.id)).toEqual(["3", "2", "1"])
        yield* details.store(queuedPhoto("3", 300), info("3", [], []), 2_000)
        expect(yield* details.countQueued).toBe(2)
        expect(yield* details.countWithDetails).toBe(1)
        // Photo 3 edited on Flickr: its details are read again.
        const run = yield* (yield* SyncRunRepository).start("update", 3_000)
        yield* photos.upsertBatch([row("3", 301, 30)], run, 3_000)
        expect((yield* details.queued(10)).map((p) => [p.id, p.last_update])).toEqual([["3", 301], ["2", 100], ["1", 100]])
        // A deleted photo is not queued.
        yield* photos.markUnseenDeleted(run, 3_000)
        expect((yield* details.queued(10)).map((p) => p.id)).toEqual(["3"])
      }).pipe(Effect.provide(SyncRunRepository.Default))
    ))

  it.effect("keeps notes and tags that went away as removed, and brings them back when they return", () =>
    withPhotos(
      Effect.gen(function*() {
        const details = yield* DetailsRepository
        yield* details.store(queuedPhoto("1", 100), info("1", ["n1", "n2"], ["Bike", "Saddle"]), 2_000)
        yield* details.store(queuedPhoto("1", 101), info("1", ["n2"], []), 2_100)
        expect(yield* live("notes", "1")).toEqual([{ id: "n1", removed_at: 2_100 }, { id: "n2", removed_at: null }])
        expect(yield* live("photo_tags", "1")).toEqual([{ id: "Bike", removed_at: 2_100 }, { id: "Saddle", removed_at: 2_100 }])
        yield* details.store(queuedPhoto("1", 102), info("1", ["n1", "n2"], ["Bike"]), 2_200)
        expect(yield* live("notes", "1")).toEqual([{ id: "n1", removed_at: null }, { id: "n2", removed_at: null }])
        expect(yield* live("photo_tags", "1")).toEqual([{ id: "Bike", removed_at: null }, { id: "Saddle", removed_at: 2_100 }])
      })
    ))

  it.effect("records a refusal without losing details read before, and does not ask again until the photo changes", () =>
    withPhotos(
      Effect.gen(function*() {
        const details = yield* DetailsRepository
        const sql = yield* SqlClient.SqlClient
        yield* details.store(queuedPhoto("2", 100), info("2", [], []), 2_000)
        yield* details.storeError(queuedPhoto("2", 100), 2, "Permission denied", 2_100)
        yield* details.storeError(queuedPhoto("1", 100), 1, "Photo not found", 2_100)
        const rows = yield* sql`SELECT photo_id, error_code, locality, raw FROM photo_details ORDER BY photo_id`
        expect(rows).toEqual([
          { photo_id: "1", error_code: 1, locality: null, raw: null },
          { photo_id: "2", error_code: 2, locality: "Richmond", raw: '{"id":"2"}' }
        ])
        expect((yield* details.queued(10)).map((p) => p.id)).toEqual(["3"])
        expect(yield* details.countFailed).toBe(2)
      })
    ))

  it.effect("stores comments and people, marks those gone removed, and the reindexed document finds only what is live", () =>
    withPhotos(
      Effect.gen(function*() {
        const details = yield* DetailsRepository
        const sql = yield* SqlClient.SqlClient
        yield* details.store(queuedPhoto("1", 100), info("1", [], []), 2_000)
        yield* details.storeComments(queuedPhoto("1", 100), [comment("c1", "lovely lighthouse"), comment("c2", "foggy")], 2, 2_000)
        yield* details.storePeople(queuedPhoto("1", 100), [person("p1@N00", "Ada Lovelace")], 2_000)
        yield* details.reindex(queuedPhoto("1", 100))
        expect(yield* found("lighthouse")).toEqual(["1"])
        expect(yield* found("lovelace")).toEqual(["1"])

        yield* details.storeComments(queuedPhoto("1", 100), [comment("c2", "foggy")], 1, 2_100)
        yield* details.storePeople(queuedPhoto("1", 100), [], 2_100)
        yield* details.reindex(queuedPhoto("1", 100))
        expect(yield* sql`SELECT comment_id, removed_at FROM comments ORDER BY comment_id`).toEqual([
          { comment_id: "c1", removed_at: 2_100 },
          { comment_id: "c2", removed_at: null }
        ])
        expect(yield* sql`SELECT nsid, removed_at FROM photo_people`).toEqual([{ nsid: "p1@N00", removed_at: 2_100 }])
        expect(yield* sql`SELECT comments_read_for FROM photo_details WHERE photo_id = '1'`).toEqual([{ comments_read_for: 1 }])
        expect(yield* found("lighthouse")).toEqual([])
        expect(yield* found("lovelace")).toEqual([])
        expect(yield* found("foggy")).toEqual(["1"])
      })
    ))

  it.effect("stores EXIF for the original it was read for, replacing the earlier read; a refusal is kept until the original changes", () =>
    withPhotos(
      Effect.gen(function*() {
        const details = yield* DetailsRepository
        const sql = yield* SqlClient.SqlClient
        const photo = { ...queuedPhoto("1", 100), original: "s1" }
        yield* details.store(photo, info("1", [], []), 2_000)
        yield* details.storeExif(photo, { refused: 2 }, 2_000, "flickr")
        expect(yield* sql`SELECT exif_for, exif_error_code FROM photo_details WHERE photo_id = '1'`).toEqual([
          { exif_for: "s1", exif_error_code: 2 }
        ])
        yield* details.storeExif(photo, [exifTag("Make", "Canon"), exifTag("Model", "EOS")], 2_100, "file")
        yield* details.storeExif(photo, [exifTag("Make", "Nikon")], 2_200, "flickr")
        expect(yield* sql`SELECT tag, raw, source FROM exif WHERE photo_id = '1' ORDER BY tag`).toEqual([
          { tag: "Make", raw: "Nikon", source: "flickr" }
        ])
        expect(yield* sql`SELECT exif_for, exif_error_code FROM photo_details WHERE photo_id = '1'`).toEqual([
          { exif_for: "s1", exif_error_code: null }
        ])
      })
    ))

  it.effect("runs each of its methods in a span named after it", () =>
    withPhotos(
      Effect.gen(function*() {
        const details = yield* DetailsRepository
        const photo = queuedPhoto("1", 100)
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* details.queued(10)
          yield* details.transaction(details.store(photo, info("1", [], []), 2_000))
          yield* details.storeExif(photo, [], 2_000, "flickr")
          yield* details.storeComments(photo, [], 0, 2_000)
          yield* details.storePeople(photo, [], 2_000)
          yield* details.reindex(photo)
          yield* details.storeError(queuedPhoto("2", 100), 1, "Photo not found", 2_000)
          yield* details.countQueued
          yield* details.countWithDetails
          yield* details.countFailed
        }))
        expect(spanNamesOf("DetailsRepository", details).filter((name) => !names.has(name))).toEqual([])
      })
    ))
})

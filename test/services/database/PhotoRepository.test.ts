import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { PhotoPage, PhotoRow, photoRowFromItem } from "../../../src/schema/Photo.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { readSample, withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

const StoredPhoto = Schema.Struct({
  ...PhotoRow.fields,
  first_seen_at: Schema.Number,
  changed_at: Schema.Number,
  last_seen_run: Schema.NullOr(Schema.Number),
  deleted_at: Schema.NullOr(Schema.Number)
})
const Revision = Schema.Struct({
  photo_id: Schema.String,
  last_update: Schema.NullOr(Schema.Number),
  raw: Schema.String,
  replaced_at: Schema.Number,
  run_id: Schema.NullOr(Schema.Number)
})

const storedPhoto = (id: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`SELECT * FROM photos WHERE id = ${id}`
    expect(rows).toHaveLength(1)
    return yield* Schema.decodeUnknown(StoredPhoto)(rows[0])
  })

const revisions = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`SELECT photo_id, last_update, raw, replaced_at, run_id FROM photo_revisions ORDER BY id`
  return yield* Schema.decodeUnknown(Schema.Array(Revision))(rows)
})

/** A listed photo as Flickr would send it, turned into a row the way the listing does. */
const photo = (id: string, fields: Record<string, unknown> = {}): PhotoRow => {
  const row = photoRowFromItem({
    id,
    owner: "85853333@N00",
    title: `photo ${id}`,
    description: { _content: "" },
    dateupload: "1401132433",
    lastupdate: "1401132439",
    datetaken: "2013-03-22 21:36:50",
    views: "10",
    tags: "",
    ...fields
  })
  if (row === null) throw new Error("no id")
  return row
}

const samplePhotos = [
  ...Schema.decodeUnknownSync(PhotoPage)(readSample("flickr.people.getPhotos")).photos.photo,
  // The located ones here check REAL columns and place ids round-trip.
  ...Schema.decodeUnknownSync(PhotoPage)(readSample("flickr.people.getPublicPhotos")).photos.photo
]

describe("PhotoRepository", () => {
  it.effect("adds a page of recorded photos, every column stored as decoded", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run = yield* runs.start("backup", 1_000)

        const counts = yield* photos.upsertBatch(samplePhotos, run, 1_000)
        expect(counts).toStrictEqual({ added: 20, changed: 0, restored: 0 })
        expect(yield* photos.countLive).toBe(20)
        expect(yield* photos.countDeleted).toBe(0)
        expect(yield* photos.countRevisions).toBe(0)
        expect(yield* photos.countSeenIn(run)).toBe(20)
        expect(samplePhotos.filter((r) => r.latitude !== null)).toHaveLength(4)

        for (const row of samplePhotos) {
          const stored = yield* storedPhoto(row.id)
          expect(stored).toStrictEqual({ ...row, first_seen_at: 1_000, changed_at: 1_000, last_seen_run: run, deleted_at: null })
        }
      })
    ))

  it.effect("keeps the previous version of a record whose last_update moved, and counts it changed", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run1 = yield* runs.start("backup", 1_000)
        const run2 = yield* runs.start("update", 2_000)
        const before = photo("1", { lastupdate: "100", title: "old title" })
        const after = photo("1", { lastupdate: "200", title: "new title" })
        const other = photo("2", { lastupdate: "100" })

        yield* photos.upsertBatch([before, other], run1, 1_000)
        const counts = yield* photos.upsertBatch([after, other], run2, 2_000)
        expect(counts).toStrictEqual({ added: 0, changed: 1, restored: 0 })

        expect(yield* revisions).toStrictEqual([
          { photo_id: "1", last_update: 100, raw: before.raw, replaced_at: 2_000, run_id: run2 }
        ])
        const stored = yield* storedPhoto("1")
        expect(stored).toMatchObject({
          title: "new title",
          last_update: 200,
          raw: after.raw,
          first_seen_at: 1_000,
          changed_at: 2_000,
          last_seen_run: run2
        })
        // The unchanged neighbour keeps its changed_at.
        expect(yield* storedPhoto("2")).toMatchObject({ changed_at: 1_000, first_seen_at: 1_000, last_seen_run: run2 })
        expect(yield* photos.countLive).toBe(2)
      })
    ))

  it.effect("refreshes a view count without making a revision when last_update did not move", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run1 = yield* runs.start("backup", 1_000)
        const run2 = yield* runs.start("backup", 2_000)
        yield* photos.upsertBatch([photo("1", { views: "10" })], run1, 1_000)
        const counts = yield* photos.upsertBatch([photo("1", { views: 11 })], run2, 2_000)
        expect(counts).toStrictEqual({ added: 0, changed: 0, restored: 0 })
        expect(yield* photos.countRevisions).toBe(0)
        const stored = yield* storedPhoto("1")
        expect(stored.views).toBe(11)
        expect(JSON.parse(stored.raw).views).toBe(11)
        expect(stored.changed_at).toBe(1_000)
        expect(stored.last_seen_run).toBe(run2)
      })
    ))

  it.effect("marks deleted the live photos a complete run did not see, once", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run1 = yield* runs.start("backup", 1_000)
        const run2 = yield* runs.start("backup", 2_000)
        yield* photos.upsertBatch([photo("a"), photo("b"), photo("c")], run1, 1_000)
        yield* photos.upsertBatch([photo("a"), photo("c")], run2, 2_000)

        expect(yield* photos.markUnseenDeleted(run2, 2_500)).toBe(1)
        expect(yield* storedPhoto("b")).toMatchObject({ deleted_at: 2_500, last_seen_run: run1 })
        expect(yield* storedPhoto("a")).toMatchObject({ deleted_at: null })
        expect(yield* storedPhoto("c")).toMatchObject({ deleted_at: null })
        expect(yield* photos.countLive).toBe(2)
        expect(yield* photos.countDeleted).toBe(1)
        expect(yield* photos.countSeenIn(run2)).toBe(2)
        expect(yield* photos.countSeenIn(run1)).toBe(0)

        // Again: nothing new, and the first deletion time stays.
        expect(yield* photos.markUnseenDeleted(run2, 3_000)).toBe(0)
        expect(yield* storedPhoto("b")).toMatchObject({ deleted_at: 2_500 })
      })
    ))

  it.effect("restores a deleted photo that shows up again, counted restored", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run1 = yield* runs.start("backup", 1_000)
        const run2 = yield* runs.start("backup", 2_000)
        const run3 = yield* runs.start("backup", 3_000)
        yield* photos.upsertBatch([photo("a"), photo("b")], run1, 1_000)
        yield* photos.upsertBatch([photo("a")], run2, 2_000)
        expect(yield* photos.markUnseenDeleted(run2, 2_000)).toBe(1)

        const counts = yield* photos.upsertBatch([photo("a"), photo("b")], run3, 3_000)
        expect(counts).toStrictEqual({ added: 0, changed: 0, restored: 1 })
        expect(yield* storedPhoto("b")).toMatchObject({ deleted_at: null, last_seen_run: run3, first_seen_at: 1_000 })
        expect(yield* photos.countDeleted).toBe(0)
        expect(yield* photos.countLive).toBe(2)
        expect(yield* photos.countRevisions).toBe(0)
        expect(yield* photos.markUnseenDeleted(run3, 3_000)).toBe(0)
      })
    ))

  it.effect("restores and revises a deleted photo that comes back changed", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run1 = yield* runs.start("backup", 1_000)
        const run2 = yield* runs.start("backup", 2_000)
        yield* photos.upsertBatch([photo("a", { lastupdate: "5" })], run1, 1_000)
        yield* photos.markUnseenDeleted(run2, 1_500)
        const counts = yield* photos.upsertBatch([photo("a", { lastupdate: "6" })], run2, 2_000)
        expect(counts).toStrictEqual({ added: 0, changed: 1, restored: 1 })
        expect(yield* storedPhoto("a")).toMatchObject({ last_update: 6, deleted_at: null, changed_at: 2_000 })
        expect((yield* revisions).map((r) => r.last_update)).toEqual([5])
      })
    ))

  it.effect("stores an id repeated inside one batch once, the last copy winning", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run = yield* runs.start("backup", 1_000)
        const counts = yield* photos.upsertBatch(
          [photo("a", { title: "first", lastupdate: "1" }), photo("b"), photo("a", { title: "second", lastupdate: "2" })],
          run,
          1_000
        )
        expect(counts).toStrictEqual({ added: 2, changed: 0, restored: 0 })
        expect(yield* photos.countLive).toBe(2)
        expect(yield* photos.countRevisions).toBe(0)
        expect(yield* storedPhoto("a")).toMatchObject({ title: "second", last_update: 2 })
      })
    ))

  it.effect("returns zero counts for an empty batch", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run = yield* runs.start("backup", 1_000)
        expect(yield* photos.upsertBatch([], run, 1_000)).toStrictEqual({ added: 0, changed: 0, restored: 0 })
        expect(yield* photos.countLive).toBe(0)
      })
    ))

  it.effect("stores all of a 1,200-row batch (several statements) and revises all of them", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const sql = yield* SqlClient.SqlClient
        const run1 = yield* runs.start("backup", 1_000)
        const run2 = yield* runs.start("backup", 2_000)
        const ids = Array.from({ length: 1_200 }, (_, i) => String(50_000_000_000 + i))

        const first = yield* photos.upsertBatch(ids.map((id) => photo(id, { lastupdate: "1" })), run1, 1_000)
        expect(first).toStrictEqual({ added: 1_200, changed: 0, restored: 0 })
        expect(yield* photos.countLive).toBe(1_200)
        expect(yield* photos.countSeenIn(run1)).toBe(1_200)
        const stored = yield* sql`SELECT id FROM photos ORDER BY id`
        expect(stored.map((r) => (r as { id: string }).id)).toEqual(ids)
        expect(yield* storedPhoto(ids[1_199]!)).toMatchObject({ title: `photo ${ids[1_199]}`, last_seen_run: run1 })

        const second = yield* photos.upsertBatch(ids.map((id) => photo(id, { lastupdate: "2" })), run2, 2_000)
        expect(second).toStrictEqual({ added: 0, changed: 1_200, restored: 0 })
        expect(yield* photos.countRevisions).toBe(1_200)
        expect(yield* photos.countSeenIn(run2)).toBe(1_200)
        expect(yield* photos.markUnseenDeleted(run2, 2_000)).toBe(0)
      })
    ))

  it.effect("rolls a batch back with the transaction it runs in", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run = yield* runs.start("backup", 1_000)
        const failed = yield* photos
          .transaction(Effect.zipRight(photos.upsertBatch([photo("a"), photo("b")], run, 1_000), Effect.fail("boom" as const)))
          .pipe(Effect.flip)
        expect(failed).toBe("boom")
        expect(yield* photos.countLive).toBe(0)
      })
    ))

  it.effect("saves the account and reads it back, updated in place", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const sql = yield* SqlClient.SqlClient
        expect(Option.isNone(yield* photos.account)).toBe(true)

        yield* photos.saveAccount({ nsid: "85853333@N00", username: "jeremybrooks", fullname: "Jeremy Brooks" }, 1_000)
        expect(yield* photos.account).toStrictEqual(
          Option.some({ nsid: "85853333@N00", username: "jeremybrooks", fullname: "Jeremy Brooks" })
        )

        yield* photos.saveAccount({ nsid: "85853333@N00", username: "jeremybrooks", fullname: "Zoë Ångström" }, 2_000)
        expect(yield* photos.account).toStrictEqual(
          Option.some({ nsid: "85853333@N00", username: "jeremybrooks", fullname: "Zoë Ångström" })
        )
        const users = yield* sql`SELECT nsid, is_account, updated_at FROM users`
        expect(users).toStrictEqual([{ nsid: "85853333@N00", is_account: 1, updated_at: 2_000 }])
      })
    ))

  it.effect("forgets which photos a run saw, so a relisting in the same run counts afresh", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const run = yield* runs.start("backup", 1_000)
        yield* photos.upsertBatch([photo("a"), photo("b")], run, 1_000)
        const other = yield* runs.start("update", 2_000)
        yield* photos.upsertBatch([photo("c")], other, 2_000)
        expect(yield* photos.countSeenIn(run)).toBe(2)
        yield* photos.forgetSeen(run)
        expect(yield* photos.countSeenIn(run)).toBe(0)
        // Another run's marks stay.
        expect(yield* photos.countSeenIn(other)).toBe(1)
      })
    ))

  it.effect("runs each of its methods in a span named after it", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* photos.transaction(photos.upsertBatch([photo("a")], run, 1_000))
          yield* photos.forgetSeen(run)
          yield* photos.markUnseenDeleted(run, 2_000)
          yield* photos.countLive
          yield* photos.countDeleted
          yield* photos.countRevisions
          yield* photos.countSeenIn(run)
          yield* photos.saveAccount({ nsid: "85853333@N00", username: "jeremybrooks", fullname: "Jeremy Brooks" }, 1_000)
          yield* photos.account
        }))
        expect(spanNamesOf("PhotoRepository", photos).filter((name) => !names.has(name))).toEqual([])
      })
    ))
})

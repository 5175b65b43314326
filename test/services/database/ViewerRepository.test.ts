// The viewer's keyset listings: the timeline paged newest first through ties and undated photos,
// neighbours at every step, and every statement they run bounded by an index (EXPLAIN QUERY PLAN
// of the very SQL run, read from its span), never a scan from one end.
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Tracer } from "effect"
import { photoRowFromItem, type PhotoRow } from "../../../src/schema/Photo.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { ViewerRepository } from "../../../src/services/database/ViewerRepository.js"
import { type PhotoCard, TIMELINE_START } from "../../../src/schema/Viewer.js"
import { configFor, repositoriesLayer, tempDir } from "../../support/Fixtures.js"

const photo = (id: string, taken: string | null, tags = ""): PhotoRow => {
  const row = photoRowFromItem({ id, title: `photo ${id}`, dateupload: "1401132433", lastupdate: "1401132439", datetaken: taken, tags })
  if (row === null) throw new Error("no id")
  return row
}

// Ties on the date (ids 13, 12 and 11 share one), and undated photos, which come last.
const PHOTOS = [
  photo("10", "2014-05-01 10:00:00", "cat"),
  photo("11", "2015-01-01 00:00:00", "cat"),
  photo("12", "2015-01-01 00:00:00"),
  photo("13", "2015-01-01 00:00:00", "cat"),
  photo("14", "2016-07-04 12:00:00", "cat dog"),
  photo("15", null, "cat"),
  photo("16", null),
  photo("9", "2013-02-02 02:02:02")
]
const NEWEST_FIRST = ["14", "13", "12", "11", "10", "9", "16", "15"]

/** A migrated database holding PHOTOS, with the viewer's repository over it. */
const withPhotos = <A, E>(body: Effect.Effect<A, E, ViewerRepository | SqlClient.SqlClient>) =>
  Effect.scoped(Effect.gen(function*() {
    const home = yield* tempDir
    const layer = ViewerRepository.Default.pipe(Layer.provideMerge(repositoriesLayer(configFor(home))))
    return yield* Effect.gen(function*() {
      const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
      yield* (yield* PhotoRepository).upsertBatch(PHOTOS, run, 1_000)
      return yield* body
    }).pipe(Effect.provide(layer))
  }))

/** Runs `self`, returning its result and the text of every SQL statement it ran. */
const withStatements = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.tracer, (tracer) => {
    const spans: Array<Tracer.Span> = []
    const recording = Tracer.make({
      span: (...args) => {
        const span = tracer.span(...args)
        spans.push(span)
        return span
      },
      context: (f, fiber) => tracer.context(f, fiber)
    })
    return Effect.map(Effect.withTracer(self, recording), (result) => ({
      result,
      statements: spans.flatMap((s) => {
        const text = s.attributes.get("db.query.text")
        return typeof text === "string" ? [text] : []
      })
    }))
  })

/** SQLite's plan for `statement`, its parameters NULL: a plan does not depend on their values here. */
const planOf = (statement: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${statement}`, Array.from(statement.matchAll(/\?/g), () => null)),
      (rows) => rows.map((r) => r.detail)
    ))

const ids = (cards: ReadonlyArray<PhotoCard>) => cards.map((c) => c.id)

describe("ViewerRepository", () => {
  it.effect("pages the timeline newest taken first, through ties and then the undated photos, two at a time", () =>
    withPhotos(Effect.gen(function*() {
      const viewer = yield* ViewerRepository
      const seen: Array<string> = []
      let cursor = TIMELINE_START
      for (let page = yield* viewer.timeline(cursor, 2); page.length > 0; page = yield* viewer.timeline(cursor, 2)) {
        seen.push(...ids(page))
        const last = page.at(-1)!
        cursor = { taken: last.date_taken ?? "", id: last.id }
      }
      expect(seen).toEqual(NEWEST_FIRST)
    })))

  it.effect("gives each photo's neighbours on the timeline, across ties and into the undated photos", () =>
    withPhotos(Effect.gen(function*() {
      const viewer = yield* ViewerRepository
      for (const [i, id] of NEWEST_FIRST.entries()) {
        const card = Option.getOrThrow(yield* viewer.card(id))
        const around = yield* viewer.timelineNeighbours(card)
        expect([ids(around.previous), ids(around.next)]).toEqual([
          i === 0 ? [] : [NEWEST_FIRST[i - 1]],
          i === NEWEST_FIRST.length - 1 ? [] : [NEWEST_FIRST[i + 1]]
        ])
      }
    })))

  it.effect("gives a tag's photos and neighbours in the timeline's order", () =>
    withPhotos(Effect.gen(function*() {
      const viewer = yield* ViewerRepository
      expect(ids(yield* viewer.tagged("cat", TIMELINE_START, 10))).toEqual(["14", "13", "11", "10", "15"])
      const card = Option.getOrThrow(yield* viewer.card("13"))
      const around = yield* viewer.taggedNeighbours("cat", card)
      expect([ids(around.previous), ids(around.next)]).toEqual([["14"], ["11"]])
    })))

  it.effect("bounds every timeline statement's index range by its cursor instead of scanning the index", () =>
    withPhotos(Effect.gen(function*() {
      const viewer = yield* ViewerRepository
      const card = Option.getOrThrow(yield* viewer.card("12"))
      const { statements } = yield* withStatements(Effect.all([
        viewer.timeline(TIMELINE_START, 2),
        viewer.timeline({ taken: "2015-01-01 00:00:00", id: "12" }, 2),
        viewer.timelineNeighbours(card)
      ]))
      const listings = statements.filter((s) => s.includes("ORDER BY"))
      expect(listings.length).toBeGreaterThanOrEqual(4)
      for (const statement of listings) {
        const plan = yield* planOf(statement)
        // The card's subqueries (is there a file to show?) look up one photo's files each by index.
        expect(plan.join(" | "), statement).toMatch(
          /^SEARCH p USING (COVERING )?INDEX photos_taken \(<expr>[<>]\?\)( \| CORRELATED SCALAR SUBQUERY \d \| SEARCH f USING (COVERING )?INDEX files_\w+ \(photo_id=\?\))*$/
        )
      }
    })))
})

describe("ViewerRepository's tag and album listings", () => {
  it.effect("read a tag's photos and an album's members from an index, in order, without sorting", () =>
    withPhotos(Effect.gen(function*() {
      const viewer = yield* ViewerRepository
      const card = Option.getOrThrow(yield* viewer.card("13"))
      const { statements } = yield* withStatements(Effect.all([
        viewer.tagged("cat", TIMELINE_START, 2),
        viewer.taggedNeighbours("cat", card),
        viewer.albumMembers("1", { position: -1, id: "" }, 2)
      ]))
      const listings = statements.filter((s) => s.includes("ORDER BY"))
      expect(listings.length).toBeGreaterThanOrEqual(4)
      for (const statement of listings) {
        const plan = (yield* planOf(statement)).join(" | ")
        expect(plan, statement).toMatch(/^SEARCH (t USING PRIMARY KEY|ap USING COVERING INDEX album_photos_live) /)
        expect(plan, statement).not.toMatch(/SCAN/)
        expect(plan, statement).not.toContain("TEMP B-TREE")
      }
    })))
})

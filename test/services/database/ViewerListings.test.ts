// The viewer's queries over a real database: photo_tag_names kept in step with photos.tags by the
// triggers of migration 0010, the albums and map points answered from indexes (migration 0012), and
// the new methods' spans.
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { photoRowFromItem } from "../../../src/schema/Photo.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import { ViewerRepository } from "../../../src/services/database/ViewerRepository.js"
import { withDatabase } from "../../support/Fixtures.js"
import { withSpanNames } from "../../support/SpanNames.js"

const tagRows = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT tag, photo_id FROM photo_tag_names ORDER BY photo_id, tag`)

/** The plan SQLite makes for `query`, one detail a line. */
const planOf = (query: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`)).pipe(
    Effect.map((rows) => rows.map((r) => r.detail))
  )

describe("photo_tag_names", () => {
  it.effect("follows photos.tags on insert and on update, and is left alone when the tags do not change", () =>
    withDatabase(
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const photos = yield* PhotoRepository
        const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
        const store = (id: string, tags: string, title = "t") =>
          photos.upsertBatch([photoRowFromItem({ id, tags, title, lastupdate: "1" })!], run, 1_000)
        yield* store("1", "sea  boats sea")
        yield* store("2", "")
        expect(yield* tagRows).toEqual([{ tag: "boats", photo_id: "1" }, { tag: "sea", photo_id: "1" }])

        yield* sql`UPDATE photos SET tags = 'boats café' WHERE id = '1'`
        yield* sql`UPDATE photos SET tags = 'snow' WHERE id = '2'`
        expect(yield* tagRows).toEqual([
          { tag: "boats", photo_id: "1" }, { tag: "café", photo_id: "1" }, { tag: "snow", photo_id: "2" }
        ])

        // A row the trigger would drop, to see that an update leaving the tags as they are does not run it.
        yield* sql`INSERT INTO photo_tag_names (tag, photo_id, taken) VALUES ('marker', '1', '')`
        yield* sql`UPDATE photos SET tags = 'boats café', title = 'other' WHERE id = '1'`
        yield* store("1", "boats café", "again")
        expect((yield* tagRows).filter((r) => r.photo_id === "1")).toEqual([
          { tag: "boats", photo_id: "1" }, { tag: "café", photo_id: "1" }, { tag: "marker", photo_id: "1" }
        ])
        // The trigger finds a photo's rows by its old tags: those go, the hand-made marker stays.
        yield* sql`UPDATE photos SET tags = '' WHERE id = '1'`
        expect((yield* tagRows).filter((r) => r.photo_id === "1")).toEqual([{ tag: "marker", photo_id: "1" }])
        // A new date taken moves the photo's rows with it (a tag's photos are read newest first by it).
        yield* sql`UPDATE photos SET date_taken = '2019-05-06 07:08:09' WHERE id = '2'`
        const taken = yield* sql<{ readonly taken: string }>`SELECT taken FROM photo_tag_names WHERE photo_id = '2'`
        expect(taken).toEqual([{ taken: "2019-05-06 07:08:09" }])
      })
    ))
})

describe("ViewerRepository", () => {
  it.effect("lists albums and map points from their indexes, without sorting", () =>
    withDatabase(
      Effect.gen(function*() {
        const albums = yield* planOf(
          `SELECT a.id FROM albums a WHERE a.deleted_at IS NULL ORDER BY a.position IS NULL, a.position, a.created_at DESC, a.id DESC`
        )
        expect(albums.join("\n")).toContain("albums_order")
        expect(albums.join("\n")).not.toContain("TEMP B-TREE")
        const points = yield* planOf(
          `SELECT json_group_array(json_array(id, round(latitude, 5), round(longitude, 5))) FROM photos WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND NOT (latitude = 0 AND longitude = 0)`
        )
        expect(points.join("\n")).toContain("COVERING INDEX photos_geo")
        const tags = yield* planOf(`SELECT t.tag, count(*) FROM photo_tag_names t GROUP BY t.tag ORDER BY t.tag`)
        expect(tags.join("\n")).not.toContain("TEMP B-TREE")
      })
    ))

  it.effect("runs its list methods in spans named after them", () =>
    withDatabase(
      Effect.gen(function*() {
        const viewer = yield* ViewerRepository
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* viewer.albums
          yield* viewer.collections
          yield* viewer.collectionAlbums
          yield* viewer.tags
          yield* viewer.tag("x")
          yield* viewer.geoPointsJson
        }))
        const wanted = ["albums", "collections", "collectionAlbums", "tags", "tag", "geoPointsJson"].map((m) => `ViewerRepository.${m}`)
        expect(wanted.filter((name) => !names.has(name))).toEqual([])
      }).pipe(Effect.provide(ViewerRepository.Default))
    ))
})

// What program tests run on: a TestAccount as the FlickrApi, and the real repositories over a
// fresh SQLite file (the real migrations) in a temporary home; plus reads of what they stored.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Layer, Schema } from "effect"
import { repositoriesOn } from "../../src/Layers.js"
import { CallBudget } from "../../src/services/flickr/CallBudget.js"
import * as Database from "../../src/services/database/Database.js"
import { ExifReader } from "../../src/services/files/ExifReader.js"
import { configFor, tempDir, testBase } from "./Fixtures.js"
import type { TestAccount } from "./TestFlickrApi.js"

/**
 * Everything a backup, update or details run asks for, over `account`; what the reporter says
 * goes into `lines`. The database and its home go when the layer's scope closes.
 */
export const programLayer = (account: TestAccount, lines: Array<string> = []) =>
  Layer.unwrapScoped(
    Effect.map(tempDir, (home) =>
      Layer.mergeAll(account.layer, CallBudget.Default, ExifReader.Default, repositoriesOn(Database.layer({ create: true }))).pipe(
        Layer.provideMerge(testBase(configFor(home), lines))
      ))
  )

/** Runs `body` on `account`, with a fresh database, as a program test does. */
export const onAccount = <A, E, R>(account: TestAccount, body: (account: TestAccount) => Effect.Effect<A, E, R>) =>
  Effect.suspend(() => body(account)).pipe(Effect.provide(programLayer(account)))

/** Ids in order, numbers by value ("a2" before "a10"), as the tests compare them. */
export const sortedIds = (ids: Iterable<string>): Array<string> =>
  [...ids].sort((a, b) => a.localeCompare(b, "en", { numeric: true }))

const StoredState = Schema.Struct({ id: Schema.String, deleted_at: Schema.NullOr(Schema.Number) })

const idsWhere = (table: "photos" | "albums" | "collections") =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* SqlSchema.findAll({
      Request: Schema.Void,
      Result: StoredState,
      execute: () => sql`SELECT id, deleted_at FROM ${sql(table)}`
    })(undefined)
    return {
      live: sortedIds(rows.filter((r) => r.deleted_at === null).map((r) => r.id)),
      deleted: sortedIds(rows.filter((r) => r.deleted_at !== null).map((r) => r.id))
    }
  })

/** The photos table: which ids are live and which are marked deleted. */
export const storedPhotos = idsWhere("photos")
export const storedAlbums = idsWhere("albums")
export const storedCollections = idsWhere("collections")

const RunRow = Schema.Struct({
  id: Schema.Number,
  kind: Schema.String,
  outcome: Schema.String,
  resume_cursor: Schema.NullOr(Schema.String),
  message: Schema.NullOr(Schema.String),
  added: Schema.Number,
  deleted: Schema.Number
})

/** sync_runs, oldest first. */
export const storedRuns = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* SqlSchema.findAll({
    Request: Schema.Void,
    Result: RunRow,
    execute: () => sql`SELECT id, kind, outcome, resume_cursor, message, added, deleted FROM sync_runs ORDER BY id`
  })(undefined)
})

const SyncedPartRow = Schema.Struct({ part: Schema.String, run_id: Schema.NullOr(Schema.Number) })

/** The parts of the account marked completely synced (sync_parts), each with the run that did it. */
export const syncedParts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* SqlSchema.findAll({
    Request: Schema.Void,
    Result: SyncedPartRow,
    execute: () => sql`SELECT part, run_id FROM sync_parts ORDER BY part`
  })(undefined)
  return Object.fromEntries(rows.map((r) => [r.part, r.run_id]))
})

// Opens fbk's SQLite database: checks first that the file is SQLite and is fbk's (or the
// original Python tool's, whose tables are left alone), then WAL, foreign keys, migrations.
import { FileSystem } from "@effect/platform"
import * as Reactivity from "@effect/experimental/Reactivity"
import { Migrator, SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer, Schema } from "effect"
import * as path from "node:path"
import { DatabaseError } from "../../schema/Errors.js"
import { FbkConfig } from "../home/FbkConfig.js"
import { Reporter } from "../terminal/Reporter.js"
import { indexMissing } from "./SearchIndex.js"
import core from "./migrations/0001_core.js"
import albums from "./migrations/0002_albums.js"
import details from "./migrations/0003_details.js"
import exifComments from "./migrations/0004_exif_comments.js"
import peopleSearch from "./migrations/0005_people_search.js"
import runLock from "./migrations/0006_run_lock.js"
import files from "./migrations/0007_files.js"
import link from "./migrations/0008_link.js"
import exportFiles from "./migrations/0009_export.js"

const SQLITE_HEADER = "SQLite format 3\u0000"
const MIGRATIONS_TABLE = "fbk_migrations"
/** Tables of the original Python flickr backup tool: detected, never touched. */
const LEGACY_TABLES = ["flickr_photo", "flickr_user", "flickr_photo_set", "flickr_collection"]

export const migrations = Migrator.fromRecord({
  "0001_core": core, "0002_albums": albums, "0003_details": details, "0004_exif_comments": exifComments,
  "0005_people_search": peopleSearch, "0006_run_lock": runLock, "0007_files": files,
  "0008_link": link,
  "0009_export": exportFiles
})

export type DatabaseKind = "new" | "fbk" | "legacy" | "empty"

const TableRow = Schema.Struct({ name: Schema.String })

/** Reads the file's header and tables without writing anything. */
export const inspect = (databasePath: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const fail = (reason: string, cause?: unknown) => new DatabaseError({ path: databasePath, reason, cause })
    const exists = yield* fs.exists(databasePath).pipe(Effect.orElseSucceed(() => false))
    if (!exists) return { kind: "new" as DatabaseKind, tables: [] as ReadonlyArray<string> }
    const info = yield* fs.stat(databasePath).pipe(Effect.mapError((e) => fail(`cannot be read (${e.message})`, e)))
    if (info.type !== "File") return yield* fail("is not a file")
    if (Number(info.size) === 0) return { kind: "empty" as DatabaseKind, tables: [] }
    const header = yield* Effect.scoped(
      Effect.gen(function*() {
        const file = yield* fs.open(databasePath, { flag: "r" })
        const buffer = new Uint8Array(16)
        yield* file.read(buffer)
        return new TextDecoder("latin1").decode(buffer)
      })
    ).pipe(Effect.mapError(() => fail("cannot be read")))
    if (header !== SQLITE_HEADER) return yield* fail("is not an SQLite database; choose another file with --db")
    const tables = yield* Effect.scoped(
      Effect.gen(function*() {
        const sql = yield* SqliteClient.make({ filename: databasePath, readonly: true, disableWAL: true })
        const rows = yield* sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
        return (yield* Schema.decodeUnknown(Schema.Array(TableRow))(rows)).map((r) => r.name)
      })
    ).pipe(
      Effect.provide(Reactivity.layer),
      Effect.catchAllDefect(() => Effect.fail(fail("cannot be opened as SQLite (damaged or locked)"))),
      Effect.mapError((e) => (e instanceof DatabaseError ? e : fail("cannot be opened as SQLite (damaged or locked)")))
    )
    if (tables.includes(MIGRATIONS_TABLE)) return { kind: "fbk" as DatabaseKind, tables }
    if (tables.length === 0) return { kind: "empty" as DatabaseKind, tables }
    if (tables.some((t) => LEGACY_TABLES.includes(t))) return { kind: "legacy" as DatabaseKind, tables }
    return yield* fail(
      `is not an fbk database (it holds tables ${tables.slice(0, 5).join(", ")}${tables.length > 5 ? ", ..." : ""}); ` +
        "choose another file with --db"
    )
  })

const prepare = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`PRAGMA foreign_keys = ON`
  // WAL with synchronous=NORMAL stays consistent after a crash; only the last commits can be lost.
  yield* sql`PRAGMA synchronous = NORMAL`
  yield* sql`PRAGMA busy_timeout = 5000`
  yield* Migrator.make({})({ loader: migrations, table: MIGRATIONS_TABLE })
  // Data the migrations leave to the code of today (migrations only shape tables, so they never change).
  yield* indexMissing(sql)
})

const connect = (databasePath: string) =>
  Layer.effectDiscard(prepare).pipe(Layer.provideMerge(SqliteClient.layer({ filename: databasePath })))

/**
 * The database for the configured path. `create: false` refuses to make a new file (every
 * command but setup), so a typo in --db or a home never set up is an error, not a new database.
 */
export const layer = (options: { readonly create: boolean }) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const { databasePath, home } = yield* FbkConfig
      const reporter = yield* Reporter
      const fs = yield* FileSystem.FileSystem
      const found = yield* inspect(databasePath)
      if (found.kind === "new" && !options.create) {
        return yield* new DatabaseError({
          path: databasePath,
          reason: `does not exist: fbk is not set up in ${home}; run \`fbk setup\` (or \`fbk import-export\` with Flickr's data export)`
        })
      }
      if (found.kind === "new") {
        yield* fs.makeDirectory(path.dirname(databasePath), { recursive: true, mode: 0o700 }).pipe(
          Effect.mapError((e) => new DatabaseError({ path: databasePath, reason: `cannot be created (${e.message})`, cause: e }))
        )
      }
      if (found.kind === "legacy") {
        yield* reporter.note(
          `${databasePath} holds the original flickr backup tool's tables ` +
            `(${found.tables.filter((t) => t.startsWith("flickr_")).join(", ")}); fbk leaves them untouched ` +
            "and keeps its own tables (photos, users, ...) beside them."
        )
      }
      return connect(databasePath).pipe(
        Layer.mapError((e) =>
          e instanceof DatabaseError ? e : new DatabaseError({ path: databasePath, reason: `cannot be prepared (${e.message})`, cause: e })
        )
      )
    })
  )

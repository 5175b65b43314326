// Opens fbk's SQLite database: checks first that the file is SQLite and is fbk's (or the
// original Python tool's, whose tables are left alone), then WAL, foreign keys, migrations.
import { FileSystem } from "@effect/platform"
import * as Reactivity from "@effect/experimental/Reactivity"
import { Migrator, SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Cause, Effect, Layer, Option, Schema } from "effect"
import * as path from "node:path"
import { DatabaseError } from "../../schema/Errors.js"
import { errnoOf, isNotFound, messageOf, plainReason } from "../files/NodeErrors.js"
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
import viewer from "./migrations/0010_viewer.js"
import posters from "./migrations/0011_posters.js"
import albumOrder from "./migrations/0012_album_order.js"
import commandRuns from "./migrations/0013_command_runs.js"
import sidecars from "./migrations/0014_sidecars.js"

const SQLITE_HEADER = "SQLite format 3\u0000"
const MIGRATIONS_TABLE = "fbk_migrations"
/** Tables of the original Python flickr backup tool: detected, never touched. */
const LEGACY_TABLES = ["flickr_photo", "flickr_user", "flickr_photo_set", "flickr_collection"]

/** Every migration by name, in order. */
export const MIGRATIONS = {
  "0001_core": core, "0002_albums": albums, "0003_details": details, "0004_exif_comments": exifComments,
  "0005_people_search": peopleSearch, "0006_run_lock": runLock, "0007_files": files,
  "0008_link": link,
  "0009_export": exportFiles,
  "0010_viewer": viewer,
  "0011_posters": posters,
  "0012_album_order": albumOrder,
  "0013_command_runs": commandRuns,
  "0014_sidecars": sidecars
}

export const migrations = Migrator.fromRecord(MIGRATIONS)

export type DatabaseKind = "new" | "fbk" | "legacy" | "empty"

const TableRow = Schema.Struct({ name: Schema.String })

/** SQLite's result codes (extended codes by their primary) in the words a person reads. */
const SQLITE_PROBLEMS: Readonly<Record<string, string>> = {
  SQLITE_BUSY: "is locked by another program",
  SQLITE_LOCKED: "is locked by another program",
  SQLITE_CORRUPT: "is damaged",
  SQLITE_NOTADB: "is damaged",
  SQLITE_READONLY: "cannot be written",
  SQLITE_PERM: "cannot be written",
  SQLITE_CANTOPEN: "cannot be opened",
  SQLITE_IOERR: "cannot be read or written",
  SQLITE_FULL: "cannot be written (no space left on the disk)"
}

/** The SQLite code of a failure: better-sqlite3's own, or the one an SqlError wraps. */
const sqliteCodeOf = (error: unknown): string | undefined => {
  const code = errnoOf(error) ??
    (typeof error === "object" && error !== null && "cause" in error ? errnoOf(error.cause) : undefined)
  return code?.startsWith("SQLITE_") ? code.split("_").slice(0, 2).join("_") : undefined
}

/**
 * Why the database cannot be used, in plain words: SQLite's code, with the file system's reason
 * (`fileProblem`, from reading and writing the file and its folder) where SQLite gives none, as
 * "unable to open database file" does on a read-only disk. Undefined when SQLite's code says nothing.
 */
export const databaseProblem = (error: unknown, fileProblem?: unknown): string | undefined => {
  const code = sqliteCodeOf(error)
  const problem = code === undefined ? undefined : SQLITE_PROBLEMS[code]
  if (fileProblem === undefined) return problem
  const why = plainReason(fileProblem)
  return problem === undefined ? `cannot be used (${why})` : problem.includes("(") ? problem : `${problem} (${why})`
}

/** The file system's reason the database or its folder (SQLite writes its journal there) cannot be read and written. */
const fileProblemAt = (fs: FileSystem.FileSystem, databasePath: string) =>
  fs.access(databasePath, { readable: true, writable: true }).pipe(
    Effect.catchIf(isNotFound, () => Effect.void),
    Effect.zipRight(fs.access(path.dirname(databasePath), { writable: true })),
    Effect.flip,
    Effect.option,
    Effect.map(Option.getOrUndefined)
  )

/**
 * A failure to open or prepare the database as a DatabaseError; SQLite throws when it opens, so
 * defects are failures here too. An interruption stays one.
 */
const unusable = (fs: FileSystem.FileSystem, databasePath: string) => (cause: Cause.Cause<unknown>) =>
  Effect.gen(function*() {
    if (Cause.isInterruptedOnly(cause)) return yield* Effect.failCause(cause as Cause.Cause<never>)
    const error = Cause.squash(cause)
    if (error instanceof DatabaseError) return yield* error
    const fileProblem = yield* fileProblemAt(fs, databasePath)
    const inner = typeof error === "object" && error !== null && "cause" in error && error.cause !== undefined ? error.cause : error
    return yield* new DatabaseError({
      path: databasePath,
      reason: databaseProblem(error, fileProblem) ?? `cannot be used (${messageOf(inner)})`,
      cause: error
    })
  })

/** Reads the file's header and tables without writing anything. */
export const inspect = (databasePath: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const fail = (reason: string, cause?: unknown) => new DatabaseError({ path: databasePath, reason, cause })
    // Only a path that is not there is a database to create; a home that cannot be read is no such thing.
    const exists = yield* fs.exists(databasePath).pipe(Effect.mapError((e) => fail(`cannot be read (${plainReason(e)})`, e)))
    if (!exists) return { kind: "new" as DatabaseKind, tables: [] as ReadonlyArray<string> }
    const info = yield* fs.stat(databasePath).pipe(Effect.mapError((e) => fail(`cannot be read (${plainReason(e)})`, e)))
    if (info.type !== "File") return yield* fail("is not a file")
    if (Number(info.size) === 0) return { kind: "empty" as DatabaseKind, tables: [] }
    const header = yield* Effect.scoped(
      Effect.gen(function*() {
        const file = yield* fs.open(databasePath, { flag: "r" })
        const buffer = new Uint8Array(16)
        yield* file.read(buffer)
        return new TextDecoder("latin1").decode(buffer)
      })
    ).pipe(Effect.mapError((e) => fail(`cannot be read (${plainReason(e)})`, e)))
    if (header !== SQLITE_HEADER) return yield* fail("is not an SQLite database; choose another file with --db")
    const tables = yield* Effect.scoped(
      Effect.gen(function*() {
        const sql = yield* SqliteClient.make({ filename: databasePath, readonly: true, disableWAL: true })
        const rows = yield* sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
        return (yield* Schema.decodeUnknown(Schema.Array(TableRow))(rows)).map((r) => r.name)
      })
    ).pipe(
      Effect.provide(Reactivity.layer),
      Effect.catchAllCause(unusable(fs, databasePath))
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
          Effect.mapError((e) => new DatabaseError({ path: databasePath, reason: `cannot be created (${plainReason(e)})`, cause: e }))
        )
      }
      if (found.kind === "legacy") {
        yield* reporter.note(
          `${databasePath} holds the original flickr backup tool's tables ` +
            `(${found.tables.filter((t) => t.startsWith("flickr_")).join(", ")}); fbk leaves them untouched ` +
            "and keeps its own tables (photos, users, ...) beside them."
        )
      }
      return connect(databasePath).pipe(Layer.catchAllCause((cause) => Layer.effect(SqlClient.SqlClient, unusable(fs, databasePath)(cause))))
    })
  )

import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Database from "../../../src/services/database/Database.js"
import { configFor, FBK_TABLES, tempDir, testBase } from "../../support/Fixtures.js"

/** Writes an SQLite file the way another program would (no WAL, so one file on disk). */
const makeSqliteFile = (filename: string, statements: ReadonlyArray<string>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const sql = yield* SqliteClient.make({ filename, disableWAL: true })
      for (const statement of statements) yield* sql.unsafe(statement)
    })
  ).pipe(Effect.provide(Reactivity.layer))

/** Rows of a query, read through a separate read-only connection. */
const query = (filename: string, statement: string) =>
  Effect.scoped(
    Effect.gen(function*() {
      const sql = yield* SqliteClient.make({ filename, readonly: true, disableWAL: true })
      return yield* sql.unsafe(statement)
    })
  ).pipe(Effect.provide(Reactivity.layer))

/** Opens the configured database the way commands do, and runs `body` while it is open. */
const openDatabase = <A, E>(
  home: string,
  options: { readonly create: boolean; readonly databasePath?: string },
  lines: Array<string>,
  body: Effect.Effect<A, E, SqlClient.SqlClient>
) => {
  const config = configFor(home, options.databasePath === undefined ? {} : { databasePath: options.databasePath })
  return body.pipe(Effect.provide(Database.layer({ create: options.create }).pipe(Layer.provide(testBase(config, lines)))))
}

const tableNames = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
  return rows.map((r) => (r as { name: string }).name)
})


const LEGACY_SCHEMA = [
  "CREATE TABLE flickr_user (id INTEGER PRIMARY KEY, nsid TEXT NOT NULL, username TEXT)",
  "CREATE TABLE flickr_photo (id INTEGER PRIMARY KEY, flickr_id TEXT NOT NULL, title TEXT, " +
  "user_id INTEGER REFERENCES flickr_user(id))",
  "INSERT INTO flickr_user (id, nsid, username) VALUES (1, '85853333@N00', 'Jeremy Brooks')",
  "INSERT INTO flickr_photo (id, flickr_id, title, user_id) VALUES (1, '14090163898', 'La Sombra', 1), " +
  "(2, '14273488301', 'Last Time That I Saw You', 1)"
]

describe("Database.layer", () => {
  it.scoped("refuses a text file without changing a byte", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "flickr_backup.sqlite")
      const text = "photo_id,title\n14090163898,La Sombra Rotoporky\n"
      fs.writeFileSync(file, text)
      const lines: Array<string> = []

      const error = yield* openDatabase(home, { create: true }, lines, Effect.void).pipe(Effect.flip)
      expect(error._tag).toBe("DatabaseError")
      expect(error.path).toBe(file)
      expect(error.reason).toContain("is not an SQLite database")
      expect(fs.readFileSync(file, "utf8")).toBe(text)
      expect(fs.readdirSync(home)).toEqual(["flickr_backup.sqlite"])
    }))

  it.scoped("refuses a file shorter than an SQLite header", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "flickr_backup.sqlite")
      fs.writeFileSync(file, "SQLite")
      const error = yield* openDatabase(home, { create: true }, [], Effect.void).pipe(Effect.flip)
      expect(error.reason).toContain("is not an SQLite database")
      expect(fs.readFileSync(file, "utf8")).toBe("SQLite")
    }))

  it.scoped("refuses a damaged SQLite file without changing it", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "flickr_backup.sqlite")
      const bytes = Buffer.concat([Buffer.from("SQLite format 3\u0000", "latin1"), Buffer.alloc(4_080, 0xab)])
      fs.writeFileSync(file, bytes)
      const error = yield* openDatabase(home, { create: true }, [], Effect.void).pipe(Effect.flip)
      expect(error._tag).toBe("DatabaseError")
      expect(error.reason).toBe("is damaged")
      expect(fs.readFileSync(file).equals(bytes)).toBe(true)
    }))

  it.scoped("refuses someone else's SQLite database, naming its tables, without changing it", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "flickr_backup.sqlite")
      yield* makeSqliteFile(file, [
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO notes (body) VALUES ('keep me')"
      ])
      const before = fs.readFileSync(file)
      const lines: Array<string> = []

      const error = yield* openDatabase(home, { create: true }, lines, Effect.void).pipe(Effect.flip)
      expect(error._tag).toBe("DatabaseError")
      expect(error.reason).toContain("is not an fbk database")
      expect(error.reason).toContain("notes")
      expect(fs.readFileSync(file).equals(before)).toBe(true)
      expect(fs.readdirSync(home)).toEqual(["flickr_backup.sqlite"])
      expect(yield* query(file, "SELECT body FROM notes")).toEqual([{ body: "keep me" }])
    }))

  it.scoped("opens the original Python tool's database beside its tables, leaving them alone, with a note", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "flickr_backup.sqlite")
      yield* makeSqliteFile(file, LEGACY_SCHEMA)
      const schemaBefore = yield* query(file, "SELECT name, sql FROM sqlite_master WHERE name LIKE 'flickr_%' ORDER BY name")
      const lines: Array<string> = []

      const tables = yield* openDatabase(home, { create: false }, lines, tableNames)
      expect(tables).toEqual(["flickr_photo", "flickr_user", ...FBK_TABLES].sort())
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain("flickr_photo")
      expect(lines[0]).toContain("flickr_user")
      expect(lines[0]).toContain("untouched")

      expect(yield* query(file, "SELECT name, sql FROM sqlite_master WHERE name LIKE 'flickr_%' ORDER BY name")).toEqual(
        schemaBefore
      )
      expect(yield* query(file, "SELECT * FROM flickr_user")).toEqual([
        { id: 1, nsid: "85853333@N00", username: "Jeremy Brooks" }
      ])
      expect(yield* query(file, "SELECT * FROM flickr_photo ORDER BY id")).toEqual([
        { id: 1, flickr_id: "14090163898", title: "La Sombra", user_id: 1 },
        { id: 2, flickr_id: "14273488301", title: "Last Time That I Saw You", user_id: 1 }
      ])

      // Opened again it is fbk's now (migrations recorded), and it still leaves the old tables be.
      const again = yield* openDatabase(home, { create: false }, lines, tableNames)
      expect(again).toEqual(tables)
      expect(yield* query(file, "SELECT count(*) AS n FROM flickr_photo")).toEqual([{ n: 2 }])
    }))

  it.scoped("with create: false refuses a missing database and creates nothing", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const home = path.join(root, "never-set-up")
      const error = yield* openDatabase(home, { create: false }, [], Effect.void).pipe(Effect.flip)
      expect(error._tag).toBe("DatabaseError")
      expect(error.path).toBe(path.join(home, "flickr_backup.sqlite"))
      expect(error.reason).toContain("does not exist")
      expect(error.reason).toContain("fbk setup")
      expect(fs.existsSync(home)).toBe(false)
      expect(fs.readdirSync(root)).toEqual([])
    }))

  it.scoped("with create: true makes the directory and a migrated database", () =>
    Effect.gen(function*() {
      const root = yield* tempDir
      const home = path.join(root, "a", "b")
      const tables = yield* openDatabase(home, { create: true }, [], tableNames)
      expect(tables).toEqual(FBK_TABLES)
      expect(fs.statSync(home).mode & 0o777).toBe(0o700)
      expect(fs.existsSync(path.join(home, "flickr_backup.sqlite"))).toBe(true)
    }))

  it.scoped("treats an empty file as a new database", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "flickr_backup.sqlite")
      fs.writeFileSync(file, "")
      expect(yield* openDatabase(home, { create: false }, [], tableNames)).toEqual(FBK_TABLES)
    }))

  it.scoped("a home that cannot be read is not a home never set up: the system's reason, in plain words", () =>
    Effect.gen(function*() {
      // Root reads anything, so the home is a file: the database under it fails with ENOTDIR.
      const home = path.join(yield* tempDir, "home")
      fs.writeFileSync(home, "")
      for (const create of [false, true]) {
        const error = yield* openDatabase(home, { create }, [], Effect.void).pipe(Effect.flip)
        expect(error).toMatchObject({
          _tag: "DatabaseError",
          path: path.join(home, "flickr_backup.sqlite"),
          reason: "cannot be read (a file is in the way of a folder)"
        })
      }
      expect(fs.readFileSync(home, "utf8")).toBe("")
    }))

  it.scoped("refuses a directory where the file should be", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      fs.mkdirSync(path.join(home, "flickr_backup.sqlite"))
      const error = yield* openDatabase(home, { create: true }, [], Effect.void).pipe(Effect.flip)
      expect(error.reason).toContain("is not a file")
    }))

  it.scoped("migrates once: opening twice keeps one migration and the data", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const file = path.join(home, "flickr_backup.sqlite")
      yield* openDatabase(
        home,
        { create: true },
        [],
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* sql`INSERT INTO users (nsid, username, fullname, is_account, updated_at) VALUES ('1@N01', 'u', 'f', 1, 1)`
        })
      )
      const lines: Array<string> = []
      const result = yield* openDatabase(
        home,
        { create: false },
        lines,
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const migrations = yield* sql`SELECT migration_id, name FROM fbk_migrations`
          const users = yield* sql`SELECT nsid FROM users`
          const foreignKeys = yield* sql`PRAGMA foreign_keys`
          const journal = yield* sql`PRAGMA journal_mode`
          return { migrations, users, foreignKeys, journal }
        })
      )
      expect(result.migrations).toEqual([
        { migration_id: 1, name: "core" },
        { migration_id: 2, name: "albums" },
        { migration_id: 3, name: "details" },
        { migration_id: 4, name: "exif_comments" },
        { migration_id: 5, name: "people_search" },
        { migration_id: 6, name: "run_lock" },
        { migration_id: 7, name: "files" },
        { migration_id: 8, name: "link" },
        { migration_id: 9, name: "export" },
        { migration_id: 10, name: "viewer" },
        { migration_id: 11, name: "posters" },
        { migration_id: 12, name: "album_order" },
        { migration_id: 13, name: "command_runs" },
        { migration_id: 14, name: "sidecars" }
      ])
      expect(result.users).toEqual([{ nsid: "1@N01" }])
      expect(result.foreignKeys).toEqual([{ foreign_keys: 1 }])
      expect(result.journal).toEqual([{ journal_mode: "wal" }])
      expect(lines).toEqual([])
      expect(fs.existsSync(file)).toBe(true)
    }))
})

describe("Database.inspect", () => {
  it.scoped("tells new, empty, fbk and legacy files apart", () =>
    Effect.gen(function*() {
      const home = yield* tempDir
      const run = (file: string) => Database.inspect(file).pipe(Effect.provide(testBase(configFor(home))))
      expect((yield* run(path.join(home, "missing.sqlite"))).kind).toBe("new")

      const empty = path.join(home, "empty.sqlite")
      fs.writeFileSync(empty, "")
      expect((yield* run(empty)).kind).toBe("empty")

      const legacy = path.join(home, "legacy.sqlite")
      yield* makeSqliteFile(legacy, LEGACY_SCHEMA)
      expect(yield* run(legacy)).toEqual({ kind: "legacy", tables: ["flickr_user", "flickr_photo"] })

      const noTables = path.join(home, "no-tables.sqlite")
      yield* makeSqliteFile(noTables, ["PRAGMA user_version = 3"])
      expect((yield* run(noTables)).kind).toBe("empty")

      yield* openDatabase(home, { create: true }, [], Effect.void)
      expect((yield* run(path.join(home, "flickr_backup.sqlite"))).kind).toBe("fbk")
    }))
})

describe("Database.databaseProblem", () => {
  it("says SQLite's code in plain words, with the file system's reason where SQLite gives none", () => {
    const sqlite = (code: string) => Object.assign(new Error("unable to open database file"), { code })
    const errno = (code: string) => Object.assign(new Error(`${code}: nope`), { code })
    expect(Database.databaseProblem(sqlite("SQLITE_CANTOPEN"), errno("EROFS"))).toBe("cannot be opened (read-only file system)")
    expect(Database.databaseProblem(sqlite("SQLITE_CANTOPEN"), errno("EACCES"))).toBe("cannot be opened (permission denied)")
    // An SqlError wraps better-sqlite3's error; extended codes count as their primary code.
    const wrapped = new SqlError({ message: "Failed to execute statement", cause: sqlite("SQLITE_READONLY_DIRECTORY") })
    expect(Database.databaseProblem(wrapped, errno("EROFS"))).toBe("cannot be written (read-only file system)")
    expect(Database.databaseProblem(new SqlError({ message: "x", cause: sqlite("SQLITE_FULL") }))).toBe(
      "cannot be written (no space left on the disk)"
    )
    expect(Database.databaseProblem(sqlite("SQLITE_BUSY"))).toBe("is locked by another program")
    expect(Database.databaseProblem(sqlite("SQLITE_NOTADB"))).toBe("is damaged")
    expect(Database.databaseProblem(sqlite("SQLITE_MISMATCH"))).toBeUndefined()
    expect(Database.databaseProblem(new Error("odd"), errno("ENOSPC"))).toBe("cannot be used (no space left on the disk)")
  })
})

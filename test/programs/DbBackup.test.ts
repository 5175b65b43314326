// `fbk db-backup FILE` on a database written through fbk's own repositories: the copy holds the
// same rows and the database's mode, an existing FILE and a bad folder are refused, nothing is left behind.
import { describe, expect, it } from "@effect/vitest"
import BetterSqlite from "better-sqlite3"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { dbBackup } from "../../src/programs/DbBackup.js"
import { UsageError } from "../../src/schema/Errors.js"
import * as Database from "../../src/services/database/Database.js"
import { DatabaseCopy } from "../../src/services/database/DatabaseCopy.js"
import { PhotoRepository } from "../../src/services/database/PhotoRepository.js"
import { SyncRunRepository } from "../../src/services/database/SyncRunRepository.js"
import { configFor, tempDir, testBase } from "../support/Fixtures.js"
import { layers, richPhoto } from "../support/RichPhoto.js"

/** Row counts of every table in `file` (SQLite's own excepted), by name. */
const rowCounts = (file: string): Record<string, number> => {
  const db = new BetterSqlite(file, { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as Array<string>
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]))
  } finally {
    db.close()
  }
}

/** Runs `body` in a home whose database holds the rich photo; what the reporter says goes into `lines`. */
const inHome = <A, E, R>(body: (home: string, lines: Array<string>) => Effect.Effect<A, E, R>) =>
  Effect.scoped(Effect.gen(function*() {
    const home = yield* tempDir
    const lines: Array<string> = []
    const layer = Layer.mergeAll(DatabaseCopy.Default, layers, PhotoRepository.Default, SyncRunRepository.Default).pipe(
      Layer.provideMerge(Database.layer({ create: true })),
      Layer.provideMerge(testBase(configFor(home), lines))
    )
    return yield* Effect.andThen(richPhoto, body(home, lines)).pipe(Effect.provide(layer))
  }))

/** The names in `dir`: nothing left behind but what is expected. */
const entries = (dir: string) => fs.readdirSync(dir).sort()

describe("fbk db-backup", () => {
  it.effect("writes a copy with every row of the database and its mode, and says where and how big", () =>
    inHome((home, lines) => Effect.gen(function*() {
      const database = path.join(home, "flickr_backup.sqlite")
      fs.chmodSync(database, 0o600)
      fs.mkdirSync(path.join(home, "copies"))
      const target = path.join(home, "copies", "fbk.sqlite")
      const done = yield* dbBackup({ file: target, force: false })
      expect(done).toEqual({ path: target, bytes: fs.statSync(target).size })
      const counts = rowCounts(target)
      expect(counts).toEqual(rowCounts(database))
      expect(counts.photos).toBe(2)
      expect(counts.photo_revisions).toBe(1)
      expect(fs.statSync(target).mode & 0o777).toBe(0o600)
      expect(entries(path.join(home, "copies"))).toEqual(["fbk.sqlite"])
      expect(lines.join("")).toMatch(new RegExp(`^Database copied to ${target} \\(\\d+(\\.\\d)? KB\\)\\n$`))
    })))

  it.effect("refuses an existing FILE unless --force, and never the database itself", () =>
    inHome((home) => Effect.gen(function*() {
      const target = path.join(home, "copy.sqlite")
      fs.writeFileSync(target, "keep me")
      const refused = yield* Effect.flip(dbBackup({ file: target, force: false }))
      expect(refused).toEqual(new UsageError({ reason: `cannot back up the database to ${target}: it already exists (--force replaces it)` }))
      expect(fs.readFileSync(target, "utf8")).toBe("keep me")
      yield* dbBackup({ file: target, force: true })
      expect(rowCounts(target).photos).toBe(2)
      const database = path.join(home, "flickr_backup.sqlite")
      const itself = yield* Effect.flip(dbBackup({ file: database, force: true }))
      expect(itself.reason).toBe(`cannot back up the database to ${database}: that is the database itself`)
      expect(rowCounts(database).photos).toBe(2)
      expect(entries(home).filter((name) => name.endsWith(".tmp"))).toEqual([])
    })))

  it.effect("refuses a folder that is not there or is a file, leaving nothing behind", () =>
    inHome((home) => Effect.gen(function*() {
      const missing = path.join(home, "no-such-folder", "copy.sqlite")
      const refused = yield* Effect.flip(dbBackup({ file: missing, force: false }))
      expect(refused.reason).toBe(`cannot back up the database to ${missing}: the folder ${path.dirname(missing)} does not exist`)
      fs.writeFileSync(path.join(home, "a-file"), "")
      const underFile = path.join(home, "a-file", "copy.sqlite")
      const notFolder = yield* Effect.flip(dbBackup({ file: underFile, force: false }))
      expect(notFolder.reason).toMatch(new RegExp(`^cannot back up the database to ${underFile}: `))
      expect(entries(home)).toEqual(["a-file", "flickr_backup.sqlite", "flickr_backup.sqlite-shm", "flickr_backup.sqlite-wal"])
    })))

  it.effect("a copy that fails half way (a full disk) is removed, and the line says why", () =>
    inHome((home) => Effect.gen(function*() {
      const target = path.join(home, "copy.sqlite")
      const full = DatabaseCopy.make({
        vacuumInto: (file: string) =>
          Effect.sync(() => fs.appendFileSync(file, "half a database")).pipe(Effect.zipRight(Effect.fail(new SqlError({
            cause: Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }),
            message: "Failed to execute statement"
          }))))
      })
      const refused = yield* Effect.flip(dbBackup({ file: target, force: false }).pipe(Effect.provideService(DatabaseCopy, full)))
      expect(refused.reason).toBe(
        `cannot back up the database to ${target}: cannot be written (no space left on the disk); nothing was left there`
      )
      expect(entries(home)).toEqual(["flickr_backup.sqlite", "flickr_backup.sqlite-shm", "flickr_backup.sqlite-wal"])
    })))
})

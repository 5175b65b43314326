// `fbk db-backup FILE`: a consistent copy of the database, safe to take while a backup or update
// writes; written beside FILE under a temporary name, with the database's own mode, then renamed.
import { FileSystem } from "@effect/platform"
import { Effect, Option } from "effect"
import { randomUUID } from "node:crypto"
import * as path from "node:path"
import { UsageError } from "../schema/Errors.js"
import { databaseProblem } from "../services/database/Database.js"
import { DatabaseCopy } from "../services/database/DatabaseCopy.js"
import { isNotFound, plainReason } from "../services/files/NodeErrors.js"
import { FbkConfig } from "../services/home/FbkConfig.js"
import { fileSize, Reporter } from "../services/terminal/Reporter.js"

/** Where the copy may go: FILE's folder exists, and FILE is not there (or `force`) nor the database itself. */
const checkTarget = (target: string, databasePath: string, force: boolean) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const refuse = (why: string) => new UsageError({ reason: `cannot back up the database to ${target}: ${why}` })
    const folder = path.dirname(target)
    const folderInfo = yield* fs.stat(folder).pipe(
      Effect.mapError((e) => refuse(isNotFound(e) ? `the folder ${folder} does not exist` : plainReason(e)))
    )
    if (folderInfo.type !== "Directory") return yield* refuse(`${folder} is not a folder`)
    const existing = yield* fs.stat(target).pipe(Effect.option)
    if (Option.isNone(existing)) return
    const [realTarget, realDatabase] = yield* Effect.all([fs.realPath(target), fs.realPath(databasePath)].map(Effect.option))
    const same = Option.isSome(realTarget) && Option.isSome(realDatabase) && realTarget.value === realDatabase.value
    if (same) return yield* refuse("that is the database itself")
    if (existing.value.type === "Directory") return yield* refuse("it is a folder (name a file in it)")
    if (!force) return yield* refuse("it already exists (--force replaces it)")
  })

/**
 * The copy under the temporary name `temp` beside `target`, with the database's mode, synced to
 * disk, then renamed to `target`; `temp` is removed if anything fails or the run is stopped.
 */
const writeCopy = (temp: string, target: string, mode: number) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    // VACUUM INTO fills an empty file: made first, so the copy never has a wider mode than the database.
    yield* fs.writeFile(temp, new Uint8Array(0), { flag: "wx", mode })
    yield* fs.chmod(temp, mode)
    yield* (yield* DatabaseCopy).vacuumInto(temp)
    yield* Effect.scoped(Effect.flatMap(fs.open(temp, { flag: "r+" }), (file) => file.sync))
    yield* fs.rename(temp, target)
  }).pipe(Effect.onError(() => Effect.flatMap(FileSystem.FileSystem, (fs) => Effect.ignore(fs.remove(temp)))))

export const dbBackup = (options: { readonly file: string; readonly force: boolean }) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const { databasePath } = yield* FbkConfig
    const target = path.resolve(options.file)
    yield* checkTarget(target, databasePath, options.force)
    const refuse = (e: unknown) =>
      new UsageError({
        reason: `cannot back up the database to ${target}: ${databaseProblem(e) ?? plainReason(e)}; nothing was left there`,
        cause: e
      })
    const mode = Number((yield* fs.stat(databasePath).pipe(Effect.mapError(refuse))).mode) & 0o666
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`)
    yield* writeCopy(temp, target, mode).pipe(Effect.mapError(refuse))
    const bytes = Number((yield* fs.stat(target).pipe(Effect.mapError(refuse))).size)
    yield* (yield* Reporter).result(`Database copied to ${target} (${fileSize(bytes)})`)
    return { path: target, bytes }
  })

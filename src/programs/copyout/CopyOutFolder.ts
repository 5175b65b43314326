// Copy-out's folder checked before anything is written: a folder (made when missing, unless it is a
// dry run), writable, and not inside the file store; and what is on disk at each copy's name.
import { FileSystem } from "@effect/platform"
import { Effect, Option } from "effect"
import * as fsp from "node:fs/promises"
import * as path from "node:path"
import { CopyOutError } from "../../schema/Files.js"
import { isNotFound, plainReason } from "../../services/files/NodeErrors.js"
import type { OnDisk } from "./CopyOutPlan.js"

const inside = (parent: string, child: string) => {
  const relative = path.relative(parent, child)
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative))
}

/** The absolute folder, ready to write into (with `dryRun`, only checked: it may not exist). */
export const prepareFolder = (dir: string, store: Option.Option<string>, dryRun: boolean) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const folder = path.resolve(dir)
    const refuse = (reason: string, cause?: unknown) => new CopyOutError({ path: folder, reason, cause })
    if (Option.isSome(store) && (inside(store.value, folder) || inside(folder, store.value))) {
      return yield* refuse(`holds or is inside the file store (${store.value}); copies go to a folder of their own`)
    }
    const info = yield* fs.stat(folder).pipe(
      Effect.map(Option.some),
      Effect.catchIf((e) => e._tag === "SystemError" && e.reason === "NotFound", () => Effect.succeedNone),
      Effect.mapError((e) => refuse(`cannot be examined (${plainReason(e)})`, e))
    )
    if (Option.isSome(info) && info.value.type !== "Directory") return yield* refuse("is a file, not a folder")
    if (dryRun) return folder
    yield* fs.makeDirectory(folder, { recursive: true }).pipe(Effect.mapError((e) => refuse(`cannot be made (${plainReason(e)})`, e)))
    yield* Effect.tryPromise({
      try: () => fsp.access(folder, fsp.constants.W_OK),
      catch: (e) => refuse(`is not writable (${plainReason(e)})`, e)
    })
    return folder
  })

/** What is at `full`: a file's size and modification time, else nothing (a folder there counts as a file fbk did not make). */
export const onDisk = (full: string) =>
  Effect.tryPromise({
    try: async (): Promise<OnDisk | undefined> => {
      const info = await fsp.lstat(full)
      return { bytes: info.isFile() ? info.size : -1, mtime_ms: info.mtimeMs }
    },
    catch: (e) => e
  }).pipe(
    Effect.catchAll((e) => isNotFound(e) ? Effect.succeed(undefined) : Effect.fail(new CopyOutError({ path: full, reason: `cannot be examined (${plainReason(e)})`, cause: e })))
  )

// A sidecar on disk: its bytes' hash as found, written atomically (temp name beside it, fsync,
// rename; the folder synced by the caller before the write is recorded), removed, and temp files a killed run left.
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, Option } from "effect"
import { createHash } from "node:crypto"
import * as path from "node:path"
import { FileReadError } from "../../schema/Files.js"
import { isNotFound, plainReason } from "../../services/files/NodeErrors.js"
import { diskFailure } from "../../services/files/StoreWrites.js"

/** What a sidecar is written under first: never a name an app reads as a sidecar. */
export const PART_SUFFIX = ".fbk-part"

export const sha256Of = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")

const unreadable = (at: string) => (e: PlatformError) => new FileReadError({ path: at, reason: plainReason(e), cause: e })

/** The SHA-256 of the file at `at`, none when nothing is there. */
export const hashOnDisk = (fs: FileSystem.FileSystem, at: string) =>
  fs.readFile(at).pipe(
    Effect.map((bytes) => Option.some(sha256Of(bytes))),
    Effect.catchIf(isNotFound, () => Effect.succeedNone),
    Effect.mapError(unreadable(at))
  )

/** Whether anything is at `at`. */
export const existsOnDisk = (fs: FileSystem.FileSystem, at: string) => fs.exists(at).pipe(Effect.mapError(unreadable(at)))

/** `bytes` at `at` by way of a synced temp file renamed over it; the folder's entry is synced by the caller. */
export const writeAtomically = (fs: FileSystem.FileSystem, at: string, bytes: Uint8Array) => {
  const part = `${at}${PART_SUFFIX}`
  return Effect.scoped(Effect.gen(function*() {
    const handle = yield* fs.open(part, { flag: "w" })
    yield* handle.writeAll(bytes)
    yield* handle.sync
  })).pipe(
    Effect.zipRight(fs.rename(part, at)),
    Effect.mapError(diskFailure(at))
  )
}

export const removeFile = (fs: FileSystem.FileSystem, at: string) =>
  fs.remove(at).pipe(Effect.catchIf(isNotFound, () => Effect.void), Effect.mapError(diskFailure(at)))

/** Removes the temp sidecars a killed run left under `folder`; how many. */
export const removeLeftoverParts = (fs: FileSystem.FileSystem, folder: string) =>
  Effect.gen(function*() {
    const names = yield* fs.readDirectory(folder, { recursive: true }).pipe(
      Effect.catchIf(isNotFound, () => Effect.succeed([] as ReadonlyArray<string>)),
      Effect.mapError(unreadable(folder))
    )
    const parts = names.filter((name) => name.endsWith(`.xmp${PART_SUFFIX}`))
    yield* Effect.forEach(parts, (name) => removeFile(fs, path.join(folder, name)), { discard: true })
    return parts.length
  })

// What every writer of files into the store shares: disk errors in words a person can act on, and
// the finish that gives a checked `.part` file its final name durably (fsynced, renamed, directory synced).
import type { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect } from "effect"
import * as path from "node:path"
import { FileWriteError } from "../../schema/Files.js"
import { errnoOf } from "./NodeErrors.js"

/** What people need to read when the disk refuses, rather than Node's errno text. */
const DISK_PROBLEMS: Readonly<Record<string, string>> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EIO: "input/output error"
}

/** A file-system failure at `file` as a FileWriteError with a readable reason. */
export const diskFailure = (file: string) => (error: PlatformError) => {
  const code = error._tag === "SystemError" ? errnoOf(error.cause) : undefined
  return new FileWriteError({
    path: file,
    reason: (code === undefined ? undefined : DISK_PROBLEMS[code]) ?? error.message,
    cause: error
  })
}

/** A directory's entry for a renamed file is durable only once the directory itself is synced. */
export const syncDirectory = (fs: FileSystem.FileSystem, directory: string) =>
  Effect.scoped(Effect.flatMap(fs.open(directory, { flag: "r" }), (handle) => handle.sync)).pipe(
    // Some file systems (network mounts, Windows) refuse to sync a directory; the rename stands.
    Effect.ignore
  )

/** Gives the synced, checked `part` its final name `target`, durably. */
export const finishPart = (fs: FileSystem.FileSystem, part: string, target: string) =>
  Effect.zipRight(
    fs.rename(part, target).pipe(Effect.mapError(diskFailure(target))),
    syncDirectory(fs, path.dirname(target))
  )

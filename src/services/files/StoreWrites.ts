// What every writer of files into the store shares: disk errors in words a person can act on, and
// the finish that gives a checked `.part` file its final name durably (fsynced, renamed, directory synced).
import type { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect } from "effect"
import * as path from "node:path"
import { FileWriteError } from "../../schema/Files.js"
import { plainReason } from "./NodeErrors.js"

/** A file-system failure at `file` as a FileWriteError with the system's reason in plain words. */
export const diskFailure = (file: string) => (error: PlatformError) =>
  new FileWriteError({ path: file, reason: plainReason(error), cause: error })

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

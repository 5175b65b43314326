// The file-system side of the album and collection folders: what stands at a name (the link
// itself, not what it points at), and the entries made, renamed and removed.
import { Context, Effect } from "effect"
import * as fsp from "node:fs/promises"
import { FolderError } from "../../schema/Files.js"
import { errnoOf, isNotFound, plainReason, systemError } from "./NodeErrors.js"

/** A file as it is on disk: enough to tell a hard link (same inode) from a copy fbk made (same size and time). */
export interface FileIdentity {
  readonly ino: number
  readonly dev: number
  readonly size: number
  readonly mtime: number
}

/** What is at a name, the link itself rather than what it points at. */
export type Found =
  | { readonly kind: "link"; readonly target: string }
  | ({ readonly kind: "file" } & FileIdentity)
  | { readonly kind: "directory" }
  | { readonly kind: "other" }

export interface FolderTreeShape {
  /** What stands at `at`, null when nothing does. */
  readonly examine: (at: string) => Effect.Effect<Found | null, FolderError>
  /** The file at `at`, links followed; null when it is not there. */
  readonly fileAt: (at: string) => Effect.Effect<FileIdentity | null, FolderError>
  /** The names in a folder; none when the folder is not there. */
  readonly list: (at: string) => Effect.Effect<ReadonlyArray<string>, FolderError>
  /** The folder and any missing above it. */
  readonly makeFolder: (at: string) => Effect.Effect<void, FolderError>
  /** Removes the folder when nothing is in it; whether it did. */
  readonly removeFolderIfEmpty: (at: string) => Effect.Effect<boolean, FolderError>
  /** Removes a file or a link (never a folder). */
  readonly remove: (at: string) => Effect.Effect<void, FolderError>
  readonly rename: (from: string, to: string) => Effect.Effect<void, FolderError>
  /** A symbolic link at `at` holding `target` as given (relative targets stay relative). */
  readonly symlink: (target: string, at: string) => Effect.Effect<void, FolderError>
  readonly hardlink: (source: string, at: string) => Effect.Effect<void, FolderError>
  /** A copy of `source` at `at` with the source's modification time, written at `temporary` first so a cut run leaves no half file under the entry's name. */
  readonly copy: (source: string, at: string, temporary: string, mtime: number) => Effect.Effect<void, FolderError>
}

/** Runs one node:fs call; a failure becomes a FolderError naming `at` and the reason in plain words. */
const attempt = <A>(method: string, at: string, what: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (e) => systemError(method, at, e) }).pipe(
    Effect.mapError((cause) => new FolderError({ path: at, reason: `${what} (${plainReason(cause.cause)})`, cause }))
  )

/** `effect`, with "not there" read as `none`; every other failure stays one. */
const orWhenMissing = <A, B>(effect: Effect.Effect<A, FolderError>, none: B) =>
  Effect.catchIf(effect, (e) => isNotFound(e.cause), () => Effect.succeed(none))

const identity = (stats: { ino: number; dev: number; size: number; mtimeMs: number }): FileIdentity => ({
  ino: stats.ino,
  dev: stats.dev,
  size: stats.size,
  mtime: stats.mtimeMs
})

const examine = (at: string): Effect.Effect<Found | null, FolderError> =>
  orWhenMissing(
    attempt("lstat", at, "cannot be examined", async (): Promise<Found> => {
      const stats = await fsp.lstat(at)
      if (stats.isSymbolicLink()) return { kind: "link", target: await fsp.readlink(at) }
      if (stats.isFile()) return { kind: "file", ...identity(stats) }
      return { kind: stats.isDirectory() ? "directory" : "other" }
    }),
    null
  )

const removeFolderIfEmpty = (at: string) =>
  attempt("rmdir", at, "cannot be removed", () => fsp.rmdir(at)).pipe(
    Effect.as(true),
    Effect.catchIf((e) => ["ENOTEMPTY", "EEXIST", "ENOENT"].includes(errnoOf(e.cause.cause) ?? ""), () => Effect.succeed(false))
  )

const copy = (source: string, at: string, temporary: string, mtime: number) =>
  attempt("copyFile", at, "the copy cannot be made", async () => {
    await fsp.copyFile(source, temporary)
    await fsp.utimes(temporary, new Date(mtime), new Date(mtime))
    await fsp.rename(temporary, at)
  })

/** The tree on the local disk through node:fs: lstat, readlink and rmdir are what the platform's FileSystem lacks. */
export const nodeFolderTree: FolderTreeShape = {
  examine,
  fileAt: (at) => orWhenMissing(attempt("stat", at, "cannot be examined", () => fsp.stat(at).then(identity)), null),
  list: (at) => orWhenMissing(attempt("readdir", at, "cannot be read", () => fsp.readdir(at)), []),
  makeFolder: (at) => attempt("mkdir", at, "cannot be made", () => fsp.mkdir(at, { recursive: true })).pipe(Effect.asVoid),
  removeFolderIfEmpty,
  remove: (at) => attempt("unlink", at, "cannot be removed", () => fsp.unlink(at)),
  rename: (from, to) => attempt("rename", to, "cannot be renamed", () => fsp.rename(from, to)),
  symlink: (target, at) => attempt("symlink", at, "the link cannot be made", () => fsp.symlink(target, at)),
  hardlink: (source, at) => attempt("link", at, "the hard link cannot be made", () => fsp.link(source, at)),
  copy
}

/**
 * The folder tree the folder sync works on. A reference with the local disk as its default, so
 * the commands that sync folders need no layer for it and a test swaps it with `provideService`.
 */
export class FolderTree extends Context.Reference<FolderTree>()("fbk/FolderTree", {
  defaultValue: (): FolderTreeShape => nodeFolderTree
}) {}

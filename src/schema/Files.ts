// What a file download is asked to fetch and what it brought back, and the ways it can fail:
// the network (retried or not), the content (not the file that was asked for), the disk.
import type { PlatformError } from "@effect/platform/Error"
import { Data, Schema } from "effect"

/** The formats whose first bytes fbk can recognise; "any" is taken as it comes. */
export const ExpectedKind = Schema.Literal("jpeg", "png", "gif", "mp4", "mov", "any")
export type ExpectedKind = typeof ExpectedKind.Type

/** What the file must be; a JPEG's frame must be width x height (or rotated, height x width). */
export const Expected = Schema.Struct({
  kind: ExpectedKind,
  width: Schema.optional(Schema.Int.pipe(Schema.positive())),
  height: Schema.optional(Schema.Int.pipe(Schema.positive()))
})
export type Expected = typeof Expected.Type

/** One file to fetch: from `url` to the absolute path `target`, which must turn out to be `expect`. */
export const FetchRequest = Schema.Struct({
  url: Schema.String,
  target: Schema.String,
  expect: Expected
})
export type FetchRequest = typeof FetchRequest.Type

/** A file now at its final name: its size and hash as written, and where it really came from. */
export const Fetched = Schema.Struct({
  bytes: Schema.NonNegativeInt,
  /** sha256 of the whole file, lowercase hex. */
  sha256: Schema.String,
  contentType: Schema.NullOr(Schema.String),
  /** The URL that answered with the body, after redirects. */
  finalUrl: Schema.String,
  /** Bytes of an earlier, broken transfer were kept and only the rest was fetched. */
  resumed: Schema.Boolean
})
export type Fetched = typeof Fetched.Type

/** No usable answer: a refused URL, an HTTP error status, a dropped or stalled connection. */
export class FileTransferError extends Data.TaggedError("FileTransferError")<{
  readonly url: string
  readonly reason: string
  readonly status?: number
  /** Whether trying again may help (throttling, a server error, a connection lost). */
  readonly retryable: boolean
  readonly retryAfterSeconds?: number
  /** What went wrong underneath (undici's error), printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** The server sent a whole file, but not the one asked for (wrong format, wrong frame size). */
export class FileCheckError extends Data.TaggedError("FileCheckError")<{
  readonly url: string
  readonly target: string
  readonly reason: string
}> {}

/** The disk refused (full, read-only, no permission); the partial file is kept to resume. */
export class FileWriteError extends Data.TaggedError("FileWriteError")<{
  readonly path: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause: PlatformError
}> {}

/** `fbk verify` found files missing or altered on disk (after `--repair`, ones it could not fetch again). */
export class FilesDamaged extends Data.TaggedError("FilesDamaged")<{
  readonly missing: number
  readonly altered: number
  /** There but not readable (permission, a failing disk): kept as they are, never fetched again. */
  readonly unreadable: number
  readonly repaired: boolean
}> {}

/** A file or folder under `albums/` or `collections/` could not be read, made or removed. */
export class FolderError extends Data.TaggedError("FolderError")<{
  readonly path: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause: PlatformError
}> {}

/** A recorded file could not be read back (permissions, a failing disk). */
export class FileReadError extends Data.TaggedError("FileReadError")<{
  readonly path: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause: PlatformError
}> {}

/** `fbk copy-out` cannot use its folder (a file, not writable, inside the store), or copies could not be written. */
export class CopyOutError extends Data.TaggedError("CopyOutError")<{
  readonly path: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

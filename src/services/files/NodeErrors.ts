// A node:fs failure as @effect/platform's FileSystem reports its own, for the places that call
// node:fs directly (where the platform has no such call, or is too slow for the job).
import { SystemError, type SystemErrorReason } from "@effect/platform/Error"

const REASONS: Record<string, SystemErrorReason> = {
  ENOENT: "NotFound",
  EACCES: "PermissionDenied",
  EPERM: "PermissionDenied",
  EEXIST: "AlreadyExists",
  ENOTDIR: "BadResource",
  EISDIR: "BadResource",
  ELOOP: "BadResource",
  EBUSY: "Busy"
}

export const errnoOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined

/** A node:fs failure as the platform's FileSystem reports its own. */
export const systemError = (method: string, at: string, error: unknown) =>
  new SystemError({
    reason: REASONS[errnoOf(error) ?? ""] ?? "Unknown",
    module: "FileSystem",
    method,
    pathOrDescriptor: at,
    description: messageOf(error),
    cause: error
  })


/** An error's own message, whatever was thrown. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** The errno code of a node:fs failure, or of the one a platform SystemError wraps. */
const codeOf = (error: unknown): string | undefined =>
  errnoOf(error) ??
    (typeof error === "object" && error !== null && "cause" in error ? errnoOf(error.cause) : undefined)

const PLAIN: Record<string, string> = {
  ENOENT: "not found",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the disk",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error (a failing disk or a lost network share)",
  ENOTDIR: "a file is in the way of a folder",
  EISDIR: "is a folder",
  EEXIST: "already exists",
  EBUSY: "busy",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
  EMFILE: "too many open files",
  ENOTEMPTY: "folder not empty",
  EXDEV: "on another disk"
}

/** Why a file-system call failed, in the words a person reads: "permission denied", "read-only file system". */
export const plainReason = (error: unknown): string => {
  const code = codeOf(error)
  return (code === undefined ? undefined : PLAIN[code]) ?? messageOf(error)
}

/** Only this means a path is not there; permission and I/O failures do not. */
export const isNotFound = (error: unknown): boolean =>
  codeOf(error) === "ENOENT" ||
  (typeof error === "object" && error !== null && "_tag" in error && error._tag === "SystemError" &&
    "reason" in error && error.reason === "NotFound")

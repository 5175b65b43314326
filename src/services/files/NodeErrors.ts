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
    description: error instanceof Error ? error.message : String(error),
    cause: error
  })


// How a file transfer is retried: which failures, how often, how long between, and the line that says so.
import { Duration, Effect, Schedule } from "effect"
import * as path from "node:path"
import type { FileCheckError, FileTransferError, FileWriteError } from "../../schema/Files.js"
import { duration } from "../terminal/HumanTime.js"

export type FileTransferFailure = FileTransferError | FileCheckError | FileWriteError

const TRANSFER_RETRIES = 6

const isRetryable = (failure: FileTransferFailure): boolean =>
  failure._tag === "FileTransferError" && failure.retryable

/**
 * Retries retryable failures (throttling, server errors, broken or stalled bodies) at most
 * TRANSFER_RETRIES times with jittered exponential backoff from `baseMillis`, waiting at least
 * as long as a Retry-After said. Each retry resumes from the partial file. `onRetry` hears of
 * each retry (its wait, its number from 1) before the wait.
 */
export const transferRetries = (
  baseMillis: number,
  onRetry: (failure: FileTransferFailure, waitMillis: number, retry: number) => Effect.Effect<void> = () => Effect.void
) =>
  Schedule.recurWhile(isRetryable).pipe(
    Schedule.intersect(Schedule.jittered(Schedule.exponential(Duration.millis(baseMillis)))),
    Schedule.intersect(Schedule.recurs(TRANSFER_RETRIES)),
    Schedule.modifyDelayEffect(([[failure], count], delay) => {
      const wait = failure._tag === "FileTransferError" && failure.retryAfterSeconds !== undefined
        ? Duration.max(delay, Duration.seconds(failure.retryAfterSeconds))
        : delay
      return Effect.as(onRetry(failure, Duration.toMillis(wait), count + 1), wait)
    })
  )

/** The line announcing a retry of the file `target`: "12345.jpg: HTTP 503; trying again in 4 s (2 of 6)". */
export const retryLine = (target: string, failure: FileTransferFailure, waitMillis: number, retry: number) =>
  `${path.basename(target)}: ${failure.reason}; trying again in ${duration(waitMillis)} (${retry} of ${TRANSFER_RETRIES})`

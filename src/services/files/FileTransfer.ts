// Fetches one file so that only a whole, checked file ever bears its final name: streamed through
// a hash into `<target>.part`, resumed with Range after a break, fsynced, then renamed.
import { FileSystem } from "@effect/platform"
import { Effect, Exit, Option, Stream } from "effect"
import * as path from "node:path"
import {
  type Expected,
  type FetchRequest,
  type Fetched,
  FileCheckError,
  FileTransferError,
  type FileWriteError
} from "../../schema/Files.js"
import { type ContentCheck, contentCheck } from "./ContentCheck.js"
import { runningSha256, type RunningSha256, sha256Stream } from "./FileHash.js"
import { type Answer, bodyFailure, FileGet, FileTransferSettings } from "./FileGet.js"
import { parseContentRange, parseLength, statusFailure } from "./FileRequest.js"
import { isNotFound } from "./NodeErrors.js"
import { diskFailure, syncDirectory } from "./StoreWrites.js"
import { FbkConfig } from "../home/FbkConfig.js"
import { Reporter } from "../terminal/Reporter.js"
import { type FileTransferFailure, retryLine, transferRetries } from "./TransferRetries.js"

export type { FileTransferFailure }
export { FileTransferSettings }

/** Where every byte of the file goes, in order, once it is on disk: the hash and the content check. */
interface Reading {
  readonly hash: RunningSha256
  readonly check: ContentCheck
}

const startReading = (expect: Expected): Reading => ({ hash: runningSha256(), check: contentCheck(expect) })

const absorb = (reading: Reading, bytes: Uint8Array) => {
  reading.hash.update(bytes)
  reading.check.update(bytes)
}

interface Partial {
  /** Bytes already in `<target>.part`, all gone through `reading`. */
  readonly bytes: number
  readonly reading: Reading
  /** The ETag of the response those bytes came from, if it had one. */
  readonly etag: Option.Option<string>
}

/** Bytes gathered before one write: a write per network read would cost a file system call per 64 KiB. */
const WRITE_BATCH_BYTES = 1024 * 1024

export class FileTransfer extends Effect.Service<FileTransfer>()("fbk/FileTransfer", {
  dependencies: [FileGet.Default],
  effect: Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    // Scoped requests: leaving an attempt aborts its connection, whether its body was read or not.
    const { get, stallTimeoutMillis } = yield* FileGet
    const { retryBaseMillis } = yield* FbkConfig
    const reporter = yield* Reporter
    /** Folders a file was renamed into since the last syncRenamed. */
    const unsynced = new Set<string>()

    /**
     * What an earlier, broken transfer left: its bytes hashed from disk (the disk is the truth), and
     * its ETag. Opened, not probed first: a missing `.part` (or folder) is the common case, one call.
     */
    const readPartial = (part: string, sidecar: string, expect: Expected) =>
      Effect.scoped(Effect.gen(function*() {
        const reading = startReading(expect)
        const opened = yield* fs.open(part, { flag: "r" }).pipe(
          Effect.map(Option.some),
          Effect.catchIf(isNotFound, () => Effect.succeedNone)
        )
        if (Option.isNone(opened)) return { bytes: 0, reading, etag: Option.none() } satisfies Partial
        const blocks = Stream.repeatEffectOption(
          opened.value.readAlloc(WRITE_BATCH_BYTES).pipe(
            Effect.mapError(Option.some),
            Effect.flatMap(Option.match({ onNone: () => Effect.fail(Option.none()), onSome: Effect.succeed }))
          )
        )
        const { bytes } = yield* sha256Stream(blocks, (block) => Effect.sync(() => reading.check.update(block)), reading.hash)
        const etag = yield* fs.readFileString(sidecar).pipe(
          Effect.map((text) => Option.some(text.trim()).pipe(Option.filter((t) => t !== ""))),
          // Without the ETag the range is asked for all the same, unless the answer has one (see attempt).
          Effect.orElseSucceed(() => Option.none<string>())
        )
        return { bytes, reading, etag } satisfies Partial
      })).pipe(Effect.mapError(diskFailure(part)))

    /** Opens `part` to write, making its folder the first time one is missing (a folder per month: rarely). */
    const openPart = (part: string, offset: number) => {
      const open = fs.open(part, { flag: offset > 0 ? "a" : "w" })
      return open.pipe(
        Effect.catchIf(isNotFound, () => Effect.zipRight(fs.makeDirectory(path.dirname(part), { recursive: true }), open)),
        Effect.mapError(diskFailure(part))
      )
    }

    const discard = (part: string, sidecar: string) =>
      Effect.zipRight(fs.remove(part, { force: true }), fs.remove(sidecar, { force: true })).pipe(
        Effect.mapError(diskFailure(part))
      )

    // Write buffers outlive their transfer: a new one per file would be as many bytes again for the GC.
    const spareBuffers: Array<Buffer> = []
    const borrowBuffer = Effect.acquireRelease(
      Effect.sync(() => spareBuffers.pop() ?? Buffer.allocUnsafe(WRITE_BATCH_BYTES)),
      (buffer) => Effect.sync(() => spareBuffers.push(buffer))
    )

    /**
     * Streams the body after the `offset` bytes already in `part`, in writes of WRITE_BATCH_BYTES,
     * each read by `reading` once it is on disk; the bytes written, and whether `saveSidecar` ran
     * (before the first write that could leave a partial file: one before the body's end, or short of `expectedTotal`).
     */
    const receive = (
      part: string,
      answer: Answer,
      offset: number,
      reading: Reading,
      { expectedTotal, saveSidecar }: { readonly expectedTotal: Option.Option<number>; readonly saveSidecar: Effect.Effect<void, FileWriteError> }
    ) =>
      Effect.scoped(Effect.gen(function*() {
        const { url } = answer
        const file = yield* openPart(part, offset)
        const buffer = yield* borrowBuffer
        let filled = 0
        let written = 0
        const arrived = () => offset + written + filled
        let sidecarSaved = false
        const saveOnce = Effect.suspend(() => (sidecarSaved ? Effect.void : Effect.tap(saveSidecar, () => (sidecarSaved = true))))
        const write = Effect.suspend(() => file.writeAll(buffer.subarray(0, filled))).pipe(
          Effect.mapError(diskFailure(part)),
          // Read once on disk, so the hash and the partial file never disagree.
          Effect.map(() => {
            absorb(reading, buffer.subarray(0, filled))
            written += filled
            filled = 0
          })
        )
        /**
         * Writes what is gathered; `whole`: the body has ended with every byte announced, so this write
         * completes the file. Any other write may leave a partial file, so its ETag is saved first; a
         * whole write that fails part way (a full disk) saves it after, for the next try to resume.
         * Uninterruptible: a stall cannot leave a write half done, with the buffer refilled under it.
         */
        const flush = (whole: boolean) =>
          Effect.suspend(() =>
            filled === 0 ? Effect.void : whole ? Effect.tapError(write, () => Effect.ignore(saveOnce)) : Effect.zipRight(saveOnce, write)
          ).pipe(Effect.uninterruptible)
        const gather = (bytes: Uint8Array): Effect.Effect<void, FileWriteError> => {
          const take = Math.min(bytes.length, buffer.length - filled)
          buffer.set(bytes.subarray(0, take), filled)
          filled += take
          return filled < buffer.length ? Effect.void : Effect.zipRight(flush(false), Effect.suspend(() => gather(bytes.subarray(take))))
        }
        // Pulled chunk by chunk: a stalled body fails its pull on undici's body timer (not while a write holds it up).
        const chunks = answer.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>
        const next = Effect.tryPromise({ try: () => chunks.next(), catch: (cause) => bodyFailure(url, arrived(), stallTimeoutMillis)(cause) })
        const readRest = (): Effect.Effect<void, FileTransferError | FileWriteError> =>
          Effect.flatMap(next, (chunk) => (chunk.done === true ? Effect.void : Effect.zipRight(gather(chunk.value), Effect.suspend(readRest))))
        const ended = yield* Effect.exit(readRest())
        // What arrived before a break is kept too, and the next try resumes after it.
        const complete = Exit.isSuccess(ended) && Option.match(expectedTotal, { onNone: () => true, onSome: (total) => arrived() === total })
        yield* flush(complete)
        if (Exit.isFailure(ended)) return yield* Effect.failCause(ended.cause)
        yield* file.sync.pipe(Effect.mapError(diskFailure(part)))
        return { written, sidecarSaved }
      }))

    /**
     * Where the answer's body goes: after the partial file (a 206 for its bytes), or from nothing (a
     * 200); none: the partial file was no prefix of the file (a 416), try again from nothing.
     */
    const startOf = (part: string, sidecar: string, partial: Partial, answer: Answer) =>
      Effect.gen(function*() {
        const { headers, status, url } = answer
        const length = parseLength(headers["content-length"])
        const etag = headers["etag"]
        if (status === 206 && partial.bytes > 0) {
          const range = parseContentRange(headers["content-range"])
          // Kept bytes whose ETag was never saved (a whole body written, then a crash before its rename)
          // cannot be matched against this answer's: they may be another version of the file.
          const unmatched = Option.isNone(partial.etag) && etag !== undefined
          if (Option.isNone(range) || range.value.first !== partial.bytes || unmatched) {
            // Not the rest of what is on disk: start again from nothing on the next try.
            yield* discard(part, sidecar)
            return yield* new FileTransferError({
              url,
              reason: unmatched
                ? `the ${partial.bytes} bytes kept from before have no ETag to match the server's`
                : `asked for bytes from ${partial.bytes}, the server sent ${headers["content-range"] ?? "no Content-Range"}`,
              status,
              retryable: true
            })
          }
          const offset = partial.bytes
          const expectedTotal = Option.orElse(range.value.total, () => Option.map(length, (n) => n + offset))
          return Option.some({ offset, expectedTotal, sidecarSaved: Option.isSome(partial.etag), saveSidecar: Effect.void })
        }
        if (status === 416 && partial.bytes > 0) {
          // The partial file is no prefix of the file the server has now (it is longer, or the file changed).
          yield* discard(part, sidecar)
          return Option.none()
        }
        if (status !== 200) return yield* (yield* statusFailure(answer))
        // The ETag is saved before any write that can leave a partial file, so that a transfer broken at
        // any point resumes against it; a body written whole at once needs none (most files: one write).
        const saveSidecar = (etag === undefined
          ? (Option.isSome(partial.etag) ? fs.remove(sidecar, { force: true }) : Effect.void)
          : fs.writeFileString(sidecar, etag)).pipe(Effect.mapError(diskFailure(sidecar)))
        return Option.some({ offset: 0, expectedTotal: length, sidecarSaved: Option.isSome(partial.etag), saveSidecar })
      })

    /** One try: resume or start, receive, check, rename. Retried as a whole by fetchTo. */
    const attempt = (request: FetchRequest): Effect.Effect<Fetched, FileTransferFailure> =>
      Effect.scoped(Effect.gen(function*() {
        const part = `${request.target}.part`
        const sidecar = `${part}.etag`
        const partial = yield* readPartial(part, sidecar, request.expect)
        const headers: Record<string, string> = partial.bytes === 0 ? {} : {
          range: `bytes=${partial.bytes}-`,
          ...Option.match(partial.etag, { onNone: () => ({}), onSome: (etag) => ({ "if-range": etag }) })
        }
        const answer = yield* get(request.url, headers)
        const start = yield* startOf(part, sidecar, partial, answer)
        if (Option.isNone(start)) return yield* attempt(request)
        const { expectedTotal, offset, saveSidecar, sidecarSaved } = start.value
        const { url } = answer

        const reading = offset === 0 ? startReading(request.expect) : partial.reading
        const received = yield* receive(part, answer, offset, reading, { expectedTotal, saveSidecar })
        const bytes = offset + received.written
        if (Option.isSome(expectedTotal) && bytes !== expectedTotal.value) {
          // More than announced cannot be trusted as a prefix; fewer is kept and resumed.
          const tooLong = bytes > expectedTotal.value
          if (tooLong) yield* discard(part, sidecar)
          return yield* new FileTransferError({
            url,
            reason: `the body was ${tooLong ? "longer than announced" : "cut short"}: ${bytes} of ${expectedTotal.value} bytes`,
            retryable: true
          })
        }

        const problem = reading.check.problem()
        if (Option.isSome(problem)) {
          yield* discard(part, sidecar)
          return yield* new FileCheckError({ url, target: request.target, reason: problem.value })
        }
        yield* fs.rename(part, request.target).pipe(Effect.mapError(diskFailure(request.target)))
        unsynced.add(path.dirname(request.target))
        if (sidecarSaved || received.sidecarSaved) yield* fs.remove(sidecar, { force: true }).pipe(Effect.ignore)
        return {
          bytes,
          sha256: reading.hash.result().sha256,
          contentType: answer.headers["content-type"] ?? null,
          finalUrl: url,
          resumed: offset > 0
        } satisfies Fetched
      }))

    /**
     * Fetches `url` to the absolute path `target`: nothing is at `target` until the whole file is
     * there, synced, and of the expected kind. A `<target>.part` left by a broken run is resumed.
     * One call per target at a time: two would share the partial file.
     */
    const fetchTo = Effect.fn("FileTransfer.fetchTo")(function*(request: FetchRequest) {
      return yield* Effect.retry(
        attempt(request),
        transferRetries(retryBaseMillis, (failure, wait, retry) => reporter.waiting(retryLine(request.target, failure, wait, retry), wait))
      )
    })

    /**
     * Makes the renames of every file fetched so far durable: each folder they went into synced once.
     * A file fetched is recorded only after this, so no row points at a name a crash could take back.
     */
    const syncRenamed = Effect.suspend(() => {
      const folders = [...unsynced]
      unsynced.clear()
      return Effect.forEach(folders, (folder) => syncDirectory(fs, folder), { discard: true })
    })

    return { fetchTo, syncRenamed } as const
  })
}) {}

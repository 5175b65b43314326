// Fetches one file so that only a whole, checked file ever bears its final name: streamed through
// a hash into `<target>.part`, resumed with Range after a break, fsynced, then renamed.
import { FileSystem, HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Chunk, Clock, Context, Duration, Effect, Exit, Option, type Scope, Stream } from "effect"
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
import { diskFailure, finishPart } from "./StoreWrites.js"
import { checkEndpoint, FbkConfig } from "../home/FbkConfig.js"
import { parseRetryAfter } from "../flickr/RetryAfter.js"
import { Reporter } from "../terminal/Reporter.js"
import { type FileTransferFailure, retryLine, transferRetries } from "./TransferRetries.js"

export type { FileTransferFailure }

/** Tuning that only tests change; a run uses the defaults. */
export class FileTransferSettings extends Context.Reference<FileTransferSettings>()("fbk/FileTransferSettings", {
  defaultValue: () => ({
    /** A body that sends nothing for this long is dropped and resumed: an idle socket can hang for hours. */
    stallTimeoutMillis: 30_000
  })
}) {}

const MAX_REDIRECTS = 5
/** Image servers throttle with 429 and long Retry-After values; wait that long, but not all night. */
const LONGEST_RETRY_AFTER_SECONDS = 300

/** `bytes first-last/total` of a 206 (total may be `*`). */
const parseContentRange = (header: string | undefined) => {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? "")
  if (match === null) return Option.none()
  return Option.some({
    first: Number(match[1]),
    last: Number(match[2]),
    total: match[3] === "*" ? Option.none<number>() : Option.some(Number(match[3]))
  })
}

const parseLength = (header: string | undefined): Option.Option<number> =>
  header !== undefined && /^\d+$/.test(header.trim()) ? Option.some(Number(header)) : Option.none()

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

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

interface Answer {
  readonly response: HttpClientResponse.HttpClientResponse
  readonly url: string
}

export class FileTransfer extends Effect.Service<FileTransfer>()("fbk/FileTransfer", {
  effect: Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    // Scoped requests: leaving an attempt aborts its connection, whether its body was read or not.
    const client = HttpClient.withScope(yield* HttpClient.HttpClient)
    const { requestTimeoutMillis, retryBaseMillis } = yield* FbkConfig
    const { stallTimeoutMillis } = yield* FileTransferSettings
    const reporter = yield* Reporter

    const transportFailure = (url: string, reason: string) => (cause: HttpClientError.HttpClientError) =>
      new FileTransferError({ url, reason: `${reason} (${cause.message})`, retryable: true, cause })

    /** What an earlier, broken transfer left: its bytes hashed from disk (the disk is the truth), and its ETag. */
    const readPartial = (part: string, sidecar: string, expect: Expected) =>
      Effect.gen(function*() {
        const reading = startReading(expect)
        if (!(yield* fs.exists(part))) return { bytes: 0, reading, etag: Option.none() } satisfies Partial
        const { bytes } = yield* sha256Stream(fs.stream(part), (block) => Effect.sync(() => reading.check.update(block)), reading.hash)
        const etag = yield* fs.readFileString(sidecar).pipe(
          Effect.map((text) => Option.some(text.trim()).pipe(Option.filter((t) => t !== ""))),
          // Without the ETag the range is asked for all the same; the checks after it still apply.
          Effect.orElseSucceed(() => Option.none<string>())
        )
        return { bytes, reading, etag } satisfies Partial
      }).pipe(Effect.mapError(diskFailure(part)))

    const discard = (part: string, sidecar: string) =>
      Effect.zipRight(fs.remove(part, { force: true }), fs.remove(sidecar, { force: true })).pipe(
        Effect.mapError(diskFailure(part))
      )

    /** GET `url` with `headers`, following redirects by hand so every hop is checked before it is asked. */
    const follow = (
      url: string,
      headers: Record<string, string>,
      hops = 0
    ): Effect.Effect<Answer, FileTransferError, Scope.Scope> =>
      Effect.gen(function*() {
        const checked = yield* checkEndpoint(url).pipe(
          Effect.mapError((e) =>
            new FileTransferError({
              url,
              reason: `${hops === 0 ? "" : "redirected to "}${url}, which ${e.reason}`,
              retryable: false
            })
          )
        )
        const response = yield* client.execute(HttpClientRequest.get(checked).pipe(HttpClientRequest.setHeaders(headers))).pipe(
          Effect.mapError(transportFailure(url, "could not get an answer")),
          Effect.timeoutFail({
            duration: Duration.millis(requestTimeoutMillis),
            onTimeout: () =>
              new FileTransferError({ url, reason: `no answer within ${requestTimeoutMillis / 1000}s`, retryable: true })
          })
        )
        if (!REDIRECT_STATUSES.has(response.status)) return { response, url }
        const location = response.headers["location"]
        if (location === undefined) {
          return yield* new FileTransferError({
            url,
            reason: `HTTP ${response.status} redirect without a Location`,
            status: response.status,
            retryable: false
          })
        }
        if (hops === MAX_REDIRECTS) {
          return yield* new FileTransferError({ url, reason: `more than ${MAX_REDIRECTS} redirects`, retryable: false })
        }
        // A relative Location is resolved against the URL that sent it; a malformed one fails its check.
        const next = URL.canParse(location, checked.href) ? new URL(location, checked).href : location
        return yield* follow(next, headers, hops + 1)
      })

    const statusFailure = (url: string, response: HttpClientResponse.HttpClientResponse) =>
      Effect.gen(function*() {
        const { status } = response
        const nowMillis = yield* Clock.currentTimeMillis
        const retryAfter = Option.flatMap(
          Option.fromNullable(response.headers["retry-after"]),
          (header) => parseRetryAfter(header, nowMillis, LONGEST_RETRY_AFTER_SECONDS)
        )
        return new FileTransferError({
          url,
          reason: `HTTP ${status}`,
          status,
          // Throttling and server trouble pass; a missing or forbidden file does not.
          retryable: status === 429 || status >= 500,
          ...Option.match(retryAfter, { onNone: () => ({}), onSome: (seconds) => ({ retryAfterSeconds: seconds }) })
        })
      })

    /**
     * Fails once neither a chunk nor a write has completed for the stall timeout, looking every
     * quarter of it: a per-chunk timer (Stream.timeoutFail) would cost a race of fibers per chunk.
     */
    const stallWatch = (url: string, progress: () => number, bytes: () => number) =>
      Effect.gen(function*() {
        const step = Math.max(1, Math.floor(stallTimeoutMillis / 4))
        let seen = progress()
        let quietSince = yield* Clock.currentTimeMillis
        for (;;) {
          yield* Effect.sleep(Duration.millis(step))
          const now = yield* Clock.currentTimeMillis
          if (progress() !== seen) {
            seen = progress()
            quietSince = now
          } else if (now - quietSince >= stallTimeoutMillis) {
            return yield* new FileTransferError({
              url,
              reason: `nothing arrived for ${stallTimeoutMillis / 1000}s after ${bytes()} bytes`,
              retryable: true
            })
          }
        }
      })

    // Write buffers outlive their transfer: a new one per file would be as many bytes again for the GC.
    const spareBuffers: Array<Buffer> = []
    const borrowBuffer = Effect.acquireRelease(
      Effect.sync(() => spareBuffers.pop() ?? Buffer.allocUnsafe(WRITE_BATCH_BYTES)),
      (buffer) => Effect.sync(() => spareBuffers.push(buffer))
    )

    /**
     * Streams the body after the `offset` bytes already in `part`, in writes of WRITE_BATCH_BYTES,
     * each read by `reading` once it is on disk; the bytes written.
     */
    const receive = (
      url: string,
      part: string,
      response: HttpClientResponse.HttpClientResponse,
      offset: number,
      reading: Reading
    ) =>
      Effect.scoped(Effect.gen(function*() {
        const file = yield* fs.open(part, { flag: offset > 0 ? "a" : "w" }).pipe(Effect.mapError(diskFailure(part)))
        const buffer = yield* borrowBuffer
        let filled = 0
        let written = 0
        /** Chunks arrived plus writes done: what the stall watch looks at. */
        let progress = 0
        const arrived = () => offset + written + filled
        // Uninterruptible: a stall cannot leave a write half done, with the buffer refilled under it.
        const flush = Effect.suspend(() =>
          filled === 0 ? Effect.void : file.writeAll(buffer.subarray(0, filled)).pipe(
            Effect.mapError(diskFailure(part)),
            // Read once on disk, so the hash and the partial file never disagree.
            Effect.map(() => {
              absorb(reading, buffer.subarray(0, filled))
              written += filled
              filled = 0
              progress++
            })
          )
        ).pipe(Effect.uninterruptible)
        const gather = (bytes: Uint8Array): Effect.Effect<void, FileWriteError> => {
          const take = Math.min(bytes.length, buffer.length - filled)
          buffer.set(bytes.subarray(0, take), filled)
          filled += take
          return filled < buffer.length ? Effect.void : Effect.zipRight(flush, Effect.suspend(() => gather(bytes.subarray(take))))
        }
        const body = response.stream.pipe(
          Stream.runForEachChunk((chunk) => {
            progress++
            const parts = Chunk.toReadonlyArray(chunk)
            return parts.length === 1 ? gather(parts[0]!) : Effect.forEach(parts, gather, { discard: true })
          }),
          Effect.catchIf(
            (e): e is HttpClientError.ResponseError => e._tag === "ResponseError",
            (cause) => Effect.fail(transportFailure(url, `the connection broke after ${arrived()} bytes`)(cause))
          )
        )
        const ended = yield* Effect.exit(Effect.raceFirst(body, stallWatch(url, () => progress, arrived)))
        // What arrived before a break is kept too, and the next try resumes after it.
        yield* flush
        if (Exit.isFailure(ended)) return yield* Effect.failCause(ended.cause)
        yield* file.sync.pipe(Effect.mapError(diskFailure(part)))
        return written
      }))

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
        const { response, url } = yield* follow(request.url, headers)
        const { status } = response
        const length = parseLength(response.headers["content-length"])

        let offset: number
        let expectedTotal: Option.Option<number>
        if (status === 206 && partial.bytes > 0) {
          const range = parseContentRange(response.headers["content-range"])
          if (Option.isNone(range) || range.value.first !== partial.bytes) {
            // Not the rest of what is on disk: start again from nothing on the next try.
            yield* discard(part, sidecar)
            return yield* new FileTransferError({
              url,
              reason: `asked for bytes from ${partial.bytes}, the server sent ${response.headers["content-range"] ?? "no Content-Range"}`,
              status,
              retryable: true
            })
          }
          offset = partial.bytes
          expectedTotal = Option.orElse(range.value.total, () => Option.map(length, (n) => n + offset))
        } else if (status === 416 && partial.bytes > 0) {
          // The partial file is no prefix of the file the server has now (it is longer, or the file changed).
          yield* discard(part, sidecar)
          return yield* attempt(request)
        } else if (status === 200) {
          offset = 0
          expectedTotal = length
          // Saved before any byte, so a transfer broken at any point can be resumed against the same ETag.
          const etag = response.headers["etag"]
          yield* (etag === undefined ? fs.remove(sidecar, { force: true }) : fs.writeFileString(sidecar, etag)).pipe(
            Effect.mapError(diskFailure(sidecar))
          )
        } else {
          return yield* (yield* statusFailure(url, response))
        }

        const reading = offset === 0 ? startReading(request.expect) : partial.reading
        const received = yield* receive(url, part, response, offset, reading)
        const bytes = offset + received
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
        yield* finishPart(fs, part, request.target)
        yield* fs.remove(sidecar, { force: true }).pipe(Effect.ignore)
        return {
          bytes,
          sha256: reading.hash.result().sha256,
          contentType: response.headers["content-type"] ?? null,
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
      const directory = path.dirname(request.target)
      yield* fs.makeDirectory(directory, { recursive: true }).pipe(Effect.mapError(diskFailure(directory)))
      return yield* Effect.retry(
        attempt(request),
        transferRetries(retryBaseMillis, (failure, wait, retry) => reporter.waiting(retryLine(request.target, failure, wait, retry), wait))
      )
    })

    return { fetchTo } as const
  })
}) {}

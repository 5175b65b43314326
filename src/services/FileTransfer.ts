// Fetches one file so that only a whole, checked file ever bears its final name: streamed through
// a hash into `<target>.part`, resumed with Range after a break, fsynced, then renamed.
import { FileSystem, HttpClient, type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Chunk, Clock, Context, Duration, Effect, Option, Schedule, type Scope, Stream } from "effect"
import { createHash, type Hash } from "node:crypto"
import * as path from "node:path"
import {
  type Expected,
  type ExpectedKind,
  type FetchRequest,
  type Fetched,
  FileCheckError,
  FileTransferError,
  type FileWriteError
} from "../schema/Files.js"
import { diskFailure, finishPart } from "./StoreWrites.js"
import { checkEndpoint, FbkConfig } from "./FbkConfig.js"
import { parseRetryAfter } from "./RetryAfter.js"

export type FileTransferFailure = FileTransferError | FileCheckError | FileWriteError

/** Tuning that only tests change; a run uses the defaults. */
export class FileTransferSettings extends Context.Reference<FileTransferSettings>()("fbk/FileTransferSettings", {
  defaultValue: () => ({
    /** A body that sends nothing for this long is dropped and resumed: an idle socket can hang for hours. */
    stallTimeoutMillis: 30_000
  })
}) {}

const MAX_REDIRECTS = 5
const TRANSFER_RETRIES = 6
/** Image servers throttle with 429 and long Retry-After values; wait that long, but not all night. */
const LONGEST_RETRY_AFTER_SECONDS = 300

const isRetryable = (failure: FileTransferFailure): boolean =>
  failure._tag === "FileTransferError" && failure.retryable

/**
 * Retries retryable failures (throttling, server errors, broken or stalled bodies) at most
 * TRANSFER_RETRIES times with jittered exponential backoff from `baseMillis`, waiting at least
 * as long as a Retry-After said. Each retry resumes from the partial file.
 */
export const transferRetries = (baseMillis: number) =>
  Schedule.recurWhile(isRetryable).pipe(
    Schedule.intersect(Schedule.jittered(Schedule.exponential(Duration.millis(baseMillis)))),
    Schedule.intersect(Schedule.recurs(TRANSFER_RETRIES)),
    Schedule.modifyDelay(([[failure]], delay) =>
      failure._tag === "FileTransferError" && failure.retryAfterSeconds !== undefined
        ? Duration.max(delay, Duration.seconds(failure.retryAfterSeconds))
        : delay
    )
  )


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

// ---- content checks: the first bytes, and a JPEG's frame size ----

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))
const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>, at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b)

const JPEG_MAGIC = [0xff, 0xd8, 0xff]
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const FTYP = ascii("ftyp")
/** Atoms old QuickTime files open with, before `ftyp` existed. */
const QUICKTIME_ATOMS = ["moov", "mdat", "wide", "free"].map(ascii)

const MAGIC_CHECKS: Readonly<Record<Exclude<ExpectedKind, "any">, (head: Uint8Array) => boolean>> = {
  jpeg: (head) => startsWith(head, JPEG_MAGIC),
  png: (head) => startsWith(head, PNG_MAGIC),
  gif: (head) => startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a")),
  mp4: (head) => startsWith(head, FTYP, 4),
  mov: (head) => startsWith(head, FTYP, 4) || QUICKTIME_ATOMS.some((atom) => startsWith(head, atom, 4))
}

/** Names what a file that failed its check looks like, so the reason says what came instead. */
const describeStart = (head: Uint8Array): string => {
  const kind = Object.entries(MAGIC_CHECKS).find(([, looksLike]) => looksLike(head))
  if (kind !== undefined) return `it is ${kind[0].toUpperCase()}`
  const text = new TextDecoder().decode(head).trimStart()
  if (text.startsWith("<")) return "it is text (an HTML or XML page)"
  if (head.length === 0) return "it is empty"
  return `it starts with ${Buffer.from(head.subarray(0, 8)).toString("hex").replace(/(..)(?!$)/g, "$1 ")}`
}

/** Start-of-frame markers (SOF0-SOF15 without DHT C4, JPG C8, DAC CC): they carry the frame size. */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])
/** Markers with no length after them (TEM, RST0-7, SOI). */
const isStandalone = (marker: number) => marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)

const readAt = (file: FileSystem.File, offset: number, length: number) =>
  Effect.gen(function*() {
    yield* file.seek(offset, "start")
    const buffer = new Uint8Array(length)
    const read = yield* file.read(buffer)
    return buffer.subarray(0, Number(read))
  })

/**
 * Walks a JPEG's marker segments from the file (by their lengths, so EXIF and ICC segments of
 * any size are skipped unread) to the frame header; none if the scan or the end comes first.
 */
const jpegFrameSize = (file: FileSystem.File, size: number) =>
  Effect.gen(function*() {
    let offset = 2
    while (offset + 4 <= size) {
      const segment = yield* readAt(file, offset, 9)
      if (segment[0] !== 0xff) return Option.none()
      const marker = segment[1]!
      if (marker === 0xff) {
        offset += 1 // fill byte before a marker
        continue
      }
      if (isStandalone(marker)) {
        offset += 2
        continue
      }
      if (SOF_MARKERS.has(marker)) {
        if (segment.length < 9) return Option.none()
        return Option.some({ height: (segment[5]! << 8) | segment[6]!, width: (segment[7]! << 8) | segment[8]! })
      }
      const length = (segment[2]! << 8) | segment[3]!
      // Image data (SOS) or the end (EOI) before any frame header: not a picture fbk can size.
      if (marker === 0xda || marker === 0xd9 || length < 2) return Option.none()
      offset += 2 + length
    }
    return Option.none()
  })

/** Why the file at `file` is not what `expect` asks for, or none when it is. */
const contentProblem = (fs: FileSystem.FileSystem, file: string, expect: Expected) =>
  Effect.scoped(Effect.gen(function*() {
    if (expect.kind === "any") return Option.none<string>()
    const handle = yield* fs.open(file, { flag: "r" })
    const size = Number((yield* handle.stat).size)
    const head = yield* readAt(handle, 0, 16)
    const kindName = expect.kind.toUpperCase()
    if (!MAGIC_CHECKS[expect.kind](head)) {
      return Option.some(`expected ${kindName}, but ${describeStart(head)}`)
    }
    if (expect.kind !== "jpeg" || expect.width === undefined || expect.height === undefined) return Option.none<string>()
    const { width, height } = expect
    const frame = yield* jpegFrameSize(handle, size)
    if (Option.isNone(frame)) return Option.some("expected a JPEG, but it has no frame header before its image data")
    const found = frame.value
    // EXIF orientation may have the stored frame rotated from the size Flickr reports.
    const fits = (found.width === width && found.height === height) || (found.width === height && found.height === width)
    return fits
      ? Option.none<string>()
      : Option.some(`expected a JPEG of ${width}x${height} (or ${height}x${width}), but its frame is ${found.width}x${found.height}`)
  }))

// ---- the service ----

interface Partial {
  /** Bytes already in `<target>.part`, all hashed into `hash`. */
  readonly bytes: number
  readonly hash: Hash
  /** The ETag of the response those bytes came from, if it had one. */
  readonly etag: Option.Option<string>
}

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

    const transportFailure = (url: string, reason: string) => (cause: HttpClientError.HttpClientError) =>
      new FileTransferError({ url, reason: `${reason} (${cause.message})`, retryable: true, cause })

    /** What an earlier, broken transfer left: its bytes hashed from disk (the disk is the truth), and its ETag. */
    const readPartial = (part: string, sidecar: string) =>
      Effect.gen(function*() {
        const hash = createHash("sha256")
        if (!(yield* fs.exists(part))) return { bytes: 0, hash, etag: Option.none() } satisfies Partial
        const bytes = yield* fs.stream(part).pipe(
          Stream.runFold(0, (total, chunk) => {
            hash.update(chunk)
            return total + chunk.length
          })
        )
        const etag = yield* fs.readFileString(sidecar).pipe(
          Effect.map((text) => Option.some(text.trim()).pipe(Option.filter((t) => t !== ""))),
          // Without the ETag the range is asked for all the same; the checks after it still apply.
          Effect.orElseSucceed(() => Option.none<string>())
        )
        return { bytes, hash, etag } satisfies Partial
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

    /** Streams the body after the `offset` bytes already in `part`, hashing what it writes; the bytes received. */
    const receive = (url: string, part: string, response: HttpClientResponse.HttpClientResponse, offset: number, hash: Hash) =>
      Effect.scoped(Effect.gen(function*() {
        const file = yield* fs.open(part, { flag: offset > 0 ? "a" : "w" }).pipe(Effect.mapError(diskFailure(part)))
        let received = 0
        /** Chunks arrived plus writes done: what the stall watch looks at. */
        let progress = 0
        // A whole chunk of the body (often several reads) goes to the disk and the hash at once.
        const write = (chunk: Chunk.Chunk<Uint8Array>) => {
          progress++
          const parts = Chunk.toReadonlyArray(chunk)
          const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
          return file.writeAll(bytes).pipe(
            Effect.mapError(diskFailure(part)),
            // Hashed once on disk, so the hash and the partial file never disagree.
            Effect.map(() => {
              hash.update(bytes)
              received += bytes.length
              progress++
            })
          )
        }
        const body = response.stream.pipe(
          Stream.runForEachChunk(write),
          Effect.catchIf(
            (e): e is HttpClientError.ResponseError => e._tag === "ResponseError",
            (cause) => Effect.fail(transportFailure(url, `the connection broke after ${offset + received} bytes`)(cause))
          )
        )
        yield* Effect.raceFirst(body, stallWatch(url, () => progress, () => offset + received))
        yield* file.sync.pipe(Effect.mapError(diskFailure(part)))
        return received
      }))

    /** One try: resume or start, receive, check, rename. Retried as a whole by fetchTo. */
    const attempt = (request: FetchRequest): Effect.Effect<Fetched, FileTransferFailure> =>
      Effect.scoped(Effect.gen(function*() {
        const part = `${request.target}.part`
        const sidecar = `${part}.etag`
        const partial = yield* readPartial(part, sidecar)
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

        const hash = offset === 0 ? createHash("sha256") : partial.hash
        const received = yield* receive(url, part, response, offset, hash)
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

        const problem = yield* contentProblem(fs, part, request.expect).pipe(Effect.mapError(diskFailure(part)))
        if (Option.isSome(problem)) {
          yield* discard(part, sidecar)
          return yield* new FileCheckError({ url, target: request.target, reason: problem.value })
        }
        yield* finishPart(fs, part, request.target)
        yield* fs.remove(sidecar, { force: true }).pipe(Effect.ignore)
        return {
          bytes,
          sha256: hash.digest("hex"),
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
      return yield* Effect.retry(attempt(request), transferRetries(retryBaseMillis))
    })

    return { fetchTo } as const
  })
}) {}

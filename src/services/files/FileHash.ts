// SHA-256 and byte count of bytes as they stream by, once for every reader: verify and link
// reading a file, download writing one, the export import copying a zip entry.
import { Chunk, Effect, Option, Stream } from "effect"
import { createHash } from "node:crypto"
import * as fsp from "node:fs/promises"
import { systemError } from "./NodeErrors.js"

/** Big reads: hashing is the cost, and each chunk is one trip through the file system. */
const CHUNK = 1024 * 1024

/** Read buffers, reused: a fresh one per chunk made most of a hashing run's CPU garbage collection. */
const spare: Array<Buffer> = []

export interface Hashed {
  readonly bytes: number
  readonly sha256: string
}

/** A hash fed block by block; its result can be read at any point and more bytes fed after it (a resumed download). */
export interface RunningSha256 {
  readonly update: (block: Uint8Array) => void
  readonly result: () => Hashed
}

export const runningSha256 = (): RunningSha256 => {
  const hash = createHash("sha256")
  let bytes = 0
  return {
    update: (block) => {
      hash.update(block)
      bytes += block.length
    },
    // A copy is digested, so the running hash goes on.
    result: () => ({ bytes, sha256: hash.copy().digest("hex") })
  }
}

/**
 * Every block of `stream` (a chunk's pieces joined) to `each` (a write, a check), then to the
 * hash: the bytes hashed are the bytes `each` took. The size and hash of everything `into` has had.
 */
export const sha256Stream = <E, R, E2 = never, R2 = never>(
  stream: Stream.Stream<Uint8Array, E, R>,
  each: (block: Uint8Array) => Effect.Effect<void, E2, R2> = () => Effect.void,
  into: RunningSha256 = runningSha256()
): Effect.Effect<Hashed, E | E2, R | R2> =>
  stream.pipe(
    Stream.runForEachChunk((chunk) => {
      const pieces = Chunk.toReadonlyArray(chunk)
      const block = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces)
      return Effect.map(each(block), () => into.update(block))
    }),
    Effect.map(() => into.result())
  )

/**
 * A file's size and SHA-256, read once from start to end in big reads into a reused buffer; each
 * block is lent to `each` on its way (copy what you keep: the buffer is read into again).
 */
export const hashFile = <E2 = never>(path: string, each?: (block: Uint8Array) => Effect.Effect<void, E2>) =>
  Effect.acquireUseRelease(
    Effect.tryPromise({ try: () => fsp.open(path, "r"), catch: (e) => systemError("read", path, e) }),
    (handle) =>
      Effect.acquireUseRelease(
        Effect.sync(() => spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK)),
        (buffer) => {
          const blocks = Stream.repeatEffectOption(
            Effect.tryPromise({ try: () => handle.read(buffer, 0, CHUNK, null), catch: (e) => Option.some(systemError("read", path, e)) }).pipe(
              Effect.flatMap(({ bytesRead }) => bytesRead === 0 ? Effect.fail(Option.none()) : Effect.succeed(buffer.subarray(0, bytesRead)))
            )
          )
          return sha256Stream(blocks, each)
        },
        (buffer) => Effect.sync(() => spare.push(buffer))
      ),
    (handle) => Effect.promise(() => handle.close())
  )

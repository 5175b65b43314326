// A file's size and SHA-256, read once from start to end: how verify checks the file store and
// how link recognises a downloaded original on the user's disks.
import { Effect } from "effect"
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

export const hashFile = (path: string) =>
  Effect.tryPromise({
    try: async (): Promise<Hashed> => {
      const handle = await fsp.open(path, "r")
      const buffer = spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK)
      try {
        const hash = createHash("sha256")
        let bytes = 0
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, CHUNK, null)
          if (bytesRead === 0) break
          hash.update(buffer.subarray(0, bytesRead))
          bytes += bytesRead
        }
        return { bytes, sha256: hash.digest("hex") }
      } finally {
        spare.push(buffer)
        await handle.close()
      }
    },
    catch: (e) => systemError("read", path, e)
  })

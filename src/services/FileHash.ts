// A file's size and SHA-256, read once from start to end: how verify checks the file store and
// how link recognises a downloaded original on the user's disks.
import { FileSystem } from "@effect/platform"
import { Effect, Stream } from "effect"
import { createHash } from "node:crypto"

/** Big reads: hashing is the cost, and each chunk is one trip through the file system. */
const CHUNK = FileSystem.MiB(1)

export interface Hashed {
  readonly bytes: number
  readonly sha256: string
}

export const hashFile = (path: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => {
    const hash = createHash("sha256")
    return fs.stream(path, { chunkSize: CHUNK }).pipe(
      Stream.runFold(0, (total, chunk) => {
        hash.update(chunk)
        return total + chunk.length
      }),
      Effect.map((bytes): Hashed => ({ bytes, sha256: hash.digest("hex") }))
    )
  })

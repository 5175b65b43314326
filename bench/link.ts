// The link benchmarks: generated libraries (mixed sizes, and small files where a file's fixed cost
// shows), most of them exports of the account's photos, read by `fbk link` beside a plain
// read-and-hash pass over the same files.
import Database from "better-sqlite3"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as fsp from "node:fs/promises"
import * as path from "node:path"
import { cameraJpeg } from "../src/simulator/LocalLibrary.js"
import { secondsSince } from "./storeOnly.js"

export interface LinkLibrary {
  /** What the bench's report and results.json call it. */
  readonly name: string
  readonly files: number
  /** The first files are exports of the account's photos; the rest were never uploaded. */
  readonly exports: number
  /** Top folders: a first run over one of them measures memory against the number of files. */
  readonly parts: number
  readonly sizes: string
  /** A file's length, from the library's repeatable random numbers. */
  readonly fileBytes: (r: () => number) => number
}

/** Sizes as a mixed library has them: mostly phone-sized exports, some full-size JPEGs, a few large files. */
export const MIXED_LIBRARY: LinkLibrary = {
  name: "mixed",
  files: 10_000,
  exports: 7_000,
  parts: 5,
  sizes: "mixed sizes",
  fileBytes: (r) => {
    const kind = r()
    if (kind < 0.7) return Math.round(100_000 + r() * 500_000)
    if (kind < 0.95) return Math.round(1_000_000 + r() * 1_500_000)
    return Math.round(4_000_000 + r() * 4_000_000)
  }
}

/** Small files only, where what a file costs beside its bytes (reading its metadata) shows most. */
export const SMALL_LIBRARY: LinkLibrary = {
  name: "small",
  files: 3_000,
  exports: 2_100,
  parts: 5,
  sizes: "50 KB-1 MB",
  fileBytes: (r) => Math.round(50_000 + r() * 950_000)
}

interface StoredPhoto {
  readonly id: string
  readonly date_taken: string
  readonly width: number
  readonly height: number
}

/** Photos with a camera date and a size: what an export on disk can be matched to. */
const datedPhotos = (databasePath: string): ReadonlyArray<StoredPhoto> => {
  const db = new Database(databasePath, { readonly: true })
  try {
    return db.prepare(
      "SELECT id, date_taken, width, height FROM photos WHERE deleted_at IS NULL AND date_taken_unknown = 0 AND width IS NOT NULL AND media = 'photo' ORDER BY id"
    ).all() as Array<StoredPhoto>
  } finally {
    db.close()
  }
}

/** A small, repeatable generator, so every run reads the same library. */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}

/**
 * Writes the library under `dir/<part>/`: exports of the first photos (a quarter of their size,
 * the same camera date), then files never uploaded. Returns every path and the bytes in all.
 */
export const writeLibrary = (library: LinkLibrary, databasePath: string, dir: string) => {
  const photos = datedPhotos(databasePath)
  const r = random(20_261_205)
  const paths: Array<string> = []
  let bytes = 0
  for (let i = 0; i < library.files; i++) {
    const photo = i < library.exports ? photos[i % photos.length] : undefined
    const taken = photo?.date_taken ?? `1990-01-01 ${String(Math.floor(i / 3600) % 24).padStart(2, "0")}:${String(Math.floor(i / 60) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`
    const file = cameraJpeg({
      width: photo === undefined ? 640 : Math.max(1, Math.round(photo.width / 4)),
      height: photo === undefined ? 480 : Math.max(1, Math.round(photo.height / 4)),
      taken,
      look: i,
      bytes: library.fileBytes(r)
    })
    const full = path.join(dir, String(i % library.parts), taken.slice(0, 4), `IMG_${String(i).padStart(5, "0")}.jpg`)
    fs.mkdirSync(path.dirname(full), { recursive: true })
    fs.writeFileSync(full, file)
    paths.push(full)
    bytes += file.length
  }
  return { paths, bytes }
}

/** The floor: each file read into a buffer and hashed with SHA-256, two at a time, nothing else. */
export const readAndHash = async (paths: ReadonlyArray<string>) => {
  const started = process.hrtime.bigint()
  let next = 0
  await Promise.all(Array.from({ length: 2 }, async () => {
    const buffer = Buffer.allocUnsafeSlow(1024 * 1024)
    while (next < paths.length) {
      const handle = await fsp.open(paths[next++]!, "r")
      const hash = createHash("sha256")
      for (let n = (await handle.read(buffer, 0, buffer.length, null)).bytesRead; n > 0; n = (await handle.read(buffer, 0, buffer.length, null)).bytesRead) {
        hash.update(buffer.subarray(0, n))
      }
      hash.digest("hex")
      await handle.close()
    }
  }))
  return secondsSince(started)
}

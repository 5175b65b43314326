// The download benchmark: `fbk download` of 1,000 files of 2 MB and one 1 GiB video from the
// simulator's image servers, beside the simplest client fetching the same URLs to disk.
import Database from "better-sqlite3"
import * as fs from "node:fs"
import * as path from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { secondsSince } from "./storeOnly.js"

export const DOWNLOAD_ACCOUNT = { photos: 1_000, fileBytes: 2 * 1024 * 1024, bigVideoBytes: 1024 * 1024 * 1024 }
/**
 * The queue case: small files, and the first of the queue large and stalled (under the 30 s stall
 * timeout) before its body comes. Transfers page by page would leave the other slots idle until it ends.
 */
export const QUEUE_ACCOUNT = { photos: 600, fileBytes: 64 * 1024, slowBytes: 4 * 1024 * 1024, stallMs: 15_000 }
/** fbk's default, which the floor uses too. */
const CONCURRENCY = 4

/** Fetches each URL to a file under `dir`, CONCURRENCY at a time, nothing checked or recorded. */
export const fetchOnlyFiles = async (urls: ReadonlyArray<string>, dir: string) => {
  fs.mkdirSync(dir, { recursive: true })
  const started = process.hrtime.bigint()
  let next = 0
  let bytes = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < urls.length) {
      const index = next++
      const response = await fetch(urls[index]!)
      if (!response.ok || response.body === null) throw new Error(`floor: ${urls[index]} answered ${response.status}`)
      const file = path.join(dir, String(index))
      await pipeline(Readable.fromWeb(response.body), fs.createWriteStream(file))
      bytes += fs.statSync(file).size
    }
  }))
  return { seconds: secondsSince(started), bytes }
}

interface AccountRow {
  readonly id: string
  readonly media: string
}

/** The photos of the home's database, as the backup stored them. */
export const storedPhotos = (databasePath: string): ReadonlyArray<AccountRow> => {
  const db = new Database(databasePath, { readonly: true })
  try {
    return db.prepare("SELECT id, media FROM photos WHERE deleted_at IS NULL ORDER BY id").all() as Array<AccountRow>
  } finally {
    db.close()
  }
}

/** The URLs fbk fetched its files from, to give the floor the same work. */
export const fetchedUrls = (databasePath: string): ReadonlyArray<string> => {
  const db = new Database(databasePath, { readonly: true })
  try {
    return db.prepare("SELECT source_url FROM files WHERE role <> 'replaced' ORDER BY id").pluck().all() as Array<string>
  } finally {
    db.close()
  }
}

// The sidecar benchmark: every original's XMP sidecar for 10,000 photos (in albums nested in
// collections, with HTML descriptions, tags and locations), first run and an idle rerun that writes none.
// Run alone (`node dist/bench/sidecars.js`) it prints its figures; only a whole `npm run bench` writes bench/results.json.
import { NodeContext } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { Effect, Layer, Option } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Layers from "../src/Layers.js"
import { sidecarsInStep } from "../src/programs/sidecars/SidecarSync.js"
import { photoRowFromItem, type PhotoRow } from "../src/schema/Photo.js"
import { AlbumRepository } from "../src/services/database/AlbumRepository.js"
import * as Database from "../src/services/database/Database.js"
import { FileRepository } from "../src/services/database/FileRepository.js"
import { PhotoRepository } from "../src/services/database/PhotoRepository.js"
import { SidecarFileRepository } from "../src/services/database/SidecarFileRepository.js"
import { SyncRunRepository } from "../src/services/database/SyncRunRepository.js"
import { originalPath } from "../src/services/files/FileStore.js"
import { secondsSince } from "./storeOnly.js"

export const SIDECAR_BENCH = { photos: 10_000, albums: 100, perAlbum: 150 }

export interface SidecarFigures {
  readonly photos: number
  readonly first: { readonly seconds: number; readonly written: number }
  readonly idle: { readonly seconds: number; readonly written: number; readonly unchanged: number }
}

const item = (i: number): PhotoRow =>
  photoRowFromItem({
    id: String(10_000_000_000 + i),
    owner: "12037949754@N01",
    pathalias: "me",
    title: `Photo ${i} &amp; café`,
    description: `Shot for the <a href="http://www.example.org/52weeks/${i % 52}/" rel="nofollow">52 weeks project</a>, week ${i % 52}.`,
    datetaken: `20${String(10 + (i % 12)).padStart(2, "0")}-0${1 + (i % 9)}-1${i % 10} 12:34:56`,
    datetakengranularity: i % 20 === 0 ? "4" : "0",
    dateupload: String(1_400_000_000 + i),
    lastupdate: String(1_400_000_000 + i),
    tags: `bench tag${i % 50} sanfrancisco`,
    latitude: i % 3 === 0 ? 0 : 37.79,
    longitude: i % 3 === 0 ? 0 : -122.39,
    accuracy: "16",
    license: "4",
    ispublic: 1,
    media: "photo"
  })!

/** The account in a new database, each photo with a recorded original (a few bytes) under originals/. */
const seed = (store: string) =>
  Effect.gen(function*() {
    const rows = Array.from({ length: SIDECAR_BENCH.photos }, (_, i) => item(i))
    const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
    yield* (yield* PhotoRepository).upsertBatch(rows, run, 1_000)
    const albums = yield* AlbumRepository
    const ids = Array.from({ length: SIDECAR_BENCH.albums }, (_, a) => `7215700000${a}`)
    yield* albums.upsertAlbumPage(ids.map((id, a) => ({
      id, title: `Album ${a} / trip`, description: null, primary_photo_id: null, photos: SIDECAR_BENCH.perAlbum, videos: 0,
      count_views: 0, count_comments: 0, created_at: 1, updated_at: 5, raw: "{}"
    })), run, 1_000)
    for (const [a, id] of ids.entries()) {
      const members = Array.from({ length: SIDECAR_BENCH.perAlbum }, (_, m) => ({ photo_id: rows[(a * 97 + m) % rows.length]!.id, is_primary: 0 }))
      yield* albums.replaceMembers({ id, updated_at: 5 }, members, 1_000)
    }
    const collection = (id: string, parent: string | null) => ({ id, parent_id: parent, position: 0, title: `Collection ${id}`, description: null, icon_large: null, icon_small: null, raw: "{}" })
    yield* albums.replaceCollections({
      collections: [collection("c1", null), collection("c2", "c1"), collection("c3", "c2")],
      albums: ids.slice(0, 50).map((album, position) => ({ collection_id: "c3", album_id: album, position }))
    }, run, 1_000)
    const files = yield* FileRepository
    yield* files.setDestination(store, 1_000)
    const sql = yield* SqlClient.SqlClient
    yield* sql.withTransaction(Effect.forEach(rows, (row) => {
      const at = originalPath(row, "jpg")
      fs.mkdirSync(path.join(store, path.dirname(at)), { recursive: true })
      fs.writeFileSync(path.join(store, at), "jpeg")
      return files.record({ photoId: row.id, role: "original", path: at, bytes: 4, sha256: "00".repeat(32), sourceUrl: "u", forSecret: "s", notOriginalReason: null }, 1_000)
    }, { discard: true }))
    yield* (yield* SidecarFileRepository).setEnabled(true)
  })

const timed = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const started = process.hrtime.bigint()
    return Effect.map(self, (result) => ({ result, seconds: secondsSince(started) }))
  })

export const benchSidecars = async (): Promise<SidecarFigures> => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-sidecars-"))
  const store = path.join(home, "files")
  const layer = Layers.repositoriesOn(Database.layer({ create: true })).pipe(
    Layer.provideMerge(Layers.base({ home: Option.some(home), db: Option.none(), quiet: true })),
    Layer.provideMerge(NodeContext.layer)
  )
  try {
    return await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      yield* seed(store)
      const first = yield* timed(sidecarsInStep(store))
      const idle = yield* timed(sidecarsInStep(store))
      return {
        photos: SIDECAR_BENCH.photos,
        first: { seconds: first.seconds, written: first.result.written },
        idle: { seconds: idle.seconds, written: idle.result.written, unchanged: idle.result.unchanged }
      }
    })).pipe(Effect.provide(layer)))
  } finally {
    fs.rmSync(home, { recursive: true, force: true })
  }
}

export const sidecarReport = (s: SidecarFigures): ReadonlyArray<string> => [
  `Sidecars for ${s.photos.toLocaleString("en-US")} photos (albums in nested collections, HTML descriptions, tags, locations):`,
  `  first run ${s.first.seconds.toFixed(2)} s (${s.first.written.toLocaleString("en-US")} written, ${(s.first.seconds * 1000 / s.photos).toFixed(2)} ms a photo); ` +
  `idle rerun ${s.idle.seconds.toFixed(2)} s (${s.idle.written} written, ${s.idle.unchanged.toLocaleString("en-US")} unchanged)`,
  ""
]

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  benchSidecars().then((figures) => process.stdout.write(`${sidecarReport(figures).join("\n")}\n`)).catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}

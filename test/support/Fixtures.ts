// Shared pieces of the unit tests: the recorded Flickr responses, temporary directories that
// clean up after themselves, and a configuration pointing fbk at one of them.
import { NodeContext } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Database from "../../src/services/database/Database.js"
import { FbkConfig, type FbkConfigShape } from "../../src/services/home/FbkConfig.js"
import { PhotoRepository } from "../../src/services/database/PhotoRepository.js"
import * as Reporter from "../../src/services/terminal/Reporter.js"
import { SyncRunRepository } from "../../src/services/database/SyncRunRepository.js"

/** Real recorded Flickr responses (see test/fixtures/flickr-samples/README.md), kept in the repository so a clean clone tests alone. */
export const SAMPLES_DIR = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../fixtures/flickr-samples")

/** The one recorded body for `method`, parsed as Flickr sent it. */
export const readSample = (method: string): Record<string, unknown> => {
  const dir = path.join(SAMPLES_DIR, method)
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"))
  if (files.length !== 1) throw new Error(`expected one sample in ${dir}, found ${files.join(", ")}`)
  return JSON.parse(fs.readFileSync(path.join(dir, files[0]!), "utf8")) as Record<string, unknown>
}

/** A fresh directory for the test's scope, removed when the scope closes. */
export const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "fbk-unit-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

/** A configuration whose home is `home`; endpoints point at a closed loopback port. */
export const configFor = (home: string, overrides: Partial<FbkConfigShape> = {}): FbkConfigShape => ({
  home,
  databasePath: path.join(home, "flickr_backup.sqlite"),
  credentialsPath: path.join(home, "credentials.json"),
  restUrl: new URL("http://127.0.0.1:9/services/rest"),
  oauthUrl: new URL("http://127.0.0.1:9/services/oauth"),
  callsPerHour: 3600,
  retryBaseMillis: 1,
  requestTimeoutMillis: 30_000,
  ...overrides
})

/** Configuration, a collecting reporter and the Node platform: what every service here needs. */
export const testBase = (config: FbkConfigShape, lines: Array<string> = []) =>
  Layer.mergeAll(Layer.succeed(FbkConfig, config), Reporter.collecting(lines), NodeContext.layer)

/** Both repositories over a real SQLite file (created if missing), the SqlClient left visible. */
export const repositoriesLayer = (config: FbkConfigShape, lines: Array<string> = []) =>
  Layer.mergeAll(PhotoRepository.Default, SyncRunRepository.Default).pipe(
    Layer.provideMerge(Database.layer({ create: true })),
    Layer.provide(testBase(config, lines))
  )

/** Runs `body` against a fresh database in a temporary home. */
export const withDatabase = <A, E>(
  body: Effect.Effect<A, E, PhotoRepository | SyncRunRepository | SqlClient.SqlClient>
) =>
  Effect.scoped(
    Effect.gen(function*() {
      const home = yield* tempDir
      return yield* body.pipe(Effect.provide(repositoriesLayer(configFor(home))))
    })
  )

/** Every table of fbk's schema after all its migrations, by name. */
export const FBK_TABLES = [
  "album_photos", "albums", "collection_albums", "collections", "command_runs", "comments", "disk_files", "exif", "export_files", "fbk_migrations", "file_problems",
  "file_store", "files", "link_state", "notes", "photo_details", "photo_links", "photo_people", "photo_revisions", "photo_search", "photo_search_config",
  "photo_search_content", "photo_search_data",
  "photo_search_docsize", "photo_search_idx", "photo_tag_names", "photo_tags", "photos", "run_lock", "sidecars", "sync_parts", "sync_runs", "users"
]

// `fbk demo`: the whole path on a simulated account, with no Flickr key: the built-in simulator, setup
// (approving itself), a backup, the files and folders, a linked folder, status and a search, then queries.
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Layers from "./Layers.js"
import { cameraJpeg } from "./simulator/LocalLibrary.js"
import { type FlickrSimulator, startSimulator } from "./simulator/Server.js"
import * as Browser from "./services/terminal/Browser.js"
import * as UserInput from "./services/terminal/UserInput.js"
import { formatCount } from "./services/terminal/Reporter.js"
import { afterSync } from "./programs/AfterSync.js"
import { backup } from "./programs/Backup.js"
import { download, DOWNLOAD_DEFAULTS } from "./programs/Download.js"
import { link } from "./programs/Link.js"
import { setup } from "./programs/Setup.js"
import { search } from "./programs/Search.js"
import { status } from "./programs/Status.js"

/** The demo account's size by default: every step shown, in a fraction of the time 2,500 photos took. */
export const DEMO_PHOTOS = 1_000

const QUERIES = [
  "SELECT count(*), sum(media = 'video') AS videos, sum(latitude IS NOT NULL) AS located FROM photos",
  "SELECT id, date_taken, title FROM photos ORDER BY date_taken DESC LIMIT 5",
  "SELECT substr(date_taken, 1, 4) AS year, count(*) FROM photos GROUP BY year ORDER BY year",
  "SELECT json_extract(raw, '$.views') AS views, title FROM photos ORDER BY views DESC LIMIT 5",
  "SELECT a.title, count(*) AS photos FROM albums a JOIN album_photos m ON m.album_id = a.id AND m.removed_at IS NULL " +
    "GROUP BY a.id ORDER BY photos DESC LIMIT 5",
  "SELECT rowid, title, tags FROM photo_search WHERE photo_search MATCH 'snow OR reykjavik' ORDER BY rank LIMIT 5",
  "SELECT kind, outcome, photos, api_calls FROM sync_runs"
]

/** A glimpse of the file store: a few album folders with their first entries, and the collections. */
const showFolders = (store: string): string => {
  const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [])
  const albums = list(path.join(store, "albums")).slice(0, 3).flatMap((album) => {
    const entries = list(path.join(store, "albums", album))
    return [
      `  albums/${album}/`,
      ...entries.slice(0, 3).map((entry) => `    ${entry} -> ${fs.readlinkSync(path.join(store, "albums", album, entry))}`),
      ...(entries.length > 3 ? [`    ... ${formatCount(entries.length - 3)} more`] : [])
    ]
  })
  const collections = list(path.join(store, "collections")).slice(0, 3).map((c) => `  collections/${c}/ (${list(path.join(store, "collections", c)).join(", ")})`)
  return `\nThe file store ${store}:\n${[...albums, ...collections].join("\n")}\n`
}

/**
 * A folder as a photographer's own disk holds one: copies of some downloaded originals, smaller
 * exports of other photos (their camera date, a quarter of their size), files never uploaded, a
 * broken one.
 */
const writeOwnPictures = (simulator: FlickrSimulator, store: string, dir: string) => {
  const originals = fs.readdirSync(path.join(store, "originals"), { recursive: true, encoding: "utf8" })
    .filter((f) => /\d+\.jpg$/.test(f)).sort().slice(0, 8)
  fs.mkdirSync(path.join(dir, "Copies"), { recursive: true })
  for (const f of originals) fs.copyFileSync(path.join(store, "originals", f), path.join(dir, "Copies", path.basename(f)))
  const copied = new Set(originals.map((f) => path.basename(f, ".jpg")))
  const exported = simulator.liveIds().filter((id) => {
    const item = simulator.photo(id)
    return !copied.has(id) && item?.media === "photo" && Number(item.datetakenunknown ?? 0) === 0 && item.width_o !== undefined
  }).slice(0, 6)
  fs.mkdirSync(path.join(dir, "Exports"), { recursive: true })
  for (const id of exported) {
    const item = simulator.photo(id)!
    const bytes = cameraJpeg({ width: Math.round(Number(item.width_o) / 4), height: Math.round(Number(item.height_o) / 4), taken: String(item.datetaken) })
    fs.writeFileSync(path.join(dir, "Exports", `export ${id}.jpg`), bytes)
  }
  fs.mkdirSync(path.join(dir, "Phone"), { recursive: true })
  for (const [i, taken] of ["1999-12-31 23:59:58", "1999-12-31 23:59:59", "2000-01-01 00:00:00"].entries()) {
    fs.writeFileSync(path.join(dir, "Phone", `IMG_000${i}.jpg`), cameraJpeg({ width: 320, height: 240, taken, look: i }))
  }
  fs.writeFileSync(path.join(dir, "Phone", "IMG_0009.heic"), "not a photo")
}

export const demo = (options: { readonly home: Option.Option<string>; readonly photos: number }) =>
  Effect.scoped(
    Effect.gen(function*() {
      const simulator = yield* Effect.acquireRelease(
        Effect.promise(() => startSimulator({ photos: options.photos, autoApprove: true })),
        (s) => Effect.promise(() => s.close())
      )
      const home = Option.getOrElse(options.home, () => fs.mkdtempSync(path.join(os.tmpdir(), "fbk-demo-")))
      const common = { home: Option.some(home), db: Option.none(), quiet: false }
      const base = Layers.base(common, { restUrl: simulator.restUrl, oauthUrl: simulator.oauthUrl })
      process.stdout.write(
        `fbk demo: a simulated Flickr account of ${formatCount(options.photos)} photos at ${simulator.restUrl}\n` +
          `Demo home: ${home}\n\n$ fbk setup\n`
      )
      yield* setup({
        noBrowser: false,
        force: true,
        timeout: Duration.seconds(30),
        keys: { apiKey: simulator.apiKey, apiSecret: Redacted.make(simulator.apiSecret) }
      }).pipe(
        Effect.provide(Layers.setup),
        Effect.provide(Layer.mergeAll(base, UserInput.fixed([]), Browser.approvingFetch))
      )
      process.stdout.write("\n$ fbk backup\n")
      // As the command runs it: with no file store yet, it ends saying how many files `fbk download` would fetch.
      yield* afterSync("backup", backup({ numPages: Option.none(), pageNum: Option.none(), perPage: 500 }), { files: "if-store", details: false }).pipe(
        Effect.provide(Layers.sync),
        Effect.provide(base)
      )
      // Unpadded files: a demo's few hundred MB, not the gigabytes of real originals.
      for (const id of simulator.liveIds()) simulator.setOriginalBytes(id, 0)
      process.stdout.write(`\n$ fbk download --home ${home}\n`)
      yield* download(DOWNLOAD_DEFAULTS).pipe(
        Effect.provide(Layers.sync),
        Effect.provide(base)
      )
      process.stdout.write(showFolders(path.join(home, "files")))
      const ownPictures = path.join(home, "My Pictures")
      writeOwnPictures(simulator, path.join(home, "files"), ownPictures)
      process.stdout.write(`\n$ fbk link --home ${home} "${ownPictures}"\n`)
      yield* link({ folders: [ownPictures], json: false }).pipe(Effect.provide(Layers.link), Effect.provide(base))
      process.stdout.write(`\n$ fbk status --home ${home}\n`)
      yield* status({ json: false }).pipe(Effect.provide(Layers.status), Effect.provide(base))
      process.stdout.write(`\n$ fbk search --home ${home} --limit 5 beach\n`)
      yield* search({ query: "beach", limit: 5, json: false }).pipe(Effect.provide(Layers.repositories), Effect.provide(base))
      const database = path.join(home, "flickr_backup.sqlite")
      process.stdout.write(
        `\nThe demo database is ${database}. Queries to try (with the sqlite3 shell, or any SQLite client):\n` +
          QUERIES.map((q) => `  sqlite3 "${database}" "${q}"`).join("\n") +
          "\n" +
          `\nThe demo left everything (database, files, "My Pictures") in ${home}; to remove it:\n  rm -rf "${home}"\n` +
          `\nBrowse the demo archive in your web browser (Ctrl-C stops it):\n  fbk serve --home "${home}" --open\n`
      )
    })
  )

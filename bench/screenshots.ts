// `npm run screenshots`: the README's pictures of the viewer, taken in Debian's Chromium
// (playwright-core) from the demo archive that `fbk demo` builds; writes PNGs into docs/.
import Database from "better-sqlite3"
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { chromium, type Page } from "playwright-core"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const fbkBin = path.join(root, "dist/fbk.js")
const docs = path.join(root, "docs")
const CHROMIUM = process.env.FBK_CHROMIUM ?? "/usr/bin/chromium"
const DEMO_PHOTOS = 400
/** Above this a PNG weighs the repository down: the script says so. */
const MAX_BYTES = 300 * 1024

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

/** What the pages show: photos picked from the demo's database, so the pictures have something in them. */
interface Picks {
  readonly photo: string
  readonly album: string
}

interface Shot {
  readonly file: string
  readonly viewport: { readonly width: number; readonly height: number }
  readonly path: (picks: Picks) => string
}

/** Every picture, one row each: add a page here (map, collections, tags...) and rerun. */
const SHOTS: ReadonlyArray<Shot> = [
  { file: "viewer-timeline.png", viewport: DESKTOP, path: () => "/" },
  { file: "viewer-photo.png", viewport: DESKTOP, path: (p) => `/photos/${p.photo}?in=album:${p.album}` },
  { file: "viewer-album.png", viewport: DESKTOP, path: (p) => `/albums/${p.album}` },
  { file: "viewer-albums.png", viewport: DESKTOP, path: () => "/albums" },
  { file: "viewer-collections.png", viewport: DESKTOP, path: () => "/collections" },
  { file: "viewer-tags.png", viewport: DESKTOP, path: () => "/tags" },
  { file: "viewer-search.png", viewport: DESKTOP, path: () => "/search?q=beach" },
  { file: "viewer-map.png", viewport: DESKTOP, path: () => "/map" },
  { file: "viewer-status.png", viewport: DESKTOP, path: () => "/status" },
  { file: "viewer-timeline-phone.png", viewport: PHONE, path: () => "/" }
]

/** The album with the most members, and in it a titled photo (not a video) with tags. */
const pick = (database: string): Picks => {
  const db = new Database(database, { readonly: true, fileMustExist: true })
  try {
    const album = db.prepare(
      `SELECT album_id FROM album_photos WHERE removed_at IS NULL GROUP BY album_id ORDER BY count(*) DESC, album_id LIMIT 1`
    ).pluck().get() as string | undefined
    if (album === undefined) throw new Error("the demo archive has no album")
    const photo = db.prepare(
      `SELECT p.id FROM album_photos ap JOIN photos p ON p.id = ap.photo_id JOIN files f ON f.photo_id = p.id AND f.role <> 'replaced'
       WHERE ap.album_id = ? AND ap.removed_at IS NULL AND p.media = 'photo' AND p.title <> '' AND p.tags <> ''
       ORDER BY ap.position LIMIT 1`
    ).pluck().get(album) as string | undefined
    if (photo === undefined) throw new Error("the demo archive's largest album has no titled photo with a file")
    return { photo, album }
  } finally {
    db.close()
  }
}

/** `fbk serve` on the home, and the URL it printed. */
const serve = (home: string) =>
  new Promise<{ url: URL; child: ChildProcess }>((resolve, reject) => {
    const child = spawn(process.execPath, [fbkBin, "serve", "--home", home, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      const line = /^(http:\/\/\S+)\n/.exec(out)
      if (line !== null) resolve({ url: new URL(line[1]!), child })
    })
    child.once("exit", (code) => reject(new Error(`fbk serve ended (${code}) before it printed its URL`)))
  })

/** Waits until every image on the screen has loaded (polled: the CSP forbids the string form of waitForFunction). */
const settled = async (page: Page, height: number) => {
  await page.waitForLoadState("networkidle")
  const deadline = Date.now() + 20_000
  const loaded = () =>
    page.locator("img").evaluateAll((images, bottom) =>
      images.every((img) => img.getBoundingClientRect().top >= bottom || Boolean(img.complete)), height)
  while (!(await loaded())) {
    if (Date.now() > deadline) throw new Error(`the images of ${page.url()} never loaded`)
    await page.waitForTimeout(100)
  }
}

const main = async () => {
  if (!fs.existsSync(fbkBin)) throw new Error(`${fbkBin} is missing: run \`npm run build\` first`)
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-screenshots-"))
  try {
    console.log(`Building the demo archive (${DEMO_PHOTOS} photos) in ${home}...`)
    const demo = spawnSync(process.execPath, [fbkBin, "demo", "--home", home, "--photos", String(DEMO_PHOTOS)], { stdio: "ignore" })
    if (demo.status !== 0) throw new Error(`fbk demo failed (${demo.status})`)
    const picks = pick(path.join(home, "flickr_backup.sqlite"))
    const { url, child } = await serve(home)
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
    })
    try {
      fs.mkdirSync(docs, { recursive: true })
      for (const shot of SHOTS) {
        const page = await browser.newPage({ viewport: shot.viewport, deviceScaleFactor: 1 })
        await page.goto(new URL(shot.path(picks), url).href)
        await settled(page, shot.viewport.height)
        const file = path.join(docs, shot.file)
        await page.screenshot({ path: file })
        await page.close()
        const bytes = fs.statSync(file).size
        console.log(`${path.relative(root, file)}: ${shot.viewport.width}x${shot.viewport.height}, ${Math.round(bytes / 1024)} KB`)
        if (bytes > MAX_BYTES) console.log(`  over ${MAX_BYTES / 1024} KB: too heavy for the repository`)
      }
    } finally {
      await browser.close()
      child.kill("SIGTERM")
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(`screenshots: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})

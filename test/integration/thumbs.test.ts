// `fbk thumbs` as a user runs it after `fbk download`: every photo's thumbnail and every video's
// (from its poster) made once, a second run makes none, --size large, bad input; verify and status
// with posters in the store.
import * as fs from "node:fs"
import * as path from "node:path"
import { chromium } from "playwright-core"
import sharp from "sharp"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { createHash } from "node:crypto"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectOneLineError,
  expectSuccess,
  removeTempDirs,
  runCli,
  runCliInProcess,
  setUpHome,
  startCli,
  startSim,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

interface PictureRow {
  readonly photo_id: string
  readonly media: string
  readonly role: string
  readonly path: string
  readonly sha256: string
}

/** The files thumbnails are made from: each photo's current file, each video's poster. */
const pictureRows = (home: string): Array<PictureRow> =>
  withDb(dbPath(home), (db) =>
    db.prepare(`SELECT f.photo_id, p.media, f.role, f.path, f.sha256 FROM files f JOIN photos p ON p.id = f.photo_id
                WHERE (p.media = 'video' AND f.role = 'poster') OR (p.media <> 'video' AND f.role NOT IN ('replaced', 'poster'))
                ORDER BY f.id`).all() as Array<PictureRow>)

const thumbOf = (home: string, sha256: string, size: string) => path.join(home, "thumbs", sha256.slice(0, 2), `${sha256}-${size}.jpg`)

describe("fbk thumbs", () => {
  it("makes every photo's and every video's (poster's) thumbnail once; again makes none; --size large; verify and status with posters", async () => {
    const sim = await startSim({ photos: 80, seed: 91 })
    const home = await setUpHome(sim, "thumbs")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["backup", "-q"], env))
    const download = await runCliInProcess(["download"], env)
    expectSuccess(download)
    expect(download.stdout).toMatch(/^Posters: \d+ video posters? \(/m)

    const pictures = pictureRows(home)
    const posters = pictures.filter((r) => r.role === "poster")
    expect(posters.length).toBeGreaterThan(0)
    for (const poster of posters) expect(poster.path).toMatch(/^originals\/(\d{4}\/\d\d|undated)\/\d+\.poster\.jpg$/)

    const first = await runCli(["thumbs"], env)
    expectSuccess(first)
    expect(first.stdout).toMatch(new RegExp(`^Thumbnails: ${pictures.length} made, 0 already there, 0 thumbnails could not be made in`, "m"))
    for (const row of pictures) {
      const meta = await sharp(thumbOf(home, row.sha256, "small")).metadata()
      expect(meta.format, row.path).toBe("jpeg")
      expect(meta.height!, row.path).toBeLessThanOrEqual(400)
      expect(meta.width!, row.path).toBeLessThanOrEqual(1200)
      expect(fs.existsSync(thumbOf(home, row.sha256, "large")), row.path).toBe(false)
    }

    const again = await runCliInProcess(["thumbs"], env)
    expectSuccess(again)
    expect(again.stdout).toMatch(new RegExp(`^Thumbnails: 0 made, ${pictures.length} already there,`, "m"))

    const large = await runCliInProcess(["thumbs", "--size", "all"], env)
    expectSuccess(large)
    expect(large.stdout).toMatch(new RegExp(`^Thumbnails: ${pictures.length} made, ${pictures.length} already there,`, "m"))
    for (const row of pictures) {
      const meta = await sharp(thumbOf(home, row.sha256, "large")).metadata()
      expect(Math.max(meta.width!, meta.height!), row.path).toBeLessThanOrEqual(2048)
    }

    // Posters are files like the others to verify; status counts originals only.
    const verify = await runCliInProcess(["verify"], env)
    expectSuccess(verify)
    const recorded = withDb(dbPath(home), (db) => (db.prepare("SELECT count(*) AS n FROM files").get() as { n: number }).n)
    expect(verify.stdout).toMatch(new RegExp(`^Verify: ${recorded} files read back; 0 missing, 0 altered`, "m"))
    fs.renameSync(path.join(home, "files", posters[0]!.path), path.join(home, "gone.jpg"))
    const broken = await runCliInProcess(["verify"], env)
    expect(broken.code).not.toBe(0)
    expect(broken.stdout).toContain(`missing: ${posters[0]!.path} (photo ${posters[0]!.photo_id}; not on disk)`)
    const status = await runCliInProcess(["status"], env)
    expectSuccess(status)
    const originals = recorded - posters.length
    expect(status.stdout).toMatch(new RegExp(`Files: +${originals} of \\d+ on disk`))
  }, 180_000)

  it("fbk serve: Flickr's sized copy for a photo not downloaded, marked online only; then a video's poster as its thumbnail and the video at /originals", async () => {
    const sim = await startSim({ photos: 80, seed: 91 })
    const home = await setUpHome(sim, "thumbs-serve")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["backup", "-q"], env))
    const serve = startCli(["serve", "--port", "0"], env, 150_000)
    try {
      const base = (await serve.waitForStdout(/^(http:\/\/\S+)\n/m))[1]!
      const get = (address: string) => fetch(new URL(address, base), { redirect: "manual" })
      const photo = withDb(dbPath(home), (db) =>
        db.prepare("SELECT id, server, secret FROM photos WHERE media = 'photo' ORDER BY id LIMIT 1").get() as { id: string; server: string; secret: string })
      const remote = await get(`/thumbs/${photo.id}/small`)
      expect(remote.status).toBe(302)
      expect(remote.headers.get("location")).toBe(`https://live.staticflickr.com/${photo.server}/${photo.id}_${photo.secret}_w.jpg`)
      expect((await get(`/thumbs/${photo.id}/large`)).headers.get("location")).toMatch(/_b\.jpg$/)
      const timeline = await get("/")
      expect(timeline.headers.get("content-security-policy")).toMatch(/img-src 'self' data: https:\/\/live\.staticflickr\.com/)
      const page = await timeline.text()
      expect(page).toContain("from Flickr (online only)")
      expect(page).toContain('data-offline="/placeholder/offline.svg"')
      const offline = await get("/placeholder/offline.svg")
      expect(offline.headers.get("content-type")).toMatch(/^image\/svg\+xml/)
      expect(await offline.text()).toContain("Flickr cannot be reached")
      expect((await get("/placeholder/%3Cscript%3E.svg")).status).toBe(404)
      // In a browser, Flickr's copies cannot load here (no such photos there, or no network): the script swaps in the placeholder.
      const browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
      })
      try {
        const tab = await browser.newPage()
        await tab.goto(base)
        // Polled from here: the string form of waitForFunction evals in the page, which the viewer's CSP forbids.
        await expect.poll(() =>
          tab.evaluate(
            `[...document.querySelectorAll("img.online-only")].some((img) => img.dataset.swapped === "1" && img.complete && img.naturalWidth > 0 && img.src.endsWith("/placeholder/offline.svg"))`
          ), { timeout: 30_000 }).toBe(true)
      } finally {
        await browser.close()
      }

      expectSuccess(await runCliInProcess(["download", "-q"], env))
      const video = withDb(dbPath(home), (db) =>
        db.prepare(`SELECT v.photo_id, v.path AS video, p.sha256 AS poster FROM files v JOIN files p ON p.photo_id = v.photo_id AND p.role = 'poster'
                    WHERE v.role NOT IN ('replaced', 'poster') ORDER BY v.id LIMIT 1`).get() as { photo_id: string; video: string; poster: string })
      const thumb = await get(`/thumbs/${video.photo_id}/small`)
      expect(thumb.status).toBe(200)
      const thumbBytes = new Uint8Array(await thumb.arrayBuffer())
      expect(thumbBytes).toEqual(new Uint8Array(fs.readFileSync(thumbOf(home, video.poster, "small"))))
      const original = await get(`/originals/${video.photo_id}`)
      expect(original.status).toBe(200)
      const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")
      expect(sha(new Uint8Array(await original.arrayBuffer()))).toBe(sha(fs.readFileSync(path.join(home, "files", video.video))))
      expect((await get(`/thumbs/${photo.id}/small`)).status).toBe(200)
    } finally {
      serve.child.kill("SIGTERM")
      await serve.done
    }
  }, 180_000)

  it("--size other than small, large or all is one line and exit non-zero", async () => {
    const sim = await startSim({ photos: 3, seed: 2 })
    const home = await setUpHome(sim, "thumbs-bad")
    const result = await runCliInProcess(["thumbs", "--size", "huge"], cliEnv(home, sim))
    expectOneLineError(result)
  }, 60_000)
})

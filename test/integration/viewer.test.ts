// `fbk serve` in Debian's Chromium (playwright-core) over a home built from the simulator's account
// with details and files: the timeline and its pager with and without JavaScript, click-through
// from a photo to its album and on in the album's order, the arrow keys, a video that plays by
// Range, a deleted photo, an export-only home, signals, and readers beside a writer.
import Database from "better-sqlite3"
import * as fs from "node:fs"
import * as path from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import { generateAccount, writeExport } from "../support/FlickrExport.js"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectSuccess,
  removeTempDirs,
  runCliInProcess,
  setUpHome,
  startCli,
  startSim,
  tempDir,
  withDb
} from "./support.js"
import { expectVisibleImagesLoaded, launchBrowser, playableFilm, rawRequest, type Serving, serveHome } from "./viewerSupport.js"

const CHUNK = 120
const PHOTOS = 130

let sim: FlickrSimulator
let home: string
let server: Serving
let browser: Browser
/** The album the click-through follows, its members in the album's order (not the timeline's). */
let walk: { readonly id: string; readonly members: ReadonlyArray<string> }
let deletedId: string
let videoId: string
/** A home built from Flickr's export alone, and its account. */
let exported: { readonly home: string; readonly account: ReturnType<typeof generateAccount> }

const buildExportHome = async () => {
  const account = generateAccount({ photos: 8, albums: 1, videoEvery: 4 })
  const dir = tempDir("viewer-export")
  await writeExport(path.join(dir, "export"), account, { mediaZips: 1 })
  const exportHome = path.join(dir, "home")
  expectSuccess(await runCliInProcess(["import-export", path.join(dir, "export")], cliEnv(exportHome)))
  return { home: exportHome, account }
}

/** Every photo in the timeline's order: newest taken first, then by id. */
const timelineIds = (): Array<string> =>
  withDb(dbPath(home), (db) =>
    db.prepare("SELECT id FROM photos ORDER BY coalesce(date_taken, '') DESC, id DESC").pluck().all() as Array<string>)

const albumOrder = (album: string): Array<string> =>
  withDb(dbPath(home), (db) =>
    db.prepare("SELECT photo_id FROM album_photos WHERE album_id = ? AND removed_at IS NULL ORDER BY position, photo_id").pluck()
      .all(album) as Array<string>)

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

/** Each photo's month heading, from its date taken in the database. */
const monthsOf = (ids: ReadonlyArray<string>): Array<string> =>
  withDb(dbPath(home), (db) => {
    const taken = db.prepare("SELECT date_taken FROM photos WHERE id = ?").pluck()
    return ids.map((id) => {
      const date = taken.get(id) as string | null
      return date === null ? "No date" : `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`
    })
  })

const tileIds = (page: Page) => page.locator(".listing a.tile").evaluateAll((tiles) => tiles.map((t) => String(t.dataset.id)))

const at = (path: string, base: URL = server.url) => new URL(path, base).href

beforeAll(async () => {
  const exportBuilt = buildExportHome()
  const browserLaunched = launchBrowser()
  sim = await startSim({ photos: PHOTOS, albums: 3, seed: 18 })
  home = await setUpHome(sim, "viewer")
  const live = sim.liveIds()
  // An album whose order is not the timeline's: the last of six photos first.
  const chosen = live.slice(20, 26)
  const albumId = sim.createAlbum("A walk", chosen)
  sim.reorderAlbum(albumId, [...chosen].reverse())
  sim.addComment(chosen[0]!, "Lovely light.")
  const env = cliEnv(home, sim)
  expectSuccess(await runCliInProcess(["backup", "--details", "-q"], env))
  expectSuccess(await runCliInProcess(["download", "-q"], env))
  deletedId = live[60]!
  sim.remove([deletedId])
  expectSuccess(await runCliInProcess(["update", "-q"], env))
  browser = await browserLaunched
  // The simulator's films carry no stream a browser plays: put one Chromium recorded in the store.
  videoId = withDb(dbPath(home), (db) =>
    db.prepare("SELECT id FROM photos WHERE media = 'video' AND deleted_at IS NULL ORDER BY id LIMIT 1").pluck().get() as string)
  const film = withDb(dbPath(home), (db) =>
    db.prepare("SELECT s.destination || '/' || f.path FROM files f, file_store s WHERE f.photo_id = ? AND f.role <> 'replaced'").pluck()
      .get(videoId) as string)
  fs.writeFileSync(film, await playableFilm(browser))
  walk = { id: albumId, members: albumOrder(albumId) }
  server = await serveHome(home)
  exported = await exportBuilt
}, 120_000)

afterAll(async () => {
  await browser?.close()
  if (server !== undefined) expect((await server.stop("SIGINT")).code).toBe(0)
  await closeSimulators()
  removeTempDirs()
})

describe("fbk serve in a browser", () => {
  it("prints one line, the loopback URL", () => {
    expect(server.cli.stdout()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\n$/)
  })

  it("the timeline: thumbnails that load, month headings, newest first; scrolling appends the next chunk once", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: Array<string> = []
    page.on("pageerror", (error) => errors.push(error.message))
    await page.goto(server.url.href)
    expect(await expectVisibleImagesLoaded(page)).toBeGreaterThan(4)
    const order = timelineIds()
    const firstMonths = [...new Set(monthsOf(order.slice(0, CHUNK)))]
    expect(order).toHaveLength(PHOTOS)
    expect(await tileIds(page)).toEqual(order.slice(0, CHUNK))
    expect(await page.locator(".month h3").allInnerTexts()).toEqual(firstMonths)
    expect(await page.locator('a[rel="next"]').getAttribute("href")).toBe(`/?after=${order[CHUNK - 1]}`)
    await page.locator(".pager").scrollIntoViewIfNeeded()
    await expect.poll(() => tileIds(page), { timeout: 15_000 }).toEqual(order)
    // A month or year that carries on over the chunk's edge keeps one heading.
    const months = await page.locator(".month").evaluateAll((sections) => sections.map((s) => String(s.dataset.month)))
    expect(months).toEqual([...new Set(monthsOf(order))])
    const years = await page.locator("h2.year").evaluateAll((headings) => headings.map((h) => String(h.dataset.year)))
    expect(new Set(years).size).toBe(years.length)
    expect(await page.locator('a[rel="next"]').count()).toBe(0)
    expect(await page.locator(".pager .end").count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })

  it("the rel=next link works without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    // Without script every lazy image loads at once; the pager is what this test is about.
    await context.route("**/thumbs/**", (route) => route.abort())
    const page = await context.newPage()
    await page.goto(server.url.href)
    const order = timelineIds()
    expect(await tileIds(page)).toEqual(order.slice(0, CHUNK))
    await page.locator('a[rel="next"]').click()
    await page.waitForURL(/\?after=/)
    expect(await tileIds(page)).toEqual(order.slice(CHUNK))
    await context.close()
  })

  it("timeline → photo → its album → a photo → Next follows the album's order; the arrow keys step too", async () => {
    const page = await browser.newPage()
    await page.goto(server.url.href)
    const first = walk.members[0]!
    await page.locator(`a.tile[data-id="${first}"]`).click()
    await page.waitForURL(at(`/photos/${first}`))
    await expectVisibleImagesLoaded(page)
    await page.locator(`a[href="/albums/${walk.id}"]`).click()
    await page.waitForURL(at(`/albums/${walk.id}`))
    expect(await page.locator("h1").innerText()).toBe("A walk")
    expect(await tileIds(page)).toEqual(walk.members)
    await expectVisibleImagesLoaded(page)
    await page.locator(`a.tile[data-id="${walk.members[1]}"]`).click()
    await page.waitForURL(at(`/photos/${walk.members[1]}?in=album%3A${walk.id}`), { waitUntil: "domcontentloaded" })
    await page.locator('.stepper a[rel="next"]').click()
    await page.waitForURL(at(`/photos/${walk.members[2]}?in=album%3A${walk.id}`), { waitUntil: "domcontentloaded" })
    await page.keyboard.press("ArrowRight")
    await page.waitForURL(at(`/photos/${walk.members[3]}?in=album%3A${walk.id}`), { waitUntil: "domcontentloaded" })
    await page.keyboard.press("ArrowLeft")
    await page.waitForURL(at(`/photos/${walk.members[2]}?in=album%3A${walk.id}`), { waitUntil: "domcontentloaded" })
    // The album's last photo has no next.
    await page.goto(at(`/photos/${walk.members.at(-1)}?in=album:${walk.id}`), { waitUntil: "domcontentloaded" })
    expect(await page.locator('.stepper a[rel="next"]').count()).toBe(0)
    expect(await page.locator('.stepper a[rel="prev"]').getAttribute("href")).toBe(`/photos/${walk.members.at(-2)}?in=album%3A${walk.id}`)
    await page.close()
  })

  it("on the timeline, the arrow keys step in the timeline's order", async () => {
    const order = timelineIds()
    const page = await browser.newPage()
    await page.goto(at(`/photos/${order[5]}`), { waitUntil: "domcontentloaded" })
    await page.keyboard.press("ArrowRight")
    await page.waitForURL(at(`/photos/${order[6]}`), { waitUntil: "domcontentloaded" })
    await page.keyboard.press("ArrowLeft")
    await page.waitForURL(at(`/photos/${order[5]}`), { waitUntil: "domcontentloaded" })
    await page.keyboard.press("ArrowLeft")
    await page.waitForURL(at(`/photos/${order[4]}`), { waitUntil: "domcontentloaded" })
    await page.close()
  })

  it("tags: the list counts each tag as the database does; a tag's page shows its photos newest first, linked in the tag", async () => {
    const { tag, count } = withDb(dbPath(home), (db) =>
      db.prepare("SELECT tag, count(*) AS count FROM photo_tag_names GROUP BY tag ORDER BY count DESC, tag LIMIT 1").get() as {
        tag: string
        count: number
      })
    const newestFirst = withDb(dbPath(home), (db) =>
      db.prepare(`SELECT p.id FROM photo_tag_names t JOIN photos p ON p.id = t.photo_id WHERE t.tag = ?
                  ORDER BY coalesce(p.date_taken, '') DESC, p.id DESC`).pluck().all(tag) as Array<string>)
    const page = await browser.newPage()
    await page.goto(at("/tags"))
    const link = page.locator(`a[href="/tags/${encodeURIComponent(tag)}"]`)
    expect(await link.locator("xpath=following-sibling::span[1]").innerText()).toBe(String(count))
    await link.click()
    await page.waitForURL(at(`/tags/${encodeURIComponent(tag)}`))
    expect(await tileIds(page)).toEqual(newestFirst.slice(0, CHUNK))
    await expectVisibleImagesLoaded(page)
    await page.locator(`a.tile[data-id="${newestFirst[0]}"]`).click()
    await page.waitForURL(at(`/photos/${newestFirst[0]}?in=tag%3A${encodeURIComponent(tag)}`), { waitUntil: "domcontentloaded" })
    await page.keyboard.press("ArrowRight")
    await page.waitForURL(at(`/photos/${newestFirst[1]}?in=tag%3A${encodeURIComponent(tag)}`), { waitUntil: "domcontentloaded" })
    await page.close()
  })

  it("search from the header: the count of matches is the index's, and the photos link in the search", async () => {
    const word = "beach"
    const matches = withDb(dbPath(home), (db) =>
      db.prepare(`SELECT count(*) FROM photo_search s JOIN photos p ON p.id = CAST(s.rowid AS TEXT)
                  WHERE photo_search MATCH ? AND p.deleted_at IS NULL`).pluck().get(`"${word}"`) as number)
    expect(matches).toBeGreaterThan(1)
    const page = await browser.newPage()
    await page.goto(server.url.href)
    await page.locator('form.search input[name="q"]').fill(word)
    await page.keyboard.press("Enter")
    await page.waitForURL(at(`/search?q=${word}`))
    expect(await page.locator("main p.muted").first().innerText()).toContain(`${matches} photos match`)
    const ids = await page.locator("main a.tile").evaluateAll((tiles) => tiles.map((t) => String(t.dataset.id)))
    expect(ids).toHaveLength(Math.min(matches, 500))
    expect(await page.locator("a.tile").first().getAttribute("href")).toBe(`/photos/${ids[0]}?in=search%3A${word}`)
    await page.close()
  })

  it("the map: a cluster per place, every geotagged photo counted; a photo's marker opens its page", async () => {
    const located = withDb(dbPath(home), (db) =>
      (db.prepare("SELECT id, latitude, longitude FROM photos WHERE latitude IS NOT NULL AND NOT (latitude = 0 AND longitude = 0)")
        .all() as Array<{ id: string; latitude: number; longitude: number }>).map((p) => [p.id, p.latitude, p.longitude] as const))
    expect(located.length).toBeGreaterThan(1)
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
    await page.goto(at("/map"))
    await page.locator(".marker-cluster, .photo-pin").first().waitFor()
    expect(await page.locator("#map-status").innerText()).toContain(`${located.length}`)
    // The clusters hold every point between them.
    const clustered = await page.locator(".marker-cluster").evaluateAll((els) => els.reduce((n, el) => n + Number(el.textContent), 0))
    const single = await page.locator(".photo-pin").count()
    expect(clustered + single).toBe(located.length)
    // A photo with no other within ~5 km: focused, its marker stands alone, and a click opens it.
    const alone = located.find(([id, lat, lon]) =>
      located.every(([other, la, lo]) => other === id || Math.abs(la - lat) + Math.abs(lo - lon) > 0.1))
    if (alone !== undefined) {
      await page.goto(at(`/map?photo=${alone[0]}`))
      await page.locator(`.photo-preview img[src="/thumbs/${alone[0]}/small"]`).waitFor()
      const tip = (await page.locator(".photo-preview").boundingBox())!
      const pins = await page.locator(".photo-pin").evaluateAll((els) => els.map((el) => {
        const r = el.getBoundingClientRect()
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 }
      }))
      const nearest = pins.sort((a, b) => Math.hypot(a.x - tip.x - tip.width / 2, a.y - tip.y - tip.height) -
        Math.hypot(b.x - tip.x - tip.width / 2, b.y - tip.y - tip.height))[0]!
      await page.mouse.click(nearest.x, nearest.y)
      await page.waitForURL(at(`/photos/${alone[0]}`), { waitUntil: "domcontentloaded" })
    }
    await page.close()
  })

  it("collections, nested as in the database, and the status page", async () => {
    const live = withDb(dbPath(home), (db) =>
      db.prepare("SELECT id FROM collections WHERE deleted_at IS NULL ORDER BY id").pluck().all() as Array<string>)
    const page = await browser.newPage()
    await page.goto(at("/collections"))
    const shown = await page.locator("li.collection").evaluateAll((els) => els.map((el) => el.id.slice(1)))
    expect([...shown].sort()).toEqual(live)
    await page.goto(at("/status"))
    expect(await page.locator("main").innerText()).toMatch(/Photos\s+\d+ on Flickr, 1 deleted there \(kept here\)/)
    await page.close()
  })

  it("a photo's page shows its comments", async () => {
    const page = await browser.newPage()
    await page.goto(at(`/photos/${walk.members.at(-1)}`), { waitUntil: "domcontentloaded" })
    expect(await page.locator("main").innerText()).toContain("Lovely light.")
    await page.close()
  })

  it("a video plays from the local file by Range", async () => {
    const page = await browser.newPage()
    await page.goto(at(`/photos/${videoId}`))
    const ranged = await page.evaluate(async (href) => {
      const answer = await fetch(href, { headers: { range: "bytes=0-99" } })
      return { status: answer.status, length: (await answer.arrayBuffer()).byteLength, range: answer.headers.get("content-range") }
    }, at(`/originals/${videoId}`))
    expect(ranged).toMatchObject({ status: 206, length: 100 })
    expect(ranged.range).toMatch(/^bytes 0-99\/\d+$/)
    // Exactly the bytes asked for: the next answer on the kept-alive connection still parses.
    for (const range of ["bytes=0-99", "bytes=100-199", "bytes=-50"]) {
      const answer = await rawRequest(server.url, `/originals/${videoId}`, { headers: { range } })
      expect(answer.status, range).toBe(206)
      expect(answer.body.length, range).toBe(range === "bytes=-50" ? 50 : 100)
    }
    // HAVE_METADATA (1) or more: the browser read the film's header through the server.
    await expect.poll(() => page.locator("video").evaluate((video) => Number(video.readyState)), { timeout: 15_000 }).toBeGreaterThanOrEqual(1)
    expect(await page.locator("video").evaluate((video) => video.error === null)).toBe(true)
    await page.close()
  })

  it("a photo deleted on Flickr: its page says so; the timeline marks it", async () => {
    const page = await browser.newPage()
    const answer = await page.goto(at(`/photos/${deletedId}`))
    expect(answer?.status()).toBe(200)
    expect(await page.locator(".notice").innerText()).toMatch(/^Deleted on Flickr on \d{4}-\d\d-\d\d \d\d:\d\d; kept here\.$/)
    await expectVisibleImagesLoaded(page)
    const order = timelineIds()
    await page.goto(at(order.indexOf(deletedId) < CHUNK ? "/" : `/?after=${order[CHUNK - 1]}`), { waitUntil: "domcontentloaded" })
    expect(await page.locator(`a.tile[data-id="${deletedId}"] .badge.gone`).innerText()).toBe("deleted on Flickr")
    await page.close()
  })

  it("an unknown photo or album, or an address with no page: 404 with a page that says so", async () => {
    for (const target of ["/photos/1", "/albums/1", "/no/such/page"]) {
      const answer = await rawRequest(server.url, target)
      expect(answer.status, target).toBe(404)
      expect(answer.body.toString("utf8"), target).toContain("<h1>Not found</h1>")
    }
  })

  it("readers beside a writer: a server started while another process holds the write lock answers, and so does one while `fbk update` runs", async () => {
    const writer = new Database(dbPath(home))
    try {
      writer.exec("BEGIN IMMEDIATE")
      writer.prepare("UPDATE photos SET views = coalesce(views, 0) + 1").run()
      const second = await serveHome(home)
      try {
        for (const target of ["/", `/photos/${walk.members[0]}`, `/albums/${walk.id}`, "/albums"]) {
          expect((await rawRequest(second.url, target)).status, target).toBe(200)
        }
      } finally {
        writer.exec("ROLLBACK")
        expect((await second.stop("SIGTERM")).code).toBe(0)
      }
    } finally {
      writer.close()
    }
    sim.upload(5)
    sim.edit(10)
    const update = startCli(["update", "-q"], cliEnv(home, sim))
    update.child.stdin!.end()
    let answered = 0
    while (update.child.exitCode === null) {
      expect((await rawRequest(server.url, "/")).status).toBe(200)
      answered += 1
    }
    expectSuccess(await update.done)
    expect(answered).toBeGreaterThan(0)
    expect(await tileIds(await openPage("/"))).toEqual(timelineIds().slice(0, CHUNK))
  })
})

const openPage = async (target: string): Promise<Page> => {
  const page = await browser.newPage()
  await page.goto(at(target))
  return page
}

describe("fbk serve on an export-only home", () => {
  it("serves the timeline and a photo page of a home built from Flickr's export alone; SIGTERM exits 0", async () => {
    const { account } = exported
    const own = await serveHome(exported.home)
    try {
      const page = await browser.newPage()
      await page.goto(own.url.href)
      const ids = await tileIds(page)
      expect([...ids].sort()).toEqual(account.photos.map((p) => p.id).sort())
      await expectVisibleImagesLoaded(page)
      const photo = account.photos.find((p) => !p.video)!
      await page.locator(`a.tile[data-id="${photo.id}"]`).click()
      await page.waitForURL(at(`/photos/${photo.id}`, own.url))
      expect(await page.locator("aside h1").innerText()).toBe(photo.name)
      await expectVisibleImagesLoaded(page)
      await page.close()
    } finally {
      expect((await own.stop("SIGTERM")).code).toBe(0)
    }
  })
})

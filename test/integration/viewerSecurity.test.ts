// `fbk serve` against hostile input: other people's text carrying script, event handlers,
// javascript: links and frames renders as harmless text in Chromium; Host header, traversal,
// methods, the Content-Security-Policy, the token mode; and bad command-line input.
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  cliEnv,
  closeSimulators,
  CREDENTIALS_FILE,
  DB_FILE,
  dbPath,
  expectOneLineError,
  expectSuccess,
  removeTempDirs,
  runCli,
  runCliInProcess,
  setUpHome,
  startSim,
  tempDir,
  withDb
} from "./support.js"
import { launchBrowser, type RawAnswer, rawRequest, type Serving, serveHome } from "./viewerSupport.js"

/** Each payload sets window.__pwned (or opens a dialog) if it ever runs. */
const PAYLOADS = {
  script: `<script>window.__pwned = "script"</script>`,
  onerror: `<img src=x onerror="window.__pwned='onerror'">`,
  onload: `<svg onload="window.__pwned='onload'"></svg><body onload=alert(1)>`,
  link: `<a href="javascript:window.__pwned='link'">click me</a>`,
  iframe: `<iframe src="javascript:parent.__pwned='iframe'"></iframe>`
}
const HOSTILE = Object.values(PAYLOADS).join(" ")
/** A tag is one word: Flickr's listing joins tags with spaces. */
const HOSTILE_TAG = `<img/src=x/onerror=window.__pwned=1>`

let home: string
let server: Serving
let browser: Browser
let photoId: string
let albumId: string

beforeAll(async () => {
  const sim = await startSim({ photos: 12, albums: 1, seed: 66 })
  home = await setUpHome(sim, "viewer-security")
  photoId = sim.liveIds()[3]!
  sim.edit([photoId], { title: `${PAYLOADS.script}${PAYLOADS.onerror}`, description: HOSTILE, tags: `plain ${HOSTILE_TAG}` })
  albumId = sim.createAlbum(`${PAYLOADS.onerror}${PAYLOADS.iframe}`, [photoId, sim.liveIds()[4]!])
  sim.editAlbum(albumId, { description: HOSTILE })
  sim.addComment(photoId, HOSTILE)
  sim.addNote(photoId, HOSTILE, { x: 10, y: 10, w: 50, h: 50 })
  const env = cliEnv(home, sim)
  expectSuccess(await runCliInProcess(["backup", "--details", "-q"], env))
  expectSuccess(await runCliInProcess(["download", "-q"], env))
  await closeSimulators()
  server = await serveHome(home)
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (server !== undefined) expect((await server.stop()).code).toBe(0)
  await closeSimulators()
  removeTempDirs()
})

/** Opens `target`, lets its script run, and fails on anything a payload could have done. */
const expectHarmless = async (target: string): Promise<Page> => {
  const page = await browser.newPage()
  const dialogs: Array<string> = []
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const answer = await page.goto(new URL(target, server.url).href, { waitUntil: "load" })
  expect(answer?.status(), target).toBe(200)
  await page.waitForTimeout(200)
  expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned), target).toBeUndefined()
  expect(dialogs, target).toEqual([])
  // No frame or plug-in, and no script in the page's body but data.
  expect(await page.locator(`iframe, object, embed, main script:not([type="application/json"])`).count(), target).toBe(0)
  expect(await page.locator('[href^="javascript:" i], [src^="javascript:" i]').count(), target).toBe(0)
  const handlers = await page.locator("*").evaluateAll((elements) =>
    elements.flatMap((element) => Array.from(element.attributes as ArrayLike<{ name: string }>).map((a) => a.name).filter((name) => name.startsWith("on")))
  )
  expect(handlers, target).toEqual([])
  return page
}

describe("fbk serve with hostile text in the archive", () => {
  it("titles, descriptions, tags and album text render as text, and nothing in them runs", async () => {
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT title FROM photos WHERE id = ?").pluck().get(photoId))).toContain("<script>")
    const photo = await expectHarmless(`/photos/${photoId}`)
    expect(await photo.locator("aside h1").innerText()).toBe(`${PAYLOADS.script}${PAYLOADS.onerror}`)
    const description = await photo.locator("aside .description").innerText()
    expect(description).toContain(`<script>window.__pwned = "script"</script>`)
    expect(description).toContain("click me")
    expect(await photo.locator(`.tags a`).allInnerTexts()).toContain(HOSTILE_TAG)
    await photo.close()
    await (await expectHarmless(`/photos/${photoId}?in=album:${albumId}`)).close()
    const album = await expectHarmless(`/albums/${albumId}`)
    expect(await album.locator("h1").innerText()).toBe(`${PAYLOADS.onerror}${PAYLOADS.iframe}`)
    expect(await album.locator(".description").innerText()).toContain(PAYLOADS.script)
    await album.close()
    const albums = await expectHarmless("/albums")
    expect(await albums.locator(".card .title").allInnerTexts()).toContain(`${PAYLOADS.onerror}${PAYLOADS.iframe}`)
    await albums.close()
    const timeline = await expectHarmless("/")
    expect(await timeline.locator(`a.tile[data-id="${photoId}"] img`).getAttribute("alt")).toBe(`${PAYLOADS.script}${PAYLOADS.onerror}`)
    await timeline.close()
  })

  it("a Host header that does not name the server: 403", async () => {
    for (const host of [`evil.example:${server.url.port}`, "evil.example", `127.0.0.1:${Number(server.url.port) + 1}`, `localhost.evil.example:${server.url.port}`]) {
      const answer = await rawRequest(server.url, "/", { headers: { host } })
      expect(answer.status, host).toBe(403)
      expectGuarded(answer)
    }
    for (const host of [`localhost:${server.url.port}`, `LOCALHOST:${server.url.port}`, `[::1]:${server.url.port}`]) {
      expect((await rawRequest(server.url, "/", { headers: { host } })).status, host).toBe(200)
    }
  })

  it("traversal and paths from the URL: 404, and the database and credentials never come back", async () => {
    const database = fs.readFileSync(path.join(home, DB_FILE)).subarray(0, 100)
    const credentials = fs.readFileSync(path.join(home, CREDENTIALS_FILE), "utf8")
    const secret = Object.values(JSON.parse(credentials) as Record<string, unknown>).filter((v) => typeof v === "string" && v.length > 8)
    const targets = [
      `/${DB_FILE}`,
      `/${CREDENTIALS_FILE}`,
      `/../${DB_FILE}`,
      `/assets/../${DB_FILE}`,
      `/assets/%2e%2e/${DB_FILE}`,
      `/assets/..%2f${CREDENTIALS_FILE}`,
      `/assets/%2e%2e%2f${CREDENTIALS_FILE}`,
      `/assets/%2fetc%2fpasswd`,
      "/assets//etc/passwd",
      "/assets/..%5c..%5cetc%5cpasswd",
      `/thumbs/..%2f..%2f${DB_FILE}/small`,
      `/thumbs/${photoId}/..%2f..%2f${DB_FILE}`,
      `/thumbs/%2e%2e/small`,
      `/originals/..%2f${DB_FILE}`,
      `/originals/%2e%2e%2f${CREDENTIALS_FILE}`,
      "/originals/%2Fetc%2Fpasswd",
      `/originals/${encodeURIComponent(path.join(home, DB_FILE))}`,
      "/originals//etc/passwd"
    ]
    for (const target of targets) {
      const answer = await rawRequest(server.url, target)
      expect(answer.status, target).toBe(404)
      expectGuarded(answer)
      expect(answer.body.includes(database), target).toBe(false)
      expect(answer.body.includes("root:x:0:0"), target).toBe(false)
      for (const value of secret) expect(answer.body.includes(String(value)), target).toBe(false)
    }
  })

  it("POST, PUT, DELETE and PATCH: 405, with Allow; HEAD answers without a body", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      for (const target of ["/", `/photos/${photoId}`, "/assets/viewer.js"]) {
        const answer = await rawRequest(server.url, target, { method })
        expect(answer.status, `${method} ${target}`).toBe(405)
        expect(answer.headers.allow).toBe("GET, HEAD")
        expectGuarded(answer)
      }
    }
    const head = await rawRequest(server.url, `/photos/${photoId}`, { method: "HEAD" })
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
  })

  it("the Content-Security-Policy is on every answer: pages, files, ranges, redirects, refusals", async () => {
    const targets = ["/", `/photos/${photoId}`, "/albums", `/albums/${albumId}`, `/thumbs/${photoId}/small`, `/originals/${photoId}`, "/assets/viewer.css", "/nothing"]
    for (const target of targets) expectGuarded(await rawRequest(server.url, target))
    expectGuarded(await rawRequest(server.url, `/originals/${photoId}`, { headers: { range: "bytes=0-9" } }))
  })
})

/** The headers every answer carries. */
const expectGuarded = (answer: RawAnswer) => {
  expect(answer.headers["content-security-policy"]).toMatch(/^default-src 'self';.*script-src 'self'; style-src 'self';/)
  expect(answer.headers["x-content-type-options"]).toBe("nosniff")
  expect(answer.headers["x-frame-options"]).toBe("DENY")
}

describe("fbk serve beyond loopback", () => {
  it("prints a URL with a token; without it 401, with it a 303 that sets an HttpOnly SameSite=Strict cookie, which then works; a wrong token 401", async () => {
    const open = await serveHome(home, ["--host", "0.0.0.0"])
    try {
      const token = open.url.searchParams.get("token")
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/)
      expect(open.cli.stdout().split("\n").filter((l) => l !== "")).toEqual([open.url.href])
      // The server listens on every address; 127.0.0.1 names it too.
      const local = new URL(`http://127.0.0.1:${open.url.port}/`)
      for (const target of ["/", `/photos/${photoId}`, `/originals/${photoId}`, "/assets/viewer.js", "/?token=wrong", `/?token=${token}x`]) {
        const answer = await rawRequest(local, target)
        expect(answer.status, target).toBe(401)
        expectGuarded(answer)
      }
      expect((await rawRequest(local, "/", { headers: { cookie: "fbk_token=wrong" } })).status).toBe(401)
      const entry = await rawRequest(local, `/photos/${photoId}?in=album%3A${albumId}&token=${token}`)
      expect(entry.status).toBe(303)
      expect(entry.headers.location).toBe(`/photos/${photoId}?in=album%3A${albumId}`)
      const cookie = entry.headers["set-cookie"]?.[0] ?? ""
      expect(cookie).toMatch(/HttpOnly/)
      expect(cookie).toMatch(/SameSite=Strict/)
      // The redirect stays on this server, whatever the path.
      for (const target of [`//evil.example/?token=${token}`, `/.//evil.example/x?token=${token}`, `/%2e//evil.example?token=${token}`]) {
        const away = await rawRequest(local, target)
        expect(away.status, target).toBe(303)
        expect(away.headers.location, target).toMatch(/^\/(?![/\\])/)
      }
      const pair = cookie.split(";")[0]!
      expect(pair).toBe(`fbk_token=${token}`)
      const page = await rawRequest(local, entry.headers.location!, { headers: { cookie: `other=1; ${pair}` } })
      expect(page.status).toBe(200)
      expect(page.body.toString("utf8")).toContain("<!doctype html>")
      // In a browser: the printed URL lands on the page, and the next address needs no token.
      const context = await browser.newContext()
      const tab = await context.newPage()
      const landed = await tab.goto(new URL(`/?token=${token}`, local).href)
      expect(landed?.status()).toBe(200)
      expect(tab.url()).toBe(local.href)
      expect((await tab.goto(new URL("/albums", local).href))?.status()).toBe(200)
      await context.close()
    } finally {
      expect((await open.stop("SIGINT")).code).toBe(0)
    }
  })
})

describe("fbk serve with bad input", () => {
  it("--port abc, --port 70000, a bad --tiles, a port in use, a home never set up: one line, non-zero exit, no stack trace", async () => {
    const env = cliEnv(home)
    expectOneLineError(await runCli(["serve", "--port", "abc"], env), /--port/)
    expectOneLineError(await runCliInProcess(["serve", "--port", "70000"], env), /--port/)
    expectOneLineError(await runCliInProcess(["serve", "--tiles", "ftp://tiles.example/{z}/{x}/{y}.png"], env), /--tiles must be an http\(s\) URL/)
    expectOneLineError(await runCliInProcess(["serve", "--tiles", "https://tiles.example/map.png"], env), /--tiles must be an http\(s\) URL/)
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
    const port = (taken.address() as net.AddressInfo).port
    try {
      expectOneLineError(await runCliInProcess(["serve", "--port", String(port)], env), new RegExp(`port ${port} is already in use`))
    } finally {
      taken.close()
    }
    const nowhere = path.join(tempDir("viewer-nowhere"), "home")
    expectOneLineError(await runCliInProcess(["serve", "--port", "0"], cliEnv(nowhere)), /fbk setup/)
    expect(fs.existsSync(nowhere)).toBe(false)
  })
})

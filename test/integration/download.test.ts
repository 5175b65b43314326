// `fbk download` and `fbk verify` as a user runs them, over the simulator's image servers: every
// file byte for byte, nothing fetched twice, a kill -9 mid-transfer resumed, every file fault
// survived, replaced originals kept, free accounts and video originals that fail, bad input.
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectOneLineError,
  expectSuccess,
  removeTempDirs,
  runCliInProcess,
  setUpHome,
  startCli,
  startSim,
  waitFor,
  withDb
} from "./support.js"
import type { FileRow } from "../support/FileRows.js"
import { type Item, restJson } from "../support/SignedRest.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const fileRows = (home: string): Array<FileRow> =>
  withDb(dbPath(home), (db) => db.prepare("SELECT * FROM files ORDER BY photo_id, id").all() as Array<FileRow>)

const problemRows = (home: string): Array<{ photo_id: string; problem: string }> =>
  withDb(dbPath(home), (db) => db.prepare("SELECT photo_id, problem FROM file_problems ORDER BY photo_id").all() as Array<{ photo_id: string; problem: string }>)

const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** What the simulator serves as the photo's original now, hashed. */
const servedOriginal = async (sim: FlickrSimulator, id: string): Promise<string | undefined> => {
  const file = sim.originalFile(id)
  if (file === undefined) return undefined
  return sha256Of(new Uint8Array(await (await fetch(file.url)).arrayBuffer()))
}

/** Every recorded file is on disk with the recorded bytes; every photo original equals what Flickr serves. */
const expectFilesExact = async (home: string, sim: FlickrSimulator) => {
  const store = path.join(home, "files")
  for (const row of fileRows(home)) {
    const bytes = fs.readFileSync(path.join(store, row.path))
    expect(bytes.length, row.path).toBe(row.bytes)
    expect(sha256Of(bytes), row.path).toBe(row.sha256)
    if (row.role === "original") expect(row.sha256, row.path).toBe(await servedOriginal(sim, row.photo_id))
  }
  // Nothing half-written left beside a final name.
  expect(partFiles(path.join(store, "originals"))).toEqual([])
}

const IN_FLIGHT_SLACK = 1024 * 1024

/** The `.part` files (broken transfers) under `dir`, which holds no links. */
const partFiles = (dir: string): Array<string> =>
  fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".part")).map((f) => path.join(dir, f))

const backedUp = async (sim: FlickrSimulator, label: string) => {
  const home = await setUpHome(sim, label)
  expectSuccess(await runCliInProcess(["backup", "-q"], cliEnv(home, sim)))
  sim.resetStats()
  return home
}

describe("fbk download", () => {
  it("fetches every photo's original and every video's file, exactly; status counts them; a second run makes no request", async () => {
    const sim = await startSim({ photos: 80, seed: 91 })
    const home = await backedUp(sim, "download")
    const env = cliEnv(home, sim)
    const result = await runCliInProcess(["download"], env)
    expectSuccess(result)
    expect(result.stdout).toMatch(/^Download: \d+ files \([\d.,]+ (?:bytes|KB|MB|GB)\) in/m)
    const rows = fileRows(home)
    const live = sim.liveIds()
    expect(new Set(rows.map((r) => r.photo_id))).toEqual(new Set(live))
    const photos = live.filter((id) => sim.photo(id)!.media !== "video")
    const videos = live.filter((id) => sim.photo(id)!.media === "video")
    expect(videos.length).toBeGreaterThan(0)
    // Photos: the original from url_o, no API call; videos: one getSizes call each.
    for (const id of photos) expect(rows.find((r) => r.photo_id === id)?.role).toBe("original")
    expect(sim.stats().byMethod).toEqual({ "flickr.photos.getSizes": videos.length })
    for (const row of rows.filter((r) => r.role === "largest available")) expect(row.not_original_reason).not.toBeNull()
    // The simulator serves some videos' originals (others have none, or one that answers 404).
    expect(rows.some((r) => r.role === "video original")).toBe(true)
    // Album folders: an entry per member, each resolving to that photo's file.
    const albumsDir = path.join(home, "files", "albums")
    const entries = fs.readdirSync(albumsDir).filter((f) => f !== "(not in any album)")
      .flatMap((folder) => fs.readdirSync(path.join(albumsDir, folder)).map((entry) => path.join(albumsDir, folder, entry)))
    expect(entries.length).toBe(sim.albums().reduce((sum, id) => sum + sim.album(id)!.photoIds.length, 0))
    for (const entry of entries) {
      const id = /^\d+ (\d+)\./.exec(path.basename(entry))![1]!
      expect(sha256Of(fs.readFileSync(entry)), entry).toBe(rows.find((r) => r.photo_id === id)!.sha256)
    }
    await expectFilesExact(home, sim)
    for (const row of rows.filter((r) => r.role === "original")) expect(row.path).toMatch(/^(originals\/\d{4}\/\d\d|originals\/undated)\/\d+\.\w+$/)

    const status = JSON.parse((await runCliInProcess(["status", "--json"], env)).stdout) as { files: Record<string, unknown> }
    // A video's poster (its url_o) is recorded beside it, and status counts the photos' own files only.
    const posters = rows.filter((r) => r.role === "poster")
    expect(posters.length).toBeGreaterThan(0)
    for (const poster of posters) expect(sim.photo(poster.photo_id)!.media).toBe("video")
    expect(status.files).toMatchObject({ on_disk: rows.length - posters.length, expected: live.length, problems: 0 })

    sim.resetStats()
    const again = await runCliInProcess(["download"], env)
    expectSuccess(again)
    expect(again.stdout).toMatch(/nothing to fetch/)
    expect(sim.stats()).toMatchObject({ restCalls: 0, fileRequests: 0 })
  })

  it("survives every fault of the image servers: 429 with Retry-After, 503, a reset, a cut-short body; every file exact", async () => {
    const sim = await startSim({ photos: 30, seed: 92 })
    const home = await backedUp(sim, "faults")
    // Waiting a Retry-After out is FileTransfer's unit tests' to show, by the TestClock, not two real seconds here.
    sim.injectFileFault({ kind: "http429", count: 2, retryAfterSeconds: 0 })
    sim.injectFileFault({ kind: "http503", count: 2 })
    sim.injectFileFault({ kind: "reset", count: 2, afterBytes: 1000 })
    sim.injectFileFault({ kind: "truncated", count: 2 })
    expectSuccess(await runCliInProcess(["download", "--concurrency", "2"], cliEnv(home, sim)))
    expect(problemRows(home)).toEqual([])
    expect(new Set(fileRows(home).map((r) => r.photo_id))).toEqual(new Set(sim.liveIds()))
    await expectFilesExact(home, sim)
  })

  it("killed (-9) mid-transfer: the next run completes with nothing corrupt and little fetched again", async () => {
    const sim = await startSim({ photos: 12, seed: 93 })
    const home = await backedUp(sim, "kill")
    const big = sim.liveIds().filter((id) => sim.photo(id)!.media !== "video").slice(0, 3)
    for (const id of big) sim.setOriginalBytes(id, 60 * 1024 * 1024)
    const total = sim.liveIds().reduce((sum, id) => sum + (sim.originalFile(id)?.bytes ?? 0), 0)
    const env = cliEnv(home, sim)
    const cli = startCli(["download", "--concurrency", "2"], env)
    cli.child.stdin!.end()
    await waitFor(() => (sim.stats().fileBytes > 40 * 1024 * 1024 ? true : undefined), { timeoutMs: 30_000, what: "40 MiB fetched" })
    cli.child.kill("SIGKILL")
    await cli.done
    const partial = partFiles(path.join(home, "files", "originals"))
    const kept = partial.reduce((sum, file) => sum + fs.statSync(file).size, 0)
    expect(kept).toBeGreaterThan(0)
    const recorded = fileRows(home)
    const recordedBytes = recorded.reduce((sum, row) => sum + row.bytes, 0)
    // A file renamed into place in the instant before its row was written is fetched again whole.
    const store = path.join(home, "files")
    const originals = path.join(store, "originals")
    const unrecorded = fs.readdirSync(originals, { recursive: true, encoding: "utf8" })
      .map((f) => path.join("originals", f))
      .filter((f) => !f.includes(".part") && fs.statSync(path.join(store, f)).isFile() && !recorded.some((r) => r.path === f))
      .reduce((sum, f) => sum + fs.statSync(path.join(store, f)).size, 0)
    const before = sim.stats().fileBytes
    expectSuccess(await runCliInProcess(["download"], env))
    // Resumed with Range: neither the files recorded nor the bytes the broken transfers left on
    // disk are fetched again; only the rest.
    expect(new Set(fileRows(home).map((r) => r.photo_id)).size).toBe(sim.liveIds().length)
    const refetched = sim.stats().fileBytes - before
    expect(refetched).toBeGreaterThanOrEqual(total - recordedBytes - kept)
    // The server may still count a chunk or two it wrote to the killed process's socket.
    expect(refetched).toBeLessThanOrEqual(total - recordedBytes - kept + unrecorded + IN_FLIGHT_SLACK)
    await expectFilesExact(home, sim)
    expect(new Set(fileRows(home).map((r) => r.photo_id))).toEqual(new Set(sim.liveIds()))
    expectSuccess(await runCliInProcess(["verify"], env))
  }, 120_000)

  it("a replaced original: the next update and download keep the old file beside the new one, both in files", async () => {
    const sim = await startSim({ photos: 20, seed: 94 })
    const home = await backedUp(sim, "replace")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    const id = sim.liveIds().find((i) => sim.photo(i)!.media !== "video")!
    const oldHash = fileRows(home).find((r) => r.photo_id === id)!.sha256
    sim.replace(id)
    expectSuccess(await runCliInProcess(["update", "--files", "-q"], env))
    const rows = fileRows(home).filter((r) => r.photo_id === id)
    expect(rows.map((r) => r.role).sort()).toEqual(["original", "replaced"])
    expect(rows.find((r) => r.role === "replaced")!.sha256).toBe(oldHash)
    expect(rows.find((r) => r.role === "replaced")!.path).toMatch(/\.replaced-\d{4}-\d\d-\d\d-\d+\.\w+$/)
    await expectFilesExact(home, sim)
  })

  it("a photo deleted on Flickr keeps its file and its row; the folders drop it", async () => {
    const sim = await startSim({ photos: 20, seed: 98 })
    const home = await backedUp(sim, "deleted")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    const member = sim.album(sim.albums()[0]!)!.photoIds[0]!
    const row = fileRows(home).find((r) => r.photo_id === member)!
    sim.remove([member])
    expectSuccess(await runCliInProcess(["update", "--files", "-q"], env))
    expect(fileRows(home).find((r) => r.photo_id === member)).toEqual(row)
    expect(sha256Of(fs.readFileSync(path.join(home, "files", row.path)))).toBe(row.sha256)
    const entries = fs.readdirSync(path.join(home, "files", "albums"), { recursive: true, encoding: "utf8" })
    expect(entries.some((entry) => entry.includes(` ${member}.`))).toBe(false)
  })

  it("details read a downloaded original's EXIF from the file, no getExif call, named and valued as getExif names them", async () => {
    const sim = await startSim({ photos: 25, seed: 99 })
    const home = await backedUp(sim, "exif-from-file")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    sim.resetStats()
    expectSuccess(await runCliInProcess(["details", "-q"], env))
    const photos = sim.liveIds().filter((id) => sim.photo(id)!.media !== "video")
    expect(sim.stats().byMethod["flickr.photos.getInfo"]).toBe(sim.liveIds().length)
    expect(sim.stats().byMethod["flickr.photos.getExif"] ?? 0).toBe(0)
    const stored = withDb(dbPath(home), (db) =>
      db.prepare("SELECT photo_id, tagspace, tag, raw, source FROM exif").all() as Array<Record<string, string>>)
    expect(new Set(stored.map((r) => r.source))).toEqual(new Set(["file"]))
    // What getExif answers for the same photo, for the tags both name: the same tagspace, tag and value.
    let compared = 0
    for (const id of photos.slice(0, 8)) {
      const answer = (await restJson(sim, { method: "flickr.photos.getExif", photo_id: id })).photo as Item
      for (const tag of (answer.exif as Array<Item> | undefined) ?? []) {
        const mine = stored.find((r) => r.photo_id === id && r.tagspace === tag.tagspace && r.tag === tag.tag)
        if (mine === undefined || !["Make", "Model", "DateTimeOriginal"].includes(String(tag.tag))) continue
        expect(mine.raw, `${id} ${String(tag.tagspace)}:${String(tag.tag)}`).toBe(String((tag.raw as Item)._content))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(0)
  })

  it("a free account: the largest size offered, recorded as not the original with why", async () => {
    const sim = await startSim({ photos: 10, seed: 95, freeAccount: true })
    const home = await backedUp(sim, "free")
    expectSuccess(await runCliInProcess(["download", "-q"], cliEnv(home, sim)))
    const rows = fileRows(home)
    expect(rows.length).toBe(sim.liveIds().length)
    for (const row of rows) {
      expect(row.role).toBe("largest available")
      expect(row.not_original_reason).toMatch(/no original|Video Original/)
    }
    await expectFilesExact(home, sim)
  })

  it("verify finds a file altered and one missing, exits non-zero; --repair sets the altered one aside and fetches both again", async () => {
    const sim = await startSim({ photos: 8, seed: 96 })
    const home = await backedUp(sim, "verify")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    expectSuccess(await runCliInProcess(["verify", "-q"], env))
    const [altered, missing] = fileRows(home)
    const store = path.join(home, "files")
    fs.appendFileSync(path.join(store, altered!.path), "edited")
    fs.rmSync(path.join(store, missing!.path))
    const found = await runCliInProcess(["verify"], env)
    expect(found.code).toBe(1)
    expect(found.stdout).toContain(`altered: ${altered!.path}`)
    expect(found.stdout).toContain(`missing: ${missing!.path}`)
    expect(found.stderr).toMatch(/^fbk: 1 file missing and 1 altered on disk/m)
    expectSuccess(await runCliInProcess(["verify", "--repair", "-q"], env))
    await expectFilesExact(home, sim)
    expect(fs.readdirSync(path.dirname(path.join(store, altered!.path))).some((f) => f.includes(".altered-"))).toBe(true)
    expectSuccess(await runCliInProcess(["verify", "-q"], env))
  })

  it("the store moved: the advice when it is missing is true, --dest at its new place takes it and fetches nothing; a --dest holding other things is refused", async () => {
    const sim = await startSim({ photos: 12, seed: 98 })
    const home = await backedUp(sim, "moved")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    const rows = fileRows(home)
    const store = path.join(home, "files")
    const moved = path.join(home, "elsewhere", "photos")
    fs.mkdirSync(path.dirname(moved))
    fs.renameSync(store, moved)
    expectOneLineError(await runCliInProcess(["download"], env), /is missing \(is its disk mounted\? If you moved the folder, give its new place with --dest\)/)
    const other = path.join(home, "other")
    fs.mkdirSync(other)
    fs.writeFileSync(path.join(other, "notes.txt"), "not photos")
    expectOneLineError(
      await runCliInProcess(["download", "--dest", other], env),
      /does not hold them \(\d+ of \d+ recorded files looked for are not there\); leave --dest out .* move the folder .* itself to .*other/
    )
    sim.resetStats()
    const taken = await runCliInProcess(["download", "--dest", moved], env)
    expectSuccess(taken)
    expect(taken.stdout).toContain(`File store: moved from ${store} to ${moved} (`)
    expect(taken.stdout).toMatch(/^Download: nothing to fetch into /m)
    expect(sim.stats().fileRequests + sim.stats().restCalls).toBe(0)
    expect(fileRows(home)).toEqual(rows)
    expect(fs.readdirSync(other)).toEqual(["notes.txt"])
    // Remembered: verify and download need no --dest from now on.
    expectSuccess(await runCliInProcess(["verify", "-q"], env))
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    expect(fs.existsSync(store)).toBe(false)
  })

  it("bad input: --concurrency 0, -1, abc, 17; a --dest that is a file: one line, non-zero, nothing recorded", async () => {
    const sim = await startSim({ photos: 5, seed: 97 })
    const home = await backedUp(sim, "bad-input")
    const env = cliEnv(home, sim)
    const file = path.join(home, "not-a-folder")
    fs.writeFileSync(file, "x")
    const before = withDb(dbPath(home), (db) => db.prepare("SELECT count(*) FROM file_store").pluck().get())
    for (const args of [["--concurrency", "0"], ["--concurrency", "-1"], ["--concurrency", "abc"], ["--concurrency", "17"], ["--dest", file]]) {
      expectOneLineError(await runCliInProcess(["download", ...args], env), args[0] === "--dest" ? /is not a folder/ : /concurrency/)
    }
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT count(*) FROM file_store").pluck().get())).toBe(before)
    expect(fileRows(home)).toEqual([])
    expect(sim.stats().fileRequests).toBe(0)
  })
})

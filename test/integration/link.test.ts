// `fbk link` as a user runs it, after a backup, details and download from the simulator: copies
// of downloaded files, smaller exports, files never uploaded and broken ones, linked and reported;
// a rerun reads nothing; status counts them; a folder that is not there changes nothing.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { cameraJpeg, writeFile } from "../../src/simulator/LocalLibrary.js"
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
  startSim,
  tempDir,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

interface Camera {
  readonly id: string
  readonly date_taken: string
  readonly width: number
  readonly height: number
  readonly make: string
  readonly model: string
}

/** Photos whose camera date no other photo shares, with their camera from getExif. */
const camerasOf = (home: string): Array<Camera> =>
  withDb(dbPath(home), (db) =>
    db.prepare(
      `SELECT p.id, p.date_taken, p.width, p.height,
         (SELECT raw FROM exif e WHERE e.photo_id = p.id AND e.tag = 'Make') AS make,
         (SELECT raw FROM exif e WHERE e.photo_id = p.id AND e.tag = 'Model') AS model
       FROM photos p
       WHERE p.media = 'photo' AND p.date_taken_unknown = 0 AND p.width IS NOT NULL
         AND (SELECT count(*) FROM photos q WHERE q.date_taken = p.date_taken) = 1
         AND EXISTS (SELECT 1 FROM exif e WHERE e.photo_id = p.id AND e.tag = 'Make')
       ORDER BY p.id`
    ).all() as Array<Camera>)

const storedFiles = (home: string): Array<{ photo_id: string; path: string }> =>
  withDb(dbPath(home), (db) => db.prepare("SELECT photo_id, path FROM files WHERE role NOT IN ('replaced', 'poster') ORDER BY photo_id").all() as Array<{ photo_id: string; path: string }>)

interface Report {
  readonly files: number
  readonly linked: number
  readonly linked_by: Record<string, number>
  readonly only_on_disk: number
  readonly only_on_flickr: number
  readonly unreadable: number
  readonly lists: { readonly only_on_disk: ReadonlyArray<string>; readonly only_on_flickr: ReadonlyArray<{ id: string }> }
  readonly this_run: { readonly seen: number; readonly read: number }
}

describe("fbk link", () => {
  it("links copies by their bytes and exports by their camera date and size, lists the rest; a rerun reads nothing", async () => {
    const sim = await startSim({ photos: 40, seed: 71 })
    const home = await setUpHome(sim, "link")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["backup", "-q", "--details"], env))
    expectSuccess(await runCliInProcess(["download", "-q", "--only", "photos"], env))

    const library = path.join(tempDir("link-library"), "Pictures")
    const stored = storedFiles(home).slice(0, 6)
    for (const file of stored) {
      fs.mkdirSync(path.join(library, "copies"), { recursive: true })
      fs.copyFileSync(path.join(home, "files", file.path), path.join(library, "copies", path.basename(file.path)))
    }
    const copied = new Set(stored.map((f) => f.photo_id))
    const exported = camerasOf(home).filter((c) => !copied.has(c.id)).slice(0, 4)
    expect(exported.length).toBe(4)
    for (const c of exported) {
      const bytes = cameraJpeg({ width: Math.round(c.width / 4), height: Math.round(c.height / 4), taken: c.date_taken, make: c.make, model: c.model })
      writeFile(library, `exports/${c.id} small.JPG`, bytes)
    }
    writeFile(library, "phone/never uploaded.jpg", cameraJpeg({ width: 300, height: 200, taken: "1990-01-01 00:00:00" }))
    writeFile(library, "phone/broken.heic", Buffer.from("not a photo"))

    const result = await runCli(["link", library, "--json"], env)
    expectSuccess(result)
    const report = JSON.parse(result.stdout) as Report
    expect(report).toMatchObject({
      files: 12,
      linked: 10,
      linked_by: { sha256: 6, exif: 4 },
      only_on_disk: 1,
      unreadable: 1,
      // Every photo is downloaded or linked: the videos, not downloaded, are Flickr's only copies.
      only_on_flickr: sim.liveIds().filter((id) => sim.photo(id)!.media === "video").length,
      this_run: { seen: 12, read: 12 }
    })
    expect(report.lists.only_on_disk).toEqual([path.join(fs.realpathSync(library), "phone/never uploaded.jpg")])
    const linkedIds = withDb(dbPath(home), (db) => db.prepare("SELECT photo_id FROM photo_links").all() as Array<{ photo_id: string }>)
    expect(new Set(linkedIds.map((l) => l.photo_id))).toEqual(new Set([...copied, ...exported.map((c) => c.id)]))
    expect(report.only_on_flickr).toBeGreaterThan(0)

    const human = await runCliInProcess(["link", library], env)
    expectSuccess(human)
    expect(human.stdout).toMatch(/^ {2}linked to a Flickr photo: 10 \(6 by bytes, 4 by exif\)$/m)
    expect(human.stderr).toMatch(/12 files under 1 folder, 0 read/)

    const status = JSON.parse((await runCliInProcess(["status", "--json"], env)).stdout) as { links: Record<string, unknown> }
    expect(status.links).toEqual({ files: 12, linked: 10, ambiguous: 0, only_on_disk: 1, unreadable: 1, only_on_flickr: report.only_on_flickr })
  })

  it("a folder that is not there, or none given: one line, non-zero, nothing written", async () => {
    const sim = await startSim({ photos: 5, seed: 72 })
    const home = await setUpHome(sim, "link-bad")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["backup", "-q"], env))
    const before = fs.readFileSync(dbPath(home))
    const missing = await runCliInProcess(["link", path.join(home, "no such folder")], env)
    expect(missing.code).not.toBe(0)
    expect(expectOneLineError(missing)).toMatch(/no such folder: it does not exist; nothing was changed/)
    const none = await runCliInProcess(["link"], env)
    expect(none.code).not.toBe(0)
    expectOneLineError(none)
    const file = await runCliInProcess(["link", dbPath(home)], env)
    expect(file.code).not.toBe(0)
    expect(expectOneLineError(file)).toMatch(/to be a directory/)
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT count(*) AS n FROM disk_files").get())).toEqual({ n: 0 })
    expect(fs.readFileSync(dbPath(home)).equals(before)).toBe(true)

    // A home never set up: no database is made for it.
    const empty = path.join(tempDir("link-no-home"), "home")
    fs.mkdirSync(empty)
    const unset = await runCliInProcess(["link", home], cliEnv(empty, sim))
    expect(unset.code).not.toBe(0)
    expect(expectOneLineError(unset)).toMatch(/fbk is not set up in .*fbk import-export/)
    expect(fs.readdirSync(empty)).toEqual([])
  })
})

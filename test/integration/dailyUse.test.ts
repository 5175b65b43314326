// `fbk show` and `fbk db-backup` as a user runs them (dist/fbk.js): show on a home with a backup,
// files, an album, a changed and a deleted photo, and on a home built from Flickr's export alone;
// db-backup while another fbk process holds the run lock and writes.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { generateAccount, writeExport } from "../support/FlickrExport.js"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectOneLineError,
  expectSuccess,
  integrityCheck,
  latestRun,
  removeTempDirs,
  runCli,
  runCliInProcess,
  setUpHome,
  startCli,
  startSim,
  tempDir,
  waitFor,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

describe("fbk show", () => {
  it("shows a photo's record, album, file, earlier version and deletion as stored; refuses unknown and malformed ids", async () => {
    const sim = await startSim({ photos: 40, albums: 2, seed: 191 })
    const home = await setUpHome(sim, "show")
    const env = cliEnv(home, sim)
    const [changed, gone] = [sim.liveIds()[5]!, sim.liveIds()[6]!]
    const album = sim.createAlbum("Harbour walk", [changed])
    expectSuccess(await runCliInProcess(["backup", "-q"], env))
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    sim.edit([changed], { title: "Harbour &amp; lights" })
    sim.remove([gone])
    expectSuccess(await runCliInProcess(["update", "-q"], env))

    const words = await runCli(["show", changed], env)
    expectSuccess(words)
    expect(words.stdout).toContain(`Photo ${changed}\nTitle:        Harbour & lights\n`)
    expect(words.stdout).toMatch(new RegExp(`^ {2}Harbour walk \\(${album}\\)$`, "m"))
    expect(words.stdout).toMatch(/^Earlier versions of the record \(1\)$/m)
    expect(words.stdout).toMatch(/^ {4}Title: .* -> Harbour & lights$/m)
    for (const line of words.stdout.trimEnd().split("\n")) expect(line.length, line).toBeLessThanOrEqual(80)

    const json = await runCliInProcess(["show", "--json", changed], env)
    expectSuccess(json)
    const report = JSON.parse(json.stdout)
    const stored = withDb(dbPath(home), (db) => ({
      photo: db.prepare("SELECT owner, path_alias, date_uploaded, last_update FROM photos WHERE id = ?").get(changed) as
        { owner: string; path_alias: string | null; date_uploaded: number; last_update: number },
      file: db.prepare("SELECT s.destination || '/' || f.path AS path, f.sha256, f.bytes FROM files f, file_store s WHERE f.photo_id = ?")
        .get(changed) as { path: string; sha256: string; bytes: number }
    }))
    expect(report).toMatchObject({
      id: changed,
      title: "Harbour & lights",
      uploaded: new Date(stored.photo.date_uploaded * 1000).toISOString(),
      updated: new Date(stored.photo.last_update * 1000).toISOString(),
      owner: { nsid: sim.user.nsid, username: sim.user.username },
      url: `https://www.flickr.com/photos/${stored.photo.path_alias ?? stored.photo.owner}/${changed}/`,
      deleted_on_flickr: null,
      albums: expect.arrayContaining([{ id: album, title: "Harbour walk", collections: [] }]),
      files: [{ path: stored.file.path, sha256: stored.file.sha256, bytes: stored.file.bytes }]
    })
    expect(fs.statSync(report.files[0].path).size).toBe(stored.file.bytes)
    expect(report.revisions[0].changes).toContainEqual(expect.objectContaining({ field: "Title", after: "Harbour & lights" }))

    const deleted = JSON.parse((await runCliInProcess(["show", "--json", gone], env)).stdout)
    expect(Date.parse(deleted.deleted_on_flickr)).toBeGreaterThan(0)
    expectOneLineError(await runCliInProcess(["show", "1"], env), /^fbk: the database holds no photo 1 \(`fbk search WORDS` finds a photo's id\)\n$/)
    expectOneLineError(await runCliInProcess(["show", "12ab"], env), /digits only \(got "12ab"\)/)
  }, 120_000)

  it("works on a home built from Flickr's export alone, with no network", async () => {
    const account = generateAccount({ photos: 4, albums: 1 })
    const dir = tempDir("show-export")
    await writeExport(path.join(dir, "export"), account, { mediaZips: 1 })
    const home = path.join(dir, "home")
    expectSuccess(await runCliInProcess(["import-export", path.join(dir, "export")], cliEnv(home)))
    const id = account.photos[0]!.id
    const result = await runCliInProcess(["show", "--json", id], cliEnv(home))
    expectSuccess(result)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({ id, source: "export" })
    expect(report.files).toHaveLength(1)
    expect(fs.existsSync(report.files[0].path)).toBe(true)
  }, 60_000)
})

describe("fbk db-backup", () => {
  it("copies a consistent database while a backup in another process holds the run lock and writes", async () => {
    // 120 pages of 25, each call 250 ms late: the backup writes a page at a time for half a minute at least.
    const sim = await startSim({ photos: 3_000, seed: 192, latencyMs: 250 })
    const home = await setUpHome(sim, "db-backup")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    const backup = startCli(["backup", "--per-page", "25", "-q"], env)
    backup.child.stdin!.end()
    await waitFor(() => {
      const run = latestRun(file)
      return run !== undefined && run.outcome === "running" && run.pages >= 3 ? run : undefined
    }, { timeoutMs: 25_000, what: "the backup to store three pages" })
    const copies = tempDir("db-copies")
    const counts: Array<number> = []
    for (const name of ["one.sqlite", "two.sqlite", "three.sqlite"]) {
      const target = path.join(copies, name)
      const result = await runCliInProcess(["db-backup", target], env)
      expectSuccess(result)
      expect(result.stdout).toMatch(new RegExp(`^Database copied to ${target} \\(\\d+(\\.\\d+)? (KB|MB)\\)\\n$`))
      expect(integrityCheck(target)).toEqual(["ok"])
      const copy = withDb(target, (db) => ({
        photos: db.prepare("SELECT count(*) FROM photos").pluck().get() as number,
        lock: db.prepare("SELECT command FROM run_lock").pluck().all() as Array<string>,
        run: db.prepare("SELECT outcome FROM sync_runs ORDER BY id DESC LIMIT 1").pluck().get() as string
      }))
      // Taken in the middle of the run: the lock row and the running run are in the copy.
      expect(copy).toMatchObject({ lock: ["backup"], run: "running" })
      counts.push(copy.photos)
    }
    expect(latestRun(file)?.outcome).toBe("running")
    expect(counts[0]).toBeGreaterThan(0)
    expect(counts[2]).toBeGreaterThanOrEqual(counts[0]!)
    expectSuccess(await backup.done)
    expect(fs.readdirSync(copies).sort()).toEqual(["one.sqlite", "three.sqlite", "two.sqlite"])
    expect(withDb(file, (db) => db.prepare("SELECT count(*) FROM photos").pluck().get())).toBe(3_000)

    expectOneLineError(await runCliInProcess(["db-backup", path.join(copies, "one.sqlite")], env), /it already exists \(--force replaces it\)/)
    const missing = path.join(copies, "missing", "x.sqlite")
    expectOneLineError(await runCliInProcess(["db-backup", missing], env), /the folder .*missing does not exist/)
    expect(fs.readdirSync(copies).sort()).toEqual(["one.sqlite", "three.sqlite", "two.sqlite"])
  }, 120_000)
})

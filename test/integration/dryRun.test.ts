// `fbk download --dry-run` and `fbk verify --repair --dry-run`: nothing under the home changes (every
// file hashed, the database's bytes and every table's rows), and the plan is what the real run then does.
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  dumpTable,
  expectOneLineError,
  expectSuccess,
  removeTempDirs,
  runCli,
  setUpHome,
  startSim,
  tableNames,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** Every name under `dir` with what it is: a file's hash, a link's target, a folder. */
const treeOf = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    const at = path.join(dir, name)
    const stats = fs.lstatSync(at)
    out[name] = stats.isSymbolicLink() ? `link ${fs.readlinkSync(at)}` : stats.isDirectory() ? "folder" : `file ${sha256(fs.readFileSync(at))}`
  }
  return out
}

/**
 * The whole home (the store and the database file's bytes) and every table's rows, read-only.
 * SQLite's -wal and -shm files are left out: the last connection to close removes them, empty.
 */
const snapshot = (home: string) => ({
  tree: Object.fromEntries(Object.entries(treeOf(home)).filter(([name]) => !/-(wal|shm)$/.test(name))),
  tables: Object.fromEntries(tableNames(dbPath(home)).map((t) => [t, dumpTable(dbPath(home), t)]))
})

const backedUp = async (sim: FlickrSimulator, label: string) => {
  const home = await setUpHome(sim, label)
  expectSuccess(await runCli(["backup", "-q"], cliEnv(home, sim)))
  sim.resetStats()
  return home
}

interface DryRun {
  readonly dry_run: true
  readonly folder: string
  readonly store: { readonly make: boolean; readonly record: boolean }
  readonly running: { readonly command: string } | null
  readonly set_aside?: { readonly count: number; readonly first: ReadonlyArray<{ readonly path: string; readonly to: string }> }
  readonly rows_forgotten?: number
  readonly fetch: {
    readonly files: number
    readonly size_unknown: number
    readonly bytes: number
    readonly kinds: Record<"photo_originals" | "videos" | "not_original" | "posters", { readonly files: number }>
    readonly reasons: Record<string, number>
    readonly get_sizes_calls: number
    readonly sample: ReadonlyArray<{ readonly path: string | null; readonly reason: string }>
  }
  readonly folders: {
    readonly entries_made: number
    readonly entries_removed: number
    readonly folders_made: { readonly count: number; readonly first: ReadonlyArray<string> }
    readonly folders_removed: { readonly count: number; readonly first: ReadonlyArray<string> }
    readonly changes: { readonly count: number; readonly first: ReadonlyArray<string> }
  }
}

/** A dry run with --json, the home unchanged by it. */
const dryRun = async (home: string, env: Record<string, string>, args: ReadonlyArray<string>) => {
  const before = snapshot(home)
  const result = await runCli([...args, "--dry-run", "--json"], env)
  expectSuccess(result)
  expect(snapshot(home)).toEqual(before)
  return JSON.parse(result.stdout) as { dry_run: DryRun; verify?: { missing: number; altered: number } }
}

const runJson = async (env: Record<string, string>, args: ReadonlyArray<string>) => {
  const result = await runCli([...args, "--json"], env)
  expectSuccess(result)
  return JSON.parse(result.stdout) as Record<string, Record<string, number>>
}

describe("fbk download --dry-run", () => {
  it("writes nothing (no store, no row, no lock), makes no request, and plans what the real run then fetches", async () => {
    const sim = await startSim({ photos: 40, seed: 31 })
    const home = await backedUp(sim, "dry-download")
    const env = cliEnv(home, sim)
    const { dry_run: plan } = await dryRun(home, env, ["download"])
    expect(sim.stats().fileRequests + sim.stats().restCalls).toBe(0)
    expect(fs.existsSync(path.join(home, "files"))).toBe(false)
    expect(plan.store).toEqual({ make: true, record: true, moved_from: null })
    expect(plan.running).toBeNull()
    expect(plan.fetch.reasons.new).toBe(plan.fetch.files)
    expect(plan.fetch.size_unknown).toBe(plan.fetch.files)
    expect(plan.fetch.sample).toHaveLength(20)
    expect(plan.fetch.get_sizes_calls).toBe(plan.fetch.kinds.videos.files)
    const human = await runCli(["download", "--dry-run"], env)
    expect(human.stdout).toMatch(/^Dry run: nothing was written\. fbk download would:$/m)
    expect(human.stdout).toMatch(new RegExp(`^- fetch ${plan.fetch.files} files \\(size unknown for ${plan.fetch.files}: Flickr's listing gives no sizes\\)`, "m"))
    expect(human.stdout).toContain(`  ... and ${plan.fetch.files - 20} more`)

    const real = await runJson(env, ["download"])
    expect(real.files!.wanted).toBe(plan.fetch.files - plan.fetch.kinds.posters.files)
    expect(real.posters?.wanted ?? 0).toBe(plan.fetch.kinds.posters.files)
    expect(real.files!.fetched).toBe(plan.fetch.files - plan.fetch.kinds.posters.files)
    // The sample's photo originals are named as the real run names them.
    const named = plan.fetch.sample.flatMap((f) => (f.path === null ? [] : [f.path]))
    expect(named.length).toBeGreaterThan(0)
    for (const p of named) expect(fs.existsSync(path.join(home, "files", p)), p).toBe(true)

    const again = await dryRun(home, env, ["download"])
    expect(again.dry_run.fetch.files).toBe(0)
    expect(again.dry_run.folders.changes.count).toBe(0)
  }, 120_000)

  it("folders: the folders and entries it plans to make and remove are the ones the real run makes and removes, in any link mode", async () => {
    const sim = await startSim({ photos: 14, albums: 3, seed: 32 })
    const home = await backedUp(sim, "dry-folders")
    const env = cliEnv(home, sim)
    expectSuccess(await runCli(["download", "-q"], env))
    const albums = path.join(home, "files", "albums")
    const folders = fs.readdirSync(albums).sort()
    fs.rmSync(albums, { recursive: true })
    const { dry_run: plan } = await dryRun(home, env, ["download", "--links", "copy"])
    expect(plan.fetch.files).toBe(0)
    expect([...plan.folders.folders_made.first].sort()).toEqual(folders.map((f) => path.join("albums", f)).sort())
    const real = await runJson(env, ["download", "--links", "copy"])
    expect(fs.readdirSync(albums).sort()).toEqual(folders)
    expect(real.folders!.entries_made).toBe(plan.folders.entries_made)
    expect(real.folders!.entries_removed).toBe(plan.folders.entries_removed)
    // Back to symbolic links: every copy removed and a link made, as planned.
    const back = (await dryRun(home, env, ["download", "--links", "symlink"])).dry_run
    expect(back.folders.entries_made).toBeGreaterThan(0)
    const done = await runJson(env, ["download", "--links", "symlink"])
    expect([done.folders!.entries_made, done.folders!.entries_removed]).toEqual([back.folders.entries_made, back.folders.entries_removed])
  }, 120_000)

  it("a replaced original is planned as changed, and a free account's photos as not the original, each with its getSizes call", async () => {
    const sim = await startSim({ photos: 8, seed: 36 })
    const home = await backedUp(sim, "dry-replaced")
    const env = cliEnv(home, sim)
    expectSuccess(await runCli(["download", "-q"], env))
    const id = sim.liveIds().find((i) => sim.photo(i)!.media !== "video")!
    sim.replace(id)
    expectSuccess(await runCli(["update", "--no-files", "-q"], env))
    const { dry_run: plan } = await dryRun(home, env, ["download"])
    expect(plan.fetch.files).toBe(1)
    expect(plan.fetch.reasons.changed).toBe(1)
    expect(plan.fetch.sample[0]).toMatchObject({ photo_id: id, kind: "photo_originals", reason: "changed" })
    expect((await runJson(env, ["download"])).files!.fetched).toBe(1)

    const free = await startSim({ photos: 8, seed: 37, freeAccount: true })
    const freeHome = await backedUp(free, "dry-free")
    const freeEnv = cliEnv(freeHome, free)
    const { dry_run: freePlan } = await dryRun(freeHome, freeEnv, ["download", "--only", "photos"])
    const photos = free.liveIds().filter((i) => free.photo(i)!.media !== "video").length
    expect(freePlan.fetch.kinds.not_original.files).toBe(photos)
    expect(freePlan.fetch.files).toBe(photos)
    expect(freePlan.fetch.get_sizes_calls).toBe(photos)
    expect(free.stats().restCalls).toBe(0)
    const real = await runJson(freeEnv, ["download", "--only", "photos"])
    expect(real.files!.not_original).toBe(freePlan.fetch.kinds.not_original.files)
  }, 120_000)

  it("--retry-problems: the problems are planned again (and kept); another run holding the lock is named, and its lock left", async () => {
    const sim = await startSim({ photos: 10, seed: 33 })
    const home = await backedUp(sim, "dry-retry")
    const env = cliEnv(home, sim)
    expectSuccess(await runCli(["download", "-q"], env))
    const photo = withDb(dbPath(home), (db) => db.prepare("SELECT photo_id FROM files WHERE role = 'original' LIMIT 1").pluck().get() as string)
    withDb(dbPath(home), (db) => {
      db.prepare("DELETE FROM files WHERE photo_id = ?").run(photo)
      db.prepare("INSERT INTO file_problems (photo_id, for_secret, problem, url, at) SELECT id, coalesce(original_secret, secret), 'gone', NULL, 1 FROM photos WHERE id = ?").run(photo)
      db.prepare("INSERT INTO run_lock (id, command, pid, token, taken_at) VALUES (1, 'backup', ?, 'theirs', ?)").run(process.pid, Math.floor(Date.now() / 1000))
    }, false)
    expect((await dryRun(home, env, ["download"])).dry_run.fetch.files).toBe(0)
    const retry = await runCli(["download", "--dry-run", "--retry-problems"], env)
    expectSuccess(retry)
    expect(retry.stderr).toContain(`fbk backup (pid ${process.pid}) is running now: what it changes may change this plan`)
    expect(retry.stdout).toMatch(/^- fetch 1 file \(size unknown for 1.*\): 1 photo original$/m)
    expect(retry.stdout).toMatch(/^ {2}why: 1 recorded problems asked for again$/m)
    expect((await dryRun(home, env, ["download", "--retry-problems"])).dry_run.running).toEqual({ command: "backup", pid: process.pid })
  })

  it("a store whose folder is missing: said as the real run says it, nothing written; bad input refused in one line", async () => {
    const sim = await startSim({ photos: 6, seed: 34 })
    const home = await backedUp(sim, "dry-missing")
    const env = cliEnv(home, sim)
    expectSuccess(await runCli(["download", "-q"], env))
    fs.renameSync(path.join(home, "files"), path.join(home, "away"))
    const before = snapshot(home)
    expectOneLineError(await runCli(["download", "--dry-run"], env), /the file store .*files is missing \(is its disk mounted\?/)
    expectOneLineError(await runCli(["verify", "--repair", "--dry-run"], env), /the file store .*files is missing/)
    const file = path.join(home, "away", "originals")
    expectOneLineError(await runCli(["download", "--dry-run", "--dest", path.join(home, "nowhere", "x"), "--only", "photos"], env), /does not hold them/)
    expectOneLineError(await runCli(["download", "--dry-run", "--concurrency", "0"], env), /concurrency/)
    expectOneLineError(await runCli(["verify", "--dry-run"], env), /--dry-run goes with --repair/)
    expect(fs.existsSync(file)).toBe(true)
    expect(snapshot(home)).toEqual(before)
  })
})

describe("fbk verify --repair --dry-run", () => {
  it("reads every file back, marks none verified, and plans the set-aside, the rows forgotten and the files fetched that the repair then does", async () => {
    const sim = await startSim({ photos: 8, seed: 35 })
    const home = await backedUp(sim, "dry-verify")
    const env = cliEnv(home, sim)
    expectSuccess(await runCli(["download", "-q"], env))
    const rows = withDb(dbPath(home), (db) => db.prepare("SELECT id, path, bytes FROM files WHERE role = 'original' ORDER BY id").all() as Array<{ id: number; path: string; bytes: number }>)
    const [altered, missing] = rows
    const store = path.join(home, "files")
    fs.appendFileSync(path.join(store, altered!.path), "edited")
    fs.rmSync(path.join(store, missing!.path))
    const { dry_run: plan, verify } = await dryRun(home, env, ["verify", "--repair"])
    expect(verify).toMatchObject({ missing: 1, altered: 1 })
    expect(plan.set_aside!.count).toBe(1)
    expect(plan.set_aside!.first[0]!.path).toBe(altered!.path)
    expect(plan.rows_forgotten).toBe(2)
    expect(plan.fetch.files).toBe(2)
    expect(plan.fetch.reasons).toMatchObject({ missing: 1, altered: 1 })
    expect(plan.fetch.bytes).toBe(altered!.bytes + missing!.bytes)
    const human = await runCli(["verify", "--repair", "--dry-run"], env)
    expect(human.stdout).toContain(`- set 1 altered file aside (renamed, not deleted) and forget 2 file rows`)
    expect(human.stdout).toContain(`  ${altered!.path} -> ${plan.set_aside!.first[0]!.to}`)

    expectSuccess(await runCli(["verify", "--repair", "-q"], env))
    expect(fs.existsSync(path.join(store, plan.set_aside!.first[0]!.to))).toBe(true)
    const after = withDb(dbPath(home), (db) => db.prepare("SELECT count(*) FROM files WHERE path IN (?, ?)").pluck().get(altered!.path, missing!.path))
    expect(after).toBe(2)
    expect((await dryRun(home, env, ["verify", "--repair"])).dry_run.fetch.files).toBe(0)
  }, 120_000)
})

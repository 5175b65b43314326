// One writer at a time, proven with real processes: two fbk commands started within
// milliseconds of each other on one database (many times over in lock.slow.test.ts); exactly one
// of them runs, the other exits with one line naming it, and the database stays exactly Flickr's. Read-only
// commands keep answering while a run holds the lock; with --wait, a second command waits for it.
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { raceRounds } from "./lockRace.js"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectExactly,
  expectSuccess,
  latestRun,
  removeTempDirs,
  runCli,
  setUpHome,
  startCli,
  startSim,
  syncRuns,
  waitFor,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

describe("one run at a time", () => {
  it("backup + backup, backup + update and details + update started together, once each: exactly one runs", () => raceRounds(1), 120_000)

  it("status and search answer while a backup holds the lock", async () => {
    const sim = await startSim({ photos: 3_000, seed: 82, latencyMs: 60 })
    const home = await setUpHome(sim, "readers")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    // Once three pages are stored, the next pages take 4 s each: the backup still holds the lock
    // while status and search run, however slow the machine.
    sim.afterCalls(4, () => sim.injectFault({ kind: "latency", count: 4, latencyMs: 4_000, method: "flickr.people.getPhotos" }))
    const backup = startCli(["backup", "--per-page", "100"], env)
    backup.child.stdin!.end()
    await waitFor(() => {
      const run = latestRun(file)
      return run !== undefined && run.outcome === "running" && run.pages >= 3 ? run : undefined
    }, { timeoutMs: 25_000, what: "the backup to store three pages" })
    const status = await runCli(["status", "--json"], env)
    const search = await runCli(["search", "photo"], env)
    expect(latestRun(file)?.outcome).toBe("running")
    expectSuccess(status)
    // A backup in progress is running, not pending (pending is an interrupted one that `fbk backup` resumes).
    expect(JSON.parse(status.stdout)).toMatchObject({ running: { command: "backup" }, pending: null })
    expectSuccess(search)
    expectSuccess(await backup.done)
    expectExactly(home, sim)
  })

  it("--wait: a second command waits for the run holding the lock, saying so in one line, then runs", async () => {
    const sim = await startSim({ photos: 3_000, seed: 83, latencyMs: 60 })
    const home = await setUpHome(sim, "waiting")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    // As above: the backup holds the lock for several seconds after its third page.
    sim.afterCalls(4, () => sim.injectFault({ kind: "latency", count: 3, latencyMs: 3_000, method: "flickr.people.getPhotos" }))
    const backup = startCli(["backup", "--per-page", "100", "-q"], env)
    backup.child.stdin!.end()
    await waitFor(() => {
      const run = latestRun(file)
      return run !== undefined && run.outcome === "running" && run.pages >= 3 ? run : undefined
    }, { timeoutMs: 25_000, what: "the backup to store three pages" })
    const waiting = startCli(["update", "--wait"], env)
    waiting.child.stdin!.end()
    await waitFor(() => (waiting.stderr().includes("waiting for") ? true : undefined), { timeoutMs: 20_000, what: "the waiting line" })
    // Still waiting while the backup runs: no update has started.
    expect(latestRun(file)).toMatchObject({ kind: "backup", outcome: "running" })
    expectSuccess(await backup.done)
    const update = await waiting.done
    expectSuccess(update)
    const said = update.stderr.split("\n").filter((line) => line.includes("waiting for"))
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/^fbk: waiting for fbk backup \(pid \d+, running since \d{4}-\d\d-\d\d \d\d:\d\d\) to finish\.\.\.$/)
    expect(syncRuns(file).map((r) => [r.kind, r.outcome])).toEqual([["backup", "succeeded"], ["update", "succeeded"]])
    expectExactly(home, sim)
    expect(withDb(file, (db) => db.prepare("SELECT count(*) FROM run_lock").pluck().get())).toBe(0)
  }, 120_000)
})

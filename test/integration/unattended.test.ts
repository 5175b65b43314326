// `fbk update` as cron runs it: whatever a backup left (a listing that did not add up because the
// account changed under it, a backup killed part-way) is finished by the next update, with no
// flag and no person, and the database ends exactly Flickr's photos with the deletions marked.
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectExactly,
  expectOneLineError,
  expectSuccess,
  latestRun,
  photoRows,
  removeTempDirs,
  runCliInProcess,
  setUpHome,
  startCli,
  startSim,
  syncRuns,
  waitFor,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

/** Every `every` REST calls, deletes `remove` photos and uploads `upload`, until stopped. */
const churn = (sim: FlickrSimulator, every: number, change: { readonly remove: number; readonly upload: number }) => {
  let running = true
  const removed: Array<string> = []
  const step = () => {
    if (!running) return
    removed.push(...sim.remove(change.remove))
    sim.upload(change.upload)
    sim.afterCalls(every, step)
  }
  sim.afterCalls(every, step)
  return {
    removed,
    stop: () => {
      running = false
    }
  }
}

describe("fbk update finishes what a backup left", () => {
  it("a backup whose listing never adds up under churn fails; once the churn stops, one update makes the database exact", async () => {
    const sim = await startSim({ photos: 3_000, seed: 71 })
    const home = await setUpHome(sim, "churn")
    const file = dbPath(home)
    const env = cliEnv(home, sim)

    const changes = churn(sim, 3, { remove: 2, upload: 1 })
    const backup = await runCliInProcess(["backup", "--quiet", "--per-page", "100"], env)
    changes.stop()
    expectOneLineError(backup, /^fbk: Flickr counts [\d,]+ photos but only [\d,]+ could be listed, so nothing was marked deleted; run `fbk backup` again\n$/)
    expect(syncRuns(file).map((r) => [r.kind, r.outcome])).toEqual([["backup", "failed"]])
    // Photos deleted while it ran are still live in the database: nothing was marked.
    const stored = new Set(photoRows(file).map((r) => r.id))
    const goneButStored = changes.removed.filter((id) => stored.has(id))
    expect(goneButStored.length).toBeGreaterThan(0)

    const update = await runCliInProcess(["update"], env)
    expectSuccess(update)
    expect(update.stderr).toMatch(/did not add up; listing it whole/)
    expectExactly(home, sim)
    const rows = new Map(photoRows(file).map((r) => [r.id, r]))
    for (const id of goneButStored) expect(rows.get(id)?.deleted_at, id).not.toBeNull()
    expect(syncRuns(file).map((r) => [r.kind, r.outcome])).toEqual([["backup", "failed"], ["update", "succeeded"]])

    // In step now: the next update is the cheap one again.
    sim.resetStats()
    expectSuccess(await runCliInProcess(["update"], env))
    expect(sim.stats().byMethod["flickr.people.getPhotos"]).toBe(1)
    expect(sim.stats().byMethod["flickr.photos.recentlyUpdated"]).toBe(1)
    expectExactly(home, sim)
  })

  it("a backup killed part-way is finished by the next update, which then does its own work, in one run", async () => {
    const sim = await startSim({ photos: 4_000, seed: 72, latencyMs: 40 })
    const home = await setUpHome(sim, "killed")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    const cli = startCli(["backup", "--per-page", "100"], env)
    await waitFor(() => {
      const run = latestRun(file)
      return run !== undefined && run.outcome === "running" && run.pages >= 5 ? run : undefined
    }, { timeoutMs: 25_000, what: "the backup to store five pages" })
    cli.child.kill("SIGKILL")
    await cli.done
    const killed = syncRuns(file)[0]!
    expect(killed.pages).toBeGreaterThanOrEqual(5)

    sim.edit(10)
    sim.remove(5)
    sim.upload(7)
    const update = await runCliInProcess(["update"], env)
    expectSuccess(update)
    expect(update.stderr).toMatch(/A backup was interrupted; finishing it before the update/)
    expect(update.stdout).toMatch(/^Backup: /m)
    expect(update.stdout).toMatch(/^Update: /m)
    expectExactly(home, sim)
    expect(syncRuns(file).map((r) => [r.id, r.kind, r.outcome])).toEqual([
      [killed.id, "backup", "succeeded"],
      [killed.id + 1, "update", "succeeded"]
    ])
  })

  it("a first backup that stored nothing is the user's to start: update refuses and changes nothing", async () => {
    const sim = await startSim({ photos: 50, seed: 73 })
    const home = await setUpHome(sim, "nothing-stored")
    const file = dbPath(home)
    // What a backup killed before its first page leaves: a run still marked running, no pages.
    withDb(file, (db) => {
      db.prepare("INSERT INTO sync_runs (kind, started_at, outcome, pid) VALUES ('backup', 1, 'running', 2147483646)").run()
    }, false)
    const before = syncRuns(file)
    const refused = await runCliInProcess(["update"], cliEnv(home, sim))
    expectOneLineError(refused, /^fbk: there is no complete backup yet; run `fbk backup` first\n$/)
    expect(syncRuns(file)).toEqual(before)
    expect(sim.stats().restCalls).toBe(0)
  })
})

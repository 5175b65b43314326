// Faults Flickr and the network throw at a backup: transient ones (5xx, 429 with Retry-After,
// code 105, cut-short bodies, connection resets) are retried and the backup completes with every
// photo; permanent ones (an unknown-method error, a revoked token) stop with one line and leave
// the stored photos untouched, only the run log recording the failed attempt.
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { Fault } from "../../src/simulator/Server.js"
import {
  backupProgram,
  cliEnv,
  closeSimulators,
  dbPath,
  dumpTable,
  expectOneLineError,
  expectSuccess,
  liveIdsIn,
  photoRows,
  removeTempDirs,
  runCli,
  runOrThrow,
  setUpHome,
  sorted,
  startSim,
  syncRuns,
  type SyncRunRow
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const N = 1_200

const expectCompleteBackup = (home: string, ids: ReadonlyArray<string>, restCalls: number): SyncRunRow => {
  const rows = photoRows(dbPath(home))
  expect(rows).toHaveLength(ids.length)
  expect(sorted(rows.map((r) => r.id))).toEqual(sorted(ids))
  const runs = syncRuns(dbPath(home))
  expect(runs).toHaveLength(1)
  // Every attempt counts, the failed ones included.
  expect(runs[0]).toMatchObject({ kind: "backup", outcome: "succeeded", added: ids.length, api_calls: restCalls })
  return runs[0]!
}

/** Every table but the run log, as JSON. */
const dumpAllButRuns = (home: string) =>
  Object.fromEntries(["photos", "photo_revisions", "users", "fbk_migrations", "albums", "album_photos", "collections", "collection_albums"].map((t) => [t, dumpTable(dbPath(home), t)]))

describe("transient faults during a backup (in-process, 100 photos a page)", () => {
  const transient: ReadonlyArray<readonly [string, (count: number) => Fault]> = [
    ["HTTP 500", (count) => ({ kind: "http500", count })],
    ["HTTP 503", (count) => ({ kind: "http503", count })],
    // Waiting a Retry-After out is FlickrHttp's unit tests' to show, by the TestClock: here a real second each time would only slow the run.
    ["HTTP 429 with Retry-After: 0", (count) => ({ kind: "http429", count, retryAfterSeconds: 0 })],
    ["code 105", (count) => ({ kind: "code105", count })],
    ["a truncated body", (count) => ({ kind: "truncated", count })],
    ["a connection reset", (count) => ({ kind: "reset", count })]
  ]

  for (const [label, fault] of transient) {
    it(`${label}, twice at the start and twice mid-way: every photo, every attempt counted`, async () => {
      // No albums: the call counts below are the photostream's, plus getList and getTree.
      const sim = await startSim({ photos: N, seed: 5, albums: 0 })
      const home = await setUpHome(sim, "transient")
      const ids = sim.liveIds()
      sim.injectFault(fault(2))
      sim.afterCalls(6, () => sim.injectFault(fault(2)))
      await runOrThrow(backupProgram(sim, home, { perPage: 100 }))
      const run = expectCompleteBackup(home, ids, sim.stats().restCalls)
      // 12 pages of 100 (plus the window boundary's repeat) and a count, plus the 4 failures,
      // plus photosets.getList and collections.getTree.
      expect(run.api_calls).toBeGreaterThanOrEqual(Math.ceil(N / 100) + 1 + 4 + 2)
      expect(run.api_calls).toBeLessThanOrEqual(Math.ceil(N / 100) + 3 + 4 + 2)
      for (const row of photoRows(dbPath(home))) expect(JSON.parse(row.raw)).toEqual(sim.photo(row.id))
    })
  }
})

describe("faults through the CLI", () => {
  it("retries 503, a reset and a truncated body with its real schedule, and completes", async () => {
    const sim = await startSim({ photos: 1_000, seed: 9 })
    const home = await setUpHome(sim, "cli-transient")
    sim.injectFault({ kind: "http503", count: 1 })
    sim.afterCalls(2, () => sim.injectFault({ kind: "reset", count: 1 }))
    sim.afterCalls(5, () => sim.injectFault({ kind: "truncated", count: 1, method: "flickr.people.getPhotos" }))
    const result = await runCli(["backup", "--per-page", "100"], cliEnv(home, sim))
    expectSuccess(result)
    expectCompleteBackup(home, sim.liveIds(), sim.stats().restCalls)
  })

  it("a permanent error (112) stops the backup with one line; the photos are untouched, the run log says interrupted", async () => {
    const sim = await startSim({ photos: 600, seed: 2 })
    const home = await setUpHome(sim, "permanent")
    await runOrThrow(backupProgram(sim, home))
    const before = dumpAllButRuns(home)
    const runsBefore = syncRuns(dbPath(home))
    sim.edit(10)
    sim.upload(5)
    sim.injectFault({ kind: "code", code: 112, message: 'Method "flickr.people.getPhotos" not found', count: 1 })
    sim.resetStats()

    const result = await runCli(["backup"], cliEnv(home, sim))
    expectOneLineError(result, /^fbk: Flickr answered flickr\.people\.getPhotos with error 112: Method "flickr\.people\.getPhotos" not found\n$/)
    expect(sim.stats().restCalls).toBe(1) // a permanent error is not retried

    expect(dumpAllButRuns(home)).toEqual(before)
    const runs = syncRuns(dbPath(home))
    expect(runs.slice(0, runsBefore.length)).toEqual(runsBefore)
    expect(runs).toHaveLength(runsBefore.length + 1)
    expect(runs.at(-1)).toMatchObject({
      kind: "backup",
      outcome: "interrupted",
      message: "stopped by an error",
      resume_cursor: null,
      pages: 0,
      photos: 0,
      added: 0,
      changed: 0,
      deleted: 0,
      restored: 0,
      api_calls: 1
    })
    expect(runs.at(-1)!.finished_at).not.toBeNull()
  })

  it("a revoked token: one line saying to run `fbk setup` again; the photos are untouched", async () => {
    const sim = await startSim({ photos: 600, seed: 4 })
    const home = await setUpHome(sim, "revoked")
    await runOrThrow(backupProgram(sim, home))
    const before = dumpAllButRuns(home)
    const runsBefore = syncRuns(dbPath(home))
    sim.edit(10)
    sim.remove(3)
    sim.revokeTokens()
    sim.resetStats()

    const result = await runCli(["update"], cliEnv(home, sim))
    expectOneLineError(result, /^fbk: Flickr rejected the stored token \(revoked or unknown\); run `fbk setup` again\n$/)
    expect(sim.stats().restCalls).toBe(1)

    expect(dumpAllButRuns(home)).toEqual(before)
    expect(sorted(liveIdsIn(dbPath(home)))).toHaveLength(600)
    const runs = syncRuns(dbPath(home))
    expect(runs.slice(0, runsBefore.length)).toEqual(runsBefore)
    expect(runs).toHaveLength(runsBefore.length + 1)
    expect(runs.at(-1)).toMatchObject({
      kind: "update",
      outcome: "interrupted",
      message: "stopped by an error",
      added: 0,
      changed: 0,
      deleted: 0,
      api_calls: 1
    })
  })
})

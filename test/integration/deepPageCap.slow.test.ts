// Scale (npm run test:slow): 12,000-photo accounts behind Flickr's deep-page cap (4,000 results a
// query), backed up and updated completely; each ends with the database checked against the simulator.
import { afterAll, afterEach, describe, expect, it } from "vitest"
import {
  backupProgram,
  cliEnv,
  closeSimulators,
  dbPath,
  expectExactly,
  expectSuccess,
  photoRows,
  removeTempDirs,
  runCli,
  runOrThrow,
  setUpHome,
  startSim,
  syncRuns,
  updateProgram
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

describe("a photostream behind the deep-page cap (in-process and through the CLI)", () => {
  it("with Flickr's deep-page cap (4,000 results a query), a 12,000-photo account backs up completely", async () => {
    const big = 12_000
    const sim = await startSim({ photos: big, seed: 33, maxResultsPerQuery: 4_000 })
    const home = await setUpHome(sim, "deep-cap")
    // The cap is real: a plain query's page 9 of 500 serves page 8 again.
    await runOrThrow(backupProgram(sim, home, { perPage: 500 }))
    expectExactly(home, sim)
    expect(syncRuns(dbPath(home))).toEqual([expect.objectContaining({ outcome: "succeeded", added: big, deleted: 0 })])
    // And through the CLI's defaults, with the stream shifting during the run.
    const home2 = await setUpHome(sim, "deep-cap-cli")
    sim.afterCalls(4, () => {
      sim.upload(20)
      sim.remove(sim.liveIds().slice(-30, -20))
    })
    const result = await runCli(["backup"], cliEnv(home2, sim))
    expectSuccess(result)
    expectExactly(home2, sim)
  })

  it("with the deep-page cap, an update after 5,000 edits stores every edit", async () => {
    const big = 12_000
    const sim = await startSim({ photos: big, seed: 34, maxResultsPerQuery: 4_000 })
    const home = await setUpHome(sim, "deep-cap-update")
    await runOrThrow(backupProgram(sim, home))
    const edited = sim.edit(5_000)
    expect(edited).toHaveLength(5_000)
    const counters = await runOrThrow(updateProgram(sim, home))
    const rows = new Map(photoRows(dbPath(home)).map((r) => [r.id, r]))
    const stale = edited.filter((id) => rows.get(id)!.title !== sim.photo(id)!.title)
    expect(stale.length, `edits not stored, e.g. ${stale.slice(0, 3).join(", ")}`).toBe(0)
    expect(counters).toMatchObject({ changed: 5_000, added: 0, deleted: 0 })
    expectExactly(home, sim)
  })
})

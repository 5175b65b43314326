// The lock race shared by lock.test.ts (one round of each pair) and lock.slow.test.ts (many rounds):
// two fbk processes started within milliseconds of each other on one database; exactly one runs.
import { expect } from "vitest"
import {
  type CliResult,
  cliEnv,
  dbPath,
  expectExactly,
  expectOneLineError,
  expectSuccess,
  setUpHome,
  startCli,
  startSim,
  syncRuns,
  withDb
} from "./support.js"

const REFUSED = /^fbk: another fbk \(pid \d+\) is running `fbk (backup|update|details)` on this database since \d{4}-\d\d-\d\d \d\d:\d\d; wait for it to finish, or add --wait\n$/

/** Starts both commands at once (quiet, so stderr holds only an error line) and waits for both. */
const race = async (env: Record<string, string>, first: ReadonlyArray<string>, second: ReadonlyArray<string>) => {
  const a = startCli([...first, "--quiet"], env)
  const b = startCli([...second, "--quiet"], env)
  a.child.stdin!.end()
  b.child.stdin!.end()
  return Promise.all([a.done, b.done])
}

/** Exactly one of the two ran: one exit 0, the other the refusal line. Returns the winner's index. */
const expectOneWinner = (results: ReadonlyArray<CliResult>): number => {
  const winners = results.flatMap((r, i) => (r.code === 0 ? [i] : []))
  expect(winners, results.map((r) => r.stderr).join(" | ")).toHaveLength(1)
  const winner = winners[0]!
  expectSuccess(results[winner]!)
  expectOneLineError(results[1 - winner]!, REFUSED)
  return winner
}

const detailsRead = (file: string): number =>
  withDb(file, (db) => db.prepare("SELECT count(*) FROM photo_details").pluck().get() as number)

/** backup + backup, backup + update and details + update, each pair started together `rounds` times. */
export const raceRounds = async (rounds: number): Promise<void> => {
  // Latency makes every run last long enough that the two always overlap.
  const sim = await startSim({ photos: 1_500, seed: 81, latencyMs: 60 })
  const home = await setUpHome(sim, "race")
  const file = dbPath(home)
  const env = cliEnv(home, sim)
  const pairs: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<string>]> = [
    [["backup", "--per-page", "100"], ["backup", "--per-page", "100"]],
    [["backup", "--per-page", "100"], ["update"]],
    [["details", "--max-calls", "20"], ["update"]]
  ]
  for (const [first, second] of pairs) {
    for (let round = 0; round < rounds; round++) {
      // Something to do for each command, so a winner writes.
      sim.upload(2)
      sim.remove(1)
      const runsBefore = syncRuns(file).length
      const detailsBefore = detailsRead(file)
      const results = await race(env, first, second)
      const winner = expectOneWinner(results)
      const ranDetails = [first, second][winner]![0] === "details"
      // The winner's writes, and none of the loser's: one new run, or details read and no new run.
      expect(syncRuns(file).length - runsBefore).toBe(ranDetails ? 0 : 1)
      expect(detailsRead(file) > detailsBefore).toBe(ranDetails)
      expect(syncRuns(file).every((r) => r.outcome === "succeeded")).toBe(true)
      if (!ranDetails) expectExactly(home, sim)
    }
  }
  expect(withDb(file, (db) => db.prepare("SELECT count(*) FROM run_lock").pluck().get())).toBe(0)
}

// Scale (npm run test:slow): the lock race of lock.test.ts, six rounds of each pair rather than one,
// so a window in which both processes could take the lock has many chances to show.
import { afterAll, afterEach, describe, it } from "vitest"
import { raceRounds } from "./lockRace.js"
import { closeSimulators, removeTempDirs } from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

describe("one run at a time, many times over", () => {
  it("backup + backup, backup + update and details + update started together, 6 times each: exactly one runs", () => raceRounds(6), 240_000)
})

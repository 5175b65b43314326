// The CLI run in-process (runCliInProcess) answers as dist/fbk.js does: the same exit code, stdout
// and stderr for a success, a refused command line, a program's failure and --help.
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import {
  backupProgram,
  cliEnv,
  closeSimulators,
  removeTempDirs,
  runCli,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  startSim,
  tempDir
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

describe("runCliInProcess", () => {
  it("gives what the bundled CLI gives, output and exit code, for successes and failures", async () => {
    const sim = await startSim({ photos: 30, seed: 5 })
    const home = await setUpHome(sim, "in-process")
    await runOrThrow(backupProgram(sim, home))
    const env = cliEnv(home, sim)
    const nowhere = cliEnv(path.join(tempDir("in-process-nowhere"), "home"), sim)
    const { write } = process.stdout
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>, number]> = [
      [["status", "--json"], env, 0],
      [["search", "--json", "--limit", "5", "a"], env, 0],
      [["search", "--limit", "many", "harbour"], env, 1],
      [["search", "harbour"], nowhere, 1],
      [["backup", "--numpages", "abc"], env, 1],
      [["search", "--help"], env, 0]
    ]
    for (const [args, runEnv, code] of cases) {
      const spawned = await runCli(args, runEnv)
      expect(spawned.code, args.join(" ")).toBe(code)
      const inProcess = await runCliInProcess(args, runEnv)
      // status --json says when it was asked; nothing else may differ.
      const timeless = (text: string) => text.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, "TIME")
      expect({ ...inProcess, stdout: timeless(inProcess.stdout) }, args.join(" ")).toEqual({ ...spawned, stdout: timeless(spawned.stdout) })
    }
    // The helper gives the process its stream back.
    expect(process.stdout.write).toBe(write)
  })
})

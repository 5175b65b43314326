// --json as scripts use it, through dist/fbk.js: one object on stdout whose fields match what the
// run did (the database's rows, the files on disk), nothing else there; a failed verify still prints it.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { cliEnv, closeSimulators, dbPath, expectOneLineError, expectSuccess, removeTempDirs, runCli, setUpHome, startSim, syncRuns, withDb } from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

interface FileRecord { readonly path: string; readonly bytes: number; readonly role: string }

const fileRows = (home: string): Array<FileRecord> =>
  withDb(dbPath(home), (db) => db.prepare("SELECT path, bytes, role FROM files ORDER BY id").all() as Array<FileRecord>)

describe("--json", () => {
  it("backup --json: one object with the run's counts and times, as the sync_runs row has them", async () => {
    const sim = await startSim({ photos: 40, seed: 301 })
    const home = await setUpHome(sim, "json-backup")
    const result = await runCli(["backup", "--json", "--per-page", "15"], cliEnv(home, sim))
    expectSuccess(result)
    const summary = JSON.parse(result.stdout) as { backup: Record<string, unknown>; albums: Record<string, unknown> }
    expect(Object.keys(summary)).toEqual(["albums", "backup"])
    const run = syncRuns(dbPath(home)).at(-1)!
    expect(summary.backup).toMatchObject({
      outcome: "succeeded",
      started_at: new Date(run.started_at * 1000).toISOString(),
      pages: 3,
      photos: 40,
      added: 40,
      changed: 0,
      deleted: 0,
      restored: 0,
      api_calls: run.api_calls
    })
    expect(summary.backup["seconds"]).toEqual(expect.any(Number))
    // The records stand for the summary lines: neither the backup's nor the albums' line is printed.
    expect(result.stderr).not.toMatch(/^Backup:/m)
    expect(result.stderr).not.toMatch(/^Albums: 1 on Flickr/m)
    expect(summary.albums).toEqual({
      albums: 1, added: 1, changed: 0, deleted: 0, members_read: 1, members_missed: 0, collections: expect.any(Number),
      collections_deleted: 0
    })
  })

  it("download --json: files, posters and folders as fields that match the store; verify --json lists what is missing and exits 1", async () => {
    const sim = await startSim({ photos: 30, seed: 302 })
    const home = await setUpHome(sim, "json-download")
    const env = cliEnv(home, sim)
    expectSuccess(await runCli(["backup", "-q"], env))
    const result = await runCli(["download", "--json"], env)
    expectSuccess(result)
    const summary = JSON.parse(result.stdout) as {
      files: Record<string, number | string>
      posters?: Record<string, number | string>
      folders: Record<string, number | string>
    }
    const rows = fileRows(home)
    const own = rows.filter((r) => r.role !== "poster")
    const posters = rows.filter((r) => r.role === "poster")
    expect(summary.files).toMatchObject({
      folder: path.join(home, "files"),
      wanted: sim.liveIds().length,
      fetched: own.length,
      bytes: own.reduce((sum, r) => sum + r.bytes, 0),
      not_original: own.filter((r) => r.role === "largest available").length,
      problems: 0
    })
    expect(summary.posters).toMatchObject({ fetched: posters.length, bytes: posters.reduce((sum, r) => sum + r.bytes, 0) })
    expect(summary.folders).toMatchObject({ albums: expect.any(Number), entries_made: expect.any(Number), entries_removed: 0 })

    const ok = await runCli(["verify", "--json"], env)
    expectSuccess(ok)
    expect(JSON.parse(ok.stdout)).toEqual({ verify: { checked: rows.length, missing: 0, altered: 0, unreadable: 0, findings: [] } })

    fs.rmSync(path.join(home, "files", own[0]!.path))
    const bad = await runCli(["verify", "--json", "-q"], env)
    expectOneLineError(bad)
    expect(JSON.parse(bad.stdout)).toMatchObject({
      verify: { checked: rows.length, missing: 1, altered: 0, findings: [{ finding: "missing", path: own[0]!.path, detail: "not on disk" }] }
    })
  })
})

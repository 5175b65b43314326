// `fbk details` over real HTTP against the simulator: a resumable queue of getInfo calls that
// reads only photos without details or changed since, records per-photo refusals and goes on,
// and survives kill -9.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import {
  backupProgram,
  cliEnv,
  closeSimulators,
  dbPath,
  expectOneLineError,
  expectSuccess,
  hashTree,
  removeTempDirs,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  sorted,
  startCli,
  startSim,
  tempDir,
  updateProgram,
  waitFor,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const GET_INFO = "flickr.photos.getInfo"
const N = 300

interface DetailsRow {
  readonly photo_id: string
  readonly for_last_update: number | null
  readonly error_code: number | null
  readonly raw: string | null
}

const detailsRows = (file: string): Array<DetailsRow> =>
  withDb(file, (db) => db.prepare("SELECT photo_id, for_last_update, error_code, raw FROM photo_details ORDER BY photo_id").all() as Array<DetailsRow>)

const liveTags = (file: string, photoId: string): Array<string> =>
  withDb(file, (db) =>
    (db.prepare("SELECT tag FROM photo_tags WHERE photo_id = ? AND removed_at IS NULL ORDER BY tag").all(photoId) as Array<{ tag: string }>)
      .map((r) => r.tag))

const lastUpdates = (file: string): Map<string, number> =>
  new Map(withDb(file, (db) => db.prepare("SELECT id, last_update FROM photos").all() as Array<{ id: string; last_update: number }>)
    .map((r) => [r.id, r.last_update]))

describe("fbk details", () => {
  it("bad --max-calls values and a home never set up: one line each, nothing touched, nothing asked of Flickr", async () => {
    const sim = await startSim({ photos: 50, seed: 9 })
    const home = await setUpHome(sim, "details-bad")
    await runOrThrow(backupProgram(sim, home))
    const before = hashTree(home)
    sim.resetStats()
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
      [["--max-calls", "0"], /^fbk: --max-calls must be a whole number of at least 1 \(got 0\) \(see `fbk details --help`\)\n$/],
      [["--max-calls", "-3"], /^fbk: --max-calls must be a whole number of at least 1 \(got -3\) \(see `fbk details --help`\)\n$/],
      [["--max-calls", "many"], /^fbk: --max-calls: 'many' is not a[n]? integer \(see `fbk details --help`\)\n$/]
    ]
    for (const [args, message] of cases) {
      expectOneLineError(await runCliInProcess(["details", ...args], cliEnv(home, sim)), message)
    }
    expect(hashTree(home)).toEqual(before)
    const nowhere = path.join(tempDir("details-nowhere"), "home")
    expectOneLineError(await runCliInProcess(["details"], cliEnv(nowhere, sim)), /run `fbk setup`/)
    expect(fs.existsSync(nowhere)).toBe(false)
    expect(sim.stats().restCalls).toBe(0)
  })

  it("backup --details and update --details sync, then read the queue: only the photos the update changed", async () => {
    const sim = await startSim({ photos: 120, seed: 21 })
    const home = await setUpHome(sim, "details-flag")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    const backedUp = await runCliInProcess(["backup", "--details"], env)
    expectSuccess(backedUp)
    expect(backedUp.stdout).toMatch(/^Backup: 120 added/m)
    expect(backedUp.stdout).toMatch(/^Details: 120 read, 0 refused by Flickr \(recorded\); 0 photos still queued/m)
    expect(sim.stats().byMethod[GET_INFO]).toBe(120)
    expect(sorted(detailsRows(file).map((r) => r.photo_id))).toEqual(sorted(sim.liveIds()))

    const edited = sim.edit(5)
    sim.resetStats()
    const updated = await runCliInProcess(["update", "--details"], env)
    expectSuccess(updated)
    expect(sim.stats().byMethod[GET_INFO]).toBe(edited.length)
    const updates = lastUpdates(file)
    for (const row of detailsRows(file)) expect(row.for_last_update).toBe(updates.get(row.photo_id))

    // A failed sync reads no details.
    sim.injectFault({ kind: "code", code: 112, message: "Method not found", count: 1, method: "flickr.photos.recentlyUpdated" })
    sim.edit(3)
    sim.resetStats()
    expectOneLineError(await runCliInProcess(["update", "--details"], env), /error 112/)
    expect(sim.stats().byMethod[GET_INFO] ?? 0).toBe(0)
  })

  it("before any backup: one line saying to back up first, nothing asked of Flickr", async () => {
    const sim = await startSim({ photos: 50, seed: 10 })
    const home = await setUpHome(sim, "details-empty")
    sim.resetStats()
    const result = await runCliInProcess(["details"], cliEnv(home, sim))
    expectOneLineError(result, /^fbk: there are no photos in the database yet; run `fbk backup` first\n$/)
    expect(sim.stats().restCalls).toBe(0)
  })

  it("reads the queue in runs that stop and carry on, never a photo twice, each one's tags as its listing has them", async () => {
    const sim = await startSim({ photos: N, seed: 11 })
    const home = await setUpHome(sim, "details")
    const file = dbPath(home)
    await runOrThrow(backupProgram(sim, home))
    const env = cliEnv(home, sim)

    sim.resetStats()
    const first = await runCliInProcess(["details", "--max-calls", "100"], env)
    expectSuccess(first)
    expect(first.stderr).toMatch(/300 photos need details: .*; this run makes at most 100 calls/)
    // --max-calls counts calls: each photo read costs getInfo and, for a photo, getExif (and more where it has comments or people).
    const firstCalls = Object.values(sim.stats().byMethod).reduce((sum, n) => sum + n, 0)
    expect(firstCalls).toBeLessThanOrEqual(100)
    const readFirst = Number(/^Details: (\d+) read, 0 refused by Flickr \(recorded\); (\d+) photos still queued/.exec(first.stdout)?.[1])
    expect(readFirst).toBeGreaterThan(0)
    expect(readFirst).toBeLessThan(100)
    expect(detailsRows(file).length).toBe(readFirst)

    sim.resetStats()
    const rest = await runCliInProcess(["details"], env)
    expectSuccess(rest)
    expect(rest.stdout).toMatch(new RegExp(`^Details: ${N - readFirst} read, 0 refused by Flickr \\(recorded\\); 0 photos still queued`))
    // Never a photo twice: the second run asks only for the photos the first did not store.
    expect(sim.stats().byMethod[GET_INFO]).toBe(N - readFirst)
    expect(sim.stats().byMethod["flickr.photos.getExif"] ?? 0).toBeLessThanOrEqual(N - readFirst)

    const rows = detailsRows(file)
    expect(sorted(rows.map((r) => r.photo_id))).toEqual(sorted(sim.liveIds()))
    const updates = lastUpdates(file)
    for (const row of rows) {
      expect(row.error_code).toBeNull()
      expect(row.for_last_update).toBe(updates.get(row.photo_id))
      const listed = sim.photo(row.photo_id)!
      expect(JSON.parse(row.raw!).id).toBe(row.photo_id)
      // getInfo's tags, normalised, are the listing's tags.
      expect(liveTags(file, row.photo_id)).toEqual(sorted(String(listed.tags).split(" ").filter((t) => t !== "")))
    }

    // EXIF once for every photo (never for videos); comments only where getInfo counts some.
    const media = new Map(sim.liveIds().map((id) => [id, sim.photo(id)!]))
    const photosOnly = [...media.values()].filter((p) => p.media === "photo").length
    const withComments = withDb(file, (db) =>
      (db.prepare("SELECT count(*) AS n FROM photo_details WHERE count_comments > 0").get() as { n: number }).n)
    expect(withComments).toBeGreaterThan(0)
    const exifState = withDb(file, (db) =>
      db.prepare("SELECT photo_id, exif_for, exif_error_code FROM photo_details").all() as Array<{ photo_id: string; exif_for: string | null; exif_error_code: number | null }>)
    for (const row of exifState) {
      const listed = media.get(row.photo_id)!
      if (listed.media === "photo") expect(row.exif_for).toBe(String(listed.originalsecret ?? listed.secret))
      else expect(row.exif_for).toBeNull()
    }
    // Some photos hide their EXIF: recorded, not an error of the run.
    expect(exifState.some((r) => r.exif_error_code === 2)).toBe(true)
    const exifRows = withDb(file, (db) => (db.prepare("SELECT count(DISTINCT photo_id) AS n FROM exif").get() as { n: number }).n)
    expect(exifRows).toBeGreaterThan(0)
    expect(exifRows).toBeLessThanOrEqual(photosOnly)
    const commentRows = withDb(file, (db) =>
      (db.prepare("SELECT count(*) AS n FROM comments WHERE removed_at IS NULL").get() as { n: number }).n)
    const countedComments = withDb(file, (db) =>
      (db.prepare("SELECT sum(count_comments) AS n FROM photo_details").get() as { n: number }).n)
    expect(commentRows).toBe(countedComments)

    sim.resetStats()
    const idle = await runCliInProcess(["details"], env)
    expectSuccess(idle)
    expect(idle.stdout).toMatch(/up to date/)
    expect(sim.stats().byMethod[GET_INFO] ?? 0).toBe(0)
  })

  it("after edits only the edited photos are read again; a photo gone from Flickr is recorded as refused and the run goes on", async () => {
    const sim = await startSim({ photos: N, seed: 12 })
    const home = await setUpHome(sim, "details-changes")
    const file = dbPath(home)
    await runOrThrow(backupProgram(sim, home))
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["details"], env))

    const edited = sim.edit(7)
    const commented = sim.liveIds().find((id) => !edited.includes(id))!
    sim.addComment(commented, "Lovely <b>light</b> — merci")
    await runOrThrow(updateProgram(sim, home))
    // An edited photo, so queued, gone from Flickr after the update: the database still lists it live.
    const [gone] = sim.remove(edited.slice(0, 1))
    sim.resetStats()
    const result = await runCliInProcess(["details"], env)
    expectSuccess(result)
    // Only the edited and the commented photos are asked for again, and no EXIF: their originals did not change.
    expect(sim.stats().byMethod[GET_INFO]).toBe(edited.length + 1)
    expect(sim.stats().byMethod["flickr.photos.getExif"] ?? 0).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`^Details: ${edited.length} read, 1 refused by Flickr \\(recorded\\); 0 photos still queued`))
    const comments = withDb(file, (db) =>
      db.prepare("SELECT text FROM comments WHERE photo_id = ? AND removed_at IS NULL").all(commented) as Array<{ text: string }>)
    expect(comments.map((c) => c.text)).toContain("Lovely <b>light</b> — merci")
    const rows = new Map(detailsRows(file).map((r) => [r.photo_id, r]))
    expect(rows.get(gone!)).toMatchObject({ error_code: 1 })
    // The details read before the refusal are kept.
    expect(rows.get(gone!)!.raw).not.toBeNull()
    for (const id of edited.slice(1)) {
      expect(liveTags(file, id)).toEqual(sorted(String(sim.photo(id)!.tags).split(" ").filter((t) => t !== "")))
      expect(liveTags(file, id).some((t) => t.startsWith("edited"))).toBe(true)
    }
  })

  it("killed with SIGKILL mid-queue: the database is sound and the next run reads only what is left", async () => {
    const sim = await startSim({ photos: N, seed: 13, latencyMs: 20 })
    const home = await setUpHome(sim, "details-kill")
    const file = dbPath(home)
    await runOrThrow(backupProgram(sim, home))
    const env = cliEnv(home, sim)
    sim.resetStats()
    const cli = startCli(["details"], env)
    await waitFor(() => (detailsRows(file).length >= 60 ? true : undefined), { what: "60 photos' details stored" })
    cli.child.kill("SIGKILL")
    await cli.done
    const before = detailsRows(file).length
    expect(before).toBeLessThan(N)
    const callsBefore = sim.stats().byMethod[GET_INFO] ?? 0

    sim.resetStats()
    const result = await runCliInProcess(["details"], env)
    expectSuccess(result)
    expect(result.stderr).toMatch(new RegExp(`^${N - before} photos need details`, "m"))
    expect(sim.stats().byMethod[GET_INFO]).toBe(N - before)
    // At most the calls in flight at the kill were spent twice.
    expect(callsBefore - before).toBeLessThanOrEqual(8)
    expect(sorted(detailsRows(file).map((r) => r.photo_id))).toEqual(sorted(sim.liveIds()))
  })
})

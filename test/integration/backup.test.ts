// `fbk backup` through the CLI against the simulator: a full backup's data field by field, the
// run log, `status --json`, and staged backups (--numpages / --pagenum / --per-page).
import { afterAll, afterEach, describe, expect, it } from "vitest"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectSuccess,
  albumCalls,
  expectedAlbumCalls,
  photoCalls,
  photoRows,
  removeTempDirs,
  runCli,
  runCliInProcess,
  setUpHome,
  sorted,
  startSim,
  syncRuns,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const N = 2_300

describe("fbk backup (CLI)", () => {
  it("stores every live photo once, each field as the simulator lists it", async () => {
    const sim = await startSim({ photos: N, seed: 7 })
    const home = await setUpHome(sim, "full")
    const result = await runCli(["backup"], cliEnv(home, sim))
    expectSuccess(result)
    const calls = sim.stats().restCalls
    expect(result.stdout).toMatch(new RegExp(`Backup: ${N.toLocaleString("en-US")} added, 0 changed, 0 deleted`))

    const rows = photoRows(dbPath(home))
    expect(rows).toHaveLength(N)
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(sim.liveIds()))
    expect(new Set(rows.map((r) => r.id)).size).toBe(N)

    let located = 0
    let videos = 0
    let markup = 0
    let nonAscii = 0
    for (const row of rows) {
      const item = sim.photo(row.id)!
      // The list item is kept verbatim: the stored JSON is the simulator's item, key for key.
      const raw = JSON.parse(row.raw) as Record<string, unknown>
      expect(raw).toEqual(item)
      expect(raw.id).toBe(row.id)
      expect(row.title).toBe(item.title)
      expect(row.description).toBe((item.description as { _content: string })._content)
      expect(row.tags).toBe(item.tags)
      expect(row.machine_tags).toBe(item.machine_tags)
      expect(row.date_taken).toBe(item.datetaken)
      expect(row.date_uploaded).toBe(Number(item.dateupload))
      expect(row.last_update).toBe(Number(item.lastupdate))
      expect(row.views).toBe(Number(item.views))
      expect(row.owner).toBe(sim.user.nsid)
      expect(row.url_o).toBe(item.url_o)
      expect(row.media).toBe(item.media)
      expect(row.deleted_at).toBeNull()
      if (row.media === "video") videos++
      if (item.place_id === undefined) {
        // Flickr's "no location": 0, 0, accuracy 0, no place.
        expect(Number(item.latitude)).toBe(0)
        expect([row.latitude, row.longitude, row.accuracy, row.place_id, row.woeid]).toEqual([null, null, null, null, null])
      } else {
        located++
        expect(row.latitude).toBe(Number(item.latitude))
        expect(row.longitude).toBe(Number(item.longitude))
        expect(row.accuracy).toBe(Number(item.accuracy))
        expect(row.place_id).toBe(item.place_id)
        expect(row.woeid).toBe(item.woeid)
      }
      if (/&(quot|amp|lt|gt);|<a href=/.test(`${row.title}${row.description}`)) markup++
      if (/[\u0080-\uffff]/.test(`${row.title}${row.description}`)) nonAscii++
    }
    // The account exercises what matters: videos, located and unlocated photos, markup, Unicode.
    expect(videos).toBeGreaterThan(20)
    expect(located).toBeGreaterThan(200)
    expect(located).toBeLessThan(N - 200)
    expect(markup).toBeGreaterThan(50)
    expect(nonAscii).toBeGreaterThan(50)
    // Entities and markup stay as Flickr stores them, never unescaped.
    const withEntity = rows.find((r) => r.description?.includes("&quot;"))
    expect(withEntity?.description).toMatch(/&quot;/)
    const withLink = rows.find((r) => r.description?.includes("<a href="))
    expect(withLink?.description).toMatch(/<a href="http:\/\/www\.example\.org\/52weeks\/\d+\/" rel="nofollow">/)

    const runs = syncRuns(dbPath(home))
    expect(runs).toHaveLength(1)
    const run = runs[0]!
    expect(run).toMatchObject({ kind: "backup", outcome: "succeeded", added: N, changed: 0, deleted: 0, message: null })
    expect(run.finished_at).not.toBeNull()
    expect(run.api_calls).toBe(calls)
    expect(photoCalls(sim)).toBeGreaterThanOrEqual(Math.ceil(N / 500) + 1)
    expect(photoCalls(sim)).toBeLessThanOrEqual(Math.ceil(N / 500) + 2)
    // Albums on a first backup: every getList page, each album's members, the collection tree.
    expect(albumCalls(sim)).toBe(expectedAlbumCalls(sim, sim.albums()))
    expect(calls).toBe(photoCalls(sim) + albumCalls(sim))
    expect(rows.every((r) => r.last_seen_run === run.id)).toBe(true)

    // status --json agrees with the database.
    const status = await runCliInProcess(["status", "--json"], cliEnv(home))
    expectSuccess(status)
    const report = JSON.parse(status.stdout) as {
      account: { nsid: string; username: string; fullname: string }
      database: string
      photos: { live: number; deleted: number }
      revisions: number
      last_backup: { id: number; kind: string; outcome: string; added: number; api_calls: number }
      last_update: null
      pending: null
    }
    expect(report.account).toEqual(sim.user)
    expect(report.database).toBe(dbPath(home))
    expect(report.photos).toEqual({ live: N, deleted: 0 })
    expect(report.revisions).toBe(0)
    expect(report.last_backup).toMatchObject({ id: run.id, kind: "backup", outcome: "succeeded", added: N, api_calls: run.api_calls })
    expect(report.last_update).toBeNull()
    expect(report.pending).toBeNull()
  })

  it("--numpages 2 --pagenum 2 --per-page 100 stores exactly pages 2 and 3, newest first", async () => {
    const sim = await startSim({ photos: 1_000, seed: 11 })
    const home = await setUpHome(sim, "staged")
    const result = await runCliInProcess(["backup", "--numpages", "2", "--pagenum", "2", "--per-page", "100"], cliEnv(home, sim))
    expectSuccess(result)
    const expected = sim.liveIds().slice(100, 300)
    const rows = photoRows(dbPath(home))
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(expected))
    for (const row of rows) expect(JSON.parse(row.raw)).toEqual(sim.photo(row.id))
    expect(sim.stats().byMethod["flickr.people.getPhotos"]).toBe(2)
    const runs = syncRuns(dbPath(home))
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ kind: "staged-backup", outcome: "succeeded", added: 200, pages: 2, api_calls: 2 })

    // Past the end: nothing stored, exit 0, and no page past `pages` is trusted.
    const before = withDb(dbPath(home), (db) => db.prepare("SELECT count(*) FROM photos").pluck().get())
    const past = await runCliInProcess(["backup", "--pagenum", "11", "--per-page", "100"], cliEnv(home, sim))
    expectSuccess(past)
    expect(past.stderr).toMatch(/page 11 is past the end/)
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT count(*) FROM photos").pluck().get())).toBe(before)
    const last = syncRuns(dbPath(home)).at(-1)!
    expect(last).toMatchObject({ kind: "staged-backup", outcome: "succeeded", added: 0, photos: 0, pages: 0 })
  })
})

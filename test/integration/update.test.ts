// `fbk update` in-process over real HTTP: edits keep their previous record as a revision, uploads
// are added, deletions are marked (rows kept), restores are unmarked, and a quiet account costs
// next to no calls. `fbk status --json` (CLI) is checked against the database at the end.
import { afterAll, afterEach, describe, expect, it } from "vitest"
import {
  backupProgram,
  cliEnv,
  closeSimulators,
  dbPath,
  expectSuccess,
  liveIdsIn,
  albumCalls,
  photoCalls,
  photoRows,
  removeTempDirs,
  revisions,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  sorted,
  startSim,
  syncRuns,
  updateProgram,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const N = 1_200

describe("fbk update (in-process)", () => {
  it("follows edits, uploads, deletions and restores, and costs at most 3 calls when nothing changed", async () => {
    const sim = await startSim({ photos: N, seed: 3 })
    const home = await setUpHome(sim, "update")
    const db = dbPath(home)
    await runOrThrow(backupProgram(sim, home))
    expect(sorted(liveIdsIn(db))).toEqual(sorted(sim.liveIds()))

    // Nothing changed yet.
    sim.resetStats()
    const quiet = await runOrThrow(updateProgram(sim, home))
    // At most 3 calls for the photos; albums and collections: every getList page and the tree.
    expect(photoCalls(sim)).toBeLessThanOrEqual(3)
    expect(albumCalls(sim)).toBe(Math.ceil(sim.albums().length / 500) + 1)
    expect(sim.stats().restCalls).toBe(photoCalls(sim) + albumCalls(sim))
    expect(quiet).toMatchObject({ added: 0, changed: 0, deleted: 0, restored: 0 })

    const before = new Map(photoRows(db).map((r) => [r.id, r]))
    // Removed before uploading, so the removals all come from photos the backup stored.
    const edited = sim.edit(25)
    const removed = sim.remove(15)
    const uploaded = sim.upload(30)
    expect(edited).toHaveLength(25)
    expect(removed).toHaveLength(15)
    // A photo both edited and then deleted is only deleted.
    const editedLive = edited.filter((id) => !removed.includes(id))

    sim.resetStats()
    const counters = await runOrThrow(updateProgram(sim, home))
    const updateCalls = sim.stats().restCalls
    expect(counters).toMatchObject({ added: uploaded.length, changed: editedLive.length, deleted: removed.length, restored: 0 })

    const after = new Map(photoRows(db).map((r) => [r.id, r]))
    // Rows are never deleted: the old ones, plus the uploads.
    expect(after.size).toBe(N + uploaded.length)
    expect(sorted(liveIdsIn(db))).toEqual(sorted(sim.liveIds()))
    for (const id of editedLive) {
      const row = after.get(id)!
      const item = sim.photo(id)!
      expect(JSON.parse(row.raw)).toEqual(item)
      expect(row.title).toBe(item.title)
      expect(row.title).toMatch(/\(édité 1\)$/)
      expect(row.description).toBe((item.description as { _content: string })._content)
      expect(row.tags).toBe(item.tags)
      expect(row.last_update).toBe(Number(item.lastupdate))
      expect(row.last_update).not.toBe(before.get(id)!.last_update)
    }
    for (const id of uploaded) expect(JSON.parse(after.get(id)!.raw)).toEqual(sim.photo(id))
    for (const id of removed) {
      const row = after.get(id)!
      expect(row.deleted_at).not.toBeNull()
      expect(row.raw).toBe(before.get(id)!.raw) // the last known record is kept as it was
    }
    const unchanged = [...before.keys()].filter((id) => !edited.includes(id) && !removed.includes(id))
    for (const id of unchanged) {
      expect(after.get(id)!.raw).toBe(before.get(id)!.raw)
      expect(after.get(id)!.deleted_at).toBeNull()
    }

    // Each edited photo's previous record is kept, once.
    const kept = revisions(db)
    expect(sorted(kept.map((r) => r.photo_id))).toEqual(sorted(editedLive))
    const updateRun = syncRuns(db).at(-1)!
    for (const revision of kept) {
      expect(revision.raw).toBe(before.get(revision.photo_id)!.raw)
      expect(revision.last_update).toBe(before.get(revision.photo_id)!.last_update)
      expect(revision.run_id).toBe(updateRun.id)
    }
    expect(updateRun).toMatchObject({
      kind: "update",
      outcome: "succeeded",
      added: uploaded.length,
      changed: editedLive.length,
      deleted: removed.length,
      api_calls: updateCalls
    })

    // Restored on Flickr: no longer marked deleted after the next update, nothing else moves.
    const back = removed.slice(0, 5)
    sim.restore(back)
    const restoredCounters = await runOrThrow(updateProgram(sim, home))
    expect(restoredCounters).toMatchObject({ restored: back.length, deleted: 0, added: 0 })
    const afterRestore = new Map(photoRows(db).map((r) => [r.id, r]))
    for (const id of back) {
      expect(afterRestore.get(id)!.deleted_at).toBeNull()
      expect(JSON.parse(afterRestore.get(id)!.raw)).toEqual(sim.photo(id))
    }
    for (const id of removed.slice(5)) expect(afterRestore.get(id)!.deleted_at).not.toBeNull()
    expect(sorted(liveIdsIn(db))).toEqual(sorted(sim.liveIds()))
    // A restored photo that was edited before it was deleted comes back changed: its old record is kept too.
    const editedThenRestored = back.filter((id) => edited.includes(id))
    expect(revisions(db)).toHaveLength(kept.length + editedThenRestored.length)

    // Quiet again: the recently changed photos are listed once more, nothing is written, few calls.
    sim.resetStats()
    const idle = await runOrThrow(updateProgram(sim, home))
    expect(photoCalls(sim)).toBeLessThanOrEqual(3)
    expect(albumCalls(sim)).toBe(Math.ceil(sim.albums().length / 500) + 1)
    expect(idle).toMatchObject({ added: 0, changed: 0, deleted: 0, restored: 0 })
    expect(revisions(db)).toHaveLength(kept.length + editedThenRestored.length)

    // status --json (CLI) reports what the database holds.
    const status = await runCliInProcess(["status", "--json"], cliEnv(home))
    expectSuccess(status)
    const report = JSON.parse(status.stdout) as {
      photos: { live: number; deleted: number }
      revisions: number
      last_backup: { kind: string; outcome: string; added: number } | null
      last_update: { id: number; kind: string; outcome: string; api_calls: number } | null
      pending: unknown
    }
    const counts = withDb(db, (d) => ({
      live: d.prepare("SELECT count(*) FROM photos WHERE deleted_at IS NULL").pluck().get(),
      deleted: d.prepare("SELECT count(*) FROM photos WHERE deleted_at IS NOT NULL").pluck().get(),
      revisions: d.prepare("SELECT count(*) FROM photo_revisions").pluck().get()
    }))
    expect(report.photos).toEqual({ live: counts.live, deleted: counts.deleted })
    expect(report.photos).toEqual({ live: sim.photoCount(), deleted: removed.length - back.length })
    expect(report.revisions).toBe(counts.revisions)
    const runs = syncRuns(db)
    expect(report.last_backup).toMatchObject({ kind: "backup", outcome: "succeeded", added: N })
    expect(report.last_update).toMatchObject({ id: runs.at(-1)!.id, kind: "update", outcome: "succeeded", api_calls: runs.at(-1)!.api_calls })
    expect(report.pending).toBeNull()
  })
})

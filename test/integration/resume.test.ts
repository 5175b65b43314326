// Backups that do not run straight through: killed (-9) or stopped with Ctrl-C mid-way and
// resumed, staged page by page, listing a photostream that shifts under them (uploads and
// deletions mid-run), and losing the network (Flickr's deep-page cap: deepPageCap.slow.test.ts).
// Each ends with the database checked against the simulator's account, id for id.
import { Cause, Effect, Exit } from "effect"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { describeFailure } from "../../src/ErrorMessages.js"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import {
  backupProgram,
  type CliProcess,
  type CliResult,
  cliEnv,
  closeSimulators,
  dbPath,
  expectExactly,
  expectOneLineError,
  dumpTable,
  expectSuccess,
  integrityCheck,
  latestRun,
  liveIdsIn,
  photoRows,
  removeTempDirs,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  sorted,
  startCli,
  startSim,
  syncRuns,
  type SyncRunRow,
  waitFor,
  withDb
} from "./support.js"
import { startTcpProxy, throughProxy } from "./proxy.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const GET_PHOTOS = "flickr.people.getPhotos"
const getPhotosCalls = (sim: FlickrSimulator): number => sim.stats().byMethod[GET_PHOTOS] ?? 0

const photoCount = (file: string): number => withDb(file, (db) => db.prepare("SELECT count(*) FROM photos").pluck().get() as number)

interface StatusReport {
  readonly photos: { readonly live: number; readonly deleted: number }
  readonly last_backup: { readonly id: number; readonly kind: string; readonly outcome: string } | null
  readonly pending: { readonly id: number; readonly kind: string; readonly outcome: string; readonly photos: number } | null
}

const statusJson = async (home: string): Promise<StatusReport> => {
  const result = await runCliInProcess(["status", "--json"], cliEnv(home))
  expectSuccess(result)
  return JSON.parse(result.stdout) as StatusReport
}

/**
 * Waits until the newest run in `file` is still running and `ready` holds, then sends `signal`.
 * Fails (rather than passing vacuously) when the CLI ends before that point is reached.
 */
const interruptWhen = async (
  cli: CliProcess,
  file: string,
  ready: (run: SyncRunRow) => boolean,
  signal: NodeJS.Signals
): Promise<{ readonly seen: SyncRunRow; readonly result: CliResult }> => {
  let ended = false
  void cli.done.then(() => {
    ended = true
  })
  const seen = await waitFor(() => {
    if (ended) throw new Error(`the CLI ended before it could be interrupted\nstdout: ${cli.stdout()}\nstderr: ${cli.stderr()}`)
    const run = latestRun(file)
    return run !== undefined && run.outcome === "running" && ready(run) ? run : undefined
  }, { timeoutMs: 25_000, what: "the backup to reach the interruption point" })
  cli.child.kill(signal)
  return { seen, result: await cli.done }
}

// ---- kill -9 and Ctrl-C ----

const N = 6_000
const PER_PAGE = 100
const SEED = 21

/** people.getPhotos calls of an uninterrupted backup of the same account, measured once. */
let fullBackupCalls: Promise<number> | undefined
const uninterruptedGetPhotos = (): Promise<number> => {
  fullBackupCalls ??= (async () => {
    const sim = await startSim({ photos: N, seed: SEED })
    const home = await setUpHome(sim, "reference")
    await runOrThrow(backupProgram(sim, home, { perPage: PER_PAGE }))
    expect(photoCount(dbPath(home))).toBe(N)
    return getPhotosCalls(sim)
  })()
  return fullBackupCalls
}

describe("a backup killed with SIGKILL resumes where its last stored page ended", () => {
  /** A 3-second stall: the kill lands inside it however busy the machine is. */
  const stall = { kind: "latency", count: 1, latencyMs: 3_000 } as const
  const points: ReadonlyArray<{
    readonly label: string
    readonly ready: (run: SyncRunRow) => boolean
    /** Sets the stage before the CLI starts; `listingCalls` is what the whole listing takes. */
    readonly prepare?: (sim: FlickrSimulator, listingCalls: number) => void
  }> = [
    { label: "before the first page was stored", ready: (run) => run.pages === 0, prepare: (sim) => sim.injectFault(stall) },
    { label: "early (after the first page)", ready: (run) => run.added >= PER_PAGE },
    { label: "mid-way", ready: (run) => run.added >= N / 2 },
    {
      label: "late (every page stored, the run not yet closed)",
      ready: (run) => run.added >= N,
      // The call after the listing (Flickr's count, before the sweep) stalls.
      prepare: (sim, listingCalls) => sim.afterCalls(listingCalls, () => sim.injectFault(stall))
    }
  ]

  for (const { label, ready, prepare } of points) {
    it(`killed ${label}: the database is sound, status shows the pending run, the next backup finishes it`, async () => {
      const fullCalls = await uninterruptedGetPhotos()
      // Latency makes the run last a few seconds, so each kill point is reached while it runs.
      const sim = await startSim({ photos: N, seed: SEED, latencyMs: 100 })
      const home = await setUpHome(sim, "kill9")
      const file = dbPath(home)
      const env = cliEnv(home, sim)
      // Every getPhotos call of an uninterrupted run but the final count lists photos.
      prepare?.(sim, fullCalls - 1)

      const cli = startCli(["backup", "--per-page", String(PER_PAGE)], env)
      const { result } = await interruptWhen(cli, file, ready, "SIGKILL")
      expect(result.signal).toBe("SIGKILL")

      // What the dead process left: a sound database whose run log matches its photos exactly,
      // because each page and its checkpoint were committed together.
      expect(integrityCheck(file)).toEqual(["ok"])
      const runs = syncRuns(file)
      expect(runs).toHaveLength(1)
      const killed = runs[0]!
      expect(killed).toMatchObject({ kind: "backup", outcome: "running", finished_at: null, pid: cli.child.pid })
      const stored = photoCount(file)
      expect(killed.added).toBe(stored)
      // No page stored, no cursor: the resumed run starts from the top.
      if (killed.pages === 0) expect([stored, killed.resume_cursor]).toEqual([0, null])
      else expect(killed.resume_cursor).toMatch(/^\{"maxUploadDate":\d+\}$/)
      const liveNow = new Set(sim.liveIds())
      for (const id of liveIdsIn(file)) expect(liveNow.has(id)).toBe(true)

      const status = await statusJson(home)
      expect(status.pending).toMatchObject({ id: killed.id, kind: "backup", outcome: "running", photos: killed.photos })
      expect(status.photos).toEqual({ live: stored, deleted: 0 })

      sim.resetStats()
      const resumed = await runCliInProcess(["backup", "--per-page", String(PER_PAGE)], env)
      expectSuccess(resumed)
      expect(resumed.stderr).toMatch(
        killed.pages === 0
          ? /Resuming the interrupted backup started \d{4}-\d\d-\d\d \d\d:\d\d \(/
          : /Resuming the interrupted backup from photos uploaded at or before \d{4}-\d\d-\d\d \d\d:\d\d \(/
      )
      const resumedCalls = getPhotosCalls(sim)
      // Only the part not yet stored is listed again (give or take the window boundaries).
      if (killed.pages > 0) expect(resumedCalls).toBeLessThan(fullCalls)
      expect(resumedCalls).toBeLessThanOrEqual(fullCalls - killed.pages + 2)

      expectExactly(home, sim)
      expect(photoCount(file)).toBe(N)
      const after = syncRuns(file)
      expect(after).toHaveLength(1)
      expect(after[0]).toMatchObject({ id: killed.id, kind: "backup", outcome: "succeeded", added: N, deleted: 0, message: null })
      // The resumed run carries the dead one's counters on.
      expect(after[0]!.api_calls).toBe(killed.api_calls + sim.stats().restCalls)
      expect((await statusJson(home)).pending).toBeNull()
    })
  }

  it("photos deleted and uploaded between the kill and the resume: the resumed run ends with exactly the account", async () => {
    const sim = await startSim({ photos: N, seed: SEED, latencyMs: 100 })
    const home = await setUpHome(sim, "kill9-shift")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    const cli = startCli(["backup", "--per-page", String(PER_PAGE)], env)
    await interruptWhen(cli, file, (run) => run.added >= N / 2, "SIGKILL")

    const storedIds = liveIdsIn(file)
    const goneStored = [storedIds[3]!, storedIds[Math.floor(storedIds.length / 2)]!, storedIds.at(-4)!]
    const live = sim.liveIds()
    const goneUnstored = [live.at(-1)!, live.at(-500)!]
    expect(storedIds).not.toContain(goneUnstored[0])
    expect(sim.remove([...goneStored, ...goneUnstored])).toHaveLength(5)
    const uploaded = sim.upload(4)

    const resumed = await runCliInProcess(["backup", "--per-page", String(PER_PAGE)], env)
    expectSuccess(resumed)
    const rows = new Map(photoRows(file).map((r) => [r.id, r]))
    for (const id of uploaded) expect(rows.get(id)?.deleted_at).toBeNull()
    for (const id of goneUnstored) expect(rows.has(id)).toBe(false)
    for (const id of goneStored) expect(rows.get(id)?.deleted_at, `stored, then deleted on Flickr: ${id}`).not.toBeNull()
    expectExactly(home, sim)
    expect(syncRuns(file).at(-1)).toMatchObject({ kind: "backup", outcome: "succeeded", deleted: goneStored.length })
  })
})

describe("Ctrl-C (SIGINT) mid-backup", () => {
  it("exits 130 with one closing line on stderr, marks the run interrupted, and the next backup finishes it", async () => {
    const sim = await startSim({ photos: N, seed: SEED, latencyMs: 100 })
    const home = await setUpHome(sim, "sigint")
    const file = dbPath(home)
    const env = cliEnv(home, sim)

    const cli = startCli(["backup", "--per-page", String(PER_PAGE)], env)
    const { result } = await interruptWhen(cli, file, (run) => run.added >= N / 3, "SIGINT")
    expect(result.signal, result.stderr).toBeNull()
    expect(result.code, result.stderr).toBe(130)
    expect(result.stdout).toBe("")
    expect(result.stderr).not.toMatch(/^\s+at /m)

    expect(integrityCheck(file)).toEqual(["ok"])
    const runs = syncRuns(file)
    expect(runs).toHaveLength(1)
    const stopped = runs[0]!
    expect(stopped).toMatchObject({ kind: "backup", outcome: "interrupted", message: "interrupted" })
    expect(stopped.finished_at).not.toBeNull()
    expect(stopped.added).toBe(photoCount(file))
    expect(stopped.added).toBeGreaterThanOrEqual(N / 3)
    expect(stopped.added).toBeLessThan(N)

    const status = await statusJson(home)
    expect(status.pending).toMatchObject({ id: stopped.id, kind: "backup", outcome: "interrupted" })
    const human = await runCliInProcess(["status"], cliEnv(home))
    expectSuccess(human)
    expect(human.stdout).toMatch(/^Pending: +a backup interrupted after [\d,]+ photos; `fbk backup` resumes it$/m)

    const resumed = await runCliInProcess(["backup", "--per-page", String(PER_PAGE)], env)
    expectSuccess(resumed)
    expect(resumed.stderr).toMatch(/Resuming the interrupted backup/)
    expectExactly(home, sim)
    expect(syncRuns(file)).toEqual([expect.objectContaining({ id: stopped.id, outcome: "succeeded", added: N, message: null })])

    // Progress lines may come first; the stopped run ends with exactly one line saying what
    // happened and how to go on.
    const lines = result.stderr.split("\n")
    expect(lines.at(-1)).toBe("")
    expect(lines.at(-2), result.stderr).toBe(
      "fbk: interrupted (Ctrl-C); everything stored so far is kept, and `fbk backup` carries on from there"
    )
    expect(lines.filter((l) => l.startsWith("fbk: "))).toHaveLength(1)
  })
})

describe("SIGTERM mid-backup", () => {
  it("exits 143 (128 + 15) saying so, with the same advice; the run is left interrupted, to be resumed", async () => {
    const sim = await startSim({ photos: 2_000, seed: SEED, latencyMs: 100 })
    const home = await setUpHome(sim, "sigterm")
    const file = dbPath(home)
    const cli = startCli(["backup", "--per-page", String(PER_PAGE)], cliEnv(home, sim))
    const { result } = await interruptWhen(cli, file, (run) => run.added >= PER_PAGE, "SIGTERM")
    expect(result.signal, result.stderr).toBeNull()
    expect(result.code, result.stderr).toBe(143)
    expect(result.stdout).toBe("")
    expect(result.stderr.split("\n").filter((l) => l.startsWith("fbk: "))).toEqual([
      "fbk: stopped by SIGTERM; everything stored so far is kept, and `fbk backup` carries on from there"
    ])
    expect(integrityCheck(file)).toEqual(["ok"])
    const [stopped, ...others] = syncRuns(file)
    expect(others).toEqual([])
    expect(stopped).toMatchObject({ kind: "backup", outcome: "interrupted" })
    expect(stopped!.added).toBe(photoCount(file))
  })
})

// ---- staged backups ----

describe("staged backups (--numpages / --pagenum)", () => {
  it("pages 1-2, 3-4, ... cover the account; update still wants a full backup, which then adds nothing", async () => {
    const photos = 1_000
    const sim = await startSim({ photos, seed: 12 })
    const home = await setUpHome(sim, "staged-union")
    const file = dbPath(home)
    const env = cliEnv(home, sim)

    for (const first of [1, 3, 5, 7, 9]) {
      const staged = await runCliInProcess(["backup", "--numpages", "2", "--pagenum", String(first), "--per-page", "100"], env)
      expectSuccess(staged)
      expect(staged.stdout).toMatch(new RegExp(`^Backup of pages ${first}-${first + 1}: 200 added, 0 changed, 0 deleted`, "m"))
    }
    expect(liveIdsIn(file)).toEqual(sorted(sim.liveIds()))
    const stagedRuns = syncRuns(file)
    expect(stagedRuns.map((r) => [r.kind, r.outcome, r.added, r.deleted])).toEqual(
      Array(5).fill(["staged-backup", "succeeded", 200, 0])
    )
    // A staged backup is not a complete one: status lists it, update refuses to build on it.
    const status = await statusJson(home)
    expect(status.last_backup).toMatchObject({ id: stagedRuns.at(-1)!.id, kind: "staged-backup" })
    expect(status.pending).toBeNull()
    const refused = await runCliInProcess(["update"], env)
    expectOneLineError(refused, /^fbk: there is no complete backup yet; run `fbk backup` first\n$/)

    // Staged runs never conclude that a photo is gone, even one they stored earlier.
    const [gone] = sim.remove([sim.liveIds()[5]!])
    expect(gone).toBeDefined()
    const again = await runCliInProcess(["backup", "--numpages", "1", "--pagenum", "1", "--per-page", "100"], env)
    expectSuccess(again)
    expect(photoRows(file).find((r) => r.id === gone)?.deleted_at).toBeNull()

    sim.resetStats()
    const full = await runCliInProcess(["backup"], env)
    expectSuccess(full)
    expect(full.stdout).toMatch(/^Backup: 0 added, 0 changed, 1 deleted, 0 restored/m)
    expect(photoRows(file).find((r) => r.id === gone)?.deleted_at).not.toBeNull()
    expectExactly(home, sim)

    sim.upload(3)
    const update = await runCliInProcess(["update"], env)
    expectSuccess(update)
    expect(update.stdout).toMatch(/^Update: 3 added, 0 changed, 0 deleted/m)
    expectExactly(home, sim)
  })

  it("a staged backup is refused while a killed full backup waits to be resumed, which then completes", async () => {
    const sim = await startSim({ photos: N, seed: SEED, latencyMs: 100 })
    const home = await setUpHome(sim, "staged-after-kill")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    const cli = startCli(["backup", "--per-page", String(PER_PAGE)], env)
    await interruptWhen(cli, file, (run) => run.added >= N / 2, "SIGKILL")
    const killed = syncRuns(file)[0]!

    // Its pages would count as seen by the staged run and spoil the full backup's sweep: refused.
    // Opening the database folds the killed run's WAL into it, so the content is compared, not the bytes.
    const contents = () => ["photos", "sync_runs", "photo_revisions"].map((table) => dumpTable(file, table))
    const before = contents()
    const staged = await runCliInProcess(["backup", "--numpages", "2", "--pagenum", "1", "--per-page", String(PER_PAGE)], env)
    expectOneLineError(staged, /^fbk: a full backup was interrupted; run `fbk backup` without --numpages\/--pagenum to finish it first\n$/)
    expect(contents()).toEqual(before)

    const resumed = await runCliInProcess(["backup", "--per-page", String(PER_PAGE)], env)
    expectSuccess(resumed)
    expect(resumed.stderr).toMatch(/Resuming the interrupted backup/)
    expect(resumed.stderr).not.toMatch(/warning/)
    expectExactly(home, sim)
    expect(syncRuns(file).find((r) => r.id === killed.id)).toMatchObject({ outcome: "succeeded", added: N })
  })
})

// ---- a photostream that shifts while it is listed ----

describe("a photostream that shifts while it is listed (in-process, 100 a page)", () => {
  const SHIFT_N = 3_000

  it("uploads, and deletions of photos not yet listed, at several points: exactly the account at the end", async () => {
    const sim = await startSim({ photos: SHIFT_N, seed: 31 })
    const home = await setUpHome(sim, "shift-ahead")
    const file = dbPath(home)
    const uploaded: Array<string> = []
    const removed: Array<string> = []
    // The oldest photos are listed last: deleting them at these points deletes ahead of the listing.
    const oldest = [...sim.liveIds()].reverse()
    let next = 0
    for (const n of [2, 7, 13, 21, 28]) {
      sim.afterCalls(n, () => {
        uploaded.push(...sim.upload(3))
        removed.push(...sim.remove(oldest.slice(next, next + 2)))
        next += 2
      })
    }
    await runOrThrow(backupProgram(sim, home, { perPage: 100 }))
    expect(uploaded).toHaveLength(15)
    expect(removed).toHaveLength(10)

    expectExactly(home, sim)
    const rows = new Map(photoRows(file).map((r) => [r.id, r]))
    for (const id of removed) expect(rows.has(id), `deleted before it was listed: ${id}`).toBe(false)
    for (const id of uploaded) expect(rows.get(id)?.deleted_at).toBeNull()
    expect(syncRuns(file)).toEqual([
      expect.objectContaining({ outcome: "succeeded", added: SHIFT_N - removed.length + uploaded.length, deleted: 0 })
    ])
  })

  it("photos deleted after they were stored, mid-run: marked deleted_at, never-stored ones leave no row", async () => {
    const sim = await startSim({ photos: SHIFT_N, seed: 32 })
    const home = await setUpHome(sim, "shift-behind")
    const file = dbPath(home)
    const goneStored: Array<string> = []
    const goneOther: Array<string> = []
    const uploaded: Array<string> = []
    const oldest = [...sim.liveIds()].reverse()
    for (const [k, n] of [6, 14, 22].entries()) {
      sim.afterCalls(n, () => {
        // What the run has stored so far (read now, from this process, as it happens).
        const stored = liveIdsIn(file)
        expect(stored.length).toBeGreaterThan(10)
        goneStored.push(...sim.remove([stored[k]!, stored[stored.length - 1 - k]!]))
        goneOther.push(...sim.remove(oldest.slice(2 * k, 2 * k + 2).filter((id) => !stored.includes(id))))
        uploaded.push(...sim.upload(2))
      })
    }
    await runOrThrow(backupProgram(sim, home, { perPage: 100 }))
    expect(goneStored).toHaveLength(6)
    expect(goneOther).toHaveLength(6)

    const rows = new Map(photoRows(file).map((r) => [r.id, r]))
    for (const id of goneStored) expect(rows.get(id)?.deleted_at, `stored, then deleted on Flickr: ${id}`).not.toBeNull()
    for (const id of goneOther) expect(rows.has(id), `deleted before it was listed: ${id}`).toBe(false)
    expectExactly(home, sim)
  })
})

// ---- the network goes away ----

describe("the network goes down mid-backup", () => {
  it("in-process: the run stops with one clear line, the database stays consistent, the next run completes", async () => {
    const sim = await startSim({ photos: 3_000, seed: 41 })
    const proxy = await startTcpProxy(sim)
    try {
      const viaProxy = throughProxy(sim, proxy)
      const home = await setUpHome(viaProxy, "net-down")
      const file = dbPath(home)
      sim.afterCalls(9, () => proxy.down())
      const exit = await Effect.runPromiseExit(backupProgram(viaProxy, home, { perPage: 100 }))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isSuccess(exit)) return
      const line = describeFailure(exit.cause, ["backup"])
      expect(line, Cause.pretty(exit.cause)).toMatch(
        /^cannot get an answer from Flickr \(flickr\.people\.getPhotos: .+\), even after retries; run the command again later \(nothing stored is lost\)$/
      )
      expect(line).not.toMatch(/\n/)

      expect(integrityCheck(file)).toEqual(["ok"])
      const runs = syncRuns(file)
      expect(runs).toHaveLength(1)
      const stopped = runs[0]!
      expect(stopped).toMatchObject({ kind: "backup", outcome: "interrupted", message: "stopped by an error" })
      expect(stopped.added).toBe(photoCount(file))
      expect(stopped.added).toBeGreaterThan(0)
      expect(stopped.added).toBeLessThan(3_000)
      expect(stopped.resume_cursor).not.toBeNull()

      await proxy.up()
      sim.resetStats()
      const lines: Array<string> = []
      await runOrThrow(backupProgram(viaProxy, home, { perPage: 100 }, { lines }))
      expect(lines.join("")).toMatch(/Resuming the interrupted backup/)
      expectExactly(home, sim)
      expect(syncRuns(file)).toEqual([expect.objectContaining({ id: stopped.id, outcome: "succeeded", added: 3_000 })])
    } finally {
      await proxy.close()
    }
  })

  it("through the CLI: Ctrl-C while fbk retries a dead link stops it; the next run completes", async () => {
    const sim = await startSim({ photos: 3_000, seed: 43 })
    const proxy = await startTcpProxy(sim)
    try {
      const viaProxy = throughProxy(sim, proxy)
      const home = await setUpHome(viaProxy, "net-dead-cli")
      const file = dbPath(home)
      sim.afterCalls(8, () => proxy.drop())
      const cli = startCli(["backup", "--per-page", "100"], cliEnv(home, viaProxy))
      cli.child.stdin!.end()
      // At least one retry has failed too: fbk is waiting out its backoff.
      await waitFor(() => (proxy.dropped() >= 2 ? true : undefined), { timeoutMs: 20_000, what: "dropped connections" })
      cli.child.kill("SIGINT")
      const result = await cli.done
      expect(result.code, result.stderr).toBe(130)
      expect(result.stderr).not.toMatch(/^\s+at /m)

      expect(integrityCheck(file)).toEqual(["ok"])
      const stopped = syncRuns(file)
      expect(stopped).toEqual([expect.objectContaining({ kind: "backup", outcome: "interrupted", message: "interrupted" })])
      expect(stopped[0]!.added).toBe(photoCount(file))
      expect(stopped[0]!.added).toBeGreaterThan(0)

      await proxy.up()
      const resumed = await runCliInProcess(["backup", "--per-page", "100"], cliEnv(home, viaProxy))
      expectSuccess(resumed)
      expect(resumed.stderr).toMatch(/Resuming the interrupted backup/)
      expectExactly(home, sim)
      expect(syncRuns(file)).toEqual([expect.objectContaining({ id: stopped[0]!.id, outcome: "succeeded", added: 3_000 })])
    } finally {
      await proxy.close()
    }
  })

  it("through the CLI: an outage shorter than the retry schedule is ridden out", async () => {
    const sim = await startSim({ photos: 3_000, seed: 42 })
    const proxy = await startTcpProxy(sim)
    try {
      const viaProxy = throughProxy(sim, proxy)
      const home = await setUpHome(viaProxy, "net-blip")
      sim.afterCalls(6, () => proxy.drop())
      const cli = startCli(["backup", "--per-page", "100"], cliEnv(home, viaProxy))
      cli.child.stdin!.end()
      // Down long enough that several attempts fail, back well before the retries run out.
      await waitFor(() => (proxy.dropped() >= 3 ? true : undefined), { timeoutMs: 20_000, what: "dropped connections" })
      await proxy.up()
      const result = await cli.done
      expectSuccess(result)
      expect(result.stderr).not.toMatch(/^fbk: /m)
      expectExactly(home, sim)
      expect(syncRuns(dbPath(home))).toEqual([expect.objectContaining({ outcome: "succeeded", added: 3_000 })])
    } finally {
      await proxy.close()
    }
  })
})

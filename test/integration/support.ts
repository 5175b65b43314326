// Shared helpers of the integration tests: temporary homes, the simulator's lifecycle, the CLI
// as a child process or in-process, the programs in-process over real HTTP, and views of the database.
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import Database from "better-sqlite3"
import { Cause, ConfigProvider, Duration, Effect, Exit, Layer, Option, Redacted } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { expect } from "vitest"
import * as Layers from "../../src/Layers.js"
import { invocation } from "../../src/CliRun.js"
import { main } from "../../src/Main.js"
import { backup } from "../../src/programs/Backup.js"
import { setup } from "../../src/programs/Setup.js"
import { update } from "../../src/programs/Update.js"
import * as Browser from "../../src/services/terminal/Browser.js"
import { FbkConfig, resolveConfig } from "../../src/services/home/FbkConfig.js"
import * as Reporter from "../../src/services/terminal/Reporter.js"
import * as UserInput from "../../src/services/terminal/UserInput.js"
import { type FlickrSimulator, type SimulatorOptions, startSimulator } from "../../src/simulator/Server.js"

export const ROOT = path.resolve(import.meta.dirname, "../..")
export const BIN = path.join(ROOT, "dist", "fbk.js")
export const DB_FILE = "flickr_backup.sqlite"
export const CREDENTIALS_FILE = "credentials.json"

// ---- temporary directories and simulators, cleaned up by the test files' hooks ----

const tempDirs: Array<string> = []
const simulators = new Set<FlickrSimulator>()

/** A new empty directory under the system's temp dir. */
export const tempDir = (label: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fbk-it-${label}-`))
  tempDirs.push(dir)
  return dir
}

export const removeTempDirs = (): void => {
  if (process.env.FBK_TEST_KEEP) return
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

export const startSim = async (options: SimulatorOptions = {}): Promise<FlickrSimulator> => {
  const sim = await startSimulator({ autoApprove: true, ...options })
  simulators.add(sim)
  return sim
}

export const closeSimulators = async (): Promise<void> => {
  const open = [...simulators]
  simulators.clear()
  await Promise.all(open.map((s) => s.close()))
}

// ---- the CLI ----

const platform = Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** The environment of a CLI run: fbk's own variables only from here, nothing inherited. */
export const cliEnv = (
  home: string,
  sim?: FlickrSimulator,
  extra: Readonly<Record<string, string | undefined>> = {}
): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(FBK_|FLICKR_)/.test(name) && name !== "BROWSER") env[name] = value
  }
  env.FBK_HOME = home
  if (sim !== undefined) {
    env.FBK_REST_URL = sim.restUrl
    env.FBK_OAUTH_URL = sim.oauthUrl
    env.FLICKR_API_KEY = sim.apiKey
    env.FLICKR_API_SECRET = sim.apiSecret
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

export interface CliProcess {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  readonly done: Promise<CliResult>
  /** Resolves with the first match of `pattern` in stdout so far or to come. */
  readonly waitForStdout: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>
}

/** Starts `node dist/src/bin.js ...args`; stdin stays open for the caller. */
export const startCli = (args: ReadonlyArray<string>, env: Record<string, string>, timeoutMs = 55_000): CliProcess => {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`)
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: os.tmpdir(), stdio: ["pipe", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  const watchers: Array<() => void> = []
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk
    for (const watcher of [...watchers]) watcher()
  })
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk
  })
  child.stdin!.on("error", () => undefined)
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once("error", reject)
    child.once("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
  const waitForStdout = (pattern: RegExp, waitMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern)
        if (match === null) return
        watchers.splice(watchers.indexOf(check), 1)
        clearTimeout(giveUp)
        resolve(match)
      }
      const giveUp = setTimeout(() => {
        watchers.splice(watchers.indexOf(check), 1)
        reject(new Error(`stdout never matched ${pattern}; stdout: ${stdout}; stderr: ${stderr}`))
      }, waitMs)
      watchers.push(check)
      check()
      void done.then(() => check())
    })
  return { child, stdout: () => stdout, stderr: () => stderr, done, waitForStdout }
}

/** Runs the CLI to the end with `input` (default nothing) on stdin. */
export const runCli = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  options: { readonly input?: string; readonly timeoutMs?: number } = {}
): Promise<CliResult> => {
  const cli = startCli(args, env, options.timeoutMs)
  cli.child.stdin!.end(options.input ?? "")
  return cli.done
}

type Write = typeof process.stdout.write

/** Collects what is written to `stream` (its callback called at once) instead of writing it. */
const captureInto = (into: Array<string>): Write =>
  ((chunk: string | Uint8Array, ...rest: ReadonlyArray<unknown>) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"))
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined
    callback?.()
    return true
  }) as Write

/**
 * The CLI in this process (src/Main.ts over Node's layers, `env` as its whole configuration), for
 * commands that need no process of their own: no signals, no lock held against another process,
 * no stdin. Exits 0 or 1 as dist/fbk.js does; stdout and stderr are captured, as from a pipe (no TTY).
 * The tests of a file run one at a time, which this needs: it borrows process.stdout and stderr.
 */
export const runCliInProcess = async (args: ReadonlyArray<string>, env: Record<string, string>): Promise<CliResult> => {
  const stdout: Array<string> = []
  const stderr: Array<string> = []
  const streams = [[process.stdout, stdout], [process.stderr, stderr]] as const
  const saved = streams.map(([stream]) => ({ write: stream.write, isTTY: stream.isTTY }))
  for (const [stream, into] of streams) {
    stream.write = captureInto(into)
    stream.isTTY = false
  }
  try {
    const exit = await Effect.runPromiseExit(
      main(["node", BIN, ...args], invocation(["node", BIN, ...args]), 80).pipe(
        Effect.provide(platform),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
      )
    )
    return { code: Exit.isSuccess(exit) ? 0 : 1, signal: null, stdout: stdout.join(""), stderr: stderr.join("") }
  } finally {
    streams.forEach(([stream], i) => {
      stream.write = saved[i]!.write
      stream.isTTY = saved[i]!.isTTY
    })
  }
}

/** No stack trace: no "    at ..." frame and no "Error:" dump anywhere in the output. */
export const expectNoStackTrace = (result: CliResult): void => {
  for (const text of [result.stdout, result.stderr]) {
    expect(text).not.toMatch(/^\s+at /m)
    expect(text).not.toMatch(/\b(FiberFailure|node:internal)\b/)
  }
}

/** A failure reported the fbk way: non-zero exit, exactly one line on stderr, no stack trace. */
export const expectOneLineError = (result: CliResult, pattern?: RegExp): string => {
  expect(result.signal, result.stderr).toBeNull()
  expect(result.code, result.stderr).not.toBe(0)
  expect(result.stderr).toMatch(/^fbk: [^\n]+\n$/)
  expectNoStackTrace(result)
  if (pattern !== undefined) expect(result.stderr).toMatch(pattern)
  return result.stderr.trim()
}

export const expectSuccess = (result: CliResult): void => {
  expect(result.signal, result.stderr).toBeNull()
  expect(result.code, `stderr: ${result.stderr}\nstdout: ${result.stdout}`).toBe(0)
  expectNoStackTrace(result)
}

/** A `$BROWSER` that opens the page with curl, following the redirect back to fbk's callback. */
export const writeBrowserScript = (dir: string): string => {
  const file = path.join(dir, "browser.sh")
  fs.writeFileSync(file, '#!/bin/sh\nexec curl -sfL -o /dev/null "$1"\n', { mode: 0o755 })
  return file
}

// ---- the programs in-process, over real HTTP to the simulator ----

export interface InProcessOptions {
  /** First retry delay; the CLI uses 500 ms, tests default to 10. */
  readonly retryBaseMillis?: number
  /** Collects what the reporter shows (notes, results, warnings, progress). */
  readonly lines?: Array<string>
}

const baseLayer = (sim: FlickrSimulator, home: string, options: InProcessOptions) =>
  Layer.merge(
    Layer.effect(
      FbkConfig,
      resolveConfig({ home: Option.some(home), database: Option.none(), restUrl: sim.restUrl, oauthUrl: sim.oauthUrl }).pipe(
        Effect.map((config) => FbkConfig.of({ ...config, retryBaseMillis: options.retryBaseMillis ?? 10 }))
      )
    ),
    Reporter.collecting(options.lines ?? [])
  )

/** Runs an effect and returns its value, or throws with the pretty cause. */
export const runOrThrow = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isFailure(exit)) throw new Error(`the program failed:\n${Cause.pretty(exit.cause)}`)
  return exit.value
}

/** `fbk setup` in-process: the real OAuth dance, approved by fetching the authorisation page. */
export const setupProgram = (sim: FlickrSimulator, home: string, options: InProcessOptions = {}) =>
  setup({
    noBrowser: false,
    force: true,
    timeout: Duration.seconds(20),
    keys: { apiKey: sim.apiKey, apiSecret: Redacted.make(sim.apiSecret) }
  }).pipe(
    Effect.provide(Layers.setup),
    Effect.provide(Layer.mergeAll(baseLayer(sim, home, options), UserInput.fixed([]), Browser.approvingFetch)),
    Effect.provide(platform)
  )

export interface BackupArgs {
  readonly numPages?: number
  readonly pageNum?: number
  readonly perPage?: number
}

export const backupProgram = (sim: FlickrSimulator, home: string, args: BackupArgs = {}, options: InProcessOptions = {}) =>
  backup({
    numPages: Option.fromNullable(args.numPages),
    pageNum: Option.fromNullable(args.pageNum),
    perPage: args.perPage ?? 500
  }).pipe(Effect.provide(Layers.sync), Effect.provide(baseLayer(sim, home, options)), Effect.provide(platform))

export const updateProgram = (sim: FlickrSimulator, home: string, options: InProcessOptions = {}) =>
  update({ perPage: 500 }).pipe(Effect.provide(Layers.sync), Effect.provide(baseLayer(sim, home, options)), Effect.provide(platform))

/** A home set up in-process (credentials and database), with the simulator's counters reset after. */
export const setUpHome = async (sim: FlickrSimulator, label: string): Promise<string> => {
  const home = path.join(tempDir(label), "home")
  await runOrThrow(setupProgram(sim, home))
  sim.resetStats()
  return home
}

// ---- the database ----

export type Db = Database.Database

export const openDb = (file: string, readonly = true): Db => new Database(file, { readonly, fileMustExist: true })

export const withDb = <A>(file: string, f: (db: Db) => A, readonly = true): A => {
  const db = openDb(file, readonly)
  try {
    return f(db)
  } finally {
    db.close()
  }
}

export interface PhotoDbRow {
  readonly id: string
  readonly owner: string | null
  readonly title: string | null
  readonly description: string | null
  readonly media: string
  readonly tags: string
  readonly machine_tags: string
  readonly date_taken: string | null
  readonly date_taken_unknown: number
  readonly date_uploaded: number | null
  readonly last_update: number | null
  readonly views: number | null
  readonly latitude: number | null
  readonly longitude: number | null
  readonly accuracy: number | null
  readonly place_id: string | null
  readonly woeid: string | null
  readonly url_o: string | null
  readonly width: number | null
  readonly height: number | null
  readonly raw: string
  readonly first_seen_at: number
  readonly changed_at: number
  readonly last_seen_run: number | null
  readonly deleted_at: number | null
}

export interface SyncRunRow {
  readonly id: number
  readonly kind: string
  readonly started_at: number
  readonly finished_at: number | null
  readonly outcome: string
  readonly pid: number | null
  readonly resume_cursor: string | null
  readonly pages: number
  readonly photos: number
  readonly added: number
  readonly changed: number
  readonly deleted: number
  readonly restored: number
  readonly api_calls: number
  readonly message: string | null
}

export interface RevisionRow {
  readonly id: number
  readonly photo_id: string
  readonly last_update: number | null
  readonly raw: string
  readonly replaced_at: number
  readonly run_id: number | null
}

export const dbPath = (home: string): string => path.join(home, DB_FILE)

export const photoRows = (file: string): Array<PhotoDbRow> =>
  withDb(file, (db) => db.prepare("SELECT * FROM photos ORDER BY id").all() as Array<PhotoDbRow>)

export const syncRuns = (file: string): Array<SyncRunRow> =>
  withDb(file, (db) => db.prepare("SELECT * FROM sync_runs ORDER BY id").all() as Array<SyncRunRow>)

export const revisions = (file: string): Array<RevisionRow> =>
  withDb(file, (db) => db.prepare("SELECT * FROM photo_revisions ORDER BY id").all() as Array<RevisionRow>)

/** Ids of photos not marked deleted. */
export const liveIdsIn = (file: string): Array<string> =>
  withDb(file, (db) => db.prepare("SELECT id FROM photos WHERE deleted_at IS NULL ORDER BY id").pluck().all() as Array<string>)

/** Every row of `table` as JSON, in a stable order (some tables have no rowid): equal dumps mean equal contents. */
export const dumpTable = (file: string, table: string): string =>
  withDb(file, (db) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row)).sort()))

export const sorted = (ids: ReadonlyArray<string>): Array<string> => [...ids].sort()

/** The names of the tables in `file`, SQLite's own excepted, sorted. */
export const tableNames = (file: string): Array<string> =>
  withDb(file, (db) =>
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck()
      .all() as Array<string>)

/** A new SQLite file (rollback journal, as most other programs leave it) made by `statements`. */
export const writeSqliteFile = (file: string, statements: ReadonlyArray<string>): void => {
  const db = new Database(file)
  try {
    for (const statement of statements) db.exec(statement)
  } finally {
    db.close()
  }
}

// ---- files ----

const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(file)).digest("hex")

/** Every file under `dir` (recursively) with its hash; null when `dir` does not exist. */
export const hashTree = (dir: string): Record<string, string> | null => {
  if (!fs.existsSync(dir)) return null
  const out: Record<string, string> = {}
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name)
      if (entry.isDirectory()) walk(full)
      else out[path.relative(dir, full)] = sha256(full)
    }
  }
  walk(dir)
  return out
}

export const mode = (file: string): number => fs.statSync(file).mode & 0o777

// ---- waiting and checking while something else runs ----

/**
 * Polls `probe` until it returns a value (not undefined), and resolves with it; rejects after
 * `timeoutMs`. A probe that throws stops the wait with its error.
 */
export const waitFor = <A>(
  probe: () => A | undefined,
  options: { readonly timeoutMs?: number; readonly intervalMs?: number; readonly what?: string } = {}
): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const deadline = Date.now() + (options.timeoutMs ?? 20_000)
    const tick = () => {
      let value: A | undefined
      try {
        value = probe()
      } catch (error) {
        reject(error)
        return
      }
      if (value !== undefined) resolve(value)
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${options.what ?? "a condition"}`))
      else setTimeout(tick, options.intervalMs ?? 10)
    }
    tick()
  })

/** The newest sync_runs row, or undefined when there is none or the file cannot be read right now. */
export const latestRun = (file: string): SyncRunRow | undefined => {
  try {
    return withDb(file, (db) => db.prepare("SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1").get() as SyncRunRow | undefined)
  } catch {
    return undefined
  }
}

/** The database holds exactly the simulator's live photos, once each, each as listed now. */
export const expectExactly = (home: string, sim: FlickrSimulator): void => {
  const file = dbPath(home)
  const live = liveIdsIn(file)
  expect(new Set(live).size).toBe(live.length)
  expect(live).toEqual(sorted(sim.liveIds()))
  for (const row of photoRows(file)) {
    if (row.deleted_at === null) expect(JSON.parse(row.raw), row.id).toEqual(sim.photo(row.id))
  }
}

/** `PRAGMA integrity_check`: ["ok"] for a sound file. */
export const integrityCheck = (file: string): Array<string> =>
  withDb(file, (db) => db.prepare("PRAGMA integrity_check").pluck().all() as Array<string>)

const PHOTO_METHODS = ["flickr.people.getPhotos", "flickr.photos.recentlyUpdated"]
const ALBUM_METHODS = ["flickr.photosets.getList", "flickr.photosets.getPhotos", "flickr.collections.getTree"]

const callsTo = (sim: FlickrSimulator, methods: ReadonlyArray<string>): number =>
  methods.reduce((sum, method) => sum + (sim.stats().byMethod[method] ?? 0), 0)

/** REST calls for the photostream (listing, recent changes, counts) since the last resetStats. */
export const photoCalls = (sim: FlickrSimulator): number => callsTo(sim, PHOTO_METHODS)

/** REST calls for albums and collections since the last resetStats. */
export const albumCalls = (sim: FlickrSimulator): number => callsTo(sim, ALBUM_METHODS)

/** Album calls of a sync that reads the members of `membersOf`: getList pages, member pages, the tree. */
export const expectedAlbumCalls = (sim: FlickrSimulator, membersOf: ReadonlyArray<string>): number =>
  Math.max(1, Math.ceil(sim.albums().length / 500)) +
  membersOf.reduce((sum, id) => sum + Math.max(1, Math.ceil(sim.album(id)!.photoIds.length / 500)), 0) +
  1

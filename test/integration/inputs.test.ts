// What users get wrong, through the real CLI: bad options, a home never set up, a --db that is
// not fbk's, the original Python tool's database, `status` against the database, secrets kept
// out of every output and table (the help is help.test.ts's). A refusal is one `fbk: ` line on
// stderr, a non-zero exit, no stack trace, and not one byte changed in the home.
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import {
  backupProgram, cliEnv, type CliResult, closeSimulators, CREDENTIALS_FILE, dbPath, dumpTable, expectOneLineError,
  expectSuccess, hashTree, liveIdsIn, mode, photoRows, removeTempDirs, revisions, runCli, runCliInProcess, runOrThrow,
  setUpHome, sorted, startSim, syncRuns, type SyncRunRow, tableNames, tempDir, withDb, writeBrowserScript, writeSqliteFile
} from "./support.js"
import { FBK_TABLES } from "../support/Fixtures.js"
import { generateAccount, writeExport } from "../support/FlickrExport.js"

// Some describes share one simulator across their tests, so simulators close at the end.
afterAll(closeSimulators)
afterAll(removeTempDirs)

/** Refused the fbk way, every pattern in the one line, nothing on stdout. */
const expectRefusal = (result: CliResult, ...patterns: ReadonlyArray<RegExp>): void => {
  expectOneLineError(result)
  for (const pattern of patterns) expect(result.stderr).toMatch(pattern)
  expect(result.stdout).toBe("")
}

describe("bad options: refused before anything is opened or called", () => {
  let sim: FlickrSimulator
  let home: string
  beforeAll(async () => {
    sim = await startSim({ photos: 300, seed: 21 })
    home = await setUpHome(sim, "options")
    await runOrThrow(backupProgram(sim, home)) // a database with rows, so a change would show
  })
  beforeEach(() => sim.resetStats())

  const cases: ReadonlyArray<readonly [ReadonlyArray<string>, ReadonlyArray<RegExp>]> = [
    [["backup", "--numpages", "-1"], [/^fbk: --numpages must be a whole number of at least 1 \(got -1\) \(see `fbk backup --help`\)\n$/]],
    [["backup", "--numpages", "0"], [/^fbk: --numpages must be a whole number of at least 1 \(got 0\) \(see `fbk backup --help`\)\n$/]],
    [["backup", "--pagenum", "0"], [/^fbk: --pagenum must be a whole number of at least 1 \(got 0\) \(see `fbk backup --help`\)\n$/]],
    [["backup", "--per-page", "501"], [/^fbk: --per-page must be a whole number from 1 to 500 \(got 501\) \(see `fbk backup --help`\)\n$/]],
    [["backup", "--per-page", "0"], [/^fbk: --per-page must be a whole number from 1 to 500 \(got 0\) \(see `fbk backup --help`\)\n$/]],
    // Parse errors of @effect/cli: the option, the value, and what is expected instead.
    [["backup", "--numpages", "abc"], [/^fbk: --numpages: /, /'abc'/, /integer/, /`fbk backup --help`/]],
    [["backup", "--numpages=abc"], [/^fbk: --numpages: /, /'abc'/, /integer/, /`fbk backup --help`/]],
    // Unknown: named, with the way to find the right spelling.
    [["backup", "--bogus"], [/'--bogus'/, /`fbk backup --help`/]],
    [["backup", "--nosuch"], [/^fbk: Received unknown argument: '--nosuch' \(see `fbk backup --help`\)\n$/]],
    // Shared options before the command: the refusal still names the command's help.
    [["-q", "backup", "--per-page", "0"], [/^fbk: --per-page must be a whole number from 1 to 500 \(got 0\) \(see `fbk backup --help`\)\n$/]],
    [["update", "--numpages", "2"], [/'--numpages'/, /`fbk update --help`/]],
    // Two options that contradict each other: one line naming both.
    [["backup", "--files", "--no-files"], [/^fbk: --files and --no-files contradict each other; give one of them \(see `fbk backup --help`\)\n$/]],
    [["update", "--no-files", "--files"], [/^fbk: --files and --no-files contradict each other; give one of them \(see `fbk update --help`\)\n$/]],
    [["frobnicate"], [/unknown command 'frobnicate'/, /'setup'.*'backup'.*'update'.*'status'/, /`fbk --help`/]],
    [["--bogus", "backup"], [/unknown option '--bogus'/, /`fbk --help`/]]
  ]
  for (const [args, patterns] of cases) {
    it(`fbk ${args.join(" ")}`, async () => {
      const before = hashTree(home)
      const result = await runCliInProcess(args, cliEnv(home, sim))
      expectRefusal(result, ...patterns)
      expect(hashTree(home)).toEqual(before)
      expect(sim.stats().restCalls).toBe(0)
    })
  }

  // Not refused: --help calls --pagenum "the page to start a staged backup at", so it runs to the end.
  it("--pagenum 2 alone is a staged backup from page 2 to the last page", async () => {
    const staged = await setUpHome(sim, "pagenum-only")
    const result = await runCliInProcess(["backup", "--pagenum", "2", "--per-page", "100"], cliEnv(staged, sim))
    expectSuccess(result)
    expect(sorted(photoRows(dbPath(staged)).map((r) => r.id))).toEqual(sorted(sim.liveIds().slice(100)))
    expect(sim.stats().byMethod["flickr.people.getPhotos"]).toBe(2)
    expect(syncRuns(dbPath(staged))).toEqual([
      expect.objectContaining({ kind: "staged-backup", outcome: "succeeded", pages: 2, added: 200, deleted: 0 })
    ])
  })
})

describe("a home never set up", () => {
  for (const args of [["backup"], ["update"], ["status"], ["status", "--json"]]) {
    it(`fbk ${args.join(" ")}: one line saying to run \`fbk setup\`; no directory or file created`, async () => {
      const sim = await startSim({ photos: 10 })
      const parent = tempDir("never")
      const home = path.join(parent, "home")
      const absent = await runCliInProcess(args, cliEnv(home, sim))
      expectRefusal(absent, /run `fbk setup`/)
      expect(absent.stderr).toContain(home)
      expect(fs.readdirSync(parent)).toEqual([])

      // The directory there but empty, named with --home: still nothing written into it.
      fs.mkdirSync(home, { mode: 0o700 })
      const empty = await runCliInProcess([...args, "--home", home], cliEnv(path.join(parent, "other"), sim))
      expectRefusal(empty, /run `fbk setup`/)
      expect(empty.stderr).toContain(home)
      expect(fs.readdirSync(parent)).toEqual(["home"])
      expect(fs.readdirSync(home)).toEqual([])
      expect(sim.stats().restCalls + sim.stats().oauthCalls).toBe(0)
    })
  }
})

describe("a home that cannot be read", () => {
  it("is not called a home never set up: the system's reason in plain words, one line, nothing written", async () => {
    // Root reads anything, so the home is a file: everything under it fails with ENOTDIR.
    const dir = tempDir("home-file")
    const home = path.join(dir, "home")
    fs.writeFileSync(home, "not a folder")
    const commands = [["backup"], ["update"], ["status"], ["verify"], ["search", "harbour"], ["download"]]
    for (const args of commands) {
      const result = await runCliInProcess(args, cliEnv(home))
      expectRefusal(result, /cannot be read \(a file is in the way of a folder\)/)
      expect(result.stderr).toContain(home)
      expect(result.stderr).not.toMatch(/not set up/)
    }
    // A --db inside a file, from a home that is fine.
    const db = path.join(home, "photos.sqlite")
    const status = await runCliInProcess(["status", "--db", db], cliEnv(path.join(dir, "other")))
    expectRefusal(status, /cannot be read \(a file is in the way of a folder\)/)
    expect(status.stderr).toContain(db)
    expect(fs.readdirSync(dir)).toEqual(["home"])
    expect(fs.readFileSync(home, "utf8")).toBe("not a folder")
  })
})

describe("a home built from Flickr's export alone (no API key)", () => {
  it("verify works, status says what the home can do, and nothing sends it to `fbk setup` alone", async () => {
    const account = generateAccount({ photos: 6 })
    const dir = tempDir("export-home")
    await writeExport(path.join(dir, "export"), account, { mediaZips: 1 })
    const home = path.join(dir, "home")
    const env = cliEnv(home)
    expectSuccess(await runCliInProcess(["import-export", path.join(dir, "export")], env))
    expect(fs.existsSync(path.join(home, CREDENTIALS_FILE))).toBe(false)

    const verified = await runCliInProcess(["verify"], env)
    expectSuccess(verified)
    expect(verified.stdout).toMatch(/^Verify: 6 files read back; 0 missing, 0 altered$/m)

    const status = await runCliInProcess(["status"], env)
    expectSuccess(status)
    expect(status.stdout).toMatch(
      /^API key: +none: this home was built from Flickr's export\. `fbk import-export` adds a newer export; verify, link, search and status work here; backup, update, details and download need `fbk setup` with a Pro key$/m
    )
    expect(status.stdout).not.toMatch(/`fbk details` reads them|`fbk setup`, then/)
    const report = JSON.parse((await runCliInProcess(["status", "--json"], env)).stdout) as { api_key: boolean }
    expect(report.api_key).toBe(false)
  })
})

describe("--db pointing at a file that is not fbk's", () => {
  let sim: FlickrSimulator
  let home: string
  beforeAll(async () => {
    sim = await startSim({ photos: 50, seed: 8 })
    home = await setUpHome(sim, "db-foreign")
  })
  beforeEach(() => sim.resetStats())

  const notSqlite = /is not an SQLite database; choose another file with --db/
  const kinds: ReadonlyArray<readonly [string, (file: string) => void, ReadonlyArray<RegExp>]> = [
    ["random bytes", (file) => fs.writeFileSync(file, randomBytes(16_384)), [notSqlite]],
    ["a text file", (file) => fs.writeFileSync(file, "photo_id,title\n14090163898,La Sombra\n"), [notSqlite]],
    [
      "another program's SQLite database",
      (file) =>
        writeSqliteFile(file, [
          "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
          "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total REAL)",
          "INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')",
          "INSERT INTO orders VALUES (1, 1, 9.5)"
        ]),
      [/is not an fbk database/, /customers/, /choose another file with --db/]
    ]
  ]
  for (const [label, make, patterns] of kinds) {
    it(`${label}: setup, backup, update and status refuse it; it and the home stay byte-identical`, async () => {
      const dir = tempDir("foreign")
      const file = path.join(dir, "photos.db")
      make(file)
      const homeBefore = hashTree(home)
      const dirBefore = hashTree(dir) // also catches a -wal, -shm or -journal left beside it
      for (const command of ["setup", "backup", "update", "status"]) {
        const result = await runCliInProcess([command, "--db", file], cliEnv(home, sim))
        expectRefusal(result, ...patterns)
        expect(result.stderr).toContain(file)
        expect(hashTree(dir)).toEqual(dirBefore)
        expect(hashTree(home)).toEqual(homeBefore)
      }
      expect(sim.stats().restCalls + sim.stats().oauthCalls).toBe(0)
    })
  }
})

describe("the original Python tool's database at the database path", () => {
  const LEGACY_TABLES = ["flickr_photo", "flickr_photo_set", "flickr_photo_set_photos", "flickr_user"]
  const LEGACY_SCHEMA = [
    "CREATE TABLE flickr_user (id INTEGER PRIMARY KEY, nsid TEXT NOT NULL UNIQUE, username TEXT, realname TEXT)",
    "CREATE TABLE flickr_photo (id INTEGER PRIMARY KEY, photo_id INTEGER NOT NULL UNIQUE, title TEXT, " +
    "description TEXT, taken_timestamp TEXT, view_count INTEGER, latitude REAL, thumb BLOB, " +
    "user_id INTEGER REFERENCES flickr_user(id))",
    "CREATE INDEX flickr_photo_taken ON flickr_photo (taken_timestamp)",
    "CREATE TABLE flickr_photo_set (id INTEGER PRIMARY KEY, set_id TEXT NOT NULL, title TEXT)",
    "CREATE TABLE flickr_photo_set_photos (set_id INTEGER REFERENCES flickr_photo_set(id), " +
    "photo_id INTEGER REFERENCES flickr_photo(id))",
    "INSERT INTO flickr_user VALUES (1, '85853333@N00', 'Jeremy Brooks', 'Jérémy Brooks')",
    "INSERT INTO flickr_photo VALUES (1, 14090163898, 'La Sombra', '&quot;a&quot; <b>b</b>', '2014-05-03 10:00:00', " +
    "12, 37.77, x'89504e47', 1), (2, 14273488301, 'Last Time That I Saw You', NULL, NULL, 0, NULL, NULL, 1), " +
    "(3, 14273488302, '雨の日', '', '2001-01-01 00:00:00', NULL, -0.5, x'00ff', 1)",
    "INSERT INTO flickr_photo_set VALUES (1, '72157644', 'Best of 2014')",
    "INSERT INTO flickr_photo_set_photos VALUES (1, 1), (1, 3)"
  ]
  it("setup then backup work beside it; its tables, rows and schema stay identical; setup says so", async () => {
    const sim = await startSim({ photos: 700, seed: 13 })
    const dir = tempDir("legacy")
    const home = path.join(dir, "home")
    fs.mkdirSync(home, { mode: 0o700 })
    const db = dbPath(home)
    writeSqliteFile(db, LEGACY_SCHEMA)
    const dumps = () => Object.fromEntries(LEGACY_TABLES.map((t) => [t, dumpTable(db, t)]))
    const schema = () =>
      withDb(db, (d) => d.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name LIKE 'flickr%' ORDER BY name").all())
    const before = dumps()
    const schemaBefore = schema()
    expect(JSON.parse(before.flickr_photo!)).toHaveLength(3)
    expect(schemaBefore).toHaveLength(7) // 4 tables, an index, 2 indexes of UNIQUE columns

    const env = cliEnv(home, sim, { BROWSER: writeBrowserScript(dir) })
    const set = await runCli(["setup"], env)
    expectSuccess(set)
    const told = `${set.stdout}${set.stderr}`
    for (const table of LEGACY_TABLES) expect(told).toContain(table)
    expect(told).toMatch(/untouched/)

    const backup = await runCliInProcess(["backup"], env)
    expectSuccess(backup)
    expect(backup.stdout).toMatch(/Backup: 700 added, 0 changed, 0 deleted/)
    expect(sorted(liveIdsIn(db))).toEqual(sorted(sim.liveIds()))

    expect(dumps()).toEqual(before)
    expect(schema()).toEqual(schemaBefore)
    expect(tableNames(db)).toEqual([...LEGACY_TABLES, ...FBK_TABLES].sort())
  })
})

/** Collections at every depth of a collections.getTree answer's roots. */
const countCollections = (nodes: ReadonlyArray<unknown>): number =>
  nodes.reduce<number>((sum, node) => sum + 1 + countCollections(((node as { collection?: Array<unknown> }).collection) ?? []), 0)

/** A sync_runs row as `status --json` should show it. */
const asStatusRun = (run: SyncRunRow) => ({
  id: run.id,
  kind: run.kind,
  outcome: run.outcome,
  started_at: new Date(run.started_at * 1000).toISOString(),
  finished_at: run.finished_at === null ? null : new Date(run.finished_at * 1000).toISOString(),
  photos: run.photos,
  added: run.added,
  changed: run.changed,
  deleted: run.deleted,
  api_calls: run.api_calls,
  message: run.message
})

describe("fbk status against the database", () => {
  it("after a backup, after an update, and with an interrupted backup pending; status changes nothing", async () => {
    const N = 1_200
    const sim = await startSim({ photos: N, seed: 17 })
    const home = await setUpHome(sim, "status")
    const db = dbPath(home)
    const env = cliEnv(home, sim)
    const count = (where: string) => withDb(db, (d) => d.prepare(`SELECT count(*) FROM photos WHERE ${where}`).pluck().get())

    /** Both forms of status; the home is not touched by either. */
    const status = async () => {
      // This test's read-only reads leave -wal/-shm behind; a writable open and close folds them in.
      withDb(db, (d) => d.prepare("SELECT count(*) FROM sqlite_master").get(), false)
      const before = hashTree(home)
      const json = await runCliInProcess(["status", "--json"], env)
      const text = await runCliInProcess(["status"], env)
      expectSuccess(json)
      expectSuccess(text)
      expect(hashTree(home)).toEqual(before)
      return { report: JSON.parse(json.stdout) as Record<string, unknown>, lines: text.stdout.split("\n") }
    }
    // A part is synced as of the start of the run that completed it.
    const syncedAt = (run: { readonly started_at: number }) => new Date(run.started_at * 1000).toISOString()
    const photosLine = (live: number, deleted: number, kept: number) =>
      `Photos:        ${live.toLocaleString("en-US")} on Flickr, ${deleted.toLocaleString("en-US")} deleted there (kept here), ` +
      `${kept.toLocaleString("en-US")} earlier versions kept`

    expectSuccess(await runCliInProcess(["backup"], env))
    const [backupRun] = syncRuns(db)
    expect(backupRun).toMatchObject({ kind: "backup", outcome: "succeeded", added: N })
    // Not fetched yet: every photo's file, and each video's poster.
    const posters = Number(count("media = 'video' AND url_o IS NOT NULL"))
    let { lines, report } = await status()
    expect(report).toEqual({
      account: sim.user,
      home,
      api_key: true,
      database: db,
      photos: { live: N, deleted: 0 },
      revisions: 0,
      albums: sim.albums().length,
      collections: countCollections(sim.collectionTree()),
      details: { read: 0, refused: 0, queued: liveIdsIn(db).length },
      files: { folder: null, folder_present: null, on_disk: 0, expected: N, bytes: 0, not_original: 0, replaced: 0, problems: 0, not_fetched: N + posters },
      export: { photos: 0, files: 0, beside: 0 },
      links: { files: 0, linked: 0, ambiguous: 0, only_on_disk: 0, unreadable: 0, only_on_flickr: null },
      last_synced: { photostream: syncedAt(backupRun!), albums: syncedAt(backupRun!), collections: syncedAt(backupRun!), details: null },
      last_backup: asStatusRun(backupRun!),
      last_update: null,
      last_download: null,
      last_verify: null,
      last_link: null,
      running: null,
      pending: null,
      pending_work: [
        { what: "files", count: N + posters, command: "fbk download" },
        { what: "details", count: liveIdsIn(db).length, command: "fbk details" }
      ]
    })
    expect(lines).toContain(`Account:       ${sim.user.username} (${sim.user.nsid})`)
    expect(lines).toContain(`Database:      ${db}`)
    expect(lines).toContain(photosLine(N, 0, 0))
    expect(lines.find((l) => l.startsWith("Last backup: "))).toContain(`(just now): backup succeeded; 1,200 added`)
    expect(lines).toContain("Last update:   never")
    expect(lines).toContain(`Pending:       ${(N + posters).toLocaleString("en-US")} files not fetched yet; \`fbk download\` fetches them`)

    const removed = sim.remove(4)
    sim.edit(6)
    sim.upload(3)
    expectSuccess(await runCliInProcess(["update"], env))
    const updateRun = syncRuns(db).at(-1)!
    expect(updateRun).toMatchObject({ kind: "update", outcome: "succeeded", added: 3, deleted: removed.length })
    const kept = revisions(db).length
    expect(kept).toBeGreaterThan(0)
    ;({ lines, report } = await status())
    expect(report).toMatchObject({
      photos: { live: N - 4 + 3, deleted: 4 },
      revisions: kept,
      albums: sim.albums().length,
      collections: countCollections(sim.collectionTree()),
      details: { read: 0, refused: 0, queued: liveIdsIn(db).length },
      last_synced: { photostream: syncedAt(updateRun), albums: syncedAt(updateRun), collections: syncedAt(updateRun), details: null },
      last_backup: asStatusRun(backupRun!),
      last_update: asStatusRun(updateRun),
      pending: null
    })
    expect(report.photos).toEqual({ live: count("deleted_at IS NULL"), deleted: count("deleted_at IS NOT NULL") })
    expect(lines).toContain(photosLine(N - 1, 4, kept))
    expect(lines.find((l) => l.startsWith("Last update: "))).toContain(`: update succeeded; 3 added`)

    // A permanent error a few pages in leaves the backup interrupted, to be resumed.
    sim.afterCalls(3, () => sim.injectFault({ kind: "code", code: 112, message: "Method not found", count: 1, method: "flickr.people.getPhotos" }))
    // --quiet: the progress lines would precede the error; the error still shows.
    expectOneLineError(await runCliInProcess(["backup", "--quiet", "--per-page", "100"], env), /error 112/)
    const interrupted = syncRuns(db).at(-1)!
    expect(interrupted).toMatchObject({ kind: "backup", outcome: "interrupted", message: "stopped by an error" })
    ;({ lines, report } = await status())
    expect(report).toMatchObject({
      last_backup: asStatusRun(backupRun!),
      last_update: asStatusRun(updateRun),
      pending: asStatusRun(interrupted)
    })
    expect(lines).toContain(`Pending:       a backup interrupted after ${interrupted.photos} photos; \`fbk backup\` resumes it`)

    // Resumed: nothing pending, and the resumed run is now the last backup.
    expectSuccess(await runCliInProcess(["backup"], env))
    ;({ lines, report } = await status())
    expect(report).toMatchObject({ pending: null, last_backup: { id: interrupted.id, outcome: "succeeded" } })
    expect(lines.find((l) => l.startsWith("Pending:"))).toMatch(/^Pending: +[\d,]+ files not fetched yet/)
  })
})

describe("secrets never appear", () => {
  it("in any output or table, on success and on failure; credentials 0600 in a 0700 home", async () => {
    const sim = await startSim({ photos: 400, seed: 6, apiKey: "key-visible-ok", apiSecret: "apisecret-9f27c4d1e8" })
    const dir = tempDir("secrets")
    const home = path.join(dir, "home")
    const env = cliEnv(home, sim, { BROWSER: writeBrowserScript(dir), FBK_DEBUG: undefined })
    const results: Array<CliResult> = []
    const run = async (args: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
      // setup reads $BROWSER from its own process's environment, so it runs spawned.
      const result = await (args[0] === "setup" ? runCli : runCliInProcess)(args, { ...env, ...extra })
      results.push(result)
      return result
    }

    expectSuccess(await run(["setup"]))
    const credentials = JSON.parse(fs.readFileSync(path.join(home, CREDENTIALS_FILE), "utf8")) as Record<string, string>
    expect(credentials.api_secret).toBe(sim.apiSecret)
    expect(credentials.oauth_token_secret).toMatch(/^\S{8,}$/)
    const wrongSecret = "wrongsecret-51be0a77"
    const secrets = [credentials.api_secret!, credentials.oauth_token_secret!, wrongSecret]

    expectSuccess(await run(["setup"]))
    expectSuccess(await run(["backup"]))
    sim.edit(5)
    sim.remove(2)
    expectSuccess(await run(["update"]))
    expectSuccess(await run(["status"]))
    expectSuccess(await run(["status", "--json"]))

    // Failures: a revoked token, then setup again with a wrong API secret.
    sim.revokeTokens()
    // update first: after the failed backup it would refuse for the interrupted run instead.
    expectOneLineError(await run(["update"]), /rejected the stored token/)
    expectOneLineError(await run(["backup"]), /rejected the stored token/)
    expectSuccess(await run(["status", "--json"]))
    const credentialsBefore = fs.readFileSync(path.join(home, CREDENTIALS_FILE))
    const wrong = { FLICKR_API_SECRET: wrongSecret }
    expectOneLineError(await run(["setup", "--force"], wrong), /API secret is wrong/)
    // Without --force, setup first finds the stored token revoked and says so on its own line.
    const again = await run(["setup"], wrong)
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/^The stored token no longer works; setting up again\.\nfbk: [^\n]*API secret is wrong[^\n]*\n$/)
    expect(fs.readFileSync(path.join(home, CREDENTIALS_FILE))).toEqual(credentialsBefore)

    for (const result of results) {
      for (const secret of secrets) {
        expect(result.stdout).not.toContain(secret)
        expect(result.stderr).not.toContain(secret)
      }
    }
    const db = dbPath(home)
    const tables = tableNames(db)
    expect(tables).toEqual(expect.arrayContaining(["photos", "sync_runs", "users"]))
    expect(photoRows(db).length).toBeGreaterThan(0)
    for (const table of tables) for (const secret of secrets) expect(dumpTable(db, table)).not.toContain(secret)
    // Nor anywhere in the database's bytes (free pages included), nor in any file but credentials.
    for (const file of Object.keys(hashTree(home)!).filter((f) => f !== CREDENTIALS_FILE)) {
      const bytes = fs.readFileSync(path.join(home, file)).toString("latin1")
      for (const secret of secrets) expect(bytes, file).not.toContain(secret)
    }
    expect(mode(path.join(home, CREDENTIALS_FILE))).toBe(0o600)
    expect(mode(home)).toBe(0o700)
  })
})

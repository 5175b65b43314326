// `fbk status` over a real store: what is pending and the command for each, the run in progress from
// the run lock, the last download and verify, Files counting live photos only, a missing store folder.
import { describe, expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Clock, Effect, Redacted } from "effect"
import * as fs from "node:fs"
import { DOWNLOAD_DEFAULTS, download } from "../../src/programs/Download.js"
import { status } from "../../src/programs/Status.js"
import { verify } from "../../src/programs/Verify.js"
import { CredentialStore } from "../../src/services/home/CredentialStore.js"
import { backUp, downloadedStore, onServedAccount } from "../support/ServedAccount.js"
import { OWNER, photoRow } from "../support/TestFlickrApi.js"

const OPTIONS = { ...DOWNLOAD_DEFAULTS, concurrency: 3 }

/** The report and its words, the lines without their newline; `keyed`: as in a home `fbk setup` connected. */
const statusNow = (lines: Array<string>, keyed = true) =>
  Effect.gen(function*() {
    const credentials = yield* CredentialStore
    if (keyed && (yield* credentials.find)._tag === "None") {
      yield* credentials.save({
        api_key: "key",
        api_secret: Redacted.make("secret"),
        oauth_token: "token",
        oauth_token_secret: Redacted.make("token secret"),
        user: OWNER
      })
    }
    lines.length = 0
    const report = yield* status({ json: false })
    return { report, text: lines.join("").split("\n") }
  }).pipe(Effect.provide(CredentialStore.Default))

const line = (text: ReadonlyArray<string>, label: string) => text.find((l) => l.startsWith(`${label}:`))
const MINUTE_AGO = (words: string) => new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(${words}\\)`)

describe("status", () => {
  it.live("after a backup: the files and the details pending, each with its command; nothing running, no download yet", () =>
    onServedAccount(({ lines }) =>
      Effect.gen(function*() {
        yield* backUp
        const { report, text } = yield* statusNow(lines)
        expect(report.pending_work).toEqual([
          { what: "files", count: 3, command: "fbk download" },
          { what: "details", count: 3, command: "fbk details" }
        ])
        const pendingAt = text.findIndex((l) => l.startsWith("Pending:"))
        expect(text.slice(pendingAt, pendingAt + 2)).toEqual([
          "Pending:       3 files not fetched yet; `fbk download` fetches them",
          "               details of 3 photos queued; `fbk details` reads them"
        ])
        expect(report.running).toBeNull()
        expect(line(text, "Running")).toBe("Running:       nothing")
        expect(line(text, "Last download")).toBe("Last download: never")
        expect(line(text, "Last backup")).toMatch(/^Last backup: {3}\d{4}-\d\d-\d\d \d\d:\d\d \(just now\): backup succeeded; 3 added/)
        expect(report.last_backup?.finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
      })))

  it.live("without an API key (a home built from the export) the work that needs Flickr is not pending: the API key line says so", () =>
    onServedAccount(({ lines }) =>
      Effect.gen(function*() {
        yield* backUp
        const { report, text } = yield* statusNow(lines, false)
        expect(report.pending_work).toEqual([])
        expect(line(text, "Pending")).toBe("Pending:       nothing")
        expect(line(text, "API key")).toBe("API key:       none: `fbk setup` connects fbk to your Flickr account")
      })))

  it.live("after a download and a verify: both recorded with when and how, a failed verify as failed; a file Flickr would not give is pending with --retry-problems", () =>
    onServedAccount(({ account, lines, server }) =>
      Effect.gen(function*() {
        // Photo 4's original is not on the server (404): its download fails for good, and is recorded as a problem.
        account.addPhotos([photoRow("4", { url_o: server.url("/o/4.jpg"), width: 640, height: 480 })])
        yield* backUp
        yield* download(OPTIONS)
        yield* verify({ repair: false, download: OPTIONS })
        const { report, text } = yield* statusNow(lines)
        expect(report.last_download).toMatchObject({ outcome: "succeeded" })
        expect(report.last_verify).toMatchObject({ outcome: "succeeded" })
        expect(line(text, "Last download")?.slice(15)).toMatch(MINUTE_AGO("just now"))
        expect(line(text, "Last verify")).toMatch(/\(just now\), succeeded$/)
        expect(report.files).toMatchObject({ on_disk: 3, expected: 4, problems: 1, not_fetched: 0 })
        expect(report.pending_work).toContainEqual({ what: "problems", count: 1, command: "fbk download --retry-problems" })
        expect(line(text, "Pending")).toBe("Pending:       1 file Flickr would not give; `fbk download --retry-problems` asks again")

        const { full } = yield* downloadedStore(OPTIONS)
        fs.rmSync(full("2"))
        yield* Effect.flip(verify({ repair: false, download: OPTIONS }))
        expect((yield* statusNow(lines)).report.last_verify).toMatchObject({ outcome: "failed" })
      })))

  it.live("Files counts the live photos' files only; a store whose folder is gone is said missing, from the disk", () =>
    onServedAccount(({ lines }) =>
      Effect.gen(function*() {
        const { store } = yield* downloadedStore(OPTIONS)
        const sql = yield* SqlClient.SqlClient
        yield* sql`UPDATE photos SET deleted_at = 1 WHERE id = '3'`
        let { report, text } = yield* statusNow(lines)
        expect(report.files).toMatchObject({ on_disk: 2, expected: 2, folder: store, folder_present: true })
        expect(line(text, "Files")).toMatch(new RegExp(`^Files: +2 of 2 on disk \\([\\d.]+ KB in ${store}\\);`))
        fs.renameSync(store, `${store}.away`)
        ;({ report, text } = yield* statusNow(lines))
        expect(report.files.folder_present).toBe(false)
        expect(line(text, "Files")).toContain(`in ${store}, which is missing: is its disk mounted?)`)
      })))

  it.live("a run in progress: the lock holder's command, pid and since when; a download it runs is not interrupted", () =>
    onServedAccount(({ lines }) =>
      Effect.gen(function*() {
        yield* downloadedStore(OPTIONS)
        const sql = yield* SqlClient.SqlClient
        const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        // The parent process (vitest's) is alive: its row is a run in progress, as another fbk's would be.
        yield* sql`INSERT INTO run_lock (id, command, pid, token, taken_at) VALUES (1, 'download', ${process.ppid}, 't', ${now - 300})`
        yield* sql`UPDATE command_runs SET outcome = 'running', finished_at = NULL WHERE command = 'download'`
        let { report, text } = yield* statusNow(lines)
        expect(report.running).toEqual({ command: "download", pid: process.ppid, since: new Date((now - 300) * 1000).toISOString() })
        expect(line(text, "Running")).toMatch(new RegExp(`^Running: +\`fbk download\` \\(pid ${process.ppid}\\) since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(5 minutes ago\\)$`))
        expect(report.last_download?.outcome).toBe("running")
        expect(report.pending_work.map((item) => item.what)).toEqual(["details"])

        // Its process gone (the row of a pid that does not exist): nothing runs, and that download was interrupted.
        yield* sql`UPDATE run_lock SET pid = 2147483646`
        ;({ report, text } = yield* statusNow(lines))
        expect(report.running).toBeNull()
        expect(report.last_download?.outcome).toBe("interrupted")
        expect(report.pending_work[0]).toEqual({ what: "download", count: 0, command: "fbk download" })
        expect(line(text, "Pending")).toBe("Pending:       a download interrupted, 0 files still to fetch; `fbk download` resumes it")
      })))

  it.live("an interrupted update and an interrupted backup are pending, first, each with the command that finishes it", () =>
    onServedAccount(({ lines }) =>
      Effect.gen(function*() {
        yield* downloadedStore(OPTIONS)
        const sql = yield* SqlClient.SqlClient
        yield* sql`INSERT INTO sync_runs (kind, started_at, outcome, photos) VALUES ('update', 1, 'interrupted', 0)`
        yield* sql`INSERT INTO sync_runs (kind, started_at, outcome, photos) VALUES ('backup', 2, 'running', 40)`
        const { report, text } = yield* statusNow(lines)
        expect(report.pending_work.slice(0, 2)).toEqual([
          { what: "backup", count: 40, command: "fbk backup" },
          { what: "update", count: null, command: "fbk update" }
        ])
        expect(line(text, "Pending")).toBe("Pending:       a backup interrupted after 40 photos; `fbk backup` resumes it")
        expect(text).toContain("               an update interrupted; `fbk update` runs it again")
      })))
})

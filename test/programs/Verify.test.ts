// `fbk verify` on files a download put in the store: ok, missing, altered and unreadable files told
// apart; --repair sets altered ones aside and fetches them and missing ones again, keeps the record
// of a file it cannot read and of a replaced original, and forgets nothing when the store is gone.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { download, DOWNLOAD_DEFAULTS, type DownloadOptions } from "../../src/programs/Download.js"
import { verify } from "../../src/programs/Verify.js"
import { jpeg } from "../support/MediaBytes.js"
import { backUp, downloadedStore, fileRows, onServedAccount, withStatFailing } from "../support/ServedAccount.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

const OPTIONS: DownloadOptions = { ...DOWNLOAD_DEFAULTS, concurrency: 3 }
const check = verify({ repair: false, download: OPTIONS })
const repair = verify({ repair: true, download: OPTIONS })

const downloaded = downloadedStore(OPTIONS)

describe("verify", () => {
  it.live("every file as recorded: ok, nothing listed, the run succeeds", () =>
    onServedAccount(({ lines }) =>
      Effect.gen(function*() {
        yield* downloaded
        expect(yield* check).toEqual({ checked: 3, missing: 0, altered: 0 })
        expect(lines.filter((l) => /^(missing|altered|unreadable):/.test(l))).toEqual([])
        expect(lines).toContain("Verify: 3 files read back; 0 missing, 0 altered\n")
      })))

  it.live("a file missing, one altered, one there but unreadable: each listed with why, the run fails, nothing forgotten", () =>
    onServedAccount(({ lines }) =>
      Effect.gen(function*() {
        const { full, rows } = yield* downloaded
        fs.rmSync(full("3"))
        fs.writeFileSync(full("2"), "other bytes")
        const failed = yield* Effect.flip(check.pipe(withStatFailing(full("1"), "EIO")))
        expect(failed).toMatchObject({ _tag: "FilesDamaged", missing: 1, altered: 1, repaired: false })
        const recorded = (id: string) => rows.find((r) => r.photo_id === id)!
        expect(lines.filter((l) => /^(missing|altered|unreadable):/.test(l)).sort()).toEqual([
          `altered: ${recorded("2").path} (photo 2; 11 bytes, ${recorded("2").bytes.toLocaleString("en-US")} recorded)\n`,
          `missing: ${recorded("3").path} (photo 3; not on disk)\n`,
          `unreadable: ${recorded("1").path} (photo 1; input/output error (a failing disk or a lost network share))\n`
        ])
        expect(lines).toContain("Verify: 3 files read back; 1 missing, 1 altered, 1 unreadable\n")
        expect(yield* fileRows).toEqual(rows)
      })))

  it.live("--repair: the altered file set aside and fetched again with the missing one; the unreadable one keeps its record and hash, and is named", () =>
    onServedAccount(({ bodies }) =>
      Effect.gen(function*() {
        const { full, rows } = yield* downloaded
        const unreadable = full("1")
        fs.rmSync(full("3"))
        fs.writeFileSync(full("2"), "other bytes")
        const failed = yield* Effect.flip(repair.pipe(withStatFailing(unreadable, "EACCES")))
        expect(failed).toMatchObject({ _tag: "FileReadError", path: unreadable, reason: "permission denied" })
        const after = yield* fileRows
        expect(after.find((r) => r.photo_id === "1")).toEqual(rows.find((r) => r.photo_id === "1"))
        for (const id of ["2", "3"]) {
          const row = after.find((r) => r.photo_id === id)!
          expect(row.sha256).toBe(sha256(bodies.get(id)!))
          expect(sha256(fs.readFileSync(full(id)))).toBe(row.sha256)
        }
        const aside = fs.readdirSync(path.dirname(full("2"))).filter((name) => /^2\.altered-\d{4}-\d\d-\d\d-\d+\.jpg$/.test(name))
        expect(aside).toHaveLength(1)
        expect(fs.readFileSync(path.join(path.dirname(full("2")), aside[0]!), "utf8")).toBe("other bytes")
      })))

  it.live("a replaced original altered on disk stays where it is with its record; --repair cannot fetch it again and says so", () =>
    onServedAccount(({ account, server }) =>
      Effect.gen(function*() {
        const { store } = yield* downloaded
        server.route("/o/2-new.jpg", { body: jpeg(480, 640) })
        account.editPhoto("2", { original_secret: "o2-new", url_o: server.url("/o/2-new.jpg"), width: 480, height: 640 })
        yield* backUp
        yield* download(OPTIONS)
        const rows = yield* fileRows
        const replaced = rows.find((r) => r.role === "replaced")!
        fs.writeFileSync(path.join(store, replaced.path), "other bytes")
        const failed = yield* Effect.flip(repair)
        expect(failed).toMatchObject({ _tag: "FilesDamaged", missing: 0, altered: 1, repaired: true })
        expect(yield* fileRows).toEqual(rows)
        expect(fs.readFileSync(path.join(store, replaced.path), "utf8")).toBe("other bytes")
      })))

  it.live("the store's folder gone (a disk not mounted): refused before anything is forgotten", () =>
    onServedAccount(() =>
      Effect.gen(function*() {
        const { rows, store } = yield* downloaded
        fs.renameSync(store, `${store}-elsewhere`)
        const refused = yield* Effect.flip(repair)
        expect(refused._tag === "UsageError" && refused.reason).toMatch(/the file store .*files is missing \(is its disk mounted\?/)
        expect(yield* fileRows).toEqual(rows)
      })))
})

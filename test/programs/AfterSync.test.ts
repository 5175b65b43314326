// What follows a backup or update that succeeded: an existing file store kept in step (the new and
// replaced photos' files fetched) unless --no-files; with no store, one line counting the files to
// fetch and the command that fetches them, or, with --files, the files into <home>/files.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Option } from "effect"
import { createHash } from "node:crypto"
import * as path from "node:path"
import { afterSync, type FilesAfterSync } from "../../src/programs/AfterSync.js"
import { download, DOWNLOAD_DEFAULTS } from "../../src/programs/Download.js"
import { update } from "../../src/programs/Update.js"
import { FileRepository } from "../../src/services/database/FileRepository.js"
import { MAX_PER_PAGE } from "../../src/services/flickr/FlickrApi.js"
import { FbkConfig } from "../../src/services/home/FbkConfig.js"
import { jpeg } from "../support/MediaBytes.js"
import { backUp, fileRows, onServedAccount, type ServedAccount } from "../support/ServedAccount.js"
import { photoRow } from "../support/TestFlickrApi.js"

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

const backupThen = (files: FilesAfterSync) => afterSync("backup", backUp, { files, details: false })

/** Photo 4, uploaded after the first backup, its original on the server. */
const uploadFourth = ({ account, server }: ServedAccount) =>
  Effect.sync(() => {
    server.route("/o/4.jpg", { body: jpeg(640, 480) })
    account.addPhotos([photoRow("4", { url_o: server.url("/o/4.jpg"), width: 640, height: 480, date_taken: "2019-07-04 10:00:00" })])
  })

/** A backup, and a download that made the file store. */
const storeMade = Effect.zipRight(backUp, download(DOWNLOAD_DEFAULTS))

const photosWithFiles = Effect.map(fileRows, (rows) => rows.map((r) => r.photo_id))

describe("after a sync", () => {
  it.live("backup with a file store fetches the new photo's file into it", () =>
    onServedAccount((served) =>
      Effect.gen(function*() {
        yield* storeMade
        yield* uploadFourth(served)
        yield* backupThen("if-store")
        expect(yield* photosWithFiles).toEqual(["1", "2", "3", "4"])
        expect(served.lines.join("")).toContain("Download: 1 file")
      })))

  it.live("--no-files fetches nothing, even with a store", () =>
    onServedAccount((served) =>
      Effect.gen(function*() {
        yield* storeMade
        yield* uploadFourth(served)
        const requests = served.server.served.length
        yield* backupThen("never")
        expect(yield* photosWithFiles).toEqual(["1", "2", "3"])
        expect(served.server.served.length).toBe(requests)
      })))

  it.live("with no store: one line with how many live photos' files are not here and the command that fetches them; no store made", () =>
    onServedAccount((served) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        yield* backupThen("if-store")
        expect(yield* photosWithFiles).toEqual([])
        expect(yield* (yield* FileRepository).destination).toEqual(Option.none())
        expect(served.server.served).toHaveLength(0)
        const said = () => served.lines.filter((line) => line.includes("not on this disk"))
        expect(said()).toEqual([`3 photos' files are not on this disk yet: fbk download --home ${home} (into ${path.join(home, "files")}, or --dest DIR)\n`])
        // A photo deleted on Flickr is not counted.
        served.account.deletePhotos(["3"])
        yield* afterSync("update", update({ perPage: MAX_PER_PAGE }), { files: "if-store", details: false })
        expect(said()[1]).toMatch(/^2 photos' files are not on this disk yet: /)
      })))

  it.live("--files with no store fetches every file into <home>/files", () =>
    onServedAccount((served) =>
      Effect.gen(function*() {
        const { home } = yield* FbkConfig
        yield* backupThen("always")
        expect(yield* photosWithFiles).toEqual(["1", "2", "3"])
        expect(yield* (yield* FileRepository).destination).toEqual(Option.some(path.join(home, "files")))
        expect(served.lines.join("")).not.toContain("not on this disk")
      })))

  it.live("update after a photo's replacement fetches the new file, the earlier one kept as replaced", () =>
    onServedAccount((served) =>
      Effect.gen(function*() {
        yield* storeMade
        const replacement = jpeg(480, 640)
        served.server.route("/o/2-new.jpg", { body: replacement })
        const now = Math.floor((yield* Clock.currentTimeMillis) / 1000)
        served.account.editPhoto("2", { original_secret: "o2-new", url_o: served.server.url("/o/2-new.jpg"), width: 480, height: 640, last_update: now })
        yield* afterSync("update", update({ perPage: MAX_PER_PAGE }), { files: "if-store", details: false })
        const rows = (yield* fileRows).filter((r) => r.photo_id === "2")
        expect(rows.map((r) => [r.role, r.sha256])).toEqual([["original", sha256(replacement)], ["replaced", sha256(served.bodies.get("2")!)]])
      })))
})

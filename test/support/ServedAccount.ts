// What download and verify tests run on: the test account's photos with originals on a local file
// server, real transfers and the real repositories; a FileSystem that fails for chosen paths; the files table.
import { FileSystem } from "@effect/platform"
import { SystemError } from "@effect/platform/Error"
import { NodeHttpClient } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { Effect, Layer, Option } from "effect"
import * as path from "node:path"
import { backup } from "../../src/programs/Backup.js"
import { download, type DownloadOptions } from "../../src/programs/Download.js"
import { FbkConfig } from "../../src/services/home/FbkConfig.js"
import { FileStore } from "../../src/services/files/FileStore.js"
import { FileTransfer, FileTransferSettings } from "../../src/services/files/FileTransfer.js"
import { type FileServer, startFileServer } from "./FileServer.js"
import type { FileRow } from "./FileRows.js"
import { jpeg } from "./MediaBytes.js"
import { programLayer } from "./ProgramLayer.js"
import { photoRow, TestAccount } from "./TestFlickrApi.js"

export const fileRows = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<FileRow>`SELECT id, photo_id, role, path, bytes, sha256, not_original_reason FROM files ORDER BY photo_id, role`)

/** What a backup leaves: the account's photos in the database. */
export const backUp = backup({ numPages: Option.none(), pageNum: Option.none(), perPage: 500 })

/** The store after a backup and a download: where it is, the files recorded, and where a photo's current file is. */
export const downloadedStore = (options: DownloadOptions) =>
  Effect.gen(function*() {
    const { home } = yield* FbkConfig
    yield* backUp
    yield* download(options)
    const store = path.join(home, "files")
    const rows = yield* fileRows
    const full = (photoId: string) => path.join(store, rows.find((r) => r.photo_id === photoId && r.role !== "replaced")!.path)
    return { store, rows, full }
  })

export interface ServedAccount {
  readonly account: TestAccount
  readonly server: FileServer
  readonly bodies: Map<string, Uint8Array>
  /** What the reporter said. */
  readonly lines: Array<string>
}

/** An account of photos 1-3 whose originals the server holds, plus what each test adds; the layer with real transfers. */
export const onServedAccount = <A, E, R>(body: (context: ServedAccount) => Effect.Effect<A, E, R>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const server = yield* startFileServer()
      const account = new TestAccount()
      const bodies = new Map<string, Uint8Array>()
      const lines: Array<string> = []
      for (const id of ["1", "2", "3"]) {
        const bytes = jpeg(640, 480)
        bodies.set(id, bytes)
        server.route(`/o/${id}.jpg`, { body: bytes, etag: `"${id}"` })
        account.addPhotos([photoRow(id, { url_o: server.url(`/o/${id}.jpg`), width: 640, height: 480, date_taken: `2019-07-0${id} 10:00:00` })])
      }
      const transfers = FileTransfer.Default.pipe(
        Layer.provide(Layer.mergeAll(NodeHttpClient.layerUndici, Layer.succeed(FileTransferSettings, { stallTimeoutMillis: 500 })))
      )
      const layer = transfers.pipe(Layer.provideMerge(programLayer(account, lines)))
      return yield* body({ account, server, bodies, lines }).pipe(Effect.provide(layer))
    })
  )

/** A node:fs failure as the platform reports it: `code` (EACCES, EIO) at `at`. */
const failure = (method: string, at: string, code: string) =>
  new SystemError({
    reason: code === "EACCES" ? "PermissionDenied" : "Unknown",
    module: "FileSystem",
    method,
    pathOrDescriptor: at,
    cause: Object.assign(new Error(`${code}: ${method} '${at}'`), { code })
  })

/** The Node file system, except that stat of `at` fails with `code`, as it does on a failing disk or a folder without permission. */
export const statFailsAt = (at: string, code: "EACCES" | "EIO") =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (fs) => ({
      ...fs,
      stat: (path: string) => (path === at ? Effect.fail(failure("stat", path, code)) : fs.stat(path))
    }))
  )

/** Runs `self` with a FileStore whose file system fails stat of `at` with `code`. */
export const withStatFailing = (at: string, code: "EACCES" | "EIO") => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.provide(self, FileStore.DefaultWithoutDependencies.pipe(Layer.provide(statFailsAt(at, code))))

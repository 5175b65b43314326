// How the live services fit together for each kind of command. The outermost needs
// (FileSystem, HttpClient) come from bin.ts; tests and the demo swap pieces.
import { NodeHttpPlatform } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import { Effect, Layer, Option } from "effect"
import { AlbumRepository } from "./services/database/AlbumRepository.js"
import { CallBudget } from "./services/flickr/CallBudget.js"
import { FlickrAuthError, NO_API_KEY } from "./schema/Errors.js"
import { CredentialStore } from "./services/home/CredentialStore.js"
import * as Database from "./services/database/Database.js"
import { DatabaseCopy } from "./services/database/DatabaseCopy.js"
import { DetailsRepository } from "./services/database/DetailsRepository.js"
import { CopyOutRepository } from "./services/database/CopyOutRepository.js"
import { CommandRunRepository } from "./services/database/CommandRunRepository.js"
import { DiskFileRepository } from "./services/database/DiskFileRepository.js"
import { layerFromOverrides } from "./services/home/FbkConfig.js"
import { ExifReader } from "./services/files/ExifReader.js"
import { ExportArchive } from "./services/files/ExportArchive.js"
import { ExportRepository } from "./services/database/ExportRepository.js"
import { FileRepository } from "./services/database/FileRepository.js"
import { FileStore } from "./services/files/FileStore.js"
import { MetadataWriter } from "./services/files/MetadataWriter.js"
import { FileTransfer } from "./services/files/FileTransfer.js"
import { FlickrApi } from "./services/flickr/FlickrApi.js"
import { FolderRepository } from "./services/database/FolderRepository.js"
import { FlickrHttp } from "./services/flickr/FlickrHttp.js"
import { FlickrOAuth } from "./services/flickr/FlickrOAuth.js"
import { PhotoPageRepository } from "./services/database/PhotoPageRepository.js"
import { PhotoRepository } from "./services/database/PhotoRepository.js"
import { RunLock } from "./services/database/RunLock.js"
import { SearchIndex } from "./services/database/SearchIndex.js"
import { SidecarFileRepository } from "./services/database/SidecarFileRepository.js"
import { SidecarRepository } from "./services/database/SidecarRepository.js"
import * as Reporter from "./services/terminal/Reporter.js"
import { SyncRunRepository } from "./services/database/SyncRunRepository.js"
import { Thumbnails } from "./services/files/Thumbnails.js"
import { ViewerRepository } from "./services/database/ViewerRepository.js"

export interface CommonOptions {
  readonly home: Option.Option<string>
  readonly db: Option.Option<string>
  readonly quiet: boolean
  /** A run's --json (not status's, search's or link's own): its summaries as one object on stdout. */
  readonly summaryJson?: boolean
}

/** Configuration and the reporter: what every command needs. */
export const base = (options: CommonOptions, endpoints: { readonly restUrl?: string; readonly oauthUrl?: string } = {}) =>
  Layer.merge(
    layerFromOverrides({ home: options.home, database: options.db, ...endpoints }),
    Reporter.layer({ quiet: options.quiet, json: options.summaryJson === true })
  )

/** `layer` over the configuration and reporter that `options` give: what each command is provided with. */
export const withBase = <A, E, R>(options: CommonOptions, layer: Layer.Layer<A, E, R>) =>
  layer.pipe(Layer.provideMerge(base(options)))

/** Signed, budgeted, retried HTTP to Flickr. */
export const flickrHttp = FlickrHttp.Default.pipe(Layer.provide(CallBudget.Default))

/** The repositories over `database` (the benchmark gives it a new one). */
export const repositoriesOn = <E, R>(database: Layer.Layer<SqlClient.SqlClient, E, R>) =>
  Layer.mergeAll(
    PhotoRepository.Default,
    SyncRunRepository.Default,
    AlbumRepository.Default,
    DetailsRepository.Default,
    SearchIndex.Default,
    RunLock.Default,
    FileRepository.Default,
    FolderRepository.Default,
    DiskFileRepository.Default,
    CommandRunRepository.Default,
    ExportRepository.Default,
    SidecarRepository.Default,
    SidecarFileRepository.Default,
    FileStore.Default
  ).pipe(Layer.provideMerge(database))

/** The repositories over an existing database. */
export const repositories = repositoriesOn(Database.layer({ create: false }))

/** What backup, update, details and download need: the API for the stored account, the budget, the repositories, file transfers. */
export const sync = Layer.mergeAll(
  FlickrApi.Default.pipe(Layer.provide(CredentialStore.Default)),
  FileTransfer.Default,
  ExifReader.Default,
  repositories
).pipe(Layer.provideMerge(flickrHttp), Layer.provideMerge(CallBudget.Default))

/**
 * Flickr for verify: a home built from Flickr's export has no API key, and verify only reads
 * local files, so there every call is refused (only `--repair` may make one), saying why.
 */
const flickrIfKeyed = Layer.unwrapEffect(
  Effect.gen(function*() {
    const credentials = yield* (yield* CredentialStore).find
    const account = yield* (yield* PhotoRepository).account
    // No key and no account either: the API's own layer says fbk is not set up.
    if (Option.isSome(credentials) || Option.isNone(account)) return FlickrApi.Default
    const refused = Effect.fail(new FlickrAuthError({ problem: NO_API_KEY }))
    const refuse = () => refused
    return Layer.succeed(FlickrApi, FlickrApi.make({
      account: account.value, countPhotos: refused, testLogin: refused, collectionTree: refused,
      listPhotos: refuse, recentlyUpdated: refuse, listAlbums: refuse, albumMembers: refuse,
      photoInfo: refuse, photoExif: refuse, photoComments: refuse, photoPeople: refuse, photoSizes: refuse
    }))
  })
).pipe(Layer.provide(CredentialStore.Default))

/** What verify needs: what download needs, with the API only where the home has a key. */
export const verify = Layer.mergeAll(flickrIfKeyed, FileTransfer.Default, ExifReader.Default).pipe(
  Layer.provideMerge(repositories),
  Layer.provideMerge(flickrHttp),
  Layer.provideMerge(CallBudget.Default)
)

/** What status needs: the repositories, and the credential store that tells whether the home has an API key. */
export const status = Layer.merge(repositories, CredentialStore.Default)

/** What link needs: the repositories and ExifTool, and no credentials (a home built from Flickr's export has none). */
export const link = Layer.merge(ExifReader.Default, repositories)

/**
 * What the viewer needs: the repositories, its own queries, the thumbnail maker, Node's HTTP file
 * serving, and the credential store its status page asks whether the home has an API key.
 */
export const viewer = Layer.mergeAll(
  ViewerRepository.Default,
  PhotoPageRepository.Default,
  Thumbnails.Default,
  NodeHttpPlatform.layer,
  CredentialStore.Default
).pipe(Layer.provideMerge(repositories))

/** What `fbk show` needs: the repositories and the photo page's queries (no credentials: a home built from the export has none). */
export const show = PhotoPageRepository.Default.pipe(Layer.provideMerge(repositories))

/** What `fbk db-backup` needs: the existing database and SQLite's copy of it. */
export const dbBackup = DatabaseCopy.Default.pipe(Layer.provideMerge(Database.layer({ create: false })))

/** What `fbk thumbs` needs: the viewer's queries and the thumbnail maker. */
export const thumbs = Layer.merge(ViewerRepository.Default, Thumbnails.Default).pipe(Layer.provideMerge(repositories))

/** What import-export reads its input with, before any database is opened. */
export const exportInput = ExportArchive.Default

/**
 * What import-export needs once an export was found: the repositories (a home never set up gets
 * its database from the export, so it is created then), and the credential store that tells which kind of home it is.
 */
export const importExport = Layer.unwrapEffect(
  Effect.map(Effect.flatMap(CredentialStore, (store) => store.find), (credentials) =>
    repositoriesOn(Database.layer({ create: Option.isNone(credentials) })))
).pipe(Layer.provideMerge(CredentialStore.Default))

/** What setup needs: the OAuth dance and the credential store (the database is opened at the end). */
export const setup = Layer.mergeAll(FlickrOAuth.Default, CredentialStore.Default).pipe(Layer.provide(flickrHttp))

/** What `fbk copy-out` needs: the repositories, its own queries, and ExifTool to write the copies. */
export const copyOut = Layer.merge(CopyOutRepository.Default, MetadataWriter.Default).pipe(Layer.provideMerge(repositories))

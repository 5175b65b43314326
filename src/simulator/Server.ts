// The Flickr simulator: a real HTTP server on 127.0.0.1 serving the REST API, the OAuth 1.0a endpoints,
// the photos' files and /__sim control endpoints; this module starts one and hands tests its in-process API.

import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { CollectionNode } from "./AlbumMethods.js"
import type { EditedText } from "./Account.js"
import type { AlbumView } from "./Albums.js"
import { controlRoute } from "./ControlEndpoints.js"
import type { Box, PersonInput } from "./Details.js"
import type { Fault, FileFault } from "./Faults.js"
import { requestListener, type Route } from "./Http.js"
import { oauthRoute } from "./OAuthEndpoints.js"
import { restRoute } from "./RestEndpoint.js"
import { nowSeconds, SimulatorState, type FileView, type SimulatorStats } from "./SimulatorState.js"
import { staticRoute } from "./StaticFiles.js"

export type { Fault, FileFault } from "./Faults.js"
export type { AlbumView } from "./Albums.js"
export type { CollectionNode, CollectionSetNode } from "./AlbumMethods.js"
export type { Box, PersonInput } from "./Details.js"
export type { FileView, SimulatorStats } from "./SimulatorState.js"

export interface SimulatorOptions {
  /** Generated account size, default 100. */
  readonly photos?: number
  /** Generated albums, default about one per 100 photos (at least one when there are photos). None without photos. */
  readonly albums?: number
  /** Default 1. */
  readonly seed?: number
  /** Default "fbk-demo-key". */
  readonly apiKey?: string
  /** Default "fbk-demo-secret". */
  readonly apiSecret?: string
  /** Default 12345678@N00 / "demo" / "Démo Photographer". */
  readonly user?: { readonly nsid: string; readonly username: string; readonly fullname: string }
  /** /authorize approves at once instead of showing the consent form. Default false. */
  readonly autoApprove?: boolean
  /** Added to every REST answer. Default 0. */
  readonly latencyMs?: number
  /** Default 0: any free port. */
  readonly port?: number
  /**
   * When set, people.getPhotos and photos.recentlyUpdated go no deeper than this many results
   * of one query: a page beyond it serves the deepest allowed page again. Default: no cap.
   */
  readonly maxResultsPerQuery?: number
  /**
   * A free account (Flickr's rule since May 2025): listings and getInfo carry no url_o, originalsecret
   * or originalformat, getSizes offers nothing over 1024 px and no original, and such files 404. Default false.
   */
  readonly freeAccount?: boolean
}

export interface FlickrSimulator {
  /** http://127.0.0.1:PORT/services/rest */
  readonly restUrl: string
  /** http://127.0.0.1:PORT/services/oauth (the client appends /request_token, /authorize, /access_token) */
  readonly oauthUrl: string
  /** http://127.0.0.1:PORT/__sim */
  readonly controlUrl: string
  /** http://127.0.0.1:PORT: files are served under /static, video play pages under /photos. */
  readonly fileHost: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly user: { nsid: string; username: string; fullname: string }
  close(): Promise<void>
  /** Live photo ids in people.getPhotos order. */
  liveIds(): ReadonlyArray<string>
  photoCount(): number
  /** The item exactly as people.getPhotos lists it with every backup extra, or undefined when gone. */
  photo(id: string): Readonly<Record<string, unknown>> | undefined
  /** New photos uploaded now; returns their ids, oldest first. */
  upload(count: number): ReadonlyArray<string>
  /** New title, description and tags (`text`'s where given); lastupdate becomes now. A number picks ids spread across the stream. */
  edit(idsOrCount: ReadonlyArray<string> | number, text?: Partial<EditedText>): ReadonlyArray<string>
  /**
   * Deleted photos vanish from every listing and leave their albums (whose date_update moves; an
   * album left empty is deleted, as on Flickr). A number picks ids spread across the stream.
   */
  remove(idsOrCount: ReadonlyArray<string> | number): ReadonlyArray<string>
  /** Deleted photos come back, lastupdate unchanged, at the end of the albums they left (date_update moves). */
  restore(ids: ReadonlyArray<string>): void
  /** A view count change, which does not bump lastupdate. */
  setViews(id: string, views: number): void

  // Albums and collections. Every album change moves its date_update to now. Mutations throw on
  // an unknown album, collection or (for setPrimary) a photo not in the album.

  /** Album ids in photosets.getList order (newest created first). */
  albums(): ReadonlyArray<string>
  album(id: string): AlbumView | undefined
  /** The root collections as collections.getTree lists them. */
  collectionTree(): ReadonlyArray<CollectionNode>
  /** A new album, first in getList, cover = its first photo; unknown or deleted photos are skipped (at least one must be live). */
  createAlbum(title: string, photoIds: ReadonlyArray<string>): string
  editAlbum(id: string, changes: { readonly title?: string; readonly description?: string }): void
  /** The album goes, from its collections too; its photos stay. */
  deleteAlbum(id: string): void
  /** Appends the live photos not yet in it; returns the ids added. */
  addToAlbum(id: string, photoIds: ReadonlyArray<string>): ReadonlyArray<string>
  /** Returns the ids taken out; taking out the last photo deletes the album, as on Flickr. */
  removeFromAlbum(id: string, photoIds: ReadonlyArray<string>): ReadonlyArray<string>
  /** The photos named first, in that order; the other members after them in their old order. */
  reorderAlbum(id: string, photoIds: ReadonlyArray<string>): void
  setPrimary(id: string, photoId: string): void
  /** A new empty collection at the end of the roots or of the parent's children; returns its id. */
  createCollection(title: string, parentId?: string): string
  /** The collection (one without child collections) now holds exactly these albums, in this order. */
  setCollectionAlbums(collectionId: string, albumIds: ReadonlyArray<string>): void
  /** The collection goes with the collections inside it; the albums stay. */
  deleteCollection(id: string): void
  // Per-photo details (photos.getInfo, getExif, comments.getList, people.getList). Each change
  // moves the photo's lastupdate to now; each throws on an unknown or deleted photo.

  /** A note by the owner, at `box` in pixels of the 500-pixel display; returns the note id. */
  addNote(photoId: string, text: string, box: Box): string
  /** Throws when the photo has no such note. */
  removeNote(photoId: string, noteId: string): void
  /** A comment dated now, by another member unless `author` (an nsid) says; count_comments grows. Returns the comment id (the 72157... part). */
  addComment(photoId: string, text: string, author?: string): string
  /** The people in the photo are now exactly these (nsids, or `{nsid, box}`), added by the owner. */
  setPeople(photoId: string, people: ReadonlyArray<string | PersonInput>): void
  // Files (the image servers). Each throws on an unknown or deleted photo.

  /** A new file for the photo: new secrets (the old URLs 404), new bytes; lastupdate becomes now. */
  replace(id: string): void
  /** The photo's original as served now (a video's Video Original film), or undefined when gone or not served. */
  originalFile(id: string): FileView | undefined
  /** The photo's original (a video's original and HD films) is `bytes` long from now on, e.g. 1 GiB; streamed, never held. */
  setOriginalBytes(id: string, bytes: number): void
  /** The next `count` matching file requests fail that way. */
  injectFileFault(fault: FileFault): void
  /** The next `count` matching REST calls fail that way. */
  injectFault(fault: Fault): void
  /** Runs `action` once, right after the n-th REST call from now has been answered. */
  afterCalls(n: number, action: () => void): void
  /** Every access token issued so far is now rejected (401 token_rejected). */
  revokeTokens(): void
  /** A read access token without the OAuth dance. */
  issueAccessToken(): { readonly token: string; readonly tokenSecret: string }
  stats(): SimulatorStats
  resetStats(): void
}

const DEFAULT_USER = { nsid: "12345678@N00", username: "demo", fullname: "Démo Photographer" }

/** Every path the simulator serves; the first route matching a request's path answers it. */
const ROUTES: ReadonlyArray<Route> = [restRoute, oauthRoute, staticRoute, controlRoute]

const pathAliasOf = (username: string): string => username.toLowerCase().replace(/[^a-z0-9_-]/g, "") || "photos"

export const startSimulator = async (options: SimulatorOptions = {}): Promise<FlickrSimulator> => {
  const user = options.user ?? DEFAULT_USER
  const apiKey = options.apiKey ?? "fbk-demo-key"
  const apiSecret = options.apiSecret ?? "fbk-demo-secret"
  const simulator = new SimulatorState({
    apiKey,
    apiSecret,
    owner: { nsid: user.nsid, username: user.username, fullname: user.fullname, pathAlias: pathAliasOf(user.username) },
    photos: options.photos ?? 100,
    albums: options.albums,
    seed: options.seed ?? 1,
    autoApprove: options.autoApprove ?? false,
    latencyMs: Math.max(0, options.latencyMs ?? 0),
    maxResultsPerQuery: options.maxResultsPerQuery,
    freeAccount: options.freeAccount ?? false
  })

  const server = createServer(requestListener(ROUTES, simulator))
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`
  simulator.listening(base)
  const now = nowSeconds

  return {
    restUrl: `${base}/services/rest`,
    oauthUrl: `${base}/services/oauth`,
    controlUrl: `${base}/__sim`,
    fileHost: base,
    apiKey,
    apiSecret,
    user: { nsid: user.nsid, username: user.username, fullname: user.fullname },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      }),
    liveIds: () => simulator.liveIds(),
    photoCount: () => simulator.account.liveCount(),
    photo: (id) => simulator.photo(id),
    upload: (count) => simulator.account.upload(count, now()),
    edit: (idsOrCount, text) => simulator.account.edit(idsOrCount, now(), text),
    remove: (idsOrCount) => simulator.removePhotos(idsOrCount),
    restore: (ids) => {
      simulator.restorePhotos(ids)
    },
    setViews: (id, views) => {
      if (!simulator.account.setViews(id, views)) throw new Error(`flickr simulator: no photo ${id}`)
    },
    albums: () => simulator.albumIds(),
    album: (id) => simulator.albums.view(id),
    collectionTree: () => simulator.collectionTree(),
    createAlbum: (title, photoIds) => simulator.albums.create(title, photoIds, now()),
    editAlbum: (id, changes) => simulator.albums.edit(id, changes, now()),
    deleteAlbum: (id) => simulator.albums.delete(id),
    addToAlbum: (id, photoIds) => simulator.albums.add(id, photoIds, now()),
    removeFromAlbum: (id, photoIds) => simulator.albums.removePhotos(id, photoIds, now()),
    reorderAlbum: (id, photoIds) => simulator.albums.reorder(id, photoIds, now()),
    setPrimary: (id, photoId) => simulator.albums.setPrimary(id, photoId, now()),
    createCollection: (title, parentId) => simulator.albums.createCollection(title, parentId, now()),
    setCollectionAlbums: (collectionId, albumIds) => simulator.albums.setCollectionAlbums(collectionId, albumIds),
    deleteCollection: (id) => simulator.albums.deleteCollection(id),
    addNote: (photoId, text, box) => simulator.details.addNote(photoId, text, box, now()),
    removeNote: (photoId, noteId) => simulator.details.removeNote(photoId, noteId, now()),
    addComment: (photoId, text, author) => simulator.details.addComment(photoId, text, now(), author),
    setPeople: (photoId, people) => simulator.details.setPeople(photoId, people, now()),
    replace: (id) => simulator.replace(id),
    originalFile: (id) => simulator.originalFile(id),
    setOriginalBytes: (id, bytes) => simulator.setOriginalBytes(id, bytes),
    injectFileFault: (fault) => simulator.fileFaults.add(fault),
    injectFault: (fault) => simulator.faults.add(fault),
    afterCalls: (n, action) => simulator.afterCalls(n, action),
    revokeTokens: () => simulator.tokens.revokeAll(),
    issueAccessToken: () => simulator.issueReadToken(),
    stats: () => simulator.stats(),
    resetStats: () => simulator.resetStats()
  }
}

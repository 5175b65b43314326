// What one running simulator holds: the account with its albums and details, the OAuth tokens and
// nonces, the queued faults, where its files are served and the counters. Endpoints and the test API share it.

import { Account, contentOf, type Owner } from "./Account.js"
import { collectionNode, type CollectionNode } from "./AlbumMethods.js"
import { Albums, defaultAlbumCount } from "./Albums.js"
import { DetailError, Details } from "./Details.js"
import { FaultQueue, FileFaultQueue } from "./Faults.js"
import { MediaFiles } from "./MediaBytes.js"
import { NonceStore } from "./OAuthVerifier.js"
import { FULL_EXTRAS, ownerIcon, renderItem, type OwnerIcon } from "./PhotoItem.js"
import { fileAt, filmFileUrl, filmsOf, staticImageUrl, videoOriginalOf, type Hosting, type MediaFile } from "./Sizes.js"
import { TokenStore } from "./Tokens.js"

/** Flickr refuses OAuth timestamps further than this from its clock. */
export const MAX_CLOCK_SKEW_SECONDS = 600

export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

export interface SimulatorConfig {
  readonly apiKey: string
  readonly apiSecret: string
  readonly owner: Owner
  readonly photos: number
  readonly albums: number | undefined
  readonly seed: number
  readonly autoApprove: boolean
  readonly latencyMs: number
  readonly maxResultsPerQuery: number | undefined
  readonly freeAccount: boolean
}

export interface SimulatorStats {
  readonly restCalls: number
  readonly oauthCalls: number
  readonly byMethod: Readonly<Record<string, number>>
  /** Requests to the image servers (files and video play pages), apart from REST calls. */
  readonly fileRequests: number
  /** Body bytes the image servers sent. */
  readonly fileBytes: number
}

/** A file as the image servers serve it now. */
export interface FileView {
  readonly url: string
  readonly bytes: number
  readonly contentType: string
  readonly etag: string
}

export class SimulatorState {
  readonly account: Account
  readonly albums: Albums
  readonly details: Details
  readonly tokens = new TokenStore()
  readonly faults = new FaultQueue()
  readonly nonces = new NonceStore(MAX_CLOCK_SKEW_SECONDS)
  readonly icon: OwnerIcon
  readonly fileFaults = new FileFaultQueue()
  readonly media: MediaFiles
  /** Where files are served; the port is known once the server listens. */
  hosting: Hosting
  private restSeq = 0
  private restCalls = 0
  private oauthCalls = 0
  private byMethod = new Map<string, number>()
  private fileRequests = 0
  private fileBytes = 0
  /** Sizes tests asked for, by photo id: its original (a video's original and HD films). */
  private readonly requestedBytes = new Map<string, number>()
  private readonly afterActions = new Map<number, Array<() => void>>()

  constructor(readonly config: SimulatorConfig) {
    this.account = new Account({ photos: config.photos, seed: config.seed, owner: config.owner })
    this.albums = new Albums(this.account, config.albums ?? defaultAlbumCount(config.photos), config.seed)
    this.details = new Details(this.account)
    this.icon = ownerIcon(config.owner)
    this.media = new MediaFiles(config.owner)
    this.hosting = { site: "http://127.0.0.1", originals: !config.freeAccount }
  }

  listening(site: string): void {
    this.hosting = { ...this.hosting, site }
  }

  /** Live photo ids in people.getPhotos order. */
  liveIds(): ReadonlyArray<string> {
    return this.account.byUpload().map((p) => p.id)
  }

  photo(id: string): Record<string, unknown> | undefined {
    const record = this.account.get(id)
    return record === undefined ? undefined : renderItem(record, FULL_EXTRAS, { owner: this.account.owner, icon: this.icon, hosting: this.hosting })
  }

  /** A new file for the photo; throws on an unknown or deleted photo. */
  replace(id: string): void {
    if (!this.account.replace(id, nowSeconds())) throw new DetailError(`no live photo ${id}`)
  }

  /** The photo's original (a video's original and HD films) is this many bytes from now on. */
  setOriginalBytes(id: string, bytes: number): void {
    if (this.account.get(id) === undefined) throw new DetailError(`no live photo ${id}`)
    this.requestedBytes.set(id, Math.max(0, Math.floor(bytes)))
  }

  /** The size a test asked this file to be, if any. */
  requestedSize(file: MediaFile): number | undefined {
    const isOriginal = file.kind === "image" ? file.name === "o" : file.film.kind === "orig" || file.film.kind === "hd"
    return isOriginal ? this.requestedBytes.get(file.record.id) : undefined
  }

  /** The photo's original file, a video's Video Original film; undefined when gone or not served. */
  originalFile(id: string): FileView | undefined {
    const record = this.account.get(id)
    if (record === undefined || !this.hosting.originals) return undefined
    const content = contentOf(record)
    const { site } = this.hosting
    let url = staticImageUrl(site, "/", content, id, content.originalSecret, "_o", content.originalFormat)
    if (content.media === "video") {
      const film = filmsOf(record, content, this.hosting).find((f) => f.kind === "orig")
      if (film === undefined || videoOriginalOf(record) !== "served") return undefined
      url = filmFileUrl(site, id, film, content)
    }
    const path = url.slice(site.length)
    const file = fileAt(path, this.account, this.hosting)
    if (file === undefined) return undefined
    const served = this.media.serve(file, path, this.requestedSize(file))
    return { url, bytes: served.body.size, contentType: served.contentType, etag: served.etag }
  }

  /** Photo deletions go through here, so albums follow. */
  removePhotos(idsOrCount: ReadonlyArray<string> | number): ReadonlyArray<string> {
    const removed = this.account.remove(idsOrCount)
    this.albums.photosRemoved(removed, nowSeconds())
    return removed
  }

  restorePhotos(ids: ReadonlyArray<string>): ReadonlyArray<string> {
    const restored = this.account.restore(ids)
    this.albums.photosRestored(restored, nowSeconds())
    return restored
  }

  albumIds(): ReadonlyArray<string> {
    return this.albums.all().map((a) => a.id)
  }

  collectionTree(): ReadonlyArray<CollectionNode> {
    return this.albums.rootCollections().map(collectionNode)
  }

  /** A read access token without the OAuth dance. */
  issueReadToken(): { readonly token: string; readonly tokenSecret: string } {
    const token = this.tokens.issueAccessToken("read")
    return { token: token.token, tokenSecret: token.secret }
  }

  stats(): SimulatorStats {
    return {
      restCalls: this.restCalls,
      oauthCalls: this.oauthCalls,
      byMethod: Object.fromEntries(this.byMethod),
      fileRequests: this.fileRequests,
      fileBytes: this.fileBytes
    }
  }

  resetStats(): void {
    this.restCalls = 0
    this.oauthCalls = 0
    this.byMethod = new Map()
    this.fileRequests = 0
    this.fileBytes = 0
  }

  countFileRequest(): void {
    this.fileRequests += 1
  }

  countFileBytes(bytes: number): void {
    this.fileBytes += bytes
  }

  countOAuthCall(): void {
    this.oauthCalls += 1
  }

  /** Numbers a REST call as it arrives, so afterCalls can run right after the n-th answer. */
  restCallArrived(): number {
    return ++this.restSeq
  }

  countRestCall(method: string): void {
    this.restCalls += 1
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1)
  }

  afterCalls(n: number, action: () => void): void {
    if (n <= 0) {
      action()
      return
    }
    const target = this.restSeq + Math.floor(n)
    const list = this.afterActions.get(target) ?? []
    list.push(action)
    this.afterActions.set(target, list)
  }

  restCallAnswered(seq: number): void {
    const actions = this.afterActions.get(seq)
    if (actions === undefined) return
    this.afterActions.delete(seq)
    for (const action of actions) {
      try {
        action()
      } catch (error) {
        console.error("flickr simulator: afterCalls action failed", error)
      }
    }
  }
}

// What one running simulator holds: the account with its albums and details, the OAuth tokens and
// nonces, the queued faults and the call counters. The endpoint modules and the test API share it.

import { Account, type Owner } from "./Account.js"
import { collectionNode, type CollectionNode } from "./AlbumMethods.js"
import { Albums, defaultAlbumCount } from "./Albums.js"
import { Details } from "./Details.js"
import { FaultQueue } from "./Faults.js"
import { NonceStore } from "./OAuthVerifier.js"
import { FULL_EXTRAS, ownerIcon, renderItem, type OwnerIcon } from "./PhotoItem.js"
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
}

export interface SimulatorStats {
  readonly restCalls: number
  readonly oauthCalls: number
  readonly byMethod: Readonly<Record<string, number>>
}

export class SimulatorState {
  readonly account: Account
  readonly albums: Albums
  readonly details: Details
  readonly tokens = new TokenStore()
  readonly faults = new FaultQueue()
  readonly nonces = new NonceStore(MAX_CLOCK_SKEW_SECONDS)
  readonly icon: OwnerIcon
  private restSeq = 0
  private restCalls = 0
  private oauthCalls = 0
  private byMethod = new Map<string, number>()
  private readonly afterActions = new Map<number, Array<() => void>>()

  constructor(readonly config: SimulatorConfig) {
    this.account = new Account({ photos: config.photos, seed: config.seed, owner: config.owner })
    this.albums = new Albums(this.account, config.albums ?? defaultAlbumCount(config.photos), config.seed)
    this.details = new Details(this.account)
    this.icon = ownerIcon(config.owner)
  }

  /** Live photo ids in people.getPhotos order. */
  liveIds(): ReadonlyArray<string> {
    return this.account.byUpload().map((p) => p.id)
  }

  photo(id: string): Record<string, unknown> | undefined {
    const record = this.account.get(id)
    return record === undefined ? undefined : renderItem(record, FULL_EXTRAS, this.account.owner, this.icon)
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
    return { restCalls: this.restCalls, oauthCalls: this.oauthCalls, byMethod: Object.fromEntries(this.byMethod) }
  }

  resetStats(): void {
    this.restCalls = 0
    this.oauthCalls = 0
    this.byMethod = new Map()
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

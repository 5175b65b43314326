// The Flickr simulator: a real HTTP server on 127.0.0.1 serving the REST API and the OAuth 1.0a
// endpoints the way Flickr does, plus /__sim control endpoints for tests in other processes.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Account, type Owner } from "./Account.js"
import { collectionNode, type CollectionNode } from "./AlbumMethods.js"
import { AlbumError, Albums, defaultAlbumCount, type AlbumView } from "./Albums.js"
import { DetailError, Details, type Box, type PersonInput } from "./Details.js"
import { encodeResponse, responseFormat } from "./FlickrJson.js"
import { errorPage, FAULT_CODES, FaultQueue, HTTP_FAULTS, validateFault, type Fault } from "./Faults.js"
import { NonceStore, parseAuthorizationHeader, parseForm, percentEncode, verifyRequest, type Verification } from "./OAuthVerifier.js"
import { FULL_EXTRAS, ownerIcon, renderItem, type OwnerIcon } from "./PhotoItem.js"
import { callMethod, fail, isKnownMethod, type FlickrValue } from "./RestMethods.js"
import { PERMS, TokenStore, type RequestToken } from "./Tokens.js"

export type { Fault } from "./Faults.js"
export type { AlbumView } from "./Albums.js"
export type { CollectionNode, CollectionSetNode } from "./AlbumMethods.js"
export type { Box, PersonInput } from "./Details.js"

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
}

export interface SimulatorStats {
  readonly restCalls: number
  readonly oauthCalls: number
  readonly byMethod: Readonly<Record<string, number>>
}

export interface FlickrSimulator {
  /** http://127.0.0.1:PORT/services/rest */
  readonly restUrl: string
  /** http://127.0.0.1:PORT/services/oauth (the client appends /request_token, /authorize, /access_token) */
  readonly oauthUrl: string
  /** http://127.0.0.1:PORT/__sim */
  readonly controlUrl: string
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
  /** New title, description and tags; lastupdate becomes now. A number picks ids spread across the stream. */
  edit(idsOrCount: ReadonlyArray<string> | number): ReadonlyArray<string>
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
/** Flickr refuses OAuth timestamps further than this from its clock. */
const MAX_CLOCK_SKEW_SECONDS = 600
const MAX_BODY_BYTES = 1024 * 1024

const nowSeconds = (): number => Math.floor(Date.now() / 1000)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface Incoming {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly path: string
  readonly rawQuery: string
  /** The body when form-encoded, else "" (only then does it carry parameters). */
  readonly formBody: string
  readonly rawBody: string
}

class BodyTooLarge extends Error {}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge())
        req.destroy()
      } else {
        chunks.push(chunk)
      }
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const send = (res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { ...headers, "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(body)) })
  res.end(body)
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value))

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

const isCallbackUrl = (callback: string): boolean => {
  try {
    const url = new URL(callback)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

const firstValues = (text: string, into: Map<string, string>): void => {
  for (const [name, value] of parseForm(text)) if (!into.has(name)) into.set(name, value)
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)

const idsOrCountOf = (body: Record<string, unknown>): ReadonlyArray<string> | number | undefined => {
  if (typeof body.count === "number" && Number.isInteger(body.count) && body.count >= 0) return body.count
  if (Array.isArray(body.ids) && body.ids.every((id) => typeof id === "string")) return body.ids as Array<string>
  return undefined
}

class Simulator {
  readonly account: Account
  readonly albums: Albums
  readonly details: Details
  readonly tokens = new TokenStore()
  readonly faults = new FaultQueue()
  private readonly nonces = new NonceStore(MAX_CLOCK_SKEW_SECONDS)
  private readonly icon: OwnerIcon
  private restSeq = 0
  private restCalls = 0
  private oauthCalls = 0
  private byMethod = new Map<string, number>()
  private readonly afterActions = new Map<number, Array<() => void>>()

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
    owner: Owner,
    photos: number,
    albums: number | undefined,
    seed: number,
    private readonly autoApprove: boolean,
    private readonly latencyMs: number,
    private readonly maxResultsPerQuery: number | undefined
  ) {
    this.account = new Account({ photos, seed, owner })
    this.albums = new Albums(this.account, albums ?? defaultAlbumCount(photos), seed)
    this.details = new Details(this.account)
    this.icon = ownerIcon(owner)
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

  collectionTree(): ReadonlyArray<CollectionNode> {
    return this.albums.rootCollections().map(collectionNode)
  }

  stats(): SimulatorStats {
    return { restCalls: this.restCalls, oauthCalls: this.oauthCalls, byMethod: Object.fromEntries(this.byMethod) }
  }

  resetStats(): void {
    this.restCalls = 0
    this.oauthCalls = 0
    this.byMethod = new Map()
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

  private answered(seq: number): void {
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

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/"
    const q = url.indexOf("?")
    const path = q < 0 ? url : url.slice(0, q)
    const rawQuery = q < 0 ? "" : url.slice(q + 1)
    let rawBody: string
    try {
      rawBody = await readBody(req)
    } catch (error) {
      if (error instanceof BodyTooLarge && !res.headersSent) send(res, 413, "text/plain; charset=utf-8", "Request Entity Too Large")
      return
    }
    const isForm = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")
    const incoming: Incoming = { req, res, path, rawQuery, formBody: isForm ? rawBody : "", rawBody }
    if (path === "/services/rest" || path === "/services/rest/") return this.rest(incoming)
    if (path.startsWith("/services/oauth/")) return this.oauth(incoming)
    if (path.startsWith("/__sim/")) return this.control(incoming)
    send(res, 404, "text/html; charset=utf-8", errorPage(404, "Not Found"))
  }

  // ---- REST ----

  private async rest(incoming: Incoming): Promise<void> {
    const seq = ++this.restSeq
    const { req, res } = incoming
    try {
      const unverified = new Map<string, string>()
      firstValues(incoming.rawQuery, unverified)
      firstValues(incoming.formBody, unverified)
      const method = unverified.get("method") ?? ""
      this.restCalls += 1
      this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1)

      const { delayMs, failure } = this.faults.take(method)
      if (this.latencyMs + delayMs > 0) await sleep(this.latencyMs + delayMs)
      const format = responseFormat(unverified)

      switch (failure?.kind) {
        case "reset":
          req.socket.destroy()
          return
        case "http500":
        case "http502":
        case "http503":
        case "http429": {
          const [status, reason] = HTTP_FAULTS[failure.kind] as readonly [number, string]
          const headers: Record<string, string> = failure.kind === "http429" ? { "Retry-After": String(failure.retryAfterSeconds ?? 1) } : {}
          send(res, status, "text/html; charset=utf-8", errorPage(status, reason), headers)
          return
        }
        case "code105":
        case "code106":
        case "code201":
        case "code0": {
          const [code, message] = FAULT_CODES[failure.kind] as readonly [number, string]
          const encoded = encodeResponse(fail(code, message), format)
          send(res, 200, encoded.contentType, encoded.body)
          return
        }
        case "code": {
          const encoded = encodeResponse(fail(failure.code, failure.message), format)
          send(res, 200, encoded.contentType, encoded.body)
          return
        }
        default:
          break
      }

      const answer = this.restAnswer(incoming, unverified, method)
      if (answer.kind === "oauth") {
        this.sendOAuthProblem(incoming, answer.verification)
        return
      }
      const supported = unverified.get("format")
      const encoded =
        supported !== undefined && supported !== "json" && supported !== "rest"
          ? encodeResponse(fail(111, `Format "${supported}" not found`), "xml")
          : encodeResponse(answer.value, format)
      if (failure?.kind === "truncated") {
        const whole = Buffer.from(encoded.body)
        send(res, 200, encoded.contentType, whole.subarray(0, Math.floor(whole.length / 2)))
      } else {
        send(res, 200, encoded.contentType, encoded.body)
      }
    } finally {
      this.answered(seq)
    }
  }

  private restAnswer(
    incoming: Incoming,
    unverified: ReadonlyMap<string, string>,
    method: string
  ): { readonly kind: "value"; readonly value: FlickrValue } | { readonly kind: "oauth"; readonly verification: Verification } {
    const signed = [...unverified.keys()].some((name) => name.startsWith("oauth_")) || this.hasOAuthHeader(incoming)
    if (!signed) {
      // Legacy unsigned call: the key is checked first, then the method, then the missing auth.
      const apiKey = unverified.get("api_key")
      if (apiKey === undefined || apiKey === "") return { kind: "value", value: fail(100, "Invalid API Key (Key not found)") }
      if (apiKey !== this.apiKey) return { kind: "value", value: fail(100, "Invalid API Key (Key has invalid format)") }
      if (!isKnownMethod(method)) return { kind: "value", value: fail(112, `Method "${method}" not found`) }
      return { kind: "value", value: fail(99, "Insufficient permissions. Method requires read privileges; none granted.") }
    }
    const verification = this.verify(incoming, true, [], (token) => this.tokens.accessToken(token)?.secret)
    if (!verification.ok) return { kind: "oauth", verification }
    const apiKey = verification.params.get("api_key")
    if (apiKey !== undefined && apiKey !== this.apiKey) return { kind: "value", value: fail(100, "Invalid API Key (Key has invalid format)") }
    const token = this.tokens.accessToken(verification.oauth.get("oauth_token") ?? "")
    if (token === undefined) return { kind: "oauth", verification: { ok: false, status: 401, body: "oauth_problem=token_rejected" } }
    return {
      kind: "value",
      value: callMethod(method, {
        account: this.account,
        albums: this.albums,
        icon: this.icon,
        token,
        params: verification.params,
        maxResultsPerQuery: this.maxResultsPerQuery
      })
    }
  }

  private hasOAuthHeader(incoming: Incoming): boolean {
    try {
      return parseAuthorizationHeader(incoming.req.headers.authorization) !== undefined
    } catch {
      return true
    }
  }

  private verify(
    incoming: Incoming,
    requireToken: boolean,
    alsoRequired: ReadonlyArray<string>,
    tokenSecret: (token: string) => string | undefined
  ): Verification {
    const { req } = incoming
    return verifyRequest(
      {
        httpMethod: req.method ?? "GET",
        hostHeader: req.headers.host ?? `127.0.0.1:${(req.socket.localPort ?? 80).toString()}`,
        path: incoming.path,
        rawQuery: incoming.rawQuery,
        formBody: incoming.formBody,
        authorization: req.headers.authorization
      },
      {
        consumerKey: this.apiKey,
        consumerSecret: this.apiSecret,
        requireToken,
        tokenSecret,
        alsoRequired,
        nowSeconds: nowSeconds(),
        maxSkewSeconds: MAX_CLOCK_SKEW_SECONDS,
        nonces: this.nonces
      }
    )
  }

  private sendOAuthProblem(incoming: Incoming, verification: Verification): void {
    if (verification.ok) return
    const host = incoming.req.headers.host ?? "127.0.0.1"
    send(incoming.res, verification.status, "text/plain; charset=utf-8", verification.body, {
      "WWW-Authenticate": `OAuth realm="http://${host}/"`
    })
  }

  // ---- OAuth endpoints ----

  private oauth(incoming: Incoming): void {
    this.oauthCalls += 1
    const endpoint = incoming.path.slice("/services/oauth/".length)
    switch (endpoint) {
      case "request_token":
        return this.requestToken(incoming)
      case "authorize":
        return this.authorize(incoming)
      case "access_token":
        return this.accessToken(incoming)
      default:
        send(incoming.res, 404, "text/html; charset=utf-8", errorPage(404, "Not Found"))
    }
  }

  private requestToken(incoming: Incoming): void {
    // Signed with the consumer secret alone: there is no token yet.
    const verification = this.verify(incoming, false, ["oauth_callback"], () => undefined)
    if (!verification.ok) return this.sendOAuthProblem(incoming, verification)
    const callback = verification.oauth.get("oauth_callback") ?? ""
    if (callback !== "oob" && !isCallbackUrl(callback)) {
      return this.sendOAuthProblem(incoming, {
        ok: false,
        status: 400,
        body: "oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_callback"
      })
    }
    const token = this.tokens.createRequestToken(callback)
    send(
      incoming.res,
      200,
      "text/plain; charset=utf-8",
      `oauth_callback_confirmed=true&oauth_token=${percentEncode(token.token)}&oauth_token_secret=${percentEncode(token.secret)}`
    )
  }

  private authorize(incoming: Incoming): void {
    const params = new Map<string, string>()
    firstValues(incoming.rawQuery, params)
    firstValues(incoming.formBody, params)
    const { res } = incoming
    const token = this.tokens.requestToken(params.get("oauth_token") ?? "")
    if (token === undefined) {
      send(res, 400, "text/html; charset=utf-8", page("Oops!", "<p>This authorization link is invalid or has expired.</p>"))
      return
    }
    const perms = params.get("perms") ?? "read"
    if (!(PERMS as ReadonlyArray<string>).includes(perms)) {
      send(res, 400, "text/html; charset=utf-8", page("Oops!", "<p>Flickr doesn't recognise the permission set.</p>"))
      return
    }
    const approved = incoming.req.method === "POST" ? params.has("approve") : this.autoApprove
    if (!approved) {
      send(res, 200, "text/html; charset=utf-8", consentPage(token, perms, this.account.owner))
      return
    }
    const verifier = this.tokens.approve(token, perms)
    if (token.callback === "oob") {
      send(
        res,
        200,
        "text/html; charset=utf-8",
        page(
          "Flickr: authorization code",
          `<p>Enter this code into the application to finish authorizing it:</p>\n<p><span id="verifier">${escapeHtml(verifier)}</span></p>`
        )
      )
      return
    }
    const separator = token.callback.includes("?") ? "&" : "?"
    const location = `${token.callback}${separator}oauth_token=${percentEncode(token.token)}&oauth_verifier=${percentEncode(verifier)}`
    res.writeHead(302, { Location: location, "Content-Type": "text/html; charset=utf-8", "Content-Length": "0" })
    res.end()
  }

  private accessToken(incoming: Incoming): void {
    // Signed with the consumer secret and the request token's secret.
    const verification = this.verify(incoming, true, ["oauth_verifier"], (token) => this.tokens.requestToken(token)?.secret)
    if (!verification.ok) return this.sendOAuthProblem(incoming, verification)
    const token = this.tokens.requestToken(verification.oauth.get("oauth_token") ?? "")
    if (token === undefined) return this.sendOAuthProblem(incoming, { ok: false, status: 401, body: "oauth_problem=token_rejected" })
    if (token.verifier === undefined || token.perms === undefined) {
      return this.sendOAuthProblem(incoming, { ok: false, status: 401, body: "oauth_problem=permission_unknown" })
    }
    if (verification.oauth.get("oauth_verifier") !== token.verifier) {
      return this.sendOAuthProblem(incoming, { ok: false, status: 401, body: "oauth_problem=verifier_invalid" })
    }
    this.tokens.consumeRequestToken(token)
    const access = this.tokens.issueAccessToken(token.perms)
    const owner = this.account.owner
    send(
      incoming.res,
      200,
      "text/plain; charset=utf-8",
      [
        `fullname=${percentEncode(owner.fullname)}`,
        `oauth_token=${percentEncode(access.token)}`,
        `oauth_token_secret=${percentEncode(access.secret)}`,
        `user_nsid=${percentEncode(owner.nsid)}`,
        `username=${percentEncode(owner.username)}`
      ].join("&")
    )
  }

  // ---- control endpoints ----

  private control(incoming: Incoming): void {
    const { req, res } = incoming
    const name = incoming.path.slice("/__sim/".length)
    const method = req.method ?? "GET"
    let body: Record<string, unknown> = {}
    if (method === "POST" && incoming.rawBody.trim() !== "") {
      try {
        const parsed: unknown = JSON.parse(incoming.rawBody)
        if (!isRecord(parsed)) throw new Error("not an object")
        body = parsed
      } catch {
        sendJson(res, 400, { error: "the body must be a JSON object" })
        return
      }
    }
    const wrongMethod = (expected: string): boolean => {
      if (method === expected) return false
      sendJson(res, 405, { error: `use ${expected} for /__sim/${name}` })
      return true
    }
    const now = nowSeconds()
    switch (name) {
      case "stats":
        if (!wrongMethod("GET")) sendJson(res, 200, this.stats())
        return
      case "ids":
        if (!wrongMethod("GET")) sendJson(res, 200, { ids: this.account.byUpload().map((p) => p.id) })
        return
      case "photo": {
        if (wrongMethod("GET")) return
        const id = new URLSearchParams(incoming.rawQuery).get("id") ?? ""
        const item = this.photo(id)
        if (item === undefined) sendJson(res, 404, { error: `no live photo ${id}` })
        else sendJson(res, 200, item)
        return
      }
      case "reset-stats":
        if (wrongMethod("POST")) return
        this.resetStats()
        sendJson(res, 200, { ok: true })
        return
      case "upload": {
        if (wrongMethod("POST")) return
        const count = body.count
        if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
          sendJson(res, 400, { error: "count must be a non-negative integer" })
          return
        }
        sendJson(res, 200, { ids: this.account.upload(count, now) })
        return
      }
      case "edit":
      case "remove": {
        if (wrongMethod("POST")) return
        const target = idsOrCountOf(body)
        if (target === undefined) {
          sendJson(res, 400, { error: 'send {"count": n} or {"ids": [...]}' })
          return
        }
        sendJson(res, 200, { ids: name === "edit" ? this.account.edit(target, now) : this.removePhotos(target) })
        return
      }
      case "restore": {
        if (wrongMethod("POST")) return
        const target = idsOrCountOf(body)
        if (target === undefined || typeof target === "number") {
          sendJson(res, 400, { error: 'send {"ids": [...]}' })
          return
        }
        sendJson(res, 200, { ids: this.restorePhotos(target) })
        return
      }
      case "views": {
        if (wrongMethod("POST")) return
        const { id, views } = body
        if (typeof id !== "string" || typeof views !== "number" || !this.account.setViews(id, views)) {
          sendJson(res, 400, { error: 'send {"id": "...", "views": n} for a known photo' })
          return
        }
        sendJson(res, 200, { ok: true })
        return
      }
      case "fault": {
        if (wrongMethod("POST")) return
        const fault = validateFault(body)
        if (typeof fault === "string") {
          sendJson(res, 400, { error: fault })
          return
        }
        this.faults.add(fault)
        sendJson(res, 200, { ok: true })
        return
      }
      case "revoke":
        if (wrongMethod("POST")) return
        this.tokens.revokeAll()
        sendJson(res, 200, { ok: true })
        return
      case "issue-token": {
        if (wrongMethod("POST")) return
        const token = this.tokens.issueAccessToken("read")
        sendJson(res, 200, { token: token.token, tokenSecret: token.secret })
        return
      }
      default:
        if (!this.albumControl(incoming, name, method, body, now) && !this.detailControl(incoming, name, method, body, now)) {
          sendJson(res, 404, { error: `unknown control endpoint /__sim/${name}` })
        }
    }
  }

  /**
   * The detail control endpoints, all POST with a JSON body naming the photo `id`: `note-add`
   * {text, box}, `note-remove` {noteId}, `comment-add` {text, author?}, `people-set` {people}.
   * False when `name` is none of them.
   */
  private detailControl(incoming: Incoming, name: string, method: string, body: Record<string, unknown>, now: number): boolean {
    if (!DETAIL_WRITES.has(name)) return false
    const { res } = incoming
    if (method !== "POST") {
      sendJson(res, 405, { error: `use POST for /__sim/${name}` })
      return true
    }
    const text = (key: string): string => {
      const value = body[key]
      if (typeof value !== "string") throw new DetailError(`${key} must be a string`)
      return value
    }
    const details = this.details
    try {
      switch (name) {
        case "note-add": {
          const box = body.box
          if (!isRecord(box)) throw new DetailError("box must be {x, y, w, h}")
          sendJson(res, 200, { id: details.addNote(text("id"), text("text"), box as unknown as Box, now) })
          break
        }
        case "note-remove":
          details.removeNote(text("id"), text("noteId"), now)
          sendJson(res, 200, { ok: true })
          break
        case "comment-add":
          sendJson(res, 200, { id: details.addComment(text("id"), text("text"), now, body.author === undefined ? undefined : text("author")) })
          break
        case "people-set": {
          const people = body.people
          if (!Array.isArray(people) || !people.every((p) => typeof p === "string" || isRecord(p))) {
            throw new DetailError("people must be an array of nsids or {nsid, box}")
          }
          details.setPeople(text("id"), people as Array<string | PersonInput>, now)
          sendJson(res, 200, { ok: true })
          break
        }
      }
    } catch (error) {
      if (!(error instanceof DetailError)) throw error
      sendJson(res, 400, { error: error.message })
    }
    return true
  }

  /**
   * The album and collection control endpoints; false when `name` is none of them. Reads are GET
   * (`albums`, `album?id=`, `collections`), changes POST with a JSON body naming the album `id`.
   */
  private albumControl(incoming: Incoming, name: string, method: string, body: Record<string, unknown>, now: number): boolean {
    const { res } = incoming
    const expected = ALBUM_READS.has(name) ? "GET" : ALBUM_WRITES.has(name) ? "POST" : undefined
    if (expected === undefined) return false
    if (method !== expected) {
      sendJson(res, 405, { error: `use ${expected} for /__sim/${name}` })
      return true
    }
    const albums = this.albums
    const text = (key: string): string => {
      const value = body[key]
      if (typeof value !== "string") throw new AlbumError(`${key} must be a string`)
      return value
    }
    const optionalText = (key: string): string | undefined => (body[key] === undefined ? undefined : text(key))
    const ids = (key: string): ReadonlyArray<string> => {
      const value = body[key]
      if (!Array.isArray(value) || !value.every((id) => typeof id === "string")) throw new AlbumError(`${key} must be an array of strings`)
      return value as Array<string>
    }
    try {
      switch (name) {
        case "albums":
          sendJson(res, 200, { ids: albums.all().map((a) => a.id) })
          break
        case "album": {
          const id = new URLSearchParams(incoming.rawQuery).get("id") ?? ""
          const view = albums.view(id)
          if (view === undefined) sendJson(res, 404, { error: `no album ${id}` })
          else sendJson(res, 200, view)
          break
        }
        case "collections":
          sendJson(res, 200, { collection: this.collectionTree() })
          break
        case "album-create":
          sendJson(res, 200, { id: albums.create(text("title"), ids("photoIds"), now) })
          break
        case "album-edit":
          albums.edit(text("id"), { title: optionalText("title"), description: optionalText("description") }, now)
          sendJson(res, 200, { ok: true })
          break
        case "album-delete":
          albums.delete(text("id"))
          sendJson(res, 200, { ok: true })
          break
        case "album-add":
          sendJson(res, 200, { ids: albums.add(text("id"), ids("photoIds"), now) })
          break
        case "album-remove":
          sendJson(res, 200, { ids: albums.removePhotos(text("id"), ids("photoIds"), now) })
          break
        case "album-reorder":
          albums.reorder(text("id"), ids("photoIds"), now)
          sendJson(res, 200, { ok: true })
          break
        case "album-primary":
          albums.setPrimary(text("id"), text("photoId"), now)
          sendJson(res, 200, { ok: true })
          break
        case "collection-create":
          sendJson(res, 200, { id: albums.createCollection(text("title"), optionalText("parentId"), now) })
          break
        case "collection-albums":
          albums.setCollectionAlbums(text("id"), ids("albumIds"))
          sendJson(res, 200, { ok: true })
          break
        case "collection-delete":
          albums.deleteCollection(text("id"))
          sendJson(res, 200, { ok: true })
          break
      }
    } catch (error) {
      if (!(error instanceof AlbumError)) throw error
      sendJson(res, 400, { error: error.message })
    }
    return true
  }
}

const ALBUM_READS: ReadonlySet<string> = new Set(["albums", "album", "collections"])
const ALBUM_WRITES: ReadonlySet<string> = new Set([
  "album-create", "album-edit", "album-delete", "album-add", "album-remove", "album-reorder", "album-primary",
  "collection-create", "collection-albums", "collection-delete"
])

const DETAIL_WRITES: ReadonlySet<string> = new Set(["note-add", "note-remove", "comment-add", "people-set"])

const page = (title: string, content: string): string =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${content}\n</body></html>\n`

const consentPage = (token: RequestToken, perms: string, owner: Owner): string =>
  page(
    "Flickr: authorize this application",
    [
      `<p>You are signed in as <strong>${escapeHtml(owner.username)}</strong>.</p>`,
      `<p>An application wants <strong>${escapeHtml(perms)}</strong> access to your Flickr account.</p>`,
      `<form method="post" action="/services/oauth/authorize">`,
      `<input type="hidden" name="oauth_token" value="${escapeHtml(token.token)}">`,
      `<input type="hidden" name="perms" value="${escapeHtml(perms)}">`,
      `<button type="submit" name="approve" value="1">OK, I'll authorize it</button>`,
      `</form>`
    ].join("\n")
  )

const pathAliasOf = (username: string): string => username.toLowerCase().replace(/[^a-z0-9_-]/g, "") || "photos"

export const startSimulator = async (options: SimulatorOptions = {}): Promise<FlickrSimulator> => {
  const user = options.user ?? DEFAULT_USER
  const apiKey = options.apiKey ?? "fbk-demo-key"
  const apiSecret = options.apiSecret ?? "fbk-demo-secret"
  const simulator = new Simulator(
    apiKey,
    apiSecret,
    { nsid: user.nsid, username: user.username, fullname: user.fullname, pathAlias: pathAliasOf(user.username) },
    options.photos ?? 100,
    options.albums,
    options.seed ?? 1,
    options.autoApprove ?? false,
    Math.max(0, options.latencyMs ?? 0),
    options.maxResultsPerQuery
  )

  const server = createServer((req, res) => {
    simulator.handle(req, res).catch((error: unknown) => {
      console.error("flickr simulator: request failed", error)
      if (!res.headersSent) send(res, 500, "text/html; charset=utf-8", errorPage(500, "Internal Server Error"))
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`
  const now = nowSeconds

  return {
    restUrl: `${base}/services/rest`,
    oauthUrl: `${base}/services/oauth`,
    controlUrl: `${base}/__sim`,
    apiKey,
    apiSecret,
    user: { nsid: user.nsid, username: user.username, fullname: user.fullname },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)))
        server.closeAllConnections()
      }),
    liveIds: () => simulator.account.byUpload().map((p) => p.id),
    photoCount: () => simulator.account.liveCount(),
    photo: (id) => simulator.photo(id),
    upload: (count) => simulator.account.upload(count, now()),
    edit: (idsOrCount) => simulator.account.edit(idsOrCount, now()),
    remove: (idsOrCount) => simulator.removePhotos(idsOrCount),
    restore: (ids) => {
      simulator.restorePhotos(ids)
    },
    setViews: (id, views) => {
      if (!simulator.account.setViews(id, views)) throw new Error(`flickr simulator: no photo ${id}`)
    },
    albums: () => simulator.albums.all().map((a) => a.id),
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
    injectFault: (fault) => simulator.faults.add(fault),
    afterCalls: (n, action) => simulator.afterCalls(n, action),
    revokeTokens: () => simulator.tokens.revokeAll(),
    issueAccessToken: () => {
      const token = simulator.tokens.issueAccessToken("read")
      return { token: token.token, tokenSecret: token.secret }
    },
    stats: () => simulator.stats(),
    resetStats: () => simulator.resetStats()
  }
}

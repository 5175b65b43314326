// OAuth 1.0a request verification (RFC 5849, HMAC-SHA1 only), written from the RFC so the
// simulator rejects exactly what Flickr would: a client's signing bug must fail here too.

import { createHmac, timingSafeEqual } from "node:crypto"

export type Pair = readonly [string, string]

/** RFC 5849 section 3.6: UTF-8, then everything but ALPHA, DIGIT, "-", ".", "_", "~" as %XX. */
export const percentEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** Form-encoded name/value pairs (`+` is a space), in order, duplicates kept. */
export const parseForm = (text: string): Array<Pair> => [...new URLSearchParams(text)]

/**
 * The parameters of an `Authorization: OAuth ...` header, or undefined when the header is absent or
 * another scheme. Throws on a malformed OAuth header.
 */
export const parseAuthorizationHeader = (header: string | undefined): Array<Pair> | undefined => {
  if (header === undefined) return undefined
  const match = /^\s*OAuth(?:\s+([\s\S]*))?$/i.exec(header)
  if (match === null) return undefined
  const pairs: Array<Pair> = []
  // Values are percent-encoded, so neither commas nor quotes can occur inside them.
  for (const part of (match[1] ?? "").split(",")) {
    if (part.trim() === "") continue
    const parameter = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part)
    if (parameter === null) throw new Error(`malformed OAuth header parameter: ${part}`)
    const name = decodeURIComponent(parameter[1] ?? "")
    if (name !== "realm") pairs.push([name, decodeURIComponent(parameter[2] ?? "")])
  }
  return pairs
}

/** RFC 5849 section 3.4.1.2: lowercase scheme and host, port only when not the default. */
export const baseStringUri = (scheme: "http" | "https", hostHeader: string, path: string): string => {
  const host = hostHeader.toLowerCase()
  const defaultPort = scheme === "http" ? ":80" : ":443"
  const authority = host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host
  return `${scheme}://${authority}${path}`
}

/** RFC 5849 section 3.4.1.3.2: encode each name and value, sort by name then value, join. */
export const normalizeParameters = (pairs: ReadonlyArray<Pair>): string =>
  pairs
    .filter(([name]) => name !== "oauth_signature")
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&")

export const signatureBaseString = (httpMethod: string, uri: string, pairs: ReadonlyArray<Pair>): string =>
  `${percentEncode(httpMethod.toUpperCase())}&${percentEncode(uri)}&${percentEncode(normalizeParameters(pairs))}`

export const hmacSha1Signature = (baseString: string, consumerSecret: string, tokenSecret: string): string =>
  createHmac("sha1", `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`).update(baseString).digest("base64")

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Nonces seen per consumer and timestamp; entries older than the timestamp window are dropped. */
export class NonceStore {
  private readonly seen = new Map<string, number>()
  private lastPrune = 0

  constructor(private readonly windowSeconds: number) {}

  /** Records the nonce; false when this consumer already used it with this timestamp. */
  use(consumerKey: string, timestamp: string, nonce: string, now: number): boolean {
    if (now - this.lastPrune > this.windowSeconds) {
      for (const [key, at] of this.seen) if (at < now - 2 * this.windowSeconds) this.seen.delete(key)
      this.lastPrune = now
    }
    const key = `${consumerKey}\n${timestamp}\n${nonce}`
    if (this.seen.has(key)) return false
    this.seen.set(key, now)
    return true
  }
}

export interface IncomingSignedRequest {
  readonly httpMethod: string
  readonly hostHeader: string
  readonly path: string
  readonly rawQuery: string
  /** The body when it is `application/x-www-form-urlencoded` (only then does it count), else "". */
  readonly formBody: string
  readonly authorization: string | undefined
}

export interface VerifyPolicy {
  readonly consumerKey: string
  readonly consumerSecret: string
  /** request_token is signed without a token; every other call needs one. */
  readonly requireToken: boolean
  /** The token's secret, or undefined when the token is unknown, used or revoked. */
  readonly tokenSecret: (token: string) => string | undefined
  /** Further oauth_* parameters the endpoint needs (oauth_callback, oauth_verifier). */
  readonly alsoRequired: ReadonlyArray<string>
  readonly nowSeconds: number
  readonly maxSkewSeconds: number
  readonly nonces: NonceStore
}

export type Verification =
  | {
    readonly ok: true
    /** oauth_* parameters, from wherever they came. */
    readonly oauth: ReadonlyMap<string, string>
    /** Every other parameter (query and form body), first occurrence wins. */
    readonly params: ReadonlyMap<string, string>
  }
  | { readonly ok: false; readonly status: 400 | 401; readonly body: string }

const problem = (status: 400 | 401, text: string): Verification => ({ ok: false, status, body: `oauth_problem=${text}` })

export interface CollectedParameters {
  readonly all: ReadonlyArray<Pair>
  readonly fromHeader: boolean
}

/** Query, form body and Authorization header parameters together, as the base string takes them. */
export const collectParameters = (request: IncomingSignedRequest): CollectedParameters | undefined => {
  let header: Array<Pair> | undefined
  try {
    header = parseAuthorizationHeader(request.authorization)
  } catch {
    return undefined
  }
  return {
    all: [...parseForm(request.rawQuery), ...parseForm(request.formBody), ...(header ?? [])],
    fromHeader: header !== undefined
  }
}

const PROTOCOL_REQUIRED = ["oauth_consumer_key", "oauth_nonce", "oauth_signature", "oauth_signature_method", "oauth_timestamp"]

export const verifyRequest = (request: IncomingSignedRequest, policy: VerifyPolicy): Verification => {
  const collected = collectParameters(request)
  if (collected === undefined) return problem(400, "parameter_rejected")
  const oauth = new Map<string, string>()
  const params = new Map<string, string>()
  for (const [name, value] of collected.all) {
    if (name.startsWith("oauth_")) {
      // RFC 5849 3.1: each protocol parameter appears once, in one place.
      if (oauth.has(name)) return problem(400, `parameter_rejected&oauth_parameters_rejected=${percentEncode(name)}`)
      oauth.set(name, value)
    } else if (!params.has(name)) {
      params.set(name, value)
    }
  }

  const required = [...PROTOCOL_REQUIRED, ...(policy.requireToken ? ["oauth_token"] : []), ...policy.alsoRequired]
  const absent = required.filter((name) => (oauth.get(name) ?? "") === "")
  if (absent.length > 0) return problem(400, `parameter_absent&oauth_parameters_absent=${absent.map(percentEncode).join("%26")}`)

  if (oauth.get("oauth_signature_method") !== "HMAC-SHA1") return problem(400, "signature_method_rejected")
  const version = oauth.get("oauth_version")
  if (version !== undefined && version !== "1.0") return problem(400, "version_rejected&oauth_acceptable_versions=1.0-1.0")

  const consumerKey = oauth.get("oauth_consumer_key") ?? ""
  if (consumerKey !== policy.consumerKey) return problem(401, "consumer_key_unknown")

  const timestampText = oauth.get("oauth_timestamp") ?? ""
  const timestamp = /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : Number.NaN
  const earliest = policy.nowSeconds - policy.maxSkewSeconds
  const latest = policy.nowSeconds + policy.maxSkewSeconds
  if (!(timestamp >= earliest && timestamp <= latest)) {
    return problem(401, `timestamp_refused&oauth_acceptable_timestamps=${earliest}-${latest}`)
  }

  const token = oauth.get("oauth_token")
  let tokenSecret = ""
  if (token !== undefined && token !== "") {
    const secret = policy.tokenSecret(token)
    if (secret === undefined) return problem(401, "token_rejected")
    tokenSecret = secret
  }

  const uri = baseStringUri("http", request.hostHeader, request.path)
  const baseString = signatureBaseString(request.httpMethod, uri, collected.all)
  const expected = hmacSha1Signature(baseString, policy.consumerSecret, tokenSecret)
  if (!sameText(expected, oauth.get("oauth_signature") ?? "")) {
    return problem(401, `signature_invalid&debug_sbs=${percentEncode(baseString)}`)
  }

  // Recorded only once the signature holds, so forged requests cannot burn a client's nonces.
  if (!policy.nonces.use(consumerKey, timestampText, oauth.get("oauth_nonce") ?? "", policy.nowSeconds)) {
    return problem(401, "nonce_used")
  }
  return { ok: true, oauth, params }
}

// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1 only, as Flickr requires) as pure functions: the caller
// supplies nonce and timestamp, so each attempt is signed afresh and tests check worked examples exactly.
import { createHmac, randomBytes } from "node:crypto"

/** RFC 5849 section 3.6: unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** RFC 5849 section 3.4.1.2: scheme and host lower-case, default ports dropped, no query. */
export const baseStringUri = (url: URL): string => {
  const scheme = url.protocol.toLowerCase()
  const defaultPort = (scheme === "http:" && url.port === "80") || (scheme === "https:" && url.port === "443")
  const port = url.port === "" || defaultPort ? "" : `:${url.port}`
  return `${scheme}//${url.hostname.toLowerCase()}${port}${url.pathname}`
}

export type Parameters = ReadonlyArray<readonly [string, string]>

/** RFC 5849 section 3.4.1.3.2: encode, sort by name then value, join. */
export const normalizeParameters = (parameters: Parameters): string =>
  parameters
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&")

/** The signature base string: method, base URI and every parameter (query, body, oauth_*). */
export const signatureBaseString = (method: string, url: URL, parameters: Parameters): string => {
  const fromQuery = Array.from(url.searchParams.entries())
  return [
    method.toUpperCase(),
    percentEncode(baseStringUri(url)),
    percentEncode(normalizeParameters([...fromQuery, ...parameters]))
  ].join("&")
}

export const hmacSha1 = (baseString: string, consumerSecret: string, tokenSecret: string): string =>
  createHmac("sha1", `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(baseString)
    .digest("base64")

export interface SigningKeys {
  readonly consumerKey: string
  readonly consumerSecret: string
  readonly token?: string | undefined
  readonly tokenSecret?: string | undefined
}

export interface SignOptions {
  readonly method: string
  readonly url: URL
  /** Request parameters (sent in the query for GET); oauth_* ones are added here. */
  readonly parameters: Parameters
  readonly keys: SigningKeys
  /** Extra protocol parameters such as oauth_callback or oauth_verifier. */
  readonly protocol?: Parameters
  readonly nonce: string
  readonly timestamp: number
}

/** Returns every parameter to send, oauth_signature included. */
export const sign = (options: SignOptions): Parameters => {
  const oauth: Array<readonly [string, string]> = [
    ["oauth_consumer_key", options.keys.consumerKey],
    ["oauth_nonce", options.nonce],
    ["oauth_signature_method", "HMAC-SHA1"],
    ["oauth_timestamp", String(options.timestamp)],
    ["oauth_version", "1.0"],
    ...(options.keys.token === undefined ? [] : [["oauth_token", options.keys.token] as const]),
    ...(options.protocol ?? [])
  ]
  const all = [...options.parameters, ...oauth]
  const signature = hmacSha1(
    signatureBaseString(options.method, options.url, all),
    options.keys.consumerSecret,
    options.keys.tokenSecret ?? ""
  )
  return [...all, ["oauth_signature", signature]]
}

export const freshNonce = (): string => randomBytes(16).toString("hex")

// What every request passes before a page is made: GET or HEAD only, a Host header naming this
// server (against DNS rebinding), and off loopback the token; and the headers every answer carries.
import { timingSafeEqual } from "node:crypto"
import { FLICKR_IMAGES } from "./Pictures.js"

/** Who may ask: the Host values that name this server, and the token when it listens beyond loopback. */
export interface Policy {
  readonly hosts: ReadonlySet<string>
  readonly token: string | null
  /** An online tile server the map may load from (`--tiles`), for the Content-Security-Policy. */
  readonly tileOrigin: string | null
}

export const TOKEN_COOKIE = "fbk_token"

/** What the guard decided: serve the page, or answer at once. */
export type Verdict =
  | { readonly _tag: "Pass"; readonly setCookie: boolean }
  | { readonly _tag: "Refuse"; readonly status: number; readonly text: string; readonly headers?: Readonly<Record<string, string>> }

export interface Asked {
  readonly method: string
  readonly host: string | undefined
  readonly url: URL
  readonly cookie: string | undefined
}

const sameSecret = (given: string, token: string) => {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

const cookieValue = (header: string | undefined, name: string): string | undefined =>
  header?.split(";").map((part) => part.trim().split("=")).find(([key]) => key === name)?.[1]

export const judge = (policy: Policy, asked: Asked): Verdict => {
  if (asked.method !== "GET" && asked.method !== "HEAD") {
    return { _tag: "Refuse", status: 405, text: "fbk's viewer only reads: GET and HEAD", headers: { allow: "GET, HEAD" } }
  }
  if (asked.host === undefined || !policy.hosts.has(asked.host.toLowerCase())) {
    return { _tag: "Refuse", status: 403, text: "this address does not name fbk's viewer" }
  }
  if (policy.token === null) return { _tag: "Pass", setCookie: false }
  const cookie = cookieValue(asked.cookie, TOKEN_COOKIE)
  if (cookie !== undefined && sameSecret(cookie, policy.token)) return { _tag: "Pass", setCookie: false }
  const given = asked.url.searchParams.get("token")
  if (given !== null && sameSecret(given, policy.token)) return { _tag: "Pass", setCookie: true }
  return { _tag: "Refuse", status: 401, text: "open the address fbk serve printed, with its ?token=" }
}

/** The headers on every answer: no script but fbk's own files, no framing, no referrer. */
export const securityHeaders = (policy: Policy): Record<string, string> => {
  // Flickr's own copies stand in for photos not downloaded yet (marked online only on the page).
  const images = ["'self'", "data:", FLICKR_IMAGES, ...(policy.tileOrigin === null ? [] : [policy.tileOrigin])].join(" ")
  return {
    "content-security-policy":
      `default-src 'self'; img-src ${images}; script-src 'self'; style-src 'self'; ` +
      "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin"
  }
}

export const tokenCookie = (token: string): string =>
  `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`

// The guard every request passes: GET and HEAD only, a Host that names the server, the token off
// loopback (query once, then the cookie), and the headers every answer carries.
import { describe, expect, it } from "vitest"
import { judge, type Policy, securityHeaders, TOKEN_COOKIE, tokenCookie } from "../../../src/programs/serve/Guard.js"

const HOSTS = new Set(["127.0.0.1:8421", "localhost:8421", "[::1]:8421"])
const LOOPBACK: Policy = { hosts: HOSTS, token: null, tileOrigin: null }
const TOKEN = "s3cret-token-of-32-characters-xx"
const OPEN: Policy = { hosts: new Set([...HOSTS, "192.168.1.5:8421"]), token: TOKEN, tileOrigin: null }

const ask = (policy: Policy, asked: { method?: string; host?: string | undefined; path?: string; cookie?: string }) =>
  judge(policy, {
    method: asked.method ?? "GET",
    host: "host" in asked ? asked.host : "127.0.0.1:8421",
    url: new URL(asked.path ?? "/", "http://viewer"),
    cookie: asked.cookie
  })

describe("Guard.judge", () => {
  it("passes GET and HEAD with a Host naming the server, in any case", () => {
    expect(ask(LOOPBACK, {})).toEqual({ _tag: "Pass", setCookie: false })
    expect(ask(LOOPBACK, { method: "HEAD", host: "LocalHost:8421" })).toEqual({ _tag: "Pass", setCookie: false })
    expect(ask(LOOPBACK, { host: "[::1]:8421" })).toEqual({ _tag: "Pass", setCookie: false })
  })

  it("refuses every other method with 405 and Allow, before looking at the Host", () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "get"]) {
      expect(ask(LOOPBACK, { method, host: "evil.example" })).toMatchObject({ _tag: "Refuse", status: 405, headers: { allow: "GET, HEAD" } })
    }
  })

  it("refuses a Host that does not name the server (DNS rebinding) or none, with 403", () => {
    for (const host of ["evil.example:8421", "evil.example", "127.0.0.1", "127.0.0.1:8422", "localhost:8421.evil.example", "", undefined]) {
      expect(ask(LOOPBACK, { host }), String(host)).toMatchObject({ _tag: "Refuse", status: 403 })
    }
  })

  it("off loopback: 401 without the token or with a wrong one; the query's token passes once and asks for the cookie; the cookie passes", () => {
    expect(ask(OPEN, {})).toMatchObject({ _tag: "Refuse", status: 401 })
    expect(ask(OPEN, { path: "/?token=wrong" })).toMatchObject({ _tag: "Refuse", status: 401 })
    expect(ask(OPEN, { path: `/?token=${TOKEN}x` })).toMatchObject({ _tag: "Refuse", status: 401 })
    expect(ask(OPEN, { path: "/?token=" })).toMatchObject({ _tag: "Refuse", status: 401 })
    expect(ask(OPEN, { cookie: `${TOKEN_COOKIE}=wrong` })).toMatchObject({ _tag: "Refuse", status: 401 })
    expect(ask(OPEN, { cookie: `token=${TOKEN}` })).toMatchObject({ _tag: "Refuse", status: 401 })
    expect(ask(OPEN, { path: `/photos/1?token=${TOKEN}` })).toEqual({ _tag: "Pass", setCookie: true })
    expect(ask(OPEN, { cookie: `a=1; ${TOKEN_COOKIE}=${TOKEN}; b=2` })).toEqual({ _tag: "Pass", setCookie: false })
    expect(ask(OPEN, { host: "192.168.1.5:8421", cookie: `${TOKEN_COOKIE}=${TOKEN}` })).toEqual({ _tag: "Pass", setCookie: false })
    // The Host is checked even with the token.
    expect(ask(OPEN, { host: "evil.example:8421", path: `/?token=${TOKEN}` })).toMatchObject({ _tag: "Refuse", status: 403 })
  })

  it("the cookie is HttpOnly, SameSite=Strict, for the whole site", () => {
    const cookie = tokenCookie(TOKEN)
    expect(cookie.startsWith(`${TOKEN_COOKIE}=${TOKEN};`)).toBe(true)
    expect(cookie).toContain("HttpOnly")
    expect(cookie).toContain("SameSite=Strict")
    expect(cookie).toContain("Path=/")
  })
})

describe("Guard.securityHeaders", () => {
  it("no script, style or frame but the viewer's own; images only from itself, data: and Flickr's image host", () => {
    const headers = securityHeaders(LOOPBACK)
    const csp = headers["content-security-policy"]!
    expect(csp.split("; ")).toEqual(expect.arrayContaining([
      "default-src 'self'",
      "img-src 'self' data: https://live.staticflickr.com",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'"
    ]))
    expect(csp).not.toContain("unsafe")
    expect(headers).toMatchObject({ "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer" })
  })

  it("a tile server given with --tiles is allowed for images only", () => {
    const csp = securityHeaders({ ...LOOPBACK, tileOrigin: "https://tile.example.org" })["content-security-policy"]!
    expect(csp).toContain("img-src 'self' data: https://live.staticflickr.com https://tile.example.org;")
    expect(csp).toContain("script-src 'self';")
    expect(csp.match(/tile\.example\.org/g)).toHaveLength(1)
  })
})

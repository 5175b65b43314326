// `fbk serve`: the archive as a read-only web viewer on this machine (or, with a token, on the
// home network) until Ctrl-C or SIGTERM.
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Cause, Effect, Option } from "effect"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import * as os from "node:os"
import { UsageError } from "../../schema/Errors.js"
import { errnoOf } from "../../services/files/NodeErrors.js"
import { Browser } from "../../services/terminal/Browser.js"
import { Reporter } from "../../services/terminal/Reporter.js"
import { judge, type Policy, securityHeaders, tokenCookie } from "./Guard.js"
import { MapTiles } from "./pages/Map.js"
import { textResponse } from "./Responses.js"
import { viewerApp } from "./Routes.js"
import type { ServeOptions } from "./ServeOptions.js"


const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"])
const ANY = new Set(["0.0.0.0", "::", "[::]"])

export const isLoopback = (host: string): boolean => LOOPBACK.has(host.toLowerCase())

const hostWithPort = (host: string, port: number) => (host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`)

/** The Host values that name this server: its loopback names, the host it listens on, and all of this machine's addresses when it listens on every one. */
export const allowedHosts = (host: string, port: number): ReadonlySet<string> => {
  const names = ["127.0.0.1", "localhost", "::1", host]
  if (ANY.has(host)) {
    names.push(os.hostname(), `${os.hostname()}.local`)
    for (const addresses of Object.values(os.networkInterfaces())) for (const a of addresses ?? []) names.push(a.address)
  }
  const hosts = new Set<string>()
  for (const name of names) {
    hosts.add(hostWithPort(name, port).toLowerCase())
    if (port === 80) hosts.add((name.includes(":") && !name.startsWith("[") ? `[${name}]` : name).toLowerCase())
  }
  return hosts
}

/** The address to open: the host as given, or this machine's first network address when it listens on all. */
const printedHost = (host: string): string => {
  if (!ANY.has(host)) return host
  const lan = Object.values(os.networkInterfaces()).flat().find((a) => a !== undefined && a.family === "IPv4" && !a.internal)
  return lan?.address ?? "127.0.0.1"
}

const listenProblem = (options: ServeOptions) => (error: unknown) => {
  const code = errnoOf((error as { readonly cause?: unknown }).cause) ?? errnoOf(error)
  const at = `${options.host}:${options.port}`
  return new UsageError({
    reason: code === "EADDRINUSE"
      ? `port ${options.port} is already in use (another \`fbk serve\`?); choose another with --port, or --port 0 for a free one`
      : code === "EACCES"
      ? `fbk may not listen on ${at} (ports below 1024 need root); choose a port from 1024 with --port`
      : code === "EADDRNOTAVAIL" || code === "ENOTFOUND"
      ? `${options.host} is not an address of this machine; give --host one of its addresses (or 0.0.0.0 for all)`
      : `cannot listen on ${at} (${code ?? String(error)})`,
    cause: error
  })
}

/** The viewer behind the guard: refused requests answered at once, and the security headers on every answer. */
const guarded = (policy: Policy, tiles: Option.Option<string>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://viewer")
    const headers = securityHeaders(policy)
    const verdict = judge(policy, { method: request.method, host: request.headers["host"], url, cookie: request.headers["cookie"] })
    if (verdict._tag === "Refuse") {
      return HttpServerResponse.setHeaders(textResponse(verdict.text, verdict.status), { ...headers, ...verdict.headers })
    }
    if (verdict.setCookie && policy.token !== null) {
      // The token leaves the address bar (and the history) once the cookie holds it.
      url.searchParams.delete("token")
      return HttpServerResponse.empty({
        status: 303,
        // One leading slash: `//elsewhere` would send the browser to another site.
        headers: { ...headers, location: `/${url.pathname.replace(/^\/+/, "")}${url.search}`, "set-cookie": tokenCookie(policy.token) }
      })
    }
    const response = yield* viewerApp.pipe(
      Effect.provideService(MapTiles, tiles),
      Effect.catchAllCause((cause) =>
        Effect.as(
          Effect.sync(() => process.stderr.write(`fbk serve: ${request.method} ${url.pathname}: ${Cause.squash(cause)}\n`)),
          textResponse("fbk could not make this page; the terminal running `fbk serve` says why", 500)
        )
      )
    )
    return HttpServerResponse.setHeaders(response, headers)
  })

export const serve = (options: ServeOptions) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const server = yield* NodeHttpServer.make(() => createServer(), { port: options.port, host: options.host }).pipe(
      Effect.mapError(listenProblem(options))
    )
    const port = server.address._tag === "TcpAddress" ? server.address.port : options.port
    const token = isLoopback(options.host) ? null : randomBytes(24).toString("base64url")
    const tileOrigin = Option.getOrNull(Option.map(options.tiles, (t) => new URL(t.replace(/\{[a-z]\}/g, "0")).origin))
    const policy: Policy = { hosts: allowedHosts(options.host, port), token, tileOrigin }
    yield* server.serve(guarded(policy, options.tiles))
    const url = new URL(`http://${hostWithPort(printedHost(options.host), port)}/`)
    if (token !== null) url.searchParams.set("token", token)
    yield* reporter.output(url.href)
    if (token !== null) {
      yield* reporter.note("Anyone on your network with this address (its token) can see the archive; Ctrl-C stops the viewer.")
    }
    if (options.open) yield* Effect.flatMap(Browser, (browser) => browser.open(url))
    return yield* Effect.never
  }).pipe(Effect.scoped)

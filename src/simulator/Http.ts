// The HTTP plumbing the endpoint modules share: a request read whole, the routes that serve paths,
// the listener that picks one, and the answers in their content types.

import type { IncomingMessage, RequestListener, ServerResponse } from "node:http"
import { errorPage } from "./Faults.js"
import { parseForm } from "./OAuthVerifier.js"
import type { SimulatorState } from "./SimulatorState.js"

const MAX_BODY_BYTES = 1024 * 1024

export interface Incoming {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly path: string
  readonly rawQuery: string
  /** The body when form-encoded, else "" (only then does it carry parameters). */
  readonly formBody: string
  readonly rawBody: string
}

/** One family of paths the simulator serves; the first route that matches a path gets the request. */
export interface Route {
  readonly matches: (path: string) => boolean
  readonly serve: (sim: SimulatorState, incoming: Incoming) => void | Promise<void>
}

export const send = (res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { ...headers, "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(body)) })
  res.end(body)
}

export const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value))

export const sendHtml = (res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void =>
  send(res, status, "text/html; charset=utf-8", html, headers)

export const sendText = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void =>
  send(res, status, "text/plain; charset=utf-8", text, headers)

/** Adds the form-encoded parameters not seen yet: the first occurrence of a name wins. */
export const firstValues = (text: string, into: Map<string, string>): void => {
  for (const [name, value] of parseForm(text)) if (!into.has(name)) into.set(name, value)
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

const handle = async (routes: ReadonlyArray<Route>, sim: SimulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const url = req.url ?? "/"
  const q = url.indexOf("?")
  const path = q < 0 ? url : url.slice(0, q)
  const rawQuery = q < 0 ? "" : url.slice(q + 1)
  let rawBody: string
  try {
    rawBody = await readBody(req)
  } catch (error) {
    if (error instanceof BodyTooLarge && !res.headersSent) sendText(res, 413, "Request Entity Too Large")
    return
  }
  const isForm = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")
  const incoming: Incoming = { req, res, path, rawQuery, formBody: isForm ? rawBody : "", rawBody }
  const route = routes.find((r) => r.matches(path))
  if (route === undefined) sendHtml(res, 404, errorPage(404, "Not Found"))
  else await route.serve(sim, incoming)
}

/** Serves every request by the first matching route; an unexpected throw is a 500, as a server's would be. */
export const requestListener = (routes: ReadonlyArray<Route>, sim: SimulatorState): RequestListener => (req, res) => {
  handle(routes, sim, req, res).catch((error: unknown) => {
    console.error("flickr simulator: request failed", error)
    if (!res.headersSent) sendHtml(res, 500, errorPage(500, "Internal Server Error"))
    else res.destroy()
  })
}

// A small file server on 127.0.0.1 for FileTransfer's tests: byte bodies with Content-Length, ETag
// and Range (206/416), and a script of faults per path, logging every answer and the bytes it sent.
import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** What one request gets; when a path's script runs out, its file is served whole (or the range asked). */
export type Step =
  | { readonly _tag: "Serve" }
  | { readonly _tag: "Status"; readonly status: number; readonly headers?: Record<string, string> }
  | { readonly _tag: "Redirect"; readonly location: string; readonly status?: number }
  /** The socket is reset (RST) after this many bytes of the body. */
  | { readonly _tag: "Reset"; readonly afterBytes: number }
  /** The connection is closed cleanly after this many bytes, short of the Content-Length sent. */
  | { readonly _tag: "CutShort"; readonly afterBytes: number }
  /** This many bytes, then nothing, with the connection left open. */
  | { readonly _tag: "Stall"; readonly afterBytes: number }

export interface Route {
  readonly body?: Uint8Array
  readonly etag?: string
  readonly contentType?: string
  readonly script?: ReadonlyArray<Step>
}

/** One answer as the server gave it. */
export interface Served {
  readonly path: string
  readonly range: string | undefined
  readonly ifRange: string | undefined
  status: number
  /** Body bytes written to the socket. */
  bytesSent: number
}

const CHUNK = 64 * 1024
/** Long enough for the client to read what was sent before the socket goes. */
const SETTLE_MILLIS = 50

/** Writes `bytes` in chunks, waiting for the socket to drain, as a real server does. */
const writeChunks = (res: http.ServerResponse, bytes: Uint8Array, log: Served, done: () => void) => {
  let offset = 0
  const next = (): void => {
    while (offset < bytes.length) {
      const chunk = bytes.subarray(offset, offset + CHUNK)
      offset += chunk.length
      log.bytesSent += chunk.length
      if (!res.write(chunk)) {
        res.once("drain", next)
        return
      }
    }
    done()
  }
  next()
}

export interface FileServer {
  readonly url: (path: string) => string
  /** Adds or replaces the route at `path`; its script starts over. */
  readonly route: (path: string, route: Route) => void
  readonly served: ReadonlyArray<Served>
  readonly servedAt: (path: string) => ReadonlyArray<Served>
}

/** Starts the server for the current scope; closing the scope closes it and every connection. */
export const startFileServer = (routes: Record<string, Route> = {}) =>
  Effect.acquireRelease(
    Effect.async<{ server: http.Server; api: FileServer }>((resume) => {
      const table = new Map(Object.entries(routes))
      const counts = new Map<string, number>()
      const served: Array<Served> = []

      const server = http.createServer((req, res) => {
        const path = new URL(req.url ?? "/", "http://localhost").pathname
        const log: Served = {
          path,
          range: req.headers.range,
          ifRange: req.headers["if-range"]?.toString(),
          status: 0,
          bytesSent: 0
        }
        served.push(log)
        const route = table.get(path)
        if (route === undefined) {
          log.status = 404
          res.writeHead(404, { "content-length": "0" }).end()
          return
        }
        const index = counts.get(path) ?? 0
        counts.set(path, index + 1)
        const step: Step = route.script?.[index] ?? { _tag: "Serve" }

        if (step._tag === "Status") {
          log.status = step.status
          res.writeHead(step.status, { "content-length": "0", ...step.headers }).end()
          return
        }
        if (step._tag === "Redirect") {
          log.status = step.status ?? 302
          res.writeHead(log.status, { location: step.location, "content-length": "0" }).end()
          return
        }

        const body = route.body ?? new Uint8Array(0)
        const wanted = /^bytes=(\d+)-$/.exec(req.headers.range ?? "")
        const honoursRange = wanted !== null && (log.ifRange === undefined || log.ifRange === route.etag)
        const start = honoursRange ? Number(wanted[1]) : 0
        const headers: Record<string, string> = {
          "accept-ranges": "bytes",
          ...(route.etag === undefined ? {} : { etag: route.etag }),
          ...(route.contentType === undefined ? {} : { "content-type": route.contentType })
        }
        if (honoursRange && start >= body.length) {
          log.status = 416
          res.writeHead(416, { ...headers, "content-range": `bytes */${body.length}`, "content-length": "0" }).end()
          return
        }
        log.status = honoursRange ? 206 : 200
        res.writeHead(log.status, {
          ...headers,
          "content-length": String(body.length - start),
          ...(honoursRange ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {})
        })
        const rest = body.subarray(start)
        switch (step._tag) {
          case "Serve":
            return writeChunks(res, rest, log, () => res.end())
          case "Reset":
            return writeChunks(res, rest.subarray(0, step.afterBytes), log, () =>
              setTimeout(() => res.socket?.resetAndDestroy(), SETTLE_MILLIS))
          case "CutShort":
            return writeChunks(res, rest.subarray(0, step.afterBytes), log, () =>
              setTimeout(() => res.socket?.end(), SETTLE_MILLIS))
          case "Stall":
            return writeChunks(res, rest.subarray(0, step.afterBytes), log, () => undefined)
        }
      })

      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({
          server,
          api: {
            url: (path) => `http://127.0.0.1:${port}${path}`,
            route: (path, route) => {
              table.set(path, route)
              counts.delete(path)
            },
            served,
            servedAt: (path) => served.filter((s) => s.path === path)
          }
        }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ api }) => api))

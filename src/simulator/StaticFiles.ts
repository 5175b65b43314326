// The simulator's image servers: files under /static and video play pages that redirect to them,
// served like a CDN (HEAD, ranges, If-Range, ETags), counted apart from REST, and broken on request.

import type { ServerResponse } from "node:http"
import { errorPage, HTTP_FAULTS, type FileFault } from "./Faults.js"
import { sendHtml, send, type Incoming, type Route } from "./Http.js"
import type { FileBody, Served } from "./MediaBytes.js"
import type { SimulatorState } from "./SimulatorState.js"
import { fileAt, filmFileUrl, isPlayPage, photoIdIn, playPageFilm, type MediaFile } from "./Sizes.js"

/** A stall lasts this long unless the fault says. */
const DEFAULT_STALL_MS = 600_000

const notFound = (res: ServerResponse): void => sendHtml(res, 404, errorPage(404, "Not Found"))

type Range =
  | { readonly kind: "whole" }
  | { readonly kind: "part"; readonly start: number; readonly end: number }
  | { readonly kind: "unsatisfiable" }

const WHOLE: Range = { kind: "whole" }

/** One `bytes=` range, `end` exclusive; several ranges or a malformed header are ignored, as servers may. */
const parseRange = (header: string | undefined, size: number): Range => {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (match === null) return WHOLE
  const [, first = "", last = ""] = match
  if (first === "") {
    const suffix = Number(last)
    if (last === "") return WHOLE
    return suffix === 0 ? { kind: "unsatisfiable" } : { kind: "part", start: Math.max(0, size - suffix), end: size }
  }
  const start = Number(first)
  if (last !== "" && Number(last) < start) return WHOLE
  if (start >= size) return { kind: "unsatisfiable" }
  return { kind: "part", start, end: last === "" ? size : Math.min(size, Number(last) + 1) }
}

/** If-Range names the file as it was: an ETag (strong comparison) or its exact Last-Modified. */
const ifRangeHolds = (header: string | undefined, served: Served, lastModified: string): boolean => {
  if (header === undefined) return true
  const value = header.trim()
  return value.startsWith('"') || value.startsWith("W/") ? value === served.etag : value === lastModified
}

/** Resolves when the chunk has been handed to the socket (true) or the response closed first (false). */
const writeChunk = (res: ServerResponse, chunk: Buffer): Promise<boolean> =>
  new Promise((resolve) => {
    if (res.destroyed) return resolve(false)
    const closed = (): void => resolve(false)
    res.once("close", closed)
    res.write(chunk, (error) => {
      res.off("close", closed)
      resolve(error === undefined || error === null)
    })
  })

const writeRange = async (sim: SimulatorState, res: ServerResponse, body: FileBody, start: number, end: number): Promise<boolean> => {
  for (const chunk of body.chunks(start, end)) {
    sim.countFileBytes(chunk.length)
    if (!(await writeChunk(res, chunk))) return false
  }
  return true
}

const pause = (res: ServerResponse, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      res.off("close", done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    res.once("close", done)
  })

/** The body [start, end), broken as the fault says once `afterBytes` of it are out. */
const sendBody = async (sim: SimulatorState, res: ServerResponse, body: FileBody, start: number, end: number, fault: FileFault | undefined): Promise<void> => {
  const length = end - start
  if (fault === undefined || fault.kind === "http429" || fault.kind === "http503") {
    if (await writeRange(sim, res, body, start, end)) res.end()
    return
  }
  const sent = fault.kind === "truncated" ? Math.min(length - 1, fault.afterBytes ?? Math.floor(length / 2)) : Math.min(length, fault.afterBytes)
  if (!(await writeRange(sim, res, body, start, start + Math.max(0, sent)))) return
  switch (fault.kind) {
    case "reset":
      res.socket?.resetAndDestroy()
      return
    case "truncated":
      // Short of Content-Length, then the connection ends: the client sees a premature close.
      res.socket?.end()
      return
    case "stall":
      await pause(res, fault.stallMs ?? DEFAULT_STALL_MS)
      if (!res.destroyed && (await writeRange(sim, res, body, start + sent, end))) res.end()
      return
  }
}

const httpDate = (seconds: number): string => new Date(seconds * 1000).toUTCString()

const serveFile = async (sim: SimulatorState, incoming: Incoming, file: MediaFile): Promise<void> => {
  const { req, res, path } = incoming
  const served = sim.media.serve(file, path, sim.requestedSize(file))
  const { size } = served.body
  const record = file.record
  const lastModified = httpDate(record.replaced === 0 ? record.dateUpload : record.lastUpdate)
  const headers: Record<string, string> = {
    "Content-Type": served.contentType,
    ETag: served.etag,
    "Last-Modified": lastModified,
    "Accept-Ranges": "bytes",
    "Cache-Control": "max-age=315360000"
  }
  const ifNoneMatch = req.headers["if-none-match"]
  if (ifNoneMatch !== undefined && ifNoneMatch.split(",").some((tag) => tag.trim() === served.etag || tag.trim() === "*")) {
    res.writeHead(304, headers)
    res.end()
    return
  }
  const ifRange = req.headers["if-range"]
  const range = ifRangeHolds(Array.isArray(ifRange) ? ifRange[0] : ifRange, served, lastModified) ? parseRange(req.headers.range, size) : WHOLE
  if (range.kind === "unsatisfiable") {
    sendHtml(res, 416, errorPage(416, "Range Not Satisfiable"), { "Content-Range": `bytes */${size}` })
    return
  }
  const [start, end] = range.kind === "part" ? [range.start, range.end] : [0, size]
  if (range.kind === "part") headers["Content-Range"] = `bytes ${start}-${end - 1}/${size}`
  headers["Content-Length"] = String(end - start)
  res.writeHead(range.kind === "part" ? 206 : 200, headers)
  if (req.method === "HEAD") {
    res.end()
    return
  }
  await sendBody(sim, res, served.body, start, end, sim.fileFaults.take(path, file.record.id, ["reset", "truncated", "stall"]))
}

const serveStatic = async (sim: SimulatorState, incoming: Incoming): Promise<void> => {
  const { req, res, path } = incoming
  sim.countFileRequest()
  if (req.method !== "GET" && req.method !== "HEAD") {
    sendHtml(res, 405, errorPage(405, "Method Not Allowed"), { Allow: "GET, HEAD" })
    return
  }
  const failure = sim.fileFaults.take(path, photoIdIn(path), ["http429", "http503"])
  if (failure !== undefined) {
    const [status, reason] = HTTP_FAULTS[failure.kind] as readonly [number, string]
    const headers: Record<string, string> = failure.kind === "http429" ? { "Retry-After": String(failure.retryAfterSeconds ?? 1) } : {}
    sendHtml(res, status, errorPage(status, reason), headers)
    return
  }
  if (isPlayPage(path)) {
    // A play page is not the film: it sends the client on to the film's file.
    const film = playPageFilm(path, sim.account, sim.hosting)
    if (film === undefined || film.kind !== "film") return notFound(res)
    send(res, 302, "text/html; charset=utf-8", "", { Location: filmFileUrl(sim.hosting.site, film.record.id, film.film, film.content) })
    return
  }
  const file = fileAt(path, sim.account, sim.hosting)
  if (file === undefined) return notFound(res)
  await serveFile(sim, incoming, file)
}

export const staticRoute: Route = {
  matches: (path) => path.startsWith("/static/") || isPlayPage(path),
  serve: serveStatic
}

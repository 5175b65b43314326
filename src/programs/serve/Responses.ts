// How pages and files are answered: HTML with its type, and files with HTTP Range (a video seeks
// by asking for the part it needs), never cached as public.
import { HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { createReadStream } from "node:fs"
import { stat } from "node:fs/promises"
import { contentTypeOf } from "../../schema/MediaTypes.js"
import type { Html } from "./Html.js"

export const htmlResponse = (page: Html, status = 200) =>
  HttpServerResponse.text(page.value, { status, contentType: "text/html; charset=utf-8" })

export const textResponse = (text: string, status: number) =>
  HttpServerResponse.text(text, { status, contentType: "text/plain; charset=utf-8" })

/** The byte range a `Range` header asks of a file of `size` bytes: null for the whole file, "unsatisfiable" past its end. */
export const byteRange = (header: string | undefined, size: number): { start: number; end: number } | null | "unsatisfiable" => {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  // Several ranges, or a unit other than bytes: the whole file, as the RFC allows.
  if (match === null) return null
  const [, from, to] = match
  if (from === "" && to === "") return null
  if (from === "") {
    const suffix = Number(to)
    if (suffix === 0 || size === 0) return "unsatisfiable"
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(from)
  // A last byte before the first is no valid range: ignored, as the RFC says.
  if (to !== "" && Number(to) < start) return null
  if (start >= size) return "unsatisfiable"
  return { start, end: to === "" ? size - 1 : Math.min(Number(to), size - 1) }
}

/** The file at `at` (a path fbk recorded, never one from the URL), or the part of it the request's Range asks for. */
export const fileResponse = (at: string, range: string | undefined, options: { readonly maxAgeSeconds: number }) =>
  Effect.gen(function*() {
    const info = yield* Effect.tryPromise(() => stat(at)).pipe(Effect.option)
    if (info._tag === "None" || !info.value.isFile()) return textResponse("the file is not on the disk", 404)
    const size = info.value.size
    const headers = {
      "accept-ranges": "bytes",
      "cache-control": `private, max-age=${options.maxAgeSeconds}`,
      "last-modified": info.value.mtime.toUTCString()
    }
    const wanted = byteRange(range, size)
    if (wanted === "unsatisfiable") {
      return HttpServerResponse.empty({ status: 416, headers: { ...headers, "content-range": `bytes */${size}` } })
    }
    if (wanted === null) return yield* HttpServerResponse.file(at, { headers, contentType: contentTypeOf(at) })
    // Not HttpServerResponse.file with offset and bytesToRead: @effect/platform-node hands its
    // exclusive end to createReadStream, whose end is inclusive, and so sends one byte more than
    // its Content-Length, which breaks the next answer on a kept-alive connection.
    return HttpServerResponse.raw(createReadStream(at, { start: wanted.start, end: wanted.end }), {
      status: 206,
      contentType: contentTypeOf(at),
      headers: {
        ...headers,
        "content-range": `bytes ${wanted.start}-${wanted.end}/${size}`,
        "content-length": String(wanted.end - wanted.start + 1)
      }
    })
  })

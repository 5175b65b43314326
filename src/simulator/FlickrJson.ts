// Response bodies the way Flickr writes them: JSON with `\/` and `\uXXXX` escapes, the
// `jsonFlickrApi(...)` wrapper when no `nojsoncallback`, or XML when no `format` at all.

export type ResponseFormat = "json" | "jsonp" | "xml"

export const responseFormat = (params: ReadonlyMap<string, string>): ResponseFormat => {
  if (params.get("format") !== "json") return "xml"
  const noCallback = params.get("nojsoncallback")
  return noCallback === "1" || noCallback === "true" ? "json" : "jsonp"
}

// Escaping by string building or regex over a whole page is slow next to JSON.stringify, so strings
// are marked first: each `/` and non-ASCII code unit becomes DEL plus its escape's tail (`/` or
// `uXXXX`); JSON.stringify leaves DEL alone, and one native indexOf scan over the bytes turns every
// DEL into the backslash that starts the escape.
const MARK = "\x7f"
const MARK_BYTE = 0x7f
const BACKSLASH_BYTE = 0x5c

/** A `/` already marked: for building URLs that go out escaped without a regex pass. */
export const MARKED_SLASH = `${MARK}/`

const NEEDS_MARK = /[/\u007f-\uffff]/
const NEEDS_MARK_ALL = /[/\u007f-\uffff]/g

// Code units one at a time: astral characters come out as surrogate pairs, as Flickr writes them.
const markUnit = (unit: string): string => (unit === "/" ? MARKED_SLASH : `${MARK}u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`)

// Titles, descriptions and tags repeat a lot across an account, so their marked forms are cached.
const markedCache = new Map<string, string>()
const MARKED_CACHE_LIMIT = 50_000

/** Text ready for `encodeFlickrJson` inside a `Prepared` value. */
export const markText = (text: string): string => {
  if (!NEEDS_MARK.test(text)) return text
  let marked = markedCache.get(text)
  if (marked === undefined) {
    marked = text.replace(NEEDS_MARK_ALL, markUnit)
    if (markedCache.size >= MARKED_CACHE_LIMIT) markedCache.clear()
    markedCache.set(text, marked)
  }
  return marked
}

/** A value whose strings are already marked (see above); serialized as it stands. */
export class Prepared {
  constructor(readonly value: unknown) {}

  toJSON(): unknown {
    return this.value
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const markDeep = (value: unknown): unknown => {
  if (typeof value === "string") return markText(value)
  if (value instanceof Prepared) return value
  if (Array.isArray(value)) return value.map(markDeep)
  if (isObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(value)) out[markText(key)] = markDeep(child)
    return out
  }
  return value
}

/** JSON bytes escaped like Flickr's: every `/` as `\/`, every non-ASCII code unit as `\uXXXX`. */
export const encodeFlickrJson = (value: unknown): Buffer => {
  // Only ASCII and marks remain, so latin1 is a plain copy.
  const bytes = Buffer.from(JSON.stringify(markDeep(value)) ?? "null", "latin1")
  for (let at = bytes.indexOf(MARK_BYTE); at !== -1; at = bytes.indexOf(MARK_BYTE, at + 1)) bytes[at] = BACKSLASH_BYTE
  return bytes
}

export const encodeFlickrJsonText = (value: unknown): string => encodeFlickrJson(value).toString("latin1")

const UNMARK = /\x7f(\/|u[0-9a-f]{4})/g
const unmarkText = (text: string): string =>
  text.includes(MARK) ? text.replace(UNMARK, (_, tail: string) => (tail === "/" ? "/" : String.fromCharCode(parseInt(tail.slice(1), 16)))) : text

/** Back to plain values (for XML, which escapes differently). */
const plain = (value: unknown): unknown => {
  if (value instanceof Prepared) return plain(value.value)
  if (typeof value === "string") return unmarkText(value)
  if (Array.isArray(value)) return value.map(plain)
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, child]) => [unmarkText(key), plain(child)]))
  return value
}

const XML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }
const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c] ?? c)

/** Objects become elements: scalars as attributes, `_content` as text, nested values as children. */
const xmlElement = (name: string, value: unknown, indent: string): string => {
  if (!isObject(value)) return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`
  let attributes = ""
  let children = ""
  let text = ""
  for (const [key, child] of Object.entries(value)) {
    if (key === "_content") text = escapeXml(String(child))
    else if (Array.isArray(child)) for (const entry of child) children += xmlElement(key, entry, `${indent}\t`)
    else if (isObject(child)) children += xmlElement(key, child, `${indent}\t`)
    else attributes += ` ${key}="${child === null ? "" : escapeXml(String(child))}"`
  }
  if (children === "" && text === "") return `${indent}<${name}${attributes} />\n`
  if (children === "") return `${indent}<${name}${attributes}>${text}</${name}>\n`
  return `${indent}<${name}${attributes}>\n${children}${indent}</${name}>\n`
}

export const encodeXml = (response: Record<string, unknown>): string => {
  const value = plain(response) as Record<string, unknown>
  const head = '<?xml version="1.0" encoding="utf-8" ?>\n'
  if (value.stat === "fail") {
    return `${head}<rsp stat="fail">\n\t<err code="${escapeXml(String(value.code))}" msg="${escapeXml(String(value.message))}" />\n</rsp>\n`
  }
  let body = ""
  for (const [key, child] of Object.entries(value)) {
    if (key !== "stat") body += xmlElement(key, child, "")
  }
  return `${head}<rsp stat="ok">\n${body}</rsp>\n`
}

export interface EncodedBody {
  readonly contentType: string
  readonly body: Buffer
}

export const encodeResponse = (value: Record<string, unknown>, format: ResponseFormat): EncodedBody => {
  switch (format) {
    case "json":
      return { contentType: "application/json; charset=utf-8", body: encodeFlickrJson(value) }
    case "jsonp":
      return {
        contentType: "text/javascript; charset=utf-8",
        body: Buffer.concat([Buffer.from("jsonFlickrApi("), encodeFlickrJson(value), Buffer.from(")")])
      }
    case "xml":
      return { contentType: "text/xml; charset=utf-8", body: Buffer.from(encodeXml(value), "utf8") }
  }
}

// Response bodies the way Flickr writes them: JSON with `\/` and `\uXXXX` escapes, the
// `jsonFlickrApi(...)` wrapper when no `nojsoncallback`, or XML when no `format` at all.

export type ResponseFormat = "json" | "jsonp" | "xml"

export const responseFormat = (params: ReadonlyMap<string, string>): ResponseFormat => {
  if (params.get("format") !== "json") return "xml"
  const noCallback = params.get("nojsoncallback")
  return noCallback === "1" || noCallback === "true" ? "json" : "jsonp"
}

const NON_ASCII = /[\u0080-\uffff]/
const NON_ASCII_ALL = /[\u0080-\uffff]/g

// Matching code units one at a time turns astral characters into surrogate pairs, as Flickr does.
const escapeUnit = (unit: string): string => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`

/** JSON text escaped like Flickr's: every `/` as `\/`, every non-ASCII code unit as `\uXXXX`. */
export const encodeFlickrJson = (value: unknown): string => {
  // JSON.stringify never writes a bare `\/`, so a plain replacement of `/` is safe.
  const json = JSON.stringify(value).replaceAll("/", "\\/")
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escapeUnit) : json
}

const XML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }
const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => XML_ESCAPES[c] ?? c)

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

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

export const encodeXml = (value: Record<string, unknown>): string => {
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
  readonly body: string
}

export const encodeResponse = (value: Record<string, unknown>, format: ResponseFormat): EncodedBody => {
  switch (format) {
    case "json":
      return { contentType: "application/json; charset=utf-8", body: encodeFlickrJson(value) }
    case "jsonp":
      return { contentType: "text/javascript; charset=utf-8", body: `jsonFlickrApi(${encodeFlickrJson(value)})` }
    case "xml":
      return { contentType: "text/xml; charset=utf-8", body: encodeXml(value) }
  }
}

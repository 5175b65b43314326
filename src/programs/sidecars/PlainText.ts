// Flickr's HTML (descriptions, comments, notes) as plain text for metadata fields: markup gone,
// line breaks kept, entities decoded, each link kept as its URL (after its text when that differs).
import { decodeHTML } from "entities"

const LINK = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi
const BREAK = /<br\s*\/?>|<\/p\s*>|<\/li\s*>|<\/blockquote\s*>/gi
const TAG = /<\/?[a-z][^>]*>/gi

const linkText = (_: string, double?: string, single?: string, bare?: string, inner = ""): string => {
  const url = decodeHTML(double ?? single ?? bare ?? "").trim()
  const text = decodeHTML(inner.replace(TAG, "")).trim()
  return text === "" || text === url ? url : `${text} (${url})`
}

/** Flickr's HTML as the text a reader sees; null and empty are "". */
export const flickrPlainText = (html: string | null): string => {
  if (html === null) return ""
  const text = html
    .replace(/\r\n?/g, "\n")
    .replace(LINK, (...m: Array<string | undefined>) => linkText("", m[1], m[2], m[3], m[4]).replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`))
    .replace(BREAK, (tag) => (tag.toLowerCase().startsWith("<br") ? "\n" : `${tag}\n`))
    .replace(TAG, "")
  return decodeHTML(text).replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim()
}

// Flickr's HTML (descriptions, comments, notes) made safe to show: only the markup Flickr itself
// allows survives, links only to http(s); titles are text with entities, shown as text.
import sanitizeHtml from "sanitize-html"
import { type Html, trusted } from "./Html.js"

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ["a", "b", "i", "em", "strong", "u", "s", "strike", "del", "ins", "q", "cite", "code", "pre", "blockquote", "br", "p", "ul", "ol", "li", "abbr", "acronym", "sub", "sup"],
  // `rel` is allowed only for the transform below to set it (it replaces any rel the text has).
  allowedAttributes: { a: ["href", "title", "rel"], abbr: ["title"], acronym: ["title"] },
  allowedSchemes: ["http", "https"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer" })
  }
}

/** Flickr's HTML as safe markup, its line breaks kept as Flickr shows them. */
export const flickrHtml = (text: string | null): Html =>
  trusted(text === null ? "" : sanitizeHtml(text, ALLOWED).replace(/\r?\n/g, "<br>"))

// Titles and other text with entities are read as text (to be escaped) where `fbk show` reads them too.
export { flickrText } from "../photo/PhotoText.js"

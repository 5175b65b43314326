// A photo's sidecar as XMP text, element form only (PhotoPrism reads no attributes): pure and
// deterministic, so an unchanged record renders the same bytes and its sidecar is never rewritten.
import type { SidecarRecord } from "./SidecarRecord.js"

export interface XmpOptions {
  /** Write the location of geotagged photos (off: every location left out, for copies to share). */
  readonly gps: boolean
  /** Immich shows no title: put it as the description's first line. */
  readonly titleInDescription: boolean
}

/** fbk's own namespace: what Flickr knows that no standard field holds. Never change it: apps key on it. */
export const FBK_NAMESPACE = "https://github.com/fbk-archive/ns/flickr/1.0/"

const NAMESPACES: ReadonlyArray<readonly [string, string]> = [
  ["dc", "http://purl.org/dc/elements/1.1/"],
  ["xmp", "http://ns.adobe.com/xap/1.0/"],
  ["xmpRights", "http://ns.adobe.com/xap/1.0/rights/"],
  ["photoshop", "http://ns.adobe.com/photoshop/1.0/"],
  ["exif", "http://ns.adobe.com/exif/1.0/"],
  ["tiff", "http://ns.adobe.com/tiff/1.0/"],
  ["digiKam", "http://www.digikam.org/ns/1.0/"],
  ["lr", "http://ns.adobe.com/lightroom/1.0/"],
  ["flickr", FBK_NAMESPACE]
]

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

/** Text as XML character data: markup escaped, characters XML 1.0 forbids dropped, CR kept as a reference. */
export const xmlText = (text: string): string =>
  text.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;")

/**
 * One level of a hierarchical keyword: "/" (digiKam's and Immich's separator) and "|" (Lightroom's)
 * become lookalikes (U+2215, U+2223) so a title holding them stays one level; an empty title is "untitled".
 */
export const keywordLevel = (name: string): string => {
  const level = name.replace(/\//g, "\u2215").replace(/\|/g, "\u2223").trim()
  return level === "" ? "untitled" : level
}

/** The hierarchical keywords as levels: the tags, Flickr/Albums/<album>, Flickr/Collections/<c>/.../<album>. */
export const keywordPaths = (record: SidecarRecord): ReadonlyArray<ReadonlyArray<string>> => {
  const paths = [
    ...record.tags.map((tag) => [tag]),
    ...record.albums.map((album) => ["Flickr", "Albums", album]),
    ...record.collectionPaths.map((path) => ["Flickr", "Collections", ...path])
  ].map((path) => path.map(keywordLevel))
  const seen = new Set<string>()
  return paths.filter((path) => {
    const key = path.join("\u0000")
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The description as written: with --title-in-description, the title as its first line. */
export const descriptionText = (record: SidecarRecord, titleInDescription: boolean): string =>
  !titleInDescription || record.title === ""
    ? record.description
    : record.description === ""
    ? record.title
    : `${record.title}\n\n${record.description}`

const DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/

/** XMP dates with no zone (Flickr keeps none): full for exact dates, `YYYY-MM` or `YYYY` for month and year/circa ones. */
export const xmpDates = (record: SidecarRecord): { readonly full: string | null; readonly created: string | null } => {
  const m = DATE.exec(record.dateTaken ?? "")
  if (m === null) return { full: null, created: null }
  const [, y, mo, d, h, mi, s] = m
  if (record.dateTakenGranularity === 4) return { full: null, created: `${y}-${mo}` }
  if (record.dateTakenGranularity >= 6) return { full: null, created: `${y}` }
  const full = `${y}-${mo}-${d}T${h}:${mi}:${s}`
  return { full, created: full }
}

/** XMP's GPS coordinate `DD,MM.mmmmR` (degrees, minutes to 1/10000, N/S or E/W). */
export const xmpCoordinate = (value: number, positive: string, negative: string): string => {
  const tenThousandths = Math.round(Math.abs(value) * 60 * 10_000)
  const degrees = Math.floor(tenThousandths / 600_000)
  const minutes = (tenThousandths % 600_000) / 10_000
  return `${degrees},${minutes.toFixed(4)}${value < 0 ? negative : positive}`
}

const simple = (name: string, value: string | number | null): ReadonlyArray<string> =>
  value === null || value === "" ? [] : [`   <${name}>${xmlText(String(value))}</${name}>`]

const list = (name: string, kind: "Alt" | "Bag" | "Seq", items: ReadonlyArray<string>): ReadonlyArray<string> =>
  items.length === 0 ? [] : [
    `   <${name}>`,
    `    <rdf:${kind}>`,
    ...items.map((item) => `     <rdf:li${kind === "Alt" ? " xml:lang=\"x-default\"" : ""}>${xmlText(item)}</rdf:li>`),
    `    </rdf:${kind}>`,
    `   </${name}>`
  ]

const alt = (name: string, value: string): ReadonlyArray<string> => list(name, "Alt", value === "" ? [] : [value])

const commentText = (c: SidecarRecord["comments"][number]): string =>
  `${c.author}${c.created === null ? "" : `, ${new Date(c.created * 1000).toISOString().replace(".000Z", "Z")}`}: ${c.text}`

const fbkFields = (record: SidecarRecord): ReadonlyArray<string> => [
  ...simple("flickr:id", record.id),
  ...simple("flickr:media", record.media),
  ...simple("flickr:privacy", record.privacy),
  ...simple("flickr:license", record.license === null ? null : record.license.id),
  ...simple("flickr:dateTakenGranularity", record.dateTaken === null ? null : record.dateTakenGranularity),
  ...simple("flickr:views", record.views),
  ...simple("flickr:faves", record.faves),
  ...simple("flickr:commentCount", record.commentCount),
  ...list("flickr:machineTags", "Bag", record.machineTags),
  ...list("flickr:notes", "Seq", record.notes.map((n) => (n.author === "" ? n.text : `${n.author}: ${n.text}`))),
  ...list("flickr:comments", "Seq", record.comments.map(commentText))
]

const gpsFields = (record: SidecarRecord, options: XmpOptions): ReadonlyArray<string> =>
  !options.gps || record.latitude === null || record.longitude === null ? [] : [
    ...simple("exif:GPSVersionID", "2.2.0.0"),
    ...simple("exif:GPSLatitude", xmpCoordinate(record.latitude, "N", "S")),
    ...simple("exif:GPSLongitude", xmpCoordinate(record.longitude, "E", "W"))
  ]

/** The sidecar's text for `record`: same record and options, same bytes. */
export const renderXmp = (record: SidecarRecord, options: XmpOptions): string => {
  const description = descriptionText(record, options.titleInDescription)
  const dates = xmpDates(record)
  const keywords = keywordPaths(record)
  const body = [
    ...alt("dc:title", record.title),
    ...alt("dc:description", description),
    ...simple("tiff:ImageDescription", description),
    ...list("dc:subject", "Bag", record.tags),
    ...list("digiKam:TagsList", "Seq", keywords.map((path) => path.join("/"))),
    ...list("lr:hierarchicalSubject", "Bag", keywords.map((path) => path.join("|"))),
    ...simple("exif:DateTimeOriginal", dates.full),
    ...simple("xmp:CreateDate", dates.full),
    ...simple("photoshop:DateCreated", dates.created),
    ...gpsFields(record, options),
    ...simple("dc:source", record.pageUrl),
    ...simple("xmpRights:WebStatement", record.license?.url ?? null),
    ...alt("dc:rights", record.license?.name ?? ""),
    ...fbkFields(record)
  ]
  return [
    "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>",
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\" x:xmptk=\"fbk\">",
    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
    `  <rdf:Description rdf:about=""${NAMESPACES.map(([prefix, uri]) => `\n    xmlns:${prefix}="${uri}"`).join("")}>`,
    ...body,
    "  </rdf:Description>",
    " </rdf:RDF>",
    "</x:xmpmeta>",
    "<?xpacket end=\"w\"?>",
    ""
  ].join("\n")
}

// `fbk show`'s report in words: labelled facts, then a section each for albums, files, copies on
// other disks and earlier versions, wrapped to 80 columns.
import { counted, fileSize, formatCount } from "../../services/terminal/Reporter.js"
import type { PhotoReport } from "./PhotoReport.js"

const WIDTH = 80
const LABEL = 14

/** A moment (ISO, UTC) as `fbk show` prints it, to the minute: "2014-05-30 06:31 UTC". */
const when = (iso: string | null): string => (iso === null ? "unknown" : `${iso.slice(0, 16).replace("T", " ")} UTC`)

/** `text` in lines of at most WIDTH columns, the first after `first`, the rest after `indent` (a word longer than a line keeps its own). */
const wrap = (first: string, indent: string, text: string): Array<string> => {
  const lines: Array<string> = []
  for (const paragraph of text.split("\n")) {
    let line = lines.length === 0 ? first : indent
    let empty = true
    for (const word of paragraph.split(" ").filter((w) => w !== "")) {
      if (!empty && line.length + 1 + word.length > WIDTH) {
        lines.push(line)
        line = indent
        empty = true
      }
      line += empty ? word : ` ${word}`
      empty = false
    }
    lines.push(line.trimEnd())
  }
  return lines
}

/** "Label:       value", the value wrapped under itself; nothing when there is no value. */
const field = (label: string, value: string | null): Array<string> =>
  value === null || value === "" ? [] : wrap(`${label}:`.padEnd(LABEL), " ".repeat(LABEL), value)

const section = (heading: string, lines: ReadonlyArray<string>): Array<string> => (lines.length === 0 ? [] : ["", heading, ...lines])

const MATCHED_BY: Readonly<Record<string, string>> = { sha256: "the same bytes", exif: "date taken and camera", title: "its name and date" }

const counts = (report: PhotoReport): string =>
  [
    report.counts.views === null ? null : counted(report.counts.views, "view"),
    report.counts.faves === null ? null : counted(report.counts.faves, "fave"),
    report.counts.comments === null ? null : counted(report.counts.comments, "comment")
  ].filter((c) => c !== null).join(", ")

const facts = (report: PhotoReport): Array<string> => {
  const location = report.location
  return [
    ...field("Title", report.title === "" ? "(untitled)" : report.title),
    ...field("Description", report.description),
    ...field("Taken", report.taken.text),
    ...field("Uploaded", when(report.uploaded)),
    ...field("Updated", report.updated === null ? null : when(report.updated)),
    ...field("Owner", report.owner.username === null
      ? report.owner.nsid
      : `${report.owner.username} (${report.owner.nsid ?? "no NSID"})`),
    ...field("Privacy", report.privacy),
    ...field("Licence", report.license === null ? null : report.license.name),
    ...field("Media", `${report.media}${report.width === null || report.height === null ? "" : `, ${report.width} × ${report.height}`}`),
    ...field("Tags", report.tags.join(" ")),
    ...field("Machine tags", report.machine_tags.join(" ")),
    ...field("Location", location === null ? null : `${location.latitude.toFixed(6)}, ${location.longitude.toFixed(6)}` +
      (location.accuracy_text === null ? "" : `, accuracy ${location.accuracy_text}`)),
    ...field("Place", location === null ? null : location.places.join(", ")),
    ...field("Counts", counts(report)),
    ...field("Flickr page", report.url),
    ...field("Deleted", report.deleted_on_flickr === null ? null : `on Flickr, found ${when(report.deleted_on_flickr)}; kept here`),
    ...field("Known from", report.source === "export" ? "Flickr's data export only (no record from the API yet)" : null)
  ]
}

const albums = (report: PhotoReport): Array<string> =>
  report.albums.flatMap((album) => {
    const title = album.title === "" ? `Album ${album.id}` : album.title
    const paths = album.collections.length === 0 ? [[]] : album.collections
    return paths.flatMap((steps) => wrap("  ", "    ", `${[...steps.map((s) => s.title || `Collection ${s.id}`), title].join(" › ")} (${album.id})`))
  })

const files = (report: PhotoReport): Array<string> =>
  report.files.flatMap((file) => [
    ...wrap("  ", "    ", file.path),
    ...wrap("    ", "    ", `${file.role}${file.source === "export" ? " (from Flickr's data export)" : ""}, ${fileSize(file.bytes)}`),
    `    fetched ${when(file.fetched_at)}, verified ${when(file.verified_at)}`,
    ...(file.not_original_reason === null ? [] : wrap("    ", "    ", `not the original: ${file.not_original_reason}`)),
    `    sha256 ${file.sha256}`
  ])

const copies = (report: PhotoReport): Array<string> =>
  report.disk_copies.flatMap((copy) => [
    ...wrap("  ", "    ", copy.path),
    ...wrap("    ", "    ", `${fileSize(copy.bytes)}, matched by ${MATCHED_BY[copy.matched_by] ?? copy.matched_by} on ${when(copy.linked_at)}` +
      (copy.gone_at === null ? "" : `, gone since ${when(copy.gone_at)}`))
  ])

const revisions = (report: PhotoReport): Array<string> =>
  report.revisions.flatMap((revision) => [
    `  replaced ${when(revision.replaced_at)}${
      revision.changes === null ? ": from Flickr's data export, not compared" : revision.changes.length === 0 ? ": no field shown here changed" : ""
    }`,
    ...(revision.changes ?? []).flatMap((change) =>
      wrap(`    ${change.field}: `, "      ", `${change.before || "(none)"} -> ${change.after || "(none)"}`))
  ])

/** The report as `fbk show` prints it. */
export const showLines = (report: PhotoReport): Array<string> => [
  `Photo ${report.id}`,
  ...facts(report),
  ...section(`Albums (${formatCount(report.albums.length)})`, albums(report)),
  ...section("Files in the store", files(report)),
  ...section("Copies on your disks (fbk link)", copies(report)),
  ...section(`Earlier versions of the record (${formatCount(report.revisions.length)})`, revisions(report))
]

// EXIF: the fields people look for first (camera, lens, exposure, aperture, ISO, focal length),
// then every tag read, grouped by where in the file it sits, folded away.
import type { ExifEntry } from "../../../../services/database/PhotoPageRepository.js"
import { html, type Html } from "../../Html.js"
import { part } from "./Parts.js"

/** Each usual field and the tags that may hold it, best first (Flickr's and ExifTool's names). */
const USUAL: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["Lens", ["LensModel", "Lens", "LensID", "LensInfo"]],
  ["Exposure", ["ExposureTime", "ShutterSpeedValue"]],
  ["Aperture", ["FNumber", "ApertureValue"]],
  ["ISO", ["ISO", "ISOSpeedRatings", "PhotographicSensitivity"]],
  ["Focal length", ["FocalLength"]]
]

const valueOf = (entry: ExifEntry): string => (entry.clean ?? entry.raw ?? "").trim()

const find = (entries: ReadonlyArray<ExifEntry>, tags: ReadonlyArray<string>): string | null => {
  for (const tag of tags) {
    const value = entries.find((e) => e.tag === tag && valueOf(e) !== "")
    if (value !== undefined) return valueOf(value)
  }
  return null
}

/** "Canon EOS 5D Mark II" from Make and Model, without saying the maker twice. */
const cameraOf = (entries: ReadonlyArray<ExifEntry>): string | null => {
  const make = find(entries, ["Make"])
  const model = find(entries, ["Model"])
  if (model === null) return make
  return make === null || model.toLowerCase().startsWith(make.toLowerCase().split(" ")[0]!) ? model : `${make} ${model}`
}

export const exifPart = (entries: ReadonlyArray<ExifEntry>): Html | null => {
  if (entries.length === 0) return null
  const usual = [["Camera", cameraOf(entries)] as const, ...USUAL.map(([label, tags]) => [label, find(entries, tags)] as const)]
    .filter((pair): pair is readonly [string, string] => pair[1] !== null)
  const groups = new Map<string, Array<ExifEntry>>()
  for (const entry of entries) groups.set(entry.tagspace, [...(groups.get(entry.tagspace) ?? []), entry])
  const fromFile = entries.some((e) => e.source === "file")
  return part(
    "exif",
    "Camera and EXIF",
    html`${usual.length === 0 ? "" : html`<dl class="facts exif-usual">${usual.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`}
<details class="exif-all"><summary>All ${entries.length} EXIF fields${fromFile ? " (read from the file)" : ""}</summary>${
      [...groups].map(([tagspace, rows]) =>
        html`<h3>${tagspace}</h3><dl class="facts">${rows.map((e) => html`<dt>${e.label ?? e.tag}</dt><dd>${valueOf(e)}</dd>`)}</dl>`
      )
    }</details>`
  )
}

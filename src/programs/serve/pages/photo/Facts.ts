// The photo's facts: dates, privacy, licence, safety and counts; its tags; the albums it is in
// with the collections above them; and where it was taken.
import { licenseOf } from "../../../../schema/Licenses.js"
import type {
  AlbumLink,
  CollectionStep,
  PhotoDetails,
  PhotoRecord,
  TagEntry
} from "../../../../services/database/PhotoPageRepository.js"
import { formatCount } from "../../../../services/terminal/Reporter.js"
import { accuracyName, collectionPaths, privacyName } from "../../../photo/PhotoText.js"
import { momentOrUnknown, takenDate } from "../../Dates.js"
import { flickrText } from "../../FlickrHtml.js"
import { html, type Html } from "../../Html.js"
import { part } from "./Parts.js"

const SAFETY = ["safe", "moderate", "restricted"]

const licence = (id: number): Html => {
  const found = licenseOf(id)
  return found.url === null ? html`${found.name}` : html`<a href="${found.url}" rel="license noopener noreferrer">${found.name}</a>`
}

const count = (n: number | null, singular: string, plural: string): Html | null =>
  n === null ? null : html`<span>${formatCount(n)} ${n === 1 ? singular : plural}</span>`

/** Dates, privacy, licence, safety level and counts, as a list of terms. */
export const facts = (photo: PhotoRecord, details: PhotoDetails | null): Html => {
  const counts = [
    count(details?.views ?? photo.views, "view", "views"),
    count(photo.count_faves, "fave", "faves"),
    count(details?.count_comments ?? photo.count_comments, "comment", "comments")
  ].filter((c) => c !== null)
  const safety = details?.safety_level ?? null
  return html`<dl class="facts">
<dt>Taken</dt><dd>${takenDate(photo.date_taken, photo.date_taken_granularity, photo.date_taken_unknown === 1)}</dd>
<dt>Uploaded</dt><dd>${momentOrUnknown(photo.date_uploaded)}</dd>
<dt>Privacy</dt><dd>${privacyName(photo)}</dd>
${photo.license === null ? "" : html`<dt>Licence</dt><dd>${licence(photo.license)}</dd>`}
${safety === null ? "" : html`<dt>Safety level</dt><dd>${SAFETY[safety] ?? `level ${safety}`}</dd>`}
${counts.length === 0 ? "" : html`<dt>Counts</dt><dd class="counts">${counts}</dd>`}
</dl>`
}

const words = (text: string) => text.split(" ").filter((t) => t !== "")

const tagLink = (label: string, tag: string): Html => html`<a href="/tags/${encodeURIComponent(tag)}">${label}</a>`

/**
 * The tags as typed (getInfo's raw) linking the normalised tag's page, machine tags apart; from
 * the listing's words when details were never read. A machine tag is linked only when the
 * listing's tags hold it (its page lists nothing otherwise).
 */
export const tagsPart = (photo: PhotoRecord, entries: ReadonlyArray<TagEntry>): Html | null => {
  const listed = new Set(words(photo.tags))
  const machineWords = new Set(words(photo.machine_tags))
  const fromDetails = entries.filter((e) => e.tag !== null && e.tag !== "")
  const all = fromDetails.length > 0
    ? fromDetails.map((e) => ({ tag: e.tag!, label: flickrText(e.raw ?? e.tag).trim() || e.tag!, machine: e.machine_tag === 1 }))
    : [...listed, ...[...machineWords].filter((t) => !listed.has(t))].map((tag) => ({ tag, label: tag, machine: machineWords.has(tag) }))
  const ordinary = all.filter((t) => !t.machine)
  const machine = all.filter((t) => t.machine)
  if (all.length === 0) return null
  return part(
    "tags",
    "Tags",
    html`${ordinary.length === 0 ? "" : html`<p class="tags">${ordinary.map((t) => tagLink(t.label, t.tag))}</p>`}${
      machine.length === 0 ? "" : html`<h3>Machine tags</h3><ul class="machine-tags">${
        machine.map((t) => html`<li>${listed.has(t.tag) ? tagLink(t.label, t.tag) : html`<code>${t.label}</code>`}</li>`)
      }</ul>`
    }`
  )
}

/** Each album the photo is in, with the path of collections above it (Travel › Africa › the album). */
export const albumsPart = (albums: ReadonlyArray<AlbumLink>, steps: ReadonlyArray<CollectionStep>): Html | null => {
  if (albums.length === 0) return null
  const albumLink = (a: AlbumLink) => html`<a href="/albums/${encodeURIComponent(a.id)}">${flickrText(a.title).trim() || `Album ${a.id}`}</a>`
  return part(
    "albums",
    albums.length === 1 ? "Album" : "Albums",
    html`<ul class="albums">${
      albums.map((album) => {
        const paths = collectionPaths(album.id, steps)
        if (paths.length === 0) return html`<li>${albumLink(album)}</li>`
        return paths.map((path) =>
          html`<li><nav class="crumbs" aria-label="Collections above the album">${
            path.map((c) => html`<a href="/collections#c${encodeURIComponent(c.id)}">${flickrText(c.title).trim() || `Collection ${c.id}`}</a> › `)
          }${albumLink(album)}</nav></li>`
        )
      })
    }</ul>`
  )
}

/** Coordinates, the place names getInfo gave, accuracy, and the hook the map script makes a small map of. */
export const locationPart = (photo: PhotoRecord, details: PhotoDetails | null): Html | null => {
  if (photo.latitude === null || photo.longitude === null) return null
  const places = details === null
    ? []
    : [details.neighbourhood, details.locality, details.county, details.region, details.country].filter((p): p is string => p !== null && p.trim() !== "")
  return part(
    "location",
    "Location",
    html`${places.length === 0 ? "" : html`<p class="places">${places.map(flickrText).join(", ")}</p>`}
<p><span class="coordinates">${photo.latitude.toFixed(6)}, ${photo.longitude.toFixed(6)}</span>${
      photo.accuracy === null || photo.accuracy === 0 ? "" : html` <span class="muted">· accuracy: ${accuracyName(photo.accuracy)}</span>`
    }</p>
<div class="minimap" data-lat="${photo.latitude}" data-lon="${photo.longitude}" data-id="${photo.id}"></div>
<p><a href="/map?photo=${encodeURIComponent(photo.id)}">On the map</a></p>`
  )
}

// Earlier versions of the photo's record: when each was replaced, and which fields the next
// version changed, old → new, from the listing items kept verbatim.
import type { PhotoRecord, RevisionEntry } from "../../../../services/database/PhotoPageRepository.js"
import { changesBetween } from "../../../photo/PhotoText.js"
import { moment } from "../../Dates.js"
import { html, type Html } from "../../Html.js"
import { part } from "./Parts.js"

const shown = (value: string | null): Html => (value === null || value === "" ? html`<span class="muted">(none)</span>` : html`<span class="value">${value}</span>`)

export const revisionsPart = (photo: PhotoRecord, revisions: ReadonlyArray<RevisionEntry>): Html | null => {
  if (revisions.length === 0) return null
  const entries = revisions.map((revision, i) => ({ revision, changes: changesBetween(revision.raw, revisions[i + 1]?.raw ?? photo.raw) }))
  return part(
    "history",
    "Earlier versions of the record",
    html`<ol class="revisions" reversed>${
      entries.reverse().map(({ changes, revision }) =>
        html`<li><p>Replaced ${moment(revision.replaced_at)}${
          changes === null
            ? html`: <span class="muted">this version came from Flickr's data export; fields are not compared.</span>`
            : changes.length === 0
            ? html`: <span class="muted">no field shown here changed (Flickr updated the record).</span>`
            : ""
        }</p>${
          changes === null || changes.length === 0 ? "" : html`<dl class="changes">${
            changes.map((c) => html`<dt>${c.field}</dt><dd>${shown(c.before)} <span aria-label="became">→</span> ${shown(c.after)}</dd>`)
          }</dl>`
        }</li>`
      )
    }</ol>`
  )
}

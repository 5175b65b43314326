// The photo's files: the one in the store (and originals it replaced, kept), the copies `fbk link`
// found on the user's disks, and the photo's page on Flickr.
import type { DiskCopy, StoredFile } from "../../../../services/database/PhotoPageRepository.js"
import { fileSize } from "../../../../services/terminal/Reporter.js"
import { moment } from "../../Dates.js"
import { html, type Html } from "../../Html.js"
import { part } from "./Parts.js"

const METHODS: Readonly<Record<string, string>> = {
  sha256: "the same bytes (sha256)",
  exif: "date taken and camera in its metadata",
  title: "its name and date"
}

const storedFile = (file: StoredFile): Html =>
  html`<dl class="facts file">
<dt>Path in the store</dt><dd><code>${file.path}</code></dd>
<dt>Kind</dt><dd>${file.role}${file.source === "export" ? " (from Flickr's data export)" : ""}${
    file.not_original_reason === null ? "" : html`<br><span class="muted">Not the original: ${file.not_original_reason}</span>`
  }</dd>
<dt>Size</dt><dd>${fileSize(file.bytes)}</dd>
<dt>SHA-256</dt><dd><code class="hash">${file.sha256}</code></dd>
<dt>Fetched</dt><dd>${moment(file.fetched_at)}</dd>
<dt>Verified</dt><dd>${moment(file.verified_at)}</dd>
</dl>`

export const filesPart = (files: ReadonlyArray<StoredFile>, copies: ReadonlyArray<DiskCopy>): Html | null => {
  const current = files.filter((f) => f.role !== "replaced")
  const replaced = files.filter((f) => f.role === "replaced")
  if (files.length === 0 && copies.length === 0) return null
  return part(
    "files",
    "Files",
    html`${current.map(storedFile)}${
      replaced.length === 0 ? "" : html`<h3>Replaced originals, kept</h3>${replaced.map(storedFile)}`
    }${
      copies.length === 0 ? "" : html`<h3>Copies on your disks</h3><ul class="copies">${
        copies.map((c) =>
          html`<li><code>${c.path}</code> <span class="muted">${fileSize(c.size)} · matched by ${METHODS[c.method] ?? c.method} · ${moment(c.linked_at)}${
            c.gone_at === null ? "" : html` · gone since ${moment(c.gone_at)}`
          }</span></li>`
        )
      }</ul>`
    }`
  )
}

// Notes: boxes over the photo that show their text on hover or focus (placed by the viewer's script
// from data- attributes, as the CSP allows no inline styles), and the same notes as a list below.
import type { NoteEntry, PhotoRecord } from "../../../../services/database/PhotoPageRepository.js"
import { flickrHtml } from "../../FlickrHtml.js"
import { html, type Html } from "../../Html.js"
import { part } from "./Parts.js"

/** Flickr measures notes in the photo shown 500 pixels on its longest side (never enlarged). */
const NOTE_DISPLAY = 500

/** The size of the display notes are measured in, when the photo's size is known. */
export const noteDisplaySize = (width: number | null, height: number | null): { readonly width: number; readonly height: number } | null => {
  if (width === null || height === null || width <= 0 || height <= 0) return null
  const scale = Math.min(1, NOTE_DISPLAY / Math.max(width, height))
  return { width: Math.round(width * scale), height: Math.round(height * scale) }
}

const placed = (note: NoteEntry): boolean => note.x !== null && note.y !== null && note.w !== null && note.h !== null

/** The boxes drawn over the picture (inside its frame); the script positions them in percent of it. */
export const noteBoxes = (notes: ReadonlyArray<NoteEntry>): Html =>
  html`${
    notes.filter(placed).map((note) =>
      html`<div class="note" tabindex="0" data-x="${note.x}" data-y="${note.y}" data-w="${note.w}" data-h="${note.h}"><div class="note-text">${
        flickrHtml(note.text)
      }</div></div>`
    )
  }`

/** The data- attributes that tell the script what notes are measured in (else it works it out from the picture). */
export const noteFrameAttributes = (photo: PhotoRecord): Html => {
  const display = noteDisplaySize(photo.width, photo.height)
  return display === null ? html`` : html` data-notes-width="${display.width}" data-notes-height="${display.height}"`
}

/** The notes as text, for keyboards and screen readers. */
export const notesPart = (notes: ReadonlyArray<NoteEntry>): Html | null =>
  notes.length === 0 ? null : part(
    "notes",
    notes.length === 1 ? "Note" : `Notes (${notes.length})`,
    html`<ol class="notes-list">${
      notes.map((note) =>
        html`<li><div class="note-body">${flickrHtml(note.text)}</div>${
          note.author_name === null ? "" : html`<span class="muted">— ${note.author_name}</span>`
        }</li>`
      )
    }</ol>`
  )

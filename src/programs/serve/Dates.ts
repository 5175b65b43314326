// How every page of the viewer shows a time: the server's local time (TZ honoured) to the minute in
// a <time> whose datetime is UTC, and Flickr's date taken as precisely as Flickr knows it.
import { localMinute } from "../../services/terminal/HumanTime.js"
import { html, type Html } from "./Html.js"

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

/** A moment fbk or Flickr recorded (unix seconds), as local time to the minute. */
export const moment = (seconds: number): Html => {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime())
    ? html`<span class="muted">unknown</span>`
    : html`<time datetime="${date.toISOString().slice(0, 16)}Z">${localMinute(date)}</time>`
}

/** The same, or "unknown" when there is none. */
export const momentOrUnknown = (seconds: number | null): Html =>
  seconds === null ? html`<span class="muted">unknown</span>` : moment(seconds)

const TAKEN = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[ T](\d{2}):(\d{2}))?)?/

/**
 * Flickr's date taken: the camera's wall clock with no time zone, shown as given and as
 * precisely as its granularity says (0 exact, 4 month, 6 year, 8 circa a year).
 */
export const takenDate = (taken: string | null, granularity: number | null, unknown: boolean): Html => {
  const match = taken === null ? null : TAKEN.exec(taken)
  if (unknown || match === null) return html`<span class="muted">unknown</span>`
  const [, year, month, day, hour, minute] = match
  const monthName = MONTHS[Number(month) - 1] ?? month
  switch (granularity) {
    case 4:
      return html`<time datetime="${year}-${month}">${monthName} ${year}</time>`
    case 6:
      return html`<time datetime="${year}">${year}</time>`
    case 8:
      return html`circa <time datetime="${year}">${year}</time>`
    default:
      if (day === undefined) return html`<time datetime="${year}-${month}">${monthName} ${year}</time>`
      return hour === undefined
        ? html`<time datetime="${year}-${month}-${day}">${year}-${month}-${day}</time>`
        : html`<time datetime="${year}-${month}-${day}T${hour}:${minute}">${year}-${month}-${day} ${hour}:${minute}</time>`
  }
}

// How every page of the viewer shows a time: the server's local time (TZ honoured) to the minute in
// a <time> whose datetime is UTC, and Flickr's date taken as precisely as Flickr knows it.
import { html, type Html } from "./Html.js"

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

const two = (n: number) => String(n).padStart(2, "0")

/** "2014-05-30 06:31" in the server's time zone. */
export const localMinute = (date: Date): string =>
  `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`

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

/** Flickr's date taken in words (`text`), its machine-readable form (`datetime`), "circa" when Flickr says so. */
export interface Taken {
  readonly circa: boolean
  readonly text: string
  readonly datetime: string
}

/**
 * Flickr's date taken: the camera's wall clock with no time zone, as given and as precisely as
 * its granularity says (0 exact, 4 month, 6 year, 8 circa a year); null when it is unknown.
 */
export const takenParts = (taken: string | null, granularity: number | null, unknown: boolean): Taken | null => {
  const match = taken === null ? null : TAKEN.exec(taken)
  if (unknown || match === null) return null
  const [, year, month, day, hour, minute] = match
  const monthYear = { circa: false, text: `${MONTHS[Number(month) - 1] ?? month} ${year}`, datetime: `${year}-${month}` }
  switch (granularity) {
    case 4:
      return monthYear
    case 6:
    case 8:
      return { circa: granularity === 8, text: year!, datetime: year! }
    default:
      if (day === undefined) return monthYear
      return hour === undefined
        ? { circa: false, text: `${year}-${month}-${day}`, datetime: `${year}-${month}-${day}` }
        : { circa: false, text: `${year}-${month}-${day} ${hour}:${minute}`, datetime: `${year}-${month}-${day}T${hour}:${minute}` }
  }
}

/** The date taken as plain text ("March 2006", "circa 1970", "unknown"). */
export const takenText = (taken: string | null, granularity: number | null, unknown: boolean): string => {
  const parts = takenParts(taken, granularity, unknown)
  return parts === null ? "unknown" : `${parts.circa ? "circa " : ""}${parts.text}`
}

/** The date taken in a page, as `takenParts` reads it. */
export const takenDate = (taken: string | null, granularity: number | null, unknown: boolean): Html => {
  const parts = takenParts(taken, granularity, unknown)
  if (parts === null) return html`<span class="muted">unknown</span>`
  return html`${parts.circa ? "circa " : ""}<time datetime="${parts.datetime}">${parts.text}</time>`
}

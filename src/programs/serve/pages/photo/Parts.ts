// What the sections of the photo page share: a section that is left out when it has nothing to
// show, and links to Flickr members' profiles.
import { html, type Html, type HtmlValue } from "../../Html.js"

/** A titled section of the photo's column, or nothing when `body` is null. */
export const part = (name: string, heading: string, body: HtmlValue | null): Html | null =>
  body === null ? null : html`<section class="part ${name}" aria-labelledby="part-${name}"><h2 id="part-${name}">${heading}</h2>${body}</section>`

/** An NSID or path alias as it may stand in a Flickr URL; anything else is not linked. */
const PROFILE_NAME = /^[A-Za-z0-9_@.-]{1,64}$/

/** A member's profile on Flickr (https), from their path alias or NSID; null when neither fits a URL. */
export const profileUrl = (nameInUrl: string | null): string | null =>
  nameInUrl !== null && PROFILE_NAME.test(nameInUrl) ? `https://www.flickr.com/photos/${nameInUrl}/` : null

/** A member's name, linked to their profile when it has one. */
export const member = (name: string, nameInUrl: string | null): Html => {
  const url = profileUrl(nameInUrl)
  return url === null ? html`<span class="member">${name}</span>` : html`<a class="member" href="${url}" rel="nofollow noopener noreferrer">${name}</a>`
}

// Comments (author linked to their Flickr profile, date, sanitised text) and the people marked in the photo.
import type { CommentEntry, PersonEntry } from "../../../../services/database/PhotoPageRepository.js"
import { moment } from "../../Dates.js"
import { flickrHtml } from "../../FlickrHtml.js"
import { html, type Html } from "../../Html.js"
import { member, part } from "./Parts.js"

/** A comment's permalink, only when it is Flickr's own https address. */
const permalinkOf = (permalink: string | null): string | null =>
  permalink !== null && permalink.startsWith("https://www.flickr.com/") ? permalink : null

const when = (comment: CommentEntry): Html | string => {
  if (comment.created === null) return ""
  const link = permalinkOf(comment.permalink)
  return link === null ? moment(comment.created) : html`<a href="${link}" rel="nofollow noopener noreferrer">${moment(comment.created)}</a>`
}

export const commentsPart = (comments: ReadonlyArray<CommentEntry>): Html | null =>
  comments.length === 0 ? null : part(
    "comments",
    comments.length === 1 ? "Comment" : `Comments (${comments.length})`,
    html`<ol class="comments">${
      comments.map((c) =>
        html`<li class="comment"><p class="byline">${member(c.author_name ?? c.author ?? "someone", c.author)} ${when(c)}</p><div class="comment-text">${
          flickrHtml(c.text)
        }</div></li>`
      )
    }</ol>`
  )

export const peoplePart = (people: ReadonlyArray<PersonEntry>): Html | null =>
  people.length === 0 ? null : part(
    "people",
    "People in this photo",
    html`<ul class="people">${
      people.map((p) => {
        const name = p.realname !== null && p.realname.trim() !== "" ? p.realname : p.username ?? p.nsid
        return html`<li>${member(name, p.path_alias !== null && p.path_alias !== "" ? p.path_alias : p.nsid)}${
          p.username !== null && p.username !== name ? html` <span class="muted">(${p.username})</span>` : ""
        }</li>`
      })
    }</ul>`
  )

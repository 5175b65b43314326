// `/tags`: every tag with its count, A to Z under a letter index, sized by use; `/tags/<tag>`: the
// photos carrying it, newest first, a chunk at a time like the timeline.
import { Array as Arr, Effect, Option } from "effect"
import { ViewerRepository } from "../../../services/database/ViewerRepository.js"
import type { TagCount } from "../../../schema/Viewer.js"
import { counted } from "../../../services/terminal/Reporter.js"
import { html, type Html, query } from "../Html.js"
import { notFound, page } from "../Layout.js"
import { grid, listing } from "../PhotoGrid.js"
import { CHUNK, takenCursorAfter } from "./Timeline.js"

/** A tag's page; the tag encoded whole, so spaces, slashes and any script survive the trip. */
export const tagHref = (tag: string): string => `/tags/${encodeURIComponent(tag)}`

/** The tag as its author typed it, when details were read, else as Flickr stores it. */
const shown = (tag: TagCount): string => (tag.raw !== null && tag.raw.trim() !== "" ? tag.raw : tag.tag)

/** The index letter a tag is filed under: its first letter, or `#` for a digit or sign. */
export const indexLetter = (tag: string): string => {
  const first = [...tag.normalize("NFD")][0] ?? ""
  return /\p{L}/u.test(first) ? first.toLocaleUpperCase() : "#"
}

/** Five sizes by use, on a log scale, so a few huge tags do not shrink every other to one size. */
const sizeClass = (photos: number, most: number): string =>
  `s${1 + Math.min(4, Math.floor((4 * Math.log(photos)) / Math.log(Math.max(most, 2)) + 1e-9))}`

export const tagsPage = Effect.gen(function*() {
  const tags = yield* (yield* ViewerRepository).tags
  if (tags.length === 0) {
    return page({ title: "Tags", section: "tags" }, html`<h1>Tags</h1><p class="muted">No photo in this archive has a tag.</p>`)
  }
  const most = tags.reduce((max, t) => Math.max(max, t.photos), 1)
  const groups = Arr.groupBy(tags, (tag) => indexLetter(tag.tag))
  const letters = Object.keys(groups).sort((a, b) => (a === "#" ? -1 : b === "#" ? 1 : a.localeCompare(b)))
  const anchor = (letter: string) => `tags-${letter === "#" ? "other" : encodeURIComponent(letter)}`
  const body: Html = html`<h1>Tags</h1><p class="muted">${counted(tags.length, "tag")}</p>
<nav class="letters" aria-label="Tags by letter">${letters.map((l) => html`<a href="#${anchor(l)}">${l}</a>`)}</nav>
${
    letters.map((letter) =>
      html`<section class="tag-group" id="${anchor(letter)}"><h2>${letter}</h2><ul class="tag-list">${
        (groups[letter] ?? []).map((tag) =>
          html`<li><a class="${sizeClass(tag.photos, most)}" href="${tagHref(tag.tag)}">${shown(tag)}</a> <span class="count">${tag.photos}</span></li>`
        )
      }</ul></section>`
    )
  }`
  return page({ title: "Tags", section: "tags" }, body)
})

export const tagPage = (tag: string, after: string | null) =>
  Effect.gen(function*() {
    const viewer = yield* ViewerRepository
    const found = yield* viewer.tag(tag)
    if (Option.isNone(found)) return { status: 404, body: notFound(`No photo in this archive has the tag “${tag}”.`) }
    const photos = yield* viewer.tagged(tag, yield* takenCursorAfter(after), CHUNK)
    const last = photos.at(-1)
    const next = photos.length === CHUNK && last !== undefined ? `${tagHref(tag)}${query({ after: last.id })}` : null
    const title = shown(found.value)
    const header = html`<h1>Tagged “${title}”</h1>${
      after === null ? html`<p class="muted">${counted(found.value.photos, "photo")} · <a href="/tags">all tags</a></p>` : ""
    }`
    return {
      status: 200,
      body: page({ title: `Tagged ${title}`, section: "tags" }, html`${header}${listing(grid(photos, { context: `tag:${tag}`, byMonth: true }), next)}`)
    }
  })

// `/albums`: every album with its cover, title and count; `/albums/<id>`: its description, then
// its photos in the album's order, a chunk at a time.
import { Effect, Option } from "effect"
import { ViewerRepository } from "../../../services/database/ViewerRepository.js"
import { ALBUM_START, type AlbumSummary } from "../../../schema/Viewer.js"
import { counted } from "../../../services/terminal/Reporter.js"
import { flickrHtml, flickrText } from "../FlickrHtml.js"
import { html, type Html, query } from "../Html.js"
import { notFound, page } from "../Layout.js"
import { grid, listing } from "../PhotoGrid.js"
import { CHUNK } from "./Timeline.js"

/** An album as a card: its cover, title and count, linking to its page. */
export const albumCard = (album: AlbumSummary): Html => {
  const title = flickrText(album.title).trim() || `Album ${album.id}`
  return html`<a class="card" href="/albums/${album.id}">${
    album.primary_photo_id === null
      ? html`<img src="/assets/placeholder.svg" alt="">`
      : html`<img src="/thumbs/${album.primary_photo_id}/small" alt="" loading="lazy">`
  }<span class="title">${title}</span><span class="count">${counted(album.members, "photo")}</span></a>`
}

/** Every live album in Flickr's order. */
export const albumsPage = Effect.gen(function*() {
  const albums = yield* (yield* ViewerRepository).albums
  const body = html`<h1>Albums</h1>${
    albums.length === 0
      ? html`<p class="muted">No albums in this archive.</p>`
      : html`<div class="cards">${albums.map(albumCard)}</div>`
  }`
  return page({ title: "Albums", section: "albums" }, body)
})

export const albumPage = (id: string, after: string | null) =>
  Effect.gen(function*() {
    const viewer = yield* ViewerRepository
    const album = yield* viewer.album(id)
    if (Option.isNone(album)) return { status: 404, body: notFound(`The archive holds no album ${id}.`) }
    const cursor = after === null ? ALBUM_START : Option.getOrElse(yield* viewer.albumPosition(id, after), () => ALBUM_START)
    const photos = yield* viewer.albumMembers(id, cursor, CHUNK)
    const last = photos.at(-1)
    const next = photos.length === CHUNK && last !== undefined ? `/albums/${id}${query({ after: last.id })}` : null
    const title = flickrText(album.value.title).trim() || `Album ${id}`
    const header = after === null
      ? html`<h1>${title}</h1>${
        album.value.deleted_at === null ? "" : html`<p class="notice">This album was deleted on Flickr; kept here.</p>`
      }<div class="description">${flickrHtml(album.value.description)}</div><p class="muted">${counted(album.value.members, "photo")}</p>`
      : html`<h1>${title}</h1>`
    return {
      status: 200,
      body: page({ title, section: "albums" }, html`${header}${listing(grid(photos, { context: `album:${id}`, byMonth: false }), next)}`)
    }
  })

// `/photos/<id>`: the photo at screen size (a video plays), what the archive holds about it, and
// previous / next in the listing it was opened from.
import { Effect, Option } from "effect"
import { PhotoPageRepository, type PhotoRecord } from "../../../services/database/PhotoPageRepository.js"
import { type PhotoCard, ViewerRepository } from "../../../services/database/ViewerRepository.js"
import { type Browsing, browsingParam, neighbours } from "../Browsing.js"
import { flickrHtml, flickrText } from "../FlickrHtml.js"
import { html, type Html, query } from "../Html.js"
import { notFound, page } from "../Layout.js"
import { altText, thumbnailImg } from "../PhotoGrid.js"
import { pictureOrigin } from "../Pictures.js"

const uploaded = (seconds: number | null) => (seconds === null ? "unknown" : new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC")

const stage = (photo: PhotoRecord, card: PhotoCard): Html =>
  html`${
    photo.media === "video"
      ? html`<video controls preload="metadata" poster="/thumbs/${photo.id}/large" src="/originals/${photo.id}" aria-label="${altText(card)}"></video>`
      : thumbnailImg(card, "large", { width: photo.width ?? "", height: photo.height ?? "", lazy: false })
  }${pictureOrigin(card)._tag === "Flickr" ? html`<figcaption class="online-only">From Flickr (online only): not downloaded yet</figcaption>` : ""}`

export const photoPage = (id: string, browsing: Browsing) =>
  Effect.gen(function*() {
    const viewer = yield* ViewerRepository
    const records = yield* PhotoPageRepository
    const card = yield* viewer.card(id)
    const record = yield* records.record(id)
    if (Option.isNone(card) || Option.isNone(record)) return { status: 404, body: notFound(`The archive holds no photo ${id}.`) }
    const photo = record.value
    const around = yield* neighbours(browsing, card.value)
    const albums = yield* records.albums(id)
    const context = browsingParam(browsing)
    const step = (rel: "prev" | "next", label: string, target: Option.Option<{ readonly id: string }>) =>
      Option.match(target, {
        onNone: () => html`<span class="muted">${label}</span>`,
        onSome: (t) => html`<a rel="${rel}" href="/photos/${t.id}${query({ in: context })}">${label}</a>`
      })
    const title = flickrText(photo.title).trim()
    const tags = photo.tags.split(" ").filter((t) => t !== "")
    const body = html`<article class="photo">
<div>
<figure class="stage">${stage(photo, card.value)}</figure>
<nav class="stepper" aria-label="Previous and next">${step("prev", "← Previous", around.previous)}${step("next", "Next →", around.next)}</nav>
</div>
<aside>
<h1>${title === "" ? html`<span class="muted">Untitled</span>` : title}</h1>
${photo.deleted_at === null ? "" : html`<p class="notice">Deleted on Flickr on ${uploaded(photo.deleted_at)}; kept here.</p>`}
<div class="description">${flickrHtml(photo.description)}</div>
<dl class="facts">
<dt>Taken</dt><dd>${photo.date_taken ?? "unknown"}</dd>
<dt>Uploaded</dt><dd>${uploaded(photo.date_uploaded)}</dd>
${tags.length === 0 ? "" : html`<dt>Tags</dt><dd class="tags">${tags.map((t) => html`<a href="/tags/${encodeURIComponent(t)}">${t}</a>`)}</dd>`}
${albums.length === 0 ? "" : html`<dt>Albums</dt><dd>${albums.map((a, i) => html`${i > 0 ? ", " : ""}<a href="/albums/${a.id}">${flickrText(a.title)}</a>`)}</dd>`}
</dl>
</aside>
</article>`
    return { status: 200, body: page({ title: title === "" ? `Photo ${id}` : title, section: "photos" }, body) }
  })

// `/photos/<id>`: the photo at screen size (a video plays) with its notes over it, everything the
// archive holds about it beside it, and previous / next in the listing it was opened from.
import { Effect, Option } from "effect"
import { PhotoPageRepository, type PhotoRecord } from "../../../services/database/PhotoPageRepository.js"
import { ViewerRepository } from "../../../services/database/ViewerRepository.js"
import type { PhotoCard } from "../../../schema/Viewer.js"
import { photoUrl } from "../../Search.js"
import { type Browsing, browsingParam, neighbours } from "../Browsing.js"
import { moment } from "../Dates.js"
import { flickrHtml, flickrText } from "../FlickrHtml.js"
import { html, type Html, query } from "../Html.js"
import { notFound, page } from "../Layout.js"
import { altText, thumbnailImg } from "../PhotoGrid.js"
import { pictureOrigin } from "../Pictures.js"
import { commentsPart, peoplePart } from "./photo/Comments.js"
import { exifPart } from "./photo/Exif.js"
import { albumsPart, facts, locationPart, tagsPart } from "./photo/Facts.js"
import { filesPart } from "./photo/Files.js"
import { noteBoxes, noteFrameAttributes, notesPart } from "./photo/Notes.js"
import { revisionsPart } from "./photo/Revisions.js"

const size = (photo: PhotoRecord): Html =>
  photo.width !== null && photo.height !== null && photo.width > 0 && photo.height > 0
    ? html` width="${photo.width}" height="${photo.height}"`
    : html``

/**
 * The picture, or the video playing from its file (its poster the thumbnail), notes drawn over a
 * picture; a picture shown from Flickr (no file here yet) says so.
 */
const stage = (photo: PhotoRecord, card: PhotoCard, notes: Html): Html =>
  photo.media === "video"
    ? html`<figure class="stage"><video controls preload="metadata"${size(photo)} poster="/thumbs/${photo.id}/large" src="/originals/${photo.id}" aria-label="${altText(card)}"></video></figure>`
    : html`<figure class="stage"><div class="frame"${noteFrameAttributes(photo)}>${
      thumbnailImg(card, "large", { width: photo.width ?? "", height: photo.height ?? "", lazy: false })
    }${notes}</div>${
      pictureOrigin(card)._tag === "Flickr" ? html`<figcaption class="online-only">From Flickr (online only): not downloaded yet</figcaption>` : ""
    }</figure>`

/** Where the page was opened from, linking back to that listing. */
const whereFrom = (browsing: Browsing) =>
  Effect.gen(function*() {
    switch (browsing._tag) {
      case "Timeline":
        return html`<p class="context">In <a href="/">the timeline</a></p>`
      case "Album": {
        const album = yield* (yield* ViewerRepository).album(browsing.album)
        const title = Option.match(album, { onNone: () => "", onSome: (a) => flickrText(a.title).trim() }) || `Album ${browsing.album}`
        return html`<p class="context">In album <a href="/albums/${encodeURIComponent(browsing.album)}">${title}</a></p>`
      }
      case "Tag":
        return html`<p class="context">Tagged <a href="/tags/${encodeURIComponent(browsing.tag)}">${browsing.tag}</a></p>`
      case "Search":
        return html`<p class="context">Search: <a href="/search${query({ q: browsing.query })}">${browsing.query}</a></p>`
    }
  })

export const photoPage = (id: string, browsing: Browsing) =>
  Effect.gen(function*() {
    const viewer = yield* ViewerRepository
    const records = yield* PhotoPageRepository
    const card = yield* viewer.card(id)
    const record = yield* records.record(id)
    if (Option.isNone(card) || Option.isNone(record)) return { status: 404, body: notFound(`The archive holds no photo ${id}.`) }
    const photo = record.value
    const around = yield* neighbours(browsing, card.value)
    const found = yield* Effect.all({
      details: records.details(id),
      albums: records.albums(id),
      collections: records.collections(id),
      tags: records.tags(id),
      notes: records.notes(id),
      comments: records.comments(id),
      people: records.people(id),
      exif: records.exif(id),
      revisions: records.revisions(id),
      files: records.files(id),
      copies: records.diskCopies(id),
      from: whereFrom(browsing)
    })
    const details = Option.getOrNull(found.details)
    const context = browsingParam(browsing)
    const step = (rel: "prev" | "next", label: string, target: Option.Option<{ readonly id: string }>) =>
      Option.match(target, {
        onNone: () => html`<span class="muted">${label}</span>`,
        onSome: (t) => html`<a rel="${rel}" href="/photos/${t.id}${query({ in: context })}">${label}</a>`
      })
    const title = flickrText(photo.title).trim()
    // The photo's own owner and alias: the account-wide path `fbk search` uses costs a scan of every photo.
    const flickrPage = photoUrl(Option.none(), photo)
    const body = html`<article class="photo">
<div class="main">
${found.from}
${stage(photo, card.value, noteBoxes(found.notes))}
<nav class="stepper" aria-label="Previous and next">${step("prev", "← Previous", around.previous)}${step("next", "Next →", around.next)}</nav>
${notesPart(found.notes)}
</div>
<aside class="about">
<h1>${title === "" ? html`<span class="muted">Untitled</span>` : title}</h1>
${photo.deleted_at === null ? "" : html`<p class="notice">Deleted on Flickr on ${moment(photo.deleted_at)}; kept here.</p>`}
${photo.description === null || photo.description.trim() === "" ? "" : html`<div class="description">${flickrHtml(photo.description)}</div>`}
${facts(photo, details)}
${tagsPart(photo, found.tags)}
${albumsPart(found.albums, found.collections)}
${peoplePart(found.people)}
${locationPart(photo, details)}
${commentsPart(found.comments)}
${exifPart(found.exif)}
${revisionsPart(photo, found.revisions)}
${filesPart(found.files, found.copies)}
${flickrPage === null ? "" : html`<p class="flickr-link"><a href="${flickrPage}" rel="noopener noreferrer">This photo on Flickr</a></p>`}
</aside>
</article>`
    return { status: 200, body: page({ title: title === "" ? `Photo ${id}` : title, section: "photos" }, body) }
  })

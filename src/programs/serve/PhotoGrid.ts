// Photos as a justified grid of thumbnails, grouped under month (and year) headings, with the
// link to the next chunk that works without JavaScript and that the script follows as you scroll.
import type { PhotoCard } from "../../schema/Viewer.js"
import { flickrText } from "./FlickrHtml.js"
import type { ThumbSize } from "../../services/files/Thumbnails.js"
import { html, type Html, type HtmlValue, query } from "./Html.js"
import { pictureOrigin, placeholderHref } from "./Pictures.js"

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

/** "March 2014" from "2014-03-13 ...", or "No date" for a photo without one. */
export const monthOf = (taken: string | null): string => {
  const month = Number(taken?.slice(5, 7))
  return taken === null || taken.length < 7 || !(month >= 1 && month <= 12) ? "No date" : `${MONTHS[month - 1]} ${taken.slice(0, 4)}`
}

/** The words a thumbnail stands for: its title, else what it is and when it was taken. */
export const altText = (photo: PhotoCard): string => {
  const title = flickrText(photo.title).trim()
  if (title !== "") return title
  const kind = photo.media === "video" ? "Video" : "Photo"
  return photo.date_taken === null ? `${kind} ${photo.id}` : `${kind} taken ${photo.date_taken.slice(0, 10)}`
}

/** A thumbnail's `<img>`: one that Flickr serves is marked so, with the placeholder the script swaps in offline. */
export const thumbnailImg = (photo: PhotoCard, size: ThumbSize, attributes: { readonly width: number | string; readonly height: number | string; readonly lazy: boolean }): Html => {
  const online = pictureOrigin(photo)._tag === "Flickr"
  return html`<img src="/thumbs/${photo.id}/${size}" alt="${altText(photo)}" width="${attributes.width}" height="${attributes.height}"${
    attributes.lazy ? html` loading="lazy"` : ""
  }${online ? html` class="online-only" data-offline="${placeholderHref("offline")}"` : ""}>`
}

/** The mark of a picture that comes from Flickr, not from the archive. */
export const onlineOnlyBadge = (photo: PhotoCard): Html | "" =>
  pictureOrigin(photo)._tag === "Flickr" ? html`<span class="badge online" title="not downloaded: shown from Flickr, online only">from Flickr (online only)</span>` : ""

/** One thumbnail, linking to the photo's page in the context it is shown in (`in`). */
export const tile = (photo: PhotoCard, context: string | null): Html => {
  const width = photo.width !== null && photo.width > 0 ? photo.width : 4
  const height = photo.height !== null && photo.height > 0 ? photo.height : 3
  return html`<a class="tile" href="/photos/${photo.id}${query({ in: context })}" data-id="${photo.id}">${thumbnailImg(photo, "small", { width, height, lazy: true })}${
    photo.media === "video" ? html`<span class="badge">▶ video</span>` : ""
  }${onlineOnlyBadge(photo)}${photo.deleted_at !== null ? html`<span class="badge gone">deleted on Flickr</span>` : ""}</a>`
}

/** Photos in runs under a heading per month and per year (`byMonth`), else one grid. */
export const grid = (photos: ReadonlyArray<PhotoCard>, options: { readonly context: string | null; readonly byMonth: boolean }): Html => {
  if (!options.byMonth) return html`<div class="grid">${photos.map((p) => tile(p, options.context))}</div>`
  const runs: Array<{ month: string; year: string; photos: Array<PhotoCard> }> = []
  for (const photo of photos) {
    const month = monthOf(photo.date_taken)
    const last = runs[runs.length - 1]
    if (last?.month === month) last.photos.push(photo)
    else runs.push({ month, year: month.split(" ").at(-1) ?? "", photos: [photo] })
  }
  return html`${runs.map((run, i) =>
    html`${run.year !== runs[i - 1]?.year ? html`<h2 class="year" data-year="${run.year}">${run.year}</h2>` : ""}<section class="month" data-month="${run.month}"><h3>${run.month}</h3><div class="grid">${
      run.photos.map((p) => tile(p, options.context))
    }</div></section>`
  )}`
}

/** The chunk's photos and the link to the next one (`nextHref` null: this is the last). */
export const listing = (content: HtmlValue, nextHref: string | null): Html =>
  html`<div class="listing">${content}</div><nav class="pager" aria-label="More">${
    nextHref === null ? html`<span class="end">That is all.</span>` : html`<a rel="next" href="${nextHref}">More photos</a>`
  }</nav>`

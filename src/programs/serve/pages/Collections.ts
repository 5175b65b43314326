// `/collections`: the collection tree, nested to any depth, down to each collection's albums; every
// collection an element `#c<id>` (the photo page links there). Plain <details>: no script needed.
import { Array as Arr, Effect } from "effect"
import { ViewerRepository } from "../../../services/database/ViewerRepository.js"
import type { CollectionNode, PlacedAlbum } from "../../../schema/Viewer.js"
import { flickrHtml, flickrText } from "../FlickrHtml.js"
import { html, type Html } from "../Html.js"
import { page } from "../Layout.js"
import { albumCard } from "./Albums.js"

/** Each collection's child collections (the top ones under ""), and each collection's albums. */
interface Tree {
  readonly children: Readonly<Record<string, ReadonlyArray<CollectionNode>>>
  readonly albums: Readonly<Record<string, ReadonlyArray<PlacedAlbum>>>
}

/** A collection, its albums, then its child collections; `seen` stops a loop in bad data going round forever. */
const branch = (tree: Tree, collection: CollectionNode, seen: Set<string>): Html => {
  seen.add(collection.id)
  const title = flickrText(collection.title).trim() || `Collection ${collection.id}`
  const described = (collection.description ?? "").trim() !== ""
  const albums = tree.albums[collection.id] ?? []
  const children = (tree.children[collection.id] ?? []).filter((c) => !seen.has(c.id))
  return html`<li class="collection" id="c${collection.id}"><details open><summary>${title}</summary>${
    described ? html`<div class="muted description">${flickrHtml(collection.description)}</div>` : ""
  }${albums.length === 0 ? "" : html`<div class="cards">${albums.map(albumCard)}</div>`}${
    children.length === 0 ? "" : html`<ul class="tree">${children.map((c) => branch(tree, c, seen))}</ul>`
  }</details></li>`
}

export const collectionsPage = Effect.gen(function*() {
  const viewer = yield* ViewerRepository
  const collections = yield* viewer.collections
  const placed = yield* viewer.collectionAlbums
  const live = new Set(collections.map((c) => c.id))
  // A collection whose parent is gone still shows, at the top.
  const tree: Tree = {
    children: Arr.groupBy(collections, (c) => (c.parent_id !== null && live.has(c.parent_id) ? c.parent_id : "")),
    albums: Arr.groupBy(placed, (a) => a.collection_id)
  }
  const seen = new Set<string>()
  const roots = tree.children[""] ?? []
  const body = collections.length === 0
    ? html`<h1>Collections</h1><p class="muted">No collections in this archive.</p>`
    : html`<h1>Collections</h1><ul class="tree top">${roots.map((c) => branch(tree, c, seen))}</ul>`
  return page({ title: "Collections", section: "collections" }, body)
})

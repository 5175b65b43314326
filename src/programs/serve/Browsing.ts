// Where a photo page was opened from (`?in=album:ID`, `tag:TAG`, `search:QUERY`, else the
// timeline), and the photos before and after it there, for previous / next and the arrow keys.
import { Effect, Option } from "effect"
import { matchExpression, SearchIndex } from "../../services/database/SearchIndex.js"
import { ViewerRepository } from "../../services/database/ViewerRepository.js"
import type { PhotoCard } from "../../schema/Viewer.js"

export type Browsing =
  | { readonly _tag: "Timeline" }
  | { readonly _tag: "Album"; readonly album: string }
  | { readonly _tag: "Tag"; readonly tag: string }
  | { readonly _tag: "Search"; readonly query: string }

/** How far into a search previous / next reach (the search page shows as many). */
export const SEARCH_LIMIT = 500

export const parseBrowsing = (value: string | null): Browsing => {
  const colon = value?.indexOf(":") ?? -1
  if (value === null || colon < 0) return { _tag: "Timeline" }
  const kind = value.slice(0, colon)
  const rest = value.slice(colon + 1)
  if (rest === "") return { _tag: "Timeline" }
  if (kind === "album") return { _tag: "Album", album: rest }
  if (kind === "tag") return { _tag: "Tag", tag: rest }
  if (kind === "search") return { _tag: "Search", query: rest }
  return { _tag: "Timeline" }
}

/** The `in` parameter that brings a photo page back to this context (null for the timeline). */
export const browsingParam = (browsing: Browsing): string | null => {
  switch (browsing._tag) {
    case "Timeline":
      return null
    case "Album":
      return `album:${browsing.album}`
    case "Tag":
      return `tag:${browsing.tag}`
    case "Search":
      return `search:${browsing.query}`
  }
}

/** The photos to step to: only their ids are needed (a search hit is no listing card). */
export interface Neighbours {
  readonly previous: Option.Option<Pick<PhotoCard, "id">>
  readonly next: Option.Option<Pick<PhotoCard, "id">>
}

const first = (cards: ReadonlyArray<PhotoCard>) => Option.fromNullable(cards[0])

export const neighbours = (browsing: Browsing, photo: PhotoCard) =>
  Effect.gen(function*() {
    const viewer = yield* ViewerRepository
    switch (browsing._tag) {
      case "Timeline": {
        const found = yield* viewer.timelineNeighbours(photo)
        return { previous: first(found.previous), next: first(found.next) } satisfies Neighbours
      }
      case "Album": {
        const found = yield* viewer.albumNeighbours(browsing.album, photo.id)
        return { previous: first(found.previous), next: first(found.next) } satisfies Neighbours
      }
      case "Tag": {
        const found = yield* viewer.taggedNeighbours(browsing.tag, photo)
        return { previous: first(found.previous), next: first(found.next) } satisfies Neighbours
      }
      case "Search": {
        const expression = matchExpression(browsing.query)
        const hits = expression === null ? [] : yield* (yield* SearchIndex).search(expression, SEARCH_LIMIT)
        const at = hits.findIndex((hit) => hit.id === photo.id)
        return {
          previous: at > 0 ? Option.some(hits[at - 1]!) : Option.none(),
          next: at >= 0 && at + 1 < hits.length ? Option.some(hits[at + 1]!) : Option.none()
        } satisfies Neighbours
      }
    }
  })

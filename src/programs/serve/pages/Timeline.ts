// `/`: every photo, newest taken first, by month, a chunk at a time (`?after=<id>` goes on from a photo).
import { Effect, Option } from "effect"
import { ViewerRepository } from "../../../services/database/ViewerRepository.js"
import { TIMELINE_START, type TakenCursor } from "../../../schema/Viewer.js"
import { html, query } from "../Html.js"
import { page } from "../Layout.js"
import { grid, listing } from "../PhotoGrid.js"

export const CHUNK = 120

/** Where a listing by date taken goes on from: after photo `after`, else from the start. */
export const takenCursorAfter = (after: string | null) =>
  Effect.gen(function*() {
    const from = after === null ? Option.none() : yield* (yield* ViewerRepository).card(after)
    return Option.match(from, { onNone: () => TIMELINE_START, onSome: (p): TakenCursor => ({ taken: p.date_taken ?? "", id: p.id }) })
  })

export const timelinePage = (after: string | null) =>
  Effect.gen(function*() {
    const viewer = yield* ViewerRepository
    const cursor = yield* takenCursorAfter(after)
    const photos = yield* viewer.timeline(cursor, CHUNK)
    const last = photos.at(-1)
    const next = photos.length === CHUNK && last !== undefined ? `/${query({ after: last.id })}` : null
    return page(
      { title: "Photos", section: "photos" },
      photos.length === 0 && after === null
        ? html`<h1>No photos yet</h1><p>This archive holds no photos: <code>fbk backup</code> or <code>fbk import-export</code> brings them in.</p>`
        : listing(grid(photos, { context: null, byMonth: true }), next)
    )
  })

// Lists the whole photostream into the database in upload-date windows: each window is one
// query (max_upload_date = where the previous window ended) read at most PAGES_PER_WINDOW pages
// deep, so no query goes deep and a resumed run starts exactly where the last stored page ended.
// A window whose total drops while it is read (photos deleted under it) is read again.
import { Chunk, Effect, Option, Ref, Schema, Stream } from "effect"
import type { ListedPage } from "../schema/Photo.js"
import { ListingCursor } from "../schema/SyncRun.js"
import { FlickrApi } from "../services/FlickrApi.js"
import { Reporter } from "../services/Reporter.js"
import type { ActiveRun } from "./SyncRun.js"

/** 8 pages of 500 = 4,000 results: the depth photos.search is documented to stop at. */
export const PAGES_PER_WINDOW = 8
/** Pages of one window requested at once. */
export const FETCH_CONCURRENCY = 4
/** Pages fetched ahead of the database writer. */
const PAGES_AHEAD = 4
const WINDOW_RETRIES = 2

interface Window {
  readonly pages: ReadonlyArray<ListedPage>
  readonly next: Option.Option<number>
}

const encodeCursor = Schema.encodeSync(ListingCursor)
export const decodeCursor = (text: string | null): number | null => {
  if (text === null) return null
  const decoded = Schema.decodeUnknownOption(ListingCursor)(text)
  return Option.match(decoded, { onNone: () => null, onSome: (c) => c.maxUploadDate })
}

const lastUploadDate = (page: ListedPage): number | null => {
  for (let i = page.photos.length - 1; i >= 0; i--) {
    const date = page.photos[i]!.date_uploaded
    if (date !== null) return date
  }
  return null
}

/**
 * Lists every photo uploaded at or before `resumeFrom` (null: the whole stream) into `run`.
 * Returns the number of pages requested.
 */
export const listPhotostream = (run: ActiveRun, options: { readonly perPage: number; readonly resumeFrom: number | null }) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const reporter = yield* Reporter
    const expected = yield* Ref.make<number | undefined>(undefined)
    const stored = yield* Ref.make(0)

    const fetchWindow = (maxUploadDate: number | null, attempt = 0): Effect.Effect<Window, unknown> =>
      Effect.gen(function*() {
        const query = { perPage: options.perPage, maxUploadDate: maxUploadDate ?? undefined }
        const first = yield* api.listPhotos({ ...query, page: 1 })
        yield* Ref.update(expected, (e) => e ?? first.total)
        const lastPage = Math.min(first.pages, PAGES_PER_WINDOW)
        const rest = yield* Effect.forEach(
          Array.from({ length: Math.max(0, lastPage - 1) }, (_, i) => i + 2),
          (page) => api.listPhotos({ ...query, page }),
          { concurrency: FETCH_CONCURRENCY }
        )
        const pages = [first, ...rest]
        if (pages.some((p) => p.total < first.total) && attempt < WINDOW_RETRIES) {
          yield* reporter.note("Photos were deleted while this part was listed; listing it again so none is skipped")
          return yield* fetchWindow(maxUploadDate, attempt + 1)
        }
        if (lastPage >= first.pages) return { pages, next: Option.none() }
        const boundary = lastUploadDate(pages[pages.length - 1]!)
        if (boundary === null) return { pages, next: Option.none() }
        // Max is inclusive, so the next window repeats the boundary second: nothing falls between.
        // Only if a whole window shares one upload second must it step past it.
        const next = maxUploadDate !== null && boundary >= maxUploadDate ? maxUploadDate - 1 : boundary
        return { pages, next: Option.some(next) }
      })

    const pages = Stream.paginateChunkEffect(options.resumeFrom, (max) =>
      fetchWindow(max).pipe(Effect.map((w) => [Chunk.fromIterable(w.pages), w.next] as const))
    ).pipe(Stream.buffer({ capacity: PAGES_AHEAD }))

    return yield* pages.pipe(
      Stream.runFoldEffect(0, (count, page) =>
        Effect.gen(function*() {
          const boundary = lastUploadDate(page)
          yield* run.storePage(page.photos, boundary === null ? null : encodeCursor({ maxUploadDate: boundary }))
          const done = yield* Ref.updateAndGet(stored, (n) => n + page.photos.length)
          yield* reporter.progress({ label: "Listing photostream", done, total: yield* Ref.get(expected), unit: "photos" })
          return count + 1
        })
      )
    )
  })

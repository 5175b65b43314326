// Lists the whole photostream into the database in upload-date windows, each one query read at most
// PAGES_PER_WINDOW pages deep, so a resumed run starts exactly where the last stored page ended.
import { Effect, Option, Ref, Schema, Stream } from "effect"
import type { ListedPage } from "../../schema/Photo.js"
import { ListingCursor } from "../../schema/SyncRun.js"
import { FlickrApi } from "../../services/flickr/FlickrApi.js"
import type { FlickrError } from "../../services/flickr/FlickrHttp.js"
import { Reporter, type ReporterShape } from "../../services/terminal/Reporter.js"
import { FETCH_CONCURRENCY } from "./Paging.js"
import type { ActiveRun } from "./SyncRun.js"

/** 8 pages of 500 = 4,000 results: the depth photos.search is documented to stop at. */
export const PAGES_PER_WINDOW = 8
/** Pages fetched ahead of the database writer. */
const PAGES_AHEAD = 2
const WINDOW_RETRIES = 2

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

interface WindowListing {
  readonly api: FlickrApi
  readonly reporter: ReporterShape
  readonly perPage: number
  /** Flickr's count at the first page of the listing: the progress bar's total. */
  readonly expected: Ref.Ref<number | undefined>
}

/**
 * One window's pages as they arrive (page 1, then the rest a few at a time, in order),
 * followed by the next window, or by this one again if its total dropped while it was read.
 */
const windowPages = (listing: WindowListing, maxUploadDate: number | null, attempt: number): Stream.Stream<ListedPage, FlickrError> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const { api, reporter } = listing
      const query = { perPage: listing.perPage, maxUploadDate: maxUploadDate ?? undefined }
      let opening: ListedPage | undefined = yield* api.listPhotos({ ...query, page: 1 })
      // Only numbers outlive a page here: the windows' streams nest until the listing ends,
      // so a page kept in these closures would stay in memory for the whole run.
      const { pages: queryPages, total } = opening
      yield* Ref.update(listing.expected, (e) => e ?? total)
      const lastPage = Math.min(queryPages, PAGES_PER_WINDOW)
      let lowestTotal = total
      let highestTotal = total
      let boundary: number | null = null
      // Page 1 goes on even when empty, so an empty listing still stores its (empty) page.
      const pages = Stream.range(1, Math.max(1, lastPage)).pipe(
        Stream.mapEffect((page) => {
          if (page > 1 || opening === undefined) return api.listPhotos({ ...query, page })
          const first = opening
          opening = undefined
          return Effect.succeed(first)
        }, { concurrency: FETCH_CONCURRENCY }),
        Stream.tap((page) =>
          Effect.sync(() => {
            lowestTotal = Math.min(lowestTotal, page.total)
            highestTotal = Math.max(highestTotal, page.total)
            boundary = lastUploadDate(page)
          })
        )
      )
      const after = Stream.suspend((): Stream.Stream<ListedPage, FlickrError> => {
        if (lowestTotal < total && attempt < WINDOW_RETRIES) {
          return Stream.concat(
            Stream.fromEffect(reporter.note("Photos were deleted while this part was listed; listing it again so none is skipped"))
              .pipe(Stream.drain),
            windowPages(listing, maxUploadDate, attempt + 1)
          )
        }
        // Uploads while the last window was read pushed its oldest photos past its last page:
        // one more window from where it ended brings them.
        if ((lastPage >= queryPages && highestTotal === total) || boundary === null) return Stream.empty
        // Max is inclusive, so the next window repeats the boundary second: nothing falls
        // between. Only if a whole window shares one upload second must it step past it.
        return windowPages(listing, maxUploadDate !== null && boundary >= maxUploadDate ? maxUploadDate - 1 : boundary, 0)
      })
      return Stream.concat(pages, after)
    })
  )

/**
 * Lists every photo uploaded at or before `resumeFrom` (null: the whole stream) into `run`.
 * Returns the number of pages stored (at least one: an empty listing stores its empty page).
 */
export const listPhotostream = (run: ActiveRun, options: { readonly perPage: number; readonly resumeFrom: number | null }) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const listing: WindowListing = { api: yield* FlickrApi, reporter, perPage: options.perPage, expected: yield* Ref.make<number | undefined>(undefined) }
    const stored = yield* Ref.make(0)
    return yield* windowPages(listing, options.resumeFrom, 0).pipe(
      Stream.buffer({ capacity: PAGES_AHEAD }),
      Stream.runFoldEffect(0, (count, page) =>
        Effect.gen(function*() {
          const boundary = lastUploadDate(page)
          yield* run.storePage(page.photos, boundary === null ? null : encodeCursor({ maxUploadDate: boundary }))
          const done = yield* Ref.updateAndGet(stored, (n) => n + page.photos.length)
          yield* reporter.progress({ label: "Listing photostream", done, total: yield* Ref.get(listing.expected), unit: "photos" })
          return count + 1
        })
      )
    )
  })

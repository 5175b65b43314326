// What a download would fetch, read from the database alone: each file by kind and why, its
// bytes when they are known, and the API calls it takes; nothing is fetched or written.
import { Effect, Stream } from "effect"
import { FileRepository, type MediaFilter, type StoredFile, type WantedPhoto } from "../../services/database/FileRepository.js"
import { keysetPages } from "../../services/database/KeysetPages.js"
import { originalPath, posterPath } from "../../services/files/FileStore.js"

const PAGE = 500
/** Files named in a plan's sample (the rest are counted). */
export const SAMPLE_SIZE = 20

export const FETCH_KINDS = ["photo_originals", "videos", "not_original", "posters"] as const
export type FetchKind = typeof FETCH_KINDS[number]
export const FETCH_REASONS = ["new", "changed", "retry", "missing", "altered"] as const
export type FetchReason = typeof FETCH_REASONS[number]

/** One file a run would fetch: `path` when it is known before Flickr is asked (a video's extension is not). */
export interface PlannedFetch {
  readonly photo_id: string
  readonly kind: FetchKind
  readonly reason: FetchReason
  readonly path: string | null
  readonly bytes: number | null
  /** It takes a getSizes call: a video, or a photo without url_o. */
  readonly sizes_call: boolean
}

export interface KindCount {
  readonly files: number
  readonly bytes: number
  readonly size_unknown: number
}

/** The whole plan's counts, and the first files of it. */
export interface FetchPlan extends KindCount {
  readonly kinds: Readonly<Record<FetchKind, KindCount>>
  readonly reasons: Readonly<Record<FetchReason, number>>
  readonly get_sizes_calls: number
  readonly sample: ReadonlyArray<PlannedFetch>
}

/** The extension of a file URL's last path segment, if it has one. */
export const extensionOf = (url: string): string | null => {
  const match = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)
  return match === null ? null : match[1]!.toLowerCase()
}

/** A photo original's extension, as download names its file. */
export const originalExtension = (photo: { readonly original_format: string | null; readonly url_o: string }): string =>
  photo.original_format ?? extensionOf(photo.url_o) ?? "jpg"

const NO_COUNT: KindCount = { files: 0, bytes: 0, size_unknown: 0 }

const counting = (count: KindCount, fetch: PlannedFetch): KindCount => ({
  files: count.files + 1,
  bytes: count.bytes + (fetch.bytes ?? 0),
  size_unknown: count.size_unknown + (fetch.bytes === null ? 1 : 0)
})

export const EMPTY_PLAN: FetchPlan = {
  ...NO_COUNT,
  kinds: { photo_originals: NO_COUNT, videos: NO_COUNT, not_original: NO_COUNT, posters: NO_COUNT },
  reasons: { new: 0, changed: 0, retry: 0, missing: 0, altered: 0 },
  get_sizes_calls: 0,
  sample: []
}

export const withFetch = (plan: FetchPlan, fetch: PlannedFetch): FetchPlan => ({
  ...counting(plan, fetch),
  kinds: { ...plan.kinds, [fetch.kind]: counting(plan.kinds[fetch.kind], fetch) },
  reasons: { ...plan.reasons, [fetch.reason]: plan.reasons[fetch.reason] + 1 },
  get_sizes_calls: plan.get_sizes_calls + (fetch.sizes_call ? 1 : 0),
  sample: plan.sample.length < SAMPLE_SIZE ? [...plan.sample, fetch] : plan.sample
})

/** Why a wanted photo is fetched: a problem asked for again, its original changed on Flickr, or it has no file yet. */
const reasonOf = (photo: WantedPhoto): FetchReason =>
  photo.problem === 1 ? "retry" : photo.current_id !== null ? "changed" : "new"

/** A wanted photo's file as `download` goes about it: its url_o (no call), else what getSizes offers, whose extension is known only then. */
export const plannedFetch = (photo: WantedPhoto): PlannedFetch => {
  const base = { photo_id: photo.id, reason: reasonOf(photo), bytes: null }
  if (photo.media === "video") return { ...base, kind: "videos", path: null, sizes_call: true }
  if (photo.url_o === null) return { ...base, kind: "not_original", path: null, sizes_call: true }
  return { ...base, kind: "photo_originals", path: originalPath(photo, originalExtension({ ...photo, url_o: photo.url_o })), sizes_call: false }
}

const plannedPoster = (photo: WantedPhoto): PlannedFetch => ({
  photo_id: photo.id,
  kind: "posters",
  reason: photo.current_id !== null ? "changed" : "new",
  path: posterPath(photo),
  bytes: null,
  sizes_call: false
})

/** A recorded file that verify --repair forgets and the download fetches again: its bytes as recorded. */
export const refetch = (file: StoredFile, reason: "missing" | "altered"): PlannedFetch => {
  const kind: FetchKind = file.role === "poster"
    ? "posters"
    : file.role === "video original" ? "videos" : file.role === "largest available" ? "not_original" : "photo_originals"
  return { photo_id: file.photo_id, kind, reason, path: file.path, bytes: file.bytes, sizes_call: kind === "videos" || kind === "not_original" }
}

/**
 * Every file `download` would fetch, page by page as it reads them (`withProblems`: the
 * problems --retry-problems asks for again), after `first` (what a repair forgets).
 */
export const planFetches = (
  options: { readonly only: MediaFilter; readonly withProblems: boolean },
  first: ReadonlyArray<PlannedFetch> = []
) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const start = first.reduce(withFetch, EMPTY_PLAN)
    const photos = keysetPages((after: string | null) => files.wanted(options.only, after, PAGE, options.withProblems), (p) => p.id).pipe(
      Stream.map(plannedFetch)
    )
    const posters = keysetPages((after: string | null) => files.wantedPosters(after, PAGE), (p) => p.id).pipe(Stream.map(plannedPoster))
    return yield* Stream.runFold(options.only === "photos" ? photos : Stream.concat(photos, posters), start, withFetch)
  }).pipe(Effect.withSpan("FetchPlan.planFetches"))

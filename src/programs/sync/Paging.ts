// Every page of a paged Flickr answer as a stream: page 1 first (it says how many), then the rest a
// few at a time, in order, stopping at `pages`: past the last page Flickr repeats earlier results.
import { Effect, Stream } from "effect"

/** Pages requested at once after the first. */
export const FETCH_CONCURRENCY = 4

/**
 * How deep one query can be paged: photos.search documents the first 4,000 results, and
 * nothing promises more of any other listing, so fbk never relies on reading deeper.
 */
export const DEEPEST_RESULTS = 4_000

/** `first` (page 1, already fetched), then pages 2..first.pages. */
export const restOfPages = <P extends { readonly pages: number }, E, R>(
  first: P,
  fetch: (page: number) => Effect.Effect<P, E, R>,
  options: { readonly concurrency?: number } = {}
): Stream.Stream<P, E, R> =>
  Stream.concat(
    Stream.succeed(first),
    first.pages < 2
      ? Stream.empty
      : Stream.range(2, first.pages).pipe(Stream.mapEffect(fetch, { concurrency: options.concurrency ?? FETCH_CONCURRENCY }))
  )

export const allPages = <P extends { readonly pages: number }, E, R>(
  fetch: (page: number) => Effect.Effect<P, E, R>,
  options: { readonly concurrency?: number } = {}
): Stream.Stream<P, E, R> => Stream.unwrap(Effect.map(fetch(1), (first) => restOfPages(first, fetch, options)))

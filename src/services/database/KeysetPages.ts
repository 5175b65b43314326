// Every row of a query read in keyset pages (`WHERE key > after ORDER BY key LIMIT n`, never
// OFFSET) as one Stream, so a consumer's concurrency runs across page boundaries.
import { Chunk, Effect, Option, Stream } from "effect"

/**
 * `page(after)` returns the rows after the key `after` (the start when `null`), in key order;
 * the stream ends at the first empty page. A page's rows are one chunk.
 */
export const keysetPages = <A, K, E, R>(
  page: (after: K | null) => Effect.Effect<ReadonlyArray<A>, E, R>,
  keyOf: (row: A) => K
): Stream.Stream<A, E, R> =>
  Stream.paginateChunkEffect(Option.none<K>(), (after) =>
    Effect.map(page(Option.getOrNull(after)), (rows) => {
      const last = rows[rows.length - 1]
      return [
        Chunk.unsafeFromArray(rows),
        last === undefined ? Option.none<Option.Option<K>>() : Option.some(Option.some(keyOf(last)))
      ] as const
    }))

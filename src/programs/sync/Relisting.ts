// "List again until the counts agree", for listings that decide what was deleted: one that shifted
// while it was read may have missed something, so only one whose count matches Flickr's may mark deletions.
import { Effect } from "effect"

/** Listings of one run after the first, when what was listed changed while it was read. */
export const EXTRA_LISTINGS = 2

/** What a listing's counts say: exact, worth listing again, or beyond what listing again can fix. */
export type Tally<A> =
  | { readonly _tag: "Agreed"; readonly counts: A }
  | { readonly _tag: "Again"; readonly counts: A }
  | { readonly _tag: "Stop"; readonly counts: A }

/**
 * Runs `list` (listing 0, then fresh listings 1, 2, ...) and `tally` after each, until the
 * counts agree, `tally` says stop, or EXTRA_LISTINGS more listings did not help.
 */
export const listUntilCountsAgree = <A, E, R>(
  list: (listing: number, previous: A | undefined) => Effect.Effect<unknown, E, R>,
  tally: Effect.Effect<Tally<A>, E, R>
): Effect.Effect<{ readonly complete: boolean; readonly counts: A }, E, R> =>
  Effect.gen(function*() {
    let previous: A | undefined
    for (let listing = 0;; listing++) {
      yield* list(listing, previous)
      const result = yield* tally
      if (result._tag === "Agreed") return { complete: true, counts: result.counts }
      if (result._tag === "Stop" || listing >= EXTRA_LISTINGS) return { complete: false, counts: result.counts }
      previous = result.counts
    }
  })

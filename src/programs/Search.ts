// `fbk search QUERY`: the live photos whose title, description, tags, notes, comments or people
// match, best match first, from the full-text index the repositories keep in step. No network.
import { Effect, Option } from "effect"
import { UsageError } from "../schema/Errors.js"
import { matchExpression, SEARCH_COLUMNS, type SearchHit, SearchIndex, searchableText } from "../services/database/SearchIndex.js"
import { counted, Reporter } from "../services/terminal/Reporter.js"

/** The photo's page on Flickr, under the account's path (see SearchIndex.accountPath), else its owner's. */
export const photoUrl = (accountPath: Option.Option<string>, hit: Pick<SearchHit, "id" | "owner" | "path_alias">): string | null => {
  const owner = Option.getOrElse(accountPath, () => hit.path_alias ?? hit.owner)
  return owner === null ? null : `https://www.flickr.com/photos/${owner}/${hit.id}/`
}

/** Why a query finds nothing to search for, and how to search (the viewer's search page says the same). */
export const noWordsReason = (query: string): string =>
  `the query ${JSON.stringify(query)} has no words to search for ` +
  `(try words, "a phrase", word*, OR, or ${SEARCH_COLUMNS.join(":, ")}:)`

export const search = (options: { readonly query: string; readonly limit: number; readonly json: boolean }) =>
  Effect.gen(function*() {
    const index = yield* SearchIndex
    const reporter = yield* Reporter
    const expression = matchExpression(options.query)
    if (expression === null) {
      return yield* new UsageError({ reason: noWordsReason(options.query) })
    }
    const hits = yield* index.search(expression, options.limit)
    const accountPath = yield* index.accountPath
    const found = hits.map((hit) => ({
      id: hit.id,
      date_taken: hit.date_taken,
      title: hit.title,
      albums: hit.albums.filter((a): a is string => a !== null),
      url: photoUrl(accountPath, hit)
    }))
    if (options.json) {
      yield* reporter.output(JSON.stringify(found, null, 2))
      return found
    }
    const lines = found.map((photo) => {
      // Flickr stores titles with their entities (`&amp;`): shown as a reader sees them.
      const title = photo.title === null || photo.title === "" ? "(untitled)" : searchableText(photo.title).trim()
      const albums = photo.albums.length === 0 ? "" : `  [${photo.albums.map((a) => searchableText(a).trim()).join(", ")}]`
      return `${photo.id}  ${photo.date_taken ?? "(no date)"}  ${title}${albums}  ${photo.url ?? ""}`.trimEnd()
    })
    if (lines.length > 0) yield* reporter.output(lines.join("\n"))
    // The count goes to stderr with the other notes, so stdout is one photo a line.
    yield* reporter.note(
      hits.length === options.limit
        ? `${counted(hits.length, "photo")} shown: the best matches (--limit shows more)`
        : hits.length === 1 ? "1 photo matches" : `${counted(hits.length, "photo")} match`
    )
    return found
  })

// `/search?q=...`: the same search as `fbk search`, best match first, with how many photos match;
// a query with nothing to search for says how to search.
import { Effect } from "effect"
import { matchExpression, SearchIndex } from "../../../services/database/SearchIndex.js"
import { counted } from "../../../services/terminal/Reporter.js"
import { noWordsReason } from "../../Search.js"
import { ViewerRepository } from "../../../services/database/ViewerRepository.js"
import { SEARCH_LIMIT } from "../Browsing.js"
import { html } from "../Html.js"
import { page } from "../Layout.js"
import { grid } from "../PhotoGrid.js"

export const searchPage = (q: string | null) =>
  Effect.gen(function*() {
    const text = q ?? ""
    const options = { title: text.trim() === "" ? "Search" : `Search: ${text}`, section: "search", query: text } as const
    const expression = matchExpression(text)
    if (expression === null) {
      const reason = noWordsReason(text)
      return page(options, html`<h1>Search</h1><p>${reason.charAt(0).toUpperCase()}${reason.slice(1)}.</p>`)
    }
    const index = yield* SearchIndex
    const total = yield* index.count(expression)
    const hits = yield* (yield* ViewerRepository).cards((yield* index.search(expression, SEARCH_LIMIT)).map((hit) => hit.id))
    const summary = total === 1 ? "1 photo matches" : `${counted(total, "photo")} match`
    return page(
      options,
      html`<h1>Search: ${text}</h1><p class="muted">${summary}${
        total > hits.length ? html`; the best ${hits.length} are shown` : ""
      }.</p>${hits.length === 0 ? "" : grid(hits, { context: `search:${text}`, byMonth: false })}`
    )
  })

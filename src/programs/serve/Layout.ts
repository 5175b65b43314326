// The frame of every page: its head, the navigation and the search box, then the page itself.
import { html, type Html, type HtmlValue } from "./Html.js"

export interface PageOptions {
  readonly title: string
  /** Which navigation entry is this page's. */
  readonly section?: "photos" | "albums" | "collections" | "tags" | "map" | "status" | "search"
  readonly query?: string
  /** Extra stylesheets and module scripts (the map's). */
  readonly styles?: ReadonlyArray<string>
  readonly scripts?: ReadonlyArray<string>
}

const SECTIONS = [
  ["photos", "/", "Photos"],
  ["albums", "/albums", "Albums"],
  ["collections", "/collections", "Collections"],
  ["tags", "/tags", "Tags"],
  ["map", "/map", "Map"],
  ["status", "/status", "Status"]
] as const

export const page = (options: PageOptions, body: HtmlValue): Html =>
  html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · fbk</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/viewer.css">
${(options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
<script type="module" src="/assets/viewer.js"></script>
${(options.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
</head>
<body>
<header class="bar">
<a class="brand" href="/">fbk</a>
<nav aria-label="Archive">
${SECTIONS.map(([key, href, label]) =>
    html`<a href="${href}"${key === options.section ? html` aria-current="page"` : ""}>${label}</a>`
  )}
</nav>
<form class="search" action="/search" method="get" role="search">
<input type="search" name="q" value="${options.query ?? ""}" placeholder="Search titles, tags, comments…" aria-label="Search">
</form>
</header>
<main>
${body}
</main>
</body>
</html>`

/** A page that says what is not here. */
export const notFound = (what: string): Html =>
  page({ title: "Not found" }, html`<h1>Not found</h1><p>${what}</p><p><a href="/">Back to the timeline</a></p>`)

// The viewer's addresses and what answers each; every file is found by id from what the database
// records, never from a path in the URL.
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Option } from "effect"
import * as path from "node:path"
import { ViewerRepository } from "../../services/database/ViewerRepository.js"
import { isThumbSize, Thumbnails } from "../../services/files/Thumbnails.js"
import { ASSETS, installedPath } from "./Assets.js"
import { parseBrowsing } from "./Browsing.js"
import type { Html } from "./Html.js"
import { notFound } from "./Layout.js"
import { flickrSizedUrl, isPlaceholderReason, missingReason, placeholderHref, placeholderSvg } from "./Pictures.js"
import { albumPage, albumsPage } from "./pages/Albums.js"
import { collectionsPage } from "./pages/Collections.js"
import { mapPage, mapPoints } from "./pages/Map.js"
import { photoPage } from "./pages/PhotoPage.js"
import { searchPage } from "./pages/Search.js"
import { statusPage } from "./pages/Status.js"
import { tagPage, tagsPage } from "./pages/Tags.js"
import { timelinePage } from "./pages/Timeline.js"
import { fileResponse, htmlResponse, textResponse } from "./Responses.js"

/** The request's query parameters. */
const searchParams = Effect.map(HttpServerRequest.HttpServerRequest, (request) => new URL(request.url, "http://viewer").searchParams)

const param = (name: string) => Effect.map(searchParams, (params) => params.get(name))

const pathParam = (name: string) => Effect.map(HttpRouter.params, (params) => params[name] ?? "")

const rangeHeader = Effect.map(HttpServerRequest.HttpServerRequest, (request) => request.headers["range"])

/** Flickr's photo ids are digits; anything else in their place (a path, `..`) names no photo. */
const photoId = Effect.map(pathParam("id"), (id) => (/^\d{1,20}$/.test(id) ? Option.some(id) : Option.none()))

const answered = (result: { readonly status: number; readonly body: Html }) => htmlResponse(result.body, result.status)

/**
 * A photo's thumbnail or screen-sized picture: made from its file in the store (a video's from its
 * poster); else Flickr's own copy (the page marks it online only); else a placeholder saying why.
 */
const thumbnail = Effect.gen(function*() {
  const id = yield* photoId
  const size = yield* pathParam("size")
  if (Option.isNone(id) || !isThumbSize(size)) return textResponse("no such thumbnail", 404)
  const viewer = yield* ViewerRepository
  const card = yield* viewer.card(id.value)
  if (Option.isNone(card)) return textResponse("the archive holds no such photo", 404)
  const file = yield* (card.value.media === "video" ? viewer.posterFile(id.value) : viewer.currentFile(id.value))
  const made = Option.isNone(file) ? Option.none() : yield* (yield* Thumbnails).thumbnail(
    { path: path.join(file.value.destination, file.value.path), sha256: file.value.sha256 },
    size
  ).pipe(Effect.option)
  if (Option.isSome(made)) return yield* fileResponse(made.value, undefined, { maxAgeSeconds: 300 })
  const remote = flickrSizedUrl(card.value, size)
  const fallback = Option.isSome(file) ? "unreadable" : missingReason(card.value)
  return yield* HttpServerResponse.redirect(Option.getOrElse(remote, () => placeholderHref(fallback)), {
    status: 302,
    headers: { "cache-control": "no-store" }
  })
})

/** The placeholder pictures, by the reason they say; fixed words only. */
const placeholder = Effect.gen(function*() {
  const reason = (yield* pathParam("name")).replace(/\.svg$/, "")
  if (!isPlaceholderReason(reason)) return textResponse("no such file", 404)
  return HttpServerResponse.text(placeholderSvg(reason), { contentType: "image/svg+xml", headers: { "cache-control": "private, max-age=3600" } })
})

/** A photo's file in the store (a video itself, not its poster), with Range for videos. */
const original = Effect.gen(function*() {
  const id = yield* photoId
  if (Option.isNone(id)) return textResponse("no such photo", 404)
  const file = yield* (yield* ViewerRepository).currentFile(id.value)
  if (Option.isNone(file)) return textResponse("the archive has no file for this photo", 404)
  return yield* fileResponse(path.join(file.value.destination, file.value.path), yield* rangeHeader, { maxAgeSeconds: 300 })
})

/**
 * /assets/<name>: only the names of the assets table (a package's are `<package>/<file>`), matched
 * against the path as sent, so an encoded slash names nothing.
 */
const asset = Effect.gen(function*() {
  const name = new URL((yield* HttpServerRequest.HttpServerRequest).url, "http://viewer").pathname.slice("/assets/".length)
  const found = ASSETS.get(name)
  if (found === undefined) return textResponse("no such file", 404)
  const headers = { "cache-control": "private, max-age=3600" }
  switch (found._tag) {
    case "Text":
      return HttpServerResponse.text(found.text, { contentType: found.contentType, headers })
    case "Made":
      return HttpServerResponse.text(found.make(), { contentType: found.contentType, headers: { "cache-control": "private, max-age=31536000" } })
    case "Installed":
      return yield* HttpServerResponse.file(installedPath(found.specifier), { contentType: found.contentType, headers })
  }
})

/** An address answered for GET and for HEAD (Node leaves out the body of a HEAD's answer). */
const readable = <E, R>(route: `/${string}`, handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  <E0, R0>(router: HttpRouter.HttpRouter<E0, R0>) => router.pipe(HttpRouter.get(route, handler), HttpRouter.head(route, handler))

export const routes = HttpRouter.empty.pipe(
  readable("/", Effect.flatMap(param("after"), timelinePage).pipe(Effect.map((body) => htmlResponse(body)))),
  readable(
    "/photos/:id",
    Effect.gen(function*() {
      return answered(yield* photoPage(yield* pathParam("id"), parseBrowsing(yield* param("in"))))
    })
  ),
  readable("/albums", Effect.map(albumsPage, (body) => htmlResponse(body))),
  readable(
    "/albums/:id",
    Effect.gen(function*() {
      return answered(yield* albumPage(yield* pathParam("id"), yield* param("after")))
    })
  ),
  readable("/collections", Effect.map(collectionsPage, (body) => htmlResponse(body))),
  readable("/tags", Effect.map(tagsPage, (body) => htmlResponse(body))),
  readable(
    "/tags/:tag",
    Effect.gen(function*() {
      return answered(yield* tagPage(yield* pathParam("tag"), yield* param("after")))
    })
  ),
  readable("/search", Effect.flatMap(param("q"), searchPage).pipe(Effect.map((body) => htmlResponse(body)))),
  readable("/map", Effect.flatMap(param("photo"), mapPage).pipe(Effect.map((body) => htmlResponse(body)))),
  readable(
    "/map/points.json",
    Effect.map(mapPoints, (json) =>
      HttpServerResponse.text(json, { contentType: "application/json", headers: { "cache-control": "private, no-cache" } }))
  ),
  readable("/status", Effect.map(statusPage, (body) => htmlResponse(body))),
  readable("/thumbs/:id/:size", thumbnail),
  readable("/originals/:id", original),
  readable("/assets/*", asset),
  readable("/placeholder/:name", placeholder)
)

/** Any other address: the page that says so. */
export const viewerApp = routes.pipe(
  Effect.catchTag("RouteNotFound", () => Effect.succeed(htmlResponse(notFound("There is no page at this address."), 404)))
)

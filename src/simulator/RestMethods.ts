// The REST methods the simulator answers, once the call is authenticated: each takes the call's
// parameters and returns the response object (`stat` included) before encoding.

import type { PhotoRecord } from "./Account.js"
import { ALBUM_METHODS } from "./AlbumMethods.js"
import { Prepared } from "./FlickrJson.js"
import { parseExtras, renderMarkedItem, type Extras } from "./PhotoItem.js"
import { hash32 } from "./Random.js"
import { DETAIL_METHODS } from "./DetailsMethods.js"
import { SIZE_METHODS } from "./SizesMethods.js"
import { fail, isOwner, itemContext, pagingField, parseFlickrDate, positiveInt, type FlickrValue, type RestContext } from "./RestContext.js"

export { fail, parseFlickrDate, type FlickrValue, type RestContext } from "./RestContext.js"

const MAX_PER_PAGE = 500
const DEFAULT_PER_PAGE = 100

const listPhotos = (
  method: string,
  context: RestContext,
  list: ReadonlyArray<PhotoRecord>,
  start: number,
  end: number,
  extras: Extras
): FlickrValue => {
  const perPage = Math.min(MAX_PER_PAGE, positiveInt(context.params.get("per_page"), DEFAULT_PER_PAGE))
  const page = positiveInt(context.params.get("page"), 1)
  const total = end - start
  const pages = Math.ceil(total / perPage)
  let served = page
  // Deep pages of one query are refused by serving the deepest allowed page again.
  const cap = context.maxResultsPerQuery
  if (cap !== undefined && served * perPage > cap) served = Math.max(1, Math.floor(cap / perPage))
  // Past the last page Flickr repeats the last page rather than answering empty.
  if (served > pages) served = pages
  const photo: Array<Record<string, unknown>> = []
  const item = itemContext(context)
  if (total > 0) {
    const from = start + (served - 1) * perPage
    const to = Math.min(end, from + perPage)
    for (let i = from; i < to; i++) photo.push(renderMarkedItem(list[i] as PhotoRecord, extras, item))
  }
  const bits = hash32(`${method}:${page}:${perPage}:${total}`)
  return {
    photos: {
      page: pagingField(bits, 0, page),
      pages: pagingField(bits, 1, pages),
      perpage: pagingField(bits, 2, perPage),
      total: pagingField(bits, 3, total),
      photo: new Prepared(photo)
    },
    stat: "ok"
  }
}

const getPhotos = (context: RestContext): FlickrValue => {
  if (!isOwner(context, context.params.get("user_id"))) return fail(1, "User not found")
  const [start, end] = context.account.uploadRange(
    parseFlickrDate(context.params.get("min_upload_date")),
    parseFlickrDate(context.params.get("max_upload_date"))
  )
  return listPhotos("flickr.people.getPhotos", context, context.account.byUpload(), start, end, parseExtras(context.params.get("extras")))
}

const recentlyUpdated = (context: RestContext): FlickrValue => {
  const minDate = parseFlickrDate(context.params.get("min_date"))
  if (minDate === undefined) return fail(1, "Required parameter missing")
  const end = context.account.updatedSince(minDate)
  // This method always tells when each photo last changed, extras or not.
  const extras = { ...parseExtras(context.params.get("extras")), lastUpdate: true }
  return listPhotos("flickr.photos.recentlyUpdated", context, context.account.byUpdate(), 0, end, extras)
}

const testLogin = (context: RestContext): FlickrValue => ({
  user: { id: context.account.owner.nsid, username: { _content: context.account.owner.username } },
  stat: "ok"
})

const checkToken = (context: RestContext): FlickrValue => ({
  oauth: {
    token: { _content: context.token.token },
    perms: { _content: context.token.perms },
    user: {
      nsid: context.account.owner.nsid,
      username: context.account.owner.username,
      fullname: context.account.owner.fullname
    }
  },
  stat: "ok"
})

const testEcho = (context: RestContext): FlickrValue => {
  const echoed: FlickrValue = {}
  for (const [name, value] of context.params) echoed[name] = { _content: value }
  return { ...echoed, stat: "ok" }
}

const METHODS: ReadonlyMap<string, (context: RestContext) => FlickrValue> = new Map([
  ["flickr.test.login", testLogin],
  ["flickr.test.echo", testEcho],
  ["flickr.test.null", () => ({ stat: "ok" })],
  ["flickr.auth.oauth.checkToken", checkToken],
  ["flickr.people.getPhotos", getPhotos],
  ["flickr.photos.recentlyUpdated", recentlyUpdated],
  ...ALBUM_METHODS,
  ...DETAIL_METHODS,
  ...SIZE_METHODS
])

export const isKnownMethod = (method: string): boolean => METHODS.has(method)

export const callMethod = (method: string, context: RestContext): FlickrValue => {
  const handler = METHODS.get(method)
  return handler === undefined ? fail(112, `Method "${method}" not found`) : handler(context)
}

// A stored photo as a list item of people.getPhotos / photos.recentlyUpdated: only the fields the
// caller's `extras` asked for, in Flickr's order, with Flickr's unruly mix of strings and numbers.

import { contentOf, FAMILY, FRIEND, PUBLIC, type Owner, type PhotoContent, type PhotoRecord } from "./Account.js"
import { encodeFlickrJsonText, MARKED_SLASH, markText, Prepared } from "./FlickrJson.js"
import { hash32 } from "./Random.js"
import { hasSize, sizeDimensions, sizeNamed, sizeSecret, staticImageUrl, type Hosting, type PhotoSize } from "./Sizes.js"

/** url_* sizes in the order Flickr lists them. */
const SIZES: ReadonlyArray<PhotoSize> = ["sq", "t", "s", "q", "m", "n", "w", "z", "c", "l", "h", "k"].map(sizeNamed)

export interface Extras {
  readonly description: boolean
  readonly license: boolean
  readonly dateUpload: boolean
  readonly dateTaken: boolean
  readonly ownerName: boolean
  readonly iconServer: boolean
  readonly originalFormat: boolean
  readonly lastUpdate: boolean
  readonly geo: boolean
  readonly tags: boolean
  readonly machineTags: boolean
  readonly oDims: boolean
  readonly views: boolean
  readonly media: boolean
  readonly pathAlias: boolean
  readonly countFaves: boolean
  readonly countComments: boolean
  readonly safetyLevel: boolean
  readonly rotation: boolean
  readonly realname: boolean
  readonly sizes: ReadonlyArray<PhotoSize>
  readonly urlO: boolean
}

export const parseExtras = (text: string | undefined): Extras => {
  const wanted = new Set((text ?? "").split(",").map((s) => s.trim().toLowerCase()).filter((s) => s !== ""))
  return {
    description: wanted.has("description"),
    license: wanted.has("license"),
    dateUpload: wanted.has("date_upload"),
    dateTaken: wanted.has("date_taken"),
    ownerName: wanted.has("owner_name"),
    iconServer: wanted.has("icon_server"),
    originalFormat: wanted.has("original_format"),
    lastUpdate: wanted.has("last_update"),
    geo: wanted.has("geo"),
    tags: wanted.has("tags"),
    machineTags: wanted.has("machine_tags"),
    oDims: wanted.has("o_dims"),
    views: wanted.has("views"),
    media: wanted.has("media"),
    pathAlias: wanted.has("path_alias"),
    countFaves: wanted.has("count_faves"),
    countComments: wanted.has("count_comments"),
    safetyLevel: wanted.has("safety_level"),
    rotation: wanted.has("rotation"),
    realname: wanted.has("realname"),
    sizes: SIZES.filter((size) => wanted.has(`url_${size.name}`)),
    urlO: wanted.has("url_o")
  }
}

/** What `FlickrSimulator.photo(id)` shows: every extra FLICKR.md tells a backup to ask for. */
export const FULL_EXTRAS = parseExtras(
  "description,license,date_upload,date_taken,owner_name,original_format,last_update,geo,tags,machine_tags,o_dims,views,media,path_alias,url_o,count_faves,count_comments"
)

// Bits of PhotoRecord.drift: set means "send this field as a string".
const VIEWS = 0
const LICENSE = 1
const ACCURACY = 2
const GRANULARITY = 3
const O_DIMS = 4
const FARM = 5
const FAVES = 6
const COMMENTS = 7
const TAKEN_UNKNOWN = 8
const LAT_LON = 9
const URL_DIMS = 12 // one bit per size asked for from here
const URL_O = 22

/** Flickr sends this number as a string for photos whose drift bit is set. */
export const drifted = (content: PhotoContent, bit: number, value: number): number | string =>
  ((content.drift >>> bit) & 1) === 1 ? String(value) : value

/** One photo in eight of the account has no path alias in listings (`null`), as some eras show. */
export const hasNullPathAlias = (content: PhotoContent): boolean => ((content.drift >>> 24) & 7) === 0

export const formatTaken = (content: PhotoContent): string => {
  const iso = new Date(content.taken * 1000).toISOString()
  if (content.takenGranularity === 6) return `${iso.slice(0, 4)}-01-01 00:00:00`
  if (content.takenGranularity === 4) return `${iso.slice(0, 7)}-01 00:00:00`
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}

/** The name in the photo's page URLs: the path alias, or the nsid for a photo listed without one. */
export const pageName = (owner: Owner, content: PhotoContent): string => (hasNullPathAlias(content) ? owner.nsid : owner.pathAlias)

export const photoPage = (owner: Owner, content: PhotoContent, id: string): string => `https://www.flickr.com/photos/${pageName(owner, content)}/${id}/`

export interface OwnerIcon {
  readonly iconServer: string
  readonly iconFarm: number
}

export const ownerIcon = (owner: Owner): OwnerIcon => {
  const h = hash32(owner.nsid)
  return { iconServer: String(1000 + (h % 9000)), iconFarm: 1 + ((h >>> 16) % 9) }
}

/** What an item needs beyond its record: whose it is and where its files are served. */
export interface ItemContext {
  readonly owner: Owner
  readonly icon: OwnerIcon
  readonly hosting: Hosting
}

/**
 * The item with only the requested extras, in Flickr's field order. Its strings are marked for
 * `encodeFlickrJson` (see FlickrJson): serialize it inside a `Prepared`, never as plain JSON.
 */
export const renderMarkedItem = (record: PhotoRecord, extras: Extras, { owner, icon, hosting }: ItemContext): Record<string, unknown> => {
  const content = contentOf(record)
  const { secret, visibility } = content
  const server = String(content.server)
  const item: Record<string, unknown> = {
    id: record.id,
    owner: markText(owner.nsid),
    secret,
    server,
    farm: drifted(content, FARM, content.farm),
    title: markText(content.title),
    ispublic: visibility & PUBLIC ? 1 : 0,
    isfriend: visibility & FRIEND ? 1 : 0,
    isfamily: visibility & FAMILY ? 1 : 0
  }
  if (extras.license) item.license = drifted(content, LICENSE, content.license)
  if (extras.description) item.description = { _content: markText(content.description) }
  if (extras.oDims) {
    item.o_width = drifted(content, O_DIMS, content.width)
    item.o_height = drifted(content, O_DIMS, content.height)
  }
  if (extras.dateUpload) item.dateupload = String(record.dateUpload)
  if (extras.lastUpdate) item.lastupdate = String(record.lastUpdate)
  if (extras.dateTaken) {
    item.datetaken = formatTaken(content)
    item.datetakengranularity = drifted(content, GRANULARITY, content.takenGranularity)
    if (!record.legacy) item.datetakenunknown = drifted(content, TAKEN_UNKNOWN, content.takenUnknown ? 1 : 0)
  }
  if (extras.ownerName) item.ownername = markText(owner.username)
  if (extras.iconServer) {
    item.iconserver = icon.iconServer
    item.iconfarm = icon.iconFarm
  }
  if (extras.views) item.views = drifted(content, VIEWS, record.views)
  if (extras.tags) item.tags = markText(content.tags)
  if (extras.machineTags) item.machine_tags = markText(content.machineTags)
  // Only callers who may fetch originals are told their secret and format (FLICKR.md, Files).
  if (extras.originalFormat && hosting.originals) {
    item.originalsecret = content.originalSecret
    item.originalformat = content.originalFormat
  }
  if (extras.geo) {
    const location = content.location
    if (location === undefined) {
      item.latitude = 0
      item.longitude = 0
      item.accuracy = 0
      item.context = 0
    } else {
      item.latitude = drifted(content, LAT_LON, location.latitude)
      item.longitude = drifted(content, LAT_LON, location.longitude)
      item.accuracy = drifted(content, ACCURACY, location.accuracy)
      item.context = location.context
      item.place_id = markText(location.placeId)
      item.woeid = location.woeid
      item.geo_is_family = visibility & FAMILY ? 1 : 0
      item.geo_is_friend = visibility & FRIEND ? 1 : 0
      item.geo_is_contact = 0
      item.geo_is_public = visibility & PUBLIC ? 1 : 0
    }
  }
  if (extras.media) {
    item.media = content.media
    item.media_status = "ready"
  }
  // Built with marked slashes: no regex pass over 500 URLs a page.
  const base = markText(hosting.site)
  const sizes = extras.sizes
  for (let index = 0; index < sizes.length; index++) {
    const size = sizes[index] as PhotoSize
    if (!hasSize(size, content, hosting)) continue
    const bit = URL_DIMS + index
    const { width, height } = sizeDimensions(size, content)
    item[`url_${size.name}`] = staticImageUrl(base, MARKED_SLASH, content, record.id, sizeSecret(size, content, record.id), size.suffix, "jpg")
    item[`height_${size.name}`] = drifted(content, bit, height)
    item[`width_${size.name}`] = drifted(content, bit, width)
  }
  if (extras.urlO && hosting.originals) {
    const bit = URL_O
    item.url_o = staticImageUrl(base, MARKED_SLASH, content, record.id, content.originalSecret, "_o", content.originalFormat)
    item.height_o = drifted(content, bit, content.height)
    item.width_o = drifted(content, bit, content.width)
  }
  if (extras.pathAlias) item.pathalias = hasNullPathAlias(content) ? null : markText(owner.pathAlias)
  if (extras.countFaves) item.count_faves = drifted(content, FAVES, content.faves)
  if (extras.countComments) item.count_comments = drifted(content, COMMENTS, content.comments)
  if (extras.safetyLevel) item.safety_level = "0"
  if (extras.rotation) item.rotation = 0
  if (extras.realname) item.realname = markText(owner.fullname)
  return item
}

/** The item as a client decoding the listing sees it: the Flickr JSON text, parsed. */
export const renderItem = (record: PhotoRecord, extras: Extras, context: ItemContext): Record<string, unknown> =>
  JSON.parse(encodeFlickrJsonText(new Prepared(renderMarkedItem(record, extras, context)))) as Record<string, unknown>

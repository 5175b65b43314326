// Photos as Flickr lists them (people.getPhotos, photos.recentlyUpdated) and as fbk stores them.
// One transform turns a list item into a `photos` row; the item itself is kept verbatim in `raw`.
import { Effect, ParseResult, Schema } from "effect"
import { Count, looseInteger, looseNumber, looseText } from "./Wire.js"

/** Every extra fbk asks for, so one listing call carries everything a page can. */
export const LISTING_EXTRAS = [
  "description", "license", "date_upload", "date_taken", "owner_name", "original_format",
  "last_update", "geo", "tags", "machine_tags", "o_dims", "views", "media", "path_alias",
  "url_o", "count_faves", "count_comments"
].join(",")

/** A row of the `photos` table, minus the bookkeeping columns the repository owns. */
export const PhotoRow = Schema.Struct({
  id: Schema.String,
  owner: Schema.NullOr(Schema.String),
  title: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String),
  media: Schema.String,
  secret: Schema.NullOr(Schema.String),
  server: Schema.NullOr(Schema.String),
  farm: Schema.NullOr(Schema.Number),
  original_secret: Schema.NullOr(Schema.String),
  original_format: Schema.NullOr(Schema.String),
  is_public: Schema.Number,
  is_friend: Schema.Number,
  is_family: Schema.Number,
  license: Schema.NullOr(Schema.Number),
  date_taken: Schema.NullOr(Schema.String),
  date_taken_granularity: Schema.NullOr(Schema.Number),
  date_taken_unknown: Schema.Number,
  date_uploaded: Schema.NullOr(Schema.Number),
  last_update: Schema.NullOr(Schema.Number),
  width: Schema.NullOr(Schema.Number),
  height: Schema.NullOr(Schema.Number),
  url_o: Schema.NullOr(Schema.String),
  views: Schema.NullOr(Schema.Number),
  tags: Schema.String,
  machine_tags: Schema.String,
  latitude: Schema.NullOr(Schema.Number),
  longitude: Schema.NullOr(Schema.Number),
  accuracy: Schema.NullOr(Schema.Number),
  geo_context: Schema.NullOr(Schema.Number),
  place_id: Schema.NullOr(Schema.String),
  woeid: Schema.NullOr(Schema.String),
  path_alias: Schema.NullOr(Schema.String),
  count_faves: Schema.NullOr(Schema.Number),
  count_comments: Schema.NullOr(Schema.Number),
  raw: Schema.String
})
export type PhotoRow = typeof PhotoRow.Type

/** The column names of `PhotoRow`, in a fixed order, for batched inserts. */
export const PHOTO_COLUMNS = Object.keys(PhotoRow.fields) as ReadonlyArray<keyof PhotoRow>

type Item = Readonly<Record<string, unknown>>

const num = looseNumber
const text = looseText

const flag = (value: unknown): number => (num(value) ?? 0) !== 0 ? 1 : 0

const integer = looseInteger
/**
 * Flickr marks "no location" in list items with latitude 0, longitude 0, accuracy 0 and no
 * place; a real photo at 0,0 would still carry an accuracy or a place.
 */
const hasLocation = (item: Item): boolean => {
  const latitude = num(item.latitude)
  const longitude = num(item.longitude)
  if (latitude === null || longitude === null) return false
  if (latitude !== 0 || longitude !== 0) return true
  return (num(item.accuracy) ?? 0) !== 0 || text(item.place_id) !== null
}

/** Turns one decoded list item into a row; `null` only when the item has no id. */
export const photoRowFromItem = (item: Item): PhotoRow | null => {
  const id = text(item.id)
  if (id === null || id === "") return null
  const located = hasLocation(item)
  return {
    id,
    owner: text(item.owner),
    title: text(item.title),
    description: text(item.description),
    media: text(item.media) ?? "photo",
    secret: text(item.secret),
    server: text(item.server),
    farm: integer(item.farm),
    original_secret: text(item.originalsecret),
    original_format: text(item.originalformat),
    is_public: flag(item.ispublic),
    is_friend: flag(item.isfriend),
    is_family: flag(item.isfamily),
    license: integer(item.license),
    date_taken: text(item.datetaken),
    date_taken_granularity: integer(item.datetakengranularity),
    date_taken_unknown: flag(item.datetakenunknown),
    date_uploaded: integer(item.dateupload),
    last_update: integer(item.lastupdate),
    width: integer(item.o_width ?? item.width_o),
    height: integer(item.o_height ?? item.height_o),
    url_o: text(item.url_o),
    views: integer(item.views),
    tags: text(item.tags) ?? "",
    machine_tags: text(item.machine_tags) ?? "",
    latitude: located ? num(item.latitude) : null,
    longitude: located ? num(item.longitude) : null,
    accuracy: located ? integer(item.accuracy) : null,
    geo_context: located ? integer(item.context) : null,
    place_id: located ? text(item.place_id) : null,
    woeid: located ? text(item.woeid) : null,
    path_alias: text(item.pathalias),
    count_faves: integer(item.count_faves),
    count_comments: integer(item.count_comments),
    raw: JSON.stringify(item)
  }
}

/** A list item off the wire, decoded leniently into a row (the item kept verbatim in `raw`). */
export const PhotoFromListItem = Schema.transformOrFail(
  // Schema.Object checks "is an object" without copying every key: this runs once per photo listed.
  Schema.Object,
  Schema.declare((u): u is PhotoRow => typeof u === "object" && u !== null && "id" in u && "raw" in u, {
    identifier: "PhotoRow"
  }),
  {
    strict: true,
    decode: (item, _, ast) => {
      const row = photoRowFromItem(item as Item)
      return row === null
        ? ParseResult.fail(new ParseResult.Type(ast, item, "a listed photo has no id"))
        : ParseResult.succeed(row)
    },
    encode: (row) => Effect.succeed(JSON.parse(row.raw) as object)
  }
)

/** One page of people.getPhotos or photos.recentlyUpdated. */
export const PhotoPage = Schema.Struct({
  photos: Schema.Struct({
    page: Count,
    pages: Count,
    perpage: Schema.optional(Count),
    total: Count,
    photo: Schema.Array(PhotoFromListItem)
  })
})
export type PhotoPage = typeof PhotoPage.Type

/** The shape the rest of fbk sees: counts as numbers, photos as rows. */
export interface ListedPage {
  readonly page: number
  readonly pages: number
  readonly total: number
  readonly photos: ReadonlyArray<PhotoRow>
}

export const listedPage = (decoded: PhotoPage): ListedPage => ({
  page: decoded.photos.page,
  pages: decoded.photos.pages,
  total: decoded.photos.total,
  photos: decoded.photos.photo
})

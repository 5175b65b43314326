// What the viewer's listings hold: a photo's card, the cursors its pages start from, albums,
// collections, tags, map points and the files pictures are made from.
import { Schema } from "effect"

/** What a listing shows of a photo. */
export const PhotoCard = Schema.Struct({
  id: Schema.String,
  title: Schema.NullOr(Schema.String),
  media: Schema.String,
  date_taken: Schema.NullOr(Schema.String),
  width: Schema.NullOr(Schema.Number),
  height: Schema.NullOr(Schema.Number),
  deleted_at: Schema.NullOr(Schema.Number),
  /** What Flickr's own image URLs are made of (none in a home built from Flickr's export alone). */
  server: Schema.NullOr(Schema.String),
  secret: Schema.NullOr(Schema.String),
  /** Where the record came from: Flickr's API, or the export alone. */
  source: Schema.String,
  /** 1 when the store holds what the thumbnail is made from: the photo's file, or a video's poster. */
  local_picture: Schema.Number
})
export type PhotoCard = typeof PhotoCard.Type

/** Where a page of the timeline or of a tag starts: after this (date taken, id), newest first. */
export interface TakenCursor {
  readonly taken: string
  readonly id: string
}

/** Where a page of an album starts: after this position (and photo id), in the album's order. */
export interface PositionCursor {
  readonly position: number
  readonly id: string
}

/** The start of the timeline: after every date (dates are ASCII, so below U+FFFF). */
export const TIMELINE_START: TakenCursor = { taken: "\uffff", id: "" }
export const ALBUM_START: PositionCursor = { position: -1, id: "" }

export const PositionedCard = Schema.Struct({ ...PhotoCard.fields, position: Schema.Number })
export type PositionedCard = typeof PositionedCard.Type

export const AlbumSummary = Schema.Struct({
  id: Schema.String,
  title: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String),
  primary_photo_id: Schema.NullOr(Schema.String),
  members: Schema.Number,
  deleted_at: Schema.NullOr(Schema.Number)
})
export type AlbumSummary = typeof AlbumSummary.Type

/** A live collection, where it sits in the tree. */
export const CollectionNode = Schema.Struct({
  id: Schema.String,
  parent_id: Schema.NullOr(Schema.String),
  position: Schema.Number,
  title: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String)
})
export type CollectionNode = typeof CollectionNode.Type

/** A live album placed in a live collection. */
export const PlacedAlbum = Schema.Struct({ ...AlbumSummary.fields, collection_id: Schema.String, position: Schema.Number })
export type PlacedAlbum = typeof PlacedAlbum.Type

/** A tag with how many photos carry it, and the form its author typed when details were read. */
export const TagCount = Schema.Struct({ tag: Schema.String, raw: Schema.NullOr(Schema.String), photos: Schema.Number })
export type TagCount = typeof TagCount.Type

/** A geotagged photo as the map's points array holds it: id, latitude, longitude. */
export type GeoPoint = readonly [id: string, latitude: number, longitude: number]

/** A photo's current file in the store, with the store's folder. */
export const CurrentFile = Schema.Struct({
  id: Schema.Number,
  path: Schema.String,
  destination: Schema.String,
  sha256: Schema.String,
  bytes: Schema.Number,
  role: Schema.String
})
export type CurrentFile = typeof CurrentFile.Type

// Albums (photosets) and collections as Flickr sends them, decoded leniently into fbk's rows: titles
// come as `{"_content": ...}` or plain strings by method, counts as numbers or strings.
import { ParseResult, Schema } from "effect"
import { isNode, type Node, nodes, rowsOf } from "./Nodes.js"
import { Count, looseInteger, looseText } from "./Wire.js"


const integer = looseInteger



/** A row of `albums`, minus the bookkeeping columns the repository owns. */
export interface AlbumRow {
  readonly id: string
  readonly title: string | null
  readonly description: string | null
  readonly primary_photo_id: string | null
  readonly photos: number | null
  readonly videos: number | null
  readonly count_views: number | null
  readonly count_comments: number | null
  readonly created_at: number | null
  readonly updated_at: number | null
  readonly raw: string
}

export const ALBUM_COLUMNS = [
  "id", "title", "description", "primary_photo_id", "photos", "videos", "count_views", "count_comments",
  "created_at", "updated_at", "raw"
] as const satisfies ReadonlyArray<keyof AlbumRow>

/** One photoset of photosets.getList as a row; `null` when it has no id. */
export const albumRowFromItem = (item: Node): AlbumRow | null => {
  const id = looseText(item.id)
  if (id === null || id === "") return null
  return {
    id,
    title: looseText(item.title),
    description: looseText(item.description),
    primary_photo_id: looseText(item.primary),
    photos: integer(item.photos ?? item.count_photos),
    videos: integer(item.videos ?? item.count_videos),
    count_views: integer(item.count_views),
    count_comments: integer(item.count_comments),
    created_at: integer(item.date_create),
    updated_at: integer(item.date_update),
    raw: JSON.stringify(item)
  }
}

/** One page of photosets.getList. An account without albums may send no `photoset` at all. */
export const AlbumListPage = Schema.Struct({
  photosets: Schema.Struct({
    page: Count,
    pages: Count,
    total: Count,
    photoset: Schema.optionalWith(rowsOf("an album", albumRowFromItem), { default: () => [] })
  })
})
export type AlbumListPage = typeof AlbumListPage.Type

/** A member of an album as photosets.getPhotos lists it. */
export interface AlbumMember {
  readonly photo_id: string
  readonly is_primary: number
}

const memberFromItem = (item: Node): AlbumMember | null => {
  const id = looseText(item.id)
  return id === null || id === "" ? null : { photo_id: id, is_primary: (integer(item.isprimary) ?? 0) !== 0 ? 1 : 0 }
}

/** One page of photosets.getPhotos: the album's members in Flickr's order. */
export const AlbumMembersPage = Schema.Struct({
  photoset: Schema.Struct({
    page: Count,
    pages: Count,
    total: Count,
    photo: Schema.optionalWith(rowsOf("an album member", memberFromItem), { default: () => [] })
  })
})
export type AlbumMembersPage = typeof AlbumMembersPage.Type

/** A row of `collections`. */
export interface CollectionRow {
  readonly id: string
  readonly parent_id: string | null
  readonly position: number
  readonly title: string | null
  readonly description: string | null
  readonly icon_large: string | null
  readonly icon_small: string | null
  /** The node as received, without its child collections (each has its own row). */
  readonly raw: string
}

/** A row of `collection_albums`: an album at a place in a collection. */
export interface CollectionAlbumRow {
  readonly collection_id: string
  readonly album_id: string
  readonly position: number
}

export interface CollectionTree {
  readonly collections: ReadonlyArray<CollectionRow>
  readonly albums: ReadonlyArray<CollectionAlbumRow>
}

/** Flattens collections.getTree's nested nodes, depth first, keeping each node's place. */
export const flattenCollectionTree = (roots: ReadonlyArray<Node>): CollectionTree | string => {
  const collections: Array<CollectionRow> = []
  const albums: Array<CollectionAlbumRow> = []
  const visit = (node: Node, parent: string | null, position: number): string | null => {
    const id = looseText(node.id)
    if (id === null || id === "") return "a collection without an id"
    const { collection: children, ...own } = node
    collections.push({
      id,
      parent_id: parent,
      position,
      title: looseText(node.title),
      description: looseText(node.description),
      icon_large: looseText(node.iconlarge),
      icon_small: looseText(node.iconsmall),
      raw: JSON.stringify(own)
    })
    let place = 0
    for (const set of nodes(node.set)) {
      const albumId = looseText(set.id)
      if (albumId === null || albumId === "") return "an album in a collection without an id"
      albums.push({ collection_id: id, album_id: albumId, position: place++ })
    }
    let childPlace = 0
    for (const child of nodes(children)) {
      const problem = visit(child, id, childPlace++)
      if (problem !== null) return problem
    }
    return null
  }
  let place = 0
  for (const root of roots) {
    const problem = visit(root, null, place++)
    if (problem !== null) return problem
  }
  return { collections, albums }
}

/** collections.getTree, flattened. An account without collections may send `{}`. */
export const CollectionTreeAnswer = Schema.transformOrFail(
  Schema.Struct({ collections: Schema.optional(Schema.Unknown) }),
  Schema.Any as Schema.Schema<CollectionTree>,
  {
    strict: true,
    decode: (answer, _, ast) => {
      const root = isNode(answer.collections) ? answer.collections.collection : undefined
      const flat = flattenCollectionTree(nodes(root))
      return typeof flat === "string" ? ParseResult.fail(new ParseResult.Type(ast, answer, flat)) : ParseResult.succeed(flat)
    },
    encode: (tree) => ParseResult.fail(new ParseResult.Forbidden(Schema.Unknown.ast, tree, "decode only"))
  }
)

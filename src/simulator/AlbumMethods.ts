// The album and collection methods, shaped like the recorded bodies in flickr-samples/: titles are
// `{"_content": ...}` in photosets.getList and getInfo, plain strings in getPhotos and collections.getTree.

import { contentOf, type PhotoRecord } from "./Account.js"
import type { AlbumRecord, CollectionRecord } from "./Albums.js"
import { Prepared } from "./FlickrJson.js"
import { parseExtras, renderMarkedItem, type Extras } from "./PhotoItem.js"
import { hash32 } from "./Random.js"
import { fail, isOwner, itemContext, pageSlice, pagingField, positiveInt, type FlickrValue, type RestContext } from "./RestContext.js"

/** Both photoset listings page by 500 at most, and by 500 when not told (FLICKR.md). */
const MAX_PER_PAGE = 500
const DEFAULT_PER_PAGE = 500

// Bits of AlbumRecord.drift: set means "send this count as a string".
const PHOTOS = 0
const VIDEOS = 1
const VIEWS = 2
const COMMENTS = 3

const drifted = (album: AlbumRecord, bit: number, value: number): number | string =>
  ((album.drift >>> bit) & 1) === 1 ? String(value) : value

const perPageOf = (context: RestContext): number => Math.min(MAX_PER_PAGE, positiveInt(context.params.get("per_page"), DEFAULT_PER_PAGE))
const pageOf = (context: RestContext): number => positiveInt(context.params.get("page"), 1)

/** A photo item's own fields; `primary_photo_extras` carries only the rest (the extras asked for). */
const ITEM_BASE_FIELDS = new Set(["id", "owner", "secret", "server", "farm", "title", "ispublic", "isfriend", "isfamily"])

const primaryPhotoExtras = (album: AlbumRecord, extras: Extras, context: RestContext): Prepared => {
  const item = renderMarkedItem(album.primary, extras, itemContext(context))
  const only: Record<string, unknown> = {}
  for (const key of Object.keys(item)) if (!ITEM_BASE_FIELDS.has(key)) only[key] = item[key]
  return new Prepared(only)
}

/** The cover photo's secret, server and farm, which getList and getInfo repeat. */
const cover = (album: AlbumRecord): { readonly secret: string; readonly server: string; readonly farm: number } => {
  const content = contentOf(album.primary)
  return { secret: content.secret, server: String(content.server), farm: content.farm }
}

const listItem = (album: AlbumRecord, context: RestContext, extras: Extras | undefined): FlickrValue => {
  const videos = context.albums.videoCount(album)
  const item: FlickrValue = {
    id: album.id,
    primary: album.primary.id,
    ...cover(album),
    photos: drifted(album, PHOTOS, album.members.length - videos),
    videos: drifted(album, VIDEOS, videos),
    title: { _content: album.title },
    description: { _content: album.description },
    needs_interstitial: 0,
    visibility_can_see_set: 1,
    count_views: drifted(album, VIEWS, album.views),
    count_comments: drifted(album, COMMENTS, album.comments),
    can_comment: 1,
    date_create: String(album.dateCreate),
    date_update: String(album.dateUpdate)
  }
  if (extras !== undefined) item.primary_photo_extras = primaryPhotoExtras(album, extras, context)
  return item
}

const getList = (context: RestContext): FlickrValue => {
  const userId = context.params.get("user_id")
  if (userId !== undefined && !isOwner(context, userId)) return fail(1, "User not found")
  const albums = context.albums.all()
  const perPage = perPageOf(context)
  const page = pageOf(context)
  const total = albums.length
  const { pages, from, to } = pageSlice(total, page, perPage)
  const extrasText = context.params.get("primary_photo_extras")
  // Only asked for does the cover's extras object appear at all.
  const extras = extrasText === undefined || extrasText.trim() === "" ? undefined : parseExtras(extrasText)
  const photoset: Array<FlickrValue> = []
  for (let i = from; i < to; i++) photoset.push(listItem(albums[i] as AlbumRecord, context, extras))
  const bits = hash32(`flickr.photosets.getList:${page}:${perPage}:${total}`)
  return {
    photosets: {
      cancreate: 1,
      page: pagingField(bits, 0, page),
      pages: pagingField(bits, 1, pages),
      perpage: pagingField(bits, 2, perPage),
      total: pagingField(bits, 3, total),
      photoset
    },
    stat: "ok"
  }
}

/** A member as photosets.getPhotos lists it: the people.getPhotos item without `owner`, `isprimary` after the title. */
const memberItem = (record: PhotoRecord, isPrimary: number | string, extras: Extras, context: RestContext): Record<string, unknown> => {
  const { id, owner: _owner, secret, server, farm, title, ...rest } = renderMarkedItem(record, extras, itemContext(context))
  return { id, secret, server, farm, title, isprimary: isPrimary, ...rest }
}

const findAlbum = (context: RestContext): AlbumRecord | undefined => {
  const userId = context.params.get("user_id")
  if (userId !== undefined && !isOwner(context, userId)) return undefined
  return context.albums.get(context.params.get("photoset_id") ?? "")
}

const getPhotos = (context: RestContext): FlickrValue => {
  const album = findAlbum(context)
  if (album === undefined) return fail(1, "Photoset not found")
  const perPage = perPageOf(context)
  const page = pageOf(context)
  const total = album.members.length
  const { pages, from, to } = pageSlice(total, page, perPage)
  const extras = parseExtras(context.params.get("extras"))
  const bits = hash32(`flickr.photosets.getPhotos:${album.id}:${page}:${perPage}:${total}`)
  // "1"/"0" in some answers, 1/0 in others (the recordings have numbers, later eras strings).
  const yes = pagingField(bits, 4, 1)
  const no = pagingField(bits, 4, 0)
  const photo: Array<Record<string, unknown>> = []
  for (let i = from; i < to; i++) {
    const record = album.members[i] as PhotoRecord
    photo.push(memberItem(record, record === album.primary ? yes : no, extras, context))
  }
  const owner = context.account.owner
  const perPageField = pagingField(bits, 1, perPage)
  return {
    photoset: {
      id: album.id,
      primary: album.primary.id,
      owner: owner.nsid,
      ownername: owner.username,
      photo: new Prepared(photo),
      page: pagingField(bits, 0, page),
      // Both spellings, as the recorded body has them.
      per_page: perPageField,
      perpage: perPageField,
      pages: pagingField(bits, 2, pages),
      total: pagingField(bits, 3, total),
      title: album.title
    },
    stat: "ok"
  }
}

const getInfo = (context: RestContext): FlickrValue => {
  const album = findAlbum(context)
  if (album === undefined) return fail(1, "Photoset not found")
  const owner = context.account.owner
  const videos = context.albums.videoCount(album)
  const photos = album.members.length - videos
  return {
    photoset: {
      id: album.id,
      owner: owner.nsid,
      username: owner.username,
      primary: album.primary.id,
      ...cover(album),
      photos: drifted(album, PHOTOS, photos),
      count_views: drifted(album, VIEWS, album.views),
      count_comments: drifted(album, COMMENTS, album.comments),
      count_photos: drifted(album, PHOTOS, photos),
      count_videos: drifted(album, VIDEOS, videos),
      title: { _content: album.title },
      description: { _content: album.description },
      can_comment: 1,
      date_create: String(album.dateCreate),
      date_update: String(album.dateUpdate),
      coverphoto_server: 0,
      coverphoto_farm: 0
    },
    stat: "ok"
  }
}

/** An album at a leaf of collections.getTree. */
export interface CollectionSetNode {
  readonly id: string
  readonly title: string
  readonly description: string
}

/** A collection as collections.getTree writes it: either `collection` (children) or `set` (albums), or neither when empty. */
export interface CollectionNode {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly iconlarge: string
  readonly iconsmall: string
  readonly collection?: ReadonlyArray<CollectionNode>
  readonly set?: ReadonlyArray<CollectionSetNode>
}

export const collectionNode = (collection: CollectionRecord): CollectionNode => {
  const own = {
    id: collection.id,
    title: collection.title,
    description: collection.description,
    iconlarge: collection.iconLarge,
    iconsmall: collection.iconSmall
  }
  if (collection.children.length > 0) return { ...own, collection: collection.children.map(collectionNode) }
  if (collection.albums.length > 0) {
    return { ...own, set: collection.albums.map((album) => ({ id: album.id, title: album.title, description: album.description })) }
  }
  return own
}

const getTree = (context: RestContext): FlickrValue => {
  const userId = context.params.get("user_id")
  if (userId !== undefined && !isOwner(context, userId)) return fail(1, "User not found")
  const wanted = context.params.get("collection_id")
  // No collection_id, or 0, is the whole tree.
  let roots: ReadonlyArray<CollectionRecord>
  if (wanted === undefined || wanted === "" || wanted === "0") {
    roots = context.albums.rootCollections()
  } else {
    const collection = context.albums.collection(wanted)
    if (collection === undefined) return fail(1, "Collection not found")
    roots = [collection]
  }
  // An account without collections answers an empty object (fbk's decoder takes that).
  return { collections: roots.length === 0 ? {} : { collection: roots.map(collectionNode) }, stat: "ok" }
}

export const ALBUM_METHODS: ReadonlyArray<readonly [string, (context: RestContext) => FlickrValue]> = [
  ["flickr.photosets.getList", getList],
  ["flickr.photosets.getPhotos", getPhotos],
  ["flickr.photosets.getInfo", getInfo],
  ["flickr.collections.getTree", getTree]
]

// Albums (Flickr's photosets) and collections of the simulated account: generated from the seed
// beside the photos, kept as records pointing at its PhotoRecords, and changed by test mutations.

import { ACCOUNT_END, isVideo, type Account, type PhotoRecord } from "./Account.js"
import { hash32, hex10, Random } from "./Random.js"

export interface AlbumRecord {
  readonly id: string
  /** Random bits fixed per album: which counts travel as strings. */
  readonly drift: number
  title: string
  description: string
  readonly dateCreate: number
  dateUpdate: number
  primary: PhotoRecord
  /** Live members in the album's order; never empty (Flickr deletes an album whose last photo goes). */
  members: Array<PhotoRecord>
  readonly views: number
  readonly comments: number
  /** Videos among the members, counted on demand and forgotten on every change. */
  videos: number | undefined
}

export interface CollectionRecord {
  /** `<user number>-<72157...>`, as collections.getTree writes it. */
  readonly id: string
  readonly title: string
  readonly description: string
  readonly iconLarge: string
  readonly iconSmall: string
  readonly parent: CollectionRecord | undefined
  /** A collection holds either child collections or albums, never both, as on Flickr. */
  readonly children: Array<CollectionRecord>
  albums: Array<AlbumRecord>
}

/** What `FlickrSimulator.album(id)` shows. */
export interface AlbumView {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly primary: string
  readonly photoIds: ReadonlyArray<string>
  readonly dateCreate: number
  readonly dateUpdate: number
}

/** A mutation Flickr would refuse (unknown album, photo not a member...): a 400 on the control endpoints. */
export class AlbumError extends Error {}

/** Default album count: about one per 100 photos, at least one when there are photos. */
export const defaultAlbumCount = (photos: number): number => (photos <= 0 ? 0 : Math.max(1, Math.round(photos / 100)))

const MAX_ALBUMS_PER_PHOTO = 3
/** Collections nest at most this deep (Flickr's organizer allows three levels). */
const MAX_DEPTH = 3
const SPAN_SECONDS = Math.round(15 * 365.25 * 86_400)

// Set and collection ids come from one sequence that grows with time: 72157644326967779 was
// created at 1400476343 (2014-05-19), 72157720... ids date from 2023.
const ID_ANCHOR = 644_326_967_779
const ID_ANCHOR_SECONDS = 1_400_476_343
const IDS_PER_SECOND = 250

const DEFAULT_ICON_LARGE = "https://www.flickr.com/images/collection_default_l.gif"
const DEFAULT_ICON_SMALL = "https://www.flickr.com/images/collection_default_s.gif"

const PLAIN_ALBUM_TITLES = [
  "Summer holidays", "Family", "Best of the year", "Wedding", "Street photography", "Neon signs",
  "Garden", "Birds", "Concerts", "Road trip", "Black and white", "Scans from film", "Kids", "Auto Upload"
] as const

const PLACES = ["Iceland", "Paris", "Tokyo", "New York", "Lisbon", "Berlin", "Cape Town", "Oslo"] as const

const UNICODE_ALBUM_TITLES = [
  "Voyage à Paris", "東京 2019", "Ελλάδα, καλοκαίρι", "Москва зимой", "🌸 Spring", "Zürich ❄️",
  "서울 야경", "Café culture ☕", "İstanbul", "Tromsø — nordlys ✨", "São João 🎉"
] as const

const MARKUP_ALBUM_TITLES = [
  "Tom &amp; Jerry", "&quot;Neon&quot; signs", "Fish &amp; Chips", "&lt;untitled&gt;", "Rock &#39;n&#39; roll",
  "Before/after", "AC/DC live", "<b>bold</b> choices"
] as const

const ALBUM_DESCRIPTIONS = [
  "Photos from the trip.\n\nMore to come.",
  "Neon signs.\n\nThis set is managed by <a href=\"http://www.example.org/suprsetr\" rel=\"nofollow\">SuprSetr</a>",
  "<b>Best</b> of the year &amp; a few more",
  "&quot;Quoted&quot; &lt;tags&gt; and a stray & ampersand",
  "Über den Wolken — 雲の上 ☁️",
  "See http://example.com/a/b?c=d&e=f for the map."
] as const

const COLLECTION_TITLES = [
  "Travel", "Family", "Projects", "Europe", "Asia 🌏", "Ελλάδα", "Work &amp; play", "Archive", "Scans", "Film",
  "Années 90", "Events"
] as const

const COLLECTION_DESCRIPTIONS = [
  "", "", "Just a collection.", "Trips <i>abroad</i>", "Ordered by year/month", "Fotos de la familia 👪"
] as const

const makeAlbumTitle = (random: Random): string => {
  const r = random.next()
  if (r < 0.06) return ""
  if (r < 0.45) return random.pick(PLAIN_ALBUM_TITLES)
  if (r < 0.6) return `${random.pick(PLACES)} ${random.int(2004, 2025)}`
  if (r < 0.85) return random.pick(UNICODE_ALBUM_TITLES)
  return random.pick(MARKUP_ALBUM_TITLES)
}

const makeAlbumDescription = (random: Random): string => (random.chance(0.5) ? "" : random.pick(ALBUM_DESCRIPTIONS))

/**
 * How many photos an album asks for: a tenth hold one photo, a few in a hundred thousands, the
 * rest a few to a couple of hundred (log-uniform). About one album per photo on average.
 */
const albumSize = (random: Random): number => {
  const r = random.next()
  if (r < 0.1) return 1
  if (r < 0.13) return random.int(1000, 4000)
  return Math.floor(Math.exp(random.next() * Math.log(200))) + 1
}

/** The number before the dash in collection ids: the owner's, fixed per account. */
const collectionPrefix = (nsid: string): string => {
  const digits = /^(\d+)@/.exec(nsid)
  return digits === null ? String(100_000_000 + (hash32(nsid) % 900_000_000)) : (digits[1] as string)
}

export class Albums {
  /** In photosets.getList order: newest created first (ties: highest id first). */
  private list: Array<AlbumRecord> = []
  private readonly byId = new Map<string, AlbumRecord>()
  private readonly roots: Array<CollectionRecord> = []
  private readonly collectionsById = new Map<string, CollectionRecord>()
  private readonly usedIds = new Set<number>()
  private readonly prefix: string
  /** Albums a deleted photo was in, so that restoring it puts it back. */
  private readonly removedFrom = new Map<string, Array<AlbumRecord>>()

  constructor(
    private readonly account: Account,
    count: number,
    seed: number
  ) {
    this.prefix = collectionPrefix(account.owner.nsid)
    // A stream of their own, so a seed's photos are the same whatever the album count.
    const random = new Random(hash32(`albums:${seed}`))
    this.generateAlbums(random, Math.max(0, Math.floor(count)))
    this.generateCollections(random)
  }

  // ---- generation ----

  private generateAlbums(random: Random, count: number): void {
    // Oldest first: an album is mostly a run of photos uploaded together (a trip, an event).
    const ordered = this.account.byUpload().slice().reverse()
    const n = ordered.length
    if (n === 0) return
    const uses = new Uint16Array(n)
    for (let k = 0; k < count; k++) {
      const size = Math.min(n, albumSize(random))
      // Some albums take every photo of the run, others skip some of it.
      const density = size <= 3 ? 1 : 0.5 + random.next() * 0.5
      // Uniform over the runs that fit, so big albums do not pile up at either end of the stream.
      const start = random.int(0, Math.max(0, n - Math.ceil(size / density)))
      const picked: Array<number> = []
      for (let i = start; i < n && picked.length < size; i++) {
        if ((uses[i] as number) < MAX_ALBUMS_PER_PHOTO && random.next() < density) picked.push(i)
      }
      if (picked.length === 0) {
        // Every photo of the run is in three albums already: the first free photo anywhere, else
        // (more albums than three per photo can hold) the run's first photo regardless.
        const free = uses.findIndex((u) => u < MAX_ALBUMS_PER_PHOTO)
        picked.push(free >= 0 ? free : start)
      }
      let newest = 0
      for (const i of picked) {
        uses[i] = (uses[i] as number) + 1
        newest = Math.max(newest, (ordered[i] as PhotoRecord).uploadedAt)
      }
      const members = picked.map((i) => ordered[i] as PhotoRecord)
      const order = random.next()
      if (order < 0.2) {
        members.reverse()
      } else if (order < 0.3) {
        // Hand-sorted: a few photos moved.
        for (let s = Math.ceil(members.length / 10); s > 0; s--) {
          const a = random.int(0, members.length - 1)
          const b = random.int(0, members.length - 1)
          ;[members[a], members[b]] = [members[b] as PhotoRecord, members[a] as PhotoRecord]
        }
      }
      const primary = random.chance(0.7) ? (members[0] as PhotoRecord) : random.pick(members)
      const dateCreate = newest + random.int(0, Math.min(3 * 86_400, ACCOUNT_END - newest))
      // Like photos, most albums are left alone after they are made; some change years later.
      const dateUpdate = random.chance(0.5)
        ? Math.min(ACCOUNT_END, dateCreate + random.int(0, 900))
        : dateCreate + Math.floor(random.next() * random.next() * (ACCOUNT_END - dateCreate))
      const album: AlbumRecord = {
        id: this.issueId(dateCreate, random.int(0, IDS_PER_SECOND - 1)),
        drift: random.bits32(),
        title: makeAlbumTitle(random),
        description: makeAlbumDescription(random),
        dateCreate,
        dateUpdate,
        primary,
        members,
        views: Math.floor(Math.exp(random.next() * random.next() * 9)) - 1,
        comments: random.chance(0.8) ? 0 : random.int(1, 12),
        videos: undefined
      }
      this.list.push(album)
      this.byId.set(album.id, album)
    }
    this.list.sort((a, b) => b.dateCreate - a.dateCreate || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
  }

  private generateCollections(random: Random): void {
    const count = this.list.length
    if (count === 0) return
    const leaves: Array<CollectionRecord> = []
    const make = (depth: number, parent: CollectionRecord | undefined): CollectionRecord => {
      const seconds = ACCOUNT_END - random.int(0, SPAN_SECONDS)
      const id = this.issueId(seconds, random.int(0, IDS_PER_SECOND - 1))
      const custom = random.chance(0.5)
      const secret = hex10(random.bits32(), random.bits32())
      const server = random.int(1000, 65535)
      const icon = (size: string): string => `https://live.staticflickr.com/${server}/cols/${id}_${secret}_${size}.jpg`
      const node: CollectionRecord = {
        id: `${this.prefix}-${id}`,
        title: random.pick(COLLECTION_TITLES),
        description: random.pick(COLLECTION_DESCRIPTIONS),
        iconLarge: custom ? icon("l") : DEFAULT_ICON_LARGE,
        iconSmall: custom ? icon("s") : DEFAULT_ICON_SMALL,
        parent,
        children: [],
        albums: []
      }
      this.collectionsById.set(node.id, node)
      if (depth < MAX_DEPTH && random.chance(depth === 1 ? 0.45 : 0.3)) {
        for (let c = random.int(1, 3); c > 0; c--) node.children.push(make(depth + 1, node))
      } else {
        leaves.push(node)
      }
      return node
    }
    for (let r = Math.max(1, Math.round(count / 30)); r > 0; r--) this.roots.push(make(1, undefined))
    // About three albums in four sit in a collection; the rest in none. Some leaves stay empty.
    for (const album of this.list) if (random.chance(0.75)) random.pick(leaves).albums.push(album)
  }

  /** A fresh set or collection id for an object made at `seconds`. */
  private issueId(seconds: number, jitter: number): string {
    let n = Math.max(1, ID_ANCHOR + (seconds - ID_ANCHOR_SECONDS) * IDS_PER_SECOND + jitter)
    while (this.usedIds.has(n)) n += 1
    this.usedIds.add(n)
    return `72157${String(n).padStart(12, "0")}`
  }

  // ---- reading ----

  all(): ReadonlyArray<AlbumRecord> {
    return this.list
  }

  get(id: string): AlbumRecord | undefined {
    return this.byId.get(id)
  }

  videoCount(album: AlbumRecord): number {
    if (album.videos === undefined) {
      let videos = 0
      for (const member of album.members) if (isVideo(member)) videos++
      album.videos = videos
    }
    return album.videos
  }

  view(id: string): AlbumView | undefined {
    const album = this.byId.get(id)
    if (album === undefined) return undefined
    return {
      id: album.id,
      title: album.title,
      description: album.description,
      primary: album.primary.id,
      photoIds: album.members.map((p) => p.id),
      dateCreate: album.dateCreate,
      dateUpdate: album.dateUpdate
    }
  }

  rootCollections(): ReadonlyArray<CollectionRecord> {
    return this.roots
  }

  /** By its full id, or by the part after the dash. */
  collection(id: string): CollectionRecord | undefined {
    return this.collectionsById.get(id) ?? this.collectionsById.get(`${this.prefix}-${id}`)
  }

  // ---- album mutations ----

  private require(id: string): AlbumRecord {
    const album = this.byId.get(id)
    if (album === undefined) throw new AlbumError(`no album ${id}`)
    return album
  }

  /** Every change to an album moves its date_update to now. */
  private touch(album: AlbumRecord, now: number): void {
    album.dateUpdate = Math.max(album.dateUpdate, now)
    album.videos = undefined
  }

  /** The live photos among `ids`, once each, in the order given. */
  private livePhotos(ids: ReadonlyArray<string>): Array<PhotoRecord> {
    const seen = new Set<string>()
    const photos: Array<PhotoRecord> = []
    for (const id of ids) {
      const record = this.account.get(id)
      if (record === undefined || seen.has(id)) continue
      seen.add(id)
      photos.push(record)
    }
    return photos
  }

  /** A new album, first in getList; its first photo is the cover. Unknown or deleted photo ids are skipped. */
  create(title: string, photoIds: ReadonlyArray<string>, now: number): string {
    const members = this.livePhotos(photoIds)
    const first = members[0]
    if (first === undefined) throw new AlbumError("an album needs at least one live photo")
    const id = this.issueId(now, 0)
    const album: AlbumRecord = {
      id,
      drift: hash32(id) | 0,
      title,
      description: "",
      dateCreate: now,
      dateUpdate: now,
      primary: first,
      members,
      views: 0,
      comments: 0,
      videos: undefined
    }
    // Newest created first: ahead of every generated album (they end at ACCOUNT_END).
    this.list.unshift(album)
    this.byId.set(id, album)
    return id
  }

  edit(id: string, changes: { readonly title?: string | undefined; readonly description?: string | undefined }, now: number): void {
    const album = this.require(id)
    if (changes.title !== undefined) album.title = changes.title
    if (changes.description !== undefined) album.description = changes.description
    this.touch(album, now)
  }

  /** The album goes, from getList and from every collection holding it; its photos stay. */
  delete(id: string): void {
    const album = this.require(id)
    this.byId.delete(id)
    this.list = this.list.filter((a) => a !== album)
    for (const collection of this.collectionsById.values()) {
      if (collection.albums.includes(album)) collection.albums = collection.albums.filter((a) => a !== album)
    }
  }

  /** Appends the live photos not already in the album; returns the ids added. */
  add(id: string, photoIds: ReadonlyArray<string>, now: number): ReadonlyArray<string> {
    const album = this.require(id)
    const present = new Set(album.members)
    const added = this.livePhotos(photoIds).filter((p) => !present.has(p))
    if (added.length === 0) return []
    album.members = album.members.concat(added)
    this.touch(album, now)
    return added.map((p) => p.id)
  }

  /** Returns the ids taken out. Taking out the last one deletes the album, as Flickr does. */
  removePhotos(id: string, photoIds: ReadonlyArray<string>, now: number): ReadonlyArray<string> {
    return this.dropMembers(this.require(id), new Set(photoIds), now).map((p) => p.id)
  }

  private dropMembers(album: AlbumRecord, ids: ReadonlySet<string>, now: number): ReadonlyArray<PhotoRecord> {
    const kept: Array<PhotoRecord> = []
    const dropped: Array<PhotoRecord> = []
    for (const member of album.members) (ids.has(member.id) ? dropped : kept).push(member)
    if (dropped.length === 0) return dropped
    const first = kept[0]
    if (first === undefined) {
      this.delete(album.id)
      return dropped
    }
    album.members = kept
    // The cover gone, the first remaining photo becomes it.
    if (ids.has(album.primary.id)) album.primary = first
    this.touch(album, now)
    return dropped
  }

  /**
   * The members named come first, in the order given; the others follow in their old order (as
   * photosets.reorderPhotos does). Ids that are not members are ignored.
   */
  reorder(id: string, photoIds: ReadonlyArray<string>, now: number): void {
    const album = this.require(id)
    const members = new Set(album.members)
    const front = this.livePhotos(photoIds).filter((p) => members.has(p))
    const inFront = new Set(front)
    const order = front.concat(album.members.filter((p) => !inFront.has(p)))
    if (order.every((p, i) => p === album.members[i])) return
    album.members = order
    this.touch(album, now)
  }

  setPrimary(id: string, photoId: string, now: number): void {
    const album = this.require(id)
    const photo = album.members.find((p) => p.id === photoId)
    if (photo === undefined) throw new AlbumError(`photo ${photoId} is not in album ${id}`)
    album.primary = photo
    this.touch(album, now)
  }

  // ---- photos deleted and restored ----

  /** Deleted photos leave their albums (an album left empty is deleted); remembered for `photosRestored`. */
  photosRemoved(ids: ReadonlyArray<string>, now: number): void {
    if (ids.length === 0) return
    const gone = new Set(ids)
    for (const album of this.list.slice()) {
      if (!album.members.some((p) => gone.has(p.id))) continue
      for (const photo of this.dropMembers(album, gone, now)) {
        const albums = this.removedFrom.get(photo.id) ?? []
        albums.push(album)
        this.removedFrom.set(photo.id, albums)
      }
    }
  }

  /** Restored photos go back to the end of the albums they left, if those still exist. */
  photosRestored(ids: ReadonlyArray<string>, now: number): void {
    for (const id of ids) {
      const albums = this.removedFrom.get(id)
      const photo = this.account.get(id)
      if (albums === undefined || photo === undefined) continue
      this.removedFrom.delete(id)
      for (const album of albums) {
        if (this.byId.get(album.id) !== album || album.members.includes(photo)) continue
        album.members = album.members.concat([photo])
        this.touch(album, now)
      }
    }
  }

  // ---- collections ----

  private requireCollection(id: string): CollectionRecord {
    const collection = this.collection(id)
    if (collection === undefined) throw new AlbumError(`no collection ${id}`)
    return collection
  }

  /** A new empty collection, last among the roots or among the parent's children; returns its id. */
  createCollection(title: string, parentId: string | undefined, now: number): string {
    const parent = parentId === undefined ? undefined : this.requireCollection(parentId)
    if (parent !== undefined && parent.albums.length > 0) throw new AlbumError(`collection ${parent.id} holds albums, not collections`)
    const collection: CollectionRecord = {
      id: `${this.prefix}-${this.issueId(now, 0)}`,
      title,
      description: "",
      iconLarge: DEFAULT_ICON_LARGE,
      iconSmall: DEFAULT_ICON_SMALL,
      parent,
      children: [],
      albums: []
    }
    ;(parent === undefined ? this.roots : parent.children).push(collection)
    this.collectionsById.set(collection.id, collection)
    return collection.id
  }

  /** The collection now holds exactly these albums, in this order. */
  setCollectionAlbums(collectionId: string, albumIds: ReadonlyArray<string>): void {
    const collection = this.requireCollection(collectionId)
    if (collection.children.length > 0) throw new AlbumError(`collection ${collection.id} holds collections, not albums`)
    const albums = [...new Set(albumIds)].map((id) => this.require(id))
    collection.albums = albums
  }

  /** The collection goes with the collections inside it; the albums in them stay. */
  deleteCollection(id: string): void {
    const collection = this.requireCollection(id)
    const siblings = collection.parent === undefined ? this.roots : collection.parent.children
    siblings.splice(siblings.indexOf(collection), 1)
    const forget = (c: CollectionRecord): void => {
      this.collectionsById.delete(c.id)
      c.children.forEach(forget)
    }
    forget(collection)
  }
}

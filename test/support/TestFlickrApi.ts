// A scripted Flickr account in memory, served as a real FlickrApi layer for program tests;
// hooks change the account between calls, and every call is logged.
import { Effect, Either, Layer } from "effect"
import type { AlbumListPage, AlbumMember, AlbumMembersPage, AlbumRow, CollectionTree } from "../../src/schema/Album.js"
import type { Account } from "../../src/schema/Auth.js"
import type { CommentRow, ExifRow, NoteRow, PersonRow, PhotoDetailsRow, PhotoInfo, TagRow } from "../../src/schema/Details.js"
import { FlickrApiError } from "../../src/schema/Errors.js"
import type { ListedPage, PhotoRow } from "../../src/schema/Photo.js"
import type { OfferedSize } from "../../src/schema/Sizes.js"
import { FlickrApi, type ListQuery, MAX_PER_PAGE } from "../../src/services/flickr/FlickrApi.js"
import type { FlickrError } from "../../src/services/flickr/FlickrHttp.js"

export const OWNER: Account = { nsid: "12037949754@N01", username: "tester", fullname: "Test Account" }

/** Upload time of photo "1" in `photoRow`'s defaults (photo n was uploaded n seconds later). */
export const FIRST_UPLOAD = 1_500_000_000

/** A complete photos row: photo `id` uploaded at FIRST_UPLOAD + id and not changed since, unless `fields` say otherwise. */
export const photoRow = (id: string, fields: Partial<PhotoRow> = {}): PhotoRow => {
  const uploaded = fields.date_uploaded ?? FIRST_UPLOAD + Number(id)
  const { raw, ...row }: PhotoRow = {
    id,
    owner: OWNER.nsid,
    title: `Photo ${id}`,
    description: null,
    media: "photo",
    secret: `s${id}`,
    server: "65535",
    farm: 66,
    original_secret: `o${id}`,
    original_format: "jpg",
    is_public: 1,
    is_friend: 0,
    is_family: 0,
    license: 0,
    date_taken: null,
    date_taken_granularity: 0,
    date_taken_unknown: 0,
    date_uploaded: uploaded,
    last_update: uploaded,
    width: 4000,
    height: 3000,
    url_o: null,
    views: 0,
    tags: "",
    machine_tags: "",
    latitude: null,
    longitude: null,
    accuracy: null,
    geo_context: null,
    place_id: null,
    woeid: null,
    path_alias: null,
    count_faves: 0,
    count_comments: 0,
    raw: "",
    ...fields
  }
  // The item as it came, as the listing keeps it: what the row says.
  return { ...row, raw: raw === "" ? JSON.stringify(row) : raw }
}

/** Photos "1".."count", photo n uploaded at `firstUpload` + n - 1 (so the highest id is the newest). */
export const photoRows = (count: number, firstUpload = FIRST_UPLOAD + 1): ReadonlyArray<PhotoRow> =>
  Array.from({ length: count }, (_, i) => photoRow(String(i + 1), { date_uploaded: firstUpload + i }))

export const comment = (id: string, text = `comment ${id}`): CommentRow => ({
  comment_id: id,
  author: "35468159852@N01",
  author_name: "friend",
  created: FIRST_UPLOAD,
  permalink: null,
  text,
  raw: JSON.stringify({ id, _content: text })
})

export const person = (nsid: string): PersonRow => ({
  nsid,
  username: `user ${nsid}`,
  realname: null,
  path_alias: null,
  added_by: OWNER.nsid,
  x: null,
  y: null,
  w: null,
  h: null,
  raw: JSON.stringify({ nsid })
})

export const exifTag = (tag: string, clean: string): ExifRow => ({ tagspace: "IFD0", tag, label: tag, raw: clean, clean })

/** What a photo's details calls answer; by default getInfo counts the comments and people listed here. */
export interface PhotoDetailsScript {
  readonly notes?: ReadonlyArray<NoteRow>
  readonly tags?: ReadonlyArray<TagRow>
  /** The EXIF, or the code getExif refuses it with (2: its owner hides it). */
  readonly exif?: ReadonlyArray<ExifRow> | { readonly refused: number }
  readonly comments?: ReadonlyArray<CommentRow>
  readonly people?: ReadonlyArray<PersonRow>
  /** What getSizes offers (default: nothing). */
  readonly sizes?: ReadonlyArray<OfferedSize>
  /** Where getInfo should say something else than the lists above (a comment count that lags, say). */
  readonly info?: Partial<Omit<PhotoDetailsRow, "photo_id">>
}

/** A collection as the tree nests it: its albums by id, then its child collections. */
export interface TestCollection {
  readonly id: string
  readonly title: string
  readonly albums?: ReadonlyArray<string>
  readonly children?: ReadonlyArray<TestCollection>
}

interface StoredAlbum {
  readonly title: string
  readonly members: ReadonlyArray<string>
  readonly updatedAt: number
}

/** The argument list of each FlickrApi method, straight from the service (none for the plain effects). */
export type CallArgs = {
  readonly [M in ApiMethod]: FlickrApi[M] extends (...args: infer A) => unknown ? A : readonly []
}
export type ApiMethod = Exclude<keyof FlickrApi, "_tag" | "account">

/** Changes the account; an effect returned is run before the call goes on (it may read the Clock). */
export type AccountChange = (account: TestAccount) => void | Effect.Effect<unknown>

interface Hook {
  readonly method: ApiMethod
  /** Calls of `method` still to come before this one fires (1: the next). */
  remaining: number
  readonly when: "before" | "after"
  readonly change: AccountChange
}

interface Failure {
  readonly method: ApiMethod
  remaining: number
  readonly error: FlickrError
}

const byNumericIdDescending = (a: string, b: string): number => Number(b) - Number(a)

/** One page of `items` as Flickr pages it: past the last page it serves the last page again. */
const pageOf = <T>(items: ReadonlyArray<T>, page: number, perPage: number) => {
  const size = Math.min(perPage, MAX_PER_PAGE)
  const pages = Math.ceil(items.length / size)
  const served = Math.max(1, Math.min(page, pages))
  return { page, pages, total: items.length, items: items.slice((served - 1) * size, served * size) }
}

export class TestAccount {
  readonly owner: Account = OWNER
  /** countPhotos answers the live count plus this (Flickr counting photos its listing never shows). */
  countSkew = 0
  private readonly photos = new Map<string, PhotoRow>()
  private readonly details = new Map<string, PhotoDetailsScript>()
  private readonly albums = new Map<string, StoredAlbum>()
  private tree: CollectionTree = { collections: [], albums: [] }
  private uploadOrder: ReadonlyArray<PhotoRow> | undefined
  /** The highest photo id ever in the account: a new upload never takes a deleted photo's id. */
  private highestId = 0
  private readonly hooks: Array<Hook> = []
  private readonly failures: Array<Failure> = []
  private readonly requestLog: { [M in ApiMethod]: Array<CallArgs[M]> } = {
    listPhotos: [], countPhotos: [], recentlyUpdated: [], testLogin: [], listAlbums: [], albumMembers: [],
    collectionTree: [], photoInfo: [], photoExif: [], photoComments: [], photoPeople: [], photoSizes: []
  }

  constructor(
    photos: ReadonlyArray<PhotoRow> = [],
    /** Page sizes of photosets.getList and photosets.getPhotos (Flickr's: 500), small to test paging. */
    readonly pageSizes: { readonly albums: number; readonly members: number } = { albums: MAX_PER_PAGE, members: MAX_PER_PAGE }
  ) {
    this.addPhotos(photos)
  }

  // The photostream.

  addPhotos(rows: ReadonlyArray<PhotoRow>): void {
    for (const row of rows) {
      this.photos.set(row.id, row)
      this.highestId = Math.max(this.highestId, Number(row.id))
    }
    this.uploadOrder = undefined
  }

  /** `count` new photos uploaded at `uploadedAt` (default: a second after the newest), ids above every other. */
  upload(count: number, uploadedAt?: number): ReadonlyArray<PhotoRow> {
    const next = this.highestId + 1
    const at = uploadedAt ?? (this.byUpload()[0]?.date_uploaded ?? FIRST_UPLOAD) + 1
    const rows = Array.from({ length: count }, (_, i) => photoRow(String(next + i), { date_uploaded: at }))
    this.addPhotos(rows)
    return rows
  }

  /** `count` new photos uploaded now by the Clock (a TestClock's time in `it.effect`). */
  uploadNow(count: number): Effect.Effect<ReadonlyArray<PhotoRow>> {
    return Effect.map(Effect.clockWith((clock) => clock.currentTimeMillis), (millis) => this.upload(count, Math.floor(millis / 1000)))
  }

  /** Gone from Flickr: from the stream, from every album, and its details calls answer "not found". */
  deletePhotos(ids: ReadonlyArray<string>): void {
    for (const id of ids) this.photos.delete(id)
    for (const [albumId, album] of this.albums) {
      this.albums.set(albumId, { ...album, members: album.members.filter((m) => !ids.includes(m)) })
    }
    this.uploadOrder = undefined
  }

  /** Edits a photo's record; its last_update moves on a second unless `changes` set it. */
  editPhoto(id: string, changes: Partial<PhotoRow> = {}): PhotoRow {
    const before = this.photos.get(id)
    if (before === undefined) throw new Error(`no photo ${id} in the test account`)
    const { raw: _raw, ...rest } = before
    const row = photoRow(id, { ...rest, last_update: (before.last_update ?? 0) + 1, ...changes })
    this.addPhotos([row])
    return row
  }

  photo(id: string): PhotoRow | undefined {
    return this.photos.get(id)
  }

  get liveIds(): ReadonlyArray<string> {
    return this.byUpload().map((p) => p.id)
  }

  setDetails(id: string, script: PhotoDetailsScript): void {
    this.details.set(id, { ...this.details.get(id), ...script })
  }

  // Albums and collections.

  /**
   * Creates an album (after the others) or changes one in place. A change moves its date_update
   * on a second unless `updatedAt` is given, as Flickr does when an album is edited.
   */
  putAlbum(id: string, album: { readonly title?: string; readonly members?: ReadonlyArray<string>; readonly updatedAt?: number }): void {
    const before = this.albums.get(id)
    this.albums.set(id, {
      title: album.title ?? before?.title ?? `Album ${id}`,
      members: album.members ?? before?.members ?? [],
      updatedAt: album.updatedAt ?? (before === undefined ? FIRST_UPLOAD : before.updatedAt + 1)
    })
  }

  deleteAlbum(id: string): void {
    this.albums.delete(id)
  }

  /** The album as photosets.getList lists it. */
  albumRow(id: string): AlbumRow {
    const album = this.albums.get(id)
    if (album === undefined) throw new Error(`no album ${id} in the test account`)
    const item = { id, title: album.title, primary: album.members[0] ?? null, photos: album.members.length, date_update: album.updatedAt }
    return {
      id,
      title: album.title,
      description: null,
      primary_photo_id: item.primary,
      photos: album.members.length,
      videos: 0,
      count_views: 0,
      count_comments: 0,
      created_at: FIRST_UPLOAD,
      updated_at: album.updatedAt,
      raw: JSON.stringify(item)
    }
  }

  /** Replaces the whole collection tree; ids and places as collections.getTree nests them. */
  setCollections(roots: ReadonlyArray<TestCollection>): void {
    const collections: Array<CollectionTree["collections"][number]> = []
    const albums: Array<CollectionTree["albums"][number]> = []
    const visit = (node: TestCollection, parent: string | null, position: number): void => {
      collections.push({
        id: node.id,
        parent_id: parent,
        position,
        title: node.title,
        description: null,
        icon_large: null,
        icon_small: null,
        raw: JSON.stringify({ id: node.id, title: node.title })
      })
      ;(node.albums ?? []).forEach((album, place) => albums.push({ collection_id: node.id, album_id: album, position: place }))
      ;(node.children ?? []).forEach((child, place) => visit(child, node.id, place))
    }
    roots.forEach((root, place) => visit(root, null, place))
    this.tree = { collections, albums }
  }

  // Hooks and the call log.

  /** Runs `change` just before the `n`th call of `method` from now is answered (that call sees it). */
  beforeCall(method: ApiMethod, n: number, change: AccountChange): void {
    this.hooks.push({ method, remaining: n, when: "before", change })
  }

  /** Runs `change` once the `n`th call of `method` from now has its answer (the next call sees it). */
  afterCall(method: ApiMethod, n: number, change: AccountChange): void {
    this.hooks.push({ method, remaining: n, when: "after", change })
  }

  /** The `n`th call of `method` from now fails with `error`. */
  failCall(method: ApiMethod, n: number, error: FlickrError): void {
    this.failures.push({ method, remaining: n, error })
  }

  /** How many times `method` was called since the account was made (or the log cleared). */
  calls(method: ApiMethod): number {
    return this.requestLog[method].length
  }

  /** The arguments of every call of `method`, in order. */
  requests<M extends ApiMethod>(method: M): ReadonlyArray<CallArgs[M]> {
    return this.requestLog[method]
  }

  /** Every method called, with its count: what a test says a program may cost. */
  callCounts(): Readonly<Record<string, number>> {
    return Object.fromEntries(Object.entries(this.requestLog).filter(([, calls]) => calls.length > 0).map(([m, calls]) => [m, calls.length]))
  }

  clearLog(): void {
    for (const calls of Object.values(this.requestLog)) calls.length = 0
  }

  // The layer.

  /** This account as the FlickrApi service; the compiler holds it to the real service's shape. */
  get layer(): Layer.Layer<FlickrApi> {
    return Layer.succeed(FlickrApi, FlickrApi.make({
      account: this.owner,
      listPhotos: (query: ListQuery) => this.serve("listPhotos", [query], () => Either.right(this.listPhotos(query))),
      countPhotos: this.serve("countPhotos", [], () => Either.right(this.byUpload().length + this.countSkew)),
      recentlyUpdated: (minDate: number, page: number, perPage: number) =>
        this.serve("recentlyUpdated", [minDate, page, perPage], () => Either.right(this.recentlyUpdated(minDate, page, perPage))),
      testLogin: this.serve("testLogin", [], () => Either.right({ user: { id: this.owner.nsid, username: this.owner.username } })),
      listAlbums: (page: number) => this.serve("listAlbums", [page], () => Either.right(this.listAlbums(page))),
      albumMembers: (albumId: string, page: number) =>
        this.serve("albumMembers", [albumId, page], () => this.albumMembers(albumId, page)),
      collectionTree: this.serve("collectionTree", [], () => Either.right(this.tree)),
      photoInfo: (photoId: string) => this.serve("photoInfo", [photoId], () => this.photoInfo(photoId)),
      photoExif: (photoId: string) => this.serve("photoExif", [photoId], () => this.photoExif(photoId)),
      photoComments: (photoId: string) =>
        this.serve("photoComments", [photoId], () => this.detailsOf("flickr.photos.comments.getList", photoId, (s) => s.comments ?? [])),
      photoPeople: (photoId: string) =>
        this.serve("photoPeople", [photoId], () => this.detailsOf("flickr.photos.people.getList", photoId, (s) => s.people ?? [])),
      photoSizes: (photoId: string) =>
        this.serve("photoSizes", [photoId], () =>
          this.detailsOf("flickr.photos.getSizes", photoId, (s) => ({ sizes: { size: s.sizes ?? [] } })))
    }))
  }

  /**
   * One call: logged, then the hooks due before it, its answer (or the failure scripted for it)
   * computed from the account as it is then, then the hooks due after it. Suspended, so a
   * program that runs the same effect twice makes two calls.
   */
  private serve<M extends ApiMethod, A>(method: M, args: CallArgs[M], answer: () => Either.Either<A, FlickrError>) {
    return Effect.gen(this, function*() {
      this.requestLog[method].push(args)
      // Every hook and failure on this method counts the call; those that reach zero are due now.
      const due = this.hooks.filter((h) => h.method === method && --h.remaining === 0)
      for (const hook of due) this.hooks.splice(this.hooks.indexOf(hook), 1)
      const failures = this.failures.filter((f) => f.method === method && --f.remaining === 0)
      for (const failure of failures) this.failures.splice(this.failures.indexOf(failure), 1)
      const run = (when: Hook["when"]) =>
        Effect.forEach(due.filter((h) => h.when === when), (hook) => {
          const result = hook.change(this)
          return Effect.isEffect(result) ? Effect.asVoid(result) : Effect.void
        }, { discard: true })
      yield* run("before")
      const result = failures.length === 0 ? answer() : Either.left(failures[0]!.error)
      yield* run("after")
      return yield* result
    })
  }

  /** Live photos, newest upload first (ties: highest id first), as people.getPhotos orders them. */
  private byUpload(): ReadonlyArray<PhotoRow> {
    this.uploadOrder ??= [...this.photos.values()].sort((a, b) =>
      (b.date_uploaded ?? 0) - (a.date_uploaded ?? 0) || byNumericIdDescending(a.id, b.id)
    )
    return this.uploadOrder
  }

  private listPhotos(query: ListQuery): ListedPage {
    const { maxUploadDate: max, minUploadDate: min } = query
    const matching = this.byUpload().filter((p) =>
      (min === undefined || (p.date_uploaded ?? 0) >= min) && (max === undefined || (p.date_uploaded ?? 0) <= max)
    )
    const { items, ...paging } = pageOf(matching, query.page, query.perPage)
    // Fresh rows, as a decoded answer has: nothing the program keeps can be the account's own.
    return { ...paging, photos: items.map((p) => ({ ...p })) }
  }

  private recentlyUpdated(minDate: number, page: number, perPage: number): ListedPage {
    const changed = [...this.photos.values()]
      .filter((p) => (p.last_update ?? 0) >= minDate)
      .sort((a, b) => (b.last_update ?? 0) - (a.last_update ?? 0) || byNumericIdDescending(a.id, b.id))
    const { items, ...paging } = pageOf(changed, page, perPage)
    return { ...paging, photos: items.map((p) => ({ ...p })) }
  }

  private listAlbums(page: number): AlbumListPage["photosets"] {
    const { items, ...paging } = pageOf([...this.albums.keys()], page, this.pageSizes.albums)
    return { ...paging, photoset: items.map((id) => this.albumRow(id)) }
  }

  private albumMembers(albumId: string, page: number): Either.Either<AlbumMembersPage["photoset"], FlickrError> {
    const album = this.albums.get(albumId)
    if (album === undefined) {
      return Either.left(new FlickrApiError({ method: "flickr.photosets.getPhotos", code: 1, message: "Photoset not found" }))
    }
    const { items, ...paging } = pageOf(album.members, page, this.pageSizes.members)
    return Either.right({
      ...paging,
      photo: items.map((id): AlbumMember => ({ photo_id: id, is_primary: id === album.members[0] ? 1 : 0 }))
    })
  }

  /** `pick` of a live photo's script; code 1 for a photo that is not (or no longer) on Flickr. */
  private detailsOf<A>(method: string, photoId: string, pick: (script: PhotoDetailsScript, row: PhotoRow) => A) {
    const row = this.photos.get(photoId)
    return row === undefined
      ? Either.left(new FlickrApiError({ method, code: 1, message: `Photo "${photoId}" not found (invalid ID)` }))
      : Either.right(pick(this.details.get(photoId) ?? {}, row))
  }

  private photoInfo(photoId: string): Either.Either<PhotoInfo, FlickrError> {
    return this.detailsOf("flickr.photos.getInfo", photoId, (script, row): PhotoInfo => ({
      details: {
        photo_id: photoId,
        last_update: row.last_update,
        safety_level: 0,
        count_comments: script.comments?.length ?? 0,
        views: row.views,
        has_people: (script.people?.length ?? 0) > 0 ? 1 : 0,
        neighbourhood: null,
        locality: null,
        county: null,
        region: null,
        country: null,
        photopage_url: `https://www.flickr.com/photos/${this.owner.nsid}/${photoId}/`,
        raw: JSON.stringify({ id: photoId, dates: { lastupdate: row.last_update } }),
        ...script.info
      },
      notes: script.notes ?? [],
      tags: script.tags ?? []
    }))
  }

  private photoExif(photoId: string): Either.Either<ReadonlyArray<ExifRow>, FlickrError> {
    return Either.flatMap(this.detailsOf("flickr.photos.getExif", photoId, (script) => script.exif ?? []), (exif) =>
      "refused" in exif
        ? Either.left(new FlickrApiError({ method: "flickr.photos.getExif", code: exif.refused, message: "Permission denied" }))
        : Either.right(exif))
  }
}

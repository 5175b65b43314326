// Albums and collections, synced with every full backup and update in the fewest calls: every page of
// photosets.getList, members only of albums new or changed since read, then collections.getTree once.
import { Effect, Stream } from "effect"
import type { AlbumMember } from "../../schema/Album.js"
import { AlbumRepository, type StaleAlbum } from "../../services/database/AlbumRepository.js"
import { FlickrApi } from "../../services/flickr/FlickrApi.js"
import { counted, formatCount, Reporter } from "../../services/terminal/Reporter.js"
import { SyncRunRepository } from "../../services/database/SyncRunRepository.js"
import { allPages, FETCH_CONCURRENCY } from "./Paging.js"
import { listUntilCountsAgree } from "./Relisting.js"
import { type ActiveRun, nowSeconds } from "./SyncRun.js"

export interface AlbumSyncCounts {
  readonly albums: number
  readonly added: number
  readonly changed: number
  readonly deleted: number
  readonly membersRead: number
  readonly collections: number
  readonly collectionsDeleted: number
}

/** Flickr's answer for an album that no longer exists (deleted since it was listed). */
const NOT_FOUND = 1

/** Every member of one album, in order; null when the album vanished meanwhile. */
const readMembers = (album: StaleAlbum) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const members: Array<AlbumMember> = []
    yield* allPages((page) => api.albumMembers(album.id, page), { concurrency: 1 }).pipe(
      Stream.runForEach((page) => Effect.sync(() => void members.push(...page.photo)))
    )
    return members as ReadonlyArray<AlbumMember> | null
  }).pipe(
    Effect.catchIf(
      (error) => error._tag === "FlickrApiError" && error.code === NOT_FOUND,
      () => Effect.succeed(null)
    )
  )

/**
 * Every page of the album list, until a listing's count matches every page's total. Albums
 * deleted while the pages are read shift later ones onto earlier pages, so an album can be
 * missed: only a complete listing marks the albums it did not see deleted.
 */
const listAlbums = (run: ActiveRun) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const albums = yield* AlbumRepository
    const reporter = yield* Reporter
    let listed = 0
    let added = 0
    let changed = 0
    const totals = new Set<number>()
    const listing = yield* listUntilCountsAgree(
      () =>
        Effect.gen(function*() {
          yield* albums.forgetSeenAlbums(run.id)
          totals.clear()
          listed = 0
          yield* allPages(api.listAlbums).pipe(
            Stream.runForEach((page) =>
              Effect.gen(function*() {
                const counts = yield* albums.upsertAlbumPage(page.photoset, run.id, yield* nowSeconds)
                // Pages come in order, so the albums listed before this page are the places before it.
                yield* albums.placeAlbums(page.photoset.map((album) => album.id), listed)
                totals.add(page.total)
                listed += page.photoset.length
                added += counts.added
                changed += counts.changed
                yield* reporter.progress({ label: "Albums", done: listed, total: page.total, unit: "albums" })
              })
            )
          )
        }),
      Effect.map(albums.countAlbumsSeenIn(run.id), (seen) =>
        totals.size === 1 && totals.has(seen) ? { _tag: "Agreed", counts: seen } as const : { _tag: "Again", counts: seen } as const)
    )
    let deleted = 0
    if (listing.complete) deleted = yield* albums.markUnseenAlbumsDeleted(run.id, yield* nowSeconds)
    else yield* reporter.warn("The albums changed while they were listed; none was marked deleted this time")
    return { complete: listing.complete, listed, added, changed, deleted }
  })

/** The members of every album new or changed since they were last read; how many were read and missed. */
const readStaleMembers = Effect.gen(function*() {
  const albums = yield* AlbumRepository
  const reporter = yield* Reporter
  const stale = yield* albums.staleAlbums
  let membersRead = 0
  let membersMissed = 0
  yield* Stream.fromIterable(stale).pipe(
    Stream.mapEffect((album) => Effect.map(readMembers(album), (members) => ({ album, members })), {
      concurrency: FETCH_CONCURRENCY
    }),
    Stream.runForEach(({ album, members }) =>
      Effect.gen(function*() {
        // A vanished album keeps its last members; the next listing marks it deleted.
        if (members !== null) yield* albums.replaceMembers(album, members, yield* nowSeconds)
        else membersMissed++
        membersRead++
        yield* reporter.progress({ label: "Album members", done: membersRead, total: stale.length, unit: "albums" })
      })
    )
  )
  return { membersRead, membersMissed }
})

/** The albums' part of a backup's or update's summary: the line for people, the record with --json. */
interface AlbumSummary {
  readonly albums: number
  readonly added: number
  readonly changed: number
  readonly deleted: number
  readonly members_read: number
  readonly members_missed: number
  readonly collections: number
  readonly collections_deleted: number
}

const albumLine = (s: AlbumSummary): string =>
  `Albums: ${formatCount(s.albums)} on Flickr (${formatCount(s.added)} new, ${formatCount(s.changed)} changed, ` +
  `${formatCount(s.deleted)} deleted), members read for ${counted(s.members_read, "album")}; ` +
  `${counted(s.collections, "collection")} (${formatCount(s.collections_deleted)} deleted)`

export const syncAlbums = (run: ActiveRun) =>
  Effect.gen(function*() {
    const api = yield* FlickrApi
    const albums = yield* AlbumRepository
    const runs = yield* SyncRunRepository
    const reporter = yield* Reporter
    const listing = yield* listAlbums(run)
    const { membersMissed, membersRead } = yield* readStaleMembers
    // Complete only when the listing could mark deletions and every member list was read.
    if (listing.complete && membersMissed === 0) yield* runs.markPartSynced("albums", run.startedAt, run.id)
    const collections = yield* albums.replaceCollections(yield* api.collectionTree, run.id, yield* nowSeconds)
    yield* runs.markPartSynced("collections", run.startedAt, run.id)
    yield* reporter.endProgress
    const summary: AlbumSummary = {
      albums: listing.listed,
      added: listing.added,
      changed: listing.changed,
      deleted: listing.deleted,
      members_read: membersRead,
      members_missed: membersMissed,
      collections: collections.collections,
      collections_deleted: collections.deleted
    }
    yield* reporter.summary("albums", summary, albumLine)
    return {
      albums: listing.listed,
      added: listing.added,
      changed: listing.changed,
      deleted: listing.deleted,
      membersRead,
      collections: collections.collections,
      collectionsDeleted: collections.deleted
    } satisfies AlbumSyncCounts
  })

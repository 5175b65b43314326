// `albums/` and `collections/` beside `originals/` in the file store: a folder per album with an
// entry per member in Flickr's order, and the collection tree as folders of links to album folders.
import { Effect } from "effect"
import * as path from "node:path"
import type { LinkMode } from "../../services/database/FileRepository.js"
import { FolderRepository } from "../../services/database/FolderRepository.js"
import { FolderTree } from "../../services/files/FolderTree.js"
import { counted, formatCount, Reporter } from "../../services/terminal/Reporter.js"
import { type AlbumContext, syncAlbumFolder } from "./AlbumFolder.js"
import { countFolders, planCollections, syncCollectionFolder } from "./CollectionFolders.js"
import { applyFolderPlan, plannedTree } from "./FolderPlan.js"
import { entryName, looseEntryName, NOT_IN_ALBUM, siblingNames } from "./FolderNames.js"
import { type FolderTally, plus, sum, tally } from "./FolderTally.js"

/**
 * How an album entry reaches its file in `originals/`. Folders in `collections/` are symbolic
 * links to the album folders in every mode: a folder cannot be hard-linked, and copying it would
 * store every photo once more per collection.
 */
export type { LinkMode }

export interface FolderOptions {
  /** The file store: the folder that holds `originals/`. */
  readonly destination: string
  readonly links: LinkMode
}

export interface FolderCounts extends FolderTally {
  /** Album folders with at least one entry (the folder of photos in no album not counted). */
  readonly albums: number
  /** Collection folders. */
  readonly collections: number
}

/** Folders under `albums/` that no live album has any more: fbk's links and entries go, the user's files stay. */
const clearOldAlbumFolders = (context: AlbumContext, wanted: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const albumsAt = path.join(context.destination, "albums")
    const done: Array<FolderTally> = []
    for (const name of yield* context.tree.list(albumsAt)) {
      if (wanted.has(name.normalize("NFC"))) continue
      const f = yield* context.tree.examine(path.join(albumsAt, name))
      if (f?.kind === "link") {
        yield* context.tree.remove(path.join(albumsAt, name))
        done.push(tally({ entriesRemoved: 1 }))
      } else if (f?.kind === "directory") {
        done.push(yield* syncAlbumFolder(context, path.join("albums", name), []))
      } else if (f !== null) {
        done.push(tally({ leftAlone: 1 }))
      }
    }
    return sum(done)
  })

/**
 * Album folders: those of albums renamed or deleted first (their copies go before new ones are
 * made), then each live album, one at a time, then the photos in no album. Returns the folder of
 * each album that has entries, for the collection links.
 */
const syncAlbums = (context: AlbumContext) =>
  Effect.gen(function*() {
    const repository = yield* FolderRepository
    const albums = yield* repository.albums
    const albumNames = siblingNames(albums, [NOT_IN_ALBUM])
    let done = yield* clearOldAlbumFolders(context, new Set([...albumNames.values(), NOT_IN_ALBUM]))
    const albumFolders = new Map<string, string>()
    for (const album of albums) {
      const name = albumNames.get(album.id)!
      const members = (yield* repository.members(album.id)).map((m) => ({ ...m, name: entryName(m.position, m.photo_id, m.path) }))
      const inFolder = yield* syncAlbumFolder(context, path.join("albums", name), members)
      if (inFolder.entries > 0) albumFolders.set(album.id, name)
      done = plus(done, inFolder)
    }
    const loose = (yield* repository.inNoAlbum).map((p) => ({ ...p, name: looseEntryName(p.date_taken, p.photo_id, p.path) }))
    done = plus(done, yield* syncAlbumFolder(context, path.join("albums", NOT_IN_ALBUM), loose))
    const albumsAt = path.join(context.destination, "albums")
    if ((yield* context.tree.list(albumsAt)).length === 0) yield* context.tree.removeFolderIfEmpty(albumsAt)
    return { tally: done, albumFolders }
  })

/**
 * What bringing `albums/` and `collections/` under `destination` in line with the database takes:
 * what is missing is made, what fbk made that is no longer right is removed or converted to the
 * link mode asked for, and nothing else is touched. Found against the disk, nothing written: the
 * changes come back in the order they are to be made, album by album, so a run cut short leaves a
 * tree the next run completes. Nothing changed since the last sync: no change.
 */
export const planFolders = Effect.fn("Folders.planFolders")(function*(options: FolderOptions) {
  const repository = yield* FolderRepository
  const planned = plannedTree(yield* FolderTree)
  const context: AlbumContext = {
    destination: options.destination,
    links: options.links,
    tree: planned.tree,
    currentFile: repository.currentFile
  }
  const albums = yield* syncAlbums(context)
  const plan = planCollections(yield* repository.collectionTree, albums.albumFolders)
  const collections = yield* syncCollectionFolder(context.tree, options.destination, "collections", plan.folders.size > 0 ? plan : undefined)
  const counts = {
    albums: albums.albumFolders.size,
    collections: countFolders(plan),
    ...plus(albums.tally, collections.tally)
  } satisfies FolderCounts
  return { counts, actions: planned.actions }
})

/** The folders brought in line with the database: `planFolders`' changes made. */
export const syncFolders = Effect.fn("Folders.syncFolders")(function*(options: FolderOptions) {
  const { actions, counts } = yield* planFolders(options)
  yield* applyFolderPlan(yield* FolderTree, actions)
  return counts
})

/** The one line a run prints about the folders. */
export const foldersSummary = (destination: string, counts: FolderCounts): string => {
  const kept = counts.leftAlone + counts.skipped
  return `Folders: ${counted(counts.albums, "album")} and ${counted(counts.collections, "collection")} in ` +
    `${path.join(destination, "albums")} and ${path.join(destination, "collections")}; ` +
    `${formatCount(counts.entriesMade)} entries made, ${formatCount(counts.entriesRemoved)} removed` +
    (kept > 0 ? `; ${formatCount(kept)} left as they are (fbk did not make them)` : "") +
    (counts.missing > 0 ? `; ${formatCount(counts.missing)} not made (their file is missing from originals/)` : "")
}

/** `syncFolders`, then its summary (a line, or the `folders` part of --json). */
export const syncFoldersAndReport = (options: FolderOptions) =>
  Effect.gen(function*() {
    const counts = yield* syncFolders(options)
    const record = {
      folder: options.destination,
      albums: counts.albums,
      collections: counts.collections,
      entries: counts.entries,
      entries_made: counts.entriesMade,
      entries_removed: counts.entriesRemoved,
      left_alone: counts.leftAlone + counts.skipped,
      missing: counts.missing
    }
    yield* (yield* Reporter).summary("folders", record, () => foldersSummary(options.destination, counts))
    return counts
  })

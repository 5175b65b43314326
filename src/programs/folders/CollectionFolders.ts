// `collections/`: the collection tree as nested folders of symbolic links to album folders,
// planned from the database and then brought in line on disk.
import { Effect } from "effect"
import * as path from "node:path"
import type { FolderError } from "../../schema/Files.js"
import type { CollectionTree, FolderCollection } from "../../services/database/FolderRepository.js"
import type { FolderTreeShape } from "../../services/files/FolderTree.js"
import { siblingNames } from "./FolderNames.js"
import { type FolderTally, plus, tally } from "./FolderTally.js"

/** A folder under `collections/`: the album links it holds (name to target) and its subfolders. */
export interface FolderPlan {
  readonly links: ReadonlyMap<string, string>
  readonly folders: ReadonlyMap<string, FolderPlan>
}

export const countFolders = (plan: FolderPlan): number =>
  [...plan.folders.values()].reduce((n, sub) => n + 1 + countFolders(sub), 0)

/** Each collection's children, a child whose parent is not live placed at the top (null). */
const childrenOf = (collections: ReadonlyArray<FolderCollection>) => {
  const live = new Set(collections.map((c) => c.id))
  const children = new Map<string | null, Array<FolderCollection>>()
  for (const c of collections) {
    const parent = c.parent_id !== null && c.parent_id !== c.id && live.has(c.parent_id) ? c.parent_id : null
    children.set(parent, [...(children.get(parent) ?? []), c])
  }
  return children
}

/**
 * The folders under `collections/` (`albumFolders`: album id to its folder under `albums/`, for
 * the albums that have one). A collection with nothing in it (no album with a folder, no such
 * child) has no folder; a collection reached twice (a cycle) is placed once.
 */
export const planCollections = (tree: CollectionTree, albumFolders: ReadonlyMap<string, string>): FolderPlan => {
  const children = childrenOf(tree.collections)
  const placed = new Map<string, Array<string>>()
  for (const p of tree.placements) placed.set(p.collection_id, [...(placed.get(p.collection_id) ?? []), p.album_id])
  const reached = new Set<string>()

  const plan = (collectionId: string | null, folder: string): FolderPlan => {
    const links = new Map<string, string>()
    for (const albumId of collectionId === null ? [] : placed.get(collectionId) ?? []) {
      const albumFolder = albumFolders.get(albumId)
      if (albumFolder !== undefined) links.set(albumFolder, path.relative(folder, path.join("albums", albumFolder)))
    }
    const kids = (children.get(collectionId) ?? [])
      .filter((c) => !reached.has(c.id))
      .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
    for (const kid of kids) reached.add(kid.id)
    const names = siblingNames(kids, links.keys())
    const folders = new Map<string, FolderPlan>()
    for (const kid of kids) {
      const name = names.get(kid.id)!
      const sub = plan(kid.id, path.join(folder, name))
      if ((sub.links.size > 0 || sub.folders.size > 0) && !links.has(name)) folders.set(name, sub)
    }
    return { links, folders }
  }
  return plan(null, "collections")
}

/** What a collection folder holds after its sync: how many names, and what was done. */
interface Outcome {
  readonly holds: number
  readonly tally: FolderTally
}

/**
 * The names already in a folder, each kept, removed (fbk's links that are not right) or synced
 * (subfolders); returns the names settled and what was done.
 */
const settleExisting = (
  tree: FolderTreeShape,
  destination: string,
  folder: string,
  plan: FolderPlan | undefined,
  names: ReadonlyArray<string>
) =>
  Effect.gen(function*() {
    const at = path.join(destination, folder)
    const settled = new Set<string>()
    let done = tally({})
    let holds = names.length
    for (const name of names) {
      const f = yield* tree.examine(path.join(at, name))
      // HFS+ hands names back decomposed; they were written NFC.
      const key = name.normalize("NFC")
      const target = plan?.links.get(key)
      const sub = plan?.folders.get(key)
      if (f === null) {
        holds--
      } else if (f.kind === "link" && target !== undefined && f.target === target) {
        settled.add(key)
      } else if (f.kind === "link") {
        yield* tree.remove(path.join(at, name))
        done = plus(done, tally({ entriesRemoved: 1 }))
        holds--
      } else if (f.kind === "directory") {
        const inner = yield* syncCollectionFolder(tree, destination, path.join(folder, name), sub)
        done = plus(done, inner.tally)
        if (sub !== undefined) settled.add(key)
        else if (inner.holds === 0) holds--
        else if (target !== undefined) {
          // A folder that is not fbk's to remove holds the album link's name.
          settled.add(key)
          done = plus(done, tally({ skipped: 1 }))
        }
      } else {
        if (target !== undefined || sub !== undefined) settled.add(key)
        done = plus(done, tally(target !== undefined || sub !== undefined ? { skipped: 1 } : { leftAlone: 1 }))
      }
    }
    return { settled, holds, tally: done }
  })

/**
 * A folder under `collections/` made to hold `plan`'s links and folders (none when `plan` is
 * undefined): any other link is fbk's and goes, other files stay.
 */
export const syncCollectionFolder = (
  tree: FolderTreeShape,
  destination: string,
  folder: string,
  plan: FolderPlan | undefined
): Effect.Effect<Outcome, FolderError> =>
  Effect.gen(function*() {
    const at = path.join(destination, folder)
    const names = yield* tree.list(at)
    const existing = yield* settleExisting(tree, destination, folder, plan, names)
    let { holds, tally: done } = existing
    let exists = names.length > 0 || (yield* tree.examine(at)) !== null
    const ensureFolder = Effect.suspend(() => (exists ? Effect.void : Effect.tap(tree.makeFolder(at), () => (exists = true))))
    for (const [name, target] of plan?.links ?? []) {
      if (existing.settled.has(name)) continue
      yield* ensureFolder
      yield* tree.symlink(target, path.join(at, name))
      done = plus(done, tally({ entriesMade: 1 }))
      holds++
    }
    for (const [name, sub] of plan?.folders ?? []) {
      if (existing.settled.has(name)) continue
      yield* ensureFolder
      yield* tree.makeFolder(path.join(at, name))
      done = plus(done, (yield* syncCollectionFolder(tree, destination, path.join(folder, name), sub)).tally)
      holds++
    }
    if (holds === 0 && plan === undefined && exists) yield* tree.removeFolderIfEmpty(at)
    return { holds, tally: done }
  })

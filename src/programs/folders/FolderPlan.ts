// The folder sync's plan: the changes it makes, found against the disk without making them (a
// tree that records writes and answers later reads as if they were made), then applied in order.
import { Data, Effect } from "effect"
import * as path from "node:path"
import type { FolderError } from "../../schema/Files.js"
import type { FolderTreeShape, Found } from "../../services/files/FolderTree.js"

/** One change to the folders, its paths absolute. */
export type FolderAction = Data.TaggedEnum<{
  MakeFolder: { readonly at: string }
  RemoveFolder: { readonly at: string }
  Remove: { readonly at: string }
  Rename: { readonly from: string; readonly to: string }
  Symlink: { readonly target: string; readonly at: string }
  Hardlink: { readonly source: string; readonly at: string }
  Copy: { readonly source: string; readonly at: string; readonly temporary: string; readonly mtime: number }
}>
export const FolderAction = Data.taggedEnum<FolderAction>()

/** A tree that reads `real` as changed by the actions recorded so far, and records writes instead of making them. */
export const plannedTree = (real: FolderTreeShape) => {
  const actions: Array<FolderAction> = []
  /** What stands at each path the plan changed: null once removed. */
  const changed = new Map<string, Found | null>()
  /** The names the plan put in each folder (a list is read once a folder, whatever the plan's size). */
  const added = new Map<string, Set<string>>()
  const record = (action: FolderAction, changes: ReadonlyArray<readonly [string, Found | null]>) =>
    Effect.sync(() => {
      actions.push(action)
      for (const [at, found] of changes) {
        changed.set(at, found)
        const names = added.get(path.dirname(at)) ?? new Set<string>()
        if (found === null) names.delete(path.basename(at))
        else added.set(path.dirname(at), names.add(path.basename(at)))
      }
    })
  const examine = (at: string): Effect.Effect<Found | null, FolderError> =>
    changed.has(at) ? Effect.succeed(changed.get(at)!) : real.examine(at)
  const list = (at: string) =>
    Effect.map(real.list(at), (names) => {
      const kept = names.filter((name) => changed.get(path.join(at, name)) !== null)
      const listed = new Set(names)
      return [...kept, ...[...added.get(at) ?? []].filter((name) => !listed.has(name))]
    })
  const file = { kind: "file", ino: 0, dev: 0, size: 0, mtime: 0 } as const
  const tree: FolderTreeShape = {
    examine,
    fileAt: real.fileAt,
    list,
    makeFolder: (at) => record(FolderAction.MakeFolder({ at }), [[at, { kind: "directory" }]]),
    removeFolderIfEmpty: (at) =>
      Effect.flatMap(Effect.zip(examine(at), list(at)), ([found, names]) =>
        found?.kind !== "directory" || names.length > 0 ? Effect.succeed(false) : Effect.as(record(FolderAction.RemoveFolder({ at }), [[at, null]]), true)),
    remove: (at) => record(FolderAction.Remove({ at }), [[at, null]]),
    rename: (from, to) => Effect.flatMap(examine(from), (found) => record(FolderAction.Rename({ from, to }), [[from, null], [to, found]])),
    symlink: (target, at) => record(FolderAction.Symlink({ target, at }), [[at, { kind: "link", target }]]),
    hardlink: (source, at) => record(FolderAction.Hardlink({ source, at }), [[at, file]]),
    copy: (source, at, temporary, mtime) => record(FolderAction.Copy({ source, at, temporary, mtime }), [[at, file]])
  }
  return { tree, actions: actions as ReadonlyArray<FolderAction> }
}

/** The plan's changes made on `tree`, in the order planned. */
export const applyFolderPlan = (tree: FolderTreeShape, actions: ReadonlyArray<FolderAction>) =>
  Effect.forEach(actions, (action) =>
    FolderAction.$match(action, {
      MakeFolder: ({ at }) => tree.makeFolder(at),
      RemoveFolder: ({ at }) => Effect.asVoid(tree.removeFolderIfEmpty(at)),
      Remove: ({ at }) => tree.remove(at),
      Rename: ({ from, to }) => tree.rename(from, to),
      Symlink: ({ at, target }) => tree.symlink(target, at),
      Hardlink: ({ at, source }) => tree.hardlink(source, at),
      Copy: ({ at, mtime, source, temporary }) => tree.copy(source, at, temporary, mtime)
    }), { discard: true })

/** What a change is, in a few words, its paths relative to the store at `destination`. */
export const describeAction = (destination: string, action: FolderAction): string => {
  const rel = (at: string) => path.relative(destination, at)
  return FolderAction.$match(action, {
    MakeFolder: ({ at }) => `make folder ${rel(at)}`,
    RemoveFolder: ({ at }) => `remove folder ${rel(at)} (empty)`,
    Remove: ({ at }) => `remove ${rel(at)}`,
    Rename: ({ from, to }) => `rename ${rel(from)} to ${path.basename(to)}`,
    Symlink: ({ at, target }) => `link ${rel(at)} -> ${target}`,
    Hardlink: ({ at, source }) => `hard link ${rel(at)} to ${rel(source)}`,
    Copy: ({ at, source }) => `copy ${rel(source)} to ${rel(at)}`
  })
}

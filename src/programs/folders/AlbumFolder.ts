// One album folder brought in line with its members: entries already right are left, fbk's own
// entries renamed, converted to the link mode asked for or removed, the missing made.
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option } from "effect"
import * as path from "node:path"
import type { FolderError } from "../../schema/Files.js"
import type { LinkMode } from "../../services/database/FileRepository.js"
import type { FileIdentity, FolderTreeShape, Found } from "../../services/files/FolderTree.js"
import { entryId, isEntryName, isTemporaryName, photoIdOf, temporaryName } from "./FolderNames.js"
import { tally } from "./FolderTally.js"

/** What every album folder of a run works with. */
export interface AlbumContext {
  /** The file store: the folder that holds `originals/`. */
  readonly destination: string
  readonly links: LinkMode
  readonly tree: FolderTreeShape
  /** A photo's current file relative to the store, for an entry whose photo left the album. */
  readonly currentFile: (photoId: string) => Effect.Effect<Option.Option<string>, SqlError>
}

/** A photo that belongs in the folder, under the name it gets there. */
export interface Member {
  readonly photo_id: string
  readonly name: string
  /** Its file, relative to the store. */
  readonly path: string
}

/** One entry an album folder should hold. */
interface Wanted {
  readonly name: string
  readonly id: string
  /** The relative link target, from the album folder. */
  readonly target: string
  /** The file in `originals/`, absolute. */
  readonly source: string
  readonly temporary: string
  /** Hard link and copy modes: the original as it is on disk; null when it is missing. */
  readonly original: FileIdentity | null
}

/** Copies keep their original's modification time; file systems store it with different precision. */
const MTIME_SLACK_MILLIS = 2_000
/** Names examined at once in a folder. */
const INSPECT_CONCURRENCY = 16

const sameInode = (file: FileIdentity, original: FileIdentity) => file.ino === original.ino && file.dev === original.dev

/** A copy fbk made of `original`: another inode with the original's size and modification time. */
const isCopyOf = (file: FileIdentity, original: FileIdentity) =>
  !sameInode(file, original) && file.size === original.size && Math.abs(file.mtime - original.mtime) <= MTIME_SLACK_MILLIS

/** Whether what is there already is this entry in `links` mode: the same link, the same inode, or a copy. */
const isEntry = (links: LinkMode, found: Found, wanted: Wanted): boolean => {
  if (links === "symlink") return found.kind === "link" && found.target === wanted.target
  if (found.kind !== "file" || wanted.original === null) return false
  return links === "hardlink" ? sameInode(found, wanted.original) : isCopyOf(found, wanted.original)
}

/** The folder's entries; in hard link and copy modes with their originals as they are on disk. */
const wantedIn = (context: AlbumContext, folder: string, members: ReadonlyArray<Member>) => {
  const planned = members.map((member): Wanted => ({
    name: member.name,
    id: entryId(member.photo_id),
    target: path.relative(folder, member.path),
    source: path.join(context.destination, member.path),
    temporary: temporaryName(member.photo_id, member.path),
    original: null
  }))
  return context.links === "symlink"
    ? Effect.succeed(planned)
    : Effect.forEach(planned, (w) => Effect.map(context.tree.fileAt(w.source), (original) => ({ ...w, original })), {
      concurrency: INSPECT_CONCURRENCY
    })
}

/**
 * Whether fbk made what stands at `name`: any link, its temporary copies, and files named as its
 * entries. In symbolic link mode such a file is fbk's only when it is the named photo's original
 * (an earlier hard link) or a copy of it (size and time kept): those are what an earlier hard link
 * or copy run left, and switching modes converts them; anything else may be the user's.
 */
const madeByFbk = (context: AlbumContext, wantedById: ReadonlyMap<string, Wanted>) =>
(name: string, found: Found): Effect.Effect<boolean, FolderError | SqlError> => {
  if (found.kind === "link") return Effect.succeed(true)
  if (found.kind !== "file") return Effect.succeed(false)
  if (isTemporaryName(name)) return Effect.succeed(true)
  if (!isEntryName(name)) return Effect.succeed(false)
  if (context.links !== "symlink") return Effect.succeed(true)
  const id = photoIdOf(name)!
  const source = wantedById.get(id)?.source
  return (source !== undefined
    ? Effect.succeed(Option.some(source))
    : Effect.map(context.currentFile(id), Option.map((file) => path.join(context.destination, file)))).pipe(
      Effect.flatMap(Option.match({ onNone: () => Effect.succeed(null), onSome: context.tree.fileAt })),
      Effect.map((original) => original !== null && (sameInode(found, original) || isCopyOf(found, original)))
    )
}

/** What the names in a folder are, measured against what it should hold. */
interface Sorted {
  /** Wanted names already right, or held by something fbk leaves alone. */
  readonly settled: ReadonlySet<string>
  readonly held: number
  /** fbk's own entries that are not right: renamed or removed. */
  readonly stale: ReadonlyArray<readonly [string, Found]>
  readonly skipped: number
  readonly leftAlone: number
}

const sortFound = (
  context: AlbumContext,
  wanted: ReadonlyArray<Wanted>,
  found: ReadonlyArray<readonly [string, Found | null]>
): Effect.Effect<Sorted, FolderError | SqlError> =>
  Effect.gen(function*() {
    const byName = new Map(wanted.map((w) => [w.name, w]))
    const ours = madeByFbk(context, new Map(wanted.map((w) => [w.id, w])))
    const settled = new Set<string>()
    const stale: Array<readonly [string, Found]> = []
    let held = 0
    let skipped = 0
    let leftAlone = 0
    for (const [name, f] of found) {
      if (f === null) continue
      const w = byName.get(name)
      const isOurs = yield* ours(name, f)
      // Right already; or its original is gone, and what fbk made for it is the last copy.
      if (w !== undefined && (isEntry(context.links, f, w) || (context.links !== "symlink" && w.original === null && isOurs))) {
        settled.add(name)
        held++
      } else if (isOurs) {
        stale.push([name, f])
      } else if (w !== undefined) {
        settled.add(name)
        skipped++
      } else {
        leftAlone++
      }
    }
    return { settled, held, stale, skipped, leftAlone }
  })

/** The names in the folder at `at` with what stands at each. */
const examineAll = (tree: FolderTreeShape, at: string) =>
  Effect.flatMap(tree.list(at), (names) =>
    Effect.forEach(names, (name) => Effect.map(tree.examine(path.join(at, name)), (f) => [name, f] as const), {
      concurrency: INSPECT_CONCURRENCY
    }))

const makeEntry = (context: AlbumContext, folder: string, wanted: Wanted) => {
  const at = path.join(folder, wanted.name)
  switch (context.links) {
    case "symlink":
      return context.tree.symlink(wanted.target, at)
    case "hardlink":
      return context.tree.hardlink(wanted.source, at)
    case "copy":
      return context.tree.copy(wanted.source, at, path.join(folder, wanted.temporary), wanted.original?.mtime ?? 0)
  }
}

/**
 * One album folder (`folder` relative to the store) made to hold exactly `members`: entries
 * already right are left; an entry of fbk's that is right for its photo but under another name is
 * renamed (a copy is not copied twice); the rest of fbk's is removed, the missing made, and the
 * folder removed when nothing is left in it.
 */
export const syncAlbumFolder = (context: AlbumContext, folder: string, members: ReadonlyArray<Member>) =>
  Effect.gen(function*() {
    const { links, tree } = context
    const at = path.join(context.destination, folder)
    const wanted = yield* wantedIn(context, folder, members)
    const itself = yield* tree.examine(at)
    if (itself !== null && itself.kind !== "directory") {
      if (itself.kind !== "link") return tally({ skipped: wanted.length })
      yield* tree.remove(at)
    }
    const removedItself = itself?.kind === "link" ? 1 : 0
    const sorted = yield* sortFound(context, wanted, itself?.kind === "directory" ? yield* examineAll(tree, at) : [])
    const toMake = new Map<string, Wanted>()
    let missing = 0
    for (const w of wanted) {
      if (links !== "symlink" && w.original === null) missing++
      else if (!sorted.settled.has(w.name)) toMake.set(w.id, w)
    }
    let removed = removedItself
    let moved = 0
    for (const [name, f] of sorted.stale) {
      const w = toMake.get(photoIdOf(name) ?? "")
      if (w !== undefined && w.name !== name && isEntry(links, f, w)) {
        yield* tree.rename(path.join(at, name), path.join(at, w.name))
        toMake.delete(w.id)
        moved++
      } else {
        yield* tree.remove(path.join(at, name))
        removed++
      }
    }
    if (toMake.size > 0 && itself?.kind !== "directory") yield* tree.makeFolder(at)
    for (const w of toMake.values()) yield* makeEntry(context, at, w)
    const holds = sorted.held + moved + toMake.size
    if (holds === 0 && itself !== null) yield* tree.removeFolderIfEmpty(at)
    return tally({
      entries: holds,
      entriesMade: moved + toMake.size,
      entriesRemoved: moved + removed,
      skipped: sorted.skipped,
      missing,
      leftAlone: sorted.leftAlone
    })
  })

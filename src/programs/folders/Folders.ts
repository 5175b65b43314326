// `albums/` and `collections/` beside `originals/` in the file store: a folder per album with an
// entry per member in Flickr's order, and the collection tree as folders of links to album folders.
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, Option } from "effect"
import { decodeHTMLStrict } from "entities"
import * as fsp from "node:fs/promises"
import * as path from "node:path"
import { FolderError } from "../../schema/Files.js"
import type { LinkMode } from "../../services/database/FileRepository.js"
import { errnoOf, systemError } from "../../services/files/NodeErrors.js"
import { type CollectionTree, type FolderCollection, type FolderMember, FolderRepository } from "../../services/database/FolderRepository.js"

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

export interface FolderCounts {
  /** Album folders with at least one entry (the folder of photos in no album not counted). */
  readonly albums: number
  /** Collection folders. */
  readonly collections: number
  /** Entries in album folders after the run, the folder of photos in no album included. */
  readonly entries: number
  /** Entries and collection links made, or renamed to a new position. */
  readonly entriesMade: number
  /** Entries and collection links removed, or renamed away from an old position. */
  readonly entriesRemoved: number
  /** Names wanted for an entry or folder but held by something fbk did not make; left alone. */
  readonly skipped: number
  /** Hard link and copy modes: entries whose file is not in `originals/` (nothing made, nothing removed). */
  readonly missing: number
}

// ---- Names ----------------------------------------------------------------------------------

/** The folder under `albums/` for photos in no album; an album of that title gets its id appended. */
export const NOT_IN_ALBUM = "(not in any album)"
/** What most file systems allow for one name, in bytes. */
export const MAX_NAME_BYTES = 255
/** Where a copy is written before it is renamed into place; fbk's own, in every mode. */
const TEMP_PREFIX = ".fbk-tmp."

const byteLength = (text: string) => Buffer.byteLength(text, "utf8")
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" })

/** `text` cut to at most `max` UTF-8 bytes between whole characters (graphemes, so accents stay on their letter). */
export const cutToBytes = (text: string, max: number): string => {
  if (byteLength(text) <= max) return text
  const take = (parts: Iterable<string>) => {
    let cut = ""
    let used = 0
    for (const part of parts) {
      used += byteLength(part)
      if (used > max) break
      cut += part
    }
    return cut
  }
  const whole = take(Array.from(graphemes.segment(text), (s) => s.segment))
  // A single grapheme longer than `max` (a pile of combining marks): cut between code points.
  return whole !== "" ? whole : take(text)
}

/** NUL and the other control characters (C0, DEL, C1), and the path separator. */
const CONTROL_OR_SLASH = /[\p{Cc}/]/gu
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** No space in front, no space or dot at the end (Windows and Samba drop them), no dot in front (hidden). */
const tidy = (name: string) => name.replace(/^\s+/u, "").replace(/[\s.]+$/u, "").replace(/^\./, "_")

/**
 * A title made a safe file name: HTML entities decoded (Flickr sends `&amp;`), NFC, `/`, NUL,
 * control characters and broken surrogates replaced by `_`, spaces trimmed, no trailing dots, no
 * leading dot, at most 255 UTF-8 bytes. Empty when nothing is left (the caller names it by id).
 */
export const safeName = (title: string | null): string => {
  const text = tidy(decodeHTMLStrict(title ?? "").normalize("NFC"))
  return tidy(cutToBytes(tidy(text.replace(CONTROL_OR_SLASH, "_").replace(LONE_SURROGATE, "_")), MAX_NAME_BYTES))
}

/** `name` then a space and `suffix`, the name cut so the whole stays within 255 bytes. */
export const withSuffix = (name: string, suffix: string): string => {
  const room = MAX_NAME_BYTES - byteLength(` ${suffix}`)
  const cut = tidy(cutToBytes(name, Math.max(room, 0)))
  return cut === "" ? suffix : `${cut} ${suffix}`
}

export interface Titled {
  readonly id: string
  readonly title: string | null
}

/** Compared as a case-insensitive file system (macOS, Windows) would. */
const nameKey = (name: string) => name.toLowerCase()

/**
 * Folder names for siblings (all albums, or the collections in one collection): each title made
 * safe, an empty one named by its id; every sibling whose name another one shares (case aside) or
 * that takes a name in `taken` gets its id appended, so the outcome depends on the set only.
 */
export const siblingNames = (items: ReadonlyArray<Titled>, taken: Iterable<string> = []): Map<string, string> => {
  const takenKeys = new Set(Array.from(taken, nameKey))
  const names = new Map(items.map((item) => [item.id, safeName(item.title) || safeName(item.id) || "_"]))
  // A name with an id appended can meet a title that reads the same; then that one gets its id too.
  for (let round = 0; round < 8; round++) {
    const uses = new Map<string, number>()
    for (const name of names.values()) uses.set(nameKey(name), (uses.get(nameKey(name)) ?? 0) + 1)
    const clashing = [...names].filter(([, name]) => uses.get(nameKey(name))! > 1 || takenKeys.has(nameKey(name)))
    if (clashing.length === 0) break
    for (const [id, name] of clashing) names.set(id, withSuffix(name, safeName(id) || "_"))
  }
  return names
}

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_@-]/g, "_")

const extensionOf = (filePath: string) => {
  const ext = path.extname(filePath)
  return /^\.[A-Za-z0-9]{1,16}$/.test(ext) ? ext : ""
}

/** An album entry's name: `0007 12345.jpg`, the 1-based position padded to at least 4 digits. */
export const entryName = (position: number, photoId: string, filePath: string): string =>
  `${String(position).padStart(4, "0")} ${safeId(photoId)}${extensionOf(filePath)}`

/** Entry names and fbk's temporary names; group 1 is the photo id. */
const ENTRY = /^\d{4,} ([A-Za-z0-9_@-]+)(?:\.[A-Za-z0-9]{1,16})?$/
const TEMPORARY = /^\.fbk-tmp\.([A-Za-z0-9_@-]+)(?:\.[A-Za-z0-9]{1,16})?$/

const temporaryName = (photoId: string, filePath: string) => `${TEMP_PREFIX}${safeId(photoId)}${extensionOf(filePath)}`

// ---- The collection tree, planned ------------------------------------------------------------

/** A folder under `collections/`: the album links it holds (name to target) and its subfolders. */
interface FolderPlan {
  readonly links: ReadonlyMap<string, string>
  readonly folders: ReadonlyMap<string, FolderPlan>
}

const countFolders = (plan: FolderPlan): number =>
  [...plan.folders.values()].reduce((n, sub) => n + 1 + countFolders(sub), 0)

/**
 * The folders under `collections/`: a collection whose parent is not live sits at the top; a
 * collection with nothing in it (no album with a folder, no such child) has no folder.
 */
const planCollections = (tree: CollectionTree, albumFolders: ReadonlyMap<string, string>): FolderPlan => {
  const live = new Set(tree.collections.map((c) => c.id))
  const children = new Map<string | null, Array<FolderCollection>>()
  for (const c of tree.collections) {
    const parent = c.parent_id !== null && c.parent_id !== c.id && live.has(c.parent_id) ? c.parent_id : null
    children.set(parent, [...(children.get(parent) ?? []), c])
  }
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

// ---- The file system -------------------------------------------------------------------------

/** What is at a name, the link itself rather than what it points at. */
type Found =
  | { readonly kind: "link"; readonly target: string }
  | { readonly kind: "file"; readonly ino: number; readonly dev: number; readonly size: number; readonly mtime: number }
  | { readonly kind: "directory" }
  | { readonly kind: "other" }

interface SourceFile {
  readonly ino: number
  readonly dev: number
  readonly size: number
  readonly mtime: number
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
  /** Hard link and copy modes: the file as it is on disk; null when it is missing. */
  readonly file: SourceFile | null
}

/** Copies keep their original's modification time; file systems store it with different precision. */
const MTIME_SLACK_MILLIS = 2_000
/** Names examined at once in a folder. */
const INSPECT_CONCURRENCY = 16

const failure = (at: string, reason: string) => (cause: PlatformError) =>
  new FolderError({ path: at, reason: `${reason} (${cause.message})`, cause })

const isNotFound = (e: PlatformError) => e._tag === "SystemError" && e.reason === "NotFound"

/**
 * Brings `albums/` and `collections/` under `destination` in line with the database: what is
 * missing is made, what fbk made that is no longer right is removed, and nothing else is touched.
 * Album by album, so a run cut short leaves a tree the next run completes. A second run with
 * nothing changed writes nothing.
 */
export const syncFolders = Effect.fn("Folders.syncFolders")(function*(options: FolderOptions) {
  const repository = yield* FolderRepository
  const fs = yield* FileSystem.FileSystem
  const { destination, links } = options
  let entries = 0
  let entriesMade = 0
  let entriesRemoved = 0
  let skipped = 0
  let missing = 0

  // FileSystem.stat follows links and FileSystem.remove cannot refuse a folder that is not empty:
  // lstat and rmdir come from node:fs.
  const inspect = (at: string): Effect.Effect<Found | null, FolderError> =>
    Effect.tryPromise({ try: () => fsp.lstat(at), catch: (e) => systemError("lstat", at, e) }).pipe(
      Effect.flatMap((stats): Effect.Effect<Found, PlatformError> =>
        stats.isSymbolicLink()
          ? Effect.map(fs.readLink(at), (target) => ({ kind: "link", target }))
          : stats.isFile()
          ? Effect.succeed({ kind: "file", ino: stats.ino, dev: stats.dev, size: stats.size, mtime: stats.mtime.getTime() })
          : Effect.succeed({ kind: stats.isDirectory() ? "directory" : "other" })
      ),
      Effect.catchIf(isNotFound, () => Effect.succeed(null)),
      Effect.mapError(failure(at, "cannot be examined"))
    )

  const removeFolderIfEmpty = (at: string) =>
    Effect.tryPromise({ try: () => fsp.rmdir(at), catch: (e) => systemError("rmdir", at, e) }).pipe(
      Effect.as(true),
      Effect.catchIf(
        (e) => ["ENOTEMPTY", "EEXIST", "ENOENT"].includes(errnoOf(e.cause) ?? ""),
        () => Effect.succeed(false)
      ),
      Effect.mapError(failure(at, "cannot be removed"))
    )

  const listFolder = (at: string) =>
    fs.readDirectory(at).pipe(
      Effect.catchIf(isNotFound, () => Effect.succeed<Array<string>>([])),
      Effect.mapError(failure(at, "cannot be read"))
    )

  const makeFolder = (at: string) => fs.makeDirectory(at, { recursive: true }).pipe(Effect.mapError(failure(at, "cannot be made")))
  const remove = (at: string) => fs.remove(at).pipe(Effect.mapError(failure(at, "cannot be removed")))

  const sourceFile = (at: string): Effect.Effect<SourceFile | null, FolderError> =>
    fs.stat(at).pipe(
      Effect.map((info) => ({
        ino: Option.getOrElse(info.ino, () => -1),
        dev: info.dev,
        size: Number(info.size),
        mtime: Option.match(info.mtime, { onNone: () => 0, onSome: (d) => d.getTime() })
      })),
      Effect.catchIf(isNotFound, () => Effect.succeed(null)),
      Effect.mapError(failure(at, "cannot be examined"))
    )

  const entryFor = (folder: string, member: FolderMember): Wanted => ({
    name: entryName(member.position, member.photo_id, member.path),
    id: safeId(member.photo_id),
    target: path.relative(folder, member.path),
    source: path.join(destination, member.path),
    temporary: temporaryName(member.photo_id, member.path),
    file: null
  })

  /** The album's entries; in hard link and copy modes with their originals as they are on disk. */
  const wantedIn = (folder: string, members: ReadonlyArray<FolderMember>) => {
    const planned = members.map((m) => entryFor(folder, m))
    return links === "symlink"
      ? Effect.succeed(planned)
      : Effect.forEach(planned, (w) => Effect.map(sourceFile(w.source), (file) => ({ ...w, file })), {
        concurrency: INSPECT_CONCURRENCY
      })
  }

  /** Whether what is there already is this entry: the same link, the same inode, or a copy (another inode) of the same size and time. */
  const isEntry = (found: Found, wanted: Wanted): boolean => {
    if (links === "symlink") return found.kind === "link" && found.target === wanted.target
    if (found.kind !== "file" || wanted.file === null) return false
    if (links === "hardlink") return found.ino === wanted.file.ino && found.dev === wanted.file.dev
    const sameFile = found.ino === wanted.file.ino && found.dev === wanted.file.dev
    return !sameFile && found.size === wanted.file.size && Math.abs(found.mtime - wanted.file.mtime) <= MTIME_SLACK_MILLIS
  }

  /** What fbk made in an album folder: links; its temporary files; in hardlink and copy modes, files named as entries. */
  const isOurs = (name: string, found: Found): boolean =>
    found.kind === "link" || (found.kind === "file" && (TEMPORARY.test(name) || (links !== "symlink" && ENTRY.test(name))))

  const makeEntry = (folder: string, wanted: Wanted) => {
    const at = path.join(folder, wanted.name)
    switch (links) {
      case "symlink":
        return fs.symlink(wanted.target, at).pipe(Effect.mapError(failure(at, "the link cannot be made")))
      case "hardlink":
        return fs.link(wanted.source, at).pipe(Effect.mapError(failure(at, "the hard link cannot be made")))
      case "copy": {
        const temporary = path.join(folder, wanted.temporary)
        const mtime = new Date(wanted.file?.mtime ?? 0)
        return fs.copyFile(wanted.source, temporary).pipe(
          Effect.zipRight(fs.utimes(temporary, mtime, mtime)),
          Effect.zipRight(fs.rename(temporary, at)),
          Effect.mapError(failure(at, "the copy cannot be made"))
        )
      }
    }
  }

  /**
   * One album folder (`folder` relative to the destination) made to hold exactly `members`:
   * entries already right are left; an entry of fbk's whose position changed is renamed; the rest
   * of fbk's is removed, the missing made, and the folder removed when nothing is left in it.
   * Returns how many entries it holds.
   */
  const syncAlbumFolder = (folder: string, members: ReadonlyArray<FolderMember>) =>
    Effect.gen(function*() {
      const at = path.join(destination, folder)
      const wanted = yield* wantedIn(folder, members)
      const itself = yield* inspect(at)
      if (itself !== null && itself.kind !== "directory") {
        if (itself.kind !== "link") {
          skipped += wanted.length
          return 0
        }
        yield* remove(at)
        entriesRemoved++
      }
      const names = itself?.kind === "directory" ? yield* listFolder(at) : []
      const found = yield* Effect.forEach(
        names,
        (name) => Effect.map(inspect(path.join(at, name)), (f) => [name, f] as const),
        { concurrency: INSPECT_CONCURRENCY }
      )
      const byName = new Map(wanted.map((w) => [w.name, w]))
      const settled = new Set<string>()
      const stale: Array<readonly [string, Found]> = []
      let held = 0
      for (const [name, f] of found) {
        if (f === null) continue
        const w = byName.get(name)
        if (w !== undefined && (isEntry(f, w) || (links !== "symlink" && w.file === null && isOurs(name, f)))) {
          // Right already; or its original is gone, and what fbk made for it is the last copy.
          settled.add(name)
          held++
        } else if (isOurs(name, f)) {
          stale.push([name, f])
        } else if (w !== undefined) {
          settled.add(name)
          skipped++
        }
      }
      const toMake = new Map<string, Wanted>()
      for (const w of wanted) {
        if (links !== "symlink" && w.file === null) missing++
        else if (!settled.has(w.name)) toMake.set(w.id, w)
      }
      // An entry of fbk's still right for its photo but at an old position is renamed, not made
      // again: a copy is not copied twice.
      const moves: Array<readonly [string, Wanted]> = []
      for (const [name, f] of stale) {
        const id = (ENTRY.exec(name) ?? TEMPORARY.exec(name))?.[1]
        const w = id === undefined ? undefined : toMake.get(id)
        if (w !== undefined && w.name !== name && isEntry(f, w)) {
          moves.push([name, w])
          toMake.delete(w.id)
        } else {
          yield* remove(path.join(at, name))
          entriesRemoved++
        }
      }
      for (const [name, w] of moves) {
        const to = path.join(at, w.name)
        yield* fs.rename(path.join(at, name), to).pipe(Effect.mapError(failure(to, "cannot be renamed")))
        entriesRemoved++
        entriesMade++
      }
      if (toMake.size > 0 && itself?.kind !== "directory") yield* makeFolder(at)
      for (const w of toMake.values()) {
        yield* makeEntry(at, w)
        entriesMade++
      }
      const holds = held + moves.length + toMake.size
      if (holds === 0 && itself !== null) yield* removeFolderIfEmpty(at)
      entries += holds
      return holds
    })

  /**
   * A folder under `collections/` made to hold `plan`'s links and folders (none when `plan` is
   * undefined): any other link is fbk's and goes, other files stay. Returns how many names it holds.
   */
  const syncCollectionFolder = (folder: string, plan: FolderPlan | undefined): Effect.Effect<number, FolderError> =>
    Effect.gen(function*() {
      const at = path.join(destination, folder)
      const names = yield* listFolder(at)
      const settled = new Set<string>()
      let holds = names.length
      for (const name of names) {
        const f = yield* inspect(path.join(at, name))
        // HFS+ hands names back decomposed; they were written NFC.
        const target = plan?.links.get(name.normalize("NFC"))
        const sub = plan?.folders.get(name.normalize("NFC"))
        if (f === null) {
          holds--
        } else if (f.kind === "link" && target !== undefined && f.target === target) {
          settled.add(name.normalize("NFC"))
        } else if (f.kind === "link") {
          yield* remove(path.join(at, name))
          entriesRemoved++
          holds--
        } else if (f.kind === "directory") {
          const left = yield* syncCollectionFolder(path.join(folder, name), sub)
          if (sub !== undefined) {
            settled.add(name.normalize("NFC"))
          } else if (left === 0) {
            holds--
          } else if (target !== undefined) {
            // A folder that is not fbk's to remove holds the album link's name.
            settled.add(name.normalize("NFC"))
            skipped++
          }
        } else if (target !== undefined || sub !== undefined) {
          settled.add(name.normalize("NFC"))
          skipped++
        }
      }
      let exists = names.length > 0 || (yield* inspect(at)) !== null
      const ensureFolder = Effect.suspend(() => (exists ? Effect.void : Effect.tap(makeFolder(at), () => (exists = true))))
      for (const [name, target] of plan?.links ?? []) {
        if (settled.has(name)) continue
        yield* ensureFolder
        const link = path.join(at, name)
        yield* fs.symlink(target, link).pipe(Effect.mapError(failure(link, "the link cannot be made")))
        entriesMade++
        holds++
      }
      for (const [name, sub] of plan?.folders ?? []) {
        if (settled.has(name)) continue
        yield* ensureFolder
        yield* makeFolder(path.join(at, name))
        yield* syncCollectionFolder(path.join(folder, name), sub)
        holds++
      }
      if (holds === 0 && plan === undefined && exists) yield* removeFolderIfEmpty(at)
      return holds
    })

  // Album folders: those of albums renamed or deleted first (their copies go before new ones are
  // made), then each live album, one at a time, then the photos in no album.
  const albums = yield* repository.albums
  const albumNames = siblingNames(albums, [NOT_IN_ALBUM])
  const wantedFolders = new Set([...albumNames.values(), NOT_IN_ALBUM])
  for (const name of yield* listFolder(path.join(destination, "albums"))) {
    if (wantedFolders.has(name.normalize("NFC"))) continue
    const f = yield* inspect(path.join(destination, "albums", name))
    if (f?.kind === "link") {
      yield* remove(path.join(destination, "albums", name))
      entriesRemoved++
    } else if (f?.kind === "directory") {
      yield* syncAlbumFolder(path.join("albums", name), [])
    }
  }
  const albumFolders = new Map<string, string>()
  for (const album of albums) {
    const name = albumNames.get(album.id)!
    if ((yield* syncAlbumFolder(path.join("albums", name), yield* repository.members(album.id))) > 0) {
      albumFolders.set(album.id, name)
    }
  }
  yield* syncAlbumFolder(path.join("albums", NOT_IN_ALBUM), yield* repository.inNoAlbum)
  if ((yield* listFolder(path.join(destination, "albums"))).length === 0) {
    yield* removeFolderIfEmpty(path.join(destination, "albums"))
  }

  const plan = planCollections(yield* repository.collectionTree, albumFolders)
  const hasCollections = plan.folders.size > 0
  yield* syncCollectionFolder("collections", hasCollections ? plan : undefined)

  return {
    albums: albumFolders.size,
    collections: countFolders(plan),
    entries,
    entriesMade,
    entriesRemoved,
    skipped,
    missing
  } satisfies FolderCounts
})

// Where each copy goes in copy-out's folder, by layout: names safe on Windows, macOS and Linux,
// unique in their folder (case aside), and stable from run to run. Pure: no Effect, no I/O.
import * as path from "node:path"
import type { ChosenPhoto, Membership } from "../../services/database/CopyOutRepository.js"
import { cutToBytes, MAX_NAME_BYTES, NOT_IN_ALBUM, safeName, siblingNames, withSuffix } from "../folders/FolderNames.js"

export type Layout = "dates" | "albums"

/** One copy to make: `slot` says which (a photo, or a photo in one album), `target` is relative to the folder. */
export interface Placement {
  readonly slot: string
  readonly photo: ChosenPhoto & { readonly path: string }
  readonly target: string
}

/** Characters Windows (and Samba, exFAT) refuse in a name, beyond the `/` and control characters safeName replaces. */
const WINDOWS_RESERVED = /[<>:"\\|?*]/g
/** Names Windows keeps for devices, whatever the extension. */
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i

/** A title as a file name any system takes; empty when nothing is left (the caller names it by id). */
export const portableName = (title: string | null): string => {
  const name = safeName(title).replace(WINDOWS_RESERVED, "_")
  return DEVICE.test(name) ? `${name}_` : name
}

const extensionOf = (file: string) => {
  const ext = path.extname(file).toLowerCase()
  return /^\.[a-z0-9]{1,16}$/.test(ext) ? ext : ""
}

const idName = (id: string) => id.replace(/[^A-Za-z0-9_@-]/g, "_")

/** `YYYY/MM` by date taken, `undated` when Flickr does not know it. */
const monthFolder = (photo: ChosenPhoto) => {
  const taken = /^(\d{4})-(\d{2})/.exec(photo.date_taken ?? "")
  return taken === null || photo.date_taken_unknown === 1 ? "undated" : `${taken[1]}/${taken[2]}`
}

interface Wanted {
  readonly slot: string
  readonly photo: ChosenPhoto & { readonly path: string }
  readonly folder: string
  readonly stem: string
}

const key = (folder: string, name: string) => `${folder}/${name}`.toLowerCase()

/**
 * Names within each folder: a name two copies would share (case aside) keeps its plain form for
 * the one that had it before (`previous`, slot to target), and the others get their photo id
 * appended, so a newcomer never renames a copy made earlier.
 */
const uniqueNames = (wanted: ReadonlyArray<Wanted>, previous: ReadonlyMap<string, string>): ReadonlyArray<Placement> => {
  const names = new Map(wanted.map((w) => [w.slot, w.stem]))
  const fileOf = (w: Wanted) => {
    const ext = extensionOf(w.photo.path)
    return `${cutToBytes(names.get(w.slot)!, MAX_NAME_BYTES - ext.length).trimEnd()}${ext}`
  }
  for (let round = 0; round < 4; round++) {
    const groups = new Map<string, Array<Wanted>>()
    for (const w of wanted) {
      const k = key(w.folder, fileOf(w))
      groups.set(k, [...(groups.get(k) ?? []), w])
    }
    const clashing = [...groups.values()].filter((group) => group.length > 1)
    if (clashing.length === 0) break
    for (const group of clashing) {
      const keeper = round === 0 ? group.find((w) => previous.get(w.slot) === path.posix.join(w.folder, fileOf(w))) : undefined
      for (const w of group) if (w !== keeper) names.set(w.slot, withSuffix(names.get(w.slot)!, idName(w.photo.id)))
    }
  }
  return wanted.map((w) => ({ slot: w.slot, photo: w.photo, target: path.posix.join(w.folder, fileOf(w)) }))
}

const withFile = (photo: ChosenPhoto): photo is ChosenPhoto & { readonly path: string } => photo.path !== null

/** `YYYY/MM/<title or id>.<ext>`, one copy a photo. */
export const datePlacements = (photos: ReadonlyArray<ChosenPhoto>, previous: ReadonlyMap<string, string>): ReadonlyArray<Placement> =>
  uniqueNames(
    photos.filter(withFile).map((photo) => ({
      slot: photo.id,
      photo,
      folder: monthFolder(photo),
      stem: portableName(photo.title) || idName(photo.id)
    })),
    previous
  )

/**
 * `<album>/<NNNN> <title or id>.<ext>`, one copy per album a photo is in, NNNN its place there;
 * photos in no album under `(not in any album)/<title or id>.<ext>` (unless albums were asked for).
 */
export const albumPlacements = (
  photos: ReadonlyArray<ChosenPhoto>,
  memberships: ReadonlyArray<Membership>,
  previous: ReadonlyMap<string, string>,
  albumsAsked: boolean
): ReadonlyArray<Placement> => {
  const byId = new Map(photos.filter(withFile).map((p) => [p.id, p]))
  const albums = new Map(memberships.map((m) => [m.album_id, { id: m.album_id, title: m.album_title }]))
  const folders = siblingNames([...albums.values()].map((a) => ({ id: a.id, title: portableName(a.title) || null })), [NOT_IN_ALBUM])
  const inAlbum = new Set(memberships.map((m) => m.photo_id))
  const wanted: Array<Wanted> = memberships.flatMap((m) => {
    const photo = byId.get(m.photo_id)
    if (photo === undefined) return []
    const stem = `${String(m.position).padStart(4, "0")} ${portableName(photo.title) || idName(photo.id)}`
    return [{ slot: `${m.album_id}/${photo.id}`, photo, folder: folders.get(m.album_id)!, stem }]
  })
  const loose = albumsAsked ? [] : [...byId.values()].filter((p) => !inAlbum.has(p.id))
  for (const photo of loose) {
    wanted.push({ slot: `/${photo.id}`, photo, folder: NOT_IN_ALBUM, stem: portableName(photo.title) || idName(photo.id) })
  }
  return uniqueNames(wanted, previous)
}

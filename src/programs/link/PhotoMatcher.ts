// Which Flickr photo a file on disk is: the same bytes as a downloaded file, else the camera's date
// and pixel size, else its name as the photo's title; a link only when exactly one photo fits.
import { decodeHTMLStrict } from "entities"
import type { FlickrPhoto, LinkMethod, MatchResult, MediaFacts } from "../../schema/Link.js"

export interface FlickrIndex {
  /** Photos still on Flickr. */
  readonly live: ReadonlySet<string>
  readonly bySha256: ReadonlyMap<string, ReadonlyArray<string>>
  readonly byTaken: ReadonlyMap<string, ReadonlyArray<FlickrPhoto>>
  readonly byTitle: ReadonlyMap<string, ReadonlyArray<FlickrPhoto>>
}

/** A file as matching sees it. */
export interface DiskFile {
  readonly path: string
  readonly sha256: string
  readonly facts: MediaFacts
}

/** Titles and file names compared as a person would: unicode composed the same way, any case. */
export const titleKey = (title: string): string => title.normalize("NFC").trim().toLowerCase()

/** Flickr keeps titles with their HTML entities (`&amp;`); a file name has the characters. */
const titleOf = (photo: FlickrPhoto) => titleKey(decodeHTMLStrict(photo.title ?? ""))

/** A file's name without its folder and extension: what Flickr titles an upload by. */
export const stemOf = (path: string): string => {
  const name = path.slice(path.lastIndexOf("/") + 1)
  const dot = name.lastIndexOf(".")
  return dot > 0 ? name.slice(0, dot) : name
}

const push = <K, V>(map: Map<K, Array<V>>, key: K, value: V) => {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else if (!list.includes(value)) list.push(value)
}

export const buildIndex = (
  photos: Iterable<FlickrPhoto>,
  files: Iterable<{ readonly photoId: string; readonly sha256: string }>
): FlickrIndex => {
  const bySha256 = new Map<string, Array<string>>()
  const byTaken = new Map<string, Array<FlickrPhoto>>()
  const byTitle = new Map<string, Array<FlickrPhoto>>()
  const live = new Set<string>()
  for (const file of files) push(bySha256, file.sha256, file.photoId)
  for (const photo of photos) {
    live.add(photo.id)
    if (photo.taken !== null) push(byTaken, photo.taken, photo)
    const title = titleOf(photo)
    if (title !== "") push(byTitle, title, photo)
  }
  return { live, bySha256, byTaken, byTitle }
}

/**
 * How a file's pixel size fits the original's: the same, turned a quarter, or proportionally
 * smaller (an export; within the rounding of one pixel); null when it does not fit.
 */
export const sizeFit = (width: number, height: number, original: { readonly width: number; readonly height: number }): string | null => {
  const fits = (w: number, h: number) => {
    const { width: W, height: H } = original
    if (w === W && h === H) return "same"
    return w <= W && h <= H && Math.abs(w * H - h * W) <= (W + H) / 2 ? "smaller" : null
  }
  const upright = fits(width, height)
  if (upright !== null) return upright === "same" ? "pixel size" : "pixel size (smaller)"
  const turned = fits(height, width)
  return turned === null ? null : turned === "same" ? "pixel size (turned)" : "pixel size (smaller, turned)"
}

const same = (a: string | null, b: string | null) => a === null || b === null || a.trim().toLowerCase() === b.trim().toLowerCase()

/** What agrees between a file and a photo with its date taken, or null when something disagrees. */
const agreement = (facts: MediaFacts, photo: FlickrPhoto): ReadonlyArray<string> | null => {
  // The pixel size must fit: a date alone is a guess (bursts, two cameras, a second's rounding).
  if (facts.width === null || facts.height === null || photo.width === null || photo.height === null) return null
  const fit = sizeFit(facts.width, facts.height, { width: photo.width, height: photo.height })
  if (fit === null) return null
  const agreed = ["date taken", fit]
  // Camera and sub-seconds split bursts and two cameras at one second, where both sides have them.
  if (!same(facts.make, photo.make) || !same(facts.model, photo.model)) return null
  if (facts.make !== null && photo.make !== null) agreed.push("camera")
  if (!same(facts.subsec, photo.subsec)) return null
  if (facts.subsec !== null && photo.subsec !== null) agreed.push("sub-seconds")
  return agreed
}

/** A day: a video's creation time is often UTC, the photo's date the camera's local clock. */
const DATE_SLACK_MS = 24 * 60 * 60 * 1000

const datesAgree = (facts: MediaFacts, photo: FlickrPhoto) =>
  facts.taken === null || photo.taken === null ||
  Math.abs(Date.parse(`${facts.taken.replace(" ", "T")}Z`) - Date.parse(`${photo.taken.replace(" ", "T")}Z`)) <= DATE_SLACK_MS

const decide = (ids: ReadonlyArray<string>, method: LinkMethod, agreed: (id: string) => string): MatchResult =>
  ids.length === 0
    ? { kind: "none" }
    : ids.length === 1
    ? { kind: "linked", photoId: ids[0]!, method, agreed: agreed(ids[0]!) }
    : { kind: "ambiguous", candidates: [...ids].sort(), method }

export const matchFile = (file: DiskFile, index: FlickrIndex): MatchResult => {
  const sameBytes = index.bySha256.get(file.sha256) ?? []
  if (sameBytes.length > 0) return decide(sameBytes, "sha256", () => "the bytes of a downloaded file")
  const { facts } = file
  if (facts.taken !== null) {
    const fitting = (index.byTaken.get(facts.taken) ?? []).flatMap((photo) => {
      const agreed = agreement(facts, photo)
      return agreed === null ? [] : [{ photo, agreed }]
    })
    if (fitting.length > 0) {
      return decide(fitting.map((f) => f.photo.id), "exif", (id) => fitting.find((f) => f.photo.id === id)!.agreed.join(", "))
    }
    // A camera's own date that fits no photo is an answer: the file's name cannot overrule it.
    if (facts.takenFrom === "exif") return { kind: "none" }
  }
  const titled = index.byTitle.get(titleKey(stemOf(file.path))) ?? []
  if (titled.length > 1) return { kind: "ambiguous", candidates: titled.map((p) => p.id).sort(), method: "title" }
  const photo = titled[0]
  if (photo === undefined || !datesAgree(facts, photo)) return { kind: "none" }
  return decide([photo.id], "title", () => (facts.taken !== null && photo.taken !== null ? "title, date within a day" : "title"))
}

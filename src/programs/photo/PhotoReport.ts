// Everything the database holds about one photo, as `fbk show` reports it: its record, albums with
// the collections above them, files, copies on other disks and earlier versions. No network.
import { Effect, Option } from "effect"
import * as path from "node:path"
import { licenseOf } from "../../schema/Licenses.js"
import { FileRepository } from "../../services/database/FileRepository.js"
import { PhotoPageRepository, type PhotoRecord } from "../../services/database/PhotoPageRepository.js"
import { PhotoRepository } from "../../services/database/PhotoRepository.js"
import { searchableText } from "../../services/database/SearchIndex.js"
import { photoUrl } from "../Search.js"
import { takenText } from "../serve/Dates.js"
import { accuracyName, changesBetween, collectionPaths, flickrText, privacyName } from "./PhotoText.js"

/** A moment fbk or Flickr recorded (unix seconds), as JSON gives it: ISO 8601 in UTC. */
const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString())

const words = (text: string) => text.split(" ").filter((t) => t !== "")

/** Flickr's HTML as a reader's plain text: tags dropped, entities decoded, blank runs squeezed. */
const plainText = (html: string | null): string =>
  searchableText(html).split("\n").map((line) => line.replace(/[ \t]+/g, " ").trim()).join("\n").replace(/\n{3,}/g, "\n\n").trim()

/** The parts of the archive that `fbk show` reads beside the photo's own record. */
const gather = (id: string) =>
  Effect.gen(function*() {
    const records = yield* PhotoPageRepository
    return yield* Effect.all({
      details: Effect.map(records.details(id), Option.getOrNull),
      albums: records.albums(id),
      collections: records.collections(id),
      revisions: records.revisions(id),
      files: records.files(id),
      copies: records.diskCopies(id),
      account: Effect.flatMap(PhotoRepository, (photos) => photos.account),
      store: Effect.flatMap(FileRepository, (files) => files.destination)
    })
  })

type Parts = Effect.Effect.Success<ReturnType<typeof gather>>

/** The photo's own facts: text, dates, owner, privacy, licence, tags, location, counts, deletion. */
const recordFacts = (photo: PhotoRecord, { account, details }: Parts) => {
  const licence = photo.license === null ? null : licenseOf(photo.license)
  const owner = Option.getOrNull(Option.filter(account, (a) => a.nsid === photo.owner))
  const unknown = photo.date_taken_unknown === 1
  return {
    id: photo.id,
    url: photoUrl(Option.none(), photo),
    title: flickrText(photo.title).trim(),
    description: plainText(photo.description),
    description_html: photo.description,
    media: photo.media,
    width: photo.width,
    height: photo.height,
    taken: {
      date: photo.date_taken,
      granularity: photo.date_taken_granularity,
      unknown,
      text: takenText(photo.date_taken, photo.date_taken_granularity, unknown)
    },
    uploaded: iso(photo.date_uploaded),
    updated: iso(photo.last_update),
    owner: { nsid: photo.owner, path_alias: photo.path_alias, username: owner?.username ?? null },
    privacy: privacyName(photo),
    license: licence === null ? null : { id: licence.id, name: licence.name, url: licence.url },
    tags: words(photo.tags),
    machine_tags: words(photo.machine_tags),
    location: photo.latitude === null || photo.longitude === null ? null : {
      latitude: photo.latitude,
      longitude: photo.longitude,
      accuracy: photo.accuracy,
      accuracy_text: photo.accuracy === null || photo.accuracy === 0 ? null : accuracyName(photo.accuracy),
      places: [details?.neighbourhood, details?.locality, details?.county, details?.region, details?.country]
        .filter((p): p is string => p !== null && p !== undefined && p.trim() !== "").map(flickrText)
    },
    counts: {
      views: details?.views ?? photo.views,
      faves: photo.count_faves,
      comments: details?.count_comments ?? photo.count_comments
    },
    deleted_on_flickr: iso(photo.deleted_at),
    source: photo.source
  }
}

/** Where the photo is: its albums under their collections, its files, its copies on disks; and its earlier versions. */
const placesAndVersions = (photo: PhotoRecord, parts: Parts) => ({
  albums: parts.albums.map((album) => ({
    id: album.id,
    title: flickrText(album.title).trim(),
    collections: collectionPaths(album.id, parts.collections).map((steps) =>
      steps.map((step) => ({ id: step.id, title: flickrText(step.title).trim() })))
  })),
  files: parts.files.map((file) => ({
    path: Option.match(parts.store, { onNone: () => file.path, onSome: (store) => path.join(store, file.path) }),
    role: file.role,
    bytes: file.bytes,
    sha256: file.sha256,
    source: file.source,
    not_original_reason: file.not_original_reason,
    fetched_at: iso(file.fetched_at),
    verified_at: iso(file.verified_at)
  })),
  disk_copies: parts.copies.map((copy) => ({
    path: copy.path,
    bytes: copy.size,
    matched_by: copy.method,
    linked_at: iso(copy.linked_at),
    gone_at: iso(copy.gone_at)
  })),
  revisions: parts.revisions.map((revision, i) => ({
    replaced_at: iso(revision.replaced_at),
    // What the next version (or the record now) changed; null for a record from Flickr's export.
    changes: changesBetween(revision.raw, parts.revisions[i + 1]?.raw ?? photo.raw)
  }))
})

/** Everything about photo `id` as `fbk show --json` prints it; none when the database has no such photo. */
export const photoReport = (id: string) =>
  Effect.gen(function*() {
    const found = yield* (yield* PhotoPageRepository).record(id)
    if (Option.isNone(found)) return Option.none()
    const parts = yield* gather(id)
    return Option.some({ ...recordFacts(found.value, parts), ...placesAndVersions(found.value, parts) })
  })

export type PhotoReport = Option.Option.Value<Effect.Effect.Success<ReturnType<typeof photoReport>>>

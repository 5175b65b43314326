// Everything a photo's sidecar (or an embedded copy) says, loaded for a batch of photos with a few
// queries per batch: text already plain, albums and collection paths by title, the original's path.
import { Effect, Option } from "effect"
import { licenseOf } from "../../schema/Licenses.js"
import type { CollectionStep } from "../../services/database/PhotoPageRepository.js"
import { type SidecarPhotoRow, SidecarRepository, type SidecarTagRow } from "../../services/database/SidecarRepository.js"
import { photoUrl } from "../Search.js"
import { collectionPaths, flickrText, privacyName } from "../photo/PhotoText.js"
import { flickrPlainText } from "./PlainText.js"

/** Photos read per batch: well under SQLite's bound-parameter limit, a few queries each. */
export const SIDECAR_BATCH = 500

export interface SidecarNote {
  readonly author: string
  readonly text: string
}

export interface SidecarComment {
  readonly author: string
  /** Unix seconds, null when Flickr gave none. */
  readonly created: number | null
  readonly permalink: string | null
  readonly text: string
}

export interface SidecarRecord {
  readonly id: string
  readonly media: "photo" | "video"
  /** Entities decoded; "" when none. */
  readonly title: string
  /** Flickr's HTML as plain text (links kept as URLs); "" when none. */
  readonly description: string
  /** As the owner typed them (getInfo's raw form; the normalised form when details were never read); no machine tags. */
  readonly tags: ReadonlyArray<string>
  readonly machineTags: ReadonlyArray<string>
  /** Titles of the live albums the photo is in, by title. */
  readonly albums: ReadonlyArray<string>
  /** Each collection path above each album, root first and ending with the album's title. */
  readonly collectionPaths: ReadonlyArray<ReadonlyArray<string>>
  /** Flickr's `YYYY-MM-DD HH:MM:SS` (no zone); null when unknown (Flickr filled it in itself) or absent. */
  readonly dateTaken: string | null
  /** Flickr's datetakengranularity: 0 exact, 4 month, 6 year, 8 circa. */
  readonly dateTakenGranularity: number
  /** Null unless geotagged (never Flickr's 0, 0 of "no location"). */
  readonly latitude: number | null
  readonly longitude: number | null
  readonly license: { readonly id: number; readonly name: string; readonly url: string | null } | null
  /** public, friends, family, friends and family, private. */
  readonly privacy: string
  readonly views: number | null
  readonly faves: number | null
  readonly commentCount: number | null
  readonly notes: ReadonlyArray<SidecarNote>
  readonly comments: ReadonlyArray<SidecarComment>
  /** The photo's page on Flickr (null only for a record with no owner). */
  readonly pageUrl: string | null
  /** The current file relative to the store (`originals/2014/03/1326.jpg`), null when none was fetched. */
  readonly originalPath: string | null
}

const groupBy = <Row extends { readonly photo_id: string }>(rows: ReadonlyArray<Row>): Map<string, Array<Row>> => {
  const groups = new Map<string, Array<Row>>()
  for (const row of rows) {
    const group = groups.get(row.photo_id)
    if (group === undefined) groups.set(row.photo_id, [row])
    else group.push(row)
  }
  return groups
}

const words = (text: string): Array<string> => text.split(" ").filter((w) => w !== "")

/** getInfo's raw tags when details were read; else the listing's normalised ones. */
const tagsOf = (photo: SidecarPhotoRow, rows: ReadonlyArray<SidecarTagRow> | undefined) => {
  if (rows === undefined || rows.length === 0) return { tags: words(photo.tags), machineTags: words(photo.machine_tags) }
  const typed = (row: SidecarTagRow) => row.raw ?? row.tag ?? ""
  return {
    tags: rows.filter((r) => r.machine_tag === 0).map(typed).filter((t) => t !== ""),
    machineTags: rows.filter((r) => r.machine_tag !== 0).map(typed).filter((t) => t !== "")
  }
}

const isGeotagged = (p: SidecarPhotoRow) =>
  p.latitude !== null && p.longitude !== null && !(p.latitude === 0 && p.longitude === 0)

/** getInfo's photopage URL, else the one built from the owner's URL name. */
const pageUrlOf = (p: SidecarPhotoRow): string | null => p.photopage_url ?? photoUrl(Option.none(), p)

interface BatchRows {
  readonly albums: Map<string, Array<{ readonly id: string; readonly title: string | null }>>
  readonly steps: ReadonlyArray<CollectionStep>
  readonly tags: Map<string, Array<SidecarTagRow>>
  readonly notes: Map<string, Array<{ readonly author_name: string | null; readonly text: string | null }>>
  readonly comments: Map<string, Array<{ readonly author_name: string | null; readonly created: number | null; readonly permalink: string | null; readonly text: string | null }>>
}

const recordOf = (p: SidecarPhotoRow, rows: BatchRows): SidecarRecord => {
  const albums = rows.albums.get(p.id) ?? []
  const paths = albums.flatMap((album) =>
    collectionPaths(album.id, rows.steps).map((steps) => [...steps.map((s) => flickrText(s.title)), flickrText(album.title)])
  ).sort((a, b) => a.join("\u0000").localeCompare(b.join("\u0000")))
  return {
    id: p.id,
    media: p.media === "video" ? "video" : "photo",
    title: flickrText(p.title).trim(),
    description: flickrPlainText(p.description),
    ...tagsOf(p, rows.tags.get(p.id)),
    albums: albums.map((a) => flickrText(a.title)),
    collectionPaths: paths,
    dateTaken: p.date_taken_unknown === 1 ? null : p.date_taken,
    dateTakenGranularity: p.date_taken_granularity ?? 0,
    latitude: isGeotagged(p) ? p.latitude : null,
    longitude: isGeotagged(p) ? p.longitude : null,
    license: p.license === null ? null : licenseOf(p.license),
    privacy: privacyName(p),
    views: p.views,
    faves: p.count_faves,
    commentCount: p.count_comments,
    notes: (rows.notes.get(p.id) ?? []).map((n) => ({ author: flickrText(n.author_name), text: flickrPlainText(n.text) })),
    comments: (rows.comments.get(p.id) ?? []).map((c) => ({
      author: flickrText(c.author_name),
      created: c.created,
      permalink: c.permalink,
      text: flickrPlainText(c.text)
    })),
    pageUrl: pageUrlOf(p),
    originalPath: p.file_path
  }
}

/** The sidecar records of `ids` (at most SIDECAR_BATCH; ids the archive lacks are left out), in id order. */
export const loadSidecarBatch = Effect.fn("SidecarRecord.loadBatch")(function*(ids: ReadonlyArray<string>) {
  if (ids.length === 0) return []
  const repository = yield* SidecarRepository
  const [photos, albums, steps, tags, notes, comments] = yield* Effect.all([
    repository.photos(ids),
    repository.albums(ids),
    repository.collections(ids),
    repository.tags(ids),
    repository.notes(ids),
    repository.comments(ids)
  ])
  const rows: BatchRows = { albums: groupBy(albums), steps, tags: groupBy(tags), notes: groupBy(notes), comments: groupBy(comments) }
  return photos.map((p) => recordOf(p, rows))
})

/** The sidecar records of any number of `ids`, read SIDECAR_BATCH at a time. */
export const loadSidecarRecords = (ids: ReadonlyArray<string>) =>
  Effect.forEach(
    Array.from({ length: Math.ceil(ids.length / SIDECAR_BATCH) }, (_, i) => ids.slice(i * SIDECAR_BATCH, (i + 1) * SIDECAR_BATCH)),
    loadSidecarBatch
  ).pipe(Effect.map((batches) => batches.flat()))

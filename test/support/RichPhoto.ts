// A photo with everything the archive can hold about it, written through fbk's own repositories
// (photo 1001: two versions of its record, details, comments, people, EXIF, albums in nested
// collections, a file and a disk copy; photo 1002 bare), with hostile text from every author.
import { Effect, Layer } from "effect"
import type { PhotoInfo } from "../../src/schema/Details.js"
import { photoRowFromItem } from "../../src/schema/Photo.js"
import { AlbumRepository } from "../../src/services/database/AlbumRepository.js"
import { DetailsRepository } from "../../src/services/database/DetailsRepository.js"
import { DiskFileRepository } from "../../src/services/database/DiskFileRepository.js"
import { FileRepository } from "../../src/services/database/FileRepository.js"
import { PhotoPageRepository } from "../../src/services/database/PhotoPageRepository.js"
import { PhotoRepository } from "../../src/services/database/PhotoRepository.js"
import { SearchIndex } from "../../src/services/database/SearchIndex.js"
import { SyncRunRepository } from "../../src/services/database/SyncRunRepository.js"
import { ViewerRepository } from "../../src/services/database/ViewerRepository.js"

export const SCRIPT = "<script>alert('x')</script>"
export const IMG = "<img src=x onerror=alert(1)>"
export const JS_LINK = "<a href=\"javascript:alert(2)\">click</a>"
export const IFRAME = "<iframe src=\"https://evil.example/\"></iframe>"
export const HOSTILE = `${SCRIPT}${IMG}${JS_LINK}${IFRAME}`

export const item = (overrides: Record<string, unknown>) => ({
  id: "1001",
  owner: "12037949754@N01",
  pathalias: "me",
  title: `Cape ${SCRIPT} Town`,
  description: `<b>Bold</b> and <a href="https://example.com/">a link</a> ${HOSTILE}`,
  ispublic: 0,
  isfriend: 1,
  isfamily: 1,
  license: "4",
  datetaken: "2006-03-14 09:26:53",
  datetakengranularity: "4",
  datetakenunknown: "0",
  dateupload: "1142330000",
  lastupdate: "1000",
  o_width: "1000",
  o_height: "750",
  views: "42",
  count_faves: "3",
  count_comments: "2",
  tags: "sanfrancisco capetown",
  machine_tags: "geo:lat=1",
  latitude: -33.92, longitude: 18.42, accuracy: "16",
  media: "photo",
  ...overrides
})

export const info: PhotoInfo = {
  details: {
    photo_id: "1001", last_update: 2000, safety_level: 1, count_comments: 2, views: 50, has_people: 1, neighbourhood: null,
    locality: "Cape Town", county: null, region: `Western ${SCRIPT} Cape`, country: "South Africa", photopage_url: null, raw: "{}"
  },
  notes: [
    { note_id: "n1", author: "a@N01", author_name: `Ann ${IMG}`, x: 250, y: 125, w: 50, h: 25, text: `Table Mountain ${HOSTILE}` },
    { note_id: "n2", author: "a@N01", author_name: null, x: null, y: null, w: null, h: null, text: "no box" }
  ],
  tags: [
    { tag_id: "t1", tag: "sanfrancisco", raw: "San Francisco", author: "a", author_name: "A", machine_tag: 0 },
    { tag_id: "t2", tag: "capetown", raw: `Cape ${SCRIPT}`, author: "a", author_name: "A", machine_tag: 0 },
    { tag_id: "t3", tag: "geo:lat=1", raw: "geo:lat=1", author: "a", author_name: "A", machine_tag: 1 }
  ]
}

const queued = { id: "1001", last_update: 2000, media: "photo", original: "s", exif_for: null, comments_read_for: null, original_file: null }

/** The repositories the photo is written and read through. */
export const layers = Layer.mergeAll(
  ViewerRepository.Default,
  PhotoPageRepository.Default,
  SearchIndex.Default,
  DetailsRepository.Default,
  AlbumRepository.Default,
  FileRepository.Default,
  DiskFileRepository.Default
)

const album = (id: string, title: string) => ({
  id, title, description: null, primary_photo_id: null, photos: 1, videos: 0, count_views: 0, count_comments: 0,
  created_at: 1, updated_at: 5, raw: "{}"
})

/** Photo 1001 with everything: two versions of its record, details, comments, people, EXIF, albums in nested collections, a file and a disk copy. */
export const richPhoto = Effect.gen(function*() {
  const runs = yield* SyncRunRepository
  const photos = yield* PhotoRepository
  const run = yield* runs.start("backup", 1_000)
  yield* photos.upsertBatch([photoRowFromItem(item({ title: "Old title", license: "0", lastupdate: "900" }))!], run, 1_000)
  yield* photos.upsertBatch([photoRowFromItem(item({}))!, photoRowFromItem(item({ id: "1002", title: "Plain", description: "", tags: "", machine_tags: "", latitude: 0, longitude: 0, accuracy: 0 }))!], run, 2_000)
  const details = yield* DetailsRepository
  yield* details.store(queued, info, 2_000)
  yield* details.storeComments(queued, [
    {
      comment_id: "c1", author: "12345@N03", author_name: `Mallory ${IMG}`, created: 1_400_000_000,
      permalink: "https://www.flickr.com/photos/me/1001/#comment1", text: `Nice! ${HOSTILE}`, raw: "{}"
    },
    { comment_id: "c2", author: "javascript:alert(3)", author_name: "Eve", created: 1_400_000_100, permalink: "javascript:alert(4)", text: "Hi", raw: "{}" }
  ], 2, 2_000)
  yield* details.storePeople(queued, [
    { nsid: "999@N00", username: "bob", realname: `Bob ${SCRIPT}`, path_alias: null, added_by: null, x: null, y: null, w: null, h: null, raw: "{}" }
  ], 2_000)
  yield* details.storeExif(queued, [
    { tagspace: "IFD0", tag: "Make", label: "Make", raw: "Canon", clean: null },
    { tagspace: "IFD0", tag: "Model", label: "Model", raw: "Canon EOS 5D Mark II", clean: null },
    { tagspace: "ExifIFD", tag: "ExposureTime", label: "Exposure", raw: "0.004", clean: "1/250 sec" },
    { tagspace: "ExifIFD", tag: "FNumber", label: "Aperture", raw: "8.0", clean: "f/8.0" },
    { tagspace: "ExifIFD", tag: "ISO", label: "ISO Speed", raw: "100", clean: null },
    { tagspace: "ExifIFD", tag: "FocalLength", label: "Focal Length", raw: "24", clean: "24 mm" },
    { tagspace: "ExifIFD", tag: "UserComment", label: "User Comment", raw: SCRIPT, clean: null }
  ], 2_000, "flickr")
  const albums = yield* AlbumRepository
  yield* albums.upsertAlbumPage([album("a1", "Cape Town 2006"), album("a2", `Evil ${SCRIPT}`)], run, 2_000)
  yield* albums.replaceMembers({ id: "a1", updated_at: 5 }, [{ photo_id: "1001", is_primary: 1 }], 2_000)
  yield* albums.replaceMembers({ id: "a2", updated_at: 5 }, [{ photo_id: "1001", is_primary: 0 }], 2_000)
  const collection = (id: string, parent: string | null, title: string) => ({
    id, parent_id: parent, position: 0, title, description: null, icon_large: null, icon_small: null, raw: "{}"
  })
  yield* albums.replaceCollections({
    collections: [collection("c1", null, "Travel"), collection("c2", "c1", "Africa"), collection("c3", null, `Bad ${SCRIPT}`)],
    albums: [{ collection_id: "c2", album_id: "a1", position: 0 }, { collection_id: "c3", album_id: "a1", position: 0 }]
  }, run, 2_000)
  const files = yield* FileRepository
  yield* files.setDestination("/store", 1_000)
  yield* files.record({
    photoId: "1001", role: "original", path: "2006/03/1001_o.jpg", bytes: 3_456_789, sha256: "ab".repeat(32), sourceUrl: "u", forSecret: "s",
    notOriginalReason: null
  }, 2_000)
  const disk = yield* DiskFileRepository
  yield* disk.saveRead([{ path: "/home/me/Pictures/IMG_1.jpg", size: 3_456_789, mtimeMs: 1, sha256: "ab".repeat(32), facts: null, problem: null }], 1, 2_000)
  yield* disk.saveMatches([{ path: "/home/me/Pictures/IMG_1.jpg", result: { kind: "linked", photoId: "1001", method: "sha256", agreed: "sha256" } }], 2_000)
})

// The viewer benchmark's homes: a database of N generated photos written through fbk's own
// repositories, as a backup and a details run would write it, so every index and trigger is real.
//
// How the data is made: Flickr-shaped items (people.getPhotos list items with fbk's extras,
// photosets.getList items, a collections.getTree tree, getInfo answers and comment rows) are
// generated from a seed and decoded by fbk's own decoders (photoRowFromItem, albumRowFromItem,
// flattenCollectionTree, photoInfoFromNode), then stored by a backup run (SyncRun.storePage,
// which is PhotoRepository.upsertBatch plus the search index), AlbumRepository and
// DetailsRepository. No files: the viewer's pages are what is timed, not thumbnails.
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Option } from "effect"
import * as Layers from "../src/Layers.js"
import { beginRun } from "../src/programs/sync/SyncRun.js"
import { albumRowFromItem, flattenCollectionTree } from "../src/schema/Album.js"
import type { CommentRow } from "../src/schema/Details.js"
import { photoInfoFromNode } from "../src/schema/Details.js"
import type { Node } from "../src/schema/Nodes.js"
import { photoRowFromItem, type PhotoRow } from "../src/schema/Photo.js"
import { AlbumRepository } from "../src/services/database/AlbumRepository.js"
import * as Database from "../src/services/database/Database.js"
import { DetailsRepository } from "../src/services/database/DetailsRepository.js"
import { CallBudget } from "../src/services/flickr/CallBudget.js"
import { Random } from "../src/simulator/Random.js"

/** The share of photos with a location, with details (notes, comments) read, of videos. */
const GEOTAGGED = 0.3
const WITH_DETAILS = 0.05
const VIDEOS = 0.04
const PAGE = 500
/** Fifteen years of photos, ending here (2025-10-01 UTC). */
const END = 1_759_276_800
const SPAN = Math.round(15 * 365.25 * 86_400)
const OWNER = "12345678@N00"

const SUBJECTS = [
  "sunset", "harbour", "bridge", "cathedral", "market", "lighthouse", "mountain", "lake", "river", "forest", "beach",
  "street", "portrait", "garden", "train", "station", "tram", "castle", "museum", "festival", "concert", "wedding",
  "birthday", "cat", "dog", "horse", "bird", "flowers", "tree", "snow", "rain", "fog", "clouds", "night", "skyline",
  "tower", "church", "square", "park", "boat", "ferry", "island", "desert", "waterfall", "glacier", "volcano", "cafe",
  "dinner", "breakfast", "kitchen"
]
const PLACES = [
  "paris", "london", "tokyo", "kyoto", "berlin", "munich", "vienna", "prague", "rome", "venice", "lisbon", "porto",
  "madrid", "barcelona", "reykjavik", "oslo", "stockholm", "helsinki", "copenhagen", "amsterdam", "brussels", "dublin",
  "edinburgh", "glasgow", "newyork", "boston", "chicago", "seattle", "sanfrancisco", "losangeles", "vancouver",
  "montreal", "mexico", "lima", "santiago", "buenosaires", "rio", "capetown", "nairobi", "cairo", "istanbul", "athens",
  "sydney", "melbourne", "auckland", "singapore", "bangkok", "hanoi", "seoul", "beijing"
]
const MOODS = ["golden", "blue", "misty", "quiet", "busy", "old", "new", "early", "late", "winter", "summer", "autumn", "spring"]
const CITY_POINTS: ReadonlyArray<readonly [number, number]> = [
  [48.8566, 2.3522], [51.5072, -0.1276], [35.6762, 139.6503], [64.1466, -21.9426], [40.7128, -74.006],
  [37.7749, -122.4194], [-33.8688, 151.2093], [-22.9068, -43.1729], [52.52, 13.405], [41.9028, 12.4964]
]

/** Every tag the homes use: subjects, places, and places joined with subjects (thousands at 100,000 photos). */
const tagVocabulary = (photos: number): ReadonlyArray<string> => {
  const all = [...SUBJECTS, ...PLACES, ...MOODS]
  for (const place of PLACES) for (const subject of SUBJECTS) all.push(`${place}${subject}`)
  // About one tag for every 25 photos, so /tags lists thousands at 100,000 and hundreds at 1,000.
  return all.slice(0, Math.max(100, Math.min(all.length, Math.round(photos / 25))))
}

/** A tag drawn so that the first ones are common and the last ones rare (Zipf-like). */
const drawTag = (random: Random, tags: ReadonlyArray<string>) => tags[Math.floor(tags.length * random.next() ** 3)]!

const pad = (n: number) => String(n).padStart(2, "0")
const takenText = (seconds: number) => {
  const d = new Date(seconds * 1000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

const title = (random: Random, i: number) => {
  const roll = random.next()
  if (roll < 0.08) return ""
  if (roll < 0.3) return `IMG_${String(i % 10_000).padStart(4, "0")}`
  const words = `${random.pick(MOODS)} ${random.pick(SUBJECTS)} in ${random.pick(PLACES)}`
  return roll < 0.4 ? `${words} &amp; friends` : words.charAt(0).toUpperCase() + words.slice(1)
}

const description = (random: Random) => {
  const roll = random.next()
  if (roll < 0.5) return ""
  if (roll < 0.8) return `Walking around ${random.pick(PLACES)} with the ${random.pick(SUBJECTS)} in view.`
  return `Shot for the <a href="http://www.example.org/52weeks/" rel="nofollow">52 weeks project</a>, <b>${random.pick(MOODS)}</b> light.\n\nMore soon.`
}

/** Photo `i` of the home as people.getPhotos lists it (ids rise with upload time, as on Flickr). */
const listItem = (random: Random, i: number, total: number, tags: ReadonlyArray<string>): Node => {
  const upload = END - SPAN + Math.floor(SPAN * ((i + random.next()) / total))
  const taken = upload - random.int(0, random.chance(0.9) ? 5 * 86_400 : 3 * 365 * 86_400)
  const video = random.chance(VIDEOS)
  const own = new Set<string>()
  for (let k = random.chance(0.2) ? 0 : random.int(1, 8); k > 0; k--) own.add(drawTag(random, tags))
  const point = random.chance(GEOTAGGED) ? random.pick(CITY_POINTS) : undefined
  const [width, height] = random.pick(video ? [[1920, 1080], [1080, 1920]] : [[6000, 4000], [4000, 6000], [4032, 3024], [2448, 2448]])
  return {
    id: String(40_000_000_000 + i * 37),
    owner: OWNER,
    secret: "0123456789",
    server: "65535",
    farm: 66,
    title: title(random, i),
    ispublic: 1,
    isfriend: 0,
    isfamily: 0,
    description: { _content: description(random) },
    license: "0",
    dateupload: String(upload),
    lastupdate: String(upload + random.int(0, 900)),
    datetaken: takenText(taken),
    datetakengranularity: 0,
    datetakenunknown: random.chance(0.02) ? "1" : "0",
    ownername: "Bench",
    views: String(random.int(0, 5000)),
    tags: [...own].join(" "),
    machine_tags: "",
    originalsecret: "abcdef0123",
    originalformat: "jpg",
    latitude: point === undefined ? 0 : point[0] + (random.next() - 0.5) * 0.2,
    longitude: point === undefined ? 0 : point[1] + (random.next() - 0.5) * 0.2,
    accuracy: point === undefined ? 0 : 16,
    context: 0,
    ...(point === undefined ? {} : { place_id: "EsIQUYZXU79_kEA", woeid: "615702" }),
    media: video ? "video" : "photo",
    media_status: "ready",
    pathalias: "bench",
    o_width: String(width),
    o_height: String(height),
    count_faves: "0",
    count_comments: "0"
  }
}

/** getInfo's answer for a photo with details: its tags with ids and authors, and notes on some. */
const infoNode = (random: Random, row: PhotoRow, commentCount: number): Node => ({
  id: row.id,
  dates: { lastupdate: String(row.last_update) },
  safety_level: "0",
  comments: { _content: String(commentCount) },
  views: String(row.views),
  people: { haspeople: 0 },
  location: row.latitude === null ? {} : { locality: { _content: "Paris" }, country: { _content: "France" } },
  notes: {
    note: random.chance(0.5)
      ? [{ id: `7215${row.id}`, author: OWNER, authorname: "Bench", x: "10", y: "10", w: "50", h: "50", _content: `A ${random.pick(SUBJECTS)} here` }]
      : []
  },
  tags: {
    tag: row.tags.split(" ").filter((t) => t !== "").map((tag, k) => ({
      id: `${row.id}-${k}`, author: OWNER, authorname: "Bench", raw: tag, _content: tag, machine_tag: 0
    }))
  },
  urls: { url: [{ type: "photopage", _content: `https://www.flickr.com/photos/bench/${row.id}/` }] }
})

const comments = (random: Random, row: PhotoRow): ReadonlyArray<CommentRow> =>
  Array.from({ length: random.int(1, 4) }, (_, k) => ({
    comment_id: `${row.id}-c${k}`,
    author: "99999999@N00",
    author_name: "A friend",
    created: (row.date_uploaded ?? END) + 3600 * (k + 1),
    permalink: null,
    text: `Lovely ${random.pick(SUBJECTS)}! <a href="https://example.org/">see mine</a>`,
    raw: "{}"
  }))

/**
 * The albums: one of `bigAlbum` photos (one in twenty, but at least two pages of the viewer's, so
 * its first page is as full at 1,000 photos as at 100,000), then smaller ones, each a run of
 * photos near in time, as albums of trips are.
 */
const albumPlan = (photos: number) => {
  const bigAlbum = Math.min(photos, Math.max(250, Math.round(photos / 20)))
  const others = Math.max(5, Math.round(photos / 300))
  return { bigAlbum, others }
}

export interface ViewerHome {
  readonly photos: number
  readonly bigAlbumId: string
  readonly bigAlbumSize: number
  readonly albums: number
  readonly tags: ReadonlyArray<string>
}

/** Makes the home's database in `home` (which must not hold one yet). */
export const makeViewerHome = (home: string, photos: number) => {
  const random = new Random(20_261_207 + photos)
  const tags = tagVocabulary(photos)
  const program = Effect.gen(function*() {
    const run = yield* beginRun("backup")
    const rows: Array<PhotoRow> = []
    let page: Array<PhotoRow> = []
    for (let i = 0; i < photos; i++) {
      const row = photoRowFromItem(listItem(random, i, photos, tags))!
      page.push(row)
      rows.push(row)
      if (page.length === PAGE || i === photos - 1) {
        yield* run.storePage(page, null)
        page = []
      }
    }
    const now = Math.floor(Date.now() / 1000)

    const albums = yield* AlbumRepository
    const plan = albumPlan(photos)
    const memberLists: Array<ReadonlyArray<PhotoRow>> = []
    // The big album: photos spread evenly over the years (a "best of"); the others: runs of 5 to 400 photos.
    memberLists.push(Array.from({ length: plan.bigAlbum }, (_, k) => rows[Math.floor((k * photos) / plan.bigAlbum)]!))
    for (let a = 0; a < plan.others; a++) {
      const length = random.int(5, Math.min(400, Math.max(5, Math.round(photos / 10))))
      const start = random.int(0, photos - length)
      memberLists.push(rows.slice(start, start + length))
    }
    const albumItems = memberLists.map((members, a) => ({
      id: `72157700${String(a).padStart(9, "0")}`,
      primary: members[0]!.id,
      secret: "0123456789",
      server: "65535",
      farm: 66,
      photos: members.length,
      videos: 0,
      title: { _content: a === 0 ? "The best of fifteen years" : `${random.pick(PLACES)} ${random.pick(MOODS)} ${a}` },
      description: { _content: a === 0 ? "Over the years, <i>the ones I like</i>." : "" },
      count_views: "0",
      count_comments: "0",
      date_create: String(END - a * 86_400),
      date_update: String(END - a * 3_600)
    }))
    const albumRows = albumItems.map((item) => albumRowFromItem(item)!)
    for (let i = 0; i < albumRows.length; i += PAGE) yield* albums.upsertAlbumPage(albumRows.slice(i, i + PAGE), run.id, now)
    for (const [a, members] of memberLists.entries()) {
      yield* albums.replaceMembers(
        { id: albumRows[a]!.id, updated_at: albumRows[a]!.updated_at },
        members.map((m, k) => ({ photo_id: m.id, is_primary: k === 0 ? 1 : 0 })),
        now
      )
    }
    // Collections: one per ten albums, nested two deep under one per hundred.
    const groups = Array.from({ length: Math.ceil(albumRows.length / 100) }, (_, g) => ({
      id: `12345678-7215770000000${g}`,
      title: `Years ${g}`,
      description: "",
      collection: Array.from({ length: Math.min(10, Math.ceil((albumRows.length - g * 100) / 10)) }, (_, c) => ({
        id: `12345678-72157700000${g}${c}`,
        title: `Trips ${g}.${c}`,
        description: "",
        set: albumRows.slice(g * 100 + c * 10, g * 100 + c * 10 + 10).map((album) => ({ id: album.id, title: album.title }))
      }))
    }))
    const tree = flattenCollectionTree(groups)
    if (typeof tree === "string") return yield* Effect.die(tree)
    yield* albums.replaceCollections(tree, run.id, now)

    // Details (tags with authors, notes on half, comments) on some photos, one transaction each, as `fbk details` stores them.
    const details = yield* DetailsRepository
    for (const row of rows) {
      if (!random.chance(WITH_DETAILS)) continue
      const said = comments(random, row)
      const info = photoInfoFromNode(infoNode(random, row, said.length))
      if (typeof info === "string") return yield* Effect.die(info)
      const queued = {
        id: row.id, last_update: row.last_update, media: row.media, original: "abcdef0123", exif_for: null,
        comments_read_for: null, original_file: null
      }
      yield* details.transaction(Effect.gen(function*() {
        yield* details.store(queued, info, now)
        yield* details.storeComments(queued, said, said.length, now)
        yield* details.reindex(queued)
      }))
    }
    yield* run.finish("succeeded", null)
    return {
      photos,
      bigAlbumId: albumRows[0]!.id,
      bigAlbumSize: memberLists[0]!.length,
      albums: albumRows.length,
      tags
    } satisfies ViewerHome
  })
  const layer = Layer.merge(Layers.repositoriesOn(Database.layer({ create: true })), CallBudget.Default).pipe(
    Layer.provideMerge(Layers.base({ home: Option.some(home), db: Option.none(), quiet: true })),
    Layer.provideMerge(NodeContext.layer)
  )
  return Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)))
}

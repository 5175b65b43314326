// The simulated Flickr account: photos generated from a seed, kept as compact records, plus the
// mutations tests use to move the photostream under a client (upload, edit, delete, restore).

import type { DetailEdits } from "./Details.js"
import { hash32, hex10, Random } from "./Random.js"

export interface Owner {
  readonly nsid: string
  readonly username: string
  readonly fullname: string
  readonly pathAlias: string
}

export interface Location {
  readonly latitude: number
  readonly longitude: number
  readonly accuracy: number
  readonly context: number
  readonly placeId: string
  readonly woeid: string
}

export type Media = "photo" | "video"

/** Bits of `PhotoContent.visibility`. Private photos have none. */
export const PUBLIC = 1
export const FRIEND = 2
export const FAMILY = 4

/**
 * What is stored per photo: ids, dates, counters and a seed. Everything fixed about the photo
 * derives from the seed on demand (`contentOf`), a page at a time: strings made for every photo
 * at start would cost far more in garbage collection.
 */
export interface PhotoRecord {
  readonly id: string
  readonly idNum: number
  readonly seed: number
  /** The upload second the photo was generated with: the date taken derives from it. */
  readonly uploadedAt: number
  /** Older photos: listings omit `datetakenunknown` for them, as older responses did. */
  readonly legacy: boolean
  /** The last update the photo was generated with: generated comments date no later than it. */
  readonly updatedAt: number
  dateUpload: number
  lastUpdate: number
  views: number
  revision: number
  /** How many times the photo's file was replaced: each replacement brings new secrets and new bytes. */
  replaced: number
  deleted: boolean
  edited: EditedText | undefined
  /** Notes, comments and people changed through the simulator; undefined while only generated (see Details). */
  details: DetailEdits | undefined
}

export interface EditedText {
  readonly title: string
  readonly description: string
  readonly tags: string
}

/** A photo's fixed content. Text is exactly as Flickr stores it (entities and markup included). */
export interface PhotoContent {
  readonly secret: string
  readonly originalSecret: string
  readonly server: number
  readonly farm: number
  readonly originalFormat: string
  readonly width: number
  readonly height: number
  readonly media: Media
  readonly visibility: number
  readonly license: number
  /** The camera's wall clock as unix seconds read in UTC; formatted without zone. */
  readonly taken: number
  readonly takenGranularity: 0 | 4 | 6
  readonly takenUnknown: boolean
  readonly location: Location | undefined
  /** Random bits fixed per photo: which numeric fields travel as strings, and similar quirks. */
  readonly drift: number
  readonly title: string
  readonly description: string
  readonly tags: string
  readonly machineTags: string
  readonly faves: number
  readonly comments: number
}

/** The generated stream ends here (2025-10-01 UTC), fixed so a seed always gives the same account. */
export const ACCOUNT_END = 1_759_276_800
const SPAN_SECONDS = Math.round(15 * 365.25 * 86_400)
/** Flickr hands out roughly this many ids per second across all users. */
const IDS_PER_SECOND = 100

const PLAIN_TITLES = [
  "Sunset over the harbour", "Morning fog", "Old town", "Street market", "Bridge at night",
  "Lighthouse", "Snowy path", "Grandma's garden", "Train station", "Cathedral", "Beach walk",
  "Mountain lake", "Night lights", "Rainy day", "Autumn leaves", "Birthday party", "The cat",
  "Untitled", "Hike to the ridge", "View from the hotel", "Reflections", "Blue hour"
] as const

const UNICODE_TITLES = [
  "Café de Flore", "Crème brûlée", "Straße in München", "São Paulo à noite", "Zürich, Seebrücke",
  "Ελληνικό νησί", "Москва зимой", "東京タワー", "京都の紅葉", "서울 야경", "北京胡同",
  "🌅 Golden hour", "🐈 Mr. Whiskers", "Birthday 🎂🎉", "Ñandú en el zoológico", "Łódź nocą",
  "İstanbul'da akşam", "नमस्ते भारत", "مرحبا بالعالم", "שלום ירושלים", "Tromsø — nordlys ✨"
] as const

const MARKUP_TITLES = [
  "Tom &amp; Jerry", "&quot;The view&quot;", "Fish & Chips", "5 < 6 > 4", "Back\\slash",
  "He said \"hi\"", "before/after", "AC/DC live", "<b>not bold</b>", "It's 100% real"
] as const

const PLAIN_DESCRIPTIONS = [
  "Taken on the way home.", "One of my favourites from this trip.",
  "First line\nSecond line\n\nThird paragraph.", "Shot with a 50mm lens, handheld.",
  "No edits, straight out of camera."
] as const

const ENTITY_DESCRIPTIONS = [
  "&quot;Best&quot; view of the bay &amp; the hills", "<b>Bold</b> and <i>italic</i> text",
  "Ratio 3 &lt; 4 &gt; 2 and a stray & ampersand", "Tabs\tand \"quotes\" and back\\slashes",
  "Path C:/Users/demo/Pictures and http://example.com/a/b?c=d&e=f"
] as const

const UNICODE_DESCRIPTIONS = [
  "Über den Wolken — 雲の上 ☁️", "Très joli, n'est-ce pas ? 🇫🇷", "Фото сделано летом.",
  "🍣🍜 Dinner in 大阪", "Mañana será otro día. ¡Olé!", "Ελλάδα, καλοκαίρι 2014"
] as const

const TAG_WORDS = [
  "sunset", "blackandwhite", "bw", "iceland", "reykjavik", "sanfrancisco", "california", "usa",
  "street", "portrait", "landscape", "nature", "city", "night", "snow", "beach", "sea", "sky",
  "clouds", "family", "cat", "dog", "food", "travel", "architecture", "bridge", "train", "flowers",
  "macro", "canon", "nikon", "iphone", "film", "35mm", "2014challenge", "café", "東京", "münchen",
  "paris", "london", "tokyo", "winter", "summer", "autumn", "spring", "red", "blue", "green"
] as const

const MACHINE_TAGS = [
  "camera:make=canon", "camera:make=nikon", "exif:iso=200", "exif:iso=3200", "dc:creator=demo",
  "upload:by=fbk", "geo:country=iceland", "taxonomy:binomial=felis_catus", "flickr:project=365",
  "lastfm:event=1234567"
] as const

interface City {
  readonly latitude: number
  readonly longitude: number
  readonly placeId: string
  readonly woeid: string
}

const CITIES: ReadonlyArray<City> = [
  { latitude: 37.790613, longitude: -122.390412, placeId: ".rHY.25UV7LvEh6sUg", woeid: "55862610" },
  { latitude: 64.146582, longitude: -21.942635, placeId: "Fg5Ls5NTUb5bGm4V", woeid: "973252" },
  { latitude: 48.856613, longitude: 2.352222, placeId: "EsIQUYZXU79_kEA", woeid: "615702" },
  { latitude: 35.676192, longitude: 139.650311, placeId: "3tEh4u9TUb6RKA", woeid: "1118370" },
  { latitude: -33.86882, longitude: 151.209296, placeId: "0Yd9bjpTUbJvL3Sg", woeid: "1105779" },
  { latitude: 42.358677, longitude: -83.06507, placeId: "aVNko2JTW7gYKVDk.A", woeid: "29229848" },
  { latitude: -22.906847, longitude: -43.172896, placeId: "9sxnqMhTVr.ftg", woeid: "455825" }
]

const PHOTO_DIMENSIONS: ReadonlyArray<readonly [number, number]> = [
  [6000, 4000], [4000, 6000], [5472, 3648], [3264, 2448], [4032, 3024], [3024, 4032],
  [1600, 1200], [2048, 1536], [5553, 3702], [2448, 2448], [8256, 5504], [640, 480]
]
const VIDEO_DIMENSIONS: ReadonlyArray<readonly [number, number]> = [[1920, 1080], [1280, 720], [3840, 2160], [1080, 1920]]

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

const cameraTitle = (random: Random, taken: number): string => {
  switch (random.int(0, 3)) {
    case 0:
      return `IMG_${pad(random.int(1, 9999), 4)}`
    case 1:
      return `DSC${pad(random.int(1, 99999), 5)}`
    case 2:
      return `P${pad(random.int(1000000, 9999999), 7)}`
    default: {
      const iso = new Date(taken * 1000).toISOString()
      return `${iso.slice(0, 10).replaceAll("-", "")}_${iso.slice(11, 19).replaceAll(":", "")}`
    }
  }
}

const makeTitle = (random: Random, taken: number): string => {
  const r = random.next()
  if (r < 0.07) return ""
  if (r < 0.3) return cameraTitle(random, taken)
  if (r < 0.52) return random.pick(PLAIN_TITLES)
  if (r < 0.66) return `${random.pick(PLAIN_TITLES)} ${random.int(2, 99)}`
  if (r < 0.88) return random.pick(UNICODE_TITLES)
  return random.pick(MARKUP_TITLES)
}

const makeDescription = (random: Random): string => {
  const r = random.next()
  if (r < 0.45) return ""
  if (r < 0.62) return random.pick(PLAIN_DESCRIPTIONS)
  if (r < 0.76) {
    const week = random.int(1, 52)
    return `Shot for the <a href="http://www.example.org/52weeks/${week}/" rel="nofollow">52 weeks project</a>, week ${week}/52.`
  }
  if (r < 0.88) return random.pick(ENTITY_DESCRIPTIONS)
  return random.pick(UNICODE_DESCRIPTIONS)
}

const makeTags = (random: Random): { readonly tags: string; readonly machineTags: string } => {
  // Arrays joined rather than strings appended: join gives one flat string, appends a chain of pieces.
  const tags: Array<string> = []
  if (!random.chance(0.25)) {
    const count = random.int(1, 8)
    for (let i = 0; i < count; i++) {
      const tag = random.pick(TAG_WORDS)
      if (!tags.includes(tag)) tags.push(tag)
    }
  }
  const machine: Array<string> = []
  if (random.chance(0.1)) {
    machine.push(random.pick(MACHINE_TAGS))
    const second = random.pick(MACHINE_TAGS)
    if (random.chance(0.3) && second !== machine[0]) machine.push(second)
  }
  // Flickr lists machine tags among the tags too.
  return { tags: tags.concat(machine).join(" "), machineTags: machine.join(" ") }
}

const makeVisibility = (random: Random): number => {
  const r = random.next()
  if (r < 0.7) return PUBLIC
  if (r < 0.78) return FRIEND
  if (r < 0.85) return FAMILY
  if (r < 0.9) return FRIEND | FAMILY
  return 0
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6

const makeLocation = (random: Random): Location | undefined => {
  if (!random.chance(0.3)) return undefined
  const city = random.pick(CITIES)
  const r = random.next()
  return {
    latitude: round6(city.latitude + (random.next() - 0.5) * 0.1),
    longitude: round6(city.longitude + (random.next() - 0.5) * 0.1),
    accuracy: random.pick([16, 16, 16, 16, 15, 14, 13, 11, 6, 3]),
    context: r < 0.7 ? 0 : r < 0.85 ? 1 : 2,
    placeId: city.placeId,
    woeid: city.woeid
  }
}

const makeViews = (random: Random): number => Math.floor(Math.exp(random.next() * random.next() * 12)) - 1

interface Taken {
  readonly taken: number
  readonly granularity: 0 | 4 | 6
  readonly unknown: boolean
}

const makeTaken = (random: Random, upload: number): Taken => {
  if (random.chance(0.02)) return { taken: upload, granularity: 0, unknown: true }
  // Most photos go up within days of being taken; a few are old scans.
  const back = random.chance(0.88) ? random.int(0, 10 * 86_400) : random.int(0, 20 * 365 * 86_400)
  const zone = random.int(-12, 14) * 3600
  const r = random.next()
  return { taken: (upload - back + zone) | 0, granularity: r < 0.9 ? 0 : r < 0.96 ? 4 : 6, unknown: false }
}

/** The share of videos; the media is the first draw of a photo's seed (see `isVideo`). */
const VIDEO_SHARE = 0.05

/** Whether the photo is a video, without deriving its whole content: albums count members this way. */
export const isVideo = (record: PhotoRecord): boolean => new Random(record.seed).chance(VIDEO_SHARE)

const baseContent = (record: PhotoRecord): PhotoContent => {
  const random = new Random(record.seed)
  const media: Media = random.chance(VIDEO_SHARE) ? "video" : "photo"
  const [width, height] = random.pick(media === "video" ? VIDEO_DIMENSIONS : PHOTO_DIMENSIONS)
  const taken = makeTaken(random, record.uploadedAt)
  const { tags, machineTags } = makeTags(random)
  const formatRoll = random.next()
  return {
    secret: hex10(random.bits32(), random.bits32()),
    originalSecret: hex10(random.bits32(), random.bits32()),
    server: random.int(1000, 65535),
    farm: random.int(1, 9),
    // A video's original listed here is its poster frame; the film itself is a getSizes label.
    originalFormat: media === "video" || formatRoll < 0.9 ? "jpg" : formatRoll < 0.97 ? "png" : "gif",
    width,
    height,
    media,
    visibility: makeVisibility(random),
    license: random.chance(0.5) ? 0 : random.int(1, 10),
    taken: taken.taken,
    takenGranularity: taken.granularity,
    takenUnknown: taken.unknown,
    location: makeLocation(random),
    drift: random.bits32(),
    title: makeTitle(random, taken.taken),
    description: makeDescription(random),
    tags,
    machineTags,
    faves: Math.floor(makeViews(random) * random.next() * 0.03),
    comments: random.chance(0.7) ? 0 : random.int(1, 25)
  }
}

/** A replaced photo's secrets: Flickr gives a new file new URLs, the original's and every size's. */
const replacedSecrets = (record: PhotoRecord): Pick<PhotoContent, "secret" | "originalSecret"> => {
  const key = `${record.id}:${record.replaced}`
  return { secret: hex10(hash32(`secret:${key}`), hash32(key)), originalSecret: hex10(hash32(`original:${key}`), hash32(`o${key}`)) }
}

/** The photo's content as listings show it now, edits and replacements included. */
export const contentOf = (record: PhotoRecord): PhotoContent => {
  const generated = baseContent(record)
  const content = record.replaced === 0 ? generated : { ...generated, ...replacedSecrets(record) }
  const added = record.details?.comments.length ?? 0
  const counted = added === 0 ? content : { ...content, comments: content.comments + added }
  return record.edited === undefined ? counted : { ...counted, ...record.edited }
}

const makeRecord = (random: Random, idNum: number, dateUpload: number, lastUpdate: number, legacy: boolean): PhotoRecord => ({
  id: String(idNum),
  idNum,
  seed: random.bits32(),
  uploadedAt: dateUpload,
  legacy,
  updatedAt: lastUpdate,
  dateUpload,
  lastUpdate,
  views: makeViews(random),
  revision: 0,
  replaced: 0,
  deleted: false,
  edited: undefined,
  details: undefined
})

/** Upload seconds: sessions of photos seconds apart (sometimes in the same second), spread over ~15 years. */
const makeUploadTimes = (random: Random, count: number): Int32Array => {
  // Int32: unix seconds fit until 2038, and int32 values stay unboxed in the records.
  const times = new Int32Array(count)
  let i = 0
  while (i < count) {
    const size = random.chance(0.4) ? 1 : random.int(2, random.chance(0.1) ? 200 : 30)
    let t = ACCOUNT_END - SPAN_SECONDS + Math.floor(random.next() * SPAN_SECONDS)
    for (let k = 0; k < size && i < count; k++) {
      times[i++] = Math.min(t, ACCOUNT_END)
      t += random.chance(0.15) ? 0 : random.int(1, 40)
    }
  }
  return times.sort()
}

const byUploadDescending = (a: PhotoRecord, b: PhotoRecord): number => b.dateUpload - a.dateUpload || b.idNum - a.idNum
const byUpdateDescending = (a: PhotoRecord, b: PhotoRecord): number => b.lastUpdate - a.lastUpdate || b.idNum - a.idNum

/** First index in a descending-sorted list whose key is <= bound (list length if none). */
const firstAtOrBelow = (list: ReadonlyArray<PhotoRecord>, key: (p: PhotoRecord) => number, bound: number): number => {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (key(list[mid] as PhotoRecord) > bound) lo = mid + 1
    else hi = mid
  }
  return lo
}

const uploadKey = (p: PhotoRecord): number => p.dateUpload
const updateKey = (p: PhotoRecord): number => p.lastUpdate

export interface AccountOptions {
  readonly photos: number
  readonly seed: number
  readonly owner: Owner
}

export class Account {
  readonly owner: Owner
  private readonly random: Random
  private readonly records: Array<PhotoRecord> = []
  private readonly byId = new Map<string, PhotoRecord>()
  private lastIdNum: number
  private uploadOrder: Array<PhotoRecord> | undefined
  private updateOrder: Array<PhotoRecord> | undefined
  private editRound = 0
  private removeRound = 0

  constructor(options: AccountOptions) {
    this.owner = options.owner
    this.random = new Random(options.seed)
    const random = this.random
    const count = Math.max(0, Math.floor(options.photos))
    const times = makeUploadTimes(random, count)
    const legacyBelow = Math.floor(count * 0.2)
    let idNum = 4_100_000_000 + random.int(0, 1_000_000)
    for (let i = 0; i < count; i++) {
      const upload = times[i] as number
      if (i > 0) idNum += 1 + Math.floor((upload - (times[i - 1] as number)) * IDS_PER_SECOND * random.next()) + random.int(0, 30)
      // Most photos are touched only around upload; some much later (new tags, a comment...).
      const lastUpdate = random.chance(0.55)
        ? Math.min(ACCOUNT_END, upload + random.int(0, 900)) | 0
        : (upload + Math.floor(random.next() * random.next() * (ACCOUNT_END - upload))) | 0
      this.add(makeRecord(random, idNum, upload, lastUpdate, i < legacyBelow))
    }
    this.lastIdNum = idNum
    // Dates set through the API can be tiny: a year where a timestamp belonged.
    const tiny = [[0.37, 2013], [0.71, 31_536_000]] as const
    tiny.forEach(([at, date], k) => {
      if (count >= (k === 0 ? 10 : 100)) {
        const record = this.records[Math.floor(count * at)] as PhotoRecord
        record.dateUpload = date
      }
    })
  }

  private add(record: PhotoRecord): void {
    this.records.push(record)
    this.byId.set(record.id, record)
  }

  private changed(): void {
    this.uploadOrder = undefined
    this.updateOrder = undefined
  }

  /** A live photo, or undefined when unknown or deleted. */
  get(id: string): PhotoRecord | undefined {
    const record = this.byId.get(id)
    return record === undefined || record.deleted ? undefined : record
  }

  /** Live photos, newest upload first (ties: highest id first), as people.getPhotos lists them. */
  byUpload(): ReadonlyArray<PhotoRecord> {
    if (this.uploadOrder === undefined) {
      this.uploadOrder = this.records.filter((p) => !p.deleted).sort(byUploadDescending)
    }
    return this.uploadOrder
  }

  /** Live photos, most recently updated first, as photos.recentlyUpdated lists them. */
  byUpdate(): ReadonlyArray<PhotoRecord> {
    if (this.updateOrder === undefined) {
      this.updateOrder = this.records.filter((p) => !p.deleted).sort(byUpdateDescending)
    }
    return this.updateOrder
  }

  /** Bounds [start, end) in `byUpload()` of photos uploaded within [min, max], both inclusive. */
  uploadRange(min: number | undefined, max: number | undefined): readonly [number, number] {
    const list = this.byUpload()
    const start = max === undefined ? 0 : firstAtOrBelow(list, uploadKey, max)
    const end = min === undefined ? list.length : firstAtOrBelow(list, uploadKey, min - 1)
    return [start, Math.max(start, end)]
  }

  /** How many of `byUpdate()` (a prefix) were updated at or after `min`. */
  updatedSince(min: number): number {
    return firstAtOrBelow(this.byUpdate(), updateKey, min - 1)
  }

  liveCount(): number {
    return this.byUpload().length
  }

  upload(count: number, now: number): ReadonlyArray<string> {
    const ids: Array<string> = []
    for (let i = 0; i < count; i++) {
      this.lastIdNum += this.random.int(1, 5000)
      const record = makeRecord(this.random, this.lastIdNum, now, now, false)
      this.add(record)
      ids.push(record.id)
    }
    if (count > 0) this.changed()
    return ids
  }

  /** `count` live ids spread evenly across the stream; each round starts at a different offset. */
  private spread(count: number, round: number): ReadonlyArray<string> {
    const list = this.byUpload()
    const n = Math.min(Math.max(0, Math.floor(count)), list.length)
    if (n === 0) return []
    const step = list.length / n
    const offset = Math.floor(((round * 0.618034) % 1) * step)
    const ids: Array<string> = []
    for (let i = 0; i < n; i++) ids.push((list[Math.min(list.length - 1, Math.floor(i * step) + offset)] as PhotoRecord).id)
    return ids
  }

  /** `text` replaces the generated title, description or tags (e.g. hostile markup for the viewer's tests). */
  edit(idsOrCount: ReadonlyArray<string> | number, now: number, text: Partial<EditedText> = {}): ReadonlyArray<string> {
    const ids = typeof idsOrCount === "number" ? this.spread(idsOrCount, this.editRound++) : idsOrCount
    const edited: Array<string> = []
    for (const id of ids) {
      const record = this.get(id)
      if (record === undefined) continue
      record.revision += 1
      const pick = hash32(`${id}:${record.revision}`)
      const base = UNICODE_TITLES[pick % UNICODE_TITLES.length] as string
      const kept = baseContent(record).tags.split(" ").filter((t) => t !== "")
      record.edited = {
        title: `${base} (édité ${record.revision})`,
        description: `Edited ${record.revision}&times; &mdash; see <a href="http://www.example.org/edits/${id}/${record.revision}" rel="nofollow">history</a>.`,
        tags: [...kept, `edited${record.revision}`].join(" "),
        ...text
      }
      record.lastUpdate = Math.max(now, record.lastUpdate)
      edited.push(id)
    }
    if (edited.length > 0) this.changed()
    return edited
  }

  remove(idsOrCount: ReadonlyArray<string> | number): ReadonlyArray<string> {
    const ids = typeof idsOrCount === "number" ? this.spread(idsOrCount, this.removeRound++) : idsOrCount
    const removed: Array<string> = []
    for (const id of ids) {
      const record = this.get(id)
      if (record === undefined) continue
      record.deleted = true
      removed.push(id)
    }
    if (removed.length > 0) this.changed()
    return removed
  }

  restore(ids: ReadonlyArray<string>): ReadonlyArray<string> {
    const restored: Array<string> = []
    for (const id of ids) {
      const record = this.byId.get(id)
      if (record === undefined || !record.deleted) continue
      record.deleted = false
      restored.push(id)
    }
    if (restored.length > 0) this.changed()
    return restored
  }

  /** A change Flickr's recentlyUpdated reports (a comment, a note...): lastupdate becomes now. */
  touch(record: PhotoRecord, now: number): void {
    record.lastUpdate = Math.max(now, record.lastUpdate)
    this.changed()
  }

  /** A new file for the photo (new secrets and bytes); lastupdate becomes now. False when unknown or deleted. */
  replace(id: string, now: number): boolean {
    const record = this.get(id)
    if (record === undefined) return false
    record.replaced += 1
    this.touch(record, now)
    return true
  }

  /** View counts change without touching lastupdate, as on Flickr. */
  setViews(id: string, views: number): boolean {
    const record = this.byId.get(id)
    if (record === undefined) return false
    record.views = Math.max(0, Math.floor(views))
    return true
  }
}

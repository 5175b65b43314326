// A photo's details beyond its list item (notes, tag authors, comments, EXIF, people, place names),
// derived on demand from the photo record, so they cost the same whatever the account's size.

import { contentOf, type Account, type Location, type Owner, type PhotoContent, type PhotoRecord } from "./Account.js"
import { ownerIcon } from "./PhotoItem.js"
import { hash32, Random } from "./Random.js"

/** Where a note or a person sits, in pixels of the photo's 500-pixel display (as Flickr counts). */
export interface Box {
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

export interface NoteRecord {
  /** The 72157... number alone. */
  readonly id: string
  readonly author: string
  readonly box: Box
  readonly text: string
}

export interface CommentRecord {
  /** The 72157... number alone (the API prefixes it with the owner's and the photo's ids). */
  readonly id: string
  readonly author: string
  readonly date: number
  readonly text: string
}

export interface PersonTagRecord {
  readonly nsid: string
  readonly addedBy: string
  readonly box: Box | undefined
}

/** What the mutations changed: a list replaces the generated one; added comments follow the generated ones. */
export interface DetailEdits {
  notes: ReadonlyArray<NoteRecord> | undefined
  readonly comments: Array<CommentRecord>
  people: ReadonlyArray<PersonTagRecord> | undefined
}

/** A Flickr member as notes, tags, comments and people name them. */
export interface Person {
  readonly nsid: string
  readonly username: string
  readonly realname: string
  readonly pathAlias: string | null
  readonly iconServer: string
  readonly iconFarm: number
  /** Flickr's internal user number, which prefixes tag and comment ids. */
  readonly internalId: number
}

const member = (nsid: string, username: string, realname: string, pathAlias: string | null): Person => {
  const h = hash32(nsid)
  return { nsid, username, realname, pathAlias, iconServer: String(1000 + (h % 9000)), iconFarm: 1 + ((h >>> 16) % 9), internalId: 1_000_000 + (h % 150_000_000) }
}

/** Other members who comment, tag, annotate and appear in the owner's photos. */
export const OTHER_MEMBERS: ReadonlyArray<Person> = [
  member("23456789@N02", "mika_k", "Mika Kärkkäinen", "mikak"),
  member("98765432@N05", "Élodie", "Élodie Dubois", null),
  member("11223344@N00", "tanaka", "田中 太郎", "tanaka"),
  member("55667788@N03", "Bob & Co", "", null),
  member("44556677@N07", "sunny☀", "Sunny Day", "sunnyday"),
  member("77889900@N04", "jinx", "Jinx Library", "jinxlib"),
  member("66778899@N06", "ολγα", "Όλγα Π.", "olga")
]

export const ownerPerson = (owner: Owner): Person => {
  const icon = ownerIcon(owner)
  return { ...member(owner.nsid, owner.username, owner.fullname, owner.pathAlias), iconServer: icon.iconServer, iconFarm: icon.iconFarm }
}

/** Known members by nsid; anyone else (named by a mutation) gets a plain generated profile. */
export const personOf = (nsid: string, owner: Owner): Person => {
  if (nsid === owner.nsid) return ownerPerson(owner)
  return OTHER_MEMBERS.find((p) => p.nsid === nsid) ?? member(nsid, `user${hash32(nsid) % 100_000}`, "", null)
}

// Each aspect draws from its own stream so adding one never shifts another.
const NOTES = 0x1f2e3d4c
const COMMENTS = 0x2a3b4c5d
const PEOPLE = 0x3c4d5e6f
const EXIF = 0x4d5e6f70
const stream = (record: PhotoRecord, salt: number): Random => new Random(Math.imul(record.seed ^ salt, 0x27d4eb2d))

/** The photo's size as the 500-pixel display Flickr measures notes and people boxes in. */
export const displaySize = (content: PhotoContent): { readonly width: number; readonly height: number } => {
  const longest = Math.max(content.width, content.height)
  const scale = Math.min(1, 500 / longest)
  return { width: Math.round(content.width * scale), height: Math.round(content.height * scale) }
}

const randomBox = (random: Random, content: PhotoContent): Box => {
  const { width, height } = displaySize(content)
  const w = random.int(10, Math.max(10, Math.floor(width / 3)))
  const h = random.int(10, Math.max(10, Math.floor(height / 3)))
  return { x: random.int(0, Math.max(0, width - w)), y: random.int(0, Math.max(0, height - h)), w, h }
}

// Ids of the 72157... sequence grow with time (anchor as in Albums: 72157644326967779 at 2014-05-19).
const ID_ANCHOR = 644_326_967_779
const ID_ANCHOR_SECONDS = 1_400_476_343
const IDS_PER_SECOND = 250

const sequenceNumber = (date: number): number => ID_ANCHOR + Math.floor((date - ID_ANCHOR_SECONDS) * IDS_PER_SECOND)

export const sequenceId = (date: number, salt: number): string => `72157${String(sequenceNumber(date) + (salt % IDS_PER_SECOND))}`

// ---- notes ----

const NOTE_TEXTS = [
  "Pointy!", "Look at this", "My house", "That's me &amp; my brother", "<b>Here</b> it is", "东京塔",
  "Mein Hund 🐕", "see http://example.com/a/b", "Ce n'est pas une pipe", "\"quoted\" note", "Café ☕"
] as const

const generatedNotes = (record: PhotoRecord, content: PhotoContent, owner: Owner): ReadonlyArray<NoteRecord> => {
  // Flickr has no notes on videos.
  if (content.media === "video") return []
  const random = stream(record, NOTES)
  if (!random.chance(0.08)) return []
  const count = random.int(1, 3)
  const notes: Array<NoteRecord> = []
  for (let i = 0; i < count; i++) {
    const author = random.chance(0.8) ? owner.nsid : random.pick(OTHER_MEMBERS).nsid
    notes.push({ id: sequenceId(record.updatedAt, random.int(0, 10_000) + i), author, box: randomBox(random, content), text: random.pick(NOTE_TEXTS) })
  }
  return notes
}

export const notesOf = (record: PhotoRecord, owner: Owner, content: PhotoContent = contentOf(record)): ReadonlyArray<NoteRecord> =>
  record.details?.notes ?? generatedNotes(record, content, owner)

// ---- tags ----

export interface TagView {
  readonly id: string
  readonly author: Person
  readonly raw: string
  /** The normalized tag: exactly the listing's. */
  readonly normalized: string
  readonly machine: boolean
}

/** Flickr's normalized form of a raw tag: lower case without spaces or punctuation; machine tags keep `:` and `=`. */
export const normalizeTag = (raw: string): string =>
  isMachineTag(raw) ? raw.toLowerCase() : raw.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")

export const isMachineTag = (tag: string): boolean => /^[a-z_][a-z0-9_]*:[a-z0-9_]+=./i.test(tag)

// Raw forms people typed; each normalizes back to its key.
const RAW_FORMS: Readonly<Record<string, ReadonlyArray<string>>> = {
  sanfrancisco: ["San Francisco", "SanFrancisco", "san francisco"],
  blackandwhite: ["Black and White", "black and white", "BlackAndWhite"],
  bw: ["B&W", "BW", "b/w"],
  usa: ["USA", "U.S.A."],
  "2014challenge": ["2014 Challenge", "2014challenge"],
  "35mm": ["35 mm", "35mm"],
  café: ["Café", "café"],
  münchen: ["München"],
  東京: ["東京"],
  reykjavik: ["Reykjavik"],
  iphone: ["iPhone"]
}

const capitalize = (tag: string): string => tag.charAt(0).toUpperCase() + tag.slice(1)

const rawFormOf = (tag: string, pick: number): string => {
  const edited = /^edited(\d+)$/.exec(tag)
  if (edited !== null) return pick % 2 === 0 ? `Edited ${edited[1] as string}` : tag
  if (isMachineTag(tag)) {
    // The value as typed, sometimes capitalized (camera:make=Canon).
    const at = tag.indexOf("=") + 1
    return pick % 3 === 0 ? `${tag.slice(0, at)}${capitalize(tag.slice(at))}` : tag
  }
  const forms = RAW_FORMS[tag]
  if (forms !== undefined && pick % 4 !== 0) return forms[pick % forms.length] as string
  return pick % 3 === 0 ? capitalize(tag) : tag
}

/** The listing's tags (edits included) with their raw forms and authors; each tag's form depends only on the photo and the tag. */
export const tagsOf = (record: PhotoRecord, owner: Owner, content: PhotoContent = contentOf(record)): ReadonlyArray<TagView> => {
  const me = ownerPerson(owner)
  return content.tags
    .split(" ")
    .filter((t) => t !== "")
    .map((tag) => {
      const pick = hash32(`${record.seed}:${tag}`)
      // Most tags are the owner's; now and then a contact added one.
      const author = (pick >>> 8) % 100 < 92 ? me : (OTHER_MEMBERS[(pick >>> 16) % OTHER_MEMBERS.length] as Person)
      return {
        id: `${me.internalId}-${record.id}-${1 + (hash32(tag) % 90_000_000)}`,
        author,
        raw: rawFormOf(tag, pick),
        normalized: tag,
        machine: isMachineTag(tag)
      }
    })
}

// ---- comments ----

const COMMENT_TEXTS = [
  "Great shot!", "Love the colours.", "Wow 😍", "Superbe ! 👏", "素晴らしい写真ですね", "Très belle lumière.",
  "Seen in <a href=\"https://www.flickr.com/groups/bestof/\" rel=\"noreferrer nofollow\">Best of</a>. Please add it!",
  "Tom &amp; Jerry would agree", "Thanks!\n\nSee you next week.", "5 < 6 and \"quoted\" \\ back", "Отличное фото!",
  "http://example.com/a/b?c=d&e=f"
] as const

const generatedComments = (record: PhotoRecord, count: number, owner: Owner): ReadonlyArray<CommentRecord> => {
  if (count === 0) return []
  const random = stream(record, COMMENTS)
  // Comments bump lastupdate, so none is later than the last update the photo was generated with.
  const from = record.uploadedAt
  const to = Math.max(from, record.updatedAt)
  const dates: Array<number> = []
  for (let i = 0; i < count; i++) dates.push(from + Math.floor(random.next() * (to - from + 1)))
  dates.sort((a, b) => a - b)
  return dates.map((date, i) => ({
    id: sequenceId(date, i),
    // The owner answers now and then.
    author: random.chance(0.15) ? owner.nsid : random.pick(OTHER_MEMBERS).nsid,
    date,
    text: random.pick(COMMENT_TEXTS)
  }))
}

/** Every comment, oldest first: the generated ones (as many as the listing's count_comments) then the added ones. */
export const commentsOf = (record: PhotoRecord, owner: Owner, content: PhotoContent = contentOf(record)): ReadonlyArray<CommentRecord> => {
  const added = record.details?.comments ?? []
  const generated = generatedComments(record, content.comments - added.length, owner)
  return added.length === 0 ? generated : [...generated, ...added]
}

// ---- people ----

const generatedPeople = (record: PhotoRecord, content: PhotoContent, owner: Owner): ReadonlyArray<PersonTagRecord> => {
  const random = stream(record, PEOPLE)
  if (!random.chance(0.05)) return []
  const count = random.int(1, 3)
  const candidates = [owner.nsid, ...OTHER_MEMBERS.map((p) => p.nsid)]
  const people: Array<PersonTagRecord> = []
  for (let i = 0; i < count; i++) {
    const nsid = random.pick(candidates)
    if (people.some((p) => p.nsid === nsid)) continue
    const addedBy = random.chance(0.85) ? owner.nsid : nsid
    people.push({ nsid, addedBy, box: random.chance(0.4) ? randomBox(random, content) : undefined })
  }
  return people
}

export const peopleOf = (record: PhotoRecord, owner: Owner, content: PhotoContent = contentOf(record)): ReadonlyArray<PersonTagRecord> =>
  record.details?.people ?? generatedPeople(record, content, owner)

// ---- EXIF ----

export interface ExifEntry {
  readonly tagspace: string
  readonly tag: string
  readonly label: string
  /** A number where Flickr sends one (`{"_content": 72}`). */
  readonly raw: string | number
  readonly clean: string | undefined
}

export interface Exif {
  readonly camera: string
  readonly entries: ReadonlyArray<ExifEntry>
}

export interface Camera {
  readonly make: string
  readonly model: string
  readonly name: string
  readonly software: string | undefined
}

const CAMERAS: ReadonlyArray<Camera> = [
  { make: "Canon", model: "Canon EOS 5D Mark II", name: "Canon EOS 5D Mark II", software: undefined },
  { make: "NIKON CORPORATION", model: "NIKON D750", name: "Nikon D750", software: "Ver.1.10" },
  { make: "Apple", model: "iPhone 12 Pro", name: "Apple iPhone 12 Pro", software: "17.1.2" },
  { make: "FUJIFILM", model: "X-T3", name: "Fujifilm X-T3", software: "Digital Camera X-T3 Ver3.00" },
  { make: "SONY", model: "ILCE-7M3", name: "Sony ILCE-7M3", software: "Adobe Photoshop Lightroom Classic 12.0 (Macintosh)" },
  { make: "OLYMPUS IMAGING CORP.", model: "E-M5", name: "Olympus E-M5", software: undefined }
]
const PHONE: Camera = { make: "Apple", model: "iPhone 12 Pro", name: "Apple iPhone 12 Pro", software: undefined }

/** EXIF's ExposureProgram numbers by the names getExif prints. */
export const EXPOSURE_PROGRAMS = { Manual: 1, "Program AE": 2, "Aperture-priority AE": 3 } as const
export type ExposureProgram = keyof typeof EXPOSURE_PROGRAMS

const EXPOSURES = [[1, 4000], [1, 1000], [1, 250], [1, 60], [1, 15], [1, 2], [2, 1], [30, 1]] as const
const APERTURES = [1.8, 2.8, 4, 5.6, 8, 11, 16] as const
const FOCAL_LENGTHS = [16, 24, 35, 50, 85, 135, 200] as const
const ISOS = [100, 200, 400, 800, 1600, 3200, 6400] as const
const PROGRAMS: ReadonlyArray<ExposureProgram> = ["Aperture-priority AE", "Manual", "Program AE"]

/** How a photo was shot, as its camera wrote it. */
export interface Exposure {
  readonly time: readonly [number, number]
  readonly aperture: number
  readonly focalLength: number
  readonly program: ExposureProgram
  readonly iso: number
  readonly flashFired: boolean
}

/**
 * What a photo's camera recorded: the one source of both getExif's answer and the EXIF inside the
 * original file, so the two always agree.
 */
export interface ExifFacts {
  readonly camera: Camera
  readonly artist: string | undefined
  /** Undefined for videos, which carry only the phone that filmed them. */
  readonly exposure: Exposure | undefined
  /** The camera's wall clock (unix seconds read in UTC); only when the date came from the camera. */
  readonly taken: number | undefined
  /** The camera's SubSecTimeOriginal, when it writes one (bursts within a second). */
  readonly subsec?: string | undefined
  readonly location: Location | undefined
}

/** `2014:05:30 06:31:07`, EXIF's own date format, from the camera's wall clock. */
export const exifDate = (seconds: number): string => {
  const iso = new Date(seconds * 1000).toISOString()
  return `${iso.slice(0, 10).replaceAll("-", ":")} ${iso.slice(11, 19)}`
}

/** Degrees as EXIF stores them (whole degrees, whole minutes, seconds to the hundredth), in getExif's words. */
export const dmsParts = (value: number): readonly [number, number, number] => {
  const abs = Math.abs(value)
  const deg = Math.floor(abs)
  const minutes = (abs - deg) * 60
  const min = Math.floor(minutes)
  return [deg, min, Math.round((minutes - min) * 6000) / 100]
}

const dms = (value: number): string => {
  const [deg, min, sec] = dmsParts(value)
  return `${deg} deg ${min}' ${sec.toFixed(2)}"`
}

/** Whether the owner hid the photo's EXIF: getExif then answers code 2, as for other people's hidden EXIF. */
export const exifHidden = (record: PhotoRecord): boolean => stream(record, EXIF).chance(0.06)

/** The photo's EXIF facts, or undefined when its file has none (screenshots, graphics, scans, most videos). */
export const exifFactsOf = (record: PhotoRecord, owner: Owner, content: PhotoContent = contentOf(record)): ExifFacts | undefined => {
  const random = stream(record, EXIF)
  random.next() // the hidden draw (exifHidden)
  if (content.media === "video") {
    // Videos carry little: at most the phone that filmed them.
    if (!random.chance(0.3)) return undefined
    return { camera: PHONE, artist: undefined, exposure: undefined, taken: undefined, location: undefined }
  }
  if (content.originalFormat !== "jpg" || random.chance(0.1)) return undefined
  const camera = random.pick(CAMERAS)
  const time = random.pick(EXPOSURES)
  const aperture = random.pick(APERTURES)
  const focalLength = random.pick(FOCAL_LENGTHS)
  const artist = random.chance(0.3) ? owner.fullname : undefined
  const program = random.pick(PROGRAMS)
  const iso = random.pick(ISOS)
  const flashFired = !random.chance(0.8)
  return {
    camera,
    artist,
    exposure: { time, aperture, focalLength, program, iso, flashFired },
    // Only a photo whose date came from the camera carries the EXIF dates (scans guess a month or a year).
    taken: !content.takenUnknown && content.takenGranularity === 0 ? content.taken : undefined,
    location: content.location
  }
}

const entry = (tagspace: string, tag: string, label: string, raw: string | number, clean?: string): ExifEntry => ({ tagspace, tag, label, raw, clean })

const exposureEntries = (exposure: Exposure): ReadonlyArray<ExifEntry> => {
  const [num, den] = exposure.time
  const time = `${num}/${den}`
  const aperture = exposure.aperture.toFixed(1)
  return [
    entry("ExifIFD", "ExposureTime", "Exposure", time, num >= den ? `${num / den} sec` : `${(num / den).toFixed(3).replace(/0+$/, "")} sec (${time})`),
    entry("ExifIFD", "FNumber", "Aperture", aperture, `f/${aperture}`),
    entry("ExifIFD", "ExposureProgram", "Exposure Program", exposure.program),
    entry("ExifIFD", "ISO", "ISO Speed", exposure.iso)
  ]
}

const gpsEntries = (location: Location): ReadonlyArray<ExifEntry> => [
  entry("GPS", "GPSLatitudeRef", "GPS Latitude Ref", location.latitude >= 0 ? "North" : "South"),
  entry("GPS", "GPSLatitude", "GPS Latitude", dms(location.latitude), `${dms(location.latitude)} ${location.latitude >= 0 ? "N" : "S"}`),
  entry("GPS", "GPSLongitudeRef", "GPS Longitude Ref", location.longitude >= 0 ? "East" : "West"),
  entry("GPS", "GPSLongitude", "GPS Longitude", dms(location.longitude), `${dms(location.longitude)} ${location.longitude >= 0 ? "E" : "W"}`)
]

export const exifOf = (record: PhotoRecord, owner: Owner, content: PhotoContent = contentOf(record)): Exif => {
  const facts = exifFactsOf(record, owner, content)
  if (facts === undefined) return { camera: "", entries: [] }
  const { camera, exposure } = facts
  if (exposure === undefined) return { camera: camera.name, entries: [entry("IFD0", "Make", "Make", camera.make), entry("IFD0", "Model", "Model", camera.model)] }
  const entries: Array<ExifEntry> = [
    entry("IFD0", "Make", "Make", camera.make),
    entry("IFD0", "Model", "Model", camera.model),
    entry("IFD0", "XResolution", "X-Resolution", 72, "72 dpi"),
    entry("IFD0", "YResolution", "Y-Resolution", 72, "72 dpi"),
    entry("IFD0", "ResolutionUnit", "Resolution Unit", "inches")
  ]
  if (camera.software !== undefined) entries.push(entry("IFD0", "Software", "Software", camera.software))
  if (facts.artist !== undefined) entries.push(entry("IFD0", "Artist", "Artist", facts.artist))
  entries.push(...exposureEntries(exposure))
  if (facts.taken !== undefined) {
    entries.push(
      entry("ExifIFD", "DateTimeOriginal", "Date and Time (Original)", exifDate(facts.taken)),
      entry("ExifIFD", "CreateDate", "Date and Time (Digitized)", exifDate(facts.taken))
    )
  }
  entries.push(
    entry("ExifIFD", "Flash", "Flash", exposure.flashFired ? "On, Fired" : "Off, Did not fire"),
    entry("ExifIFD", "FocalLength", "Focal Length", `${exposure.focalLength.toFixed(1)} mm`, `${exposure.focalLength} mm`),
    entry("ExifIFD", "ColorSpace", "Color Space", "sRGB")
  )
  if (facts.location !== undefined) entries.push(...gpsEntries(facts.location))
  return { camera: camera.name, entries }
}

/** A video's length in seconds, as getInfo reports it and its films last. */
export const videoDuration = (record: PhotoRecord): number => 5 + (hash32(`info:${record.id}`) % 300)

// ---- places ----

export interface Place {
  readonly name: string
  readonly placeId: string
  readonly woeid: string
}

export interface PlaceNames {
  readonly neighbourhood?: Place
  readonly locality: Place
  readonly county?: Place
  readonly region: Place
  readonly country: Place
}

const place = (name: string, placeId: string, woeid: string): Place => ({ name, placeId, woeid })

/**
 * The names of the generated cities' places (keyed by the listing's place_id), most specific
 * first; that first place is the one the listing names.
 */
const PLACES: ReadonlyMap<string, PlaceNames> = new Map<string, PlaceNames>([
  [".rHY.25UV7LvEh6sUg", {
    neighbourhood: place("South Beach", ".rHY.25UV7LvEh6sUg", "55862610"),
    locality: place("San Francisco", "7.MJR8tTVrIO1EgB", "2487956"),
    county: place("San Francisco", ".7sOmlRQUL9nK.kMzA", "12587707"),
    region: place("California", "NsbUWfBTUb4mbyVu", "2347563"),
    country: place("United States", "nz.gsghTUb4c2WAecA", "23424977")
  }],
  ["Fg5Ls5NTUb5bGm4V", {
    locality: place("Reykjavík", "Fg5Ls5NTUb5bGm4V", "973252"),
    region: place("Höfuðborgarsvæði", "Qr4sVExTUb4sRw8H", "12577928"),
    country: place("Iceland", "Wf4rZXhTUb5wZQUp", "23424845")
  }],
  ["EsIQUYZXU79_kEA", {
    locality: place("Paris", "EsIQUYZXU79_kEA", "615702"),
    county: place("Paris", "tRGfWCZTUb6F3Q", "12597155"),
    region: place("Île-de-France", "2hIp0qhTUb5_gcJ", "7153319"),
    country: place("France", "6J2Yw6dTUb57wA", "23424819")
  }],
  ["3tEh4u9TUb6RKA", {
    locality: place("Tokyo", "3tEh4u9TUb6RKA", "1118370"),
    region: place("Tokyo Prefecture", "Cjq_8WdTUb4fOYY", "2345889"),
    country: place("Japan", "mk5VFnVTUb7wfmU", "23424856")
  }],
  ["0Yd9bjpTUbJvL3Sg", {
    locality: place("Sydney", "0Yd9bjpTUbJvL3Sg", "1105779"),
    region: place("New South Wales", "Ttx3zA9TUb5GkA", "2344700"),
    country: place("Australia", "om3Zr2JTUb6aqY9t", "23424748")
  }],
  ["aVNko2JTW7gYKVDk.A", {
    neighbourhood: place("Corktown", "aVNko2JTW7gYKVDk.A", "29229848"),
    locality: place("Detroit", "mkHcX4JTVLiFGg", "2391585"),
    county: place("Wayne", "7oP1Ek1TUb4J6A", "12589716"),
    region: place("Michigan", "PdJq7kJTUb56wA", "2347581"),
    country: place("United States", "nz.gsghTUb4c2WAecA", "23424977")
  }],
  ["9sxnqMhTVr.ftg", {
    locality: place("Rio de Janeiro", "9sxnqMhTVr.ftg", "455825"),
    region: place("Rio de Janeiro", "3Z8RtaRTUb4aTg", "2344868"),
    country: place("Brazil", "5Gvgk_9TUb7XXg", "23424768")
  }]
])

export const placeNamesOf = (placeId: string): PlaceNames | undefined => PLACES.get(placeId)

// ---- mutations ----

/** A change the simulator refuses (unknown photo or note): a 400 on the control endpoints. */
export class DetailError extends Error {}

export interface PersonInput {
  readonly nsid: string
  readonly box?: Box
}

const validBox = (box: Box): Box => {
  const parts = [box.x, box.y, box.w, box.h]
  if (!parts.every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0)) throw new DetailError("a box is {x, y, w, h}, non-negative numbers")
  return { x: Math.round(box.x), y: Math.round(box.y), w: Math.round(box.w), h: Math.round(box.h) }
}

/** The mutations of notes, comments and people. Each bumps the photo's lastupdate, as recentlyUpdated reports such changes. */
export class Details {
  /** The last id handed to an added note or comment: ids only grow, even within one second. */
  private lastId = 0

  constructor(private readonly account: Account) {}

  private live(photoId: string): PhotoRecord {
    const record = this.account.get(photoId)
    if (record === undefined) throw new DetailError(`no live photo ${photoId}`)
    return record
  }

  private edits(record: PhotoRecord): DetailEdits {
    record.details ??= { notes: undefined, comments: [], people: undefined }
    return record.details
  }

  private nextId(now: number): string {
    this.lastId = Math.max(this.lastId + 1, sequenceNumber(now))
    return `72157${String(this.lastId)}`
  }

  addNote(photoId: string, text: string, box: Box, now: number): string {
    const record = this.live(photoId)
    const owner = this.account.owner
    const note: NoteRecord = { id: this.nextId(now), author: owner.nsid, box: validBox(box), text }
    const edits = this.edits(record)
    edits.notes = [...notesOf(record, owner), note]
    this.account.touch(record, now)
    return note.id
  }

  removeNote(photoId: string, noteId: string, now: number): void {
    const record = this.live(photoId)
    const notes = notesOf(record, this.account.owner)
    if (!notes.some((n) => n.id === noteId)) throw new DetailError(`photo ${photoId} has no note ${noteId}`)
    this.edits(record).notes = notes.filter((n) => n.id !== noteId)
    this.account.touch(record, now)
  }

  /** A comment by another member (or `author`) dated now; count_comments grows by one. */
  addComment(photoId: string, text: string, now: number, author?: string): string {
    const record = this.live(photoId)
    const id = this.nextId(now)
    const by = author ?? (OTHER_MEMBERS[hash32(`${photoId}:${id}`) % OTHER_MEMBERS.length] as Person).nsid
    this.edits(record).comments.push({ id, author: by, date: now, text })
    this.account.touch(record, now)
    return id
  }

  /** The people in the photo are now exactly these, added by the owner. */
  setPeople(photoId: string, people: ReadonlyArray<string | PersonInput>, now: number): void {
    const record = this.live(photoId)
    const owner = this.account.owner.nsid
    const seen = new Set<string>()
    const list: Array<PersonTagRecord> = []
    for (const person of people) {
      const input = typeof person === "string" ? { nsid: person } : person
      if (typeof input.nsid !== "string" || input.nsid === "") throw new DetailError("a person is an nsid or {nsid, box?}")
      if (seen.has(input.nsid)) continue
      seen.add(input.nsid)
      list.push({ nsid: input.nsid, addedBy: owner, box: input.box === undefined ? undefined : validBox(input.box) })
    }
    this.edits(record).people = list
    this.account.touch(record, now)
  }
}

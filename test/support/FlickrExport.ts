// Flickr's data export as the tests need it, built at test time from FLICKR.md ("Flickr's own data
// export"), never from fbk's own decoders: account zips, media zips in both naming styles, and bad input.
import { createHash, randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import yazl from "yazl"
import { jpeg, mp4 } from "./MediaBytes.js"

export interface ExportComment {
  readonly id: string
  readonly user: string
  readonly comment: string
  readonly date: string
}

export interface ExportNote {
  readonly id: string
  readonly user: string
  readonly note: string
  readonly x: number
  readonly y: number
  readonly w: number
  readonly h: number
}

export interface ExportedPhoto {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly dateTaken: string
  readonly dateImported: string
  readonly tags: ReadonlyArray<string>
  /** Degrees. */
  readonly geo: { readonly latitude: number; readonly longitude: number; readonly accuracy: number } | null
  readonly privacy: string
  readonly license: string | null
  readonly views: number
  readonly comments: ReadonlyArray<ExportComment>
  readonly notes: ReadonlyArray<ExportNote>
  readonly secret: string
  readonly video: boolean
  /** `<slug>_<id>_o.<ext>`, the older `<id>_<secret>_o.<ext>`, or `<slug>_<id>.<ext>` (videos, reported: no `_o`). */
  readonly naming: "slug" | "secret" | "bare"
  /** The original's bytes; none: the export lacks the file. */
  readonly bytes: Uint8Array | null
}

export interface ExportedAlbum {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly cover: string
  readonly photos: ReadonlyArray<string>
}

export interface ExportedAccount {
  readonly nsid: string
  readonly screenName: string
  readonly realName: string
  readonly photos: ReadonlyArray<ExportedPhoto>
  readonly albums: ReadonlyArray<ExportedAlbum>
}

const WORDS = ["harbour", "sunset", "beach", "mountain", "forest", "river", "market", "bridge", "castle", "garden"]
const PRIVACY = ["public", "private", "friends", "family", "friends & family"]
const LICENSES = ["All Rights Reserved", "Attribution License", "Attribution-NonCommercial License", null]

const pad = (n: number) => String(n).padStart(2, "0")

/** A generated account: `photos` photos (every `videoEvery`-th a video), in `albums` albums of overlapping members. */
export const generateAccount = (options: { readonly photos: number; readonly albums?: number; readonly videoEvery?: number; readonly firstId?: number }): ExportedAccount => {
  const nsid = "12345678@N00"
  const first = options.firstId ?? 50_000_000_000
  const photos: Array<ExportedPhoto> = []
  for (let i = 0; i < options.photos; i++) {
    const id = String(first + i * 7)
    const video = options.videoEvery !== undefined && i % options.videoEvery === options.videoEvery - 1
    const word = WORDS[i % WORDS.length]!
    const month = (i % 12) + 1
    photos.push({
      id,
      // Names that begin with digits, as camera names do: the id is not the first digits of the file's name.
      name: i % 3 === 0 ? `IMG_${1000 + i}` : `${word} ${i}`,
      description: `A <b>${word}</b> &amp; more, number ${i}`,
      dateTaken: `20${10 + (i % 10)}-${pad(month)}-${pad((i % 27) + 1)} 12:${pad(i % 60)}:00`,
      dateImported: `2021-0${(i % 9) + 1}-01 08:00:00`,
      tags: [word, `Tag ${i}`, ...(i % 4 === 0 ? ["geo:lat=51.5"] : [])],
      geo: i % 2 === 0 ? { latitude: 51.5 + i / 1000, longitude: -0.12 - i / 1000, accuracy: 16 } : null,
      privacy: PRIVACY[i % PRIVACY.length]!,
      license: LICENSES[i % LICENSES.length]!,
      views: i * 3,
      comments: i % 5 === 0 ? [{ id: `c${id}`, user: "999@N01", comment: `lovely ${word} kiwi${i}`, date: "2022-02-02 10:00:00" }] : [],
      notes: i % 6 === 0 ? [{ id: `n${id}`, user: nsid, note: `note walrus${i}`, x: 10, y: 20, w: 30, h: 40 }] : [],
      secret: createHash("sha1").update(id).digest("hex").slice(0, 10),
      video,
      naming: i % 2 === 0 ? "slug" : "secret",
      bytes: video ? mp4() : jpeg(64 + (i % 5), 48)
    })
  }
  const albums: Array<ExportedAlbum> = []
  for (let a = 0; a < (options.albums ?? 0); a++) {
    // Members in an order that is not the ids' order, so the album's own order shows.
    const members = photos.filter((_, i) => i % (a + 2) === 0).map((p) => p.id).reverse()
    if (members.length === 0) continue
    albums.push({ id: `7215760000000${String(a).padStart(4, "0")}`, title: `Album ${a} ${WORDS[a % WORDS.length]}`, description: `album ${a}`, cover: members[0]!, photos: members })
  }
  return { nsid, screenName: "exporter", realName: "Ex Porter", photos, albums }
}

/** The photo's photo_<id>.json, shaped as FLICKR.md describes it (counts as strings, geo in degrees x 1e6). */
export const photoJson = (account: ExportedAccount, photo: ExportedPhoto) => ({
  id: photo.id,
  name: photo.name,
  description: photo.description,
  count_views: String(photo.views),
  count_faves: "0",
  count_comments: String(photo.comments.length),
  count_tags: String(photo.tags.length),
  count_notes: String(photo.notes.length),
  rotation: 0,
  date_taken: photo.dateTaken,
  date_imported: photo.dateImported,
  photopage: `https://www.flickr.com/photos/${account.screenName}/${photo.id}/`,
  original: `https://live.staticflickr.com/65535/${photo.id}_${photo.secret}_o.jpg`,
  license: photo.license,
  geo: photo.geo === null ? [] : [{
    latitude: String(Math.round(photo.geo.latitude * 1e6)),
    longitude: String(Math.round(photo.geo.longitude * 1e6)),
    accuracy: String(photo.geo.accuracy)
  }],
  exif: { "IFD0:Make": "Canon" },
  groups: [],
  albums: [],
  tags: photo.tags.map((tag) => ({ tag, user: account.nsid, date_create: "1600000000" })),
  people: [],
  notes: photo.notes,
  comments: photo.comments,
  privacy: photo.privacy,
  comment_permissions: "anybody",
  tagging_permissions: "you",
  safety: "safe"
})

export const albumsJson = (account: ExportedAccount) => ({
  albums: account.albums.map((album) => ({
    photo_count: String(album.photos.length),
    id: album.id,
    url: `https://www.flickr.com/photos/${account.screenName}/albums/${album.id}`,
    title: album.title,
    description: album.description,
    view_count: "5",
    created: "1600000000",
    last_updated: "1600000100",
    cover_photo: `https://www.flickr.com/photos/${account.screenName}/${album.cover}/`,
    photos: album.photos
  }))
})

/** The media file's name in the export, in the photo's naming style. */
export const mediaName = (photo: ExportedPhoto): string => {
  const ext = photo.video ? "mp4" : "jpg"
  if (photo.naming === "secret") return `${photo.id}_${photo.secret}_o.${ext}`
  const slug = photo.name.toLowerCase().replace(/[^a-z0-9]+/g, "_")
  return photo.naming === "bare" ? `${slug}_${photo.id}.${ext}` : `${slug}_${photo.id}_o.${ext}`
}

interface ZipItem {
  readonly name: string
  readonly bytes: Uint8Array
}

/** Writes a zip of `items`; `zip64` forces the ZIP64 format for every entry and the end record. */
export const writeZip = (file: string, items: ReadonlyArray<ZipItem>, options: { readonly zip64?: boolean } = {}) =>
  new Promise<string>((resolve, reject) => {
    const zip = new yazl.ZipFile()
    for (const item of items) {
      zip.addBuffer(Buffer.from(item.bytes), item.name, { forceZip64Format: options.zip64 ?? false, compress: item.name.endsWith(".json") })
    }
    zip.end({ forceZip64Format: options.zip64 ?? false, comment: "" })
    const out = fs.createWriteStream(file)
    zip.outputStream.pipe(out).on("close", () => resolve(file)).on("error", reject)
  })

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2))

export interface WrittenExport {
  /** The account zips, the part with albums.json first. */
  readonly accountZips: ReadonlyArray<string>
  readonly mediaZips: ReadonlyArray<string>
}

/**
 * Writes `account` into `dir` as Flickr does: `<number>_<hex>_partN.zip` account zips (photo JSON
 * split across `accountParts`, albums.json in the first) and `data-download-N.zip` media zips; the
 * last media zip in ZIP64 when `zip64Last`.
 */
export const writeExport = async (
  dir: string,
  account: ExportedAccount,
  options: {
    readonly accountParts?: number
    readonly mediaZips?: number
    readonly zip64Last?: boolean
    /** Photos whose photo_<id>.json is written cut off, as JSON that does not parse. */
    readonly brokenJson?: ReadonlySet<string>
  } = {}
): Promise<WrittenExport> => {
  fs.mkdirSync(dir, { recursive: true })
  const parts = options.accountParts ?? 1
  const accountZips: Array<string> = []
  for (let p = 0; p < parts; p++) {
    const items: Array<ZipItem> = account.photos
      .filter((_, i) => i % parts === p)
      .map((photo) => {
        const bytes = json(photoJson(account, photo))
        return { name: `photo_${photo.id}.json`, bytes: options.brokenJson?.has(photo.id) ? bytes.subarray(0, bytes.length >> 1) : bytes }
      })
    if (p === 0) {
      items.unshift(
        { name: "account_profile.json", bytes: json({ real_name: account.realName, nsid: account.nsid, screen_name: account.screenName, is_pro: false }) },
        { name: "albums.json", bytes: json(albumsJson(account)) },
        { name: "faves_part001.json", bytes: json({ faves: [] }) }
      )
    }
    accountZips.push(await writeZip(path.join(dir, `72157724905358313_3ac1836c2225_part${p + 1}.zip`), items))
  }
  const media = account.photos.filter((p) => p.bytes !== null)
  const count = options.mediaZips ?? 1
  const mediaZips: Array<string> = []
  for (let z = 0; z < count; z++) {
    const items = media.filter((_, i) => i % count === z).map((photo) => ({ name: mediaName(photo), bytes: photo.bytes! }))
    mediaZips.push(await writeZip(path.join(dir, `data-download-${z + 1}.zip`), items, { zip64: options.zip64Last === true && z === count - 1 }))
  }
  return { accountZips, mediaZips }
}

/** A copy of `zip` cut to its first `keep` fraction of bytes, as an interrupted download leaves it. */
export const truncatedCopy = (zip: string, target: string, keep = 0.6): string => {
  const bytes = fs.readFileSync(zip)
  fs.writeFileSync(target, bytes.subarray(0, Math.floor(bytes.length * keep)))
  return target
}

/** A zip that has nothing of an export in it. */
export const unrelatedZip = (file: string) =>
  writeZip(file, [{ name: "notes/readme.txt", bytes: new TextEncoder().encode("holiday plans") }, { name: "song.mp3", bytes: randomBytes(200) }])

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

/** "YYYY-MM-DD HH:MM:SS" (UTC) of unix seconds, as the export writes dates. */
export const exportDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ")

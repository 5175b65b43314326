// `fbk download --sidecars` over the simulator's account: every original's sidecar read back with
// ExifTool and compared with the database; exactly the affected sidecars rewritten after an update;
// originals never touched; files fbk did not write never overwritten nor removed; --no-sidecars.
import { decodeHTMLStrict } from "entities"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import { readXmp } from "../support/XmpReadBack.js"
import { cliEnv, closeSimulators, dbPath, expectSuccess, removeTempDirs, runCli, runCliInProcess, setUpHome, startSim, withDb } from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex")

interface Original {
  readonly photo_id: string
  readonly path: string
  readonly role: string
}

const originals = (home: string): Array<Original> =>
  withDb(dbPath(home), (db) =>
    db.prepare("SELECT photo_id, path, role FROM files WHERE role NOT IN ('replaced', 'poster') ORDER BY photo_id").all() as Array<Original>)

/** Every file of the store (originals, posters, sidecars) by path, hashed. */
const hashes = (store: string, suffix: string): Map<string, string> =>
  new Map(fs.readdirSync(path.join(store, "originals"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(suffix) && fs.statSync(path.join(store, "originals", f)).isFile())
    .map((f) => [f, sha256(path.join(store, "originals", f))]))

const notSidecars = (store: string) => new Map([...hashes(store, "")].filter(([f]) => !f.endsWith(".xmp")))

interface PhotoFacts {
  readonly id: string
  readonly title: string | null
  readonly date_taken: string | null
  readonly date_taken_granularity: number | null
  readonly date_taken_unknown: number
  readonly latitude: number | null
  readonly media: string
}

/** What the database says, read here with plain SQL, not through fbk's loader. */
const databaseFacts = (home: string, id: string) =>
  withDb(dbPath(home), (db) => ({
    photo: db.prepare("SELECT id, title, date_taken, date_taken_granularity, date_taken_unknown, latitude, media FROM photos WHERE id = ?").get(id) as PhotoFacts,
    tags: (db.prepare("SELECT raw FROM photo_tags WHERE photo_id = ? AND removed_at IS NULL AND machine_tag = 0 ORDER BY rowid").all(id) as Array<{ raw: string }>).map((r) => r.raw),
    albums: (db.prepare(`SELECT a.title FROM album_photos ap JOIN albums a ON a.id = ap.album_id
      WHERE ap.photo_id = ? AND ap.removed_at IS NULL AND a.deleted_at IS NULL`).all(id) as Array<{ title: string }>).map((r) => decodeHTMLStrict(r.title))
  }))

const list = (value: unknown): Array<string> => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String))
const level = (name: string) => name.replace(/\//g, "\u2215").replace(/\|/g, "\u2223").trim() || "untitled"

const backedUp = async (sim: FlickrSimulator, label: string) => {
  const home = await setUpHome(sim, label)
  expectSuccess(await runCli(["backup", "-q", "--details", "--no-files"], cliEnv(home, sim)))
  return home
}

describe("fbk download --sidecars", () => {
  it("writes a sidecar beside every original that ExifTool reads as the database says; an idle rerun writes none", async () => {
    const sim = await startSim({ photos: 60, seed: 2020 })
    // Photos in several albums, one titled with both separators, in collections nested two deep.
    const several = sim.createAlbum("Trips / 2014 | best &amp; more", sim.liveIds().slice(0, 8))
    sim.addToAlbum(sim.albums()[1]!, sim.liveIds().slice(0, 8))
    const parent = sim.createCollection("Travel")
    sim.setCollectionAlbums(sim.createCollection("Africa &amp; Asia", parent), [several, sim.albums()[1]!])
    const home = await backedUp(sim, "sidecars")
    const env = cliEnv(home, sim)
    const store = path.join(home, "files")
    expectSuccess(await runCli(["download", "-q"], env))
    const before = notSidecars(store)
    const first = await runCliInProcess(["download", "--sidecars", "--json"], env)
    expectSuccess(first)
    const rows = originals(home)
    expect((JSON.parse(first.stdout) as { sidecars: unknown }).sidecars).toEqual({ written: rows.length, unchanged: 0, not_ours: 0 })
    expect(notSidecars(store)).toEqual(before)
    // Posters get none; every original one, and only fbk's own files are there.
    expect([...hashes(store, ".xmp").keys()].sort()).toEqual(rows.map((r) => `${r.path.slice("originals/".length)}.xmp`).sort())

    const read = await Effect.runPromise(readXmp(rows.map((r) => path.join(store, `${r.path}.xmp`))))
    const seen = { months: 0, geotagged: 0, videos: 0, albums: 0, nested: 0, unicode: 0, spaced: 0 }
    rows.forEach((row, i) => {
      const tags = read[i]!
      const { albums, photo, tags: raw } = databaseFacts(home, row.photo_id)
      expect(String(tags["XMP-flickr:Id"])).toBe(photo.id)
      expect(tags["XMP-dc:Title"] === undefined ? "" : String(tags["XMP-dc:Title"])).toBe(decodeHTMLStrict(photo.title ?? "").trim())
      expect(list(tags["XMP-dc:Subject"])).toEqual(raw)
      const keywords = list(tags["XMP-digiKam:TagsList"])
      expect(keywords.slice(0, raw.length)).toEqual(raw.map(level))
      expect(keywords.filter((k) => k.startsWith("Flickr/Albums/")).sort()).toEqual(albums.map((a) => `Flickr/Albums/${level(a)}`).sort())
      expect(list(tags["XMP-lr:HierarchicalSubject"])).toEqual(keywords.map((k) => k.replace(/\//g, "|")))
      const dated = photo.date_taken !== null && photo.date_taken_unknown === 0
      const exact = dated && (photo.date_taken_granularity ?? 0) === 0
      expect(tags["XMP-exif:DateTimeOriginal"]).toBe(exact ? photo.date_taken!.replace(/-/g, ":") : undefined)
      if (dated && photo.date_taken_granularity === 4) expect(String(tags["XMP-photoshop:DateCreated"])).toBe(photo.date_taken!.slice(0, 7).replace("-", ":"))
      expect(tags["XMP-exif:GPSLatitude"] === undefined).toBe(photo.latitude === null)
      if (photo.latitude !== null) expect(Number(tags["XMP-exif:GPSLatitude"])).toBeCloseTo(photo.latitude, 5)
      expect(String(tags["XMP-dc:Source"])).toMatch(new RegExp(`^https://www\\.flickr\\.com/photos/[^/]+/${photo.id}/$`))
      seen.months += dated && photo.date_taken_granularity === 4 ? 1 : 0
      seen.geotagged += photo.latitude === null ? 0 : 1
      seen.videos += photo.media === "video" ? 1 : 0
      seen.albums += albums.length > 1 ? 1 : 0
      seen.nested += keywords.some((k) => k.split("/").length > 4) ? 1 : 0
      seen.unicode += /[^ -~]/.test(String(tags["XMP-dc:Title"] ?? "")) || /&/.test(String(tags["XMP-dc:Title"] ?? "")) ? 1 : 0
      seen.spaced += raw.some((t) => t.includes(" ")) ? 1 : 0
    })
    // The account holds every case the sidecars must carry.
    for (const [name, count] of Object.entries(seen)) expect(count, name).toBeGreaterThan(0)

    const idle = await runCliInProcess(["download"], env)
    expectSuccess(idle)
    expect(idle.stdout).toContain(`Sidecars: 0 written, ${rows.length} unchanged`)

    // What a run killed mid-way leaves: a temp file, and a sidecar renamed into place but not recorded.
    const part = path.join(store, `${rows[0]!.path}.xmp.fbk-part`)
    fs.writeFileSync(part, "half")
    withDb(dbPath(home), (db) => db.prepare("DELETE FROM sidecars WHERE photo_id = ?").run(rows[1]!.photo_id), false)
    const unrecorded = sha256(path.join(store, `${rows[1]!.path}.xmp`))
    const resumed = await runCliInProcess(["download"], env)
    expectSuccess(resumed)
    expect(fs.existsSync(part)).toBe(false)
    expect(resumed.stdout).toContain(`Sidecars: 1 written, ${rows.length - 1} unchanged`)
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT sha256 FROM sidecars WHERE photo_id = ?").get(rows[1]!.photo_id))).toEqual({ sha256: unrecorded })
    expect(notSidecars(store)).toEqual(before)
  }, 240_000)

  it("after an update that renames an album, edits a title and removes a tag, rewrites exactly the affected sidecars", async () => {
    const sim = await startSim({ photos: 50, seed: 2021 })
    const home = await backedUp(sim, "sidecars-update")
    const env = cliEnv(home, sim)
    const store = path.join(home, "files")
    expectSuccess(await runCli(["download", "-q", "--sidecars"], env))
    const sidecarsBefore = hashes(store, ".xmp")
    const originalsBefore = notSidecars(store)
    const album = sim.albums()[0]!
    const members = sim.album(album)!.photoIds
    sim.editAlbum(album, { title: "Renamed / &amp; moved" })
    const live = sim.liveIds().filter((id) => !members.includes(id))
    const tagged = live.find((id) => String(sim.photo(id)!.tags ?? "").split(" ").filter((t) => t !== "").length > 1)!
    const retitled = live.find((id) => id !== tagged)!
    const [first, ...otherTags] = String(sim.photo(tagged)!.tags).split(" ").filter((t) => t !== "")
    sim.edit([tagged], { tags: otherTags.join(" "), title: String(sim.photo(tagged)!.title), description: String(sim.photo(tagged)!.description ?? "") })
    sim.edit([retitled], { title: "A new title", description: String(sim.photo(retitled)!.description ?? ""), tags: String(sim.photo(retitled)!.tags ?? "") })
    expect(first).toBeDefined()
    expectSuccess(await runCli(["update", "-q", "--details"], env))
    const sidecarsAfter = hashes(store, ".xmp")
    const changed = [...sidecarsAfter].filter(([f, h]) => sidecarsBefore.get(f) !== h).map(([f]) => /(\d+)\.\w+\.xmp$/.exec(f)![1]!)
    const files = new Map(originals(home).map((r) => [r.photo_id, r]))
    const expected = [...members, tagged, retitled].filter((id) => files.has(id))
    expect(changed.sort()).toEqual([...new Set(expected)].sort())
    expect(notSidecars(store)).toEqual(originalsBefore)
    const [read] = await Effect.runPromise(readXmp([path.join(store, `${files.get(retitled)!.path}.xmp`)]))
    expect(read!["XMP-dc:Title"]).toBe("A new title")
  }, 240_000)

  it("leaves a file it did not write at a sidecar's name; --no-sidecars removes only its own", async () => {
    const sim = await startSim({ photos: 12, seed: 2022 })
    const home = await backedUp(sim, "sidecars-foreign")
    const env = cliEnv(home, sim)
    const store = path.join(home, "files")
    expectSuccess(await runCli(["download", "-q"], env))
    const [foreignRow, changedRow, ...rest] = originals(home)
    const foreign = path.join(store, `${foreignRow!.path}.xmp`)
    fs.writeFileSync(foreign, "<x:xmpmeta>someone else's</x:xmpmeta>")
    // An original gone from disk gets no sidecar.
    const gone = path.join(store, rest[0]!.path)
    fs.rmSync(gone)
    const first = await runCliInProcess(["download", "--sidecars"], env)
    expectSuccess(first)
    expect(first.stderr).toContain(`1 sidecar name holds a file fbk did not write (or one changed since), left alone: ${foreign}`)
    expect(first.stdout).toContain(`Sidecars: ${rest.length} written, 0 unchanged, 1 left alone (not written by fbk)`)
    expect(fs.existsSync(`${gone}.xmp`)).toBe(false)
    expect(fs.readFileSync(foreign, "utf8")).toBe("<x:xmpmeta>someone else's</x:xmpmeta>")
    // A sidecar of fbk's edited by someone is not fbk's any more.
    const changed = path.join(store, `${changedRow!.path}.xmp`)
    fs.appendFileSync(changed, "<!-- mine -->")
    const originalsBefore = notSidecars(store)
    const off = await runCliInProcess(["download", "--no-sidecars"], env)
    expectSuccess(off)
    expect(off.stdout).toContain(`Sidecars: ${rest.length - 1} removed, 1 changed since fbk wrote them, left alone; no more are written`)
    expect([...hashes(store, ".xmp").keys()].map((f) => path.join(store, "originals", f)).sort()).toEqual([foreign, changed].sort())
    expect(notSidecars(store)).toEqual(originalsBefore)
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT count(*) AS n FROM sidecars").get())).toEqual({ n: 0 })
    // Remembered: a later download writes none.
    const later = await runCliInProcess(["download"], env)
    expect(later.stdout).not.toContain("Sidecars:")
    expect(hashes(store, ".xmp").size).toBe(2)
  }, 240_000)
})

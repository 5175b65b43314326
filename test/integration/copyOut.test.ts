// `fbk copy-out` as a user runs it, after a backup, details and download from the simulator: copies
// with the record inside read back by ExifTool, image data identical to the originals', a rerun
// that writes nothing, a title edit that rewrites one copy, bad input refused with nothing written.
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { ExifTool } from "exiftool-vendored"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  expectOneLineError,
  expectSuccess,
  hashTree,
  removeTempDirs,
  runCli,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  startSim,
  tempDir,
  withDb
} from "./support.js"
import { loadSidecarRecords, type SidecarRecord } from "../../src/programs/sidecars/SidecarRecord.js"
import { SidecarRepository } from "../../src/services/database/SidecarRepository.js"
import { expectedXmp } from "../support/XmpReadBack.js"

const exiftool = new ExifTool({ maxProcs: 2 })
afterAll(async () => {
  await closeSimulators()
  await exiftool.end()
  removeTempDirs()
})

interface Summary {
  readonly copy_out: {
    readonly chosen: number
    readonly copies: number
    readonly copied: number
    readonly updated: number
    readonly unchanged: number
    readonly no_file: number
    readonly left_alone: number
    readonly failed: number
  }
}

const summaryOf = (stdout: string): Summary["copy_out"] => (JSON.parse(stdout) as Summary).copy_out

/** Every file under `dir` but the manifest, relative, with its modification time. */
const mtimes = (dir: string): Record<string, number> =>
  Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<fs.Dirent>)
      .filter((e) => e.isFile() && e.name !== ".fbk-copy-out.json")
      .map((e) => {
        const full = path.join(e.parentPath, e.name)
        return [path.relative(dir, full), fs.statSync(full).mtimeMs]
      })
  )

interface StoredPhoto {
  readonly id: string
  readonly title: string | null
  readonly path: string
}

const storedPhotos = (home: string): Array<StoredPhoto> =>
  withDb(dbPath(home), (db) =>
    db.prepare(
      `SELECT p.id, p.title, f.path FROM photos p JOIN files f ON f.photo_id = p.id AND f.role NOT IN ('replaced', 'poster')
       WHERE p.deleted_at IS NULL ORDER BY p.id`
    ).all() as Array<StoredPhoto>)

/** The database's bytes, to show a command left it alone. */
const dbBytes = (home: string) => createHash("sha256").update(fs.readFileSync(dbPath(home))).digest("hex")

/** The sidecar records of `ids` in the home's database: what the copies must carry. */
const recordsOf = (home: string, ids: ReadonlyArray<string>) =>
  runOrThrow(loadSidecarRecords(ids).pipe(
    Effect.provide(SidecarRepository.Default.pipe(Layer.provide(SqliteClient.layer({ filename: dbPath(home), readonly: true }))))
  ))

const strings = (value: unknown): ReadonlyArray<string> | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String)

/**
 * What ExifTool reads in a copy equals the record: the sidecar's fields (all but fbk's own
 * namespace), and for JPEG the IPTC and EXIF ones, for video QuickTime's date.
 */
const expectEmbedded = (read: Readonly<Record<string, unknown>>, record: SidecarRecord, jpeg: boolean) => {
  const expected = Object.entries(expectedXmp(record, { gps: true, titleInDescription: false })).filter(([key]) => !key.startsWith("XMP-flickr:"))
  const gps = (key: string) => key.includes("GPSL")
  expect(Object.fromEntries(expected.filter(([k]) => !gps(k)).map(([k]) => [k, strings(read[k])])))
    .toEqual(Object.fromEntries(expected.filter(([k]) => !gps(k))))
  for (const [key, want] of expected.filter(([k]) => gps(k))) {
    if (want === undefined) expect(read[key], key).toBeUndefined()
    else expect(Math.abs(Number(read[key]) - Number(want[0])), key).toBeLessThan(1e-6)
  }
  const date = /^(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d:\d\d)$/.exec(record.dateTaken ?? "")
  const exifDate = date === null || record.dateTakenGranularity !== 0 ? undefined : `${date[1]}:${date[2]}:${date[3]} ${date[4]}`
  if (!jpeg) {
    if (exifDate !== undefined) expect(read["QuickTime:CreateDate"]).toBe(exifDate)
    return
  }
  // IPTC keeps at most 64 bytes of a title: ExifTool cuts longer ones.
  const objectName = String(read["IPTC:ObjectName"] ?? "")
  if (Buffer.byteLength(record.title) <= 64) expect(objectName || undefined).toBe(record.title || undefined)
  else expect(record.title.startsWith(objectName.slice(0, 20))).toBe(true)
  expect(strings(read["IPTC:Keywords"])).toEqual(record.tags.length === 0 ? undefined : record.tags)
  if (exifDate !== undefined) expect(read["ExifIFD:DateTimeOriginal"]).toBe(exifDate)
  if (record.latitude !== null) {
    expect(read["GPS:GPSLatitudeRef"]).toBe(record.latitude < 0 ? "S" : "N")
    expect(Math.abs(Number(read["GPS:GPSLatitude"]) - Math.abs(record.latitude))).toBeLessThan(1e-5)
  }
}

const imageDataMd5 = async (file: string) => String((await exiftool.readRaw(file, ["-ImageDataMD5"])).ImageDataMD5)

describe("fbk copy-out", () => {
  let home = ""
  let env: Record<string, string> = {}
  const sim = startSim({ photos: 30, seed: 20 })

  beforeAll(async () => {
    home = await setUpHome(await sim, "copy-out")
    env = cliEnv(home, await sim)
    expectSuccess(await runCli(["backup", "-q", "--details", "--files"], env))
  }, 60_000)

  it("copies every photo with its file, image data identical; a rerun writes nothing", async () => {
    const out = path.join(tempDir("copy-out-dates"), "out")
    const first = await runCliInProcess(["copy-out", out, "--json"], env)
    expectSuccess(first)
    const photos = storedPhotos(home)
    expect(summaryOf(first.stdout)).toMatchObject({ copied: photos.length, unchanged: 0, failed: 0, left_alone: 0 })
    const copies = Object.keys(mtimes(out))
    expect(copies).toHaveLength(photos.length)
    expect(copies.every((c) => /^(\d{4}\/\d\d|undated)\/[^/]+\.[a-z0-9]+$/.test(c))).toBe(true)
    expect(fs.readdirSync(out, { recursive: true }).filter((n) => String(n).includes(".fbk-tmp.") || String(n).endsWith("_original"))).toEqual([])

    const manifest = JSON.parse(fs.readFileSync(path.join(out, ".fbk-copy-out.json"), "utf8")) as { copies: Record<string, { photo_id: string }> }
    const records = new Map((await recordsOf(home, photos.map((p) => p.id))).map((r) => [r.id, r]))
    let videos = 0
    for (const [copy, { photo_id }] of Object.entries(manifest.copies)) {
      const photo = photos.find((p) => p.id === photo_id)!
      const jpeg = /\.jpe?g$/.test(copy)
      if (!jpeg && !/\.mp4$/.test(copy)) continue
      videos += jpeg ? 0 : 1
      expectEmbedded(await exiftool.readRaw(path.join(out, copy), ["-G1", "-struct", "-n"]), records.get(photo_id)!, jpeg)
      if (jpeg) expect(await imageDataMd5(path.join(out, copy))).toBe(await imageDataMd5(path.join(home, "files", photo.path)))
    }
    expect(videos).toBeGreaterThan(0)
    // The account has what the comparison must cover.
    expect([...records.values()].some((r) => r.tags.length > 0 && r.latitude !== null && r.albums.length > 0)).toBe(true)

    const before = mtimes(out)
    const again = await runCliInProcess(["copy-out", out, "--json"], env)
    expectSuccess(again)
    expect(summaryOf(again.stdout)).toMatchObject({ copied: 0, updated: 0, unchanged: photos.length })
    expect(mtimes(out)).toEqual(before)
  }, 120_000)

  it("after a title edit rewrites only that photo's copy, under its new name; a copy deleted is made again", async () => {
    const out = path.join(tempDir("copy-out-edit"), "out")
    expectSuccess(await runCliInProcess(["copy-out", out, "-q"], env))
    const before = mtimes(out)
    const [edited, deleted] = storedPhotos(home).filter((p) => /\.jpe?g$/.test(p.path))
    ;(await sim).edit([edited!.id], { title: "Harbour &amp; lights" })
    expectSuccess(await runCli(["update", "-q"], env))
    const deletedCopy = Object.keys(before).find((c) => c.includes(deleted!.title ?? deleted!.id))!
    fs.rmSync(path.join(out, deletedCopy))

    const result = await runCliInProcess(["copy-out", out, "--json"], env)
    expectSuccess(result)
    expect(summaryOf(result.stdout)).toMatchObject({ copied: 2, updated: 0 })
    const after = mtimes(out)
    const renamed = Object.keys(after).filter((c) => !(c in before))
    expect(renamed).toEqual([expect.stringMatching(/\/Harbour & lights\.jpe?g$/)])
    expect(Object.keys(before).filter((c) => !(c in after))).toHaveLength(1)
    const unchanged = Object.keys(before).filter((c) => c !== deletedCopy && c in after)
    expect(unchanged.filter((c) => after[c] !== before[c])).toEqual([])
    expect(after[deletedCopy]).toBeDefined()
  }, 120_000)

  it("albums layout: a folder per album, the photos numbered in the album's order; --no-gps leaves every location out", async () => {
    const out = path.join(tempDir("copy-out-albums"), "out")
    expectSuccess(await runCliInProcess(["copy-out", out, "--layout", "albums", "--no-gps", "-q"], env))
    const members = withDb(dbPath(home), (db) =>
      db.prepare(`SELECT count(*) AS n FROM album_photos ap JOIN files f ON f.photo_id = ap.photo_id AND f.role NOT IN ('replaced', 'poster')
                  JOIN albums a ON a.id = ap.album_id AND a.deleted_at IS NULL WHERE ap.removed_at IS NULL`).get() as { n: number })
    const copies = Object.keys(mtimes(out))
    expect(copies.filter((c) => /^[^/]+\/\d{4} [^/]+$/.test(c) && !c.startsWith("(not in any album)/"))).toHaveLength(members.n)
    const geotagged = withDb(dbPath(home), (db) =>
      db.prepare("SELECT count(*) AS n FROM photos WHERE deleted_at IS NULL AND latitude IS NOT NULL AND latitude <> 0").get() as { n: number })
    expect(geotagged.n).toBeGreaterThan(0)
    for (const copy of copies.filter((c) => /\.(jpe?g|mp4)$/.test(c))) {
      const read = await exiftool.readRaw(path.join(out, copy), ["-G1", "-n", "-GPS:all", "-XMP-exif:all", "-Composite:GPSLatitude"])
      expect(Object.keys(read).filter((k) => /GPS/.test(k)), copy).toEqual([])
    }
  }, 120_000)

  it("refuses bad input in one line, writing nothing", async () => {
    const root = tempDir("copy-out-bad")
    const file = path.join(root, "a-file")
    fs.writeFileSync(file, "not a folder")
    const db = dbBytes(home)
    expectOneLineError(await runCliInProcess(["copy-out", file], env), /is a file, not a folder/)
    expectOneLineError(await runCliInProcess(["copy-out", path.join(file, "sub")], env), /cannot/)
    expectOneLineError(await runCliInProcess(["copy-out", path.join(root, "out"), "--album", "999"], env), /no album 999/)
    expectOneLineError(await runCliInProcess(["copy-out", path.join(root, "out"), "--since", "last week"], env), /--since must be a day/)
    expectOneLineError(await runCliInProcess(["copy-out", path.join(root, "out"), "--since", "2019-02-30"], env), /--since must be a day/)
    expectOneLineError(await runCliInProcess(["copy-out", path.join(home, "files", "mine")], env), /file store/)
    expect(fs.readdirSync(root)).toEqual(["a-file"])
    expect(fs.readFileSync(file, "utf8")).toBe("not a folder")
    expect(dbBytes(home)).toEqual(db)
  }, 60_000)

  it("--dry-run writes nothing; a file fbk did not write is left alone", async () => {
    const out = path.join(tempDir("copy-out-dry"), "out")
    const db = dbBytes(home)
    const dry = await runCliInProcess(["copy-out", out, "--dry-run", "--json"], env)
    expectSuccess(dry)
    expect(summaryOf(dry.stdout).copied).toBe(storedPhotos(home).length)
    expect(fs.existsSync(out)).toBe(false)
    expect(dbBytes(home)).toEqual(db)

    expectSuccess(await runCliInProcess(["copy-out", out, "-q"], env))
    const [mine] = Object.keys(mtimes(out))
    fs.writeFileSync(path.join(out, mine!), "the user's own")
    const tree = hashTree(out)
    const dryAgain = await runCliInProcess(["copy-out", out, "--dry-run", "--json"], env)
    expect(summaryOf(dryAgain.stdout)).toMatchObject({ copied: 0, left_alone: 1 })
    expect(hashTree(out)).toEqual(tree)
    const again = await runCliInProcess(["copy-out", out, "--json"], env)
    expectSuccess(again)
    expect(summaryOf(again.stdout)).toMatchObject({ copied: 0, updated: 0, left_alone: 1 })
    expect(again.stderr).toContain(mine)
    expect(fs.readFileSync(path.join(out, mine!), "utf8")).toBe("the user's own")
  }, 120_000)

  it("a run stopped after putting copies in place but before saving the manifest: the journal makes them fbk's", async () => {
    const out = path.join(tempDir("copy-out-journal"), "out")
    expectSuccess(await runCliInProcess(["copy-out", out, "-q"], env))
    expect(fs.existsSync(path.join(out, ".fbk-copy-out.journal"))).toBe(false)
    const manifestFile = path.join(out, ".fbk-copy-out.json")
    const saved = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { copies: Record<string, { bytes: number }> }
    const [renamed, notRenamed] = Object.keys(saved.copies)
    // As the stopped run left things: the first copy renamed into place but only in the journal; the
    // second journalled with the bytes of a rewrite that never reached its place (its old copy stays).
    const lines = [
      { target: renamed!, record: saved.copies[renamed!] },
      { target: notRenamed!, record: { ...saved.copies[notRenamed!], bytes: saved.copies[notRenamed!]!.bytes + 1 } }
    ]
    const { [renamed!]: _dropped, ...rest } = saved.copies
    const stopped = (journal: boolean) => {
      fs.writeFileSync(manifestFile, JSON.stringify({ ...saved, copies: rest }))
      if (journal) fs.writeFileSync(path.join(out, ".fbk-copy-out.journal"), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n{"target": "cut sh`)
    }
    const copies = storedPhotos(home).length
    stopped(true)
    const tree = hashTree(out)
    const rerun = await runCliInProcess(["copy-out", out, "--json"], env)
    expectSuccess(rerun)
    expect(summaryOf(rerun.stdout)).toMatchObject({ copied: 0, updated: 0, unchanged: copies, left_alone: 0 })
    expect(fs.existsSync(path.join(out, ".fbk-copy-out.journal"))).toBe(false)
    expect(Object.keys((JSON.parse(fs.readFileSync(manifestFile, "utf8")) as typeof saved).copies).sort()).toEqual(Object.keys(saved.copies).sort())
    const { [".fbk-copy-out.json"]: _m1, [".fbk-copy-out.journal"]: _j, ...copiesBefore } = tree!
    const { [".fbk-copy-out.json"]: _m2, ...copiesAfter } = hashTree(out)!
    expect(copiesAfter).toEqual(copiesBefore)
    // Without the journal the copy is a file fbk cannot tell from the user's: left alone, as before.
    stopped(false)
    expect(summaryOf((await runCliInProcess(["copy-out", out, "--json"], env)).stdout)).toMatchObject({ left_alone: 1 })
  }, 60_000)

  it("an original missing from the store: one line naming it and the repair, the others copied, exit non-zero", async () => {
    const out = path.join(tempDir("copy-out-missing"), "out")
    const [gone] = storedPhotos(home)
    const original = path.join(home, "files", gone!.path)
    fs.renameSync(original, `${original}.away`)
    try {
      const result = await runCliInProcess(["copy-out", out, "--json"], env)
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain(`its original ${gone!.path} is missing from the store (\`fbk verify --repair\` fetches it again)`)
      expect(result.stderr).not.toMatch(/Error opening file|\n\s+at /)
      expect(summaryOf(result.stdout)).toMatchObject({ copied: storedPhotos(home).length - 1, failed: 1 })
    } finally {
      fs.renameSync(`${original}.away`, original)
    }
  }, 60_000)

  it("--tag, --search and --since choose the same photos as the database says", async () => {
    const out = path.join(tempDir("copy-out-choose"), "out")
    const tag = withDb(dbPath(home), (db) =>
      db.prepare("SELECT tag, count(*) AS n FROM photo_tag_names GROUP BY tag ORDER BY n DESC, tag LIMIT 1").get() as { tag: string; n: number })
    const byTag = await runCliInProcess(["copy-out", out, "--tag", tag.tag, "--dry-run", "--json"], env)
    expectSuccess(byTag)
    expect(summaryOf(byTag.stdout).chosen).toBe(tag.n)
    const since = withDb(dbPath(home), (db) =>
      db.prepare("SELECT count(*) AS n FROM photos WHERE deleted_at IS NULL AND date_taken >= '2018-01-01'").get() as { n: number })
    const bySince = await runCliInProcess(["copy-out", out, "--since", "2018-01-01", "--dry-run", "--json"], env)
    expect(summaryOf(bySince.stdout).chosen).toBe(since.n)
    const search = await runCliInProcess(["search", "--json", "--limit", "1000", tag.tag], env)
    const found = (JSON.parse(search.stdout) as Array<unknown>).length
    const bySearch = await runCliInProcess(["copy-out", out, "--search", tag.tag, "--dry-run", "--json"], env)
    expect(summaryOf(bySearch.stdout).chosen).toBe(found)
  }, 60_000)
})

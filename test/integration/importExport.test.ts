// `fbk import-export` as a user runs it, on exports generated at test time: a home never set up
// built from the export alone, a home with a backup and downloads, bad input, and a later backup.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import {
  type ExportedAccount,
  type ExportedPhoto,
  exportDate,
  generateAccount,
  mediaName,
  sha256,
  truncatedCopy,
  unrelatedZip,
  writeExport,
  writeZip
} from "../support/FlickrExport.js"
import { jpeg, mp4 } from "../support/MediaBytes.js"
import {
  cliEnv,
  closeSimulators,
  dbPath,
  dumpTable,
  expectOneLineError,
  expectSuccess,
  removeTempDirs,
  runCli,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  setupProgram,
  startSim,
  tempDir,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

interface FileRow {
  readonly photo_id: string
  readonly role: string
  readonly path: string
  readonly bytes: number
  readonly sha256: string
  readonly source: string
  readonly id: number
}

const fileRows = (home: string): Array<FileRow> =>
  withDb(dbPath(home), (db) => db.prepare("SELECT id, photo_id, role, path, bytes, sha256, source FROM files ORDER BY photo_id").all() as Array<FileRow>)

/** Every recorded file is on disk with exactly the recorded bytes, and nothing half-written is left. */
const expectStoreExact = (home: string) => {
  const store = path.join(home, "files")
  for (const row of fileRows(home)) {
    const bytes = fs.readFileSync(path.join(store, row.path))
    expect(bytes.length, row.path).toBe(row.bytes)
    expect(sha256(bytes), row.path).toBe(row.sha256)
  }
  const left = fs.readdirSync(store, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".part"))
  expect(left).toEqual([])
}

/** What the database holds, table by table, and the store's files with their modification times. */
const snapshot = (home: string) => ({
  tables: ["photos", "files", "export_files", "albums", "album_photos", "comments", "notes", "photo_tags", "users", "photo_search"]
    .map((t) => dumpTable(dbPath(home), t)),
  files: fs.readdirSync(path.join(home, "files", "originals"), { recursive: true, encoding: "utf8" })
    .sort()
    .map((f) => `${f} ${fs.statSync(path.join(home, "files", "originals", f)).mtimeMs}`)
})

const warnings = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("warning: "))

/** The export's media of `photos` written loose into `folder`, as someone who unpacked a media zip has them. */
const unpack = (folder: string, photos: ReadonlyArray<ExportedPhoto>) => {
  fs.mkdirSync(folder, { recursive: true })
  for (const photo of photos) fs.writeFileSync(path.join(folder, mediaName(photo)), photo.bytes!)
}

describe("fbk import-export on a home never set up", () => {
  it("builds the account from the export: photos, albums in order, comments, notes, files; status, search and folders work; a second run changes nothing", async () => {
    const account = generateAccount({ photos: 40, albums: 3, videoEvery: 9 })
    const dir = tempDir("export-only")
    const exportDir = path.join(dir, "export")
    // Two media zips (the second in ZIP64), and a third set of media unpacked into a folder.
    const zipped = account.photos.filter((_, i) => i % 3 !== 2)
    await writeExport(exportDir, { ...account, photos: zipped }, { accountParts: 1, mediaZips: 2, zip64Last: true })
    await writeExport(path.join(dir, "account"), account, { accountParts: 2, mediaZips: 0 })
    fs.rmSync(path.join(exportDir, "72157724905358313_3ac1836c2225_part1.zip"))
    unpack(path.join(exportDir, "unpacked"), account.photos.filter((_, i) => i % 3 === 2))
    const home = path.join(dir, "home")
    const env = cliEnv(home)

    const first = await runCli(["import-export", exportDir, path.join(dir, "account")], env)
    expectSuccess(first)
    expect(first.stdout).toMatch(/^Import: 40 photos added and 0 changed from the export, 3 albums; files: 40 copied/m)

    const photos = withDb(dbPath(home), (db) => db.prepare("SELECT * FROM photos ORDER BY id").all() as Array<Record<string, unknown>>)
    expect(photos.map((p) => p.id)).toEqual(account.photos.map((p) => p.id).sort())
    for (const photo of account.photos) {
      const row = photos.find((p) => p.id === photo.id)!
      expect(row.source).toBe("export")
      expect(row.title).toBe(photo.name)
      expect(row.description).toBe(photo.description)
      expect(row.date_taken).toBe(photo.dateTaken)
      expect(row.date_uploaded).toBe(Date.parse(`${photo.dateImported.replace(" ", "T")}Z`) / 1000)
      expect(row.views).toBe(photo.views)
      expect(row.count_comments).toBe(photo.comments.length)
      expect(row.media).toBe(photo.video ? "video" : "photo")
      expect(row.original_secret).toBe(photo.secret)
      expect(row.is_public).toBe(photo.privacy === "public" ? 1 : 0)
      expect(row.is_family).toBe(photo.privacy.includes("family") ? 1 : 0)
      if (photo.geo === null) expect(row.latitude).toBeNull()
      else expect(row.latitude).toBeCloseTo(photo.geo.latitude, 6)
      expect(row.machine_tags).toBe(photo.tags.filter((t) => t.includes("=")).join(" "))
      expect(JSON.parse(row.raw as string).id).toBe(photo.id)
    }
    const counts = withDb(dbPath(home), (db) => ({
      comments: db.prepare("SELECT count(*) FROM comments").pluck().get(),
      notes: db.prepare("SELECT count(*) FROM notes").pluck().get(),
      tags: db.prepare("SELECT count(*) FROM photo_tags").pluck().get()
    }))
    expect(counts).toEqual({
      comments: account.photos.reduce((n, p) => n + p.comments.length, 0),
      notes: account.photos.reduce((n, p) => n + p.notes.length, 0),
      tags: account.photos.reduce((n, p) => n + p.tags.length, 0)
    })
    // The albums in albums.json's order, which is Flickr's.
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT id, position FROM albums ORDER BY position").all()))
      .toEqual(account.albums.map((album, position) => ({ id: album.id, position })))
    for (const album of account.albums) {
      const members = withDb(dbPath(home), (db) =>
        db.prepare("SELECT photo_id FROM album_photos WHERE album_id = ? ORDER BY position").pluck().all(album.id))
      expect(members).toEqual(album.photos)
    }

    // Every original on disk, byte for byte, recorded as the export's.
    const files = fileRows(home)
    expect(files.map((f) => f.photo_id)).toEqual(account.photos.map((p) => p.id).sort())
    for (const photo of account.photos) {
      const file = files.find((f) => f.photo_id === photo.id)!
      expect(file.sha256).toBe(sha256(photo.bytes!))
      expect(file.source).toBe("export")
      expect(file.role).toBe(photo.video ? "video original" : "original")
    }
    expectStoreExact(home)

    const status = await runCliInProcess(["status", "--json"], env)
    expectSuccess(status)
    const report = JSON.parse(status.stdout) as {
      account: unknown
      photos: { live: number }
      albums: number
      files: { on_disk: number }
      export: unknown
    }
    expect(report.account).toEqual({ nsid: account.nsid, username: account.screenName, fullname: account.realName })
    expect(report.photos.live).toBe(40)
    expect(report.albums).toBe(3)
    expect(report.files.on_disk).toBe(40)
    expect(report.export).toEqual({ photos: 40, files: 40, beside: 0 })

    // Notes and comments are searchable, as the API's are.
    const withNote = account.photos.find((p) => p.notes.length > 0 && p.id !== account.photos[0]!.id)!
    const search = await runCliInProcess(["search", "--json", withNote.notes[0]!.note.split(" ")[1]!], env)
    expectSuccess(search)
    expect((JSON.parse(search.stdout) as Array<{ id: string }>).map((h) => h.id)).toEqual([withNote.id])
    const commented = account.photos.find((p) => p.comments.length > 0)!
    const byComment = await runCliInProcess(["search", "--json", `comments:${commented.comments[0]!.comment.split(" ")[2]!}`], env)
    expect((JSON.parse(byComment.stdout) as Array<{ id: string }>).map((h) => h.id)).toEqual([commented.id])

    // The album folders, in the album's order.
    const album = account.albums[1]!
    const folder = path.join(home, "files", "albums", album.title)
    expect(fs.readdirSync(folder).sort().map((name) => name.split(" ")[1]!.split(".")[0])).toEqual(album.photos)

    const before = snapshot(home)
    const second = await runCliInProcess(["import-export", exportDir, path.join(dir, "account")], env)
    expectSuccess(second)
    expect(second.stdout).toMatch(/^Import: 0 photos added and 0 changed from the export, 3 albums; files: 0 copied \(0 bytes\), 40 already in the store/m)
    expect(snapshot(home)).toEqual(before)

    // `fbk link` works on a home with no API key: the unpacked originals are the store's bytes.
    const linked = await runCliInProcess(["link", "--json", path.join(exportDir, "unpacked")], env)
    expectSuccess(linked)
    const links = JSON.parse(linked.stdout) as { files: number; linked: number; linked_by: Record<string, number>; only_on_flickr: number }
    expect(links.files).toBe(account.photos.filter((_, i) => i % 3 === 2).length)
    expect(links).toMatchObject({ linked: links.files, linked_by: { sha256: links.files }, only_on_flickr: 0 })
  })

  it("reports a truncated zip, a zip that is not an export and a photo JSON that does not parse, one line each; keeps the rest; a rerun finishes", async () => {
    const account = generateAccount({ photos: 12 })
    const dir = tempDir("export-bad")
    const exportDir = path.join(dir, "export")
    const broken = account.photos[4]!
    const written = await writeExport(exportDir, account, { mediaZips: 3, brokenJson: new Set([broken.id]) })
    const good = path.join(dir, "data-download-2.zip")
    fs.renameSync(written.mediaZips[1]!, good)
    truncatedCopy(good, written.mediaZips[1]!)
    await unrelatedZip(path.join(exportDir, "holiday.zip"))
    const home = path.join(dir, "home")
    const env = cliEnv(home)

    const first = await runCliInProcess(["import-export", exportDir], env)
    expect(first.code).toBe(1)
    const lines = warnings(first.stderr)
    expect(lines).toHaveLength(3)
    expect(lines.filter((l) => l.includes("data-download-2.zip") && /truncated/.test(l))).toHaveLength(1)
    expect(lines.filter((l) => l.includes("holiday.zip") && /not part of a Flickr export/.test(l))).toHaveLength(1)
    expect(lines.filter((l) => l.includes(`photo_${broken.id}.json does not parse`))).toHaveLength(1)
    expect(first.stderr).toMatch(/\nfbk: 3 problems with the export \(listed above\)[^\n]*\n$/)

    // What was good is kept, and only it: the photos with good records, the files of the whole zips.
    const inGoodZips = new Set(account.photos.filter((p) => p.bytes !== null).filter((_, i) => i % 3 !== 1).map((p) => p.id))
    inGoodZips.delete(broken.id)
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT id FROM photos ORDER BY id").pluck().all()))
      .toEqual(account.photos.map((p) => p.id).filter((id) => id !== broken.id).sort())
    const kept = fileRows(home)
    expect(kept.map((f) => f.photo_id).sort()).toEqual([...inGoodZips].sort())
    expectStoreExact(home)

    fs.renameSync(good, written.mediaZips[1]!)
    fs.rmSync(path.join(exportDir, "holiday.zip"))
    await writeExport(exportDir, account, { mediaZips: 0 })
    const rerun = await runCliInProcess(["import-export", exportDir], env)
    expectSuccess(rerun)
    expect(warnings(rerun.stderr)).toEqual([])
    const all = fileRows(home)
    expect(all.map((f) => f.photo_id).sort()).toEqual(account.photos.map((p) => p.id).sort())
    // The files of the first run were not copied again.
    for (const file of kept) expect(all.find((f) => f.photo_id === file.photo_id)!.id).toBe(file.id)
    expectStoreExact(home)
  })
})

describe("fbk import-export of media named without _o", () => {
  it("videos named <slug>_<id>.mp4, alone in a zip: part of the export, each under its photo; a file whose digits are no photo's id is reported", async () => {
    const generated = generateAccount({ photos: 6, videoEvery: 2 })
    // Slugs with digits of their own ("img_1003_<id>.mp4", "beach_1_<id>.mp4"): the id is not the first digits.
    const account = { ...generated, photos: generated.photos.map((p) => (p.video ? { ...p, naming: "bare" as const } : p)) }
    const dir = tempDir("export-bare-videos")
    const exportDir = path.join(dir, "export")
    await writeExport(exportDir, account, { mediaZips: 0 })
    const item = (photo: ExportedPhoto) => ({ name: mediaName(photo), bytes: photo.bytes! })
    await writeZip(path.join(exportDir, "data-download-1.zip"), account.photos.filter((p) => !p.video).map(item))
    const stray = "IMG_0042_99999999999.mov"
    await writeZip(path.join(exportDir, "data-download-2.zip"), [...account.photos.filter((p) => p.video).map(item), { name: stray, bytes: mp4() }])
    for (const video of account.photos.filter((p) => p.video)) expect(mediaName(video)).toMatch(/^[a-z]+_\d+_\d+\.mp4$/)
    const home = path.join(dir, "home")

    const result = await runCliInProcess(["import-export", exportDir], cliEnv(home))
    expect(result.code).toBe(1)
    const lines = warnings(result.stderr)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(stray)
    const files = fileRows(home)
    expect(files.map((f) => f.photo_id)).toEqual(account.photos.map((p) => p.id).sort())
    for (const photo of account.photos) expect(files.find((f) => f.photo_id === photo.id)!.sha256).toBe(sha256(photo.bytes!))
    const media = withDb(dbPath(home), (db) => db.prepare("SELECT id, media FROM photos ORDER BY id").all() as Array<{ id: string; media: string }>)
    expect(media).toEqual(account.photos.map((p) => ({ id: p.id, media: p.video ? "video" : "photo" })).sort((a, b) => a.id.localeCompare(b.id)))
    expectStoreExact(home)
  })
})

/** The names of the files made under `folder` while `run` runs. */
const filesMadeDuring = async <A>(folder: string, run: () => Promise<A>): Promise<{ readonly result: A; readonly made: Array<string> }> => {
  const made: Array<string> = []
  const watcher = fs.watch(folder, { recursive: true }, (_, name) => {
    if (name !== null) made.push(String(name))
  })
  try {
    const result = await run()
    // Events of the last moments of the run arrive on the next turns of the loop.
    await new Promise((resolve) => setTimeout(resolve, 200))
    return { result, made }
  } finally {
    watcher.close()
  }
}

describe("fbk import-export of an unpacked folder", () => {
  it("the media of zips already imported, unpacked into a folder: a run over the folder copies nothing, and neither does a second", async () => {
    const account = generateAccount({ photos: 6 })
    const dir = tempDir("export-unpacked-again")
    const home = path.join(dir, "home")
    const env = cliEnv(home)
    await writeExport(path.join(dir, "export"), account, { mediaZips: 1 })
    expectSuccess(await runCliInProcess(["import-export", path.join(dir, "export")], env))
    const unpacked = path.join(dir, "unpacked")
    unpack(path.join(unpacked, "data-download-1"), account.photos)
    const before = snapshot(home)
    for (const run of [1, 2]) {
      const { made, result } = await filesMadeDuring(path.join(home, "files", "originals"), () => runCliInProcess(["import-export", unpacked], env))
      expectSuccess(result)
      expect(result.stdout, `run ${run}`).toMatch(/files: 0 copied \(0 bytes\), 6 already in the store/)
      expect(made, `run ${run}`).toEqual([])
      expect(snapshot(home)).toEqual(before)
    }
  })
})

describe("fbk import-export with bad input", () => {
  it("a --dest that is a file: one line, non-zero exit, and the database as it was", async () => {
    const dir = tempDir("export-bad-dest")
    const home = path.join(dir, "home")
    const env = cliEnv(home)
    await writeExport(path.join(dir, "first"), generateAccount({ photos: 4 }), { mediaZips: 1 })
    expectSuccess(await runCliInProcess(["import-export", path.join(dir, "first")], env))
    // A newer export with more photos and an album: everything in it would be written.
    await writeExport(path.join(dir, "second"), generateAccount({ photos: 8, albums: 2 }), { mediaZips: 1 })
    const before = snapshot(home)
    const aFile = path.join(dir, "a-file")
    fs.writeFileSync(aFile, "x")
    expectOneLineError(await runCliInProcess(["import-export", path.join(dir, "second"), "--dest", aFile], env), /--dest/)
    expect(snapshot(home)).toEqual(before)
  })

  it("a home never set up, given nothing of an export: one line saying nothing was imported, and no database made", async () => {
    const dir = tempDir("export-nothing")
    const home = path.join(dir, "home")
    const written = await writeExport(path.join(dir, "export"), generateAccount({ photos: 3 }), { mediaZips: 1 })
    const truncated = truncatedCopy(written.mediaZips[0]!, path.join(dir, "data-download-9.zip"))
    const unrelated = await unrelatedZip(path.join(dir, "holiday.zip"))
    const result = await runCliInProcess(["import-export", unrelated, truncated], cliEnv(home))
    expect(result.code).toBe(1)
    expect(warnings(result.stderr)).toHaveLength(2)
    expect(result.stderr.split("\n").filter((l) => l.startsWith("fbk: "))).toEqual([
      expect.stringMatching(/^fbk: no Flickr export in .*; nothing was imported$/)
    ])
    expect(result.stderr).not.toMatch(/everything else was imported/)
    expect(fs.existsSync(dbPath(home))).toBe(false)
  })
})

/** The simulator's photos as Flickr's export has them, each with the bytes its image server serves. */
const exportOfSimulator = async (sim: FlickrSimulator, ids: ReadonlyArray<string>): Promise<ExportedAccount> => {
  const photos: Array<ExportedPhoto> = []
  for (const [i, id] of ids.entries()) {
    const item = sim.photo(id)!
    const file = sim.originalFile(id)
    // A photo whose original Flickr does not serve (a free account's) has none in the export either.
    const bytes = file === undefined ? null : new Uint8Array(await (await fetch(file.url)).arrayBuffer())
    photos.push({
      id,
      name: String(item.title ?? ""),
      description: String((item.description as { _content?: string } | undefined)?._content ?? ""),
      dateTaken: String(item.datetaken),
      dateImported: exportDate(Number(item.dateupload)),
      tags: String(item.tags ?? "").split(" ").filter((t) => t !== ""),
      geo: null,
      privacy: "public",
      license: null,
      views: 0,
      comments: [],
      notes: [],
      secret: String(item.originalsecret ?? "0123456789"),
      video: item.media === "video",
      naming: i % 2 === 0 ? "slug" : "secret",
      bytes
    })
  }
  return { nsid: sim.user.nsid, screenName: sim.user.username, realName: sim.user.fullname, photos, albums: [] }
}

describe("fbk import-export on a home with a backup", () => {
  it("lands every original not already there, keeps a different one beside the download, reports photos the database lacks; a second run changes nothing", async () => {
    const sim = await startSim({ photos: 14, seed: 1313 })
    const home = await setUpHome(sim, "export-backed")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["backup", "-q"], env))
    expectSuccess(await runCliInProcess(["download", "-q"], env))
    const ids = [...sim.liveIds()].sort()
    const account = await exportOfSimulator(sim, ids)
    const withFile = account.photos.filter((p) => p.bytes !== null).map((p) => p.id)
    // Three photos whose files are not in the store yet.
    const missing = withFile.slice(0, 3)
    const store = path.join(home, "files")
    withDb(dbPath(home), (db) => {
      for (const id of missing) {
        const row = db.prepare("SELECT path FROM files WHERE photo_id = ?").get(id) as { path: string }
        fs.rmSync(path.join(store, row.path))
        db.prepare("DELETE FROM files WHERE photo_id = ?").run(id)
      }
    }, false)
    // One photo's original in the export differs from the one downloaded; one photo Flickr no longer lists.
    const differs = withFile[5]!
    const differentBytes = Uint8Array.from(account.photos.find((p) => p.id === differs)!.bytes!, (b, i) => (i === 40 ? b ^ 0xff : b))
    const extra: ExportedPhoto = { ...account.photos.find((p) => p.id === withFile[6])!, id: "99000000001", name: "gone from flickr", naming: "slug" }
    const exported: ExportedAccount = {
      ...account,
      photos: [...account.photos.map((p) => (p.id === differs ? { ...p, bytes: differentBytes } : p)), extra]
    }
    const exportDir = path.join(tempDir("export-backed-zips"), "export")
    await writeExport(exportDir, exported, { mediaZips: 2 })
    const downloaded = fileRows(home)
    // Downloads that already differ from what the image servers serve as the original (a video's MP4 fallback) are kept beside too.
    const unlike = downloaded.filter((f) => {
      // A video's poster is no candidate for the export's video file.
      if (f.role === "poster") return false
      const photo = exported.photos.find((p) => p.id === f.photo_id)
      return photo !== undefined && photo.bytes !== null && f.sha256 !== sha256(photo.bytes)
    }).length
    expect(unlike).toBeGreaterThanOrEqual(1)
    const flickrPhotos = () => withDb(dbPath(home), (db) => JSON.stringify(db.prepare("SELECT * FROM photos WHERE source = 'flickr' ORDER BY id").all()))
    const apiRecords = flickrPhotos()

    const first = await runCliInProcess(["import-export", exportDir], env)
    expectSuccess(first)
    const already = withFile.length - missing.length - unlike
    expect(first.stdout).toContain(`files: 4 copied`)
    expect(first.stdout).toMatch(new RegExp(`(?:bytes|KB|MB|GB)\\), ${already} already in the store, ${unlike} kept beside a different file; 0 problems`))
    const lines = warnings(first.stderr)
    expect(lines).toHaveLength(1 + unlike)
    expect(lines[0]).toMatch(new RegExp(`1 photo of the export is not in the database .*: ${extra.id}$`))
    expect(lines.filter((l) => l.startsWith(`warning: photo ${differs}: the export's file differs from `) && l.includes("kept beside it as "))).toHaveLength(1)

    // Flickr's records untouched; the photo it lacks kept from the export.
    expect(flickrPhotos()).toBe(apiRecords)
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT source FROM photos WHERE id = ?").pluck().get(extra.id))).toBe("export")
    const after = fileRows(home)
    for (const id of [...missing, extra.id]) {
      const row = after.find((f) => f.photo_id === id)!
      expect(row.source).toBe("export")
      expect(row.sha256).toBe(sha256(exported.photos.find((p) => p.id === id)!.bytes!))
    }
    // The downloaded files are the photos' files still, the different one included.
    for (const row of downloaded) expect(after.find((f) => f.id === row.id)).toEqual(row)
    const beside = withDb(dbPath(home), (db) => db.prepare("SELECT path, sha256 FROM export_files WHERE photo_id = ? AND file_id IS NULL").all(differs)) as Array<{ path: string; sha256: string }>
    expect(beside).toHaveLength(1)
    expect(sha256(fs.readFileSync(path.join(store, beside[0]!.path)))).toBe(sha256(differentBytes))
    expectStoreExact(home)

    const before = snapshot(home)
    const second = await runCliInProcess(["import-export", exportDir], env)
    expectSuccess(second)
    expect(second.stdout).toContain(`files: 0 copied (0 bytes), ${withFile.length + 1} already in the store, 0 kept beside`)
    expect(snapshot(home)).toEqual(before)

    // The store is complete for `fbk download`: nothing left to fetch.
    sim.resetStats()
    const download = await runCliInProcess(["download"], env)
    expectSuccess(download)
    expect(download.stdout).toMatch(/^Download: nothing to fetch/m)
  })

  it("a free account's store (largest available): the export's original becomes the photo's file, the earlier one kept as replaced", async () => {
    const sim = await startSim({ photos: 6, seed: 95, freeAccount: true })
    const home = await setUpHome(sim, "export-free")
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["backup", "-q"], env))
    expectSuccess(await runCliInProcess(["download", "-q", "--sidecars"], env))
    const downloaded = fileRows(home)
    expect(downloaded.map((f) => f.role)).toEqual(downloaded.map(() => "largest available"))
    const account = await exportOfSimulator(sim, [...sim.liveIds()].sort())
    // The export has the originals the API would not give.
    const exported: ExportedAccount = { ...account, photos: account.photos.map((p, i) => ({ ...p, bytes: p.video ? mp4() : jpeg(900 + i, 600) })) }
    const exportDir = path.join(tempDir("export-free-zips"), "export")
    await writeExport(exportDir, exported, { mediaZips: 1 })

    const first = await runCliInProcess(["import-export", exportDir], env)
    expectSuccess(first)
    expect(warnings(first.stderr)).toEqual([])
    expect(first.stdout).toContain(`files: ${exported.photos.length} copied`)
    const after = fileRows(home)
    for (const photo of exported.photos) {
      const earlier = downloaded.find((f) => f.photo_id === photo.id)!
      const rows = after.filter((f) => f.photo_id === photo.id)
      expect(rows).toHaveLength(2)
      expect(rows.find((f) => f.role === "replaced")).toMatchObject({ id: earlier.id, sha256: earlier.sha256, source: earlier.source })
      expect(rows.find((f) => f.role !== "replaced")).toMatchObject({
        role: photo.video ? "video original" : "original",
        source: "export",
        sha256: sha256(photo.bytes!)
      })
    }
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT count(*) FROM export_files WHERE file_id IS NULL").pluck().get())).toBe(0)
    expectStoreExact(home)
    // The store keeps sidecars: the import brings them in step, one beside each current file and none elsewhere.
    expect(first.stdout).toMatch(/^Sidecars: \d+ written, \d+ unchanged$/m)
    const sidecars = fs.readdirSync(path.join(home, "files", "originals"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".xmp"))
    const current = after.filter((f) => f.role !== "replaced" && f.role !== "poster")
    expect(sidecars.sort()).toEqual(current.map((f) => `${f.path.slice("originals/".length)}.xmp`).sort())

    const before = snapshot(home)
    const second = await runCliInProcess(["import-export", exportDir], env)
    expectSuccess(second)
    expect(second.stdout).toContain(`files: 0 copied (0 bytes), ${exported.photos.length} already in the store`)
    expect(snapshot(home)).toEqual(before)
  })

  it("an export-only home, then `fbk setup` and `fbk backup` on it: one record per photo, Flickr's, and the export's files kept", async () => {
    const sim = await startSim({ photos: 10, seed: 77 })
    const ids = [...sim.liveIds()].sort()
    const exportDir = path.join(tempDir("export-merge"), "export")
    await writeExport(exportDir, await exportOfSimulator(sim, ids), { mediaZips: 1 })
    const home = path.join(tempDir("export-merge-home"), "home")
    expectSuccess(await runCliInProcess(["import-export", exportDir], cliEnv(home)))
    const exportFiles = fileRows(home)
    expect(exportFiles).toHaveLength(10)

    await runOrThrow(setupProgram(sim, home))
    const env = cliEnv(home, sim)
    expectSuccess(await runCliInProcess(["backup", "-q"], env))
    const rows = withDb(dbPath(home), (db) => db.prepare("SELECT id, source, last_update, deleted_at FROM photos ORDER BY id").all()) as Array<Record<string, unknown>>
    expect(rows.map((r) => r.id)).toEqual(ids)
    expect(rows.every((r) => r.source === "flickr" && r.last_update !== null && r.deleted_at === null)).toBe(true)
    // The export's records are kept as earlier versions.
    expect(withDb(dbPath(home), (db) => db.prepare("SELECT count(*) FROM photo_revisions").pluck().get())).toBe(10)
    expect(fileRows(home)).toEqual(exportFiles)
    const download = await runCliInProcess(["download"], env)
    expectSuccess(download)
    expect(download.stdout).toMatch(/^Download: nothing to fetch/m)
  })
})

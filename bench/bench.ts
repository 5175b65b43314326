// `npm run bench`: fbk's backup, update and details against the simulator in its own process,
// beside a fetch-only floor, and the viewer's pages; prints the figures with their targets and writes bench/results.json.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { LISTING_EXTRAS } from "../src/schema/Photo.js"
import { freshNonce, sign } from "../src/services/flickr/OAuthSignature.js"
import { DOWNLOAD_ACCOUNT, fetchedUrls, fetchOnlyFiles, QUEUE_ACCOUNT, storedPhotos } from "./downloads.js"
import { control, fbkBin, type Measured, root, runFbk, type SimulatorInfo, withAccount } from "./harness.js"
import { IMPORT_EXPORT, writeBenchExport } from "./importExport.js"
import { type LinkLibrary, MIXED_LIBRARY, readAndHash, SMALL_LIBRARY, writeLibrary } from "./link.js"
import { benchSmallFiles, smallFilesReport } from "./smallFiles.js"
import { decodeThenStore, secondsSince } from "./storeOnly.js"
import { benchCopyOut, copyOutReport } from "./copyOut.js"
import { benchSidecars, sidecarReport } from "./sidecars.js"
import { benchThumbnails, thumbnailReport } from "./thumbnails.js"
import { benchViewer, viewerReport } from "./viewer.js"

const SIZES_TEXT = process.env.BENCH_SIZES ?? "20000,100000"
const SIZES = SIZES_TEXT.trim() === "" ? [] : SIZES_TEXT.split(",").map((size) => (/^\s*[1-9]\d*\s*$/.test(size) ? Number(size) : Number.NaN))
const PER_PAGE = 500
const FLOOR_CONCURRENCY = 4

const ALBUM_METHODS = ["flickr.photosets.getList", "flickr.photosets.getPhotos", "flickr.collections.getTree"]

/** Calls since the last reset: all, and those for albums and collections. */
const callsBySubject = async (sim: SimulatorInfo) => {
  const stats = await control(sim, "stats")
  const byMethod = stats.byMethod as Record<string, number>
  const albums = ALBUM_METHODS.reduce((sum, method) => sum + (byMethod[method] ?? 0), 0)
  const all = Number(stats.restCalls)
  return { all, albums, photos: all - albums, members: byMethod["flickr.photosets.getPhotos"] ?? 0 }
}

/** The floor: every page of the stream requested with fbk's extras and read as text, nothing else (the texts are kept for decodeThenStore). */
const fetchOnlyFloor = async (sim: SimulatorInfo, token: { token: string; tokenSecret: string }) => {
  const keys = { consumerKey: sim.apiKey, consumerSecret: sim.apiSecret, token: token.token, tokenSecret: token.tokenSecret }
  const fetchPage = async (page: number) => {
    const url = new URL(sim.restUrl)
    const signed = sign({
      method: "GET",
      url,
      parameters: [
        ["method", "flickr.people.getPhotos"], ["format", "json"], ["nojsoncallback", "1"], ["user_id", "me"],
        ["extras", LISTING_EXTRAS], ["per_page", String(PER_PAGE)], ["page", String(page)]
      ],
      keys,
      nonce: freshNonce(),
      timestamp: Math.floor(Date.now() / 1000)
    })
    for (const [k, v] of signed) url.searchParams.append(k, v)
    const response = await fetch(url)
    return response.text()
  }
  const started = process.hrtime.bigint()
  const first = await fetchPage(1)
  const pages = Number((/"pages":"?(\d+)/.exec(first) ?? ["", "1"])[1])
  const bodies = [first]
  let next = 2
  await Promise.all(Array.from({ length: FLOOR_CONCURRENCY }, async () => {
    while (next <= pages) {
      const page = next++
      bodies[page - 1] = await fetchPage(page)
    }
  }))
  return { seconds: secondsSince(started), pages, bodies }
}

// No albums, so the calls and times are the photostream's.
const benchSize = (photos: number) =>
  withAccount(photos, 0, async (sim, env, token) => {
    const floor = await fetchOnlyFloor(sim, token)
    const storeHome = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-store-"))
    const alone = await decodeThenStore(floor.bodies, storeHome).finally(() => fs.rmSync(storeHome, { recursive: true, force: true }))
    floor.bodies.length = 0 // the page texts are not needed again

    await control(sim, "reset-stats", {})
    const backup = await runFbk(["backup", "--quiet"], env)
    const backupCalls = (await callsBySubject(sim)).photos

    await control(sim, "reset-stats", {})
    const unchanged = await runFbk(["update", "--quiet"], env)
    const unchangedCalls = (await callsBySubject(sim)).photos

    const edited = Math.round(photos / 100)
    await control(sim, "edit", { count: edited })
    await control(sim, "reset-stats", {})
    const afterEdits = await runFbk(["update", "--quiet"], env)
    const afterEditsCalls = (await callsBySubject(sim)).photos

    const removed = Math.round(photos / 1000)
    await control(sim, "edit", { count: edited })
    await control(sim, "remove", { count: removed })
    await control(sim, "reset-stats", {})
    const afterDeletes = await runFbk(["update", "--quiet"], env)
    const afterDeletesCalls = (await callsBySubject(sim)).photos

    const minimum = Math.ceil(photos / PER_PAGE)
    return {
      photos,
      floorSeconds: floor.seconds,
      decodeSeconds: alone.decodeSeconds,
      storeSeconds: alone.storeSeconds,
      backupSeconds: backup.seconds,
      backupCpuSeconds: backup.cpuSeconds,
      ratioToFloor: backup.seconds / floor.seconds,
      photosPerSecond: photos / backup.seconds,
      backupCalls,
      minimumCalls: minimum,
      peakRssMiB: backup.peakRssMiB,
      updateUnchanged: { calls: unchangedCalls, seconds: unchanged.seconds },
      updateAfterEdits: { edited, calls: afterEditsCalls, seconds: afterEdits.seconds, limit: Math.ceil(edited / PER_PAGE) + minimum + 5 },
      updateAfterDeletes: {
        edited,
        removed,
        calls: afterDeletesCalls,
        seconds: afterDeletes.seconds,
        peakRssMiB: afterDeletes.peakRssMiB,
        limit: Math.ceil(edited / PER_PAGE) + minimum + 5
      }
    }
  })

const ALBUM_ACCOUNT = { photos: 100_000, albums: 1_000 }
const DETAILS_SAMPLE = 5_000

/** The first backup and an unchanged update of an account with albums and collections. */
const benchAlbums = () =>
  withAccount(ALBUM_ACCOUNT.photos, ALBUM_ACCOUNT.albums, async (sim, env) => {
    await control(sim, "reset-stats", {})
    const backup = await runFbk(["backup", "--quiet"], env)
    const backupCalls = await callsBySubject(sim)
    await control(sim, "reset-stats", {})
    const unchanged = await runFbk(["update", "--quiet"], env)
    const unchangedCalls = await callsBySubject(sim)
    // Details throughput against the zero-latency simulator, the hourly budget lifted: on Flickr
    // the budget (3,600 calls an hour) is what limits this, at one photo a second.
    await control(sim, "reset-stats", {})
    const detailsRun = await runFbk(["details", "--quiet", "--max-calls", String(DETAILS_SAMPLE)], {
      ...env,
      FBK_CALLS_PER_HOUR: "1000000"
    })
    const detailsCalls = (await callsBySubject(sim)).all
    return {
      ...ALBUM_ACCOUNT,
      details: {
        photos: DETAILS_SAMPLE,
        calls: detailsCalls,
        seconds: detailsRun.seconds,
        photosPerSecond: DETAILS_SAMPLE / detailsRun.seconds,
        peakRssMiB: detailsRun.peakRssMiB
      },
      backup: { seconds: backup.seconds, peakRssMiB: backup.peakRssMiB, calls: backupCalls },
      updateUnchanged: { seconds: unchanged.seconds, calls: unchangedCalls, albumLimit: Math.ceil(ALBUM_ACCOUNT.albums / PER_PAGE) + 1 }
    }
  })

/** `fbk download` of every file of a small account, against the same URLs fetched by the simplest client. */
const benchDownloads = () =>
  withAccount(DOWNLOAD_ACCOUNT.photos, 0, async (sim, env) => {
    await runFbk(["backup", "--quiet"], env)
    const databasePath = path.join(env.FBK_HOME!, "flickr_backup.sqlite")
    const photos = storedPhotos(databasePath)
    const bigVideo = photos.find((p) => p.media === "video")
    for (const photo of photos) {
      const bytes = photo === bigVideo ? DOWNLOAD_ACCOUNT.bigVideoBytes : DOWNLOAD_ACCOUNT.fileBytes
      await control(sim, "original-bytes", { id: photo.id, bytes })
    }
    await control(sim, "reset-stats", {})
    const download = await runFbk(["download", "--quiet"], env)
    const downloadStats = await control(sim, "stats")
    const urls = fetchedUrls(databasePath)
    const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-floor-"))
    const floorCpu = process.cpuUsage()
    const floor = await fetchOnlyFiles(urls, floorDir).finally(() => fs.rmSync(floorDir, { recursive: true, force: true }))
    const floorCpuUsed = process.cpuUsage(floorCpu)
    await control(sim, "reset-stats", {})
    const idle = await runFbk(["download", "--quiet"], env)
    const idleStats = await control(sim, "stats")
    // Details with the originals on disk: EXIF from the files, no getExif call.
    await control(sim, "reset-stats", {})
    const details = await runFbk(["details", "--quiet"], { ...env, FBK_CALLS_PER_HOUR: "1000000" })
    const detailsCalls = (await callsBySubject(sim)).all
    return {
      files: urls.length,
      bigVideo: bigVideo !== undefined,
      bytes: Number(downloadStats.fileBytes),
      seconds: download.seconds,
      cpuSeconds: download.cpuSeconds,
      floorSeconds: floor.seconds,
      // The bench process's own CPU while the floor ran (it is idle otherwise).
      floorCpuSeconds: (floorCpuUsed.user + floorCpuUsed.system) / 1e6,
      floorBytes: floor.bytes,
      ratioToFloor: download.seconds / floor.seconds,
      peakRssMiB: download.peakRssMiB,
      apiCalls: Number(downloadStats.restCalls),
      idle: { seconds: idle.seconds, requests: Number(idleStats.fileRequests) + Number(idleStats.restCalls) },
      details: { photos: photos.length, calls: detailsCalls, seconds: details.seconds }
    }
  })

/** `fbk download` with the first file of the queue large and slow: the other transfers should not wait for it. */
const benchQueue = () =>
  withAccount(QUEUE_ACCOUNT.photos, 0, async (sim, env) => {
    await runFbk(["backup", "--quiet"], env)
    const photos = storedPhotos(path.join(env.FBK_HOME!, "flickr_backup.sqlite"))
    const slow = photos[0]! // the queue is in id order, as storedPhotos reads it
    for (const photo of photos) {
      await control(sim, "original-bytes", { id: photo.id, bytes: photo === slow ? QUEUE_ACCOUNT.slowBytes : QUEUE_ACCOUNT.fileBytes })
    }
    await control(sim, "file-fault", { kind: "stall", count: 1, afterBytes: 0, stallMs: QUEUE_ACCOUNT.stallMs, photoId: slow.id })
    const download = await runFbk(["download", "--quiet"], env)
    return { files: photos.length, seconds: download.seconds, cpuSeconds: download.cpuSeconds, stallSeconds: QUEUE_ACCOUNT.stallMs / 1000 }
  })

const queueReport = (queue: Awaited<ReturnType<typeof benchQueue>>) => [
  `${queue.files.toLocaleString("en-US")} files of ${QUEUE_ACCOUNT.fileBytes / 1024} KiB, the first of the queue ` +
  `${QUEUE_ACCOUNT.slowBytes / 1024 / 1024} MiB and stalled ${queue.stallSeconds.toFixed(0)} s before its body:`,
  `  fbk download: ${queue.seconds.toFixed(2)} s, CPU ${queue.cpuSeconds.toFixed(2)} s ` +
  "(transfers page by page wait out the stall with one slot busy, then fetch the rest)",
  ""
]

/** `fbk link` of a generated library against a plain read-and-hash pass, then again with nothing changed. */
const benchLink = (library: LinkLibrary) =>
  withAccount(library.files, 0, async (_sim, env) => {
    await runFbk(["backup", "--quiet"], env)
    const databasePath = path.join(env.FBK_HOME!, "flickr_backup.sqlite")
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-library-"))
    try {
      const folder = path.join(scratch, "Pictures")
      const { paths, bytes } = writeLibrary(library, databasePath, folder)
      spawnSync("sync")
      // The floor before and after fbk's runs, the faster counted: the first may meet write-back.
      const floorBefore = await readAndHash(paths)
      // A fifth of the library into a copy of the database: memory against the number of files.
      const partDatabase = path.join(scratch, "part.sqlite")
      fs.copyFileSync(databasePath, partDatabase)
      const part = await runFbk(["link", "--quiet", "--db", partDatabase, path.join(folder, "0")], env)
      const first = await runFbk(["link", "--json", folder], env)
      const floorSeconds = Math.min(floorBefore, await readAndHash(paths))
      const report = JSON.parse(first.stdout) as { files: number; linked: number; ambiguous: number; only_on_disk: number }
      const second = await runFbk(["link", "--quiet", folder], env)
      const empty = fs.mkdtempSync(path.join(scratch, "empty-"))
      const start = await runFbk(["link", "--quiet", empty], env)
      return {
        library: library.name,
        sizes: library.sizes,
        files: paths.length,
        bytes,
        floorSeconds,
        seconds: first.seconds,
        cpuSeconds: first.cpuSeconds,
        ratioToFloor: first.seconds / floorSeconds,
        peakRssMiB: first.peakRssMiB,
        part: { files: paths.length / library.parts, seconds: part.seconds, peakRssMiB: part.peakRssMiB },
        report: { linked: report.linked, ambiguous: report.ambiguous, onlyOnDisk: report.only_on_disk },
        again: { seconds: second.seconds, peakRssMiB: second.peakRssMiB },
        startSeconds: start.seconds,
        againShare: (second.seconds - start.seconds) / (first.seconds - start.seconds)
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true })
    }
  })

/** `fbk import-export` of a generated export into a home never set up, then again (nothing to copy). */
const benchImport = async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-export-"))
  try {
    const { exportDir, bytes } = await writeBenchExport(scratch)
    const env = { FBK_HOME: path.join(scratch, "home") }
    const first = await runFbk(["import-export", "--quiet", exportDir], env)
    const again = await runFbk(["import-export", "--quiet", exportDir], env)
    const measured = (m: Measured) => ({ seconds: m.seconds, cpuSeconds: m.cpuSeconds, peakRssMiB: m.peakRssMiB })
    return { photos: IMPORT_EXPORT.photos, bytes, first: measured(first), again: measured(again) }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

const check = (ok: boolean) => (ok ? "ok" : "MISSED")

const main = async () => {
  if (SIZES.some(Number.isNaN)) throw new Error(`BENCH_SIZES must be photo counts separated by commas, like 20000,100000 (it is "${SIZES_TEXT}")`)
  if (!fs.existsSync(fbkBin)) {
    throw new Error(`${fbkBin} does not exist: ${process.env.BENCH_FBK_BIN === undefined ? "build first: npm run build" : "check BENCH_FBK_BIN"}`)
  }
  const results = []
  for (const size of SIZES) {
    process.stderr.write(`benchmarking ${size.toLocaleString("en-US")} photos...\n`)
    results.push(await benchSize(size))
  }
  const lines = [
    `fbk benchmark, ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? "cpu"}`,
    ""
  ]
  for (const r of results) {
    lines.push(
      `${r.photos.toLocaleString("en-US")} photos, no albums (calls below are the photostream's; ` +
        "each run also makes 2 album calls, getList and getTree):",
      `  backup: ${r.backupSeconds.toFixed(2)} s, fetch-only floor ${r.floorSeconds.toFixed(2)} s, ratio ${r.ratioToFloor.toFixed(2)} (target <= 2: ${check(r.ratioToFloor <= 2)})`,
      `          ${Math.round(r.photosPerSecond).toLocaleString("en-US")} photos/s (target >= 10,000: ${check(r.photosPerSecond >= 10_000)})`,
      `          fbk's CPU time ${r.backupCpuSeconds.toFixed(2)} s (user + system)`,
      `          the floor's pages with fbk's code, no HTTP: decoding ${r.decodeSeconds.toFixed(2)} s ` +
        `(${(r.decodeSeconds / r.floorSeconds).toFixed(2)} x the floor), storing ${r.storeSeconds.toFixed(2)} s ` +
        `(${(r.storeSeconds / r.floorSeconds).toFixed(2)} x the floor: no backup on this store can reach a lower ratio)`,
      `          ${r.backupCalls} calls, ceil(N/500) = ${r.minimumCalls} (target <= ${r.minimumCalls + 10}: ${check(r.backupCalls <= r.minimumCalls + 10)})`,
      `          peak RSS ${r.peakRssMiB.toFixed(0)} MiB (target < 250: ${check(r.peakRssMiB < 250)})`,
      `  update, nothing changed: ${r.updateUnchanged.calls} calls (target <= 3: ${check(r.updateUnchanged.calls <= 3)}), ${r.updateUnchanged.seconds.toFixed(2)} s`,
      `  update after ${r.updateAfterEdits.edited} edits: ${r.updateAfterEdits.calls} calls (target <= ${r.updateAfterEdits.limit}: ${check(r.updateAfterEdits.calls <= r.updateAfterEdits.limit)}), ${r.updateAfterEdits.seconds.toFixed(2)} s`,
      `  update after ${r.updateAfterDeletes.edited} edits + ${r.updateAfterDeletes.removed} deletions: ${r.updateAfterDeletes.calls} calls (target <= ${r.updateAfterDeletes.limit}: ${check(r.updateAfterDeletes.calls <= r.updateAfterDeletes.limit)}), ${r.updateAfterDeletes.seconds.toFixed(2)} s, peak RSS ${r.updateAfterDeletes.peakRssMiB.toFixed(0)} MiB`,
      ""
    )
  }
  const albums = process.env.BENCH_ALBUMS === "0" ? null : await benchAlbums()
  if (albums !== null) {
    lines.push(
      `${albums.photos.toLocaleString("en-US")} photos in ${albums.albums.toLocaleString("en-US")} albums inside nested collections:`,
      `  first backup: ${albums.backup.seconds.toFixed(2)} s, ${albums.backup.calls.all} calls ` +
        `(${albums.backup.calls.photos} photostream, ${albums.backup.calls.albums} albums and collections, ` +
        `of which ${albums.backup.calls.members} album member pages), peak RSS ${albums.backup.peakRssMiB.toFixed(0)} MiB`,
      `  update, nothing changed: ${albums.updateUnchanged.calls.all} calls: ${albums.updateUnchanged.calls.photos} photostream ` +
        `(target <= 3: ${check(albums.updateUnchanged.calls.photos <= 3)}), ${albums.updateUnchanged.calls.albums} albums and collections ` +
        `(target <= ceil(albums/500) + 1 = ${albums.updateUnchanged.albumLimit}: ` +
        `${check(albums.updateUnchanged.calls.albums <= albums.updateUnchanged.albumLimit)}), ${albums.updateUnchanged.seconds.toFixed(2)} s`,
      `  details (getInfo, EXIF, comments, people) for ${albums.details.photos.toLocaleString("en-US")} photos, budget lifted: ${albums.details.calls} calls, ` +
        `${albums.details.seconds.toFixed(2)} s, ${Math.round(albums.details.photosPerSecond).toLocaleString("en-US")} photos/s, ` +
        `peak RSS ${albums.details.peakRssMiB.toFixed(0)} MiB`,
      ""
    )
  }
  const downloads = process.env.BENCH_DOWNLOADS === "0" ? null : await benchDownloads()
  if (downloads !== null) {
    const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(0)
    lines.push(
      `${downloads.files.toLocaleString("en-US")} files (${DOWNLOAD_ACCOUNT.photos.toLocaleString("en-US")} photos of 2 MiB` +
        `${downloads.bigVideo ? ", one video of 1 GiB" : ""}; videos' getSizes calls: ${downloads.apiCalls}):`,
      `  fbk download: ${downloads.seconds.toFixed(2)} s for ${megabytes(downloads.bytes)} MB, ` +
        `fetch-only floor ${downloads.floorSeconds.toFixed(2)} s for ${megabytes(downloads.floorBytes)} MB, ` +
        `ratio ${downloads.ratioToFloor.toFixed(2)} (target <= 1.3: ${check(downloads.ratioToFloor <= 1.3)})`,
      `  CPU time (user + system): fbk ${downloads.cpuSeconds.toFixed(2)} s, the floor ${downloads.floorCpuSeconds.toFixed(2)} s`,
      `  peak RSS ${downloads.peakRssMiB.toFixed(0)} MiB (target < 250: ${check(downloads.peakRssMiB < 250)})`,
      `  again with nothing new: ${downloads.idle.requests} requests (target 0: ${check(downloads.idle.requests === 0)}), ${downloads.idle.seconds.toFixed(2)} s`,
      `  then details, EXIF read from the files: ${downloads.details.calls} calls for ${downloads.details.photos.toLocaleString("en-US")} photos ` +
        `(${(downloads.details.calls / downloads.details.photos).toFixed(2)} a photo), ${downloads.details.seconds.toFixed(2)} s`,
      ""
    )
  }
  const smallFiles = process.env.BENCH_SMALLFILES === "0" ? null : await benchSmallFiles()
  if (smallFiles !== null) lines.push(...smallFilesReport(smallFiles, check))
  const queue = process.env.BENCH_QUEUE === "0" ? null : await benchQueue()
  if (queue !== null) lines.push(...queueReport(queue))
  // BENCH_LINK=0 skips link; BENCH_LINK=small or mixed runs only that library.
  const linkLibraries = [SMALL_LIBRARY, MIXED_LIBRARY].filter((l) => process.env.BENCH_LINK === undefined || process.env.BENCH_LINK === l.name)
  const links = []
  for (const library of linkLibraries) links.push(await benchLink(library))
  for (const linked of links) {
    const percent = (share: number) => `${(share * 100).toFixed(1)}%`
    lines.push(
      `fbk link of ${linked.files.toLocaleString("en-US")} files (${(linked.bytes / 1e9).toFixed(2)} GB, ${linked.sizes}; ` +
        `${linked.report.linked.toLocaleString("en-US")} linked, ${linked.report.ambiguous.toLocaleString("en-US")} ambiguous, ` +
        `${linked.report.onlyOnDisk.toLocaleString("en-US")} only on disk):`,
      `  first run: ${linked.seconds.toFixed(2)} s (CPU ${linked.cpuSeconds.toFixed(2)} s), read-and-hash floor ${linked.floorSeconds.toFixed(2)} s, ` +
        `ratio ${linked.ratioToFloor.toFixed(2)} (target <= 2: ${check(linked.ratioToFloor <= 2)})`,
      `  nothing changed: ${linked.again.seconds.toFixed(2)} s, start-up (an empty folder) ${linked.startSeconds.toFixed(2)} s: ` +
        `${percent(linked.againShare)} of the first run, start-up aside (target <= 5%: ${check(linked.againShare <= 0.05)})`,
      `  peak RSS ${linked.peakRssMiB.toFixed(0)} MiB; ${linked.part.files.toLocaleString("en-US")} files: ${linked.part.peakRssMiB.toFixed(0)} MiB ` +
        `(${linked.part.seconds.toFixed(2)} s); nothing changed: ${linked.again.peakRssMiB.toFixed(0)} MiB`,
      ""
    )
  }
  const imported = process.env.BENCH_IMPORT === "0" ? null : await benchImport()
  if (imported !== null) {
    const run = (m: { seconds: number; cpuSeconds: number; peakRssMiB: number }) =>
      `${m.seconds.toFixed(2)} s (CPU ${m.cpuSeconds.toFixed(2)} s, ${(m.seconds * 1000 / imported.photos).toFixed(1)} ms a photo), peak RSS ${m.peakRssMiB.toFixed(0)} MiB`
    lines.push(
      `fbk import-export of a generated export of ${imported.photos.toLocaleString("en-US")} photos (${(imported.bytes / 1e6).toFixed(0)} MB of zips) into a home never set up:`,
      `  first run: ${run(imported.first)}`,
      `  again, nothing to copy: ${run(imported.again)}`,
      ""
    )
  }
  const viewer = process.env.BENCH_VIEWER === "0" ? null : await benchViewer(fbkBin)
  if (viewer !== null) lines.push(...viewerReport(viewer))
  // BENCH_THUMBS=0 skips the thumbnails against vipsthumbnail.
  const thumbnails = process.env.BENCH_THUMBS === "0" ? null : await benchThumbnails()
  if (thumbnails !== null) lines.push(...thumbnailReport(thumbnails, check))
  // BENCH_COPYOUT=0 skips copy-out against cp.
  const copyOut = process.env.BENCH_COPYOUT === "0" ? null : await benchCopyOut()
  if (copyOut !== null) lines.push(...copyOutReport(copyOut, check))
  // BENCH_SIDECARS=0 skips the sidecars.
  const sidecars = process.env.BENCH_SIDECARS === "0" ? null : await benchSidecars()
  if (sidecars !== null) lines.push(...sidecarReport(sidecars))
  if (results.length >= 2) {
    const small = results[0]!
    const large = results[results.length - 1]!
    lines.push(
      `Peak RSS ${small.photos.toLocaleString("en-US")} -> ${large.photos.toLocaleString("en-US")} photos: ` +
        `${small.peakRssMiB.toFixed(0)} -> ${large.peakRssMiB.toFixed(0)} MiB (${((large.peakRssMiB / small.peakRssMiB - 1) * 100).toFixed(0)}%)`
    )
  }
  process.stdout.write(`${lines.join("\n")}\n`)
  // bench/results.json holds the figures the README quotes: only a whole, unprofiled run writes it.
  const knobs = ["BENCH_SIZES", "BENCH_ALBUMS", "BENCH_DOWNLOADS", "BENCH_SMALLFILES", "BENCH_QUEUE", "BENCH_LINK", "BENCH_IMPORT", "BENCH_VIEWER", "BENCH_VIEWER_SQL", "BENCH_THUMBS", "BENCH_THUMBS_FILES", "BENCH_COPYOUT", "BENCH_COPYOUT_FILES", "BENCH_SIDECARS", "BENCH_NODE_ARGS", "BENCH_FBK_BIN"].filter((k) => process.env[k] !== undefined)
  if (knobs.length === 0) {
    fs.writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify({ photostream: results, albums, downloads, smallFiles, queue, link: links.find((l) => l.library === "mixed") ?? null, linkSmall: links.find((l) => l.library === "small") ?? null, importExport: imported, viewer, thumbnails, copyOut, sidecars }, null, 2)}
`)
  } else {
    process.stdout.write(`bench/results.json left as it was (${knobs.join(", ")} set)\n`)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})

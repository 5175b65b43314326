// The small-files benchmark: `fbk download` of 2,000 files of about 20 KB, where fbk's own cost per file
// (request, checks, hash, fsync, rename, row) is most of the time, against the same GETs with plain undici.
// Run alone (`node dist/bench/smallFiles.js`) it prints its figures; only a whole `npm run bench` writes bench/results.json.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Agent, interceptors, request } from "undici"
import { fetchedUrls, storedPhotos } from "./downloads.js"
import { control, runFbk, withAccount } from "./harness.js"
import { secondsSince } from "./storeOnly.js"

export const SMALL_FILES = { photos: 2_000, fileBytes: 20 * 1024, target: 2 }
/** fbk's default, which the floor uses too. */
const CONCURRENCY = 4
/** Each side runs this many times, the fastest kept: the machine is shared. */
const ROUNDS = 2

/** The floor: each URL fetched CONCURRENCY at a time with undici's request (redirects followed, as a video's are), the body read and dropped. */
const fetchOnly = async (urls: ReadonlyArray<string>) => {
  const agent = new Agent()
  const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 5 }))
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  let next = 0
  let bytes = 0
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < urls.length) {
        const url = urls[next++]!
        const { body, statusCode } = await request(url, { dispatcher })
        if (statusCode !== 200) throw new Error(`floor: ${url} answered ${statusCode}`)
        for await (const chunk of body) bytes += (chunk as Buffer).length
      }
    }))
  } finally {
    await agent.close()
  }
  const used = process.cpuUsage(cpu)
  return { seconds: secondsSince(started), cpuSeconds: (used.user + used.system) / 1e6, bytes }
}

export const benchSmallFiles = () =>
  withAccount(SMALL_FILES.photos, 0, async (sim, env) => {
    await runFbk(["backup", "--quiet"], env)
    const databasePath = path.join(env.FBK_HOME!, "flickr_backup.sqlite")
    for (const photo of storedPhotos(databasePath)) await control(sim, "original-bytes", { id: photo.id, bytes: SMALL_FILES.fileBytes })
    const runs = []
    let urls: ReadonlyArray<string> = []
    for (let round = 0; round < ROUNDS; round++) {
      // A copy of the database as the backup left it, and a store of its own: the same transfers each round.
      const copy = path.join(env.FBK_HOME!, `round-${round}.sqlite`)
      fs.copyFileSync(databasePath, copy)
      process.stderr.write(`small files: fbk download, round ${round + 1}...\n`)
      runs.push(await runFbk(["download", "--quiet", "--db", copy, "--dest", path.join(env.FBK_HOME!, `files-${round}`)], env))
      urls = fetchedUrls(copy)
    }
    const floors = []
    for (let round = 0; round < ROUNDS; round++) floors.push(await fetchOnly(urls))
    const fbk = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a))
    const floor = floors.reduce((a, b) => (b.seconds < a.seconds ? b : a))
    return {
      files: urls.length,
      bytes: floor.bytes,
      seconds: fbk.seconds,
      cpuSeconds: fbk.cpuSeconds,
      floorSeconds: floor.seconds,
      floorCpuSeconds: floor.cpuSeconds,
      ratioToFloor: fbk.seconds / floor.seconds,
      msPerFile: (fbk.seconds * 1000) / urls.length,
      cpuMsPerFile: (fbk.cpuSeconds * 1000) / urls.length,
      peakRssMiB: fbk.peakRssMiB
    }
  })

export const smallFilesReport = (r: Awaited<ReturnType<typeof benchSmallFiles>>, check: (ok: boolean) => string) => [
  `${r.files.toLocaleString("en-US")} files of about ${SMALL_FILES.fileBytes / 1024} KiB (${(r.bytes / 1e6).toFixed(0)} MB), the faster of ${ROUNDS} runs each:`,
  `  fbk download: ${r.seconds.toFixed(2)} s (${r.msPerFile.toFixed(2)} ms a file), fetch-only floor (undici, ${CONCURRENCY} at once, ` +
  `bodies dropped) ${r.floorSeconds.toFixed(2)} s, ratio ${r.ratioToFloor.toFixed(2)} (target <= ${SMALL_FILES.target}: ${check(r.ratioToFloor <= SMALL_FILES.target)})`,
  `  CPU time (user + system): fbk ${r.cpuSeconds.toFixed(2)} s (${r.cpuMsPerFile.toFixed(2)} ms a file), the floor ${r.floorCpuSeconds.toFixed(2)} s; ` +
  `peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
  ""
]

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  benchSmallFiles().then(
    (r) => process.stdout.write(`${smallFilesReport(r, (ok) => (ok ? "ok" : "MISSED")).join("\n")}\n`),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exit(1)
    }
  )
}

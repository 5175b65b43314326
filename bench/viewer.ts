// The viewer benchmark: `fbk serve` started as a user starts it, on a home of 1,000 and one of
// 100,000 photos, each kind of page asked for in turn over loopback; p50/p95 per page, the
// server's start-up and its peak RSS.
import Database from "better-sqlite3"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Random } from "../src/simulator/Random.js"
import { secondsSince } from "./storeOnly.js"
import { makeViewerHome } from "./viewerHome.js"

export const VIEWER_SIZES = [1_000, 100_000]
/** Timed requests per page kind, after WARM_UP untimed ones. */
const REQUESTS = 200
const WARM_UP = 20
const DEEP_HOPS = 20
/** The targets: p95 at the largest size at most this many times p95 at the smallest, and at most this many ms. */
export const VIEWER_TARGETS = { p95Ratio: 2, p95Ms: 100, peakRssMiB: 250 }
/**
 * BENCH_VIEWER_SQL: statements run on each home once it is made, before the server starts, to try
 * an index before a migration has it (e.g. "CREATE INDEX ...; ANALYZE").
 */
const TRIAL_SQL = process.env.BENCH_VIEWER_SQL

/** What the page kinds draw their addresses from, read from the home's database. */
interface Sample {
  readonly photoIds: ReadonlyArray<string>
  readonly bigAlbum: { readonly id: string; readonly members: ReadonlyArray<string> }
  /** Tags of random photos (so common tags come often), then the rarest. */
  readonly tags: ReadonlyArray<string>
  /** Words that match many photos and words that match few, alternating. */
  readonly searches: ReadonlyArray<string>
  /** The most used tag and photos carrying it. */
  readonly commonTag: { readonly tag: string; readonly photos: ReadonlyArray<string> }
}

const sampleOf = (databasePath: string, random: Random): Sample => {
  const db = new Database(databasePath, { readonly: true })
  try {
    const ids = db.prepare("SELECT id FROM photos WHERE deleted_at IS NULL").pluck().all() as Array<string>
    const photoIds = Array.from({ length: REQUESTS }, () => random.pick(ids))
    const big = db.prepare(
      "SELECT album_id AS id FROM album_photos WHERE removed_at IS NULL GROUP BY album_id ORDER BY count(*) DESC LIMIT 1"
    ).get() as { id: string }
    const members = db.prepare("SELECT photo_id FROM album_photos WHERE album_id = ? AND removed_at IS NULL").pluck().all(big.id) as Array<string>
    const byUse = db.prepare("SELECT tag, count(*) AS n FROM photo_tag_names GROUP BY tag ORDER BY n DESC, tag").all() as Array<{ tag: string }>
    const tagOf = db.prepare("SELECT tag FROM photo_tag_names WHERE photo_id = ? LIMIT 1").pluck()
    const tags = photoIds.map((id) => tagOf.get(id) as string | undefined).filter((t) => t !== undefined)
    const common = byUse.slice(0, 10).map((t) => t.tag)
    const rare = byUse.slice(-10).map((t) => t.tag)
    const tagged = db.prepare("SELECT photo_id FROM photo_tag_names WHERE tag = ?").pluck().all(common[0]) as Array<string>
    return {
      photoIds,
      commonTag: { tag: common[0]!, photos: Array.from({ length: REQUESTS }, () => random.pick(tagged)) },
      bigAlbum: { id: big.id, members: Array.from({ length: REQUESTS }, () => random.pick(members)) },
      tags: [...tags.slice(0, REQUESTS / 2), ...rare],
      searches: common.flatMap((word, i) => [word, rare[i]!])
    }
  } finally {
    db.close()
  }
}

interface Server {
  readonly base: string
  readonly pid: number
  readonly startupSeconds: number
  readonly startupCpuSeconds: number
  readonly stop: () => void
}

/** `fbk serve --home <home> --port 0`, as a user runs it: ready when it prints its address. */
const startServer = (fbkBin: string, home: string) =>
  new Promise<Server>((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [fbkBin, "serve", "--home", home, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString()
      const url = /^(http:\/\/\S+)$/m.exec(stdout)
      if (url !== null) {
        const startupSeconds = secondsSince(started)
        resolve({
          base: url[1]!.replace(/\/$/, ""),
          pid: child.pid!,
          startupSeconds,
          startupCpuSeconds: cpuSeconds(child.pid!),
          stop: () => child.kill("SIGTERM")
        })
      }
    })
    child.once("exit", (code) => reject(new Error(`fbk serve exited (${code}): ${stderr}`)))
  })

/** The CPU seconds (user + system) the process has used so far: steadier than wall time on a shared machine. */
const cpuSeconds = (pid: number) => {
  // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th, in ticks of 1/100 s.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** The server's peak resident memory so far (VmHWM), in MiB. */
const peakRssMiB = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN) / 1024
}

/** One request, its body read whole: its status, its body, and its milliseconds. */
const ask = async (url: string) => {
  const started = process.hrtime.bigint()
  const response = await fetch(url)
  const body = await response.text()
  return { status: response.status, body, ms: secondsSince(started) * 1000 }
}

const nextHref = (body: string) => /<a rel="next" href="([^"]+)"/.exec(body)?.[1]?.replaceAll("&amp;", "&")

/**
 * The timeline page reached from `/` by following rel="next" `hops` times, as scrolling down does
 * (or its last page, when it ends sooner: 1,000 photos make 9 pages).
 */
const deepTimeline = async (base: string, hops: number) => {
  let address = `${base}/`
  for (let hop = 0; hop < hops; hop++) {
    const href = nextHref((await ask(address)).body)
    if (href === undefined) break
    address = `${base}${href}`
  }
  return address
}

/** A kind of page timed: its row in the report, and the addresses asked for (cycled). */
interface PageKind {
  readonly name: string
  readonly addresses: (base: string, sample: Sample) => Promise<ReadonlyArray<string>> | ReadonlyArray<string>
}

const q = encodeURIComponent
/** Every page timed. A page whose first address answers 404 is not on this branch yet: its row says so. */
export const PAGE_KINDS: ReadonlyArray<PageKind> = [
  { name: "/", addresses: (base) => [`${base}/`] },
  { name: `/ after ${DEEP_HOPS} rel="next" hops`, addresses: async (base) => [await deepTimeline(base, DEEP_HOPS)] },
  { name: "/photos/<id>", addresses: (base, s) => s.photoIds.map((id) => `${base}/photos/${id}`) },
  { name: "/photos/<id>?in=album:<big>", addresses: (base, s) => s.bigAlbum.members.map((id) => `${base}/photos/${id}?in=album:${s.bigAlbum.id}`) },
  {
    name: "/photos/<id>?in=tag:<most used>",
    addresses: (base, s) => s.commonTag.photos.map((id) => `${base}/photos/${id}?in=tag:${q(s.commonTag.tag)}`)
  },
  { name: "/albums", addresses: (base) => [`${base}/albums`] },
  { name: "/albums/<the big one>", addresses: (base, s) => [`${base}/albums/${s.bigAlbum.id}`] },
  { name: "/search?q=<many | few>", addresses: (base, s) => s.searches.map((word) => `${base}/search?q=${q(word)}`) },
  { name: "/tags", addresses: (base) => [`${base}/tags`] },
  { name: "/tags/<tag>", addresses: (base, s) => s.tags.map((tag) => `${base}/tags/${q(tag)}`) },
  { name: "/map/points.json", addresses: (base) => [`${base}/map/points.json`] }
]

export type PageTiming =
  | { readonly _tag: "Timed"; readonly p50: number; readonly p95: number; readonly requests: number; readonly bytes: number }
  | { readonly _tag: "Skipped"; readonly note: string }

const percentile = (sorted: ReadonlyArray<number>, p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!

/** A page kind's addresses, asked for WARM_UP times untimed; none when its first address answers 404 (the page is not there). */
const warmUp = async (kind: PageKind, base: string, sample: Sample) => {
  const addresses = await kind.addresses(base, sample)
  if ((await ask(addresses[0]!)).status === 404) return null
  for (let i = 0; i < WARM_UP; i++) await ask(addresses[i % addresses.length]!)
  return addresses
}

/** p50 and p95 of the milliseconds `times`, and the answers' mean size. */
const timing = (times: ReadonlyArray<number>, bytes: number): PageTiming => {
  const sorted = [...times].sort((a, b) => a - b)
  return { _tag: "Timed", p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), requests: times.length, bytes: bytes / times.length }
}

export interface ViewerSize {
  readonly photos: number
  readonly homeSeconds: number
  readonly startupSeconds: number
  readonly startupCpuSeconds: number
  readonly peakRssMiB: number
  readonly pages: Record<string, PageTiming>
}

/** A home made and served: what its pages are timed with. */
interface Served {
  readonly photos: number
  readonly homeSeconds: number
  readonly server: Server
  readonly sample: Sample
}

const serveHome = async (fbkBin: string, home: string, photos: number): Promise<Served> => {
  const made = process.hrtime.bigint()
  await makeViewerHome(home, photos)
  const homeSeconds = secondsSince(made)
  if (TRIAL_SQL !== undefined) new Database(path.join(home, "flickr_backup.sqlite")).exec(TRIAL_SQL).close()
  const sample = sampleOf(path.join(home, "flickr_backup.sqlite"), new Random(photos))
  return { photos, homeSeconds, server: await startServer(fbkBin, home), sample }
}

/**
 * Every size's home made and served at once, every page warmed up on each, then each page kind
 * timed with the sizes' requests interleaved (1,000, 100,000, 1,000, ...): on a shared machine
 * whatever else runs then slows both sizes alike, and the ratio of their times stays honest.
 */
export const benchViewer = async (fbkBin: string) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-viewer-"))
  const served: Array<Served> = []
  try {
    for (const photos of VIEWER_SIZES) {
      process.stderr.write(`making and serving the viewer's home of ${photos.toLocaleString("en-US")} photos...\n`)
      served.push(await serveHome(fbkBin, path.join(scratch, String(photos)), photos))
    }
    const addresses: Array<Array<ReadonlyArray<string> | null>> = []
    for (const s of served) {
      const own = []
      for (const kind of PAGE_KINDS) own.push(await warmUp(kind, s.server.base, s.sample))
      addresses.push(own)
    }
    const pages = served.map((): Record<string, PageTiming> => ({}))
    for (const [k, kind] of PAGE_KINDS.entries()) {
      const times = served.map((): Array<number> => [])
      const bytes = served.map(() => 0)
      for (let i = 0; i < REQUESTS; i++) {
        for (const [n, own] of addresses.entries()) {
          const list = own[k]
          if (list === null || list === undefined) continue
          const address = list[i % list.length]!
          const answer = await ask(address)
          if (answer.status !== 200) throw new Error(`${address} answered ${answer.status}`)
          times[n]!.push(answer.ms)
          bytes[n]! += answer.body.length
        }
      }
      for (const n of served.keys()) {
        pages[n]![kind.name] = addresses[n]![k] === null ? { _tag: "Skipped", note: "answers 404: not on this branch yet" } : timing(times[n]!, bytes[n]!)
      }
    }
    const sizes = served.map((s, n): ViewerSize => ({
      photos: s.photos,
      homeSeconds: s.homeSeconds,
      startupSeconds: s.server.startupSeconds,
      startupCpuSeconds: s.server.startupCpuSeconds,
      peakRssMiB: peakRssMiB(s.server.pid),
      pages: pages[n]!
    }))
    return { requests: REQUESTS, warmUp: WARM_UP, sizes }
  } finally {
    for (const s of served) s.server.stop()
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

const check = (ok: boolean) => (ok ? "ok" : "MISSED")
const ms = (t: PageTiming) => (t._tag === "Timed" ? `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)}` : "-")

/** The report's lines: a row per page kind, p50 / p95 at each size, the ratio of p95s and the verdict. */
export const viewerReport = (viewer: Awaited<ReturnType<typeof benchViewer>>) => {
  const small = viewer.sizes[0]!
  const large = viewer.sizes[viewer.sizes.length - 1]!
  const count = (n: number) => `${n.toLocaleString("en-US")} photos`
  const lines = [
    `The viewer (fbk serve), ${viewer.requests} requests a page and size, one at a time, the sizes taking turns, over loopback ` +
      `(keep-alive, after ${viewer.warmUp} to warm up), ` +
      "ms p50 / p95:",
    `  ${"page".padEnd(34)}${count(small.photos).padEnd(18)}${count(large.photos).padEnd(18)}p95 ratio  ` +
      `target (p95 <= ${VIEWER_TARGETS.p95Ratio} x and <= ${VIEWER_TARGETS.p95Ms} ms)`
  ]
  for (const kind of PAGE_KINDS) {
    const a = small.pages[kind.name]!
    const b = large.pages[kind.name]!
    const verdict = a._tag === "Timed" && b._tag === "Timed"
      ? `${(b.p95 / a.p95).toFixed(2).padEnd(11)}${check(b.p95 <= VIEWER_TARGETS.p95Ratio * a.p95 && b.p95 <= VIEWER_TARGETS.p95Ms)}`
      : `skipped: ${(a._tag === "Skipped" ? a : b as { note: string }).note}`
    lines.push(`  ${kind.name.padEnd(34)}${ms(a).padEnd(18)}${ms(b).padEnd(18)}${verdict}`)
  }
  lines.push(
    `  start-up (spawn to address printed): ${small.startupSeconds.toFixed(2)} s (CPU ${small.startupCpuSeconds.toFixed(2)} s) at ` +
      `${count(small.photos)}, ${large.startupSeconds.toFixed(2)} s (CPU ${large.startupCpuSeconds.toFixed(2)} s) at ${count(large.photos)}`,
    `  server's peak RSS (VmHWM): ${small.peakRssMiB.toFixed(0)} MiB at ${count(small.photos)}, ${large.peakRssMiB.toFixed(0)} MiB at ` +
      `${count(large.photos)} (target < ${VIEWER_TARGETS.peakRssMiB}: ${check(large.peakRssMiB < VIEWER_TARGETS.peakRssMiB)})`,
    `  homes made through fbk's repositories in ${small.homeSeconds.toFixed(1)} s and ${large.homeSeconds.toFixed(1)} s`,
    ""
  )
  return lines
}

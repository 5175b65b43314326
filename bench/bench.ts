// `npm run bench`: fbk against the simulator in its own process, at 20,000 and 100,000 photos.
// For each size: a fetch-only floor (every page requested, nothing decoded or stored), then
// `fbk backup` (wall time, calls, photos/s, peak RSS), then `fbk update` with nothing changed,
// after 1% edits, and after edits plus deletions. Figures are measured, printed, and written to
// bench/results.json; targets are checked and reported, never assumed.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { freshNonce, sign } from "../src/services/OAuthSignature.js"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const fbkBin = path.join(root, "dist/fbk.js")
const simulatorBin = path.join(root, "dist/src/simulator/main.js")
const SIZES = (process.env.BENCH_SIZES ?? "20000,100000").split(",").map(Number)
const PER_PAGE = 500
const FLOOR_CONCURRENCY = 4

interface SimulatorInfo {
  readonly restUrl: string
  readonly oauthUrl: string
  readonly controlUrl: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly nsid: string
}

const startSimulator = (photos: number) =>
  new Promise<{ info: SimulatorInfo; stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, [simulatorBin, "--photos", String(photos), "--auto-approve"], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let buffer = ""
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString()
      const newline = buffer.indexOf("\n")
      if (newline >= 0) resolve({ info: JSON.parse(buffer.slice(0, newline)) as SimulatorInfo, stop: () => child.kill("SIGTERM") })
    })
    child.once("exit", (code) => reject(new Error(`simulator exited (${code})`)))
  })

const control = async (sim: SimulatorInfo, route: string, body?: unknown): Promise<Record<string, unknown>> => {
  const response = await fetch(`${sim.controlUrl}/${route}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
  })
  return (await response.json()) as Record<string, unknown>
}

const restCalls = async (sim: SimulatorInfo) => Number((await control(sim, "stats")).restCalls)

interface Measured {
  readonly seconds: number
  readonly peakRssMiB: number
  readonly stdout: string
}

/** Runs the built CLI under GNU time for its peak RSS. */
const runFbk = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<Measured>((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn("/usr/bin/time", ["-f", "MAXRSS_KB=%M", process.execPath, fbkBin, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
    child.once("exit", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const rss = /MAXRSS_KB=(\d+)/.exec(stderr)
      if (code !== 0 || rss === null) return reject(new Error(`fbk ${args.join(" ")} failed (${code}): ${stderr}`))
      resolve({ seconds, peakRssMiB: Number(rss[1]) / 1024, stdout })
    })
  })

/** The floor: every page of the stream requested with fbk's extras and read as text, nothing else. */
const fetchOnlyFloor = async (sim: SimulatorInfo, token: { token: string; tokenSecret: string }) => {
  const keys = { consumerKey: sim.apiKey, consumerSecret: sim.apiSecret, token: token.token, tokenSecret: token.tokenSecret }
  const extras = "description,license,date_upload,date_taken,owner_name,original_format,last_update,geo,tags," +
    "machine_tags,o_dims,views,media,path_alias,url_o,count_faves,count_comments"
  const fetchPage = async (page: number) => {
    const url = new URL(sim.restUrl)
    const signed = sign({
      method: "GET",
      url,
      parameters: [
        ["method", "flickr.people.getPhotos"], ["format", "json"], ["nojsoncallback", "1"], ["user_id", "me"],
        ["extras", extras], ["per_page", String(PER_PAGE)], ["page", String(page)]
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
  let next = 2
  await Promise.all(Array.from({ length: FLOOR_CONCURRENCY }, async () => {
    while (next <= pages) await fetchPage(next++)
  }))
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, pages }
}

const benchSize = async (photos: number) => {
  const { info: sim, stop } = await startSimulator(photos)
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-"))
  try {
    const token = (await control(sim, "issue-token", {})) as unknown as { token: string; tokenSecret: string }
    fs.writeFileSync(
      path.join(home, "credentials.json"),
      JSON.stringify({
        api_key: sim.apiKey,
        api_secret: sim.apiSecret,
        oauth_token: token.token,
        oauth_token_secret: token.tokenSecret,
        user: { nsid: sim.nsid, username: "bench", fullname: "Bench" }
      }),
      { mode: 0o600 }
    )
    const env = { FBK_HOME: home, FBK_REST_URL: sim.restUrl, FBK_OAUTH_URL: sim.oauthUrl }
    await runFbk(["setup"], env) // verifies the token and creates the database

    const floor = await fetchOnlyFloor(sim, token)

    await control(sim, "reset-stats", {})
    const backup = await runFbk(["backup", "--quiet"], env)
    const backupCalls = await restCalls(sim)

    await control(sim, "reset-stats", {})
    const unchanged = await runFbk(["update", "--quiet"], env)
    const unchangedCalls = await restCalls(sim)

    const edited = Math.round(photos / 100)
    await control(sim, "edit", { count: edited })
    await control(sim, "reset-stats", {})
    const afterEdits = await runFbk(["update", "--quiet"], env)
    const afterEditsCalls = await restCalls(sim)

    const removed = Math.round(photos / 1000)
    await control(sim, "edit", { count: edited })
    await control(sim, "remove", { count: removed })
    await control(sim, "reset-stats", {})
    const afterDeletes = await runFbk(["update", "--quiet"], env)
    const afterDeletesCalls = await restCalls(sim)

    const minimum = Math.ceil(photos / PER_PAGE)
    return {
      photos,
      floorSeconds: floor.seconds,
      backupSeconds: backup.seconds,
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
  } finally {
    stop()
    fs.rmSync(home, { recursive: true, force: true })
  }
}

const check = (ok: boolean) => (ok ? "ok" : "MISSED")

const main = async () => {
  if (!fs.existsSync(fbkBin)) throw new Error("build first: npm run build")
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
      `${r.photos.toLocaleString("en-US")} photos:`,
      `  backup: ${r.backupSeconds.toFixed(2)} s, fetch-only floor ${r.floorSeconds.toFixed(2)} s, ratio ${r.ratioToFloor.toFixed(2)} (target <= 2: ${check(r.ratioToFloor <= 2)})`,
      `          ${Math.round(r.photosPerSecond).toLocaleString("en-US")} photos/s (target >= 10,000: ${check(r.photosPerSecond >= 10_000)})`,
      `          ${r.backupCalls} calls, ceil(N/500) = ${r.minimumCalls} (target <= ${r.minimumCalls + 10}: ${check(r.backupCalls <= r.minimumCalls + 10)})`,
      `          peak RSS ${r.peakRssMiB.toFixed(0)} MiB (target < 250: ${check(r.peakRssMiB < 250)})`,
      `  update, nothing changed: ${r.updateUnchanged.calls} calls (target <= 3: ${check(r.updateUnchanged.calls <= 3)}), ${r.updateUnchanged.seconds.toFixed(2)} s`,
      `  update after ${r.updateAfterEdits.edited} edits: ${r.updateAfterEdits.calls} calls (target <= ${r.updateAfterEdits.limit}: ${check(r.updateAfterEdits.calls <= r.updateAfterEdits.limit)}), ${r.updateAfterEdits.seconds.toFixed(2)} s`,
      `  update after ${r.updateAfterDeletes.edited} edits + ${r.updateAfterDeletes.removed} deletions: ${r.updateAfterDeletes.calls} calls (target <= ${r.updateAfterDeletes.limit}: ${check(r.updateAfterDeletes.calls <= r.updateAfterDeletes.limit)}), ${r.updateAfterDeletes.seconds.toFixed(2)} s, peak RSS ${r.updateAfterDeletes.peakRssMiB.toFixed(0)} MiB`,
      ""
    )
  }
  if (results.length >= 2) {
    const small = results[0]!
    const large = results[results.length - 1]!
    lines.push(
      `Peak RSS ${small.photos.toLocaleString("en-US")} -> ${large.photos.toLocaleString("en-US")} photos: ` +
        `${small.peakRssMiB.toFixed(0)} -> ${large.peakRssMiB.toFixed(0)} MiB (${((large.peakRssMiB / small.peakRssMiB - 1) * 100).toFixed(0)}%)`
    )
  }
  process.stdout.write(`${lines.join("\n")}\n`)
  fs.writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})

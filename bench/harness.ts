// The benchmark's harness: the simulator in its own process, its control endpoints, the built CLI
// timed under GNU time, and a home set up against the simulator.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { secondsSince } from "./storeOnly.js"

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
// BENCH_FBK_BIN=dist/src/bin.js, the unbundled build, makes profiles readable.
export const fbkBin = process.env.BENCH_FBK_BIN ?? path.join(root, "dist/fbk.js")
export const simulatorBin = path.join(root, "dist/src/simulator/main.js")
/** Extra node flags for every fbk run, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile. */
export const FBK_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter((a) => a !== "")

export interface SimulatorInfo {
  readonly restUrl: string
  readonly oauthUrl: string
  readonly controlUrl: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly nsid: string
}

export const startSimulator = (photos: number, albums: number) =>
  new Promise<{ info: SimulatorInfo; stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, [simulatorBin, "--photos", String(photos), "--albums", String(albums), "--auto-approve"], {
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

export const control = async (sim: SimulatorInfo, route: string, body?: unknown, retried = false): Promise<Record<string, unknown>> => {
  try {
    const response = await fetch(`${sim.controlUrl}/${route}`, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
    })
    return (await response.json()) as Record<string, unknown>
  } catch (error) {
    // A kept-alive socket the simulator closed while the bench was busy (over 5 s storing 100,000
    // photos) fails before the request is sent; a fresh connection does not.
    const code = error instanceof Error && error.cause instanceof Error && "code" in error.cause ? error.cause.code : undefined
    if (retried || code !== "UND_ERR_SOCKET") throw error
    return control(sim, route, body, true)
  }
}

export interface Measured {
  readonly seconds: number
  readonly peakRssMiB: number
  /** User plus system CPU time of the fbk process: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number
  readonly stdout: string
}

/** Runs the built CLI under GNU time for its peak RSS. */
export const runFbk = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<Measured>((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn("/usr/bin/time", ["-f", "MAXRSS_KB=%M CPU=%U+%S", process.execPath, ...FBK_NODE_ARGS, fbkBin, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()))
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()))
    child.once("exit", (code) => {
      const seconds = secondsSince(started)
      const rss = /MAXRSS_KB=(\d+)/.exec(stderr)
      const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(stderr)
      if (code !== 0 || rss === null || cpu === null) return reject(new Error(`fbk ${args.join(" ")} failed (${code}): ${stderr}`))
      resolve({ seconds, peakRssMiB: Number(rss[1]) / 1024, cpuSeconds: Number(cpu[1]) + Number(cpu[2]), stdout })
    })
  })

/** A simulator with `photos` and `albums`, a home with credentials for it, and the database. */
export const withAccount = async <A>(
  photos: number,
  albums: number,
  body: (sim: SimulatorInfo, env: Record<string, string>, token: { token: string; tokenSecret: string }) => Promise<A>
): Promise<A> => {
  const { info: sim, stop } = await startSimulator(photos, albums)
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
    return await body(sim, env, token)
  } finally {
    stop()
    fs.rmSync(home, { recursive: true, force: true })
  }
}

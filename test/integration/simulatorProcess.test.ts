// `npm run simulator`: the simulator as its own process prints shell lines that point fbk at it,
// and fbk set up and backed up with exactly those lines works; without --env it prints the JSON line the benchmark reads.
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { cliEnv, expectSuccess, removeTempDirs, ROOT, runCli, tempDir, writeBrowserScript } from "./support.js"

const children: Array<ChildProcess> = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGTERM")
})
afterAll(removeTempDirs)

/** Starts `node <args>` in the repository and resolves with its stdout once `until` matches it. */
const startSimulator = (args: ReadonlyArray<string>, until: RegExp): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] })
    children.push(child)
    let stdout = ""
    let stderr = ""
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      if (until.test(stdout)) resolve(stdout)
    })
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.once("exit", (code) => reject(new Error(`simulator exited (${code}): ${stderr}`)))
  })

/** The `simulator` script of package.json, as node's arguments. */
const simulatorScript = (): Array<string> => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
  const [command, ...args] = (manifest.scripts.simulator ?? "").split(" ")
  expect(command).toBe("node")
  return args
}

describe("the simulator on its own", () => {
  it("npm run simulator prints the exports that fbk setup and backup then use", async () => {
    const stdout = await startSimulator([...simulatorScript(), "--photos", "7", "--auto-approve"], /^export FLICKR_API_SECRET=.*\n/m)
    const exported = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]))
    expect(exported.FBK_HOME).toBe('"$(mktemp -d)"')
    expect(exported.FBK_REST_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/services\/rest$/)
    const dir = tempDir("sim-process")
    const home = path.join(dir, "home")
    const env = cliEnv(home, undefined, { ...exported, FBK_HOME: home, BROWSER: writeBrowserScript(dir) })
    expectSuccess(await runCli(["setup"], env))
    const backup = await runCli(["backup"], env)
    expectSuccess(backup)
    expect(backup.stdout).toMatch(/Backup: 7 added/)
  })

  it("without --env: one JSON line with the URLs and credentials (what the benchmark reads)", async () => {
    const stdout = await startSimulator(["dist/src/simulator/main.js", "--photos", "3"], /\n/)
    const info = JSON.parse(stdout.split("\n")[0] as string) as Record<string, string>
    expect(Object.keys(info)).toEqual(["restUrl", "oauthUrl", "controlUrl", "fileHost", "apiKey", "apiSecret", "nsid"])
    const ids = (await (await fetch(`${info.controlUrl}/ids`)).json()) as { ids: Array<string> }
    expect(ids.ids).toHaveLength(3)
  })
})

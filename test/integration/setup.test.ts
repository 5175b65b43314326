// `fbk setup` through the CLI against the simulator: the browser flow ($BROWSER follows the
// redirect to fbk's callback) and the --no-browser flow (the code pasted on stdin), the files
// it leaves, secrets never shown, idempotence, --force, and a wrong API secret.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import {
  cliEnv,
  closeSimulators,
  CREDENTIALS_FILE,
  type CliResult,
  dbPath,
  expectOneLineError,
  expectSuccess,
  hashTree,
  mode,
  removeTempDirs,
  runCli,
  startCli,
  startSim,
  tempDir,
  withDb,
  writeBrowserScript
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

interface Credentials {
  readonly api_key: string
  readonly api_secret: string
  readonly oauth_token: string
  readonly oauth_token_secret: string
  readonly user: { readonly nsid: string; readonly username: string; readonly fullname: string }
}

const readCredentials = (home: string): Credentials =>
  JSON.parse(fs.readFileSync(path.join(home, CREDENTIALS_FILE), "utf8")) as Credentials

const expectNoSecrets = (results: ReadonlyArray<CliResult>, secrets: ReadonlyArray<string>): void => {
  for (const result of results) {
    for (const secret of secrets) {
      expect(result.stdout).not.toContain(secret)
      expect(result.stderr).not.toContain(secret)
    }
  }
}

const usersIn = (home: string) => withDb(dbPath(home), (db) => db.prepare("SELECT * FROM users").all())

describe("fbk setup (CLI)", () => {
  it("browser flow: credentials 0600 in a new 0700 home, the account stored; again: nothing changes; --force redoes it", async () => {
    const sim = await startSim({
      apiKey: "it-key-3f9a",
      apiSecret: "it-secret-7c1e55d0",
      user: { nsid: "98765432@N01", username: "integration", fullname: "Ïntégration Tëst" }
    })
    const dir = tempDir("setup-browser")
    const home = path.join(dir, "home")
    const env = cliEnv(home, sim, { BROWSER: writeBrowserScript(dir) })

    const first = await runCli(["setup"], env)
    expectSuccess(first)
    expect(first.stdout).toContain(`Set up for integration (Ïntégration Tëst), 98765432@N01.`)
    expect(first.stdout).toMatch(/\/services\/oauth\/authorize\?oauth_token=[^&\s]+&perms=read/)
    // What to run next, on this home: the backup, the files, the details, and a nightly update for cron.
    for (const next of [`fbk backup --home ${home} `, `fbk download --home ${home} `, `fbk details --home ${home} `, `15 3 * * * fbk update -q --wait --home ${home}\n`]) {
      expect(first.stdout).toContain(next)
    }
    expect(mode(home)).toBe(0o700)
    const credentialsFile = path.join(home, CREDENTIALS_FILE)
    expect(mode(credentialsFile)).toBe(0o600)
    const credentials = readCredentials(home)
    expect(credentials).toMatchObject({
      api_key: "it-key-3f9a",
      api_secret: "it-secret-7c1e55d0",
      user: { nsid: "98765432@N01", username: "integration", fullname: "Ïntégration Tëst" }
    })
    expect(credentials.oauth_token).not.toBe("")
    expect(credentials.oauth_token_secret).not.toBe("")
    expect(fs.readdirSync(home).sort()).toEqual([CREDENTIALS_FILE, "flickr_backup.sqlite"])
    expect(usersIn(home)).toEqual([
      { nsid: "98765432@N01", username: "integration", fullname: "Ïntégration Tëst", is_account: 1, updated_at: expect.any(Number) }
    ])
    // The token works: the simulator answers a call signed with it.
    expect(sim.stats().byMethod["flickr.test.login"]).toBe(1)

    // Again: the stored token still works, so nothing is touched.
    const filesBefore = hashTree(home)
    const mtimeBefore = fs.statSync(credentialsFile).mtimeMs
    const again = await runCli(["setup"], env)
    expectSuccess(again)
    expect(again.stdout).toMatch(/already set up for integration \(98765432@N01\).*nothing changed/)
    expect(fs.statSync(credentialsFile).mtimeMs).toBe(mtimeBefore)
    expect(hashTree(home)).toEqual(filesBefore)
    expect(sim.stats().oauthCalls).toBe(3) // request_token, authorize, access_token: only the first time

    // --force: a new authorisation and a new token, the same safe files.
    const forced = await runCli(["setup", "--force"], env)
    expectSuccess(forced)
    expect(forced.stdout).toContain("Set up for integration")
    const renewed = readCredentials(home)
    expect(renewed.oauth_token).not.toBe(credentials.oauth_token)
    expect(renewed.user).toEqual(credentials.user)
    expect(mode(credentialsFile)).toBe(0o600)
    expect(mode(home)).toBe(0o700)
    expect(fs.readdirSync(home).sort()).toEqual([CREDENTIALS_FILE, "flickr_backup.sqlite"])
    expect(usersIn(home)).toHaveLength(1)

    expectNoSecrets([first, again, forced], [sim.apiSecret, credentials.oauth_token_secret, renewed.oauth_token_secret])
  })

  it("--no-browser: prints the authorisation URL, reads the code Flickr shows from stdin", async () => {
    const sim = await startSim({ apiSecret: "nb-secret-0b8d41" })
    const home = path.join(tempDir("setup-nobrowser"), "home")
    const cli = startCli(["setup", "--no-browser"], cliEnv(home, sim))
    const [url] = await cli.waitForStdout(/https?:\/\/\S+\/authorize\?\S+/)
    const page = await (await fetch(url)).text()
    const code = /<span id="verifier">([^<]+)<\/span>/.exec(page)?.[1]
    expect(code).toMatch(/^\d{3}-\d{3}-\d{3}$/)
    cli.child.stdin!.end(`${code}\n`)
    const result = await cli.done
    expectSuccess(result)
    expect(result.stdout).toContain(`Set up for ${sim.user.username}`)
    expect(mode(home)).toBe(0o700)
    expect(mode(path.join(home, CREDENTIALS_FILE))).toBe(0o600)
    const credentials = readCredentials(home)
    expect(credentials.api_secret).toBe(sim.apiSecret)
    expect(credentials.user.nsid).toBe(sim.user.nsid)
    expect(usersIn(home)).toEqual([expect.objectContaining({ nsid: sim.user.nsid, username: sim.user.username, is_account: 1 })])
    expectNoSecrets([result], [sim.apiSecret, credentials.oauth_token_secret])
  })

  it("a wrong API secret: one clear line, non-zero exit, no file created", async () => {
    const sim = await startSim()
    const dir = tempDir("setup-wrong")
    const home = path.join(dir, "home")
    const wrong = "wrong-secret-4471"
    const result = await runCli(["setup"], cliEnv(home, sim, { FLICKR_API_SECRET: wrong, BROWSER: writeBrowserScript(dir) }))
    expectOneLineError(result, /API secret is wrong/)
    expect(fs.existsSync(home)).toBe(false)
    expect(fs.readdirSync(dir)).toEqual(["browser.sh"])
    expectNoSecrets([result], [wrong, sim.apiSecret])
  })
})

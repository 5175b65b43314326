// The help and the command line around it, through the real CLI: every way to ask for help, the
// shared options before the command, and the shell completion scripts run in their shells.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import {
  backupProgram, cliEnv, closeSimulators, expectOneLineError, expectSuccess, hashTree, removeTempDirs, runCli, runOrThrow,
  setUpHome, startSim, tempDir
} from "./support.js"

afterAll(closeSimulators)
afterAll(removeTempDirs)

/** stdout of a run that must succeed with nothing on stderr. */
const stdoutOf = async (args: ReadonlyArray<string>): Promise<string> => {
  const result = await runCli(args, cliEnv(tempDir("help")))
  expectSuccess(result)
  expect(result.stderr).toBe("")
  return result.stdout
}

describe("asking for help", () => {
  it("fbk --help begins with the usage; fbk, fbk -h and fbk help print the same; within 80 columns", async () => {
    const text = await stdoutOf(["--help"])
    expect(text).toMatch(/^Usage: fbk <command> \[options\]\n/)
    expect(text).toMatch(/\n {2}backup +back up every photo's details into the database\n/)
    for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80)
    for (const args of [[], ["-h"], ["help"]]) expect(await stdoutOf(args), args.join(" ")).toBe(text)
  })

  it("fbk help backup is fbk backup --help: its options with their defaults, the shared ones, examples", async () => {
    const text = await stdoutOf(["help", "backup"])
    expect(text).toMatch(/^Usage: fbk backup \[options\]\n/)
    expect(text).toMatch(/\n {2}--per-page N +photos per page, 1 to 500 \(default 500\)\n/)
    expect(text).toMatch(/\nOptions of every command:\n {2}--home DIR +fbk's home/)
    expect(text).toMatch(/\nExamples:\n {2}fbk backup /)
    expect(text).not.toMatch(/This setting is optional|A true or false value|--log-level|--wizard/)
    for (const args of [["backup", "--help"], ["backup", "-h"], ["--home", "/nowhere", "backup", "--help"]]) {
      expect(await stdoutOf(args), args.join(" ")).toBe(text)
    }
    expect(await stdoutOf(["help", "update"])).not.toMatch(/--numpages|--pagenum|--per-page/)
  })

  it("fbk help nosuchcommand, fbk nosuchcommand --help: one line, exit 1", async () => {
    for (const args of [["help", "nosuchcommand"], ["nosuchcommand", "--help"]]) {
      const result = await runCli(args, cliEnv(tempDir("help")))
      expectOneLineError(result, /^fbk: unknown command 'nosuchcommand': `fbk help` lists the commands\n$/)
      expect(result.stdout).toBe("")
    }
  })

  it("--version still answers", async () => {
    expect(await stdoutOf(["--version"])).toMatch(/^\d+\.\d+\.\d+\n/)
  })
})

describe("the shared options before the command", () => {
  let sim: FlickrSimulator
  let home: string
  beforeAll(async () => {
    sim = await startSim({ photos: 40, seed: 19 })
    home = await setUpHome(sim, "before")
    await runOrThrow(backupProgram(sim, home))
  })

  it("fbk --home H status is fbk status --home H", async () => {
    // FBK_HOME points elsewhere, so only --home can find the account.
    const env = cliEnv(tempDir("elsewhere"), sim)
    const after = await runCli(["status", "--home", home], env)
    expectSuccess(after)
    expect(after.stdout).toContain(home)
    const before = await runCli(["--home", home, "status"], env)
    expect(before).toEqual(after)
  })

  it("fbk -q --home H update, and fbk --db F search: run as if the options came after", async () => {
    const env = cliEnv(tempDir("elsewhere"), sim)
    const update = await runCli(["-q", "--home", home, "update"], env)
    expectSuccess(update)
    expect(update.stdout).toBe("")
    const db = path.join(home, "flickr_backup.sqlite")
    const after = await runCli(["search", "--home", home, "--db", db, "--limit", "3", "--json", "photo"], env)
    expectSuccess(after)
    expect(await runCli(["--db", db, "--home", home, "search", "--limit", "3", "--json", "photo"], env)).toEqual(after)
  })

  it("a refusal still names the command's help, and changes nothing", async () => {
    const before = hashTree(home)
    const result = await runCli(["--home", home, "backup", "--numpages", "0"], cliEnv(home, sim))
    expectOneLineError(result, /\(see `fbk backup --help`\)\n$/)
    expect(hashTree(home)).toEqual(before)
  })
})

/** Runs `script` in `shell`; null when the shell is not installed. */
const inShell = (shell: string, args: ReadonlyArray<string>): string | null => {
  const found = spawnSync(shell, ["-c", "exit 0"])
  if (found.error !== undefined) return null
  const result = spawnSync(shell, args, { encoding: "utf8" })
  expect(result.status, result.stderr).toBe(0)
  return result.stdout
}

describe("fbk --completions", () => {
  const dir = tempDir("completions")
  const script = async (shell: string) => {
    const file = path.join(dir, `fbk.${shell}`)
    fs.writeFileSync(file, await stdoutOf(["--completions", shell]))
    return file
  }

  it("bash: completes commands, a hyphenated command's options, a choice's values, and after a flag", async () => {
    const file = await script("bash")
    const complete = (...words: ReadonlyArray<string>) => {
      const quoted = words.map((w) => `'${w}'`).join(" ")
      const out = inShell("bash", ["-c", [
        `source '${file}'`,
        `COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}`,
        `_fbk_bash_completions fbk "\${COMP_WORDS[-1]}" "\${COMP_WORDS[-2]}"`,
        `printf '%s\\n' "\${COMPREPLY[@]}"`
      ].join("\n")])
      return (out ?? "").split("\n").filter((w) => w !== "")
    }
    expect(complete("fbk", "imp")).toEqual(["import-export"])
    expect(complete("fbk", "import-export", "--d")).toEqual(["--db", "--dest"])
    expect(complete("fbk", "download", "--only", "")).toEqual(["photos", "videos"])
    expect(complete("fbk", "backup", "--files", "--per")).toEqual(["--per-page"])
    expect(complete("fbk", "backup", "--files", "")).toContain("--numpages")
  })

  it("fish: completes a command and its options", async () => {
    const file = await script("fish")
    const out = inShell("fish", ["-c", `source '${file}'; complete -C 'fbk import-export --d'; complete -C 'fbk sta'`])
    if (out === null) return // fish is not installed here
    expect(out.split("\n").map((line) => line.split("\t")[0])).toEqual(expect.arrayContaining(["--db", "--dest", "status"]))
  })

  it("zsh: a script zsh reads without error that registers itself for fbk", async () => {
    const file = await script("zsh")
    const out = inShell("zsh", ["-c", `autoload -U compinit && compinit -u && source '${file}' && print -r -- $_comps[fbk]`])
    if (out === null) return // zsh is not installed here
    expect(out.trim()).toBe("_fbk_zsh_completions")
  })
})

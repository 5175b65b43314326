// What a command line asks for: the help, or a command with the shared options before its name
// moved after it; anything else is left for @effect/cli to parse (and refuse) as typed.
import { Options } from "@effect/cli"
import { describe, expect, it } from "@effect/vitest"
import { common } from "../src/Cli.js"
import { invocationOf } from "../src/CliArgv.js"
import { optionsOf } from "../src/CliDescriptors.js"

const shared = optionsOf(Options.all(common))
const asked = (...args: ReadonlyArray<string>) => invocationOf(args, ["backup", "status", "search"], shared)
const help = (command?: string) => ({ _tag: "Help", command })
const run = (command: string | undefined, ...args: ReadonlyArray<string>) => ({ _tag: "Run", args, command })

describe("invocationOf", () => {
  it("no command, help, -h, --help: the top help", () => {
    for (const args of [[], ["help"], ["-h"], ["--help"], ["--home", "H"], ["-q"]]) expect(asked(...args), args.join(" ")).toEqual(help())
  })

  it("a command's help, however it is asked for", () => {
    for (
      const args of [
        ["help", "backup"],
        ["backup", "--help"],
        ["backup", "-h"],
        ["backup", "--numpages", "2", "-h"],
        ["--home", "H", "backup", "--help"],
        ["help", "--home", "H", "backup"],
        ["--help", "backup"]
      ]
    ) expect(asked(...args), args.join(" ")).toEqual(help("backup"))
    // An unknown command's help is asked for too, so that the help refuses it.
    expect(asked("help", "nosuch")).toEqual(help("nosuch"))
    expect(asked("nosuch", "--help")).toEqual(help("nosuch"))
  })

  it("shared options before the command go after its name, in their order, values kept", () => {
    expect(asked("--home", "H", "status")).toEqual(run("status", "status", "--home", "H"))
    expect(asked("-q", "--home", "H", "backup", "--files")).toEqual(run("backup", "backup", "-q", "--home", "H", "--files"))
    expect(asked("--db=F", "--quiet", "search", "foo")).toEqual(run("search", "search", "--db=F", "--quiet", "foo"))
    expect(asked("status", "--home", "H")).toEqual(run("status", "status", "--home", "H"))
  })

  it("anything else is left as typed, for @effect/cli", () => {
    expect(asked("--bogus", "backup")).toEqual(run(undefined, "--bogus", "backup"))
    expect(asked("--home", "H", "--bogus", "backup")).toEqual(run(undefined, "--home", "H", "--bogus", "backup"))
    expect(asked("frobnicate")).toEqual(run(undefined, "frobnicate"))
    expect(asked("--version")).toEqual(run(undefined, "--version"))
    expect(asked("--completions", "bash")).toEqual(run(undefined, "--completions", "bash"))
    // After `--` a -h is a word to search for.
    expect(asked("search", "--", "-h")).toEqual(run("search", "search", "--", "-h"))
  })
})

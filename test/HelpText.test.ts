// fbk's help over the real command tree: every command and option shown, defaults said, nothing
// wider than the width; and the descriptor walk over a small tree whose rows are known.
import { Args, Command, Options } from "@effect/cli"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import { common, fbk } from "../src/Cli.js"
import { helpSourceOf, optionsOf } from "../src/CliDescriptors.js"
import { COMMANDS } from "../src/CliHelp.js"
import { commandHelp, helpFor, topHelp } from "../src/HelpText.js"

const source = helpSourceOf(fbk, Options.all(common))
const names = source.commands.map((command) => command.name)
const BUILT_IN = new Set(["-h", "--help", "--completions", "--log-level", "--wizard", "--version"])

/** Each command's option names as @effect/cli's own bash script lists them: a list the help does not build. */
const parserOptions = Effect.runSync(Command.getBashCompletions(fbk, "fbk")).join("\n")
const optionsInScript = (command: string): ReadonlyArray<string> => {
  const match = new RegExp(`^ *fbk__${command.replaceAll("-", "__")}\\)\\n *opts="([^"]*)"`, "m").exec(parserOptions)
  return (match?.[1] ?? "").split(" ").filter((name) => name !== "" && !BUILT_IN.has(name))
}

const help = (command: string, width = 80) => commandHelp(source, source.commands.find((c) => c.name === command)!, width)

/** The row of `flag` in `text` and the lines under it that continue it. */
const rowOf = (text: string, flag: string): string => {
  const lines = text.split("\n")
  const namesOf = (line: string) => line.slice(2).split("  ")[0]!.split(", ").map((name) => name.split(" ")[0])
  const start = lines.findIndex((line) => /^ {2}-/.test(line) && namesOf(line).includes(flag))
  if (start < 0) return ""
  const end = lines.findIndex((line, i) => i > start && !/^ {4,}\S/.test(line))
  return lines.slice(start, end < 0 ? undefined : end).join(" ").replace(/\s+/g, " ")
}

const expectWithin = (text: string, width: number) => {
  for (const line of text.split("\n")) {
    // Only a word too long to break (a URL) may pass the width, alone on its line.
    if (line.length > width) expect(line.trim(), line).not.toMatch(/\s/)
  }
}

describe("the help of each command", () => {
  it("every command of Cli.ts has an entry in CliHelp.ts: group, summary, examples", () => {
    expect(names.length).toBeGreaterThan(10)
    for (const name of names) expect(COMMANDS[name], name).toBeDefined()
    for (const entry of Object.values(COMMANDS)) {
      expect(entry.examples.length).toBeGreaterThanOrEqual(2)
      expect(entry.summary.length).toBeLessThanOrEqual(62)
    }
  })

  for (const command of names) {
    it(`fbk help ${command}: usage, every option the parser takes, within 80 columns, no boilerplate`, () => {
      const text = help(command)
      expect(text.split("\n")[0]).toMatch(new RegExp(`^Usage: fbk ${command}( \\[options\\])?( [A-Z]+(\\.\\.\\.)?)*$`))
      expect(text).not.toMatch(/This setting is optional|A true or false value/)
      expectWithin(text, 80)
      const options = optionsInScript(command)
      expect(options.length).toBeGreaterThan(0)
      for (const option of options) expect(rowOf(text, option), option).not.toBe("")
      for (const [example] of COMMANDS[command]!.examples) expect(text).toContain(example)
    })
  }

  it("says each default the parser falls back to", () => {
    const defaults: ReadonlyArray<readonly [string, string, string]> = [
      ["download", "--concurrency", "4"],
      ["backup", "--per-page", "500"],
      ["setup", "--timeout", "300"],
      ["search", "--limit", "50"],
      ["demo", "--photos", "2500"],
      ["serve", "--port", "8421"],
      ["serve", "--host", "127.0.0.1"],
      ["thumbs", "--size", "small"]
    ]
    for (const [command, flag, value] of defaults) {
      expect(rowOf(help(command), flag), `${command} ${flag}`).toMatch(new RegExp(`\\(default ${value}[;,)]`))
    }
    // An option without a default says none, and a flag's `false` is not a default worth saying.
    expect(rowOf(help("backup"), "--numpages")).not.toMatch(/default/)
    expect(rowOf(help("backup"), "--files")).not.toMatch(/default/)
  })

  it("lists the shared options once, after the command's own", () => {
    const text = help("backup")
    const own = text.indexOf("\nOptions:\n")
    const shared = text.indexOf("\nOptions of every command:\n")
    expect(own).toBeGreaterThan(0)
    expect(shared).toBeGreaterThan(own)
    for (const flag of ["--home DIR", "--db FILE", "-q, --quiet"]) {
      expect(text.split(flag).length - 1, flag).toBe(1)
      expect(text.indexOf(flag)).toBeGreaterThan(shared)
    }
    // demo's --home is its own: listed with demo's options.
    expect(help("demo").indexOf("--home DIR")).toBeLessThan(help("demo").indexOf("Options of every command"))
  })

  it("wraps to a narrower terminal", () => {
    for (const command of names) expectWithin(help(command, 50), 50)
    expectWithin(topHelp(source, 50), 50)
  })

  it("an unknown command: one line", () => {
    expect(helpFor(source, "nosuchcommand", 80)).toEqual(
      Either.left("unknown command 'nosuchcommand': `fbk help` lists the commands")
    )
  })
})

describe("fbk --help", () => {
  const text = topHelp(source, 80)

  it("begins with the usage, lists every command once on one line, within 80 columns", () => {
    expect(text.split("\n")[0]).toBe("Usage: fbk <command> [options]")
    expectWithin(text, 80)
    for (const command of names) {
      const rows = text.split("\n").filter((line) => line.startsWith(`  ${command} `))
      expect(rows, command).toEqual([`  ${command.padEnd(15)}${COMMANDS[command]!.summary}`])
    }
    for (const group of ["Getting started:", "Keeping in sync:", "Files:", "Looking:"]) expect(text).toContain(`\n${group}\n`)
  })

  it("shows examples, where to learn more, and only the built-in options fbk uses", () => {
    expect(text).toMatch(/\nExamples:\n {2}fbk demo /)
    expect(text).toContain("fbk help <command>")
    expect(text).toContain("README.md")
    for (const flag of ["--version", "--completions bash|zsh|fish", "--home DIR"]) expect(text).toContain(flag)
    expect(text).not.toMatch(/--log-level|--wizard|This setting is optional/)
  })

  it("a command Cli.ts gains before CliHelp.ts knows it is still listed, under Other", () => {
    const extra = Command.make("db-copy", {}, () => Effect.void).pipe(Command.withDescription("Copy the database. More."))
    const tree = Command.make("fbk").pipe(Command.withSubcommands([extra]))
    expect(topHelp(helpSourceOf(tree, Options.all(common)), 80)).toMatch(/\nOther:\n {2}db-copy +Copy the database\n/)
  })
})

describe("optionsOf", () => {
  it("reads names, placeholders, descriptions and defaults from the options as the parser has them", () => {
    const options = Options.all({
      size: Options.choice("size", ["small", "large"]).pipe(Options.withDefault("large" as const), Options.withDescription("how big")),
      count: Options.integer("count").pipe(Options.withDefault(7)),
      dest: Options.text("dest").pipe(Options.withPseudoName("DIR"), Options.optional),
      dir: Options.directory("dir").pipe(Options.optional),
      quiet: Options.boolean("quiet").pipe(Options.withAlias("q"), Options.withDescription("say less"))
    })
    expect(optionsOf(options)).toEqual([
      { names: ["--size"], placeholder: "small|large", description: "how big", fallback: Option.some("large") },
      { names: ["--count"], placeholder: "N", description: "", fallback: Option.some("7") },
      { names: ["--dest"], placeholder: "DIR", description: "", fallback: Option.none() },
      { names: ["--dir"], placeholder: "DIR", description: "", fallback: Option.none() },
      { names: ["-q", "--quiet"], placeholder: "", description: "say less", fallback: Option.none() }
    ])
  })

  it("arguments: their names in capitals, ... when repeated", () => {
    const command = Command.make("link", { dirs: Args.directory({ name: "DIR" }).pipe(Args.atLeast(1)) }, () => Effect.void)
    const tree = Command.make("fbk").pipe(Command.withSubcommands([command]))
    const [link] = helpSourceOf(tree, Options.all(common)).commands
    expect(link?.args.map((arg) => arg.usage)).toEqual(["DIR..."])
  })
})

// describeCliError over the ValidationErrors @effect/cli itself fails with when it refuses argv.
import { Args, Command, Options, ValidationError } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { describeCliError, withCliConsole } from "../src/CliConsole.js"

const backup = Command.make(
  "backup",
  {
    numPages: Options.integer("numpages").pipe(Options.optional),
    level: Options.choice("level", ["fast", "slow"]).pipe(Options.optional),
    quiet: Options.boolean("quiet").pipe(Options.withAlias("q"))
  },
  () => Effect.void
)
const search = Command.make(
  "search",
  {
    query: Args.text({ name: "query" }),
    limit: Options.integer("limit").pipe(Options.withSchema(Schema.Int.pipe(Schema.between(1, 100))), Options.withDefault(5))
  },
  () => Effect.void
)
const root = Command.make("fbk").pipe(Command.withSubcommands([backup, search]))
const run = Command.run(root, { name: "fbk", version: "0.0.0" })

/** The error @effect/cli fails with for `args`, and fbk's line for it. */
const refused = (...args: ReadonlyArray<string>) =>
  run(["node", "fbk", ...args]).pipe(
    withCliConsole, // also keeps @effect/cli's own printing of the error off the test's output
    Effect.flip,
    Effect.map((error) => ({ tag: error._tag, line: describeCliError(error, args) })),
    Effect.provide(NodeContext.layer)
  )

describe("describeCliError", () => {
  it.effect("a value that is not a number: names the option, quotes the value, points at the command's help", () =>
    Effect.gen(function*() {
      const expected = { tag: "InvalidValue", line: "--numpages: 'abc' is not a integer (see `fbk backup --help`)" }
      expect(yield* refused("backup", "--numpages", "abc")).toEqual(expected)
      expect(yield* refused("backup", "--numpages=abc")).toEqual(expected)
      expect(yield* refused("backup", "-q", "--numpages", "abc")).toEqual(expected)
    }))

  it.effect("an unknown option or stray argument is named", () =>
    Effect.gen(function*() {
      expect(yield* refused("backup", "--bogus")).toEqual({
        tag: "InvalidValue",
        line: "Received unknown argument: '--bogus' (see `fbk backup --help`)"
      })
      expect(yield* refused("backup", "extra")).toEqual({
        tag: "InvalidValue",
        line: "Received unknown argument: 'extra' (see `fbk backup --help`)"
      })
    }))

  it.effect("an unknown command or a leading unknown option: named, with the commands and the top-level help", () =>
    Effect.gen(function*() {
      const commands = "Invalid subcommand for fbk - use one of 'backup', 'search' (see `fbk --help`)"
      expect(yield* refused("frobnicate")).toEqual({ tag: "CommandMismatch", line: `unknown command 'frobnicate': ${commands}` })
      expect(yield* refused("--bogus", "backup")).toEqual({ tag: "CommandMismatch", line: `unknown option '--bogus': ${commands}` })
    }))

  it.effect("a missing argument, and a choice not among the cases (no value quoted, so no option named)", () =>
    Effect.gen(function*() {
      expect(yield* refused("search")).toEqual({ tag: "MissingValue", line: "Missing argument <query> (see `fbk search --help`)" })
      expect(yield* refused("backup", "--level", "medium")).toEqual({
        tag: "InvalidValue",
        line: "Expected one of the following cases: fast, slow (see `fbk backup --help`)"
      })
    }))

  it.effect("a message over several lines (a schema's) comes out on one", () =>
    Effect.gen(function*() {
      const { line, tag } = yield* refused("search", "--limit", "500", "cats")
      expect(tag).toBe("InvalidValue")
      expect(line).not.toContain("\n")
      expect(line).toMatch(/^\S.*between 1 and 100.*500.* \(see `fbk search --help`\)$/)
    }))

  it("help asked of a command without a handler prints nothing more", () =>
    Effect.runPromise(Effect.flip(root.handler({ subcommand: Option.none() }))).then((error) => {
      expect(ValidationError.isHelpRequested(error)).toBe(true)
      expect(describeCliError(error, [])).toBeNull()
    }))
})

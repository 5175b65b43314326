// From argv to a run: the help fbk draws itself, the bash completion script it repairs, or the
// command (its shared options moved after its name) for @effect/cli to parse and run.
import { Options } from "@effect/cli"
import { Console, Effect, Either } from "effect"
import { common, fbk, run } from "./Cli.js"
import { invocationOf, type Invocation } from "./CliArgv.js"
import { commandNamesOf, helpSourceOf, optionsOf } from "./CliDescriptors.js"
import { bashCompletions } from "./Completions.js"
import { UsageError } from "./schema/Errors.js"
import { helpFor } from "./HelpText.js"

const shared = Options.all(common)

/** What `argv` (the whole process.argv) asks for; the names only (every description rendered costs a cold start 100 ms). */
export const invocation = (argv: ReadonlyArray<string>): Invocation =>
  invocationOf(argv.slice(2), commandNamesOf(fbk), optionsOf(shared, false))

/** The help's width: the terminal's when narrower than 80 columns, else 80. */
export const helpWidth = (columns: number | undefined): number => Math.max(40, Math.min(80, columns || 80))

/** Runs what `argv` asked for (`asked`, from `invocation`); help goes to stdout. */
export const runInvocation = (argv: ReadonlyArray<string>, asked: Invocation, width: number) => {
  if (asked._tag === "Help") {
    return Either.match(helpFor(helpSourceOf(fbk, shared), asked.command, width), {
      onLeft: (reason) => Effect.fail(new UsageError({ reason })),
      onRight: (text) => Console.log(text)
    })
  }
  // @effect/cli gives `sh` the bash script too.
  if (asked.args.length === 2 && asked.args[0] === "--completions" && ["bash", "sh"].includes(asked.args[1]!)) {
    return Effect.flatMap(bashCompletions(fbk, "fbk"), (script) => Console.log(script))
  }
  return run([...argv.slice(0, 2), ...asked.args])
}

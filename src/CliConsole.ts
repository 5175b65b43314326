// @effect/cli's own output: help and completions go to stdout (unstyled when it is not a
// terminal); a command line it refuses becomes fbk's one line, built from the ValidationError.
import { HelpDoc, type ValidationError } from "@effect/cli"
import * as Doc from "@effect/printer/Doc"
import { Effect } from "effect"
import { absurd } from "effect/Function"

const ANSI_STYLE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

const plain = (args: ReadonlyArray<unknown>): string => args.map(String).join(" ").replace(ANSI_STYLE, "")

/** @effect/cli's message, through its own renderer without styling, on one line. */
export const oneLine = (doc: HelpDoc.HelpDoc): string =>
  Doc.render(Doc.unAnnotate(HelpDoc.toAnsiDoc(doc)), { style: "pretty" }).replace(/\s+/g, " ").trim()

/**
 * The option whose value `message` quotes (`--numpages abc` or `--numpages=abc` for `'abc'`):
 * @effect/cli's InvalidValue carries only a message, and the message quotes the value, not the option.
 */
const optionQuoted = (args: ReadonlyArray<string>, message: string): string | undefined => {
  const quoted = (value: string) => value !== "" && message.includes(`'${value}'`)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const previous = args[i - 1]
    if (!arg.startsWith("-") && previous?.startsWith("-") && quoted(arg)) return previous.split("=")[0]
    const equals = arg.indexOf("=")
    if (arg.startsWith("-") && equals > 0 && quoted(arg.slice(equals + 1))) return arg.slice(0, equals)
  }
  return undefined
}

/**
 * The line (without `fbk: `) for a command line @effect/cli refused, or null when there is nothing
 * to say; `args` are the process's arguments after the script.
 */
export const describeCliError = (error: ValidationError.ValidationError, args: ReadonlyArray<string>): string | null => {
  const given = args[0]
  const command = given === undefined || given.startsWith("-") ? undefined : given
  const hint = (name: string | undefined) => ` (see \`fbk ${name === undefined ? "" : `${name} `}--help\`)`
  const message = oneLine(error.error)
  const otherwise = (fallback: string) => (message === "" ? fallback : message)
  switch (error._tag) {
    case "HelpRequested":
      return null
    case "CommandMismatch": {
      const what = command === undefined
        ? given === undefined ? "no command given" : `unknown option '${given}'`
        : `unknown command '${command}'`
      return `${what}: ${otherwise("not a command")}${hint(undefined)}`
    }
    case "InvalidValue": {
      const option = optionQuoted(args, message)
      return `${option === undefined ? "" : `${option}: `}${otherwise("a value is not valid")}${hint(command)}`
    }
    case "MultipleValuesDetected":
      return `${otherwise("more than one value given")}: ${error.values.join(", ")}${hint(command)}`
    case "UnclusteredFlag":
      return `${otherwise(`cannot read the short options ${error.unclustered.join(" ")}`.trim())}${hint(command)}`
    case "InvalidArgument":
    case "MissingValue":
    case "MissingFlag":
    case "MissingSubcommand":
    case "CorrectedFlag":
    case "NoBuiltInMatch":
      return `${otherwise("the command line is not valid")}${hint(command)}`
    default:
      return absurd(error)
  }
}

/** Runs `self` (the command tree) with @effect/cli's output adapted as described above. */
export const withCliConsole = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.console, (console) =>
    Effect.withConsole(self, {
      ...console,
      log: (...parts: ReadonlyArray<unknown>) =>
        process.stdout.isTTY ? console.log(...parts) : Effect.sync(() => void process.stdout.write(`${plain(parts)}\n`)),
      // @effect/cli prints a refused command line's HelpDoc before failing with the
      // ValidationError; fbk reports that failure itself, as one line (describeCliError).
      error: () => Effect.void
    }))

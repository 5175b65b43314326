// @effect/cli writes its own messages through Effect's Console: help and completions with `log`,
// a command line it cannot parse with `error`, as several styled lines. fbk keeps the help but
// drops the styling when stdout is not a terminal, and folds a parse error into fbk's one line,
// naming the option or command at fault.
import { Effect } from "effect"

const ANSI_STYLE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

const plain = (args: ReadonlyArray<unknown>): string => args.map(String).join(" ").replace(ANSI_STYLE, "")

/** The option `value` was given to on `argv` (`--numpages abc` or `--numpages=abc`). */
const optionGiven = (argv: ReadonlyArray<string>, value: string): string | undefined => {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === value && argv[i - 1]?.startsWith("-")) return argv[i - 1]
    if (arg.startsWith("-") && arg.endsWith(`=${value}`)) return arg.slice(0, arg.indexOf("="))
  }
  return undefined
}

/** One line for a command line @effect/cli refused; `args` are the process's arguments after the script. */
export const describeCliError = (message: string, args: ReadonlyArray<string>): string => {
  const command = args[0]
  const notANumber = /^'(.*)' is not a[n]? integer/.exec(message)
  if (notANumber !== null) {
    const value = notANumber[1]!
    const option = optionGiven(args, value)
    return `${option ?? "an option"} takes a whole number, not '${value}' (see \`fbk ${command} --help\`)`
  }
  const commands = /^Invalid subcommand for \S+ - use one of (.*)$/.exec(message)
  if (commands !== null) {
    const given = command === undefined
      ? "no command given"
      : command.startsWith("-") ? `unknown option '${command}'` : `unknown command '${command}'`
    return `${given}; the commands are ${commands[1]!.replaceAll("'", "")} (see \`fbk --help\`)`
  }
  const hint = command === undefined || command.startsWith("-") ? "fbk --help" : `fbk ${command} --help`
  return `${message} (see \`${hint}\`)`
}

/** Runs `self` (the command tree) with @effect/cli's output adapted as described above. */
export const withCliConsole = (args: ReadonlyArray<string>) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.console, (console) =>
    Effect.withConsole(self, {
      ...console,
      log: (...parts: ReadonlyArray<unknown>) =>
        process.stdout.isTTY ? console.log(...parts) : Effect.sync(() => void process.stdout.write(`${plain(parts)}\n`)),
      error: (...parts: ReadonlyArray<unknown>) =>
        Effect.sync(() => {
          const lines = plain(parts).split("\n").map((l) => l.trim()).filter((l) => l !== "")
          process.stderr.write(`fbk: ${describeCliError(lines.join("; "), args)}\n`)
        })
    }))

// What a command line asks for before @effect/cli parses it: fbk's help, or a command, with the
// shared options given before its name (`fbk --home X status`) moved after it, where the parser wants them.
import type { OptionHelp } from "./CliDescriptors.js"

export type Invocation =
  /** `fbk`, `fbk help [command]`, `fbk --help`, `fbk <command> --help`; no command is the top help. */
  | { readonly _tag: "Help"; readonly command: string | undefined }
  /** Everything else, for @effect/cli: `args` without the script; `command` when the first is one. */
  | { readonly _tag: "Run"; readonly args: ReadonlyArray<string>; readonly command: string | undefined }

const HELP = new Set(["-h", "--help"])

/** Whether `args` ask for help before a `--` (after which a `-h` is a word). */
const asksHelp = (args: ReadonlyArray<string>): boolean => {
  const end = args.indexOf("--")
  return (end < 0 ? args : args.slice(0, end)).some((arg) => HELP.has(arg))
}

/** How many of the leading `args` are shared options (with their values). */
const leadingShared = (args: ReadonlyArray<string>, shared: ReadonlyArray<OptionHelp>): number => {
  let i = 0
  while (i < args.length) {
    const [name = "", inline] = args[i]!.split(/=(.*)/s, 2)
    const option = shared.find((o) => o.names.includes(name))
    if (option === undefined) break
    const takesValue = option.placeholder !== ""
    if (takesValue && inline === undefined && i + 1 >= args.length) break
    i += takesValue && inline === undefined ? 2 : 1
  }
  return i
}

/**
 * What `args` (the process's arguments after the script) ask for; `commands` are Cli.ts's
 * command names and `shared` the options each of them takes.
 */
export const invocationOf = (
  args: ReadonlyArray<string>,
  commands: ReadonlyArray<string>,
  shared: ReadonlyArray<OptionHelp>
): Invocation => {
  const skip = leadingShared(args, shared)
  const [first, ...rest] = args.slice(skip)
  if (first === undefined) return { _tag: "Help", command: undefined }
  if (first === "help" || HELP.has(first)) {
    const [command] = rest.slice(leadingShared(rest, shared))
    return { _tag: "Help", command: command?.startsWith("-") === false ? command : undefined }
  }
  if (!first.startsWith("-") && asksHelp(rest)) return { _tag: "Help", command: first }
  return commands.includes(first)
    ? { _tag: "Run", args: [first, ...args.slice(0, skip), ...rest], command: first }
    : { _tag: "Run", args, command: undefined }
}

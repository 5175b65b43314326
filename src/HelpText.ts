// fbk's help as plain text wrapped to a width: `fbk --help` (the commands by group, examples) and
// `fbk help <command>` (its options with their defaults, the shared ones once, examples).
import { Either, Option } from "effect"
import type { CommandHelp, HelpSource, OptionHelp } from "./CliDescriptors.js"
import { COMMANDS, EXAMPLES, type Example, GROUPS, README } from "./CliHelp.js"

const LEARN_MORE: ReadonlyArray<Example> = [
  ["fbk help <command>", "a command's options, their defaults, examples"],
  ["README.md", README]
]

const INDENT = "  "
/** A left column wider than this puts its right column on the next lines. */
const MAX_LEFT = 28
const MIN_TEXT = 24

/** @effect/cli's own options: shown where fbk uses them (--log-level and --wizard are not). */
const BUILT_IN: ReadonlyArray<Example> = [
  ["--version", "print fbk's version"],
  ["--completions bash|zsh|fish", "print a shell completion script (README: \"Shell completions\")"],
  ["-h, --help", "this help; after a command, that command's help"]
]

/** `text` in lines of at most `width` columns; a word longer than that stands alone. */
const wrap = (text: string, width: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line === "") line = word
    else if (line.length + 1 + word.length <= width) line += ` ${word}`
    else {
      lines.push(line)
      line = word
    }
  }
  return line === "" ? lines : [...lines, line]
}

/**
 * Rows of two columns; a left part too wide for the column (`maxLeft`) has its text on the lines
 * under it. `minLeft` lines up several sections.
 */
const columns = (
  rows: ReadonlyArray<readonly [string, string]>,
  width: number,
  { maxLeft = MAX_LEFT, minLeft = 0 } = {}
): ReadonlyArray<string> => {
  const fitting = rows.map(([left]) => left.length).filter((n) => n <= maxLeft)
  const sideBySide = INDENT.length + Math.max(minLeft, ...fitting) + 2
  // On a narrow terminal every row is stacked, its text under it.
  const at = width - sideBySide >= MIN_TEXT ? sideBySide : INDENT.length * 2
  const textWidth = width - at
  return rows.flatMap(([left, right]) => {
    const [first = "", ...rest] = wrap(right, textWidth)
    const under = rest.map((line) => " ".repeat(at) + line)
    return INDENT.length + left.length + 2 > at
      ? [INDENT + left, ...[first, ...rest].map((line) => " ".repeat(at) + line)]
      : [(INDENT + left.padEnd(at - INDENT.length) + first).trimEnd(), ...under]
  })
}

/** Examples side by side with what they do when all fit, else each over its explanation. */
const examples = (rows: ReadonlyArray<Example>, width: number): ReadonlyArray<string> =>
  rows.every(([command]) => command.length <= MAX_LEFT)
    ? columns(rows, width)
    : columns(rows, width, { maxLeft: 2 })

const section = (title: string, lines: ReadonlyArray<string>, width: number): ReadonlyArray<string> =>
  lines.length === 0 ? [] : ["", ...wrap(`${title}:`, width), ...lines]

const optionRow = (option: OptionHelp): readonly [string, string] => {
  const left = option.names.join(", ") + (option.placeholder === "" ? "" : ` ${option.placeholder}`)
  // A description that already names its default (and says more about it) is not told twice.
  const fallback = Option.filter(option.fallback, (value) => !option.description.includes(`default ${value}`))
  return [left, option.description + Option.match(fallback, { onNone: () => "", onSome: (v) => ` (default ${v})` })]
}

const sameOption = (a: OptionHelp, b: OptionHelp) => a.names.join() === b.names.join() && a.description === b.description

/** The usage line, `fbk backup [options]` or `fbk link [options] DIR...`. */
const usageOf = (command: CommandHelp): string =>
  ["fbk", command.name, command.options.length > 0 ? "[options]" : "", ...command.args.map((a) => a.usage)]
    .filter((part) => part !== "")
    .join(" ")

/** The first sentence of a description, for a command Cli.ts has that CliHelp.ts does not know yet. */
const firstSentence = (text: string) => (text.split(/(?<=\.)\s/)[0] ?? text).replace(/\.$/, "")

/** `fbk --help`: usage, the commands by group (one line each), shared options, examples, where to learn more. */
export const topHelp = (source: HelpSource, width: number): string => {
  const known = Object.keys(COMMANDS)
  const order = (name: string) => (known.includes(name) ? known.indexOf(name) : known.length)
  const nameWidth = Math.max(...source.commands.map((command) => command.name.length))
  const grouped = GROUPS.flatMap((group) => {
    const rows = source.commands
      .filter((command) => (COMMANDS[command.name]?.group ?? "Other") === group)
      .sort((a, b) => order(a.name) - order(b.name))
      .map((command) => [command.name, COMMANDS[command.name]?.summary ?? firstSentence(command.description)] as const)
    return section(group, columns(rows, width, { minLeft: nameWidth }), width)
  })
  return [
    "Usage: fbk <command> [options]",
    "",
    ...wrap(source.root.description, width),
    ...grouped,
    ...section("Options of every command (before or after its name)", columns(source.shared.map(optionRow), width), width),
    ...section("Examples", examples(EXAMPLES, width), width),
    ...section("Learn more", columns(LEARN_MORE, width), width),
    ...section("Other options", columns(BUILT_IN, width), width)
  ].join("\n")
}

/** `fbk help <command>`: usage, what it does, its arguments and options, the shared options, examples. */
export const commandHelp = (source: HelpSource, command: CommandHelp, width: number): string => {
  const own = command.options.filter((option) => !source.shared.some((shared) => sameOption(option, shared)))
  const shared = command.options.filter((option) => source.shared.some((s) => sameOption(option, s)))
  return [
    `Usage: ${usageOf(command)}`,
    "",
    ...wrap(command.description, width),
    ...section("Arguments", columns(command.args.map((arg) => [arg.usage, arg.description]), width), width),
    ...section("Options", columns(own.map(optionRow), width), width),
    ...section("Options of every command", columns([...shared.map(optionRow), ["-h, --help", "this help"]], width), width),
    ...section("Examples", examples(COMMANDS[command.name]?.examples ?? [], width), width),
    "",
    ...wrap(`More: the README's \`fbk ${command.name}\` section; \`fbk help\` lists every command.`, width)
  ].join("\n")
}

/**
 * The help `fbk help [command]` asks for, or (Left) the one line refusing a command fbk does
 * not have.
 */
export const helpFor = (source: HelpSource, command: string | undefined, width: number): Either.Either<string, string> => {
  if (command === undefined) return Either.right(topHelp(source, width))
  const found = source.commands.find((c) => c.name === command)
  return found === undefined
    ? Either.left(`unknown command '${command}': \`fbk help\` lists the commands`)
    : Either.right(commandHelp(source, found, width))
}

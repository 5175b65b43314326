// What the help says of each command, read from the command tree the parser runs (@effect/cli's
// descriptors), so an option added to Cli.ts shows up in the help without a second list.
import type { HelpDoc, Options } from "@effect/cli"
import { Option } from "effect"
import { oneLine } from "./CliConsole.js"

/** A command as Command.make and Command.withSubcommands build it. */
export interface CommandTree {
  readonly descriptor: unknown
}

/** One option as the help shows it. */
export interface OptionHelp {
  /** Every name, `-q` and `--quiet`, as typed. */
  readonly names: ReadonlyArray<string>
  /** What follows the name on the command line (`N`, `DIR`, `photos|videos`); "" for a flag. */
  readonly placeholder: string
  readonly description: string
  /** The value used when the option is left out, when it has one worth saying. */
  readonly fallback: Option.Option<string>
}

/** One command: its name, what it does, its options and its positional arguments (`DIR...`). */
export interface CommandHelp {
  readonly name: string
  readonly description: string
  readonly options: ReadonlyArray<OptionHelp>
  readonly args: ReadonlyArray<{ readonly usage: string; readonly description: string }>
}

// @effect/cli does not export its descriptor types: these are the fields fbk reads, and the
// renderer's test fails if a new version renames them (an option would go missing).
interface Node {
  readonly _tag: string
  readonly [field: string]: unknown
}
interface Primitive {
  readonly _tag: string
  readonly pathType?: string
  readonly alternatives?: ReadonlyArray<readonly [string, unknown]>
}

const node = (value: unknown): Node => value as Node
const text = (doc: unknown): string => oneLine(doc as HelpDoc.HelpDoc)
const flagName = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`)

const placeholderOf = (pseudoName: Option.Option<string>, primitive: Primitive): string => {
  if (Option.isSome(pseudoName)) return pseudoName.value.toUpperCase()
  switch (primitive._tag) {
    case "Bool":
      return ""
    case "Path":
      return primitive.pathType === "directory" ? "DIR" : primitive.pathType === "file" ? "FILE" : "PATH"
    case "Integer":
      return "N"
    case "Float":
      return "NUMBER"
    case "Choice":
      return (primitive.alternatives ?? []).map(([name]) => name).join("|")
    default:
      return primitive._tag.toUpperCase()
  }
}

/** The default worth printing: not "none" (Options.optional) and not a flag's `false`. */
const fallbackOf = (fallback: Option.Option<unknown>, primitive: Primitive): Option.Option<string> =>
  Option.flatMap(fallback, (value) => {
    if (Option.isOption(value)) return Option.map(value, String)
    if (primitive._tag === "Bool") return Option.none()
    const named = primitive.alternatives?.find(([, alternative]) => alternative === value)
    return Option.some(named === undefined ? String(value) : named[0])
  })

/** Renders an option's description; the command line's handling needs none, and skips the cost. */
type Describe = (doc: unknown) => string

const optionsIn = (self: Node, fallback: Option.Option<unknown>, describe: Describe): ReadonlyArray<OptionHelp> => {
  switch (self._tag) {
    case "Single": {
      const primitive = self.primitiveType as Primitive
      return [{
        names: [...(self.aliases as ReadonlyArray<string>), self.name as string].map(flagName),
        placeholder: placeholderOf(self.pseudoName as Option.Option<string>, primitive),
        description: describe(self.description),
        fallback: fallbackOf(fallback, primitive)
      }]
    }
    case "WithDefault":
      return optionsIn(node(self.options), Option.some(self.fallback), describe)
    case "Map":
    case "WithFallback":
      return optionsIn(node(self.options), fallback, describe)
    case "Variadic":
    case "KeyValueMap":
      return optionsIn(node(self.argumentOption), fallback, describe)
    case "Both":
    case "OrElse":
      return [...optionsIn(node(self.left), fallback, describe), ...optionsIn(node(self.right), fallback, describe)]
    default:
      return []
  }
}

/**
 * The options of `options` (a single option or a struct of them, as Command.make takes);
 * `described: false` leaves the descriptions empty, for a start-up that only reads the names.
 */
export const optionsOf = (options: Options.Options<unknown>, described = true): ReadonlyArray<OptionHelp> =>
  optionsIn(node(options), Option.none(), described ? text : () => "")

const argsIn = (self: Node, repeated: string): CommandHelp["args"] => {
  switch (self._tag) {
    case "Single": {
      const name = Option.getOrElse(self.pseudoName as Option.Option<string>, () => String(self.name))
      return [{ usage: `${name.replace(/[<>]/g, "").toUpperCase()}${repeated}`, description: text(self.description) }]
    }
    case "Variadic":
      return argsIn(node(self.args), "...")
    case "Map":
    case "WithDefault":
    case "WithFallbackConfig":
      return argsIn(node(self.args), repeated)
    case "Both":
      return [...argsIn(node(self.left), repeated), ...argsIn(node(self.right), repeated)]
    default:
      return []
  }
}

/** The command itself under the layers and handlers wrapped around it. */
const standard = (self: Node): Node =>
  self._tag === "Map" ? standard(node(self.command)) : self._tag === "Subcommands" ? standard(node(self.parent)) : self

const commandOf = (descriptor: Node): CommandHelp => {
  const self = standard(descriptor)
  return {
    name: String(self.name),
    description: text(self.description),
    options: optionsIn(node(self.options), Option.none(), text),
    args: argsIn(node(self.args), "")
  }
}

const childrenOf = (root: CommandTree): ReadonlyArray<Node> => {
  const tree = node(root.descriptor)
  return tree._tag === "Subcommands" ? (tree.children as ReadonlyArray<unknown>).map(node) : []
}

/** Every subcommand of `root`, in the order Cli.ts lists them. */
export const commandsOf = (root: CommandTree): ReadonlyArray<CommandHelp> => childrenOf(root).map(commandOf)

/** The names of `root`'s subcommands, without the cost of rendering their help. */
export const commandNamesOf = (root: CommandTree): ReadonlyArray<string> =>
  childrenOf(root).map((child) => String(standard(child).name))

/** `root` itself: its name and description (its options are @effect/cli's built-ins). */
export const rootOf = (root: CommandTree): CommandHelp => commandOf(node(root.descriptor))

/** What the help is drawn from: Cli.ts's commands, and the options every command shares. */
export interface HelpSource {
  readonly root: CommandHelp
  readonly commands: ReadonlyArray<CommandHelp>
  readonly shared: ReadonlyArray<OptionHelp>
}

/** The help of `root`, whose commands all take `shared` (a struct of options, as Command.make takes). */
export const helpSourceOf = (root: CommandTree, shared: Options.Options<unknown>): HelpSource => ({
  root: rootOf(root),
  commands: commandsOf(root),
  shared: optionsOf(shared)
})

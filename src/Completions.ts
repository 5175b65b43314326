// `fbk --completions bash`: @effect/cli's script with its three slips put right, so that it
// completes import-export's options, offers a choice's values apart, and goes on after a flag.
import { Command } from "@effect/cli"
import { Effect } from "effect"

/** A case for a flag that "completes" the word as typed, so nothing else is offered after it. */
const FLAG_CASE = /^ *[^\n]*\)\n *COMPREPLY=\( "\$\{cur\}" \)\n *return 0\n *;;\n/gm

/** @effect/cli's bash script for `root` (named `name`), repaired. */
export const bashCompletions = <Name extends string, R, E, A>(root: Command.Command<Name, R, E, A>, name: string) =>
  Effect.map(Command.getBashCompletions(root, name), (lines) =>
    lines
      .join("\n")
      // A command's case reads "import__export" where the word typed is "import-export".
      .replace(new RegExp(`^( *${name},)([\\w_]+)\\)$`, "gm"), (_, head: string, command: string) =>
        `${head}${command.replaceAll("__", "-")})`)
      // compgen -W splits its words on spaces, not commas.
      .replace(/compgen -W "([^"$]*)"/g, (_, words: string) => `compgen -W "${words.replaceAll(",", " ")}"`)
      .replace(FLAG_CASE, ""))

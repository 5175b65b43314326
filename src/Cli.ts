// The command tree: every command, its options and its help (the commands in src/cli/). Handlers
// only parse and validate options, then run a program with the layers it needs.
import { Command } from "@effect/cli"
import { copyOutCommand, downloadCommand, importExportCommand, linkCommand, thumbsCommand, verifyCommand } from "./cli/FileCommands.js"
import { dbBackupCommand, demoCommand, searchCommand, serveCommand, showCommand, statusCommand } from "./cli/LookCommands.js"
import { backupCommand, detailsCommand, setupCommand, updateCommand } from "./cli/SyncCommands.js"

export { common } from "./cli/Options.js"

export const fbk = Command.make("fbk").pipe(
  Command.withDescription("Keep a complete, trustworthy local copy of your Flickr account in SQLite."),
  Command.withSubcommands([
    setupCommand,
    backupCommand,
    updateCommand,
    detailsCommand,
    downloadCommand,
    importExportCommand,
    verifyCommand,
    linkCommand,
    searchCommand,
    showCommand,
    serveCommand,
    thumbsCommand,
    copyOutCommand,
    statusCommand,
    dbBackupCommand,
    demoCommand
  ])
)

export const run = Command.run(fbk, { name: "fbk", version: "0.1.0" })

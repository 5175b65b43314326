#!/usr/bin/env node
// fbk's entry point: runs the command tree with Node's platform layers, and turns every
// expected failure into one line on stderr and a non-zero exit.
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer } from "effect"
import * as v8 from "node:v8"
import { helpWidth, invocation } from "./CliRun.js"
import { main } from "./Main.js"

// Smaller heap growth keeps peak memory near the live data of the commands that parse many records,
// and of the viewer, whose large pages (the tags, the map's points) are garbage once sent (V8 reads this at each GC). Not for download, verify or link: they hold little, but V8 counts the
// file buffers they stream as heap growth, and with this flag a download ran a full GC every 10 MB.
const LIVE_DATA_SIZED = new Set(["backup", "update", "details", "import-export", "serve"])

// The command is named after the shared options that may come before it (`fbk --home X backup`).
const asked = invocation(process.argv)
const command = asked._tag === "Run" ? asked.command : undefined
if (LIVE_DATA_SIZED.has(command ?? "")) v8.setFlagsFromString("--heap-growing-percent=50")

const platform = Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)

/** What Ctrl-C leaves behind: every stored page is committed, and the same command goes on. */
const RESUMABLE = new Set(["backup", "update", "details", "download", "link", "import-export"])

/** How a signal that stops fbk is told and exits: 128 + its number, as shells report it. */
const STOPS = {
  SIGINT: { said: "interrupted (Ctrl-C)", code: 130 },
  SIGTERM: { said: "stopped by SIGTERM", code: 143 }
} as const

// runMain interrupts the command on either signal without saying which; this remembers it.
let stoppedBy: keyof typeof STOPS = "SIGINT"
const remember = (signal: keyof typeof STOPS) => () => {
  stoppedBy = signal
  process.removeListener("SIGINT", onSigint)
  process.removeListener("SIGTERM", onSigterm)
}
const onSigint = remember("SIGINT")
const onSigterm = remember("SIGTERM")
process.on("SIGINT", onSigint)
process.on("SIGTERM", onSigterm)

const interruptedLine = (command: string | undefined): string =>
  command !== undefined && RESUMABLE.has(command)
    ? `${STOPS[stoppedBy].said}; everything stored so far is kept, and \`fbk ${command}\` carries on from there`
    : STOPS[stoppedBy].said

NodeRuntime.runMain(main(process.argv, asked, helpWidth(process.stdout.columns)).pipe(Effect.provide(platform)), {
  disableErrorReporting: true,
  disablePrettyLogger: true,
  teardown: (exit, onExit) => {
    if (Exit.isSuccess(exit)) return onExit(0)
    if (!Cause.isInterruptedOnly(exit.cause)) return onExit(1)
    // The viewer runs until it is stopped: a signal is how it ends, not a failure.
    if (command === "serve") return onExit(0)
    process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}fbk: ${interruptedLine(command)}\n`)
    onExit(STOPS[stoppedBy].code)
  }
})

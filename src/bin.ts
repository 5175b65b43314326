#!/usr/bin/env node
// fbk's entry point: runs the command tree with Node's platform layers, and turns every
// expected failure into one line on stderr and a non-zero exit.
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer } from "effect"
import * as v8 from "node:v8"
import { run } from "./Cli.js"
import { describeFailure } from "./ErrorMessages.js"

// A backup allocates a page's worth of short-lived objects per call, and V8's default heap
// growth (up to 4x the live heap) let a 100,000-photo run reach ~300 MiB for ~30 MiB of live
// data. Growing by 50% per major GC keeps the peak near 220 MiB at about the same CPU cost
// (measured in the benchmark); V8 reads this flag at every collection, so setting it here works.
v8.setFlagsFromString("--heap-growing-percent=50")

const platform = Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)

const ANSI_STYLE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

/** Where to read about the command line that was just refused. */
const helpHint = (message: string): string => {
  const command = process.argv[2]
  return command === undefined || command.startsWith("-") || message.startsWith("Invalid subcommand")
    ? "see `fbk --help`"
    : `see \`fbk ${command} --help\``
}

/** @effect/cli reports a command line it cannot parse as several styled lines: fold them into one. */
const asOneLine = (args: ReadonlyArray<unknown>): string => {
  const message = args.map(String).join(" ").replace(ANSI_STYLE, "").split("\n").map((l) => l.trim()).filter((l) => l !== "")
    .join("; ").replace(/\ba integer\b/, "an integer")
  return `${message} (${helpHint(message)})`
}

/** Marks a failure already reported to the user. */
class Reported {
  readonly _tag = "Reported"
}

const main = Effect.flatMap(Effect.console, (console) =>
  Effect.withConsole(run(process.argv), {
    ...console,
    error: (...args: ReadonlyArray<unknown>) => Effect.sync(() => void process.stderr.write(`fbk: ${asOneLine(args)}\n`))
  })).pipe(
  Effect.provide(platform),
  Effect.catchAllCause((cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
    const line = describeFailure(cause)
    return Effect.sync(() => {
      if (line !== null) process.stderr.write(`fbk: ${line}\n`)
      if (process.env.FBK_DEBUG) process.stderr.write(`${Cause.pretty(cause)}\n`)
    }).pipe(Effect.zipRight(Effect.fail(new Reported())))
  })
)

NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  disablePrettyLogger: true,
  teardown: (exit, onExit) => {
    if (Exit.isSuccess(exit)) return onExit(0)
    onExit(Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
  }
})

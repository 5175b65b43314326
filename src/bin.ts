#!/usr/bin/env node
// fbk's entry point: runs the command tree with Node's platform layers, and turns every
// expected failure into one line on stderr and a non-zero exit.
import { NodeContext, NodeHttpClient, NodeRuntime } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer } from "effect"
import { run } from "./Cli.js"
import { describeFailure } from "./ErrorMessages.js"

const platform = Layer.mergeAll(NodeContext.layer, NodeHttpClient.layerUndici)

/** Marks a failure already reported to the user. */
class Reported {
  readonly _tag = "Reported"
}

const main = run(process.argv).pipe(
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

// fbk's command line as one effect, for bin.ts and the tests that run it in-process: what argv asks
// for, with @effect/cli's output adapted, and every expected failure told as one line on stderr.
import { Cause, Effect } from "effect"
import type { Invocation } from "./CliArgv.js"
import { withCliConsole } from "./CliConsole.js"
import { runInvocation } from "./CliRun.js"
import { describeFailure } from "./ErrorMessages.js"

/** Runs `argv` (node, the script, then fbk's arguments) as `asked` reads it; fails with the cause already told on stderr. */
export const main = (argv: ReadonlyArray<string>, asked: Invocation, helpWidth: number) =>
  runInvocation(argv, asked, helpWidth).pipe(
    withCliConsole,
    Effect.tapErrorCause((cause) =>
      Effect.sync(() => {
        if (Cause.isInterruptedOnly(cause)) return
        const line = describeFailure(cause, asked._tag === "Run" ? asked.args : argv.slice(2))
        if (line !== null) process.stderr.write(`fbk: ${line}\n`)
        if (process.env.FBK_DEBUG) process.stderr.write(`${Cause.pretty(cause, { renderErrorCause: true })}\n`)
      })
    )
  )

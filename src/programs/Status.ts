// `fbk status`: the report in words, or with --json as data. No network.
import { Clock, Effect } from "effect"
import { Reporter } from "../services/terminal/Reporter.js"
import { statusReport } from "./status/StatusReport.js"
import { statusLines } from "./status/StatusLines.js"

export const status = (options: { readonly json: boolean }) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const report = yield* statusReport
    const now = yield* Clock.currentTimeMillis
    yield* reporter.output(options.json ? JSON.stringify(report, null, 2) : statusLines(report, now).join("\n"))
    return report
  })

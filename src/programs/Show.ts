// `fbk show ID`: everything the database holds about one photo, in sections for a person or as
// one JSON object. No network.
import { Effect, Option } from "effect"
import { UsageError } from "../schema/Errors.js"
import { Reporter } from "../services/terminal/Reporter.js"
import { photoReport } from "./photo/PhotoReport.js"
import { showLines } from "./photo/ShowText.js"

export const show = (options: { readonly id: string; readonly json: boolean }) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const found = yield* photoReport(options.id)
    if (Option.isNone(found)) {
      return yield* new UsageError({
        reason: `the database holds no photo ${options.id} (\`fbk search WORDS\` finds a photo's id)`
      })
    }
    yield* reporter.output(options.json ? JSON.stringify(found.value, null, 2) : showLines(found.value).join("\n"))
    return found.value
  })

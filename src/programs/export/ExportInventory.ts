// The inputs of `fbk import-export` read and sorted before the database is opened: which entries
// of which zips or folders are the export, and which inputs hold none of it.
import { Effect } from "effect"
import { UsageError } from "../../schema/Errors.js"
import { sortExport } from "../../schema/ExportNames.js"
import { type ExportEntry, ExportArchive, type ExportReadError, type ExportSource } from "../../services/files/ExportArchive.js"
import { counted, Reporter } from "../../services/terminal/Reporter.js"

/** Every entry of the export by what it is (see `sortExport`); sources with nothing of an export in them are named. */
const inventory = (sources: ReadonlyArray<ExportSource>) => {
  const sorted = sortExport<ExportEntry, ExportSource>(sources)
  return { ...sorted, unrelated: sorted.unrelated.map((source) => source.path) }
}

/** A problem reading the input as the line its warning shows. */
export const readProblem = (e: ExportReadError) => `${e.path}${e.entry === undefined ? "" : `: ${e.entry}`}: ${e.reason}`

/** An export as found in the inputs: its entries by kind, and the problems met reading them. */
export type FoundExport = ReturnType<typeof inventory> & { readonly problems: number }

/**
 * Reads the inputs and sorts their entries, before the database is opened: input with no export in
 * it is refused without creating or changing anything. The zips stay open for the scope.
 */
export const findExport = (paths: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const archive = yield* ExportArchive
    const reporter = yield* Reporter
    let problems = 0
    const problem = (line: string) => Effect.zipRight(reporter.warn(line), Effect.sync(() => void problems++))
    const sources: Array<ExportSource> = []
    for (const input of paths) {
      const found = yield* archive.sourcesAt(input).pipe(
        Effect.catchTag("ExportReadError", (e) => Effect.as(problem(readProblem(e)), []))
      )
      for (const either of found) {
        if (either._tag === "Left") yield* problem(readProblem(either.left))
        else sources.push(either.right)
      }
    }
    const found = inventory(sources)
    for (const unrelated of found.unrelated) {
      yield* problem(`${unrelated}: not part of a Flickr export (no albums.json, photo_<id>.json, <name>_<id>_o.<ext>, or file named with the id of a photo_<id>.json given)`)
    }
    if (found.photos.size === 0 && found.media.size === 0 && found.albums.length === 0) {
      return yield* new UsageError({
        reason: `no Flickr export in ${paths.join(", ")}${problems > 0 ? ` (${counted(problems, "problem")} listed above)` : ""}; nothing was imported`
      })
    }
    return { ...found, problems } satisfies FoundExport
  })

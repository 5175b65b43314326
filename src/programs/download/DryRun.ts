// `fbk download --dry-run`: what a download would fetch and change in the folders, found from the
// database and the disk alone. Writes nothing: no file, no folder, no row, not even the run lock's.
import { Effect, Option } from "effect"
import { FileRepository } from "../../services/database/FileRepository.js"
import { FileStore } from "../../services/files/FileStore.js"
import type { DownloadOptions } from "../Download.js"
import { planFolders } from "../folders/Folders.js"
import { type PlannedFetch, planFetches } from "./FetchPlan.js"
import { type DryRunRecord, foldersRecord, reportDryRun, runningNow, storeRecord } from "./DryRunReport.js"

/**
 * The plan of a download with `options`, `first` fetched before the photos wanted (what a repair
 * forgets), checked as the real run checks its input (a missing store, a bad --dest fail the same way).
 */
export const downloadPlan = (options: DownloadOptions, first: ReadonlyArray<PlannedFetch> = []) =>
  Effect.gen(function*() {
    const running = yield* runningNow
    const store = yield* (yield* FileStore).plan(options.dest)
    const fetch = yield* planFetches({ only: options.only, withProblems: options.retryProblems }, first)
    const links = Option.isSome(options.links) ? options.links.value : yield* (yield* FileRepository).links
    const folders = yield* planFolders({ destination: store.destination, links })
    return {
      dry_run: true,
      command: "download",
      folder: store.destination,
      store: storeRecord(store),
      running,
      fetch,
      folders: foldersRecord(store.destination, folders.counts, folders.actions)
    } satisfies DryRunRecord
  })

export const downloadDryRun = (options: DownloadOptions) => Effect.flatMap(downloadPlan(options), reportDryRun)

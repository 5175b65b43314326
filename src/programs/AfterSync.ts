// What follows a backup or update that succeeded, under the same run lock: the file store kept in
// step (once one exists, or with --files), else one line counting the files still to fetch; then --details.
import { Effect, Option } from "effect"
import * as path from "node:path"
import { FileRepository } from "../services/database/FileRepository.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { RunLock } from "../services/database/RunLock.js"
import { FbkConfig, homeArguments } from "../services/home/FbkConfig.js"
import { formatCount, Reporter } from "../services/terminal/Reporter.js"
import { details } from "./Details.js"
import { download, DOWNLOAD_DEFAULTS } from "./Download.js"

/** The files after a sync: when a file store exists (the default), always (--files), or never (--no-files). */
export type FilesAfterSync = "if-store" | "always" | "never"

export interface AfterSyncOptions {
  readonly files: FilesAfterSync
  readonly details: boolean
}

/**
 * On a home without a file store: how many photos' files are not here (every live photo's: nothing
 * was fetched, nor found missing, without a store), and the command that fetches them.
 */
const notFetchedLine = Effect.gen(function*() {
  const wanted = yield* (yield* PhotoRepository).countLive
  if (wanted === 0) return
  const config = yield* FbkConfig
  yield* (yield* Reporter).note(
    `${formatCount(wanted)} ${wanted === 1 ? "photo's file is" : "photos' files are"} not on this disk yet: ` +
      `fbk download${homeArguments(config)} (into ${path.join(config.home, "files")}, or --dest DIR)`
  )
})

/** The files as `fbk download` fetches them with its defaults, into the store it already uses. */
const filesAfterSync = (choice: FilesAfterSync) =>
  Effect.gen(function*() {
    if (choice === "never") return
    const hasStore = choice === "always" || Option.isSome(yield* (yield* FileRepository).destination)
    if (hasStore) yield* download(DOWNLOAD_DEFAULTS)
    else yield* notFetchedLine
  })

/** `sync`, then the files and, with --details, the details queue, holding the run lock from one to the next. */
export const afterSync = <A, E, R>(command: string, sync: Effect.Effect<A, E, R>, options: AfterSyncOptions) => {
  const more = Effect.zipRight(filesAfterSync(options.files), options.details ? details({ maxCalls: Option.none() }) : Effect.void)
  return Effect.flatMap(RunLock, (lock) => lock.exclusive(command)(Effect.asVoid(Effect.zipRight(sync, more))))
}

// The benchmark's decode and store references: the floor's pages decoded and stored by fbk's own
// code in the bench's process, with no HTTP, each part timed on its own.
import { NodeContext } from "@effect/platform-node"
import { Effect, Either, Layer, Option } from "effect"
import * as Layers from "../src/Layers.js"
import { beginRun } from "../src/programs/sync/SyncRun.js"
import { listedPage, PhotoPage } from "../src/schema/Photo.js"
import { CallBudget } from "../src/services/flickr/CallBudget.js"
import { answerDecoder } from "../src/services/flickr/FlickrHttp.js"
import * as Database from "../src/services/database/Database.js"

/** Seconds since `started` (a process.hrtime.bigint() reading): every timing the bench takes. */
export const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9

/**
 * Decodes and stores `bodies` (people.getPhotos answers) into a new database in `home`: the
 * seconds spent decoding and the seconds spent storing. A backup stores every page on one SQLite
 * writer whatever it overlaps, so store time over the floor is the lowest ratio it could reach.
 */
export const decodeThenStore = (bodies: ReadonlyArray<string>, home: string) => {
  const decode = answerDecoder("flickr.people.getPhotos", PhotoPage)
  const program = Effect.gen(function*() {
    const run = yield* beginRun("backup")
    let decodeSeconds = 0
    let storeSeconds = 0
    // A page at a time, as a backup does it, so the heap holds one decoded page, not all of them.
    for (const body of bodies) {
      let started = process.hrtime.bigint()
      const photos = listedPage(Either.getOrThrow(decode(body))).photos
      decodeSeconds += secondsSince(started)
      started = process.hrtime.bigint()
      yield* run.storePage(photos, null)
      storeSeconds += secondsSince(started)
    }
    yield* run.finish("succeeded", null)
    return { decodeSeconds, storeSeconds }
  })
  const layer = Layer.merge(Layers.repositoriesOn(Database.layer({ create: true })), CallBudget.Default).pipe(
    Layer.provideMerge(Layers.base({ home: Option.some(home), db: Option.none(), quiet: true })),
    Layer.provideMerge(NodeContext.layer)
  )
  return Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)))
}

// The benchmark's second and third references: the pages the floor fetched, decoded and then
// stored by fbk's own code in the bench's process, with no HTTP, each part timed on its own.
// Decoding is FlickrHttp's answer decoder with the listing's schema; storing is beginRun's
// storePage (photos, search documents and the checkpoint, a transaction a page). A backup must
// store every page on one SQLite writer whatever it overlaps, so the store time divided by the
// floor is the lowest ratio any backup built on this store could reach. Left out: start-up,
// opening the database, fetching, and the pipeline between them.
import { NodeContext } from "@effect/platform-node"
import { Effect, Either, Layer, Option } from "effect"
import * as Layers from "../src/Layers.js"
import { beginRun } from "../src/programs/SyncRun.js"
import { listedPage, PhotoPage } from "../src/schema/Photo.js"
import { CallBudget } from "../src/services/CallBudget.js"
import { answerDecoder } from "../src/services/FlickrHttp.js"
import * as Database from "../src/services/Database.js"

const secondsSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9

/**
 * Decodes every one of `bodies` (people.getPhotos answers), then stores them all into a new
 * database in `home`: the seconds each part took.
 */
export const decodeThenStore = (bodies: ReadonlyArray<string>, home: string) => {
  const decode = answerDecoder("flickr.people.getPhotos", PhotoPage)
  const program = Effect.gen(function*() {
    const run = yield* beginRun("backup")
    let started = process.hrtime.bigint()
    const pages = bodies.map((body) => listedPage(Either.getOrThrow(decode(body))).photos)
    const decodeSeconds = secondsSince(started)
    started = process.hrtime.bigint()
    for (const photos of pages) yield* run.storePage(photos, null)
    const storeSeconds = secondsSince(started)
    yield* run.finish("succeeded", null)
    return { decodeSeconds, storeSeconds }
  })
  const layer = Layer.merge(Layers.repositoriesOn(Database.layer({ create: true })), CallBudget.Default).pipe(
    Layer.provideMerge(Layers.base({ home: Option.some(home), db: Option.none(), quiet: true })),
    Layer.provideMerge(NodeContext.layer)
  )
  return Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)))
}

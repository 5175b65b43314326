// The benchmark's second reference: the pages the floor fetched, decoded and stored by fbk's own
// code (FlickrHttp's answer decoder with the listing's schema, then beginRun's storePage:
// photos, search documents and the checkpoint, a transaction a page) in the bench's process,
// with no HTTP. It leaves out what a backup adds: start-up, opening the database, fetching, and
// the pipeline between them.
import { NodeContext } from "@effect/platform-node"
import { Effect, Either, Layer, Option } from "effect"
import * as Layers from "../src/Layers.js"
import { beginRun } from "../src/programs/SyncRun.js"
import { listedPage, PhotoPage } from "../src/schema/Photo.js"
import { CallBudget } from "../src/services/CallBudget.js"
import { answerDecoder } from "../src/services/FlickrHttp.js"
import * as Database from "../src/services/Database.js"

/** Seconds to decode and store `bodies` (people.getPhotos answers) into a new database in `home`. */
export const decodeAndStore = (bodies: ReadonlyArray<string>, home: string): Promise<number> => {
  const decode = answerDecoder("flickr.people.getPhotos", PhotoPage)
  const program = Effect.gen(function*() {
    const run = yield* beginRun("backup")
    const started = process.hrtime.bigint()
    for (const body of bodies) {
      yield* run.storePage(listedPage(Either.getOrThrow(decode(body))).photos, null)
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    yield* run.finish("succeeded", null)
    return seconds
  })
  const layer = Layer.merge(Layers.repositoriesOn(Database.layer({ create: true })), CallBudget.Default).pipe(
    Layer.provideMerge(Layers.base({ home: Option.some(home), db: Option.none(), quiet: true })),
    Layer.provideMerge(NodeContext.layer)
  )
  return Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)))
}

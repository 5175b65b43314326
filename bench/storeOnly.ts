// The benchmark's second reference: the pages the floor fetched, decoded and stored by fbk's own
// code (the listing's schema, then beginRun's storePage: photos, search documents and the
// checkpoint, a transaction a page) in the bench's process, with no HTTP. A backup cannot be
// faster than this on one thread; what it takes beyond it is fetching, waiting and the pipeline.
import { NodeContext } from "@effect/platform-node"
import { Effect, Layer, Option, Schema } from "effect"
import * as Layers from "../src/Layers.js"
import { beginRun } from "../src/programs/SyncRun.js"
import { listedPage, PhotoPage } from "../src/schema/Photo.js"
import { CallBudget } from "../src/services/CallBudget.js"
import * as Database from "../src/services/Database.js"
import { PhotoRepository } from "../src/services/PhotoRepository.js"
import { SyncRunRepository } from "../src/services/SyncRunRepository.js"

/** Seconds to decode and store `bodies` (people.getPhotos answers) into a new database in `home`. */
export const decodeAndStore = (bodies: ReadonlyArray<string>, home: string): Promise<number> => {
  const decode = Schema.decodeUnknownSync(PhotoPage)
  const program = Effect.gen(function*() {
    const run = yield* beginRun("backup")
    const started = process.hrtime.bigint()
    for (const body of bodies) {
      yield* run.storePage(listedPage(decode(JSON.parse(body))).photos, null)
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    yield* run.finish("succeeded", null)
    return seconds
  })
  const layer = Layer.mergeAll(PhotoRepository.Default, SyncRunRepository.Default, CallBudget.Default).pipe(
    Layer.provideMerge(Database.layer({ create: true })),
    Layer.provideMerge(Layers.base({ home: Option.some(home), db: Option.none(), quiet: true })),
    Layer.provideMerge(NodeContext.layer)
  )
  return Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)))
}

// A copy of the open database made by SQLite itself, consistent while other processes write.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export class DatabaseCopy extends Effect.Service<DatabaseCopy>()("fbk/DatabaseCopy", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return {
      /**
       * The database as of one moment, compacted, written into `file` (absent or empty): VACUUM
       * INTO reads in one transaction, so in WAL mode writers in other processes carry on meanwhile.
       */
      vacuumInto: Effect.fn("DatabaseCopy.vacuumInto")((file: string) => sql`VACUUM INTO ${file}`.pipe(Effect.asVoid))
    } as const
  })
}) {}

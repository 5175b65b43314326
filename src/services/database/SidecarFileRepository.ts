// The sidecars fbk wrote (path and hash of the bytes written) and the store's --sidecars choice:
// what tells fbk's own sidecar from a file anyone else put or changed at the same name.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { batchedUpsert } from "./BatchedUpsert.js"
import { rowsAreOurs } from "./RepositoryHelpers.js"

/** A current file under originals/, with the sidecar fbk last wrote for its photo, if any. */
export const SidecarTarget = Schema.Struct({
  photo_id: Schema.String,
  file_path: Schema.String,
  sidecar_path: Schema.NullOr(Schema.String),
  sha256: Schema.NullOr(Schema.String)
})
export type SidecarTarget = typeof SidecarTarget.Type

export const WrittenSidecar = Schema.Struct({ photo_id: Schema.String, path: Schema.String, sha256: Schema.String })
export type WrittenSidecar = typeof WrittenSidecar.Type

const Page = Schema.Struct({ after: Schema.String, limit: Schema.Number })

const upsertWritten = batchedUpsert<WrittenSidecar & { readonly written_at: number }>({
  table: "sidecars",
  columns: ["photo_id", "path", "sha256", "written_at"],
  conflict: "ON CONFLICT (photo_id) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, written_at = excluded.written_at",
  valuesOf: (row, into) => void into.push(row.photo_id, row.path, row.sha256, row.written_at)
})

export class SidecarFileRepository extends Effect.Service<SidecarFileRepository>()("fbk/SidecarFileRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    // `role <> ... AND role <> ...` spelled out so SQLite reads the files_current partial index.
    const findTargets = SqlSchema.findAll({
      Request: Page,
      Result: SidecarTarget,
      execute: (r) =>
        sql`SELECT f.photo_id, f.path AS file_path, s.path AS sidecar_path, s.sha256
            FROM files f LEFT JOIN sidecars s ON s.photo_id = f.photo_id
            WHERE f.role <> 'replaced' AND f.role <> 'poster' AND f.path LIKE 'originals/%' AND f.photo_id > ${r.after}
            ORDER BY f.photo_id LIMIT ${r.limit}`
    })
    const findWritten = SqlSchema.findAll({
      Request: Page,
      Result: WrittenSidecar,
      execute: (r) => sql`SELECT photo_id, path, sha256 FROM sidecars WHERE photo_id > ${r.after} ORDER BY photo_id LIMIT ${r.limit}`
    })
    const findEnabled = SqlSchema.findOne({
      Request: Schema.Void,
      Result: Schema.Struct({ sidecars: Schema.Number }),
      execute: () => sql`SELECT sidecars FROM file_store WHERE id = 1`
    })

    return {
      /** Whether the store keeps sidecars (`--sidecars`, remembered); false without a store. */
      enabled: findEnabled(undefined).pipe(
        rowsAreOurs,
        Effect.map(Option.match({ onNone: () => false, onSome: (r) => r.sidecars === 1 })),
        Effect.withSpan("SidecarFileRepository.enabled")
      ),
      setEnabled: Effect.fn("SidecarFileRepository.setEnabled")((on: boolean) =>
        sql`UPDATE file_store SET sidecars = ${on ? 1 : 0} WHERE id = 1`.pipe(Effect.asVoid)
      ),
      /** The current files under originals/ after photo id `after` ("" for the start), with their sidecars. */
      targets: Effect.fn("SidecarFileRepository.targets")((after: string | null, limit: number) =>
        findTargets({ after: after ?? "", limit }).pipe(rowsAreOurs)
      ),
      /** The sidecars fbk wrote, after photo id `after`. */
      written: Effect.fn("SidecarFileRepository.written")((after: string | null, limit: number) =>
        findWritten({ after: after ?? "", limit }).pipe(rowsAreOurs)
      ),
      /** Sidecars written and durable on disk, with the hash of their bytes. */
      record: Effect.fn("SidecarFileRepository.record")((rows: ReadonlyArray<WrittenSidecar>, now: number) =>
        rows.length === 0 ? Effect.void : sql.withTransaction(upsertWritten.run(sql, rows.map((r) => ({ ...r, written_at: now }))))
      ),
      /** Sidecars fbk no longer claims (removed, or found changed by someone else). */
      forget: Effect.fn("SidecarFileRepository.forget")((photoIds: ReadonlyArray<string>) =>
        photoIds.length === 0 ? Effect.void : sql`DELETE FROM sidecars WHERE photo_id IN ${sql.in(photoIds)}`.pipe(Effect.asVoid)
      )
    } as const
  })
}) {}

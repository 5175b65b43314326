// Migration 0011 on a database made before it: files and the export_files pointing at them kept,
// foreign keys valid, a video's poster allowed beside its current file, one of each per photo.
import * as Reactivity from "@effect/experimental/Reactivity"
import { Migrator, SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as path from "node:path"
import { MIGRATIONS } from "../../../src/services/database/Database.js"
import { tempDir } from "../../support/Fixtures.js"

const BEFORE = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < "0011"))

const migrate = (record: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>>) =>
  Migrator.make({})({ loader: Migrator.fromRecord(record), table: "fbk_migrations" })

describe("migration 0011_posters", () => {
  it.scoped("rebuilds files keeping every row and the export_files pointing at them; a poster beside the current file", () =>
    Effect.flatMap(tempDir, (dir) => Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`PRAGMA foreign_keys = ON`
      yield* migrate(BEFORE)
      yield* sql`INSERT INTO photos (id, media, raw, first_seen_at, changed_at) VALUES ('1', 'photo', '{}', 1, 1), ('2', 'video', '{}', 1, 1)`
      yield* sql`INSERT INTO files (id, photo_id, role, path, bytes, sha256, source_url, source, for_secret, fetched_at, verified_at)
                 VALUES (10, '1', 'original', 'originals/1.jpg', 5, 'a', 'u1', 'export', 's1', 1, 2),
                        (11, '1', 'replaced', 'originals/1.replaced.jpg', 6, 'b', 'u0', 'download', 's0', 1, 2),
                        (12, '2', 'video original', 'originals/2.mov', 7, 'c', 'u2', 'download', 's2', 1, 2)`
      yield* sql`INSERT INTO export_files (photo_id, entry, bytes, crc32, sha256, path, file_id, imported_at)
                 VALUES ('1', 'data/1.jpg', 5, 99, 'a', 'originals/1.jpg', 10, 3)`
      const filesBefore = yield* sql`SELECT * FROM files ORDER BY id`

      yield* migrate(MIGRATIONS)

      expect(yield* sql`SELECT * FROM files ORDER BY id`).toEqual(filesBefore)
      expect(yield* sql`SELECT file_id FROM export_files`).toEqual([{ file_id: 10 }])
      expect(yield* sql`PRAGMA foreign_key_check`).toEqual([])
      expect(yield* sql`PRAGMA foreign_keys`).toEqual([{ foreign_keys: 1 }])
      const indexes = yield* sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'files' AND sql IS NOT NULL ORDER BY name`
      expect(indexes.map((i) => i.name)).toEqual(["files_current", "files_photo", "files_poster"])

      const poster = (id: number, file: string) =>
        sql`INSERT INTO files (id, photo_id, role, path, bytes, sha256, source_url, for_secret, fetched_at, verified_at)
            VALUES (${id}, '2', 'poster', ${file}, 1, 'p', 'u', 's2', 1, 1)`
      yield* poster(13, "originals/2.poster.jpg")
      // One poster and one current file a photo; a second of either is refused.
      expect((yield* Effect.flip(poster(14, "originals/2.other.jpg")))._tag).toBe("SqlError")
      const secondCurrent = sql`INSERT INTO files (photo_id, role, path, bytes, sha256, source_url, fetched_at, verified_at)
                                VALUES ('2', 'original', 'originals/2.jpg', 1, 'x', 'u', 1, 1)`
      expect((yield* Effect.flip(secondCurrent))._tag).toBe("SqlError")
      // The current-file query a page runs still finds its row by the partial index.
      const plan = yield* sql<{ detail: string }>`EXPLAIN QUERY PLAN
        SELECT id FROM files WHERE photo_id = '2' AND role NOT IN ('replaced', 'poster')`
      expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING (COVERING )?INDEX files_current/)
      const posterPlan = yield* sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT id FROM files WHERE photo_id = '2' AND role = 'poster'`
      expect(posterPlan.map((p) => p.detail).join(" ")).toMatch(/USING (COVERING )?INDEX files_(poster|photo)/)
      // A file that is gone from files cannot stay pointed at.
      expect((yield* Effect.flip(sql`DELETE FROM files WHERE id = 10`))._tag).toBe("SqlError")
    }).pipe(Effect.provide(SqliteClient.layer({ filename: path.join(dir, "db.sqlite") })), Effect.provide(Reactivity.layer))))
})

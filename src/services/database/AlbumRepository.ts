// The `albums`, `album_photos`, `collections` and `collection_albums` tables. Nothing is deleted:
// albums and collections gone from Flickr are marked `deleted_at`, members `removed_at`.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { ALBUM_COLUMNS, type AlbumMember, type AlbumRow, type CollectionTree } from "../../schema/Album.js"
import { batchedUpsert } from "./BatchedUpsert.js"
import { countBy, countOf, markUnseenDeleted, rowsAreOurs, uniqueById } from "./RepositoryHelpers.js"

interface Stamped<Row> {
  readonly row: Row
  readonly now: number
  readonly runId: number
}

const upsertAlbums = batchedUpsert<Stamped<AlbumRow>>({
  table: "albums",
  columns: [...ALBUM_COLUMNS, "first_seen_at", "changed_at", "last_seen_run"],
  conflict: `ON CONFLICT (id) DO UPDATE SET ${ALBUM_COLUMNS.filter((c) => c !== "id").map((c) => `${c} = excluded.${c}`).join(", ")},
    last_seen_run = excluded.last_seen_run,
    deleted_at = NULL,
    changed_at = CASE WHEN albums.raw IS excluded.raw AND albums.deleted_at IS NULL
                      THEN albums.changed_at ELSE excluded.changed_at END`,
  valuesOf: ({ now, row, runId }, into) => {
    for (const column of ALBUM_COLUMNS) into.push(row[column])
    into.push(now, now, runId)
  }
})

interface PlacedMember {
  readonly albumId: string
  readonly member: AlbumMember
  readonly position: number
  readonly now: number
}

const upsertMembers = batchedUpsert<PlacedMember>({
  table: "album_photos",
  columns: ["album_id", "photo_id", "position", "is_primary", "added_at"],
  conflict: `ON CONFLICT (album_id, photo_id) DO UPDATE SET position = excluded.position,
    is_primary = excluded.is_primary, removed_at = NULL,
    added_at = CASE WHEN album_photos.removed_at IS NULL THEN album_photos.added_at ELSE excluded.added_at END`,
  valuesOf: ({ albumId, member, now, position }, into) => {
    into.push(albumId, member.photo_id, position, member.is_primary, now)
  }
})

const upsertCollections = batchedUpsert<Stamped<CollectionTree["collections"][number]>>({
  table: "collections",
  columns: ["id", "parent_id", "position", "title", "description", "icon_large", "icon_small", "raw", "first_seen_at", "changed_at", "last_seen_run"],
  conflict: `ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, position = excluded.position,
    title = excluded.title, description = excluded.description, icon_large = excluded.icon_large,
    icon_small = excluded.icon_small, raw = excluded.raw, last_seen_run = excluded.last_seen_run, deleted_at = NULL,
    changed_at = CASE WHEN collections.raw IS excluded.raw AND collections.parent_id IS excluded.parent_id
                        AND collections.position = excluded.position AND collections.deleted_at IS NULL
                      THEN collections.changed_at ELSE excluded.changed_at END`,
  valuesOf: ({ now, row, runId }, into) => {
    into.push(row.id, row.parent_id, row.position, row.title, row.description, row.icon_large, row.icon_small, row.raw, now, now, runId)
  }
})

const upsertPlacements = batchedUpsert<{ readonly placement: CollectionTree["albums"][number]; readonly now: number }>({
  table: "collection_albums",
  columns: ["collection_id", "album_id", "position", "added_at"],
  conflict: `ON CONFLICT (collection_id, album_id) DO UPDATE SET position = excluded.position, removed_at = NULL,
    added_at = CASE WHEN collection_albums.removed_at IS NULL THEN collection_albums.added_at ELSE excluded.added_at END`,
  valuesOf: ({ now, placement }, into) => {
    into.push(placement.collection_id, placement.album_id, placement.position, now)
  }
})

export interface AlbumPageCounts {
  readonly added: number
  readonly changed: number
}

/** An album whose stored members are not those of its current version. */
export const StaleAlbum = Schema.Struct({ id: Schema.String, updated_at: Schema.NullOr(Schema.Number) })
export type StaleAlbum = typeof StaleAlbum.Type

const Known = Schema.Struct({ id: Schema.String, raw: Schema.String, deleted_at: Schema.NullOr(Schema.Number) })
const Member = Schema.Struct({ photo_id: Schema.String })
const Placement = Schema.Struct({ collection_id: Schema.String, album_id: Schema.String })

export class AlbumRepository extends Effect.Service<AlbumRepository>()("fbk/AlbumRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const findKnown = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: Known,
      execute: (ids) => sql`SELECT id, raw, deleted_at FROM albums WHERE id IN ${sql.in(ids)}`
    })

    const findMembers = SqlSchema.findAll({
      Request: Schema.String,
      Result: Member,
      execute: (albumId) => sql`SELECT photo_id FROM album_photos WHERE album_id = ${albumId} AND removed_at IS NULL`
    })

    const findPlacements = SqlSchema.findAll({
      Request: Schema.Void,
      Result: Placement,
      execute: () => sql`SELECT collection_id, album_id FROM collection_albums WHERE removed_at IS NULL`
    })

    /** One page of photosets.getList, in one transaction. */
    const upsertAlbumPage = Effect.fn("AlbumRepository.upsertAlbumPage")(
      function*(rows: ReadonlyArray<AlbumRow>, runId: number, now: number) {
        const unique = uniqueById(rows)
        if (unique.length === 0) return { added: 0, changed: 0 }
        const known = new Map((yield* findKnown(unique.map((r) => r.id)).pipe(rowsAreOurs)).map((k) => [k.id, k]))
        const changed = unique.filter((r) => {
          const before = known.get(r.id)
          return before !== undefined && (before.raw !== r.raw || before.deleted_at !== null)
        }).length
        yield* upsertAlbums.run(sql, unique.map((row) => ({ row, now, runId })))
        return { added: unique.length - known.size, changed } satisfies AlbumPageCounts
      },
      sql.withTransaction
    )

    /**
     * Before listing albums: none counts as seen by this run yet. A resumed run keeps its id, and
     * marks left by its killed attempt must not hide albums deleted since.
     */
    const forgetSeenAlbums = Effect.fn("AlbumRepository.forgetSeenAlbums")((runId: number) =>
      sql`UPDATE albums SET last_seen_run = NULL WHERE last_seen_run = ${runId}`.pipe(Effect.asVoid)
    )

    const countSeen = countBy(
      Schema.Number,
      (runId) => sql`SELECT count(*) AS n FROM albums WHERE last_seen_run = ${runId} AND deleted_at IS NULL`
    )
    const countAlbumsSeenIn = Effect.fn("AlbumRepository.countAlbumsSeenIn")((runId: number) => countSeen(runId))

    /** After a complete listing: albums it did not see are gone from Flickr. */
    const markUnseenAlbumsDeleted = Effect.fn("AlbumRepository.markUnseenAlbumsDeleted")((runId: number, now: number) =>
      markUnseenDeleted(sql, "albums", runId, now)
    )

    /** Live albums whose members were never read, or were read for an earlier version. */
    const staleAlbums = SqlSchema.findAll({
      Request: Schema.Void,
      Result: StaleAlbum,
      execute: () =>
        sql`SELECT id, updated_at FROM albums
            WHERE deleted_at IS NULL AND (members_updated_at IS NULL OR members_updated_at IS NOT updated_at)
            ORDER BY id`
    })(undefined).pipe(rowsAreOurs, Effect.withSpan("AlbumRepository.staleAlbums"))

    /**
     * All of an album's members, in order, as read for version `updatedAt`: present ones placed,
     * missing ones marked removed, and the album marked up to date, in one transaction, so an
     * interrupted sync reads again exactly the albums it had not finished.
     */
    const replaceMembers = Effect.fn("AlbumRepository.replaceMembers")(
      function*(album: StaleAlbum, members: ReadonlyArray<AlbumMember>, now: number) {
        const seen = new Set<string>()
        const placed: Array<PlacedMember> = []
        for (const member of members) {
          if (seen.has(member.photo_id)) continue
          seen.add(member.photo_id)
          placed.push({ albumId: album.id, member, position: placed.length, now })
        }
        yield* upsertMembers.run(sql, placed)
        const stored = yield* findMembers(album.id).pipe(rowsAreOurs)
        const gone = stored.map((r) => r.photo_id).filter((id) => !seen.has(id))
        for (let i = 0; i < gone.length; i += 500) {
          yield* sql`UPDATE album_photos SET removed_at = ${now}
                     WHERE album_id = ${album.id} AND photo_id IN ${sql.in(gone.slice(i, i + 500))}`
        }
        yield* sql`UPDATE albums SET members_updated_at = ${album.updated_at} WHERE id = ${album.id}`
        return { placed: placed.length, removed: gone.length }
      },
      sql.withTransaction
    )

    /**
     * Albums in Flickr's order: `ids` as listed, the first at place `start` (a later page of the
     * listing starts where the one before ended). One statement, the places as one JSON parameter.
     */
    const placeAlbums = Effect.fn("AlbumRepository.placeAlbums")((ids: ReadonlyArray<string>, start: number) =>
      ids.length === 0 ? Effect.void : sql`UPDATE albums SET position = placed.position
          FROM (SELECT value ->> 0 AS id, value ->> 1 AS position FROM json_each(${JSON.stringify(ids.map((id, i) => [id, start + i]))})) AS placed
          WHERE albums.id = placed.id`.pipe(Effect.asVoid)
    )

    /** The whole collection tree as collections.getTree gave it, in one transaction. */
    const replaceCollections = Effect.fn("AlbumRepository.replaceCollections")(
      function*(tree: CollectionTree, runId: number, now: number) {
        // Marks a killed attempt of the same run left must not count as seen this time.
        yield* sql`UPDATE collections SET last_seen_run = NULL WHERE last_seen_run = ${runId}`
        yield* upsertCollections.run(sql, tree.collections.map((row) => ({ row, now, runId })))
        const deleted = yield* markUnseenDeleted(sql, "collections", runId, now)
        yield* upsertPlacements.run(sql, tree.albums.map((placement) => ({ placement, now })))
        const placed = new Set(tree.albums.map((p) => `${p.collection_id}\u0000${p.album_id}`))
        const stored = yield* findPlacements(undefined).pipe(rowsAreOurs)
        for (const p of stored) {
          if (placed.has(`${p.collection_id}\u0000${p.album_id}`)) continue
          yield* sql`UPDATE collection_albums SET removed_at = ${now}
                     WHERE collection_id = ${p.collection_id} AND album_id = ${p.album_id}`
        }
        return { collections: tree.collections.length, deleted }
      },
      sql.withTransaction
    )

    return {
      upsertAlbumPage,
      forgetSeenAlbums,
      countAlbumsSeenIn,
      markUnseenAlbumsDeleted,
      placeAlbums,
      staleAlbums,
      replaceMembers,
      replaceCollections,
      countAlbums: countOf(sql`SELECT count(*) AS n FROM albums WHERE deleted_at IS NULL`).pipe(
        Effect.withSpan("AlbumRepository.countAlbums")
      ),
      countCollections: countOf(sql`SELECT count(*) AS n FROM collections WHERE deleted_at IS NULL`).pipe(
        Effect.withSpan("AlbumRepository.countCollections")
      )
    } as const
  })
}) {}

// What `fbk copy-out` chooses: the live photos the options select, each with its current file, and
// the albums they are in with their places. Read-only.
import { SqlClient, SqlSchema, type Statement } from "@effect/sql"
import { Effect, Schema } from "effect"
import { rowsAreOurs } from "./RepositoryHelpers.js"

/** Which photos: each kind given narrows the choice; several values of one kind widen it (any of them). */
export interface CopyOutFilter {
  readonly albums: ReadonlyArray<string>
  /** Normalised as Flickr keeps them (`photos.tags`). */
  readonly tags: ReadonlyArray<string>
  /** An FTS5 expression from `matchExpression`. */
  readonly search: string | null
  /** `YYYY-MM-DD`: taken on or after that day. */
  readonly since: string | null
}

export const ChosenPhoto = Schema.Struct({
  id: Schema.String,
  title: Schema.NullOr(Schema.String),
  date_taken: Schema.NullOr(Schema.String),
  date_taken_unknown: Schema.Number,
  /** The current file relative to the store (not a replaced original, not a poster); null when none is stored. */
  path: Schema.NullOr(Schema.String),
  sha256: Schema.NullOr(Schema.String)
})
export type ChosenPhoto = typeof ChosenPhoto.Type

/** A chosen photo in a live album, at its 1-based place among the album's live members. */
export const Membership = Schema.Struct({
  photo_id: Schema.String,
  album_id: Schema.String,
  album_title: Schema.NullOr(Schema.String),
  position: Schema.Number
})
export type Membership = typeof Membership.Type

const Filter = Schema.Struct({
  albums: Schema.Array(Schema.String),
  tags: Schema.Array(Schema.String),
  search: Schema.NullOr(Schema.String),
  since: Schema.NullOr(Schema.String)
})

export class CopyOutRepository extends Effect.Service<CopyOutRepository>()("fbk/CopyOutRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const conditions = (filter: CopyOutFilter): ReadonlyArray<Statement.Fragment> => [
      sql`p.deleted_at IS NULL`,
      ...(filter.albums.length === 0 ? [] : [sql`EXISTS (SELECT 1 FROM album_photos ap WHERE ap.photo_id = p.id
          AND ap.removed_at IS NULL AND ap.album_id IN ${sql.in(filter.albums)})`]),
      ...(filter.tags.length === 0 ? [] : [sql`EXISTS (SELECT 1 FROM photo_tag_names t WHERE t.photo_id = p.id
          AND t.tag IN ${sql.in(filter.tags)})`]),
      ...(filter.search === null ? [] : [sql`CAST(p.id AS INTEGER) IN (SELECT rowid FROM photo_search
          WHERE photo_search MATCH ${filter.search})`]),
      ...(filter.since === null ? [] : [sql`p.date_taken >= ${filter.since}`])
    ]

    const findChosen = SqlSchema.findAll({
      Request: Filter,
      Result: ChosenPhoto,
      execute: (filter) =>
        sql`SELECT p.id, p.title, p.date_taken, p.date_taken_unknown, f.path, f.sha256
            FROM photos p
            LEFT JOIN files f ON f.id = (SELECT max(x.id) FROM files x WHERE x.photo_id = p.id AND x.role NOT IN ('replaced', 'poster'))
            WHERE ${sql.and(conditions(filter))}
            ORDER BY p.date_taken, p.id`
    })

    // Places counted among every live member, chosen or not, so a narrower choice numbers alike.
    const findMemberships = SqlSchema.findAll({
      Request: Filter,
      Result: Membership,
      execute: (filter) =>
        sql`SELECT m.photo_id, m.album_id, a.title AS album_title, m.position
            FROM (SELECT ap.photo_id, ap.album_id,
                         row_number() OVER (PARTITION BY ap.album_id ORDER BY ap.position, ap.photo_id) AS position
                  FROM album_photos ap JOIN photos q ON q.id = ap.photo_id AND q.deleted_at IS NULL
                  WHERE ap.removed_at IS NULL) m
            JOIN albums a ON a.id = m.album_id AND a.deleted_at IS NULL
            JOIN photos p ON p.id = m.photo_id
            WHERE ${sql.and(conditions(filter))}
              ${filter.albums.length === 0 ? sql`` : sql`AND m.album_id IN ${sql.in(filter.albums)}`}
            ORDER BY coalesce(a.position, 1e9), a.id, m.position`
    })

    const findAlbums = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: Schema.Struct({ id: Schema.String }),
      execute: (ids) => sql`SELECT id FROM albums WHERE deleted_at IS NULL AND id IN ${sql.in(ids)}`
    })

    return {
      /** The live photos `filter` chooses, oldest taken first, with their current file. */
      chosen: Effect.fn("CopyOutRepository.chosen")((filter: CopyOutFilter) => findChosen(filter).pipe(rowsAreOurs)),
      /** The chosen photos' places in live albums (only the albums asked for, when some are), albums in Flickr's order. */
      memberships: Effect.fn("CopyOutRepository.memberships")((filter: CopyOutFilter) => findMemberships(filter).pipe(rowsAreOurs)),
      /** Which of `ids` are live albums here. */
      liveAlbums: Effect.fn("CopyOutRepository.liveAlbums")((ids: ReadonlyArray<string>) =>
        ids.length === 0
          ? Effect.succeed(new Set<string>())
          : findAlbums(ids).pipe(rowsAreOurs, Effect.map((rows) => new Set(rows.map((r) => r.id)))))
    } as const
  })
}) {}

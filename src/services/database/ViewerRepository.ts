// The viewer's listings, every one paged by keyset on an index: the timeline and a tag's photos by
// (date taken, id), an album's members by position, plus the albums, collections, tags and geotagged photos.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { AlbumSummary, CollectionNode, CurrentFile, PhotoCard, PlacedAlbum, type PositionCursor, PositionedCard, TagCount, type TakenCursor } from "../../schema/Viewer.js"
import { countOf, rowsAreOurs } from "./RepositoryHelpers.js"

const TakenPage = Schema.Struct({ taken: Schema.String, id: Schema.String, limit: Schema.Number })
const TagPage = Schema.Struct({ tag: Schema.String, taken: Schema.String, id: Schema.String, limit: Schema.Number })
const AlbumPage = Schema.Struct({ album: Schema.String, position: Schema.Number, id: Schema.String, limit: Schema.Number })

/** A video's thumbnail is made from its poster, a photo's from its current file; each found on its own index. */
const CARD = `p.id, p.title, p.media, p.date_taken, p.width, p.height, p.deleted_at, p.server, p.secret, p.source,
  CASE WHEN p.media = 'video' THEN EXISTS (SELECT 1 FROM files f WHERE f.photo_id = p.id AND f.role = 'poster')
       ELSE EXISTS (SELECT 1 FROM files f WHERE f.photo_id = p.id AND f.role NOT IN ('replaced', 'poster')) END AS local_picture`
const TAKEN = "coalesce(p.date_taken, '')"

export class ViewerRepository extends Effect.Service<ViewerRepository>()("fbk/ViewerRepository", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const card = sql.literal(CARD)
    const taken = sql.literal(TAKEN)
    // Keyset bounds written out, the first column alone bounding the range: SQLite does not bound an
    // expression index's range by a row value ((taken, id) < (?, ?)), it scans the index from its end.
    const takenBefore = (r: TakenCursor) => sql`${taken} <= ${r.taken} AND (${taken} < ${r.taken} OR p.id < ${r.id})`
    const takenAfter = (r: TakenCursor) => sql`${taken} >= ${r.taken} AND (${taken} > ${r.taken} OR p.id > ${r.id})`

    const older = SqlSchema.findAll({
      Request: TakenPage,
      Result: PhotoCard,
      execute: (r) =>
        sql`SELECT ${card} FROM photos p WHERE ${takenBefore(r)}
            ORDER BY ${taken} DESC, p.id DESC LIMIT ${r.limit}`
    })
    const newer = SqlSchema.findAll({
      Request: TakenPage,
      Result: PhotoCard,
      execute: (r) =>
        sql`SELECT ${card} FROM photos p WHERE ${takenAfter(r)}
            ORDER BY ${taken}, p.id LIMIT ${r.limit}`
    })
    const olderWithTag = SqlSchema.findAll({
      Request: TagPage,
      Result: PhotoCard,
      execute: (r) =>
        sql`SELECT ${card} FROM photo_tag_names t JOIN photos p ON p.id = t.photo_id
            WHERE t.tag = ${r.tag} AND t.taken <= ${r.taken} AND (t.taken < ${r.taken} OR t.photo_id < ${r.id})
            ORDER BY t.taken DESC, t.photo_id DESC LIMIT ${r.limit}`
    })
    const newerWithTag = SqlSchema.findAll({
      Request: TagPage,
      Result: PhotoCard,
      execute: (r) =>
        sql`SELECT ${card} FROM photo_tag_names t JOIN photos p ON p.id = t.photo_id
            WHERE t.tag = ${r.tag} AND t.taken >= ${r.taken} AND (t.taken > ${r.taken} OR t.photo_id > ${r.id})
            ORDER BY t.taken, t.photo_id LIMIT ${r.limit}`
    })
    const laterInAlbum = SqlSchema.findAll({
      Request: AlbumPage,
      Result: PositionedCard,
      execute: (r) =>
        sql`SELECT ${card}, ap.position FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
            WHERE ap.album_id = ${r.album} AND ap.removed_at IS NULL AND (ap.position, ap.photo_id) > (${r.position}, ${r.id})
            ORDER BY ap.position, ap.photo_id LIMIT ${r.limit}`
    })
    const earlierInAlbum = SqlSchema.findAll({
      Request: AlbumPage,
      Result: PositionedCard,
      execute: (r) =>
        sql`SELECT ${card}, ap.position FROM album_photos ap JOIN photos p ON p.id = ap.photo_id
            WHERE ap.album_id = ${r.album} AND ap.removed_at IS NULL AND (ap.position, ap.photo_id) < (${r.position}, ${r.id})
            ORDER BY ap.position DESC, ap.photo_id DESC LIMIT ${r.limit}`
    })
    const findCards = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: PhotoCard,
      execute: (ids) => sql`SELECT ${card} FROM photos p WHERE p.id IN ${sql.in(ids)}`
    })
    const findCard = SqlSchema.findOne({
      Request: Schema.String,
      Result: PhotoCard,
      execute: (id) => sql`SELECT ${card} FROM photos p WHERE p.id = ${id}`
    })
    const findPosition = SqlSchema.findOne({
      Request: Schema.Struct({ album: Schema.String, photo: Schema.String }),
      Result: Schema.Struct({ position: Schema.Number }),
      execute: (r) =>
        sql`SELECT position FROM album_photos WHERE album_id = ${r.album} AND photo_id = ${r.photo} AND removed_at IS NULL`
    })
    const albumColumns = sql.literal(
      `a.id, a.title, a.description, a.primary_photo_id, a.deleted_at,
       (SELECT count(*) FROM album_photos m WHERE m.album_id = a.id AND m.removed_at IS NULL) AS members`
    )
    const findAlbum = SqlSchema.findOne({
      Request: Schema.String,
      Result: AlbumSummary,
      execute: (id) => sql`SELECT ${albumColumns} FROM albums a WHERE a.id = ${id}`
    })
    // Flickr's order (albums_order), albums never placed after, newest first.
    const listAlbums = SqlSchema.findAll({
      Request: Schema.Void,
      Result: AlbumSummary,
      execute: () =>
        sql`SELECT ${albumColumns} FROM albums a WHERE a.deleted_at IS NULL
            ORDER BY a.position IS NULL, a.position, a.created_at DESC, a.id DESC`
    })
    const listCollections = SqlSchema.findAll({
      Request: Schema.Void,
      Result: CollectionNode,
      execute: () =>
        sql`SELECT id, parent_id, position, title, description FROM collections WHERE deleted_at IS NULL
            ORDER BY parent_id, position, id`
    })
    const listPlacedAlbums = SqlSchema.findAll({
      Request: Schema.Void,
      Result: PlacedAlbum,
      execute: () =>
        sql`SELECT ${albumColumns}, ca.collection_id, ca.position FROM collection_albums ca JOIN albums a ON a.id = ca.album_id
            WHERE ca.removed_at IS NULL AND a.deleted_at IS NULL
            ORDER BY ca.collection_id, ca.position, a.id`
    })
    // photo_tag_names' key is (tag, photo_id): counted straight off it, already in order.
    const listTags = SqlSchema.findAll({
      Request: Schema.Void,
      Result: TagCount,
      execute: () =>
        sql`SELECT t.tag, count(*) AS photos,
              (SELECT pt.raw FROM photo_tags pt WHERE pt.tag = t.tag AND pt.removed_at IS NULL AND pt.raw IS NOT NULL LIMIT 1) AS raw
            FROM photo_tag_names t GROUP BY t.tag ORDER BY t.tag`
    })
    const findTag = SqlSchema.findOne({
      Request: Schema.String,
      Result: TagCount,
      execute: (tag) =>
        sql`SELECT t.tag, count(*) AS photos,
              (SELECT pt.raw FROM photo_tags pt WHERE pt.tag = t.tag AND pt.removed_at IS NULL AND pt.raw IS NOT NULL LIMIT 1) AS raw
            FROM photo_tag_names t WHERE t.tag = ${tag} GROUP BY t.tag`
    })
    // Exactly photos_geo's condition, so the points come from that index alone; SQLite writes the
    // JSON itself (one row, not one decoded row per photo), to about 1 m: more digits only make it longer.
    const findGeoPoints = SqlSchema.single({
      Request: Schema.Void,
      Result: Schema.Struct({ points: Schema.String }),
      execute: () =>
        sql`SELECT json_group_array(json_array(id, round(latitude, 5), round(longitude, 5))) AS points FROM photos
            WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND NOT (latitude = 0 AND longitude = 0)`
    })

    const findCurrentFile = SqlSchema.findOne({
      Request: Schema.String,
      Result: CurrentFile,
      execute: (id) =>
        sql`SELECT f.id, f.path, s.destination, f.sha256, f.bytes, f.role FROM files f JOIN file_store s ON s.id = 1
            WHERE f.photo_id = ${id} AND f.role NOT IN ('replaced', 'poster')`
    })

    const findPoster = SqlSchema.findOne({
      Request: Schema.String,
      Result: CurrentFile,
      execute: (id) =>
        sql`SELECT f.id, f.path, s.destination, f.sha256, f.bytes, f.role FROM files f JOIN file_store s ON s.id = 1
            WHERE f.photo_id = ${id} AND f.role = 'poster'`
    })

    /** The files thumbnails are made from: a photo's current file, a video's poster. */
    const pictureWhere = sql`FROM files f JOIN photos p ON p.id = f.photo_id JOIN file_store s ON s.id = 1
      WHERE CASE WHEN p.media = 'video' THEN f.role = 'poster' ELSE f.role NOT IN ('replaced', 'poster') END`
    const findPictureFiles = SqlSchema.findAll({
      Request: Schema.Struct({ afterId: Schema.Number, limit: Schema.Number }),
      Result: CurrentFile,
      execute: (r) =>
        sql`SELECT f.id, f.path, s.destination, f.sha256, f.bytes, f.role ${pictureWhere} AND f.id > ${r.afterId}
            ORDER BY f.id LIMIT ${r.limit}`
    })

    const cursorOf = (photo: PhotoCard): TakenCursor => ({ taken: photo.date_taken ?? "", id: photo.id })

    return {
      /** The cards of these photos, in the order of `ids` (ids the archive does not hold left out). */
      cards: Effect.fn("ViewerRepository.cards")((ids: ReadonlyArray<string>) =>
        (ids.length === 0 ? Effect.succeed([]) : findCards(ids)).pipe(
          rowsAreOurs,
          Effect.map((found) => {
            const byId = new Map(found.map((c) => [c.id, c]))
            return ids.flatMap((id) => byId.get(id) ?? [])
          })
        )
      ),
      /** The photo's card, if the archive has the photo. */
      card: Effect.fn("ViewerRepository.card")((id: string) => findCard(id).pipe(rowsAreOurs)),
      /** The photo's current file in the store, if it has one. */
      currentFile: Effect.fn("ViewerRepository.currentFile")((id: string) => findCurrentFile(id).pipe(rowsAreOurs)),
      /** The files thumbnails are made from (see pictureWhere), `limit` after the file id `afterId`. */
      pictureFiles: Effect.fn("ViewerRepository.pictureFiles")((afterId: number, limit: number) =>
        findPictureFiles({ afterId, limit }).pipe(rowsAreOurs)
      ),
      countPictureFiles: countOf(sql`SELECT count(*) AS n ${pictureWhere}`).pipe(Effect.withSpan("ViewerRepository.countPictureFiles")),
      /** A video's poster in the store, if it has one. */
      posterFile: Effect.fn("ViewerRepository.posterFile")((id: string) => findPoster(id).pipe(rowsAreOurs)),
      /** `limit` photos of the timeline after `after`, newest first. */
      timeline: Effect.fn("ViewerRepository.timeline")((after: TakenCursor, limit: number) =>
        older({ ...after, limit }).pipe(rowsAreOurs)
      ),
      /** The photos just before and just after `photo` on the timeline. */
      timelineNeighbours: Effect.fn("ViewerRepository.timelineNeighbours")((photo: PhotoCard) =>
        Effect.all({
          previous: newer({ ...cursorOf(photo), limit: 1 }),
          next: older({ ...cursorOf(photo), limit: 1 })
        }).pipe(rowsAreOurs)
      ),
      /** `limit` photos carrying `tag` after `after`, newest first. */
      tagged: Effect.fn("ViewerRepository.tagged")((tag: string, after: TakenCursor, limit: number) =>
        olderWithTag({ tag, ...after, limit }).pipe(rowsAreOurs)
      ),
      taggedNeighbours: Effect.fn("ViewerRepository.taggedNeighbours")((tag: string, photo: PhotoCard) =>
        Effect.all({
          previous: newerWithTag({ tag, ...cursorOf(photo), limit: 1 }),
          next: olderWithTag({ tag, ...cursorOf(photo), limit: 1 })
        }).pipe(rowsAreOurs)
      ),
      /** The album, if the archive has it (also when deleted on Flickr). */
      album: Effect.fn("ViewerRepository.album")((id: string) => findAlbum(id).pipe(rowsAreOurs)),
      /** The live albums. */
      albums: listAlbums(undefined).pipe(rowsAreOurs, Effect.withSpan("ViewerRepository.albums")),
      /** The live collections, each parent's children in their order. */
      collections: listCollections(undefined).pipe(rowsAreOurs, Effect.withSpan("ViewerRepository.collections")),
      /** The live albums of the live collections, each collection's in its order. */
      collectionAlbums: listPlacedAlbums(undefined).pipe(rowsAreOurs, Effect.withSpan("ViewerRepository.collectionAlbums")),
      /** Every tag with its count, in order. */
      tags: listTags(undefined).pipe(rowsAreOurs, Effect.withSpan("ViewerRepository.tags")),
      /** One tag with its count (none when no photo carries it). */
      tag: Effect.fn("ViewerRepository.tag")((tag: string) => findTag(tag).pipe(rowsAreOurs)),
      /** Every geotagged photo (0,0 is no place) as JSON, `[[id, latitude, longitude], ...]` (see GeoPoint). */
      geoPointsJson: findGeoPoints(undefined).pipe(
        rowsAreOurs,
        Effect.map((row) => row.points),
        Effect.withSpan("ViewerRepository.geoPointsJson")
      ),
      /** `limit` members of the album after `after`, in the album's order. */
      albumMembers: Effect.fn("ViewerRepository.albumMembers")((album: string, after: PositionCursor, limit: number) =>
        laterInAlbum({ album, ...after, limit }).pipe(rowsAreOurs)
      ),
      /** Where `photo` is in the album (none when it is not in it). */
      albumPosition: Effect.fn("ViewerRepository.albumPosition")((album: string, photo: string) =>
        findPosition({ album, photo }).pipe(Effect.map(Option.map((p) => ({ position: p.position, id: photo }))), rowsAreOurs)
      ),
      /** The members just before and just after `photo` in the album (none when it is not in it). */
      albumNeighbours: Effect.fn("ViewerRepository.albumNeighbours")((album: string, photo: string) =>
        findPosition({ album, photo }).pipe(
          Effect.flatMap((found) =>
            found._tag === "None"
              ? Effect.succeed({ previous: [], next: [] })
              : Effect.all({
                previous: earlierInAlbum({ album, position: found.value.position, id: photo, limit: 1 }),
                next: laterInAlbum({ album, position: found.value.position, id: photo, limit: 1 })
              })
          ),
          rowsAreOurs
        )
      )
    } as const
  })
}) {}

// What the viewer pages by: photos by date taken (undated ones last), album members by position, and every photo's
// tags one row each with its date taken, kept in step with `photos` by triggers so every writer keeps it right.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The (tag, taken, photo_id) rows of the photos `source` selects as (id, tags, taken), tags space-separated. */
const tagRows = (source: string) =>
  `WITH RECURSIVE split(photo_id, taken, tag, rest) AS (
     SELECT id, taken, '', tags || ' ' FROM (${source})
     UNION ALL
     SELECT photo_id, taken, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
   )
   SELECT tag, taken, photo_id FROM split WHERE tag <> ''`

const NEW_PHOTO = "SELECT NEW.id AS id, NEW.tags AS tags, coalesce(NEW.date_taken, '') AS taken"
const OLD_PHOTO = "SELECT OLD.id AS id, OLD.tags AS tags, coalesce(OLD.date_taken, '') AS taken"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX photos_taken ON photos (coalesce(date_taken, ''), id)`
  // Covering: an album's live members in order, and their count, without reading the table.
  yield* sql`CREATE INDEX album_photos_live ON album_photos (album_id, removed_at, position, photo_id)`
  // One B-tree, the key itself the listing's order: a tag's photos newest first, unsorted (`taken` is
  // the photo's coalesce(date_taken, '')). Every row is written on every photo's insert, so no second
  // index: the triggers find a photo's rows again by its old tags and date, through the key.
  yield* sql`CREATE TABLE photo_tag_names (
    tag TEXT NOT NULL,
    taken TEXT NOT NULL,
    photo_id TEXT NOT NULL,
    PRIMARY KEY (tag, taken, photo_id)
  ) WITHOUT ROWID`
  yield* sql.unsafe(`INSERT OR IGNORE INTO photo_tag_names (tag, taken, photo_id)
    ${tagRows("SELECT id, tags, coalesce(date_taken, '') AS taken FROM photos")}`)
  yield* sql.unsafe(`CREATE TRIGGER photos_tag_names_insert AFTER INSERT ON photos BEGIN
    INSERT OR IGNORE INTO photo_tag_names (tag, taken, photo_id) ${tagRows(NEW_PHOTO)};
  END`)
  yield* sql.unsafe(`CREATE TRIGGER photos_tag_names_update AFTER UPDATE OF tags, date_taken ON photos
    WHEN NEW.tags IS NOT OLD.tags OR NEW.date_taken IS NOT OLD.date_taken BEGIN
    DELETE FROM photo_tag_names WHERE (tag, taken, photo_id) IN (${tagRows(OLD_PHOTO)});
    INSERT OR IGNORE INTO photo_tag_names (tag, taken, photo_id) ${tagRows(NEW_PHOTO)};
  END`)
})

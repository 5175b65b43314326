// What the viewer pages by: photos by date taken (undated ones last), album members by position, and every photo's
// tags one row each with its date taken, kept in step with `photos` by triggers so every writer keeps it right.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The `photo_tag_names` rows of the photos `source` selects as (id, tags, taken), tags space-separated. */
const splitTags = (source: string) =>
  `INSERT OR IGNORE INTO photo_tag_names (tag, taken, photo_id)
   WITH RECURSIVE split(photo_id, taken, tag, rest) AS (
     SELECT id, taken, '', tags || ' ' FROM (${source})
     UNION ALL
     SELECT photo_id, taken, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
   )
   SELECT tag, taken, photo_id FROM split WHERE tag <> ''`

const NEW_PHOTO = "SELECT NEW.id AS id, NEW.tags AS tags, coalesce(NEW.date_taken, '') AS taken"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX photos_taken ON photos (coalesce(date_taken, ''), id)`
  // Covering: an album's live members in order, and their count, without reading the table.
  yield* sql`CREATE INDEX album_photos_live ON album_photos (album_id, removed_at, position, photo_id)`
  // `taken` is the photo's coalesce(date_taken, ''), so a tag's photos come newest first from the index, unsorted.
  yield* sql`CREATE TABLE photo_tag_names (
    tag TEXT NOT NULL,
    photo_id TEXT NOT NULL,
    taken TEXT NOT NULL,
    PRIMARY KEY (tag, photo_id)
  ) WITHOUT ROWID`
  yield* sql`CREATE INDEX photo_tag_names_taken ON photo_tag_names (tag, taken, photo_id)`
  yield* sql`CREATE INDEX photo_tag_names_photo ON photo_tag_names (photo_id)`
  yield* sql.unsafe(splitTags("SELECT id, tags, coalesce(date_taken, '') AS taken FROM photos"))
  yield* sql.unsafe(`CREATE TRIGGER photos_tag_names_insert AFTER INSERT ON photos BEGIN
    ${splitTags(NEW_PHOTO)};
  END`)
  yield* sql.unsafe(`CREATE TRIGGER photos_tag_names_update AFTER UPDATE OF tags ON photos
    WHEN NEW.tags IS NOT OLD.tags BEGIN
    DELETE FROM photo_tag_names WHERE photo_id = OLD.id;
    ${splitTags(NEW_PHOTO)};
  END`)
  yield* sql.unsafe(`CREATE TRIGGER photos_tag_names_taken AFTER UPDATE OF date_taken ON photos
    WHEN NEW.date_taken IS NOT OLD.date_taken BEGIN
    UPDATE photo_tag_names SET taken = coalesce(NEW.date_taken, '') WHERE photo_id = NEW.id;
  END`)
})

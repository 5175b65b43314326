// What the viewer pages by: photos by date taken (undated ones last), album members by position, and every photo's
// tags one row each, kept in step with `photos.tags` by triggers so every writer keeps it right.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The `photo_tag_names` rows of the photos `source` selects as (id, tags), tags space-separated. */
const splitTags = (source: string) =>
  `INSERT OR IGNORE INTO photo_tag_names (tag, photo_id)
   WITH RECURSIVE split(photo_id, tag, rest) AS (
     SELECT id, '', tags || ' ' FROM (${source})
     UNION ALL
     SELECT photo_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
   )
   SELECT tag, photo_id FROM split WHERE tag <> ''`

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX photos_taken ON photos (coalesce(date_taken, ''), id)`
  yield* sql`CREATE INDEX album_photos_position ON album_photos (album_id, position)`
  yield* sql`CREATE TABLE photo_tag_names (
    tag TEXT NOT NULL,
    photo_id TEXT NOT NULL,
    PRIMARY KEY (tag, photo_id)
  ) WITHOUT ROWID`
  yield* sql`CREATE INDEX photo_tag_names_photo ON photo_tag_names (photo_id)`
  yield* sql.unsafe(splitTags("SELECT id, tags FROM photos"))
  yield* sql.unsafe(`CREATE TRIGGER photos_tag_names_insert AFTER INSERT ON photos BEGIN
    ${splitTags("SELECT NEW.id AS id, NEW.tags AS tags")};
  END`)
  yield* sql.unsafe(`CREATE TRIGGER photos_tag_names_update AFTER UPDATE OF tags ON photos
    WHEN NEW.tags IS NOT OLD.tags BEGIN
    DELETE FROM photo_tag_names WHERE photo_id = OLD.id;
    ${splitTags("SELECT NEW.id AS id, NEW.tags AS tags")};
  END`)
})

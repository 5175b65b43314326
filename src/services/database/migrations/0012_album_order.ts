// Albums in Flickr's order (`position`, from photosets.getList or the export's albums.json), and the
// geotagged photos' coordinates in one covering index, so the map's points come from the index alone.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE albums ADD COLUMN position INTEGER`
  // The albums page's order: placed albums first, by place, then the newest; deleted ones are not listed.
  yield* sql`CREATE INDEX albums_order ON albums (position IS NULL, position, created_at DESC, id DESC)
             WHERE deleted_at IS NULL`
  // 0,0 is where Flickr puts a photo with no location.
  yield* sql`CREATE INDEX photos_geo ON photos (id, latitude, longitude)
             WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND NOT (latitude = 0 AND longitude = 0)`
})

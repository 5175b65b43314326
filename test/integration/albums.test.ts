// Albums and collections over real HTTP against the simulator: the first backup mirrors every
// album (members in Flickr's order), every collection at every depth and the albums in each; an
// update with nothing changed costs ceil(albums / 500) + 1 calls and writes nothing; each kind of
// change on Flickr shows up after `update` with members read only for albums whose date_update
// moved; `status --json` counts what is live. Runs that do not go straight through: a backup
// killed (-9) in the member phase is finished by the next one, also when albums were deleted
// meanwhile; an album deleted while getList is paged, or between getList and its getPhotos.
// After each step the four tables are compared with the simulator's state, id for id and
// position for position, and each album's raw record with what photosets.getList lists.
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import { restJson, type Item } from "../support/SignedRest.js"
import {
  albumCalls,
  backupProgram,
  cliEnv,
  closeSimulators,
  dbPath,
  expectedAlbumCalls,
  expectSuccess,
  integrityCheck,
  latestRun,
  photoCalls,
  photoRows,
  removeTempDirs,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  startCli,
  startSim,
  syncRuns,
  type SyncRunRow,
  updateProgram,
  waitFor,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

// ---- the database's album tables ----

interface AlbumDbRow {
  readonly id: string
  readonly title: string | null
  readonly description: string | null
  readonly primary_photo_id: string | null
  readonly photos: number | null
  readonly videos: number | null
  readonly count_views: number | null
  readonly count_comments: number | null
  readonly created_at: number | null
  readonly updated_at: number | null
  readonly raw: string
  readonly members_updated_at: number | null
  readonly first_seen_at: number
  readonly changed_at: number
  readonly last_seen_run: number | null
  readonly deleted_at: number | null
}

interface AlbumPhotoRow {
  readonly album_id: string
  readonly photo_id: string
  readonly position: number
  readonly is_primary: number
  readonly added_at: number
  readonly removed_at: number | null
}

interface CollectionDbRow {
  readonly id: string
  readonly parent_id: string | null
  readonly position: number
  readonly title: string | null
  readonly description: string | null
  readonly icon_large: string | null
  readonly icon_small: string | null
  readonly raw: string
  readonly first_seen_at: number
  readonly changed_at: number
  readonly last_seen_run: number | null
  readonly deleted_at: number | null
}

interface PlacementRow {
  readonly collection_id: string
  readonly album_id: string
  readonly position: number
  readonly added_at: number
  readonly removed_at: number | null
}

const ALBUM_TABLES = ["albums", "album_photos", "collections", "collection_albums"] as const

const albumRows = (file: string): Array<AlbumDbRow> =>
  withDb(file, (db) => db.prepare("SELECT * FROM albums ORDER BY id").all() as Array<AlbumDbRow>)

const albumRow = (file: string, id: string): AlbumDbRow | undefined =>
  withDb(file, (db) => db.prepare("SELECT * FROM albums WHERE id = ?").get(id) as AlbumDbRow | undefined)

const memberRows = (file: string, albumId?: string): Array<AlbumPhotoRow> =>
  withDb(file, (db) =>
    (albumId === undefined
      ? db.prepare("SELECT * FROM album_photos ORDER BY album_id, position, photo_id").all()
      : db.prepare("SELECT * FROM album_photos WHERE album_id = ? ORDER BY position, photo_id").all(albumId)) as Array<AlbumPhotoRow>)

const memberRow = (file: string, albumId: string, photoId: string): AlbumPhotoRow | undefined =>
  withDb(file, (db) =>
    db.prepare("SELECT * FROM album_photos WHERE album_id = ? AND photo_id = ?").get(albumId, photoId) as AlbumPhotoRow | undefined)

const collectionRows = (file: string): Array<CollectionDbRow> =>
  withDb(file, (db) => db.prepare("SELECT * FROM collections ORDER BY id").all() as Array<CollectionDbRow>)

const placementRows = (file: string): Array<PlacementRow> =>
  withDb(file, (db) => db.prepare("SELECT * FROM collection_albums ORDER BY collection_id, position, album_id").all() as Array<PlacementRow>)

const placementRow = (file: string, collectionId: string, albumId: string): PlacementRow | undefined =>
  withDb(file, (db) =>
    db.prepare("SELECT * FROM collection_albums WHERE collection_id = ? AND album_id = ?").get(collectionId, albumId) as
      | PlacementRow
      | undefined)

/**
 * Every row of the four album tables, in rowid order, without `last_seen_run` (which names the
 * latest run that listed the row, so it moves on every sync by design): equal dumps mean nothing
 * was written.
 */
const dumpAlbumTables = (file: string): string =>
  withDb(file, (db) =>
    JSON.stringify(
      ALBUM_TABLES.map((table) =>
        (db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Array<Record<string, unknown>>).map((row) => {
          const { last_seen_run: _lastSeenRun, ...rest } = row
          return rest
        })
      )
    ))

/**
 * Sets every album's and collection's `changed_at` and every member's and placement's `added_at`
 * to 1, so that the next sync's own timestamps (unix seconds, possibly the same second as the
 * previous run's) show which rows it touched, without waiting for the clock.
 */
const backdate = (file: string): void =>
  withDb(
    file,
    (db) => {
      db.exec(`UPDATE albums SET changed_at = 1;
               UPDATE collections SET changed_at = 1;
               UPDATE album_photos SET added_at = 1;
               UPDATE collection_albums SET added_at = 1;`)
    },
    false
  )

const sortedBy = <A>(rows: ReadonlyArray<A>, key: (a: A) => string): Array<A> =>
  [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))

const range = (n: number): Array<number> => Array.from({ length: n }, (_, i) => i)

// ---- the simulator's side ----

const GET_PHOTOS = "flickr.photosets.getPhotos"
const GET_LIST = "flickr.photosets.getList"
const GET_TREE = "flickr.collections.getTree"

const calls = (sim: FlickrSimulator, method: string): number => sim.stats().byMethod[method] ?? 0

/** photosets.getPhotos pages needed to read the members of `ids` (500 a page, at least one each). */
const memberPages = (sim: FlickrSimulator, ids: ReadonlyArray<string>): number =>
  ids.reduce((sum, id) => sum + Math.max(1, Math.ceil(sim.album(id)!.photoIds.length / 500)), 0)

/** Each album's date_update now. */
const dateUpdates = (sim: FlickrSimulator): Map<string, number> => new Map(sim.albums().map((id) => [id, sim.album(id)!.dateUpdate]))

/** Albums that are new or whose date_update moved since `before`. */
const movedSince = (sim: FlickrSimulator, before: ReadonlyMap<string, number>): Array<string> =>
  sim.albums().filter((id) => before.get(id) !== sim.album(id)!.dateUpdate)

/**
 * Every album exactly as photosets.getList lists it now, asked over signed HTTP like a client
 * would (these calls count in the simulator's stats: call after checking them).
 */
const listedAlbums = async (sim: FlickrSimulator): Promise<Map<string, Item>> => {
  const out = new Map<string, Item>()
  for (let page = 1, pages = 1; page <= pages; page++) {
    const answer = await restJson(sim, { method: GET_LIST, per_page: "500", page: String(page) })
    const photosets = answer.photosets as { pages: number | string; photoset: Array<Item> }
    pages = Number(photosets.pages)
    for (const item of photosets.photoset) out.set(item.id as string, item)
  }
  return out
}

interface ExpectedCollection {
  readonly id: string
  readonly parent_id: string | null
  readonly position: number
  readonly title: string
  readonly description: string
  readonly icon_large: string
  readonly icon_small: string
  /** The getTree node without its child collections. */
  readonly raw: unknown
}

interface ExpectedPlacement {
  readonly collection_id: string
  readonly album_id: string
  readonly position: number
}

/** The simulator's collection tree, flattened: every collection with its parent, place and depth. */
const simTree = (sim: FlickrSimulator) => {
  const collections: Array<ExpectedCollection & { readonly depth: number }> = []
  const placements: Array<ExpectedPlacement> = []
  const visit = (node: ReturnType<FlickrSimulator["collectionTree"]>[number], parent: string | null, position: number, depth: number) => {
    const { collection: children, ...own } = node
    collections.push({
      id: node.id,
      parent_id: parent,
      position,
      title: node.title,
      description: node.description,
      icon_large: node.iconlarge,
      icon_small: node.iconsmall,
      raw: own,
      depth
    })
    ;(node.set ?? []).forEach((set, i) => placements.push({ collection_id: node.id, album_id: set.id, position: i }))
    ;(children ?? []).forEach((child, i) => visit(child, node.id, i, depth + 1))
  }
  sim.collectionTree().forEach((root, i) => visit(root, null, i, 1))
  return { collections, placements }
}

// ---- the comparison ----

/**
 * The four tables hold exactly the simulator's albums and collections: every live album with
 * the fields getList gives (raw equal to what getList lists now), its members in order from
 * position 0 with the cover marked; albums gone from Flickr marked deleted; every collection with
 * its parent, position and node; every placement in order; gone ones marked.
 */
const expectMirrors = async (file: string, sim: FlickrSimulator): Promise<void> => {
  // Albums.
  const rows = albumRows(file)
  const live = rows.filter((r) => r.deleted_at === null)
  const liveIds = new Set(live.map((r) => r.id))
  // getList order (newest created first, ties by id) follows from what was stored.
  const byCreation = [...live].sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
  expect(byCreation.map((r) => r.id)).toEqual(sim.albums())
  for (const row of rows.filter((r) => r.deleted_at !== null)) expect(sim.album(row.id), `album ${row.id} marked deleted`).toBeUndefined()

  const members = new Map<string, Array<AlbumPhotoRow>>()
  for (const m of memberRows(file)) {
    expect(rows.some((r) => r.id === m.album_id), `album_photos row of an unknown album ${m.album_id}`).toBe(true)
    if (m.removed_at !== null) continue
    const list = members.get(m.album_id) ?? []
    list.push(m)
    members.set(m.album_id, list)
  }
  const listed = await listedAlbums(sim)
  expect([...listed.keys()]).toEqual(sim.albums())
  for (const row of live) {
    const view = sim.album(row.id)!
    const item = listed.get(row.id)!
    expect(row, `album ${row.id}`).toMatchObject({
      title: view.title,
      description: view.description,
      primary_photo_id: view.primary,
      created_at: view.dateCreate,
      updated_at: view.dateUpdate,
      members_updated_at: view.dateUpdate,
      count_views: Number(item.count_views),
      count_comments: Number(item.count_comments)
    })
    expect(row.photos! + row.videos!, `album ${row.id} counts`).toBe(view.photoIds.length)
    expect(JSON.parse(row.raw), `album ${row.id} raw`).toEqual(item)
    const placed = members.get(row.id) ?? []
    expect(placed.map((m) => m.photo_id), `members of ${row.id}`).toEqual(view.photoIds)
    expect(placed.map((m) => m.position), `positions in ${row.id}`).toEqual(range(view.photoIds.length))
    expect(placed.map((m) => m.is_primary), `isprimary in ${row.id}`).toEqual(view.photoIds.map((p) => (p === view.primary ? 1 : 0)))
  }
  for (const id of members.keys()) {
    // Live members of albums now gone are kept as they were last read; anything else must be live.
    if (!liveIds.has(id)) expect(sim.album(id)).toBeUndefined()
  }

  // Collections.
  const tree = simTree(sim)
  const expectedIds = new Set(tree.collections.map((c) => c.id))
  const stored = collectionRows(file)
  const liveCollections = stored
    .filter((c) => c.deleted_at === null)
    .map((c) => ({
      id: c.id,
      parent_id: c.parent_id,
      position: c.position,
      title: c.title,
      description: c.description,
      icon_large: c.icon_large,
      icon_small: c.icon_small,
      raw: JSON.parse(c.raw) as unknown
    }))
  expect(liveCollections).toEqual(sortedBy(tree.collections.map(({ depth: _depth, ...c }) => c), (c) => c.id))
  for (const c of stored.filter((c) => c.deleted_at !== null)) expect(expectedIds.has(c.id), `collection ${c.id} marked deleted`).toBe(false)
  const livePlacements = placementRows(file)
    .filter((p) => p.removed_at === null)
    .map((p) => ({ collection_id: p.collection_id, album_id: p.album_id, position: p.position }))
  const key = (p: ExpectedPlacement) => `${p.collection_id} ${String(p.position).padStart(6, "0")} ${p.album_id}`
  expect(sortedBy(livePlacements, key)).toEqual(sortedBy(tree.placements, key))
}

/** A run that ended well, with its counters' calls equal to what the simulator answered. */
const expectSucceeded = (file: string, kind: string, sim: FlickrSimulator): SyncRunRow => {
  const run = syncRuns(file).at(-1)!
  expect(run).toMatchObject({ kind, outcome: "succeeded", message: null, api_calls: sim.stats().restCalls })
  return run
}

interface Versioned {
  readonly id: string
  readonly raw: string
  readonly parent_id?: string | null
  readonly position?: number
}

/**
 * What `changed_at` follows: the record as received and, for a collection, its place in the tree
 * (a collection has a parent_id; an album's position is only its place in the list, not a change).
 */
const versionOf = (row: Versioned): string =>
  JSON.stringify(row.parent_id === undefined ? [row.raw] : [row.raw, row.parent_id, row.position ?? null])

/**
 * Rows whose record (or place) changed got `changed_at` of this run; the others kept their
 * backdated 1.
 */
const expectChangedAtFollowsRaw = (
  before: ReadonlyArray<Versioned>,
  after: ReadonlyArray<Versioned & { readonly changed_at: number; readonly deleted_at: number | null }>,
  run: SyncRunRow
): void => {
  const old = new Map(before.map((r) => [r.id, versionOf(r)]))
  let unchanged = 0
  for (const row of after) {
    if (row.deleted_at !== null) continue
    if (old.get(row.id) === versionOf(row)) {
      unchanged++
      expect(row.changed_at, `${row.id} did not change`).toBe(1)
    } else {
      expect(row.changed_at, `${row.id} changed`).toBeGreaterThanOrEqual(run.started_at)
    }
  }
  // Some rows stay as they were, so the check above is not vacuous.
  expect(unchanged).toBeGreaterThan(0)
}

/** Resolves once the clock has passed second `t`: a change made then moves a date_update past `t`. */
const clockPast = (t: number): Promise<true> =>
  waitFor(() => (Math.floor(Date.now() / 1000) > t ? (true as const) : undefined), { timeoutMs: 5_000, what: `the clock to pass ${t}` })

const membershipOf = (sim: FlickrSimulator): Map<string, Array<string>> => {
  const out = new Map<string, Array<string>>()
  for (const id of sim.albums()) {
    for (const photo of sim.album(id)!.photoIds) out.set(photo, [...(out.get(photo) ?? []), id])
  }
  return out
}

interface StatusReport {
  readonly albums: number
  readonly collections: number
  readonly photos: { readonly live: number; readonly deleted: number }
}

// ---- 1 and 2: the first backup, then an update with nothing changed ----

describe("albums and collections in a full backup", () => {
  it("mirrors every album with its members in order and every collection at every depth; a quiet update costs getList + getTree and writes nothing", async () => {
    const N = 3_000
    const sim = await startSim({ photos: N, seed: 4, albums: 520 })
    const home = await setUpHome(sim, "albums-backup")
    const file = dbPath(home)
    const albumCount = sim.albums().length
    expect(albumCount).toBe(520)
    // The account has what this test is about: two getList pages, albums too big for one getPhotos
    // page, titles with entities, markup and non-ASCII, collections three deep, empty titles.
    const views = sim.albums().map((id) => sim.album(id)!)
    expect(views.some((v) => v.photoIds.length > 500)).toBe(true)
    expect(views.some((v) => v.title.includes("&amp;"))).toBe(true)
    expect(views.some((v) => /[\u0080-\uffff]/.test(v.title))).toBe(true)
    expect(views.some((v) => v.title === "")).toBe(true)
    const tree = simTree(sim)
    expect(Math.max(...tree.collections.map((c) => c.depth))).toBe(3)

    const lines: Array<string> = []
    await runOrThrow(backupProgram(sim, home, {}, { lines }))
    expect(photoCalls(sim)).toBeLessThanOrEqual(Math.ceil(N / 500) + 2)
    expect(albumCalls(sim)).toBe(expectedAlbumCalls(sim, sim.albums()))
    expect(calls(sim, GET_LIST)).toBe(2)
    expect(calls(sim, GET_PHOTOS)).toBe(memberPages(sim, sim.albums()))
    expect(calls(sim, GET_TREE)).toBe(1)
    // Nothing but the listing and the album methods.
    expect(sim.stats().restCalls).toBe(photoCalls(sim) + albumCalls(sim))
    const backupRun = expectSucceeded(file, "backup", sim)
    expect(syncRuns(file)).toHaveLength(1)
    expect(lines.map((l) => l.trimEnd())).toContain(
      `Albums: ${albumCount} on Flickr (${albumCount} new, 0 changed, 0 deleted), members read for ${albumCount} albums; ` +
        `${tree.collections.length} collections (0 deleted)`
    )

    await expectMirrors(file, sim)
    // Titles are stored as received: entities and markup not decoded, unicode intact.
    const rows = albumRows(file)
    expect(rows).toHaveLength(albumCount)
    const markup = rows.find((r) => r.title!.includes("&amp;"))!
    expect(markup.title).toBe(sim.album(markup.id)!.title)
    const unicode = rows.find((r) => /[\u0080-\uffff]/.test(r.title!))!
    expect(unicode.title).toBe(sim.album(unicode.id)!.title)
    for (const row of rows) {
      expect(row).toMatchObject({ deleted_at: null, last_seen_run: backupRun.id })
      expect(row.first_seen_at).toBe(row.changed_at)
    }
    // Every depth: a collection whose parent has a parent.
    const collections = new Map(collectionRows(file).map((c) => [c.id, c]))
    const deepest = [...collections.values()].filter((c) => c.parent_id !== null && collections.get(c.parent_id)!.parent_id !== null)
    expect(deepest.length).toBeGreaterThan(0)
    for (const c of deepest) {
      const expected = tree.collections.find((t) => t.id === c.id)!
      expect([c.parent_id, c.position, expected.depth]).toEqual([expected.parent_id, expected.position, 3])
    }
    // Albums in no collection: neither in the tree nor with a live placement.
    const placedInTree = new Set(tree.placements.map((p) => p.album_id))
    const unplaced = sim.albums().filter((id) => !placedInTree.has(id))
    expect(unplaced.length).toBeGreaterThan(0)
    const placedInDb = new Set(placementRows(file).filter((p) => p.removed_at === null).map((p) => p.album_id))
    expect(sim.albums().filter((id) => !placedInDb.has(id))).toEqual(unplaced)

    // An update with nothing changed: every getList page and the tree, no getPhotos, no writes.
    const before = dumpAlbumTables(file)
    sim.resetStats()
    await runOrThrow(updateProgram(sim, home))
    expect(albumCalls(sim)).toBe(Math.ceil(albumCount / 500) + 1)
    expect(calls(sim, GET_PHOTOS)).toBe(0)
    const updateRun = expectSucceeded(file, "update", sim)
    expect(dumpAlbumTables(file)).toBe(before)
    for (const row of albumRows(file)) expect(row.last_seen_run).toBe(updateRun.id)
    for (const row of collectionRows(file)) expect(row.last_seen_run).toBe(updateRun.id)
    await expectMirrors(file, sim)
  })
})

// ---- 3: each change on Flickr, then `update` ----

describe("changes on Flickr reach the database with `update`", () => {
  const N = 1_200
  /** 40 albums, none over 500 photos, collections three deep (seed 11). */
  const account = { photos: N, seed: 11, albums: 40 } as const

  const backedUp = async (label: string) => {
    const sim = await startSim(account)
    const home = await setUpHome(sim, label)
    const file = dbPath(home)
    // Every album fits one getPhotos page: the calls below count albums.
    expect(Math.max(...sim.albums().map((id) => sim.album(id)!.photoIds.length))).toBeLessThanOrEqual(500)
    await runOrThrow(backupProgram(sim, home))
    await expectMirrors(file, sim)
    return { sim, home, file }
  }

  /**
   * `update` after a change: only the albums whose date_update moved since `before` have their
   * members read (and exactly those in `expectMoved`), rows changed_at follows raw.
   */
  const updateAfter = async (
    sim: FlickrSimulator,
    home: string,
    before: ReadonlyMap<string, number>,
    expectMoved: ReadonlyArray<string>
  ): Promise<SyncRunRow> => {
    const file = dbPath(home)
    const moved = movedSince(sim, before)
    expect([...moved].sort()).toEqual([...expectMoved].sort())
    const albumsBefore = albumRows(file)
    const collectionsBefore = collectionRows(file)
    backdate(file)
    sim.resetStats()
    await runOrThrow(updateProgram(sim, home))
    expect(calls(sim, GET_PHOTOS)).toBe(moved.length)
    expect(albumCalls(sim)).toBe(expectedAlbumCalls(sim, moved))
    const run = expectSucceeded(file, "update", sim)
    expectChangedAtFollowsRaw(albumsBefore, albumRows(file), run)
    expectChangedAtFollowsRaw(collectionsBefore, collectionRows(file), run)
    await expectMirrors(file, sim)
    return run
  }

  it("renamed and redescribed albums, members added, removed, re-added and reordered, a new cover, a new album, a deleted album", async () => {
    const { file, home, sim } = await backedUp("album-changes")
    const ids = sim.albums()
    const withAtLeast = (n: number, not: ReadonlyArray<string>) =>
      ids.filter((id) => sim.album(id)!.photoIds.length >= n && !not.includes(id))
    const inCollection = new Set(simTree(sim).placements.map((p) => p.album_id))

    // Renamed (HTML and unicode kept as sent) and redescribed; another only renamed.
    const renamed = withAtLeast(3, []).find((id) => inCollection.has(id))!
    const retitled = withAtLeast(2, [renamed])[0]!
    const title = `Été &amp; <i>hiver</i> — 雪 ❄️ "quoted" / 𝄞`
    const description = `Line one &lt;b&gt;\n\n<a href="http://example.com/a/b?c=d&e=f" rel="nofollow">link</a> 🌍`
    let before = dateUpdates(sim)
    const membersBefore = JSON.stringify(memberRows(file))
    sim.editAlbum(renamed, { title, description })
    sim.editAlbum(retitled, { title: "東京 &lt;2024&gt;" })
    let run = await updateAfter(sim, home, before, [renamed, retitled])
    const renamedRow = albumRow(file, renamed)!
    expect(renamedRow).toMatchObject({ title, description, updated_at: sim.album(renamed)!.dateUpdate })
    expect(JSON.parse(renamedRow.raw)).toMatchObject({ title: { _content: title }, description: { _content: description } })
    expect(albumRow(file, retitled)!.title).toBe("東京 &lt;2024&gt;")
    expect(renamedRow.changed_at).toBeGreaterThanOrEqual(run.started_at)
    // Members read again (their album's date_update moved) but the same: no row changed.
    expect(JSON.stringify(memberRows(file).map(({ added_at: _a, ...m }) => m))).toBe(
      JSON.stringify((JSON.parse(membersBefore) as Array<AlbumPhotoRow>).map(({ added_at: _a, ...m }) => m))
    )
    // The collection listing the renamed album shows its new title in its node.
    const holder = simTree(sim).placements.find((p) => p.album_id === renamed)!.collection_id
    expect(JSON.stringify(JSON.parse(collectionRows(file).find((c) => c.id === holder)!.raw))).toContain(JSON.stringify(title))

    // Members: two removed, two added, the last moved first; another album only reordered.
    const edited = withAtLeast(5, [renamed, retitled])[0]!
    const reordered = withAtLeast(3, [renamed, retitled, edited])[0]!
    const editedBefore = sim.album(edited)!.photoIds
    const takenOut = [editedBefore[1]!, editedBefore[3]!]
    const membership = membershipOf(sim)
    const newcomers = sim.liveIds().filter((p) => !editedBefore.includes(p)).slice(10, 12)
    expect(newcomers).toHaveLength(2)
    before = dateUpdates(sim)
    expect(sim.removeFromAlbum(edited, takenOut)).toEqual(takenOut)
    expect(sim.addToAlbum(edited, newcomers)).toEqual(newcomers)
    sim.reorderAlbum(edited, [newcomers[1]!])
    const reorderedBefore = sim.album(reordered)!.photoIds
    sim.reorderAlbum(reordered, [...reorderedBefore].reverse())
    expect(sim.album(reordered)!.photoIds).toEqual([...reorderedBefore].reverse())
    run = await updateAfter(sim, home, before, [edited, reordered])
    for (const photo of takenOut) {
      const row = memberRow(file, edited, photo)!
      expect(row.removed_at, `${photo} taken out of ${edited}`).not.toBeNull()
      expect(row.removed_at!).toBeGreaterThanOrEqual(run.started_at)
    }
    const editedNow = sim.album(edited)!.photoIds
    expect(editedNow[0]).toBe(newcomers[1])
    expect(editedNow.at(-1)).toBe(newcomers[0])
    for (const photo of newcomers) {
      expect(memberRow(file, edited, photo)).toMatchObject({ position: editedNow.indexOf(photo), removed_at: null })
      expect(memberRow(file, edited, photo)!.added_at).toBeGreaterThanOrEqual(run.started_at)
    }
    // Members that stayed keep the time they were first seen (backdated to 1).
    for (const photo of editedNow.filter((p) => !newcomers.includes(p))) expect(memberRow(file, edited, photo)!.added_at).toBe(1)
    expect(memberRows(file, reordered).map((m) => m.photo_id)).toEqual([...reorderedBefore].reverse())
    // A photo in several albums: leaving one of them does not touch its other memberships.
    for (const photo of takenOut) {
      for (const other of (membership.get(photo) ?? []).filter((a) => a !== edited)) {
        expect(memberRow(file, other, photo)!.removed_at).toBeNull()
      }
    }

    // One taken out comes back (at the end, removed_at cleared, added_at of this run); a new cover elsewhere.
    await clockPast(Math.max(...dateUpdates(sim).values()))
    const covered = withAtLeast(3, [renamed, retitled, edited, reordered]).find((id) => sim.album(id)!.primary === sim.album(id)!.photoIds[0])!
    const newCover = sim.album(covered)!.photoIds[2]!
    const oldCover = sim.album(covered)!.primary
    before = dateUpdates(sim)
    expect(sim.addToAlbum(edited, [takenOut[0]!])).toEqual([takenOut[0]])
    sim.setPrimary(covered, newCover)
    run = await updateAfter(sim, home, before, [edited, covered])
    expect(memberRow(file, edited, takenOut[0]!)).toMatchObject({ removed_at: null, position: sim.album(edited)!.photoIds.length - 1 })
    expect(memberRow(file, edited, takenOut[0]!)!.added_at).toBeGreaterThanOrEqual(run.started_at)
    expect(memberRow(file, edited, takenOut[1]!)!.removed_at).not.toBeNull()
    expect(albumRow(file, covered)!.primary_photo_id).toBe(newCover)
    expect(memberRow(file, covered, newCover)!.is_primary).toBe(1)
    expect(memberRow(file, covered, oldCover)!.is_primary).toBe(0)

    // A new album (first in getList) and a deleted one (in a collection): its rows stay, marked.
    const deleted = ids.find((id) => inCollection.has(id) && ![renamed, retitled, edited, reordered, covered].includes(id))!
    const deletedHolders = simTree(sim).placements.filter((p) => p.album_id === deleted).map((p) => p.collection_id)
    expect(deletedHolders.length).toBeGreaterThan(0)
    const deletedRowBefore = albumRow(file, deleted)!
    const deletedMembersBefore = memberRows(file, deleted)
    const picks = sim.liveIds().slice(100, 105)
    before = dateUpdates(sim)
    const created = sim.createAlbum("Nouvel album 🆕 &amp; <b>test</b>", picks)
    sim.deleteAlbum(deleted)
    expect(sim.albums()[0]).toBe(created)
    run = await updateAfter(sim, home, before, [created])
    expect(albumRow(file, created)).toMatchObject({
      title: "Nouvel album 🆕 &amp; <b>test</b>",
      primary_photo_id: picks[0],
      first_seen_at: expect.any(Number) as number,
      deleted_at: null
    })
    expect(memberRows(file, created).map((m) => [m.photo_id, m.position])).toEqual(picks.map((p, i) => [p, i]))
    const deletedRow = albumRow(file, deleted)!
    expect(deletedRow.deleted_at).not.toBeNull()
    expect(deletedRow.deleted_at!).toBeGreaterThanOrEqual(run.started_at)
    // The last known record and members are kept as they were.
    expect({ ...deletedRow, deleted_at: null, last_seen_run: null, changed_at: null }).toEqual({
      ...deletedRowBefore,
      deleted_at: null,
      last_seen_run: null,
      changed_at: null
    })
    expect(memberRows(file, deleted).map(({ added_at: _a, ...m }) => m)).toEqual(deletedMembersBefore.map(({ added_at: _a, ...m }) => m))
    for (const holder of deletedHolders) {
      const placement = placementRow(file, holder, deleted)!
      expect(placement.removed_at).not.toBeNull()
      expect(placement.removed_at!).toBeGreaterThanOrEqual(run.started_at)
    }

    // The next sync has nothing to do for albums.
    sim.resetStats()
    const quiet = dumpAlbumTables(file)
    await runOrThrow(updateProgram(sim, home))
    expect(albumCalls(sim)).toBe(Math.ceil(sim.albums().length / 500) + 1)
    expect(dumpAlbumTables(file)).toBe(quiet)
  })

  it("a deleted photo leaves its albums (removed_at; an album left empty is deleted) and comes back when restored", async () => {
    const { file, home, sim } = await backedUp("album-photo-delete")
    const membership = membershipOf(sim)
    // p: in two or more albums that keep other photos, the cover of one if possible; q: alone in an album.
    const candidates = [...membership].filter(([, albums]) => albums.length >= 2 && albums.every((a) => sim.album(a)!.photoIds.length >= 3))
    const [p, pAlbums] = candidates.find(([photo, albums]) => albums.some((a) => sim.album(a)!.primary === photo)) ?? candidates[0]!
    const qAlbum = sim.albums().find((id) => sim.album(id)!.photoIds.length === 1 && !pAlbums.includes(id))!
    const q = sim.album(qAlbum)!.photoIds[0]!
    const qOthers = (membership.get(q) ?? []).filter((a) => a !== qAlbum)
    /** The albums p and q leave that still exist afterwards. */
    const touched = () => [...new Set([...pAlbums, ...qOthers])].filter((a) => sim.album(a) !== undefined)
    const qAlbumMembersBefore = memberRows(file, qAlbum)

    let before = dateUpdates(sim)
    expect([...sim.remove([p, q])].sort()).toEqual([p, q].sort())
    expect(sim.album(qAlbum)).toBeUndefined()
    let run = await updateAfter(sim, home, before, touched())
    for (const album of pAlbums) {
      const row = memberRow(file, album, p)!
      expect(row.removed_at, `${p} left ${album}`).not.toBeNull()
      expect(row.removed_at!).toBeGreaterThanOrEqual(run.started_at)
      expect(albumRow(file, album)!.updated_at).toBe(sim.album(album)!.dateUpdate)
    }
    const qAlbumRow = albumRow(file, qAlbum)!
    expect(qAlbumRow.deleted_at).not.toBeNull()
    expect(memberRows(file, qAlbum).map(({ added_at: _a, ...m }) => m)).toEqual(qAlbumMembersBefore.map(({ added_at: _a, ...m }) => m))
    const photos = new Map(photoRows(file).map((r) => [r.id, r]))
    expect(photos.get(p)!.deleted_at).not.toBeNull()
    expect(photos.get(q)!.deleted_at).not.toBeNull()

    // Restored: p goes back at the end of each album it left; q's album is gone for good.
    await clockPast(Math.max(...dateUpdates(sim).values()))
    before = dateUpdates(sim)
    sim.restore([p, q])
    run = await updateAfter(sim, home, before, touched())
    for (const album of pAlbums) {
      const row = memberRow(file, album, p)!
      expect(row).toMatchObject({ removed_at: null, position: sim.album(album)!.photoIds.length - 1 })
      expect(row.added_at).toBeGreaterThanOrEqual(run.started_at)
    }
    expect(albumRow(file, qAlbum)!.deleted_at).not.toBeNull()
    const restored = new Map(photoRows(file).map((r) => [r.id, r]))
    expect(restored.get(p)!.deleted_at).toBeNull()
    expect(restored.get(q)!.deleted_at).toBeNull()
  })

  it("collections created (nested), albums moved between them and reordered, collections deleted; status --json counts what is live", async () => {
    const { file, home, sim } = await backedUp("collections")
    const tree = simTree(sim)
    const leaves = tree.collections.filter((c) => !tree.collections.some((o) => o.parent_id === c.id))
    const albumsOf = (collection: string) => tree.placements.filter((p) => p.collection_id === collection).map((p) => p.album_id)
    const [source, shuffled, doomed] = leaves.filter((c) => albumsOf(c.id).length >= 2).map((c) => c.id)
    expect(doomed).toBeDefined()
    const sourceAlbums = albumsOf(source!)
    const shuffledAlbums = albumsOf(shuffled!)
    const doomedAlbums = albumsOf(doomed!)
    const placed = new Set(tree.placements.map((p) => p.album_id))
    const loose = sim.albums().find((id) => !placed.has(id))!
    expect(loose).toBeDefined()
    const [m0, m1] = [sourceAlbums[0]!, sourceAlbums[1]!]
    const roots = sim.collectionTree().length

    // Created three deep, albums moved in from a collection and from none, another collection reordered.
    let before = dateUpdates(sim)
    const root = sim.createCollection("Voyages ✈️ &amp; <i>plus</i>")
    const europe = sim.createCollection("Europe / 2024", root)
    const greece = sim.createCollection("Ελλάδα", root)
    const paris = sim.createCollection("Paris — été 🗼", europe)
    sim.setCollectionAlbums(source!, sourceAlbums.slice(2))
    sim.setCollectionAlbums(paris, [m1, loose, m0])
    sim.setCollectionAlbums(greece, [m0])
    sim.setCollectionAlbums(shuffled!, [...shuffledAlbums].reverse())
    let run = await updateAfter(sim, home, before, [])
    const stored = () => new Map(collectionRows(file).map((c) => [c.id, c]))
    let collections = stored()
    expect(collections.get(root)).toMatchObject({ parent_id: null, position: roots, title: "Voyages ✈️ &amp; <i>plus</i>", deleted_at: null })
    expect(collections.get(europe)).toMatchObject({ parent_id: root, position: 0, title: "Europe / 2024" })
    expect(collections.get(greece)).toMatchObject({ parent_id: root, position: 1, title: "Ελλάδα" })
    expect(collections.get(paris)).toMatchObject({ parent_id: europe, position: 0, title: "Paris — été 🗼" })
    expect(placementRows(file).filter((p) => p.collection_id === paris).map((p) => [p.album_id, p.position, p.removed_at])).toEqual([
      [m1, 0, null],
      [loose, 1, null],
      [m0, 2, null]
    ])
    for (const album of [m0, m1]) {
      const gone = placementRow(file, source!, album)!
      expect(gone.removed_at).not.toBeNull()
      expect(gone.removed_at!).toBeGreaterThanOrEqual(run.started_at)
    }
    expect(placementRow(file, greece, m0)).toMatchObject({ position: 0, removed_at: null })
    expect(
      placementRows(file)
        .filter((p) => p.collection_id === shuffled && p.removed_at === null)
        .map((p) => p.album_id)
    ).toEqual([...shuffledAlbums].reverse())
    // Moving albums changes the collections' nodes (their `set`), not the albums.
    expect(collections.get(source!)!.changed_at).toBeGreaterThanOrEqual(run.started_at)

    // Deleted: the new root with everything under it, and an old collection; an album deleted;
    // one moved album put back where it was.
    before = dateUpdates(sim)
    const doomedAlbum = doomedAlbums[0]!
    sim.deleteCollection(root)
    sim.deleteCollection(doomed!)
    sim.deleteAlbum(shuffledAlbums[0]!)
    sim.setCollectionAlbums(source!, [...sourceAlbums.slice(2), m0])
    run = await updateAfter(sim, home, before, [])
    collections = stored()
    for (const id of [root, europe, greece, paris, doomed!]) {
      expect(collections.get(id)!.deleted_at, `collection ${id}`).not.toBeNull()
      expect(collections.get(id)!.deleted_at!).toBeGreaterThanOrEqual(run.started_at)
    }
    for (const p of placementRows(file).filter((r) => [root, europe, greece, paris, doomed!].includes(r.collection_id))) {
      expect(p.removed_at, `${p.album_id} in deleted ${p.collection_id}`).not.toBeNull()
    }
    expect(placementRows(file).filter((p) => p.collection_id === paris)).toHaveLength(3)
    expect(placementRow(file, doomed!, doomedAlbum)!.removed_at).not.toBeNull()
    expect(albumRow(file, doomedAlbum)!.deleted_at).toBeNull()
    const back = placementRow(file, source!, m0)!
    expect(back).toMatchObject({ removed_at: null, position: sourceAlbums.length - 2 })
    expect(back.added_at).toBeGreaterThanOrEqual(run.started_at)
    expect(placementRow(file, source!, m1)!.removed_at).not.toBeNull()
    expect(albumRow(file, shuffledAlbums[0]!)!.deleted_at).not.toBeNull()

    // status --json (CLI) counts the live albums and collections, not the rows kept for deleted ones.
    const counts = withDb(file, (db) => ({
      albums: db.prepare("SELECT count(*) FROM albums WHERE deleted_at IS NULL").pluck().get() as number,
      deletedAlbums: db.prepare("SELECT count(*) FROM albums WHERE deleted_at IS NOT NULL").pluck().get() as number,
      collections: db.prepare("SELECT count(*) FROM collections WHERE deleted_at IS NULL").pluck().get() as number,
      deletedCollections: db.prepare("SELECT count(*) FROM collections WHERE deleted_at IS NOT NULL").pluck().get() as number
    }))
    expect(counts.deletedAlbums).toBe(1)
    expect(counts.deletedCollections).toBe(5)
    const status = await runCliInProcess(["status", "--json"], cliEnv(home))
    expectSuccess(status)
    const report = JSON.parse(status.stdout) as StatusReport
    expect({ albums: report.albums, collections: report.collections }).toEqual({ albums: counts.albums, collections: counts.collections })
    expect({ albums: report.albums, collections: report.collections }).toEqual({
      albums: sim.albums().length,
      collections: simTree(sim).collections.length
    })
    const text = await runCliInProcess(["status"], cliEnv(home))
    expectSuccess(text)
    expect(text.stdout).toMatch(new RegExp(`^Albums: +${counts.albums}; collections: ${counts.collections}$`, "m"))
  })
})

// ---- 4: robustness ----

describe("album syncs that do not run straight through", () => {
  /**
   * Starts `fbk backup` (CLI) on an account of `albums` albums served with latency, kills it (-9)
   * once some albums have their members stored but many have not, and checks what it left: a sound
   * file, the run still marked running, each album's members all stored or none.
   */
  const killDuringMembers = async (label: string, albums: number) => {
    const sim = await startSim({ photos: 1_500, seed: 2, albums, latencyMs: 10 })
    const home = await setUpHome(sim, label)
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    const total = sim.albums().length
    expect(total).toBe(albums)

    const cli = startCli(["backup"], env)
    let ended = false
    void cli.done.then(() => {
      ended = true
    })
    const progress = () => {
      try {
        return withDb(file, (db) =>
          db.prepare("SELECT count(*) AS listed, count(members_updated_at) AS read FROM albums").get() as { listed: number; read: number })
      } catch {
        return undefined // not created yet, or busy
      }
    }
    await waitFor(() => {
      if (ended) throw new Error(`the CLI ended before it could be killed\nstdout: ${cli.stdout()}\nstderr: ${cli.stderr()}`)
      const seen = progress()
      return seen !== undefined && seen.listed === total && seen.read >= 10 && seen.read <= total - 60 ? seen : undefined
    }, { timeoutMs: 25_000, what: "the backup to be part-way through the album members" })
    cli.child.kill("SIGKILL")
    const result = await cli.done
    expect(result.signal).toBe("SIGKILL")

    // What the dead process left: a sound file; each album's members all there or not at all.
    expect(integrityCheck(file)).toEqual(["ok"])
    const killed = latestRun(file)!
    expect(killed).toMatchObject({ kind: "backup", outcome: "running", finished_at: null, pid: cli.child.pid })
    const rows = albumRows(file)
    expect(rows).toHaveLength(total)
    const read = rows.filter((r) => r.members_updated_at !== null).map((r) => r.id)
    const unread = rows.filter((r) => r.members_updated_at === null).map((r) => r.id)
    expect(read.length).toBeGreaterThanOrEqual(10)
    expect(unread.length).toBeGreaterThan(0)
    for (const id of read) {
      expect(albumRow(file, id)!.members_updated_at).toBe(sim.album(id)!.dateUpdate)
      expect(memberRows(file, id).map((m) => m.photo_id), `members of ${id}`).toEqual(sim.album(id)!.photoIds)
    }
    for (const id of unread) expect(memberRows(file, id), `members of unread ${id}`).toEqual([])
    expect(collectionRows(file)).toEqual([])
    return { sim, home, file, env, killed, read, unread }
  }

  it("a backup killed (-9) while reading album members: the next backup reads only the albums not yet read, then matches exactly", async () => {
    const { env, file, killed, sim, unread } = await killDuringMembers("albums-kill9", 400)

    sim.resetStats()
    const resumed = await runCliInProcess(["backup"], env)
    expectSuccess(resumed)
    expect(resumed.stderr).toMatch(/Resuming the interrupted backup/)
    // Only the albums whose members were not read yet are read now.
    expect(calls(sim, GET_PHOTOS)).toBe(memberPages(sim, unread))
    expect(albumCalls(sim)).toBe(expectedAlbumCalls(sim, unread))
    const runs = syncRuns(file)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ id: killed.id, kind: "backup", outcome: "succeeded" })
    await expectMirrors(file, sim)

    // And an update after it has nothing left to read.
    sim.resetStats()
    const quiet = dumpAlbumTables(file)
    const update = await runCliInProcess(["update"], env)
    expectSuccess(update)
    expect(calls(sim, GET_PHOTOS)).toBe(0)
    expect(albumCalls(sim)).toBe(Math.ceil(sim.albums().length / 500) + 1)
    expect(dumpAlbumTables(file)).toBe(quiet)
  })

  it("albums deleted and renamed on Flickr while a killed backup waits: the backup that resumes it marks them and matches exactly", async () => {
    const { env, file, read, sim, unread } = await killDuringMembers("albums-kill9-shift", 200)

    // Meanwhile on Flickr: an album already read and one not yet read are deleted, one read is renamed.
    const [goneRead, renamedRead] = read as [string, string]
    const goneUnread = unread[0]!
    sim.deleteAlbum(goneRead)
    sim.deleteAlbum(goneUnread)
    sim.editAlbum(renamedRead, { title: "Renommé pendant la pause" })
    const toRead = [...unread.filter((id) => id !== goneUnread), renamedRead]

    sim.resetStats()
    const resumed = await runCliInProcess(["backup"], env)
    expectSuccess(resumed)
    expect(resumed.stderr).toMatch(/Resuming the interrupted backup/)
    // Soft, so that every symptom shows: the members of the albums not yet read (or whose
    // date_update moved) are read, nothing for the deleted ones; the deleted ones are marked.
    expect.soft(calls(sim, GET_PHOTOS), "getPhotos calls of the resumed backup").toBe(memberPages(sim, toRead))
    expect.soft(albumCalls(sim), "album calls of the resumed backup").toBe(expectedAlbumCalls(sim, toRead))
    expect.soft(albumRow(file, goneRead)!.deleted_at, `${goneRead} (read, then deleted) deleted_at`).not.toBeNull()
    expect.soft(albumRow(file, goneUnread)!.deleted_at, `${goneUnread} (unread, then deleted) deleted_at`).not.toBeNull()
    expect(albumRow(file, renamedRead)).toMatchObject({ title: "Renommé pendant la pause", members_updated_at: sim.album(renamedRead)!.dateUpdate })
    expect(syncRuns(file)).toMatchObject([{ kind: "backup", outcome: "succeeded" }])
    await expectMirrors(file, sim)
  })

  it("an album deleted while the photosets.getList pages are read: no album still on Flickr is marked deleted", async () => {
    // 520 albums: two getList pages; the album deleted from page 1 after it was served pulls the
    // first album of page 2 onto page 1, so page 2 does not list it.
    const sim = await startSim({ photos: 1_000, seed: 6, albums: 520 })
    const home = await setUpHome(sim, "album-list-shifts")
    const file = dbPath(home)
    await runOrThrow(backupProgram(sim, home))
    await expectMirrors(file, sim)
    sim.resetStats()
    await runOrThrow(updateProgram(sim, home))
    const photoPart = sim.stats().restCalls - albumCalls(sim)
    expect(calls(sim, GET_LIST)).toBe(2)

    const deleted = sim.albums()[10]!
    const shifted = sim.albums()[500]!
    let atDeletion: Record<string, number> | undefined
    sim.resetStats()
    sim.afterCalls(photoPart + 1, () => {
      atDeletion = { ...sim.stats().byMethod }
      sim.deleteAlbum(deleted)
    })
    await runOrThrow(updateProgram(sim, home))
    expect(atDeletion).toEqual(expect.objectContaining({ [GET_LIST]: 1 }))
    // The pages' totals disagree with what was seen, so the albums are listed a second time.
    expect(calls(sim, GET_LIST)).toBe(4)
    expectSucceeded(file, "update", sim)
    // Every album on Flickr is still live in the database, and the deleted one is marked at once.
    const wronglyDeleted = sim.albums().filter((id) => albumRow(file, id)!.deleted_at !== null)
    expect(wronglyDeleted, `${shifted} was listed on neither page`).toEqual([])
    expect(albumRow(file, deleted)!.deleted_at).not.toBeNull()

    sim.resetStats()
    await runOrThrow(updateProgram(sim, home))
    expect(albumRow(file, deleted)!.deleted_at).not.toBeNull()
    await expectMirrors(file, sim)
  })

  it("an album deleted between photosets.getList and its photosets.getPhotos: the run succeeds, the next sync marks it deleted", async () => {
    const sim = await startSim({ photos: 800, seed: 5, albums: 12 })
    const home = await setUpHome(sim, "album-vanishes")
    const file = dbPath(home)
    await runOrThrow(backupProgram(sim, home))
    await expectMirrors(file, sim)

    // A quiet update tells how many calls come before photosets.getList (the photo part).
    sim.resetStats()
    await runOrThrow(updateProgram(sim, home))
    const photoPart = sim.stats().restCalls - albumCalls(sim)
    expect(albumCalls(sim)).toBe(2)

    const [vanishing, kept] = sim.albums().filter((id) => sim.album(id)!.photoIds.length >= 2)
    const vanishingBefore = albumRow(file, vanishing!)!
    const vanishingMembers = memberRows(file, vanishing!)
    expect(vanishingMembers.length).toBeGreaterThan(0)
    // Both edited, so both are listed with a new date_update and both need their members read.
    sim.editAlbum(vanishing!, { title: "Bientôt supprimé" })
    sim.editAlbum(kept!, { title: "Gardé ✓" })
    sim.resetStats()
    let atDeletion: Record<string, number> | undefined
    sim.afterCalls(photoPart + 1, () => {
      atDeletion = { ...sim.stats().byMethod }
      sim.deleteAlbum(vanishing!)
    })
    const lines: Array<string> = []
    await runOrThrow(updateProgram(sim, home, { lines }))
    // The deletion came right after the listing, before any member was read.
    expect(atDeletion).toBeDefined()
    expect(atDeletion![GET_LIST]).toBe(1)
    expect(atDeletion![GET_PHOTOS]).toBeUndefined()
    // Both albums' members were asked for; the vanished one answered "not found".
    expect(calls(sim, GET_PHOTOS)).toBe(2)
    expectSucceeded(file, "update", sim)
    const vanished = albumRow(file, vanishing!)!
    // Listed, so stored as listed; its members are the last ones read, and it is not up to date.
    expect(vanished).toMatchObject({ title: "Bientôt supprimé", deleted_at: null, members_updated_at: vanishingBefore.members_updated_at })
    expect(memberRows(file, vanishing!)).toEqual(vanishingMembers)
    expect(albumRow(file, kept!)).toMatchObject({ title: "Gardé ✓", members_updated_at: sim.album(kept!)!.dateUpdate })

    // The next sync: gone from getList, so marked deleted; nothing is read for it.
    sim.resetStats()
    await runOrThrow(updateProgram(sim, home))
    expect(calls(sim, GET_PHOTOS)).toBe(0)
    const run = expectSucceeded(file, "update", sim)
    const marked = albumRow(file, vanishing!)!
    expect(marked.deleted_at).not.toBeNull()
    expect(marked.deleted_at!).toBeGreaterThanOrEqual(run.started_at)
    expect(memberRows(file, vanishing!)).toEqual(vanishingMembers)
    await expectMirrors(file, sim)
  })
})

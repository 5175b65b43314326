// `fbk search` over real HTTP against the simulator: the photo_search index kept in step by
// backup, update and details (titles, descriptions without their markup, tags, notes, comments,
// people), photos deleted on Flickr left out, the --json shape, one-line refusals; and what
// `fbk details` now stores besides: the people in each photo (removed ones marked), comments
// read only when their count moved, and status's last sync of the details.
import * as path from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import type { FlickrSimulator } from "../../src/simulator/Server.js"
import { type Item, keysOf, restJson } from "../support/SignedRest.js"
import {
  backupProgram,
  type CliResult,
  cliEnv,
  closeSimulators,
  dbPath,
  dumpTable,
  expectOneLineError,
  expectSuccess,
  removeTempDirs,
  runCliInProcess,
  runOrThrow,
  setUpHome,
  sorted,
  startSim,
  tempDir,
  updateProgram,
  withDb
} from "./support.js"

afterEach(closeSimulators)
afterAll(removeTempDirs)

const GET_INFO = "flickr.photos.getInfo"
const GET_COMMENTS = "flickr.photos.comments.getList"
const GET_PEOPLE = "flickr.photos.people.getList"

type Env = Record<string, string>

interface Hit {
  readonly id: string
  readonly date_taken: string | null
  readonly title: string | null
  readonly albums: ReadonlyArray<string>
  readonly url: string | null
}

/** `fbk search --json` with a limit above any account here; the hits as printed. */
const searchJson = async (env: Env, query: ReadonlyArray<string>, limit = 10_000): Promise<Array<Hit>> => {
  const result = await runCliInProcess(["search", "--json", "--limit", String(limit), ...query], env)
  expectSuccess(result)
  return JSON.parse(result.stdout) as Array<Hit>
}

const searchIds = async (env: Env, ...query: ReadonlyArray<string>): Promise<Array<string>> =>
  sorted((await searchJson(env, query)).map((h) => h.id))

/**
 * Words as the index's tokenizer (unicode61, diacritics removed) cuts them, for the Latin-script
 * text the tests pick words from: runs of letters and digits, lower case, accents dropped.
 */
const words = (text: string | null): Set<string> =>
  new Set(
    (text ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "")
  )

/** What a reader sees of Flickr's HTML, as far as picking test words goes: tags and entities out. */
const visible = (html: string | null): string => (html ?? "").replace(/<[a-z/!?][^>]*>/gi, " ").replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, " ")

/** The most common plain word (a-z, at least `min` letters) of the texts, with the keys it appears under. */
const commonWord = (texts: ReadonlyArray<readonly [string, string | null]>, min = 4, exclude: ReadonlyArray<string> = []) => {
  const where = new Map<string, Set<string>>()
  for (const [key, text] of texts) {
    for (const word of words(text)) {
      if (!/^[a-z]+$/.test(word) || word.length < min || exclude.includes(word)) continue
      if (!where.has(word)) where.set(word, new Set())
      where.get(word)!.add(key)
    }
  }
  const [word, keys] = [...where.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0]!
  return { word, keys: sorted([...keys]) }
}

interface LivePhoto {
  readonly id: string
  readonly title: string | null
  readonly description: string | null
  readonly tags: string
  readonly machine_tags: string
  readonly date_taken: string | null
  readonly deleted_at: number | null
}

const livePhotos = (file: string): Array<LivePhoto> =>
  withDb(file, (db) =>
    db.prepare("SELECT id, title, description, tags, machine_tags, date_taken, deleted_at FROM photos WHERE deleted_at IS NULL ORDER BY id")
      .all() as Array<LivePhoto>)

/** The live photos whose title has `word`. */
const titledWith = (file: string, word: string): Array<string> =>
  sorted(livePhotos(file).filter((p) => words(p.title).has(word)).map((p) => p.id))

/** Live rows of a details table (notes, comments) as [photo id, text], for live photos only. */
const liveTexts = (file: string, table: "notes" | "comments"): Array<readonly [string, string | null]> =>
  withDb(file, (db) =>
    (db.prepare(`SELECT t.photo_id, t.text FROM "${table}" t JOIN photos p ON p.id = t.photo_id
                 WHERE t.removed_at IS NULL AND p.deleted_at IS NULL`).all() as Array<{ photo_id: string; text: string | null }>)
      .map((r) => [r.photo_id, r.text] as const))

interface PersonDbRow {
  readonly photo_id: string
  readonly nsid: string
  readonly username: string | null
  readonly realname: string | null
  readonly path_alias: string | null
  readonly added_by: string | null
  readonly x: number | null
  readonly y: number | null
  readonly w: number | null
  readonly h: number | null
  readonly raw: string
  readonly first_seen_at: number
  readonly removed_at: number | null
}

const peopleRows = (file: string): Array<PersonDbRow> =>
  withDb(file, (db) => db.prepare("SELECT * FROM photo_people ORDER BY photo_id, nsid").all() as Array<PersonDbRow>)

const numberOrNull = (value: unknown): number | null => (value === undefined || value === null || value === "" ? null : Number(value))

/** The people the simulator serves for each live photo (people.getList, signed), as fbk's columns. */
const servedPeople = async (sim: FlickrSimulator): Promise<Map<string, Array<Record<string, unknown>>>> => {
  const keys = keysOf(sim)
  const out = new Map<string, Array<Record<string, unknown>>>()
  for (const id of sim.liveIds()) {
    const answer = await restJson(sim, { method: GET_PEOPLE, photo_id: id }, keys)
    const people = (answer.people as Item).person as Array<Item>
    if (people.length === 0) continue
    out.set(id, people.map((p) => ({
      nsid: p.nsid,
      username: p.username ?? null,
      realname: p.realname ?? null,
      path_alias: p.path_alias ?? null,
      added_by: p.added_by ?? null,
      x: numberOrNull(p.x),
      y: numberOrNull(p.y),
      w: numberOrNull(p.w),
      h: numberOrNull(p.h),
      raw: p
    })).sort((a, b) => String(a.nsid).localeCompare(String(b.nsid))))
  }
  return out
}

/** The people stored for each photo and not marked removed, in servedPeople's form. */
const storedPeople = (file: string): Map<string, Array<Record<string, unknown>>> => {
  const out = new Map<string, Array<Record<string, unknown>>>()
  for (const row of peopleRows(file).filter((r) => r.removed_at === null)) {
    const { first_seen_at: _seen, photo_id, raw, removed_at: _removed, ...columns } = row
    if (!out.has(photo_id)) out.set(photo_id, [])
    out.get(photo_id)!.push({ ...columns, raw: JSON.parse(raw) as unknown })
  }
  for (const list of out.values()) list.sort((a, b) => String(a.nsid).localeCompare(String(b.nsid)))
  return out
}

const statusJson = async (env: Env): Promise<{ last_synced: Record<string, string | null> }> => {
  const result = await runCliInProcess(["status", "--json"], env)
  expectSuccess(result)
  return JSON.parse(result.stdout) as { last_synced: Record<string, string | null> }
}

const getInfo = async (sim: FlickrSimulator, id: string): Promise<Item> =>
  (await restJson(sim, { method: GET_INFO, photo_id: id })).photo as Item

const content = (node: unknown): string => String((node as Item)._content)

const expectSearchRuns = (result: CliResult): void => {
  expectSuccess(result)
  expect(result.stderr).toMatch(/^\d+ photos? match(es)?\n$/)
}

describe("fbk search", () => {
  it("after a backup: a title word finds exactly the photos with it; markup and entity names never match; --json and the lines agree with the database", async () => {
    const sim = await startSim({ photos: 250, seed: 31 })
    // An album of every third photo, so matches show album titles (the generated albums too).
    const albumTitle = "Søk & find: every third"
    sim.createAlbum(albumTitle, sim.liveIds().filter((_, i) => i % 3 === 0))
    const home = await setUpHome(sim, "search")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    await runOrThrow(backupProgram(sim, home))
    const live = livePhotos(file)
    expect(live.length).toBe(250)

    const { keys: titled, word } = commonWord(live.map((p) => [p.id, p.title]))
    expect(titled.length).toBeGreaterThan(1)
    expect(await searchIds(env, `title:${word}`)).toEqual(titled)
    // In every field: at least those, and only photos whose text has the word somewhere.
    const anywhere = await searchIds(env, word)
    expect(anywhere).toEqual(expect.arrayContaining(titled))
    const texts = new Map(live.map((p) => [p.id, [...words(`${p.title} ${p.description} ${p.tags} ${p.machine_tags}`)].join(" ")]))
    for (const id of anywhere) expect(texts.get(id)).toContain(word)
    // Upper case and a prefix find the same.
    expect(await searchIds(env, word.toUpperCase())).toEqual(anywhere)
    expect(await searchIds(env, `title:${word.slice(0, 3)}*`)).toEqual(
      sorted(live.filter((p) => [...words(p.title)].some((w) => w.startsWith(word.slice(0, 3)))).map((p) => p.id))
    )

    // --json: each match as the database and Flickr have it.
    const hits = await searchJson(env, [word])
    const byId = new Map(live.map((p) => [p.id, p]))
    const albumsOf = (id: string): Array<string> =>
      withDb(file, (db) =>
        db.prepare(`SELECT a.title FROM album_photos ap JOIN albums a ON a.id = ap.album_id
                    WHERE ap.photo_id = ? AND ap.removed_at IS NULL AND a.deleted_at IS NULL`).pluck().all(id) as Array<string>)
    const keys = keysOf(sim)
    const aliases = withDb(file, (db) =>
      db.prepare("SELECT DISTINCT path_alias FROM photos WHERE path_alias IS NOT NULL").pluck().all() as Array<string>)
    expect(aliases).toHaveLength(1)
    const accountAlias = aliases[0]!
    for (const hit of hits) {
      expect(Object.keys(hit)).toEqual(["id", "date_taken", "title", "albums", "url"])
      const row = byId.get(hit.id)!
      expect(hit.date_taken).toBe(row.date_taken)
      expect(hit.title).toBe(row.title)
      expect(sorted(hit.albums)).toEqual(sorted(albumsOf(hit.id)))
      const info = (await restJson(sim, { method: GET_INFO, photo_id: hit.id }, keys)).photo as Item
      // One form for the whole account, its path alias, even for photos listed without it.
      const page = content(((info.urls as Item).url as Array<Item>)[0])
      expect(hit.url).toBe(`https://www.flickr.com/photos/${accountAlias}/${hit.id}/`)
      expect(page.endsWith(`/${hit.id}/`)).toBe(true)
      expect(content(info.title)).toBe(hit.title)
    }
    expect(hits.some((h) => h.albums.includes(albumTitle))).toBe(true)
    expect(hits.some((h) => h.albums.length === 0)).toBe(true)

    // The lines: the same photos in the same order, the count on stderr.
    const lines = await runCliInProcess(["search", "--limit", "10000", word], env)
    expectSuccess(lines)
    const printed = lines.stdout.trimEnd().split("\n")
    expect(printed.map((l) => l.split("  ")[0])).toEqual(hits.map((h) => h.id))
    for (const [i, line] of printed.entries()) {
      const hit = hits[i]!
      expect(line.startsWith(`${hit.id}  ${hit.date_taken ?? "(no date)"}  ${hit.title === "" || hit.title === null ? "(untitled)" : hit.title}`)).toBe(true)
      expect(line.endsWith(`  ${hit.url}`)).toBe(true)
    }
    expect(lines.stderr).toBe(`${hits.length} photos match\n`)
    // --limit: the best ones only, and says so.
    const two = await runCliInProcess(["search", "--limit", "2", word], env)
    expectSuccess(two)
    const shown = two.stdout.trimEnd().split("\n").map((l) => l.split("  ")[0]!)
    expect(shown).toHaveLength(2)
    expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining(shown))
    expect(two.stderr).toBe("2 photos shown: the best matches (--limit shows more)\n")

    // Descriptions are HTML: the link text matches, the markup around it never.
    const linked = sorted(live.filter((p) => (p.description ?? "").includes("52 weeks project</a>")).map((p) => p.id))
    expect(linked.length).toBeGreaterThan(0)
    expect(live.some((p) => (p.description ?? "").includes("<a href="))).toBe(true)
    expect(await searchIds(env, "\"52 weeks project\"")).toEqual(linked)
    for (const markup of ["href", "nofollow", "52weeks", "description:quot", "description:amp", "description:lt"]) {
      expect(await searchIds(env, markup), markup).toEqual([])
    }
    // ... while entities there are text: "&quot;Best&quot; view of the bay &amp; the hills".
    const entities = sorted(live.filter((p) => (p.description ?? "").includes("view of the bay &amp; the hills")).map((p) => p.id))
    expect(entities.length).toBeGreaterThan(0)
    expect(await searchIds(env, "description:\"best view of the bay & the hills\"")).toEqual(entities)
  })

  it("an edit on Flickr, then fbk update: the new title finds the photo and the old words no longer do; a photo deleted on Flickr is left out", async () => {
    const sim = await startSim({ photos: 150, seed: 32 })
    const home = await setUpHome(sim, "search-update")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    await runOrThrow(backupProgram(sim, home))
    const live = livePhotos(file)

    // A photo whose title has a word found nowhere else in its record, and a word several titles share.
    const documentOf = (p: LivePhoto) => words(`${visible(p.description)} ${p.tags} ${p.machine_tags}`)
    const edited = live.find((p) => [...words(p.title)].some((w) => /^[a-z]{4,}$/.test(w) && !documentOf(p).has(w)))!
    expect(edited).toBeDefined()
    const oldWords = [...words(edited.title)].filter((w) => /^[a-z]{4,}$/.test(w) && !documentOf(edited).has(w))
    for (const w of oldWords) expect(await searchIds(env, w)).toContain(edited.id)
    const shared = commonWord(live.filter((p) => p.id !== edited.id).map((p) => [p.id, p.title]))
    expect(shared.keys.length).toBeGreaterThan(1)
    const gone = shared.keys[0]!
    expect(await searchIds(env, `title:${shared.word}`)).toEqual(shared.keys)

    sim.edit([edited.id])
    sim.remove([gone])
    const result = await runCliInProcess(["update"], env)
    expectSuccess(result)
    const deletedAt = withDb(file, (db) => db.prepare("SELECT deleted_at FROM photos WHERE id = ?").pluck().get(gone))
    expect(deletedAt).not.toBeNull()

    // The title Flickr has now is the one stored, and a search for it finds the photo alone.
    const info = await getInfo(sim, edited.id)
    const newTitle = content(info.title)
    expect(newTitle).toMatch(/\(édité 1\)$/)
    expect(livePhotos(file).find((p) => p.id === edited.id)!.title).toBe(newTitle)
    expect(await searchIds(env, `title:"${newTitle}"`)).toEqual([edited.id])
    expect(await searchIds(env, "édité")).toEqual([edited.id])
    expect(await searchIds(env, "EDITE")).toEqual([edited.id])
    for (const w of oldWords) {
      expect(await searchIds(env, w), w).not.toContain(edited.id)
      expect(await searchIds(env, `title:${w}`), w).toEqual(titledWith(file, w))
    }
    // The edit's description: "Edited 1&times; &mdash; see <a href=...>history</a>." Its visible words only.
    expect(content(info.description)).toContain("&mdash;")
    expect(await searchIds(env, "history")).toEqual([edited.id])
    expect(await searchIds(env, "description:edited")).toEqual([edited.id])
    for (const markup of ["mdash", "times", "href", "www"]) expect(await searchIds(env, markup), markup).toEqual([])

    // Deleted on Flickr: kept in the database, left out of every search.
    const after = await searchIds(env, `title:${shared.word}`)
    expect(after).toEqual(shared.keys.filter((id) => id !== gone))
    expect(after).toEqual(titledWith(file, shared.word))
    const goneTitle = withDb(file, (db) => db.prepare("SELECT title FROM photos WHERE id = ?").pluck().get(gone)) as string
    expect(await searchIds(env, `title:"${goneTitle}"`)).not.toContain(gone)
  })

  it("queries with no words, a bad --limit and a home never set up: one line each; odd punctuation is no error", async () => {
    const sim = await startSim({ photos: 40, seed: 35 })
    const home = await setUpHome(sim, "search-bad")
    const env = cliEnv(home, sim)
    await runOrThrow(backupProgram(sim, home))
    sim.resetStats()
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
      [[], /^fbk: say what to search for: fbk search WORDS \(see `fbk search --help`\)\n$/],
      [["\"\""], /^fbk: the query "\\"\\"" has no words to search for \(try words/],
      [["*"], /^fbk: the query "\*" has no words to search for/],
      [["OR", "OR"], /^fbk: the query "OR OR" has no words to search for/],
      [["title:*"], /has no words to search for/],
      [["--limit", "0", "harbour"], /^fbk: --limit must be a whole number from 1 to 100000 \(got 0\) \(see `fbk search --help`\)\n$/],
      [["--limit", "-4", "harbour"], /^fbk: --limit must be a whole number from 1 to 100000 \(got -4\) \(see `fbk search --help`\)\n$/],
      [["--limit", "many", "harbour"], /^fbk: .*--limit/]
    ]
    for (const [args, message] of cases) expectOneLineError(await runCliInProcess(["search", ...args], env), message)
    for (const query of ["NEAR(", "\"open phrase", "a:b:c", "(", "^x", "title:", "foo:bar", "AND", "{title}:x", "\\"]) {
      const result = await runCliInProcess(["search", query], env)
      expectSearchRuns(result)
    }
    expect(sim.stats().restCalls).toBe(0)
    const nowhere = path.join(tempDir("search-nowhere"), "home")
    expectOneLineError(await runCliInProcess(["search", "harbour"], cliEnv(nowhere, sim)), /run `fbk setup`/)
    expect(sim.stats().restCalls).toBe(0)
  })
})

describe("fbk details: notes, comments and people in the search; the people stored", () => {
  it("notes, comments and people become searchable once read; stored people equal Flickr's; a person taken out is marked removed", async () => {
    const sim = await startSim({ photos: 150, seed: 33 })
    const ids = sim.liveIds()
    const [noted, commented, crowded, emptied] = [ids[5]!, ids[17]!, ids[40]!, ids[41]!]
    sim.addNote(noted, "Zanzibar <b>quokka</b> &amp; friends", { x: 10, y: 20, w: 50, h: 40 })
    sim.addComment(commented, "Merveilleux! See <a href=\"https://example.net/zq\">zqlink</a>")
    sim.setPeople(crowded, ["23456789@N02", { nsid: "77889900@N04", box: { x: 12, y: 34, w: 56, h: 78 } }, "11223344@N00"])
    sim.setPeople(emptied, ["98765432@N05", "44556677@N07"])
    const home = await setUpHome(sim, "search-details")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    await runOrThrow(backupProgram(sim, home))

    const before = await statusJson(env)
    expect(before.last_synced.photostream).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(before.last_synced.details).toBeNull()
    // Nothing but the listing is stored yet.
    for (const query of ["notes:zanzibar", "comments:merveilleux", "people:jinx", "people:kärkkäinen"]) {
      expect(await searchIds(env, query), query).toEqual([])
    }

    sim.resetStats()
    expectSuccess(await runCliInProcess(["details"], env))
    const calls = sim.stats().byMethod
    expect(calls[GET_INFO]).toBe(150)

    // Status: the details part is now in step, as sync_parts says.
    const syncedAt = withDb(file, (db) => db.prepare("SELECT synced_at FROM sync_parts WHERE part = 'details'").pluck().get()) as number
    expect((await statusJson(env)).last_synced.details).toBe(new Date(syncedAt * 1000).toISOString())

    // People: every photo's, as Flickr serves them, and people.getList asked only for photos with some.
    const served = await servedPeople(sim)
    expect(served.size).toBeGreaterThanOrEqual(3)
    expect([...served.values()].flat().some((p) => p.x !== null)).toBe(true)
    expect([...served.values()].flat().some((p) => p.x === null)).toBe(true)
    expect(calls[GET_PEOPLE]).toBe(served.size)
    expect(storedPeople(file)).toEqual(served)
    expect(peopleRows(file).every((r) => r.removed_at === null)).toBe(true)

    // The texts read are searchable, each column on its own, markup and entity names not.
    expect(await searchIds(env, "notes:zanzibar")).toEqual([noted])
    expect(await searchIds(env, "notes:\"quokka & friends\"")).toEqual([noted])
    expect(await searchIds(env, "comments:merveilleux")).toEqual([commented])
    expect(await searchIds(env, "zqlink")).toEqual([commented])
    // Our texts' markup: words no visible text has.
    for (const markup of ["zq", "net", "comments:href", "notes:amp"]) expect(await searchIds(env, markup), markup).toEqual([])
    const notes = liveTexts(file, "notes")
    const noteWord = commonWord(notes.map(([id, text]) => [id, visible(text)]), 4, ["zanzibar", "quokka", "friends"])
    expect(await searchIds(env, `notes:${noteWord.word}`)).toEqual(noteWord.keys)
    const comments = liveTexts(file, "comments")
    expect(new Set(comments.map(([id]) => id)).size).toBeGreaterThan(10)
    // One comment at a time: a stray "<" in one ("5 < 6 and ...") must not hide the words of the next ones.
    expect(comments.some(([, text]) => (text ?? "").startsWith("5 < 6"))).toBe(true)
    const commentWord = commonWord(comments.map(([id, text]) => [id, visible(text)]))
    expect(await searchIds(env, `comments:${commentWord.word}`)).toEqual(commentWord.keys)
    // Every name of everyone marked finds exactly the photos they are in.
    const names = new Map<string, Set<string>>()
    for (const [photoId, people] of served) {
      for (const person of people) {
        for (const w of words(`${String(person.realname)} ${String(person.username)}`)) {
          if (!/^[a-z]{3,}$/.test(w)) continue
          if (!names.has(w)) names.set(w, new Set())
          names.get(w)!.add(photoId)
        }
      }
    }
    expect(names.has("karkkainen")).toBe(true)
    for (const [name, photos] of names) expect(await searchIds(env, `people:${name}`), name).toEqual(sorted([...photos]))

    // Two of jinx's company taken out of one photo, everyone out of another; then update and details.
    sim.setPeople(crowded, ["23456789@N02"])
    sim.setPeople(emptied, [])
    await runOrThrow(updateProgram(sim, home))
    sim.resetStats()
    expectSuccess(await runCliInProcess(["details"], env))
    expect(sim.stats().byMethod[GET_INFO]).toBe(2)
    // The emptied photo says it has none: no people.getList for it.
    expect(sim.stats().byMethod[GET_PEOPLE]).toBe(1)
    const rows = peopleRows(file)
    const stateOf = (photoId: string) =>
      Object.fromEntries(rows.filter((r) => r.photo_id === photoId).map((r) => [r.nsid, r.removed_at === null ? "live" : "removed"]))
    expect(stateOf(crowded)).toEqual({ "23456789@N02": "live", "77889900@N04": "removed", "11223344@N00": "removed" })
    expect(stateOf(emptied)).toEqual({ "98765432@N05": "removed", "44556677@N07": "removed" })
    expect(storedPeople(file)).toEqual(await servedPeople(sim))
    expect(await searchIds(env, "people:jinx")).not.toContain(crowded)
    expect(await searchIds(env, "people:tanaka")).not.toContain(crowded)
    expect(await searchIds(env, "people:mika")).toContain(crowded)
    expect(await searchIds(env, "people:elodie")).not.toContain(emptied)
  })

  it("comments are read again only when their count moves: an edit reads none, a new comment reads that photo's", async () => {
    const sim = await startSim({ photos: 120, seed: 34 })
    const home = await setUpHome(sim, "search-comments")
    const file = dbPath(home)
    const env = cliEnv(home, sim)
    await runOrThrow(backupProgram(sim, home))
    expectSuccess(await runCliInProcess(["details"], env))

    interface CountRow { readonly photo_id: string; readonly count_comments: number | null; readonly comments_read_for: number | null }
    const counts = () =>
      new Map((withDb(file, (db) => db.prepare("SELECT photo_id, count_comments, comments_read_for FROM photo_details").all()) as Array<CountRow>)
        .map((r) => [r.photo_id, r]))
    const liveComments = (photoId: string): Array<string | null> =>
      withDb(file, (db) =>
        db.prepare("SELECT text FROM comments WHERE photo_id = ? AND removed_at IS NULL ORDER BY created, comment_id").pluck().all(photoId) as Array<string | null>)
    const first = counts()
    // Comments were read where counted, at that count.
    for (const row of first.values()) {
      expect(row.comments_read_for).toBe(row.count_comments)
      expect(liveComments(row.photo_id)).toHaveLength(row.count_comments!)
    }
    const withComments = [...first.values()].filter((r) => r.count_comments! > 0).map((r) => r.photo_id)
    const without = [...first.values()].filter((r) => r.count_comments === 0).map((r) => r.photo_id)
    expect(withComments.length).toBeGreaterThan(1)
    const [edited, commented] = withComments as [string, string]
    const fresh = without[0]!

    // A title edit alone: getInfo again, the comments not.
    sim.edit([edited])
    await runOrThrow(updateProgram(sim, home))
    const commentsBefore = dumpTable(file, "comments")
    sim.resetStats()
    expectSuccess(await runCliInProcess(["details"], env))
    expect(sim.stats().byMethod[GET_INFO]).toBe(1)
    expect(sim.stats().byMethod[GET_COMMENTS] ?? 0).toBe(0)
    expect(dumpTable(file, "comments")).toBe(commentsBefore)
    expect(counts().get(edited)).toEqual(first.get(edited))
    // The edited photo's old comments still find it, its new title too.
    const newTitle = withDb(file, (db) => db.prepare("SELECT title FROM photos WHERE id = ?").pluck().get(edited)) as string
    expect(await searchIds(env, `title:"${newTitle}"`)).toEqual([edited])
    const oldComment = visible(liveComments(edited)[0]!)
    expect(await searchIds(env, `comments:"${oldComment.replaceAll("\"", " ")}"`)).toContain(edited)

    // A new comment on a photo with some and on one without: both read, the rest not.
    sim.addComment(commented, "A quokka-worthy light")
    sim.addComment(fresh, "First! Tom &amp; Jerry say <i>bravissimo</i>")
    await runOrThrow(updateProgram(sim, home))
    sim.resetStats()
    expectSuccess(await runCliInProcess(["details"], env))
    expect(sim.stats().byMethod[GET_INFO]).toBe(2)
    expect(sim.stats().byMethod[GET_COMMENTS]).toBe(2)
    const second = counts()
    expect(second.get(commented)).toMatchObject({ count_comments: first.get(commented)!.count_comments! + 1, comments_read_for: first.get(commented)!.count_comments! + 1 })
    expect(second.get(fresh)).toMatchObject({ count_comments: 1, comments_read_for: 1 })
    expect(liveComments(commented)).toHaveLength(first.get(commented)!.count_comments! + 1)
    expect(liveComments(commented)).toContain("A quokka-worthy light")
    expect(liveComments(fresh)).toEqual(["First! Tom &amp; Jerry say <i>bravissimo</i>"])
    expect(await searchIds(env, "comments:quokka")).toEqual([commented])
    expect(await searchIds(env, "comments:\"tom & jerry say bravissimo\"")).toEqual([fresh])
    expect(await searchIds(env, "comments:amp bravissimo")).toEqual([])
  })
})

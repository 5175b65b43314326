// The search index's two pure parts, on tricky input: matchExpression (a user's query as an
// FTS5 expression, which must never be an FTS5 syntax error) and searchableText (HTML as a
// reader sees it). Expressions are run against an in-memory FTS5 table made like the
// migration's, and through SearchIndex.search on a migrated database.
import * as Reactivity from "@effect/experimental/Reactivity"
import { Migrator, SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Option } from "effect"
import { photoRowFromItem } from "../../../src/schema/Photo.js"
import { PhotoRepository } from "../../../src/services/database/PhotoRepository.js"
import { matchExpression, searchableText, SEARCH_COLUMNS, SearchIndex } from "../../../src/services/database/SearchIndex.js"
import { SyncRunRepository } from "../../../src/services/database/SyncRunRepository.js"
import albums from "../../../src/services/database/migrations/0002_albums.js"
import core from "../../../src/services/database/migrations/0001_core.js"
import details from "../../../src/services/database/migrations/0003_details.js"
import exifComments from "../../../src/services/database/migrations/0004_exif_comments.js"
import { configFor, repositoriesLayer, tempDir, withDatabase } from "../../support/Fixtures.js"
import { spanNamesOf, withSpanNames } from "../../support/SpanNames.js"

/** The migration's table (0005_people_search); the first test checks a migrated database has exactly this one. */
const FTS_TABLE = `CREATE VIRTUAL TABLE photo_search USING fts5(
    title, description, tags, notes, comments, people,
    tokenize = 'unicode61 remove_diacritics 2'
  )`
const squeeze = (ddl: string) => ddl.replace(/\s+/g, " ").trim()

interface Doc {
  readonly title?: string
  readonly description?: string
  readonly tags?: string
  readonly notes?: string
  readonly comments?: string
  readonly people?: string
}

/** An in-memory FTS5 table holding `docs` (rowid 1, 2, ...), HTML fields made searchable as the repositories do. */
const memoryIndex = (docs: ReadonlyArray<Doc>) => {
  const db = new Database(":memory:")
  db.exec(FTS_TABLE)
  const insert = db.prepare("INSERT INTO photo_search (rowid, title, description, tags, notes, comments, people) VALUES (?, ?, ?, ?, ?, ?, ?)")
  docs.forEach((doc, i) =>
    insert.run(
      i + 1,
      doc.title ?? "",
      searchableText(doc.description ?? null),
      doc.tags ?? "",
      searchableText(doc.notes ?? null),
      searchableText(doc.comments ?? null),
      doc.people ?? ""
    ))
  const match = db.prepare("SELECT rowid FROM photo_search WHERE photo_search MATCH ? ORDER BY rowid").pluck()
  return {
    db,
    /** The rowids an expression matches; throws what SQLite throws (a syntax error) otherwise. */
    run: (expression: string) => match.all(expression) as Array<number>,
    /** The rowids a user's query finds; [] when it has no words. */
    search: (query: string) => {
      const expression = matchExpression(query)
      return expression === null ? [] : (match.all(expression) as Array<number>)
    }
  }
}

/** A small deterministic generator (mulberry32), so a failing query can be found again. */
const generator = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Pieces that mean something to FTS5's query syntax, to matchExpression, or to neither.
const PIECES = [
  "\"", "\"\"", "*", "**", ":", "(", ")", "{", "}", "-", "+", "^", ".", ",", "'", "\\", "/", "&", "|", ";", "~", "[", "]",
  "OR", "or", "AND", "NOT", "NEAR", "NEAR(", "title:", "TITLE:", "people:", "tags:", "foo:", "col1:", ":x", "a:b:c",
  "sun", "São", "東京", "🌅", "x*", "\"a b\"", "\"open", "%", "_", "$", "#", "@", "=", "<b>", "&amp;", "\t", "\n", " ", "  "
] as const

const randomQuery = (next: () => number): string => {
  const length = 1 + Math.floor(next() * 8)
  let query = ""
  for (let i = 0; i < length; i++) {
    query += PIECES[Math.floor(next() * PIECES.length)]
    if (next() < 0.5) query += " "
  }
  return query
}

describe("matchExpression", () => {
  it.effect("the migrated database's photo_search is the table these tests build", () =>
    withDatabase(
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'photo_search'`
        expect(rows.map((r) => squeeze(r.sql))).toEqual([squeeze(FTS_TABLE)])
      })
    ))

  it("quotes every word, so operators and punctuation are words, not syntax", () => {
    const cases: ReadonlyArray<readonly [string, string | null]> = [
      ["beach sunset", "\"beach\" \"sunset\""],
      ["\"beach walk\"", "\"beach walk\""],
      ["sun*", "\"sun\" *"],
      ["sun***", "\"sun\" *"],
      ["\"sun\"*", "\"sun\""],
      ["foo*bar", "\"foo*bar\""],
      ["iceland OR norway", "\"iceland\" OR \"norway\""],
      ["a\"b", "\"a\"\"b\""],
      ["\"a\"\"b\"", "\"a\" \"b\""],
      ["\"unterminated phrase", "\"unterminated phrase\""],
      ["a \"\" b", "\"a\" \"b\""],
      ["NOT", "\"NOT\""],
      ["AND", "\"AND\""],
      ["or", "\"or\""],
      ["NEAR(a b)", "\"NEAR(a\" \"b)\""],
      ["-a", "\"-a\""],
      ["^a", "\"^a\""],
      ["a + b", "\"a\" \"+\" \"b\""],
      ["(", "\"(\""],
      ["{title}:a", "\"{title}:a\""],
      ["a\tb\nc", "\"a\" \"b\" \"c\""],
      ["'", "\"'\""],
      ["\\", "\"\\\""]
    ]
    for (const [query, expected] of cases) expect(matchExpression(query), query).toBe(expected)
  })

  it("OR only between two terms: at either end, or doubled, it is dropped", () => {
    const cases: ReadonlyArray<readonly [string, string | null]> = [
      ["OR", null],
      ["OR OR", null],
      ["OR a", "\"a\""],
      ["a OR", "\"a\""],
      ["OR a OR", "\"a\""],
      ["a OR OR b", "\"a\" OR \"b\""],
      ["a OR * OR b", "\"a\" OR \"b\""],
      ["* OR *", null],
      ["a OR title:b", "\"a\" OR title : \"b\""],
      ["title:OR", "title : \"OR\""]
    ]
    for (const [query, expected] of cases) expect(matchExpression(query), query).toBe(expected)
  })

  it("column:term for the six columns only (any case); any other name: stays part of the word", () => {
    const cases: ReadonlyArray<readonly [string, string | null]> = [
      ["title:harbour", "title : \"harbour\""],
      ["TITLE:Flore", "title : \"Flore\""],
      ["people:\"Mika K\"", "people : \"Mika K\""],
      ["tags:sun*", "tags : \"sun\" *"],
      ["title:description:a", "title : \"description:a\""],
      ["foo:bar", "\"foo:bar\""],
      ["x:y:z", "\"x:y:z\""],
      ["12:30", "\"12:30\""],
      ["http://example.com/a", "\"http://example.com/a\""],
      [":a", "\":a\""],
      ["a:", "\"a:\""],
      ["title:", "\"title:\""]
    ]
    for (const [query, expected] of cases) expect(matchExpression(query), query).toBe(expected)
    for (const column of SEARCH_COLUMNS) expect(matchExpression(`${column}:x`)).toBe(`${column} : "x"`)
  })

  it("nothing searchable left is null", () => {
    for (const query of ["", " ", "\t\n", "\"\"", "\"", "\"\"\"\"", "*", "***", "title:*", "title:\"", "people:\"  \"", "\" \" *"]) {
      expect(matchExpression(query), JSON.stringify(query)).toBeNull()
    }
  })

  it("every expression of a few thousand generated queries is valid FTS5, run as fbk runs it", () => {
    const index = memoryIndex([{ title: "Sunset over the harbour", tags: "sun sea" }, { title: "São Paulo à noite" }])
    const next = generator(20_240_601)
    let expressions = 0
    for (let i = 0; i < 4000; i++) {
      const query = randomQuery(next)
      const expression = matchExpression(query)
      if (expression === null) continue
      expressions++
      expect(() => index.run(expression), `${JSON.stringify(query)} -> ${expression}`).not.toThrow()
    }
    // Most of them say something.
    expect(expressions).toBeGreaterThan(3000)
    // A NUL ends an FTS5 string: it is a separator, never a syntax error.
    for (const query of ["sun\0set", "\0", "\"a\0b\"", "title:\0x"]) {
      const expression = matchExpression(query)
      if (expression !== null) expect(() => index.run(expression), JSON.stringify(query)).not.toThrow()
    }
    expect(matchExpression("sun\0set")).toBe("\"sun\" \"set\"")
    index.db.close()
  })

  it("finds what the query says: all words, phrases, prefixes, OR, one column, accents ignored", () => {
    const index = memoryIndex([
      /* 1 */ { title: "Sunset over the harbour", tags: "sunset sea" },
      /* 2 */ { title: "São Paulo à noite", description: "<b>Bold</b> night" },
      /* 3 */ { title: "Harbour walk", comments: "sunset was lovely", people: "Mika Kärkkäinen mika_k" },
      /* 4 */ { title: "Time 12:30", notes: "see http://example.com/a/b", tags: "camera:make=canon" }
    ])
    expect(index.search("harbour")).toEqual([1, 3])
    expect(index.search("harbour sunset")).toEqual([1, 3])
    expect(index.search("\"harbour walk\"")).toEqual([3])
    expect(index.search("\"walk harbour\"")).toEqual([])
    expect(index.search("sun*")).toEqual([1, 3])
    expect(index.search("title:sunset")).toEqual([1])
    expect(index.search("comments:sunset")).toEqual([3])
    expect(index.search("tags:sunset OR people:kärkkäinen")).toEqual([1, 3])
    expect(index.search("sao")).toEqual([2])
    expect(index.search("PAULO")).toEqual([2])
    expect(index.search("people:karkkainen")).toEqual([3])
    expect(index.search("12:30")).toEqual([4])
    expect(index.search("camera:make=canon")).toEqual([4])
    expect(index.search("example.com")).toEqual([4])
    expect(index.search("foo:bar")).toEqual([])
    // Markup is not text.
    expect(index.search("description:b")).toEqual([])
    expect(index.search("bold")).toEqual([2])
    index.db.close()
  })
})

describe("searchableText", () => {
  it("drops tags and decodes entities as HTML does: named, decimal, hex", () => {
    const cases: ReadonlyArray<readonly [string | null, string]> = [
      [null, ""],
      ["", ""],
      ["plain text", "plain text"],
      ["Tom &amp; Jerry", "Tom & Jerry"],
      // As a browser shows them: `&AMP;` is an HTML entity, `&Amp;` is not.
      ["&AMP; &Amp;", "& &Amp;"],
      ["&lt;b&gt; is not a tag", "<b> is not a tag"],
      ["&quot;Best&quot; &apos;view&apos;", "\"Best\" 'view'"],
      ["a&nbsp;b", "a\u00a0b"],
      ["caf&#233;", "café"],
      ["&#x41;&#X42;&#x63;", "ABc"],
      ["&#128517;", "😅"],
      ["&#0; &#99999999; &#x110000;", "\ufffd \ufffd \ufffd"],
      ["<a href=\"http://www.example.org/x\" rel=\"nofollow\">history</a>.", " history ."],
      ["<b>Bold</b> and <i>italic</i>", " Bold  and  italic "],
      ["line<br/>break", "line break"],
      ["a stray & ampersand", "a stray & ampersand"],
      ["AT&T rocks", "AT&T rocks"],
      ["&unknownentity; stays", "&unknownentity; stays"],
      ["5 < 6 and more", "5 < 6 and more"],
      // Only `<` then a letter, `/`, `!` or `?` starts a tag; any other is text and hides nothing.
      ["5 < 6 > 4", "5 < 6 > 4"],
      ["I <3 it, >_<", "I <3 it, >_<"],
      ["a <!-- hidden --> b </p> c <?php x ?> d <br> e", "a   b   c   d   e"],
      // Entities the simulator's edits write, and accented letters: text, not their names.
      ["Edited 2&times; &mdash; see", "Edited 2× — see"],
      ["&ndash;&hellip;&laquo;&raquo;&ldquo;&rdquo;&lsquo;&rsquo;&copy;&reg;&trade;&deg;&euro;", "–…«»“”‘’©®™°€"],
      ["caf&eacute; cr&egrave;me M&uuml;nchen Stra&szlig;e &Eacute;t&eacute;", "café crème München Straße Été"],
      ["soft&shy;hyphen", "softhyphen"],
      // Names of Object.prototype's members are no entities.
      ["&constructor; &tostring; &valueof; &hasownproperty;", "&constructor; &tostring; &valueof; &hasownproperty;"]
    ]
    for (const [html, expected] of cases) expect(searchableText(html), JSON.stringify(html)).toBe(expected)
  })

  it("indexed that way, markup and entity names never match; the visible words do", () => {
    const index = memoryIndex([
      { description: "Edited 1&times; &mdash; see <a href=\"http://www.example.org/edits/1/1\" rel=\"nofollow\">history</a>." },
      { comments: "Seen in <a href=\"https://www.flickr.com/groups/bestof/\" rel=\"noreferrer nofollow\">Best of</a>. Please add it!" },
      { notes: "That's me &amp; my brother", description: "caf&eacute; &constructor;" },
      // A photo's comments are one text: the first one's "<" must not swallow the next ones up to the link.
      { comments: "5 < 6 and \"quoted\" \\ back Great shot! Seen in <a href=\"https://x.example/\">Best of</a>" }
    ])
    for (const word of ["href", "nofollow", "noreferrer", "rel", "www", "flickr", "bestof", "times", "mdash", "amp", "eacute", "native", "function"]) {
      expect(index.search(word), word).toEqual([])
    }
    expect(index.search("history")).toEqual([1])
    expect(index.search("\"best of\"")).toEqual([2, 4])
    expect(index.search("brother")).toEqual([3])
    expect(index.search("cafe")).toEqual([3])
    expect(index.search("constructor")).toEqual([3])
    expect(index.search("comments:great")).toEqual([4])
    expect(index.search("comments:\"quoted back great shot seen in best of\"")).toEqual([4])
    index.db.close()
  })
})

describe("SearchIndex on a migrated database", () => {
  const item = (id: string, lastupdate: number, fields: Record<string, string>) =>
    photoRowFromItem({ id, dateupload: "100", lastupdate: String(lastupdate), tags: "", ...fields })!

  it.effect("documents follow upsertBatch; deleted photos are left out; generated queries are never an error", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const runs = yield* SyncRunRepository
        const sql = yield* SqlClient.SqlClient
        const index = yield* SearchIndex
        const find = (query: string) =>
          index.search(matchExpression(query)!, 100).pipe(Effect.map((hits) => hits.map((h) => h.id).sort()))
        const run = yield* runs.start("backup", 1_000)
        yield* photos.upsertBatch([
          item("11", 200, { title: "Harbour at dawn", description: "see <a href=\"http://www.example.org/\">the map</a>", tags: "sea dawn" }),
          item("12", 200, { title: "Harbour at dusk", description: "Edited 1&times; &mdash; done" }),
          item("13", 200, { title: "Cathedral", machine_tags: "camera:make=canon" })
        ], run, 1_000)
        expect(yield* find("harbour")).toEqual(["11", "12"])
        expect(yield* find("href")).toEqual([])
        expect(yield* find("mdash")).toEqual([])
        expect(yield* find("map")).toEqual(["11"])
        expect(yield* find("tags:canon")).toEqual(["13"])
        // Titles hold entities as Flickr stores them: the words are indexed, the entity names not.
        yield* photos.upsertBatch([item("14", 200, { title: "Tom &amp; Jerry &mdash; <i>again</i>" })], run, 1_000)
        expect(yield* find("jerry")).toEqual(["14"])
        expect(yield* find("again")).toEqual(["14"])
        expect(yield* find("amp")).toEqual([])
        expect(yield* find("title:i")).toEqual([])
        // A changed record (last_update moved) is indexed anew: the old title no longer matches.
        yield* photos.upsertBatch([item("12", 300, { title: "Lighthouse" })], run, 1_100)
        expect(yield* find("harbour")).toEqual(["11"])
        expect(yield* find("lighthouse")).toEqual(["12"])
        // The same last_update: the document stays as it was (the record did not change on Flickr).
        yield* photos.upsertBatch([item("13", 200, { title: "Not reindexed" })], run, 1_200)
        expect(yield* find("cathedral")).toEqual(["13"])
        yield* sql`UPDATE photos SET deleted_at = 1300 WHERE id = '11'`
        expect(yield* find("harbour")).toEqual([])
        expect(yield* find("dawn")).toEqual([])
        // The best live matches fill the limit even when deleted ones rank above them; the count is of live ones.
        yield* photos.upsertBatch([
          item("21", 200, { title: "Pier pier pier" }),
          item("22", 200, { title: "Pier pier" }),
          item("23", 200, { title: "Pier at night, long and quiet, far from town" })
        ], run, 1_400)
        yield* sql`UPDATE photos SET deleted_at = 1500 WHERE id IN ('21', '22')`
        expect((yield* index.search(matchExpression("pier")!, 1)).map((h) => h.id)).toEqual(["23"])
        expect(yield* index.count(matchExpression("pier")!)).toBe(1)
        expect(yield* index.count(matchExpression("harbour OR lighthouse")!)).toBe(1)
        const next = generator(7)
        for (let i = 0; i < 500; i++) {
          const expression = matchExpression(randomQuery(next))
          if (expression !== null) yield* index.search(expression, 10)
        }
      }).pipe(Effect.provide(SearchIndex.Default))
    ))

  it.effect("the account's path is its alias when a photo has one, else its NSID, and none before setup", () =>
    withDatabase(
      Effect.gen(function*() {
        const photos = yield* PhotoRepository
        const index = yield* SearchIndex
        expect(Option.isNone(yield* index.accountPath)).toBe(true)
        yield* photos.saveAccount({ nsid: "85853333@N00", username: "jeremy", fullname: "Jeremy" }, 1_000)
        expect(yield* index.accountPath).toStrictEqual(Option.some("85853333@N00"))
        const run = yield* (yield* SyncRunRepository).start("backup", 1_000)
        yield* photos.upsertBatch([item("11", 200, { owner: "85853333@N00", pathalias: "jeremybrooks" })], run, 1_000)
        expect(yield* index.accountPath).toStrictEqual(Option.some("jeremybrooks"))
      }).pipe(Effect.provide(SearchIndex.Default))
    ))

  it.effect("runs each of its methods in a span named after it", () =>
    withDatabase(
      Effect.gen(function*() {
        const index = yield* SearchIndex
        const { names } = yield* withSpanNames(Effect.gen(function*() {
          yield* index.accountPath
          yield* index.refresh(["11"])
          yield* index.search(matchExpression("harbour")!, 10)
          yield* index.count(matchExpression("harbour")!)
        }))
        expect(spanNamesOf("SearchIndex", index).filter((name) => !names.has(name))).toEqual([])
      }).pipe(Effect.provide(SearchIndex.Default))
    ))
})

describe("migration 0005 on a database made before it", () => {
  it.effect("indexes every photo already stored, numeric ids only, searchable at once", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const home = yield* tempDir
        const config = configFor(home)
        // A database as fbk left it before search existed: migrations 0001-0004 and some photos.
        yield* Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* Migrator.make({})({
            loader: Migrator.fromRecord({ "0001_core": core, "0002_albums": albums, "0003_details": details, "0004_exif_comments": exifComments }),
            table: "fbk_migrations"
          })
          for (let i = 0; i < 1_200; i++) {
            yield* sql`INSERT INTO photos (id, title, description, tags, raw, first_seen_at, changed_at)
                       VALUES (${String(5_000 + i)}, ${i % 3 === 0 ? "Harbour lights" : "Street"}, ${"a <b>bold</b> &amp; plain"},
                               ${i % 2 === 0 ? "sea" : ""}, '{}', 1, 1)`
          }
          yield* sql`INSERT INTO photos (id, title, raw, first_seen_at, changed_at) VALUES ('not-a-number', 'Harbour', '{}', 1, 1)`
        }).pipe(Effect.provide(SqliteClient.layer({ filename: config.databasePath })), Effect.provide(Reactivity.layer), Effect.scoped)

        const found = yield* Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const index = yield* SearchIndex
          const documents = yield* sql`SELECT count(*) AS n FROM photo_search`
          const harbour = yield* index.search(matchExpression("harbour")!, 10_000)
          const bold = yield* index.search(matchExpression("bold sea")!, 10_000)
          const markup = yield* index.search(matchExpression("description:b")!, 10_000)
          return { documents, harbour: harbour.length, bold: bold.length, markup: markup.length }
        }).pipe(Effect.provide(SearchIndex.Default), Effect.provide(repositoriesLayer(config)))
        expect(found).toEqual({ documents: [{ n: 1_200 }], harbour: 400, bold: 600, markup: 0 })
      })
    ))
})

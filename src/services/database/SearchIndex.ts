// The `photo_search` full-text index (SQLite FTS5), one document per photo, rowid its numeric id,
// refreshed in the transaction that changes what it is built from, so never behind the tables.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import { decodeHTMLStrict } from "entities"
import { batchedUpsert } from "./BatchedUpsert.js"
import { keysetPages } from "./KeysetPages.js"
import { countBy, countOf, rowsAreOurs } from "./RepositoryHelpers.js"

/** The index's columns, which `fbk search` also accepts as `column:word`. */
export const SEARCH_COLUMNS = ["title", "description", "tags", "notes", "comments", "people"] as const

/**
 * Text as a reader sees it: tags dropped, entities decoded. A tag starts `<` then a letter, `/`,
 * `!` or `?`, as HTML has it; any other `<` is text ("5 < 6"), so it does not swallow what
 * follows up to the next tag (the comments and notes of a photo are stripped as one text).
 * Entities are decoded as HTML does, by the `entities` library.
 */
export const searchableText = (html: string | null): string =>
  // A soft hyphen is invisible: kept, it would split the word it sits in for the index.
  html === null ? "" : decodeHTMLStrict(html.replace(/<[a-z!/?][^>]*>/gi, " ")).replaceAll("\u00ad", "")

/**
 * A user's query as an FTS5 expression: every word must match (a word ending in `*` matches as
 * a prefix), "quoted words" match as a phrase, `OR` between two terms matches either, and
 * `column:term` looks in one column. Everything is quoted, so no input is an FTS5 syntax error.
 * Null when nothing searchable is left.
 */
export const matchExpression = (query: string): string | null => {
  const terms: Array<string> = []
  const pattern = /(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))/gi
  // FTS5 ends a string at NUL, so a NUL would be a syntax error.
  for (const match of query.replaceAll("\0", " ").matchAll(pattern)) {
    const [, column, phrase, word] = match
    if (word === "OR" && column === undefined) {
      if (terms.length > 0 && terms[terms.length - 1] !== "OR") terms.push("OR")
      continue
    }
    const known = column !== undefined && (SEARCH_COLUMNS as ReadonlyArray<string>).includes(column.toLowerCase())
    // An unknown `name:` is part of the word (a time, a URL), not a column.
    let text = phrase ?? word ?? ""
    if (column !== undefined && !known) text = `${column}:${text}`
    const prefix = phrase === undefined && text.endsWith("*")
    text = text.replace(/\*+$/, "").trim()
    if (text === "") continue
    const term = `"${text.replaceAll("\"", "\"\"")}"${prefix ? " *" : ""}`
    terms.push(known ? `${column!.toLowerCase()} : ${term}` : term)
  }
  while (terms[terms.length - 1] === "OR") terms.pop()
  return terms.length === 0 ? null : terms.join(" ")
}

const Source = Schema.Struct({
  id: Schema.String,
  title: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String),
  tags: Schema.NullOr(Schema.String),
  notes: Schema.NullOr(Schema.String),
  comments: Schema.NullOr(Schema.String),
  people: Schema.NullOr(Schema.String)
})
/** What a photo's document is built from. */
export type DocumentSource = typeof Source.Type

const insertDocuments = batchedUpsert<DocumentSource>({
  table: "photo_search",
  columns: ["rowid", ...SEARCH_COLUMNS],
  conflict: "",
  valuesOf: (doc, into) => {
    into.push(
      BigInt(doc.id),
      searchableText(doc.title),
      searchableText(doc.description),
      doc.tags ?? "",
      searchableText(doc.notes),
      searchableText(doc.comments),
      doc.people ?? ""
    )
  }
})

/**
 * Inserts documents in ascending rowid order: FTS5 flushes its pending terms to a new segment
 * whenever a rowid is not above the last one written, and the listing comes newest (highest id)
 * first, so unsorted input would write a segment per photo and leave them all to merge.
 */
const insertAscending = (sql: SqlClient.SqlClient, docs: ReadonlyArray<DocumentSource>) => {
  const sorted = docs.map((doc) => ({ doc, rowid: BigInt(doc.id) })).sort((a, b) => (a.rowid < b.rowid ? -1 : a.rowid > b.rowid ? 1 : 0))
  return insertDocuments.run(sql, sorted.map((entry) => entry.doc))
}

/** Flickr ids are numeric; anything else cannot be a rowid and is not indexed. */
const indexable = (id: string) => /^[0-9]+$/.test(id)

/**
 * What keeps the documents in step with the tables, its queries built once: a repository makes
 * it when its layer is built and calls it inside its own transactions.
 */
export const searchDocuments = (sql: SqlClient.SqlClient) => {
  /** Each photo's document, built from what is stored now (removed notes, tags, comments and people left out). */
  const sources = SqlSchema.findAll({
    Request: Schema.Array(Schema.String),
    Result: Source,
    execute: (photoIds) =>
      sql`SELECT p.id, p.title, p.description,
            trim(p.tags || ' ' || p.machine_tags || ' ' || coalesce(
              (SELECT group_concat(t.raw, ' ') FROM photo_tags t WHERE t.photo_id = p.id AND t.removed_at IS NULL), '')) AS tags,
            (SELECT group_concat(n.text, ' ') FROM notes n WHERE n.photo_id = p.id AND n.removed_at IS NULL) AS notes,
            (SELECT group_concat(c.text, ' ') FROM comments c WHERE c.photo_id = p.id AND c.removed_at IS NULL) AS comments,
            (SELECT group_concat(coalesce(u.realname, '') || ' ' || coalesce(u.username, ''), ' ')
               FROM photo_people u WHERE u.photo_id = p.id AND u.removed_at IS NULL) AS people
          FROM photos p WHERE p.id IN ${sql.in(photoIds)}`
  })

  /**
   * Documents for photos stored for the first time in this transaction: built from their listing
   * alone, since nothing else (notes, comments, people) can be stored for them yet. Saves a
   * read-back on the first backup, where every photo is new.
   */
  const add = (photos: ReadonlyArray<DocumentSource>) => insertAscending(sql, photos.filter((p) => indexable(p.id)))

  /** Rebuilds the documents of `photoIds` from the tables. Runs inside the caller's transaction. */
  const refresh = Effect.fn("SearchIndex.refresh")(function*(photoIds: ReadonlyArray<string>) {
    for (let i = 0; i < photoIds.length; i += 500) {
      const ids = photoIds.slice(i, i + 500).filter(indexable)
      if (ids.length === 0) continue
      const rows = yield* sources(ids).pipe(rowsAreOurs)
      yield* sql`DELETE FROM photo_search WHERE rowid IN ${sql.in(ids.map(BigInt))}`
      yield* insertAscending(sql, rows)
    }
  })

  return { add, refresh } as const
}

/** Photos without a document, read this many at a time. */
const MISSING_PAGE = 500

/**
 * Photos without a document get one: those stored before the index existed (the migration that
 * adds it leaves it empty). Run when the database is opened; a count shows there is nothing to do.
 */
export const indexMissing = (sql: SqlClient.SqlClient) => {
  const documents = searchDocuments(sql)
  const countMissing = countOf(
    sql`SELECT (SELECT count(*) FROM photos WHERE id GLOB '[0-9]*') - (SELECT count(*) FROM photo_search_docsize) AS n`
  )
  const missingAfter = SqlSchema.findAll({
    Request: Schema.BigIntFromSelf,
    Result: Schema.Struct({ id: Schema.String }),
    execute: (after) =>
      sql`SELECT id FROM photos p WHERE id GLOB '[0-9]*' AND CAST(id AS INTEGER) > ${after}
            AND NOT EXISTS (SELECT 1 FROM photo_search_docsize d WHERE d.id = CAST(p.id AS INTEGER))
          ORDER BY CAST(id AS INTEGER) LIMIT ${MISSING_PAGE}`
  })
  return Effect.gen(function*() {
    if ((yield* countMissing) <= 0) return
    yield* keysetPages((after: bigint | null) => missingAfter(after ?? -1n).pipe(rowsAreOurs), (row) => BigInt(row.id)).pipe(
      Stream.runForEachChunk((page) => documents.refresh(Chunk.toReadonlyArray(page).map((row) => row.id)))
    )
  }).pipe(sql.withTransaction, Effect.withSpan("SearchIndex.indexMissing"))
}

/** A photo that matched a search. */
export const SearchHit = Schema.Struct({
  id: Schema.String,
  date_taken: Schema.NullOr(Schema.String),
  title: Schema.NullOr(Schema.String),
  owner: Schema.NullOr(Schema.String),
  path_alias: Schema.NullOr(Schema.String),
  albums: Schema.parseJson(Schema.Array(Schema.NullOr(Schema.String)))
})
export type SearchHit = typeof SearchHit.Type

export class SearchIndex extends Effect.Service<SearchIndex>()("fbk/SearchIndex", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    // The index ranks its matches by itself (FTS5 orders by rank under a LIMIT without a join, 5 x
    // faster at 24,000 matches); the photos deleted on Flickr among them are then left out, so the
    // index is asked for as many more as there are.
    const find = SqlSchema.findAll({
      Request: Schema.Struct({ expression: Schema.String, limit: Schema.Number, deleted: Schema.Number }),
      Result: SearchHit,
      execute: ({ deleted, expression, limit }) =>
        sql`SELECT p.id, p.date_taken, p.title, p.owner, p.path_alias,
              (SELECT json_group_array(a.title) FROM album_photos ap JOIN albums a ON a.id = ap.album_id
                 WHERE ap.photo_id = p.id AND ap.removed_at IS NULL AND a.deleted_at IS NULL) AS albums
            FROM (SELECT rowid, rank FROM photo_search WHERE photo_search MATCH ${expression} ORDER BY rank LIMIT ${limit + deleted}) s
            JOIN photos p ON p.id = CAST(s.rowid AS TEXT)
            WHERE p.deleted_at IS NULL
            ORDER BY s.rank, p.date_taken DESC LIMIT ${limit}`
    })

    const countAll = countBy(Schema.String, (expression) =>
      sql`SELECT count(*) AS n FROM photo_search WHERE photo_search MATCH ${expression}`)
    // From the few deleted photos (a partial index), not from every match.
    const countDeleted = countBy(Schema.String, (expression) =>
      sql`SELECT count(*) AS n FROM photos p WHERE p.deleted_at IS NOT NULL
          AND CAST(p.id AS INTEGER) IN (SELECT rowid FROM photo_search WHERE photo_search MATCH ${expression})`)

    const findAccountPath = SqlSchema.findOne({
      Request: Schema.Void,
      Result: Schema.Struct({ path: Schema.String }),
      execute: () =>
        sql`SELECT coalesce(
              (SELECT p.path_alias FROM photos p JOIN users u ON u.nsid = p.owner AND u.is_account = 1
                 WHERE p.path_alias IS NOT NULL AND p.path_alias <> '' ORDER BY p.date_uploaded DESC LIMIT 1),
              (SELECT nsid FROM users WHERE is_account = 1 ORDER BY updated_at DESC LIMIT 1)) AS path
            WHERE path IS NOT NULL`
    })

    const documents = searchDocuments(sql)

    return {
      /**
       * The account's part of its photos' Flickr URLs: its path alias when it has one, else its
       * NSID, so every URL fbk prints for it has one form.
       */
      accountPath: findAccountPath(undefined).pipe(
        rowsAreOurs,
        Effect.map(Option.map((r) => r.path)),
        Effect.withSpan("SearchIndex.accountPath")
      ),
      /** The documents of these photos rebuilt from the tables (call inside the transaction that changed them). */
      refresh: documents.refresh,
      /** How many live photos match an FTS5 expression. */
      count: Effect.fn("SearchIndex.count")((expression: string) =>
        Effect.zipWith(countAll(expression), countDeleted(expression), (all, deleted) => all - deleted)
      ),
      /** Live photos matching an FTS5 expression (see matchExpression), best match first. */
      search: Effect.fn("SearchIndex.search")((expression: string, limit: number) =>
        Effect.flatMap(countDeleted(expression), (deleted) => find({ expression, limit, deleted })).pipe(rowsAreOurs)
      )
    } as const
  })
}) {}

// The `photo_search` full-text index (SQLite FTS5): one document per photo with its title,
// description, tags (normalised and as typed), notes, comments and the names of the people in
// it. The repositories refresh a photo's document in the same transaction that changes what it
// is built from, so the index is never behind the tables; HTML is stripped so markup does not
// match. The document's rowid is the photo's numeric id.
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { batchedUpsert } from "./BatchedUpsert.js"
import { rowsAreOurs } from "./RepositoryHelpers.js"

/** The index's columns, which `fbk search` also accepts as `column:word`. */
export const SEARCH_COLUMNS = ["title", "description", "tags", "notes", "comments", "people"] as const

const ENTITIES: ReadonlyMap<string, string> = new Map([
  ["amp", "&"], ["lt", "<"], ["gt", ">"], ["quot", "\""], ["apos", "'"], ["nbsp", " "],
  // Punctuation and signs that descriptions carry, so their names (`mdash`) are not indexed as words.
  ["times", "×"], ["mdash", "—"], ["ndash", "–"], ["hellip", "…"], ["bull", "•"], ["middot", "·"],
  ["lsquo", "‘"], ["rsquo", "’"], ["ldquo", "“"], ["rdquo", "”"], ["laquo", "«"], ["raquo", "»"],
  ["copy", "©"], ["reg", "®"], ["trade", "™"], ["deg", "°"], ["euro", "€"], ["pound", "£"], ["yen", "¥"], ["cent", "¢"],
  ["sect", "§"], ["para", "¶"], ["plusmn", "±"], ["shy", ""], ["iexcl", "¡"], ["iquest", "¿"], ["szlig", "ß"],
  // The accented letters (U+00E0 to U+00FF; looked up in lower case, which is all a search needs).
  ..."agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml"
    .split(" ").map((name, i) => [name, String.fromCodePoint(0xe0 + i)] as const)
])

/**
 * Text as a reader sees it: tags dropped, entities decoded. A tag starts `<` then a letter, `/`,
 * `!` or `?`, as HTML has it; any other `<` is text ("5 < 6"), so it does not swallow what
 * follows up to the next tag (the comments and notes of a photo are stripped as one text).
 */
export const searchableText = (html: string | null): string =>
  html === null
    ? ""
    : html.replace(/<[a-z!/?][^>]*>/gi, " ").replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : " "
      }
      return ENTITIES.get(name.toLowerCase()) ?? entity
    })

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

/** Each photo's document, built from what is stored now (removed notes, tags, comments and people left out). */
const sources = (sql: SqlClient.SqlClient, photoIds: ReadonlyArray<string>) =>
  sql`SELECT p.id, p.title, p.description,
        trim(p.tags || ' ' || p.machine_tags || ' ' || coalesce(
          (SELECT group_concat(t.raw, ' ') FROM photo_tags t WHERE t.photo_id = p.id AND t.removed_at IS NULL), '')) AS tags,
        (SELECT group_concat(n.text, ' ') FROM notes n WHERE n.photo_id = p.id AND n.removed_at IS NULL) AS notes,
        (SELECT group_concat(c.text, ' ') FROM comments c WHERE c.photo_id = p.id AND c.removed_at IS NULL) AS comments,
        (SELECT group_concat(coalesce(u.realname, '') || ' ' || coalesce(u.username, ''), ' ')
           FROM photo_people u WHERE u.photo_id = p.id AND u.removed_at IS NULL) AS people
      FROM photos p WHERE p.id IN ${sql.in(photoIds)}`

const decodeSources = Schema.decodeUnknown(Schema.Array(Source))

/**
 * Inserts documents in ascending rowid order: FTS5 flushes its pending terms to a new segment
 * whenever a rowid is not above the last one written, and the listing comes newest (highest id)
 * first, so unsorted it wrote a segment a photo and spent ~3.5 s merging them on a
 * 100,000-photo backup.
 */
const insertAscending = (sql: SqlClient.SqlClient, docs: ReadonlyArray<DocumentSource>) => {
  const sorted = docs.map((doc) => ({ doc, rowid: BigInt(doc.id) })).sort((a, b) => (a.rowid < b.rowid ? -1 : a.rowid > b.rowid ? 1 : 0))
  return insertDocuments.run(sql, sorted.map((entry) => entry.doc))
}

/** Flickr ids are numeric; anything else cannot be a rowid and is not indexed. */
const indexable = (id: string) => /^[0-9]+$/.test(id)

/**
 * Documents for photos stored for the first time in this transaction: built from their listing
 * alone, since nothing else (notes, comments, people) can be stored for them yet. Saves a
 * read-back on the first backup, where every photo is new.
 */
export const addDocuments = (sql: SqlClient.SqlClient, photos: ReadonlyArray<DocumentSource>) =>
  insertAscending(sql, photos.filter((p) => indexable(p.id)))

/** Rebuilds the documents of `photoIds` from the tables. Runs inside the caller's transaction. */
export const refreshDocuments = (sql: SqlClient.SqlClient, photoIds: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    for (let i = 0; i < photoIds.length; i += 500) {
      const ids = photoIds.slice(i, i + 500).filter(indexable)
      if (ids.length === 0) continue
      const rows = yield* decodeSources(yield* sources(sql, ids)).pipe(rowsAreOurs)
      yield* sql`DELETE FROM photo_search WHERE rowid IN ${sql.in(ids.map(BigInt))}`
      yield* insertAscending(sql, rows)
    }
  })

/** Every stored photo indexed again, a few hundred at a time (the migration that adds the index). */
export const reindexAll = (sql: SqlClient.SqlClient) =>
  Effect.gen(function*() {
    const Ids = Schema.Array(Schema.Struct({ id: Schema.String }))
    let after = -1n
    for (;;) {
      const page = yield* Schema.decodeUnknown(Ids)(
        yield* sql`SELECT id FROM photos WHERE id GLOB '[0-9]*' AND CAST(id AS INTEGER) > ${after}
                   ORDER BY CAST(id AS INTEGER) LIMIT 500`
      ).pipe(rowsAreOurs)
      if (page.length === 0) return
      yield* refreshDocuments(sql, page.map((r) => r.id))
      after = BigInt(page[page.length - 1]!.id)
    }
  })

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

    const find = SqlSchema.findAll({
      Request: Schema.Struct({ expression: Schema.String, limit: Schema.Number }),
      Result: SearchHit,
      execute: ({ expression, limit }) =>
        sql`SELECT p.id, p.date_taken, p.title, p.owner, p.path_alias,
              (SELECT json_group_array(a.title) FROM album_photos ap JOIN albums a ON a.id = ap.album_id
                 WHERE ap.photo_id = p.id AND ap.removed_at IS NULL AND a.deleted_at IS NULL) AS albums
            FROM photo_search s JOIN photos p ON p.id = CAST(s.rowid AS TEXT)
            WHERE photo_search MATCH ${expression} AND p.deleted_at IS NULL
            ORDER BY s.rank, p.date_taken DESC LIMIT ${limit}`
    })

    return {
      /** The documents of these photos rebuilt from the tables (call inside the transaction that changed them). */
      refresh: (photoIds: ReadonlyArray<string>) => refreshDocuments(sql, photoIds),
      /** Live photos matching an FTS5 expression (see matchExpression), best match first. */
      search: (expression: string, limit: number) => find({ expression, limit }).pipe(rowsAreOurs)
    } as const
  })
}) {}

// Flickr's JSON as loose nodes: objects whose fields may be missing or of either type, and
// lists of items decoded one by one into rows, shared by every decoder that reads lists.
import { ParseResult, Schema } from "effect"

export type Node = Readonly<Record<string, unknown>>

export const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value)

/** The objects of a list; anything else (a missing list, stray values) is none. */
export const nodes = (value: unknown): ReadonlyArray<Node> => (Array.isArray(value) ? value.filter(isNode) : [])

/** A field that should be an object, or an empty one. */
export const child = (node: Node, key: string): Node => (isNode(node[key]) ? node[key] : {})

/** A list whose items `toRow` decodes; one that yields null (no id) fails the whole answer. */
export const rowsOf = <Row>(what: string, toRow: (item: Node) => Row | null) =>
  Schema.transformOrFail(
    Schema.Array(Schema.Unknown),
    Schema.Array(Schema.Any as Schema.Schema<Row>),
    {
      strict: true,
      decode: (items, _, ast) => {
        const rows: Array<Row> = []
        for (const item of items) {
          const row = isNode(item) ? toRow(item) : null
          if (row === null) return ParseResult.fail(new ParseResult.Type(ast, item, `${what} without an id`))
          rows.push(row)
        }
        return ParseResult.succeed(rows)
      },
      encode: (rows) => ParseResult.fail(new ParseResult.Forbidden(Schema.Unknown.ast, rows, "decode only"))
    }
  )

/** An object decoded by `fields`, kept beside the object as it came (for a `raw` column, or an id derived from its text). */
export const withOriginal = <A, I>(fields: Schema.Schema<A, I>) =>
  Schema.transformOrFail(Schema.Unknown, Schema.Any as Schema.Schema<{ readonly fields: A; readonly original: Node }>, {
    strict: true,
    decode: (value, options) => ParseResult.map(ParseResult.decodeUnknown(fields)(value, options), (decoded) => ({ fields: decoded, original: value as Node })),
    encode: ({ original }) => ParseResult.succeed(original)
  })

// Lenient building blocks for Flickr's JSON: the same field arrives as "12" or 12, text arrives
// as a plain string or as {"_content": ...}, and a missing or odd value must not sink a page.
import { ParseResult, Schema } from "effect"

export const looseNumber = (value: unknown): number | null => {
  if (typeof value === "number") return Number.isFinite(value) ? value : null
  if (typeof value === "boolean") return value ? 1 : 0
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value)
    return Number.isFinite(parsed) ? parsed : null
  }
  return null
}

/** A looseNumber cut to a whole number (counts, timestamps, ids of enumerations). */
export const looseInteger = (value: unknown): number | null => {
  const n = looseNumber(value)
  return n === null ? null : Math.trunc(n)
}

export const looseText = (value: unknown): string | null => {
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (value !== null && typeof value === "object" && "_content" in value) {
    return looseText((value as { readonly _content: unknown })._content)
  }
  return null
}

/** A number sent as a number, a numeric string, a boolean; anything else (including "") is null. */
export const LooseNumber = Schema.transform(Schema.Unknown, Schema.NullOr(Schema.Number), {
  strict: true,
  decode: looseNumber,
  encode: (n) => n
})

/** A text value sent as a string, a number, or a {"_content": ...} node; anything else is null. */
export const LooseText = Schema.transform(Schema.Unknown, Schema.NullOr(Schema.String), {
  strict: true,
  decode: looseText,
  encode: (s) => s
})

/** Flickr's counters for pages and totals: required, but either type. */
export const Count = Schema.Union(Schema.Number, Schema.NumberFromString)

/** A Flickr `stat: "fail"` body. */
export const FailureBody = Schema.Struct({
  stat: Schema.Literal("fail"),
  code: Count,
  message: Schema.optional(Schema.String)
})

/** Any Flickr body: only `stat` is needed to tell success from failure. */
export const Envelope = Schema.Struct({ stat: Schema.String })

/** Nothing given: Flickr's JSON leaves a field out, or sends null or "" for "none". */
export const isNone = (value: unknown) => value === undefined || value === null || value === ""

/** A number sent as a number or as digits; none is null; anything else fails where it is. */
export const NumberOrNone = Schema.transformOrFail(Schema.Unknown, Schema.NullOr(Schema.Number), {
  strict: true,
  decode: (value, _, ast) => {
    const n = isNone(value) ? null : looseNumber(value)
    return n === null && !isNone(value)
      ? ParseResult.fail(new ParseResult.Type(ast, value, `expected a number, not ${JSON.stringify(value)}`))
      : ParseResult.succeed(n)
  },
  encode: ParseResult.succeed
})

/** Text sent as a string, a number or a {"_content": ...} node; none is null; a list or another object fails. */
export const TextOrNone = Schema.transformOrFail(Schema.Unknown, Schema.NullOr(Schema.String), {
  strict: true,
  decode: (value, _, ast) => {
    const text = value === undefined || value === null ? null : looseText(value)
    return text === null && value !== undefined && value !== null
      ? ParseResult.fail(new ParseResult.Type(ast, value, `expected text, not ${Array.isArray(value) ? "a list" : typeof value}`))
      : ParseResult.succeed(text)
  },
  encode: ParseResult.succeed
})

/** `schema`, or `none` where the field is left out, null or "". */
export const orNone = <A, I>(schema: Schema.Schema<A, I>, none: A) =>
  Schema.transformOrFail(Schema.Unknown, Schema.typeSchema(schema), {
    strict: true,
    decode: (value, options) => isNone(value) ? ParseResult.succeed(none) : ParseResult.decodeUnknown(schema)(value, options),
    encode: ParseResult.succeed
  })

/** Where a decode failed and why, on one line: `albums[2].created: expected a date ...`, `id is missing`. */
export const problemAt = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map(({ path, message }) => {
    const where = path.map((key, i) => typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`).join("")
    if (where === "") return message
    return message.startsWith("is ") ? `${where} ${message}` : `${where}: ${message}`
  }).join("; ")

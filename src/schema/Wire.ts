// Lenient building blocks for Flickr's JSON: the same field arrives as "12" or 12, text arrives
// as a plain string or as {"_content": ...}, and a missing or odd value must not sink a page.
import { Schema } from "effect"

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

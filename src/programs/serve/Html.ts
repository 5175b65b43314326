// HTML built from templates that escape every value put into them; only `Html` values (other
// templates, or text a sanitiser made safe) go in as they are.
export interface Html {
  readonly _tag: "Html"
  readonly value: string
}

export type HtmlValue = string | number | boolean | null | undefined | Html | ReadonlyArray<HtmlValue>

/** Text already safe to put into a page as it is: only for markup fbk itself made or sanitised. */
export const trusted = (value: string): Html => ({ _tag: "Html", value })

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }

export const escapeText = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

const render = (value: HtmlValue): string => {
  if (value === null || value === undefined || value === false || value === true) return ""
  if (typeof value === "string") return escapeText(value)
  if (typeof value === "number") return String(value)
  if (Array.isArray(value)) return value.map(render).join("")
  return (value as Html).value
}

/** A template whose values are escaped (arrays joined, null, undefined and booleans left out). */
export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<HtmlValue>): Html =>
  trusted(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]!) : ""), ""))

/** A query string from the parameters that have a value. */
export const query = (params: Readonly<Record<string, string | number | null | undefined>>): string => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined) search.set(key, String(value))
  const text = search.toString()
  return text === "" ? "" : `?${text}`
}

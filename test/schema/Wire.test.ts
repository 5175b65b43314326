import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Count, Envelope, FailureBody, LooseNumber, looseNumber, LooseText, looseText } from "../../src/schema/Wire.js"

describe("FailureBody", () => {
  const decode = Schema.decodeUnknownEither(FailureBody)

  it("reads a code sent as a string", () => {
    expect(decode({ stat: "fail", code: "105", message: "Service currently unavailable" })).toStrictEqual(
      Either.right({ stat: "fail", code: 105, message: "Service currently unavailable" })
    )
  })

  it("reads a numeric code and a missing message", () => {
    expect(decode({ stat: "fail", code: 1, message: "Photo \"123\" not found (invalid ID)" })).toStrictEqual(
      Either.right({ stat: "fail", code: 1, message: "Photo \"123\" not found (invalid ID)" })
    )
    expect(decode({ stat: "fail", code: 98 })).toStrictEqual(Either.right({ stat: "fail", code: 98 }))
  })

  it("does not take a successful body or a codeless failure for a failure", () => {
    expect(Either.isLeft(decode({ stat: "ok", code: 0 }))).toBe(true)
    expect(Either.isLeft(decode({ stat: "fail", message: "no code" }))).toBe(true)
    expect(Either.isLeft(decode({ stat: "fail", code: "abc" }))).toBe(true)
    expect(Either.isLeft(decode({ user: { id: "1" }, stat: "ok" }))).toBe(true)
  })
})

describe("Envelope and Count", () => {
  it("reads only stat", () => {
    expect(Schema.decodeUnknownSync(Envelope)({ stat: "ok", photos: {} })).toStrictEqual({ stat: "ok" })
  })

  it("reads counts of either type and rejects text", () => {
    const decode = Schema.decodeUnknownSync(Count)
    expect(decode(12)).toBe(12)
    expect(decode("12")).toBe(12)
    expect(decode(0)).toBe(0)
    expect(() => decode("twelve")).toThrow()
    expect(() => decode(null)).toThrow()
  })
})

describe("loose values", () => {
  it("reads numbers from numbers, numeric strings and booleans; everything else is null", () => {
    expect(looseNumber(12)).toBe(12)
    expect(looseNumber("12")).toBe(12)
    expect(looseNumber("37.790613")).toBe(37.790613)
    expect(looseNumber(true)).toBe(1)
    expect(looseNumber(false)).toBe(0)
    expect(looseNumber("")).toBeNull()
    expect(looseNumber("  ")).toBeNull()
    expect(looseNumber("n/a")).toBeNull()
    expect(looseNumber(null)).toBeNull()
    expect(looseNumber(undefined)).toBeNull()
    expect(looseNumber(Number.NaN)).toBeNull()
    expect(looseNumber({ _content: 3 })).toBeNull()
    expect(Schema.decodeUnknownSync(LooseNumber)("7")).toBe(7)
  })

  it("reads text from strings, numbers, booleans and _content nodes, verbatim", () => {
    expect(looseText("&quot;x&quot;")).toBe("&quot;x&quot;")
    expect(looseText("")).toBe("")
    expect(looseText(12)).toBe("12")
    expect(looseText(false)).toBe("false")
    expect(looseText({ _content: "a <b>b</b>" })).toBe("a <b>b</b>")
    expect(looseText({ _content: 42 })).toBe("42")
    expect(looseText(null)).toBeNull()
    expect(looseText({})).toBeNull()
    expect(looseText([1])).toBeNull()
    expect(Schema.decodeUnknownSync(LooseText)({ _content: "Jeremy Brooks" })).toBe("Jeremy Brooks")
  })
})

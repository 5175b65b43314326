import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { ListingCursor, pickCounters, SyncKind, zeroCounters } from "../../src/schema/SyncRun.js"

describe("ListingCursor", () => {
  it("round-trips through its stored JSON text", () => {
    const text = Schema.encodeSync(ListingCursor)({ maxUploadDate: 1401132433 })
    expect(JSON.parse(text)).toStrictEqual({ maxUploadDate: 1401132433 })
    expect(Schema.decodeUnknownSync(ListingCursor)(text)).toStrictEqual({ maxUploadDate: 1401132433 })
    expect(Schema.decodeUnknownSync(ListingCursor)("{\"maxUploadDate\":null}")).toStrictEqual({ maxUploadDate: null })
  })

  it("refuses a damaged cursor", () => {
    expect(() => Schema.decodeUnknownSync(ListingCursor)("{\"maxUploadDate\":")).toThrow()
    expect(() => Schema.decodeUnknownSync(ListingCursor)("{\"maxUploadDate\":\"soon\"}")).toThrow()
  })
})

describe("run counters", () => {
  it("picks just the counters out of a stored run", () => {
    const run = { id: 4, kind: "backup", outcome: "succeeded", ...zeroCounters, photos: 12, api_calls: 3 }
    expect(pickCounters(run)).toStrictEqual({ ...zeroCounters, photos: 12, api_calls: 3 })
  })

  it("knows the three kinds of run", () => {
    expect(SyncKind.literals).toEqual(["backup", "staged-backup", "update"])
    expect(() => Schema.decodeUnknownSync(SyncKind)("restore")).toThrow()
  })
})

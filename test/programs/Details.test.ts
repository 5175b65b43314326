// The details queue over a scripted account and a real database: which calls each queued photo
// costs (EXIF never for videos, comments only when their count moved, people only when getInfo
// says there are some), what gets stored, where --max-calls stops, and refusals recorded once.
import { SqlClient, SqlSchema } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import { backup } from "../../src/programs/Backup.js"
import { details } from "../../src/programs/Details.js"
import { onAccount, sortedIds } from "../support/ProgramLayer.js"
import { comment, exifTag, person, photoRow, photoRows, TestAccount } from "../support/TestFlickrApi.js"

const backUp = backup({ numPages: Option.none(), pageNum: Option.none(), perPage: 100 })
const allDetails = details({ maxCalls: Option.none() })

/**
 * Photos 1-4: 4 a video with a comment and a person marked, 3 with EXIF and two comments,
 * 2 with a person marked and nothing else, 1 whose EXIF its owner hides (getExif: code 2).
 */
const mixedAccount = () => {
  const account = new TestAccount([...photoRows(3), photoRow("4", { media: "video" })])
  account.setDetails("4", { comments: [comment("41")], people: [person("p4")] })
  account.setDetails("3", { exif: [exifTag("Model", "X-T5")], comments: [comment("31"), comment("32")] })
  account.setDetails("2", { people: [person("p2")] })
  account.setDetails("1", { exif: { refused: 2 } })
  return account
}

const DetailsState = Schema.Struct({
  photo_id: Schema.String,
  error_code: Schema.NullOr(Schema.Number),
  exif_for: Schema.NullOr(Schema.String),
  exif_error_code: Schema.NullOr(Schema.Number),
  comments_read_for: Schema.NullOr(Schema.Number)
})

/** photo_details, by photo id. */
const storedDetails = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* SqlSchema.findAll({
    Request: Schema.Void,
    Result: DetailsState,
    execute: () => sql`SELECT photo_id, error_code, exif_for, exif_error_code, comments_read_for FROM photo_details`
  })(undefined)
  return Object.fromEntries(rows.map(({ photo_id, ...state }) => [photo_id, state]))
})

const Owned = Schema.Struct({ photo_id: Schema.String, item: Schema.String })

/** What each photo has now in `table` (comments, people or EXIF tags), as "photo:item". */
const stored = (table: "comments" | "photo_people" | "exif") =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const query = {
      comments: sql`SELECT photo_id, comment_id AS item FROM comments WHERE removed_at IS NULL`,
      photo_people: sql`SELECT photo_id, nsid AS item FROM photo_people WHERE removed_at IS NULL`,
      exif: sql`SELECT photo_id, tag || '=' || clean AS item FROM exif`
    }[table]
    const rows = yield* SqlSchema.findAll({ Request: Schema.Void, Result: Owned, execute: () => query })(undefined)
    return sortedIds(rows.map((r) => `${r.photo_id}:${r.item}`))
  })

/** The photo ids each details call was made for, in numeric order. */
const askedFor = (account: TestAccount) => ({
  info: sortedIds(account.requests("photoInfo").map(([id]) => id)),
  exif: sortedIds(account.requests("photoExif").map(([id]) => id)),
  comments: sortedIds(account.requests("photoComments").map(([id]) => id)),
  people: sortedIds(account.requests("photoPeople").map(([id]) => id))
})

describe("details", () => {
  it.effect("each queued photo: getInfo, EXIF for photos only, comments when counted, people when marked", () =>
    onAccount(mixedAccount(), (account) =>
      Effect.gen(function*() {
        yield* backUp
        expect(yield* allDetails).toEqual({ read: 4, refused: 0, remaining: 0 })
        expect(askedFor(account)).toEqual({ info: ["1", "2", "3", "4"], exif: ["1", "2", "3"], comments: ["3", "4"], people: ["2", "4"] })
        expect(yield* stored("exif")).toEqual(["3:Model=X-T5"])
        expect(yield* stored("comments")).toEqual(["3:31", "3:32", "4:41"])
        expect(yield* stored("photo_people")).toEqual(["2:p2", "4:p4"])
        const state = yield* storedDetails
        // Hidden EXIF is recorded for the original, and the rest of photo 1 is stored.
        expect(state["1"]).toEqual({ error_code: null, exif_for: "o1", exif_error_code: 2, comments_read_for: 0 })
        expect(state["3"]).toEqual({ error_code: null, exif_for: "o3", exif_error_code: null, comments_read_for: 2 })
        expect(state["4"]).toMatchObject({ exif_for: null, comments_read_for: 1 })
      })))

  it.effect("a changed photo is read again: EXIF not for the same original, comments only when their count moved", () =>
    onAccount(mixedAccount(), (account) =>
      Effect.gen(function*() {
        yield* backUp
        yield* allDetails
        // Retitled: queued again, but its comments and original are as they were.
        account.editPhoto("3", { title: "Retitled" })
        yield* backUp
        account.clearLog()
        expect(yield* allDetails).toEqual({ read: 1, refused: 0, remaining: 0 })
        expect(account.callCounts()).toEqual({ photoInfo: 1 })

        // A third comment: read again, all three stored.
        account.setDetails("3", { comments: [comment("31"), comment("32"), comment("33")] })
        account.editPhoto("3")
        yield* backUp
        account.clearLog()
        yield* allDetails
        expect(askedFor(account)).toEqual({ info: ["3"], exif: [], comments: ["3"], people: [] })
        expect(yield* stored("comments")).toEqual(["3:31", "3:32", "3:33", "4:41"])

        // Every comment deleted: none to ask for, and the stored ones are marked removed.
        account.setDetails("3", { comments: [] })
        account.editPhoto("3")
        yield* backUp
        account.clearLog()
        yield* allDetails
        expect(account.callCounts()).toEqual({ photoInfo: 1 })
        expect(yield* stored("comments")).toEqual(["4:41"])
      })))

  it.effect("--max-calls counts calls: it stops before the call past the limit; a photo stopped halfway stays queued and is read whole next run", () =>
    onAccount(new TestAccount(photoRows(5)), (account) =>
      Effect.gen(function*() {
        yield* backUp
        account.clearLog()
        // Each photo costs getInfo and getExif: 5 calls read photos 5 and 4, and photo 3's getInfo only.
        expect(yield* details({ maxCalls: Option.some(5) })).toEqual({ read: 2, refused: 0, remaining: 3 })
        expect(account.callCounts()).toEqual({ photoInfo: 3, photoExif: 2 })
        expect(askedFor(account).info).toEqual(["3", "4", "5"])
        expect(Object.keys(yield* storedDetails).sort()).toEqual(["4", "5"])

        account.clearLog()
        expect(yield* allDetails).toEqual({ read: 3, refused: 0, remaining: 0 })
        expect(askedFor(account)).toMatchObject({ info: ["1", "2", "3"], exif: ["1", "2", "3"] })
      })))

  it.effect("--max-calls 1 reads no photo whole and stores nothing: every photo stays queued", () =>
    onAccount(new TestAccount(photoRows(2)), (account) =>
      Effect.gen(function*() {
        yield* backUp
        account.clearLog()
        expect(yield* details({ maxCalls: Option.some(1) })).toEqual({ read: 0, refused: 0, remaining: 2 })
        expect(account.callCounts()).toEqual({ photoInfo: 1 })
        expect(yield* storedDetails).toEqual({})
      })))

  it.effect("a photo Flickr no longer has (code 1) is recorded as refused and not asked for again", () =>
    onAccount(new TestAccount(photoRows(3)), (account) =>
      Effect.gen(function*() {
        yield* backUp
        account.deletePhotos(["2"])
        expect(yield* allDetails).toEqual({ read: 2, refused: 1, remaining: 0 })
        expect((yield* storedDetails)["2"]).toMatchObject({ error_code: 1 })

        account.clearLog()
        expect(yield* allDetails).toEqual({ read: 0, refused: 0, remaining: 0 })
        expect(account.callCounts()).toEqual({})
      })))
})

import { Either, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { CommentsAnswer, ExifAnswer, PeopleAnswer, PhotoInfoAnswer } from "../../src/schema/Details.js"
import { readSample, SAMPLES_DIR } from "../support/Fixtures.js"

type Node = Record<string, unknown>

const getInfoSamples = (): Array<[string, { photo: Node }]> => {
  const dir = path.join(SAMPLES_DIR, "flickr.photos.getInfo")
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"))])
}

const decode = Schema.decodeUnknownSync(PhotoInfoAnswer)

describe("flickr.photos.getInfo", () => {
  for (const [file, sample] of getInfoSamples()) {
    it(`${file}: the details row, every tag with its author, the notes, the whole answer kept`, () => {
      const photo = sample.photo
      const info = decode(sample)
      const dates = photo.dates as Node
      expect(info.details).toMatchObject({
        photo_id: photo.id,
        last_update: Number(dates.lastupdate),
        safety_level: Number(photo.safety_level),
        count_comments: Number((photo.comments as Node)._content),
        views: Number(photo.views),
        has_people: Number((photo.people as Node).haspeople)
      })
      expect(info.details.photopage_url).toBe(((photo.urls as Node).url as Array<Node>).find((u) => u.type === "photopage")!._content)
      expect(JSON.parse(info.details.raw)).toEqual(photo)
      const tags = (photo.tags as Node).tag as Array<Node>
      expect(info.tags).toEqual(
        tags.map((t) => ({
          tag_id: t.id,
          tag: t._content,
          raw: t.raw,
          author: t.author,
          author_name: t.authorname,
          machine_tag: t.machine_tag === 1 || t.machine_tag === "1" || t.machine_tag === true ? 1 : 0
        }))
      )
      expect(info.notes).toHaveLength(((photo.notes as Node).note as Array<unknown>).length)
    })
  }

  it("reads a located photo's place names, notes with their boxes, machine tags given as true or \"1\"", () => {
    const info = decode({
      photo: {
        id: "1",
        dates: { lastupdate: 1400000000 },
        location: { latitude: 1, longitude: 2, locality: { _content: "Richmond", place_id: "x" }, country: { _content: "États-Unis" } },
        notes: { note: [{ id: "n1", author: "a@N00", authorname: "A", x: "10", y: 20, w: "30", h: "40", _content: "<b>hi</b>" }] },
        tags: { tag: [{ id: "t1", raw: "dc:date=2010", _content: "dc:date=2010", machine_tag: true }, { id: "t2", raw: "X", _content: "x", machine_tag: "1" }] }
      }
    })
    expect(info.details).toMatchObject({ locality: "Richmond", country: "États-Unis", neighbourhood: null, region: null })
    expect(info.notes).toEqual([{ note_id: "n1", author: "a@N00", author_name: "A", x: 10, y: 20, w: 30, h: 40, text: "<b>hi</b>" }])
    expect(info.tags.map((t) => t.machine_tag)).toEqual([1, 1])
  })

  it("an unlocated photo (no `location`) has no place names; an answer without an id is refused", () => {
    expect(decode({ photo: { id: "2" } }).details).toMatchObject({ locality: null, country: null, last_update: null })
    expect(Either.isLeft(Schema.decodeUnknownEither(PhotoInfoAnswer)({ photo: { title: { _content: "x" } } }))).toBe(true)
  })
})

describe("flickr.photos.getExif and flickr.photos.comments.getList", () => {
  it("reads every EXIF tag of the recording, numbers in raw as text, clean when given", () => {
    const sample = readSample("flickr.photos.getExif") as { photo: { exif: Array<Node> } }
    const rows = Schema.decodeUnknownSync(ExifAnswer)(sample)
    expect(rows).toEqual(
      sample.photo.exif.map((e) => ({
        tagspace: e.tagspace,
        tag: e.tag,
        label: e.label,
        raw: String((e.raw as Node)._content),
        clean: e.clean === undefined ? null : (e.clean as Node)._content
      }))
    )
    expect(rows.find((r) => r.tag === "XResolution")).toMatchObject({ raw: "72", clean: "72 dpi" })
  })

  it("reads the recorded comments and a photo without any (no `comment` key)", () => {
    const sample = readSample("flickr.photos.comments.getList") as { comments: { comment: Array<Node> } }
    const rows = Schema.decodeUnknownSync(CommentsAnswer)(sample)
    expect(rows).toEqual(
      sample.comments.comment.map((c) => ({
        comment_id: c.id,
        author: c.author,
        author_name: c.authorname,
        created: Number(c.datecreate),
        permalink: c.permalink,
        text: c._content,
        raw: JSON.stringify(c)
      }))
    )
    expect(Schema.decodeUnknownSync(CommentsAnswer)({ comments: { photo_id: "1" }, stat: "ok" })).toEqual([])
    expect(Either.isLeft(Schema.decodeUnknownEither(CommentsAnswer)({ stat: "ok" }))).toBe(true)
  })

  it("reads the recorded people, and boxes given as text or numbers; a person without an nsid is refused", () => {
    const sample = readSample("flickr.photos.people.getList") as { people: { person: Array<Node> } }
    const rows = Schema.decodeUnknownSync(PeopleAnswer)(sample)
    expect(rows).toEqual(
      sample.people.person.map((p) => ({
        nsid: p.nsid,
        username: p.username,
        realname: p.realname,
        path_alias: p.path_alias,
        added_by: p.added_by,
        x: null,
        y: null,
        w: null,
        h: null,
        raw: JSON.stringify(p)
      }))
    )
    const boxed = Schema.decodeUnknownSync(PeopleAnswer)({
      people: { person: [{ nsid: "1@N01", username: "a", x: "10", y: 20, w: "30.5", h: 40 }] },
      stat: "ok"
    })
    expect(boxed[0]).toMatchObject({ nsid: "1@N01", realname: null, x: 10, y: 20, w: 30.5, h: 40 })
    expect(Schema.decodeUnknownSync(PeopleAnswer)({ people: { total: 0 }, stat: "ok" })).toEqual([])
    expect(Either.isLeft(Schema.decodeUnknownEither(PeopleAnswer)({ people: { person: [{ username: "x" }] }, stat: "ok" }))).toBe(true)
  })
})

// The simulator's per-photo methods against FLICKR.md and the recorded bodies in flickr-samples/:
// photos.getInfo, photos.getExif, photos.comments.getList and photos.people.getList over real
// signed HTTP, their consistency with the photostream listing, the mutations that change them
// (directly and through /__sim), and their determinism.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import { Account } from "../../src/simulator/Account.js"
import { commentsOf, exifOf, normalizeTag, notesOf, peopleOf, tagsOf } from "../../src/simulator/Details.js"
import { type FlickrSimulator, type SimulatorOptions, startSimulator } from "../../src/simulator/Server.js"
import { SAMPLES_DIR } from "../support/Fixtures.js"
import { control, type Item, restJson, restRaw } from "../support/SignedRest.js"

const simulators: Array<FlickrSimulator> = []
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(simulators.splice(0).map((s) => s.close()))
})

const start = async (options: SimulatorOptions = {}): Promise<FlickrSimulator> => {
  const sim = await startSimulator({ photos: 400, ...options })
  simulators.push(sim)
  return sim
}

const GET_INFO = "flickr.photos.getInfo"
const GET_EXIF = "flickr.photos.getExif"
const GET_COMMENTS = "flickr.photos.comments.getList"
const GET_PEOPLE = "flickr.photos.people.getList"

/** Every recorded body of a method (getInfo has two: with and without a location). */
const samples = (method: string): Array<Item> =>
  fs
    .readdirSync(path.join(SAMPLES_DIR, method))
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, method, f), "utf8")) as Item)

const keys = (value: unknown): Array<string> => Object.keys(value as Item)
const obj = (value: unknown): Item => value as Item
const list = (value: unknown): Array<Item> => value as Array<Item>

const call = async (sim: FlickrSimulator, method: string, photoId: string): Promise<Item> => restJson(sim, { method, photo_id: photoId })

const ok = async (sim: FlickrSimulator, method: string, photoId: string): Promise<Item> => {
  const body = await call(sim, method, photoId)
  expect(body.stat, JSON.stringify(body)).toBe("ok")
  return body
}

const info = async (sim: FlickrSimulator, id: string): Promise<Item> => obj((await ok(sim, GET_INFO, id)).photo)

const LISTING_EXTRAS = "description,date_upload,last_update,geo,tags,machine_tags,media,count_comments,license,views"

/** The photostream items by id, every page. */
const photostream = async (sim: FlickrSimulator): Promise<Map<string, Item>> => {
  const items = new Map<string, Item>()
  for (let page = 1; ; page++) {
    const body = await restJson(sim, { method: "flickr.people.getPhotos", user_id: "me", extras: LISTING_EXTRAS, per_page: "500", page: String(page) })
    const photos = obj(body.photos)
    for (const item of list(photos.photo)) items.set(String(item.id), item)
    if (page >= Number(photos.pages)) return items
  }
}

/** Runs `f` over every id, a few at a time. */
const eachOf = async <A>(ids: ReadonlyArray<string>, f: (id: string) => Promise<A>): Promise<Array<A>> => {
  const out: Array<A> = []
  for (let i = 0; i < ids.length; i += 25) out.push(...(await Promise.all(ids.slice(i, i + 25).map(f))))
  return out
}

const isNumberish = (value: unknown): boolean => typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value))

describe("photos.getInfo", () => {
  it("has the recorded shape and field order, with the recorded type drift across photos", async () => {
    const sim = await start()
    const [located, unlocated] = samples(GET_INFO).sort((a, b) => Number(obj(b.photo).location !== undefined) - Number(obj(a.photo).location !== undefined))
    const sampleLocated = obj(located!.photo)
    const sampleUnlocated = obj(unlocated!.photo)
    expect(sampleLocated.location).toBeDefined()
    expect(sampleUnlocated.location).toBeUndefined()
    const infos = await eachOf(sim.liveIds(), (id) => info(sim, id))
    const seen = { licenseString: 0, licenseNumber: 0, viewsString: 0, commentsString: 0, commentsNumber: 0, machineFalse: 0, machineZero: 0, machineOne: 0, notes: 0, otherTagAuthor: 0 }
    for (const photo of infos) {
      const sample = photo.location === undefined ? sampleUnlocated : sampleLocated
      // Same fields in the same order; a video adds its `video` node at the end.
      expect(keys(photo).filter((k) => k !== "video")).toEqual(keys(sample))
      expect(keys(photo.owner)).toEqual(keys(sample.owner))
      expect(keys(photo.title)).toEqual(["_content"])
      expect(keys(photo.description)).toEqual(["_content"])
      // Newer photos carry takenunknown, as the listing's datetakenunknown.
      expect(keys(photo.dates).filter((k) => k !== "takenunknown")).toEqual(keys(sample.dates))
      for (const field of ["posted", "lastupdate"]) expect(obj(photo.dates)[field]).toMatch(/^\d+$/)
      expect(keys(photo.visibility)).toEqual(keys(sample.visibility))
      expect(keys(photo.urls)).toEqual(["url"])
      expect(keys(list(obj(photo.urls).url)[0])).toEqual(["type", "_content"])
      expect(isNumberish(obj(photo.comments)._content)).toBe(true)
      for (const note of list(obj(photo.notes).note)) {
        expect(keys(note)).toEqual(keys(list(obj(sampleLocated.notes).note)[0]))
        seen.notes += 1
      }
      for (const tag of list(obj(photo.tags).tag)) {
        expect(keys(tag)).toEqual(keys(list(obj(sampleLocated.tags).tag)[0]))
        // The raw form normalizes to the listed tag.
        expect(normalizeTag(String(tag.raw))).toBe(tag._content)
        if (tag.machine_tag === false) seen.machineFalse += 1
        else if (tag.machine_tag === 0) seen.machineZero += 1
        else seen.machineOne += 1
        if (tag.author !== sim.user.nsid) seen.otherTagAuthor += 1
        expect(tag.machine_tag === 1).toBe(/^[a-z_]+:[a-z0-9_]+=/.test(String(tag._content)))
      }
      if (photo.location !== undefined) {
        const location = obj(photo.location)
        // Same order as recorded; neighbourhood and county only where the place has them.
        const order = keys(sampleLocated.location)
        expect(keys(location)).toEqual(order.filter((k) => k in location))
        for (const level of ["locality", "region", "country"]) expect(keys(location[level])).toEqual(["_content", "place_id", "woeid"])
        expect(keys(photo.geoperms)).toEqual(keys(sampleLocated.geoperms))
      }
      if (typeof photo.license === "string") seen.licenseString += 1
      else seen.licenseNumber += 1
      if (typeof photo.views === "string") seen.viewsString += 1
      if (typeof obj(photo.comments)._content === "string") seen.commentsString += 1
      else seen.commentsNumber += 1
    }
    for (const [name, count] of Object.entries(seen)) expect(count, name).toBeGreaterThan(0)
    // Most photos have no notes.
    expect(infos.filter((p) => list(obj(p.notes).note).length > 0).length).toBeLessThan(infos.length / 5)
  })

  it("agrees with the people.getPhotos items: text, tags, dates, location, comment count", async () => {
    const sim = await start()
    const stream = await photostream(sim)
    const infos = await eachOf([...stream.keys()], (id) => info(sim, id))
    let located = 0
    for (const photo of infos) {
      const item = stream.get(String(photo.id))!
      expect(obj(photo.title)._content).toBe(item.title)
      expect(obj(photo.description)._content).toBe(obj(item.description)._content)
      expect(list(obj(photo.tags).tag).map((t) => t._content).join(" ")).toBe(item.tags)
      expect(list(obj(photo.tags).tag).filter((t) => t.machine_tag === 1).map((t) => t._content).join(" ")).toBe(item.machine_tags)
      expect(obj(photo.dates).lastupdate).toBe(item.lastupdate)
      expect(obj(photo.dates).posted).toBe(item.dateupload)
      expect(photo.dateuploaded).toBe(item.dateupload)
      expect(Number(obj(photo.comments)._content)).toBe(Number(item.count_comments))
      expect(Number(photo.license)).toBe(Number(item.license))
      expect(Number(photo.views)).toBe(Number(item.views))
      expect(photo.media).toBe(item.media)
      // The listing's zero quirk is getInfo's missing location.
      if (item.latitude === 0 && item.longitude === 0 && item.place_id === undefined) {
        expect(photo.location).toBeUndefined()
      } else {
        located += 1
        const location = obj(photo.location)
        expect(Number(location.latitude)).toBe(Number(item.latitude))
        expect(Number(location.longitude)).toBe(Number(item.longitude))
        expect(Number(location.accuracy)).toBe(Number(item.accuracy))
        expect(location.place_id).toBe(item.place_id)
        expect(location.woeid).toBe(item.woeid)
        expect(typeof obj(location.country)._content).toBe("string")
      }
    }
    expect(located).toBeGreaterThan(0)
  })

  it("escapes like Flickr and counts every call", async () => {
    const sim = await start({ photos: 50 })
    sim.resetStats()
    const id = sim.liveIds()[0]!
    const answer = await restRaw(sim, { method: GET_INFO, photo_id: id })
    expect(answer.text).toContain("https:\\/\\/www.flickr.com\\/photos\\/")
    expect(answer.text).not.toMatch(/[\u0080-\uffff]/)
    for (const method of [GET_EXIF, GET_COMMENTS, GET_PEOPLE]) await call(sim, method, id)
    expect(sim.stats().byMethod).toMatchObject({ [GET_INFO]: 1, [GET_EXIF]: 1, [GET_COMMENTS]: 1, [GET_PEOPLE]: 1 })
  })
})

describe("unknown and deleted photos", () => {
  it("answer code 1 on every detail method", async () => {
    const sim = await start({ photos: 50 })
    const [gone] = sim.remove(1)
    for (const method of [GET_INFO, GET_EXIF, GET_COMMENTS, GET_PEOPLE]) {
      for (const id of [gone!, "1234", ""]) {
        const body = await call(sim, method, id)
        expect(body, `${method} ${id}`).toEqual({ stat: "fail", code: 1, message: "Photo not found" })
      }
    }
    sim.restore([gone!])
    expect((await call(sim, GET_INFO, gone!)).stat).toBe("ok")
  })
})

describe("photos.getExif", () => {
  it("has the recorded shape, numbers in raw, code 2 for hidden EXIF, little for videos", async () => {
    const sim = await start()
    const sample = obj(samples(GET_EXIF)[0]!.photo)
    const sampleEntry = list(sample.exif)[0]!
    const sampleClean = list(sample.exif).find((e) => e.clean !== undefined)!
    const stream = await photostream(sim)
    const bodies = await eachOf([...stream.keys()], async (id) => [id, await call(sim, GET_EXIF, id)] as const)
    let hidden = 0
    let numericRaw = 0
    let withExif = 0
    for (const [id, body] of bodies) {
      if (body.stat === "fail") {
        expect(body).toEqual({ stat: "fail", code: 2, message: "Permission denied" })
        hidden += 1
        continue
      }
      const photo = obj(body.photo)
      expect(keys(photo)).toEqual(keys(sample))
      expect(photo.id).toBe(id)
      const entries = list(photo.exif)
      if (entries.length > 0) withExif += 1
      if (stream.get(id)!.media === "video") expect(entries.length).toBeLessThanOrEqual(2)
      for (const entry of entries) {
        expect(keys(entry)).toEqual(keys(entry.clean === undefined ? sampleEntry : sampleClean))
        if (typeof obj(entry.raw)._content === "number") numericRaw += 1
      }
    }
    expect(hidden).toBeGreaterThan(0)
    expect(hidden).toBeLessThan(bodies.length / 5)
    expect(numericRaw).toBeGreaterThan(0)
    expect(withExif).toBeGreaterThan(bodies.length / 2)
  })

  it("dates EXIF as the listing's date taken", async () => {
    const sim = await start()
    const items = await restJson(sim, { method: "flickr.people.getPhotos", user_id: "me", extras: "date_taken", per_page: "500" })
    let compared = 0
    for (const item of list(obj(items.photos).photo).slice(0, 120)) {
      const body = await call(sim, GET_EXIF, String(item.id))
      if (body.stat !== "ok") continue
      const original = list(obj(body.photo).exif).find((e) => e.tag === "DateTimeOriginal")
      if (original === undefined) continue
      expect(String(obj(original.raw)._content).replace(/^(\d{4}):(\d{2}):(\d{2})/, "$1-$2-$3")).toBe(item.datetaken)
      compared += 1
    }
    expect(compared).toBeGreaterThan(10)
  })
})

describe("photos.comments.getList", () => {
  it("has the recorded shape, as many comments as count_comments, none after lastupdate", async () => {
    const sim = await start()
    const sample = obj(samples(GET_COMMENTS)[0]!.comments)
    const sampleComment = list(sample.comment)[0]!
    const stream = await photostream(sim)
    const bodies = await eachOf([...stream.keys()], async (id) => [id, obj((await ok(sim, GET_COMMENTS, id)).comments)] as const)
    let none = 0
    for (const [id, comments] of bodies) {
      const item = stream.get(id)!
      expect(comments.photo_id).toBe(id)
      if (Number(item.count_comments) === 0) {
        // No `comment` key at all.
        expect(keys(comments)).toEqual(["photo_id"])
        none += 1
        continue
      }
      expect(keys(comments)).toEqual(keys(sample))
      const list_ = list(comments.comment)
      expect(list_.length).toBe(Number(item.count_comments))
      let previous = 0
      for (const comment of list_) {
        expect(keys(comment)).toEqual(keys(sampleComment))
        expect(comment.id).toMatch(new RegExp(`^\\d+-${id}-72157\\d+$`))
        // By path alias, or by nsid for the photos whose owner path_alias comes as null.
        const anchor = `${id}/#comment${String(comment.id).split("-")[2]}`
        expect([`https://www.flickr.com/photos/demo/${anchor}`, `https://www.flickr.com/photos/12345678@N00/${anchor}`]).toContain(comment.permalink)
        const date = Number(comment.datecreate)
        expect(typeof comment.datecreate).toBe("string")
        expect(date).toBeGreaterThanOrEqual(previous)
        expect(date).toBeLessThanOrEqual(Number(item.lastupdate))
        previous = date
      }
    }
    // Most photos have none.
    expect(none).toBeGreaterThan(bodies.length / 2)
    expect(none).toBeLessThan(bodies.length)
  })

  it("filters by min_comment_date and max_comment_date", async () => {
    const sim = await start()
    const bodies = await eachOf(sim.liveIds().slice(0, 150), async (id) => [id, obj((await ok(sim, GET_COMMENTS, id)).comments)] as const)
    const [id, comments] = bodies.find(([, c]) => Array.isArray(c.comment) && list(c.comment).length >= 3)!
    const dates = list(comments.comment).map((c) => Number(c.datecreate))
    const middle = dates[1]!
    const after = await restJson(sim, { method: GET_COMMENTS, photo_id: id, min_comment_date: String(middle) })
    expect(list(obj(after.comments).comment).every((c) => Number(c.datecreate) >= middle)).toBe(true)
    const before = await restJson(sim, { method: GET_COMMENTS, photo_id: id, max_comment_date: String(dates[0]! - 1) })
    expect(keys(obj(before.comments))).toEqual(["photo_id"])
  })
})

describe("photos.people.getList", () => {
  it("has the recorded shape; a few photos have people, some with a box; getInfo's haspeople agrees", async () => {
    const sim = await start()
    const sample = obj(samples(GET_PEOPLE)[0]!.people)
    const samplePerson = list(sample.person)[0]!
    const ids = sim.liveIds()
    const bodies = await eachOf(ids, async (id) => [id, obj((await ok(sim, GET_PEOPLE, id)).people)] as const)
    let withPeople = 0
    let boxed = 0
    for (const [, people] of bodies) {
      expect(keys(people)).toEqual(keys(sample))
      expect(Number(people.total)).toBe(list(people.person).length)
      expect(people.photo_width).toMatch(/^\d+$/)
      expect(Math.max(Number(people.photo_width), Number(people.photo_height))).toBeLessThanOrEqual(500)
      if (list(people.person).length > 0) withPeople += 1
      for (const person of list(people.person)) {
        const own = keys(person).filter((k) => !["x", "y", "w", "h"].includes(k))
        expect(own).toEqual(keys(samplePerson))
        if (person.x !== undefined) {
          boxed += 1
          expect(keys(person).slice(-4)).toEqual(["x", "y", "w", "h"])
        }
      }
    }
    expect(withPeople).toBeGreaterThan(0)
    expect(withPeople).toBeLessThan(ids.length / 5)
    expect(boxed).toBeGreaterThan(0)
    for (const [id, people] of bodies.filter(([, p]) => list(p.person).length > 0).slice(0, 5)) {
      expect(obj((await info(sim, id)).people).haspeople).toBe(1)
      expect(list(people.person).length).toBeGreaterThan(0)
    }
  })
})

describe("mutations", () => {
  it("edit changes getInfo's title, description and tags as it changes the listing", async () => {
    const sim = await start({ photos: 50 })
    const id = sim.liveIds()[7]!
    sim.edit([id])
    const item = sim.photo(id)!
    const photo = await info(sim, id)
    expect(obj(photo.title)._content).toBe(item.title)
    expect(obj(photo.description)._content).toBe(obj(item.description)._content)
    expect(list(obj(photo.tags).tag).map((t) => t._content).join(" ")).toBe(item.tags)
    expect(list(obj(photo.tags).tag).at(-1)!._content).toBe("edited1")
    expect(obj(photo.dates).lastupdate).toBe(item.lastupdate)
  })

  it("notes: added at a box and removed; lastupdate moves and recentlyUpdated lists the photo", async () => {
    const sim = await start({ photos: 50 })
    const id = sim.liveIds()[20]!
    const before = list(obj((await info(sim, id)).notes).note)
    const since = Math.floor(Date.now() / 1000)
    const noteId = sim.addNote(id, "Hello &amp; 👋", { x: 10, y: 20, w: 30, h: 40 })
    const notes = list(obj((await info(sim, id)).notes).note)
    expect(notes.length).toBe(before.length + 1)
    const added = notes.at(-1)!
    expect(added).toMatchObject({ id: noteId, author: sim.user.nsid, authorname: sim.user.username, y: 20, w: 30, h: 40, _content: "Hello &amp; 👋" })
    expect(Number(added.x)).toBe(10)
    expect(Number(obj((await info(sim, id)).dates).lastupdate)).toBeGreaterThanOrEqual(since)
    const recent = await restJson(sim, { method: "flickr.photos.recentlyUpdated", min_date: String(since) })
    expect(list(obj(recent.photos).photo).map((p) => p.id)).toContain(id)
    sim.removeNote(id, noteId)
    expect(list(obj((await info(sim, id)).notes).note)).toEqual(before)
    expect(() => sim.removeNote(id, noteId)).toThrow()
  })

  it("comments: a new comment is listed last, counted in count_comments and getInfo, and bumps lastupdate", async () => {
    const sim = await start({ photos: 50 })
    const id = sim.liveIds()[3]!
    const count = Number(sim.photo(id)!.count_comments)
    const since = Math.floor(Date.now() / 1000)
    const commentId = sim.addComment(id, "Nice <b>one</b> 🎉")
    const item = sim.photo(id)!
    expect(Number(item.count_comments)).toBe(count + 1)
    expect(Number(item.lastupdate)).toBeGreaterThanOrEqual(since)
    const photo = await info(sim, id)
    expect(Number(obj(photo.comments)._content)).toBe(count + 1)
    expect(obj(photo.dates).lastupdate).toBe(item.lastupdate)
    const comments = list(obj((await ok(sim, GET_COMMENTS, id)).comments).comment)
    expect(comments.length).toBe(count + 1)
    expect(comments.at(-1)).toMatchObject({ _content: "Nice <b>one</b> 🎉", datecreate: item.lastupdate })
    expect(String(comments.at(-1)!.id).endsWith(`-${commentId}`)).toBe(true)
    // The listing with count_comments shows it too.
    const stream = await photostream(sim)
    expect(Number(stream.get(id)!.count_comments)).toBe(count + 1)
  })

  it("people: set, boxed or not, and cleared", async () => {
    const sim = await start({ photos: 50 })
    const id = sim.liveIds()[5]!
    sim.setPeople(id, ["23456789@N02", { nsid: sim.user.nsid, box: { x: 1, y: 2, w: 3, h: 4 } }])
    const people = obj((await ok(sim, GET_PEOPLE, id)).people)
    expect(Number(people.total)).toBe(2)
    const [first, second] = list(people.person)
    expect(first).toMatchObject({ nsid: "23456789@N02", username: "mika_k", added_by: sim.user.nsid })
    expect(first!.x).toBeUndefined()
    expect(second).toMatchObject({ nsid: sim.user.nsid, username: sim.user.username, y: 2, w: 3, h: 4 })
    expect(obj((await info(sim, id)).people).haspeople).toBe(1)
    sim.setPeople(id, [])
    expect(Number(obj((await ok(sim, GET_PEOPLE, id)).people).total)).toBe(0)
    expect(obj((await info(sim, id)).people).haspeople).toBe(0)
  })

  it("work through /__sim and refuse unknown photos and notes", async () => {
    const sim = await start({ photos: 50 })
    const id = sim.liveIds()[9]!
    const note = await control(sim, "note-add", { id, text: "via control", box: { x: 5, y: 6, w: 7, h: 8 } })
    expect(note.status).toBe(200)
    expect(list(obj((await info(sim, id)).notes).note).some((n) => n.id === note.body.id && n._content === "via control")).toBe(true)
    expect((await control(sim, "note-remove", { id, noteId: note.body.id })).status).toBe(200)
    expect((await control(sim, "note-remove", { id, noteId: note.body.id })).status).toBe(400)
    const comment = await control(sim, "comment-add", { id, text: "via control", author: "11223344@N00" })
    expect(comment.status).toBe(200)
    const last = list(obj((await ok(sim, GET_COMMENTS, id)).comments).comment).at(-1)!
    expect(last).toMatchObject({ author: "11223344@N00", authorname: "tanaka", _content: "via control" })
    expect((await control(sim, "people-set", { id, people: ["98765432@N05"] })).status).toBe(200)
    expect(list(obj((await ok(sim, GET_PEOPLE, id)).people).person).map((p) => p.nsid)).toEqual(["98765432@N05"])
    expect((await control(sim, "comment-add", { id: "1234", text: "x" })).status).toBe(400)
    expect((await control(sim, "note-add", { id, text: "x", box: { x: -1, y: 0, w: 1, h: 1 } })).status).toBe(400)
    expect((await control(sim, "people-set", { id, people: "nope" })).status).toBe(400)
    // A box that is not {x, y, w, h} is refused by name, wherever it stands.
    const nullBox = await control(sim, "people-set", { id, people: [{ nsid: "98765432@N05", box: null }] })
    expect([nullBox.status, nullBox.body.error]).toEqual([400, expect.stringContaining("people.0.box: Expected {x, y, w, h}, actual null")])
    const missingSide = await control(sim, "note-add", { id, text: "x", box: { x: 1, y: 2, w: 3 } })
    expect([missingSide.status, missingSide.body.error]).toEqual([400, "box.h: is missing"])
    expect((await control(sim, "people-set")).status).toBe(405)
  })
})

describe("generation", () => {
  it("is deterministic per seed", async () => {
    const [a, b] = [await start({ photos: 120, seed: 7 }), await start({ photos: 120, seed: 7 })]
    const ids = a.liveIds().slice(0, 60)
    expect(b.liveIds().slice(0, 60)).toEqual(ids)
    for (const method of [GET_INFO, GET_EXIF, GET_COMMENTS, GET_PEOPLE]) {
      const fromA = await eachOf(ids, (id) => restRaw(a, { method, photo_id: id }).then((r) => r.text))
      const fromB = await eachOf(ids, (id) => restRaw(b, { method, photo_id: id }).then((r) => r.text))
      expect(fromB).toEqual(fromA)
    }
  })

  it("derives one photo's details from its record alone, without the account's orders", async () => {
    const owner = { nsid: "12345678@N00", username: "demo", fullname: "Démo", pathAlias: "demo" }
    const account = new Account({ photos: 2000, seed: 3, owner })
    const id = account.byUpload()[1234]!.id
    const record = account.get(id)!
    // A copy outside any account gives the same details: nothing is looked up elsewhere.
    const copy = { ...record }
    for (const derive of [notesOf, tagsOf, commentsOf, peopleOf, exifOf]) expect(derive(copy, owner)).toEqual(derive(record, owner))
    // And a getInfo never sorts or scans the stream.
    const sim = await start({ photos: 2000 })
    const target = sim.liveIds()[999]!
    const byUpload = vi.spyOn(Account.prototype, "byUpload")
    const byUpdate = vi.spyOn(Account.prototype, "byUpdate")
    for (const method of [GET_INFO, GET_EXIF, GET_COMMENTS, GET_PEOPLE]) await ok(sim, method, target)
    expect(byUpload).not.toHaveBeenCalled()
    expect(byUpdate).not.toHaveBeenCalled()
  })
})

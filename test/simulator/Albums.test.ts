// The simulator's albums and collections against FLICKR.md and the recorded bodies in
// flickr-samples/: photosets.getList, photosets.getPhotos, photosets.getInfo and
// collections.getTree over real signed HTTP, the mutations tests move them with (directly and
// through /__sim), and the generated account's shape, determinism and speed.
import { afterEach, describe, expect, it } from "vitest"
import { Account } from "../../src/simulator/Account.js"
import { Albums } from "../../src/simulator/Albums.js"
import { type CollectionNode, type FlickrSimulator, type SimulatorOptions, startSimulator } from "../../src/simulator/Server.js"
import { readSample } from "../support/Fixtures.js"
import { control, type Item, keysOf, restJson, restRaw } from "../support/SignedRest.js"

const simulators: Array<FlickrSimulator> = []
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((s) => s.close()))
})

const start = async (options: SimulatorOptions = {}): Promise<FlickrSimulator> => {
  const sim = await startSimulator({ photos: 600, albums: 12, ...options })
  simulators.push(sim)
  return sim
}

const GET_LIST = "flickr.photosets.getList"
const GET_PHOTOS = "flickr.photosets.getPhotos"
const GET_INFO = "flickr.photosets.getInfo"
const GET_TREE = "flickr.collections.getTree"

const nowSeconds = (): number => Math.floor(Date.now() / 1000)
/** The generated account ends here (Account.ts): every generated date is at or before it. */
const ACCOUNT_END = 1_759_276_800

interface Paging {
  readonly page: number | string
  readonly pages: number | string
  readonly perpage: number | string
  readonly total: number | string
}
type ListPage = Paging & { readonly cancreate: number; readonly photoset: Array<Item> }
type PhotosPage = Paging & { readonly per_page: number | string; readonly photo: Array<Item> } & Item

const getList = async (sim: FlickrSimulator, params: Record<string, string> = {}): Promise<ListPage> => {
  const body = await restJson(sim, { method: GET_LIST, user_id: sim.user.nsid, ...params })
  expect(body.stat, JSON.stringify(body)).toBe("ok")
  return body.photosets as ListPage
}

const getPhotos = async (sim: FlickrSimulator, id: string, params: Record<string, string> = {}): Promise<PhotosPage> => {
  const body = await restJson(sim, { method: GET_PHOTOS, photoset_id: id, ...params })
  expect(body.stat, JSON.stringify(body)).toBe("ok")
  return body.photoset as PhotosPage
}

const getTree = async (sim: FlickrSimulator, params: Record<string, string> = {}): Promise<Item> => {
  const body = await restJson(sim, { method: GET_TREE, ...params })
  expect(body.stat, JSON.stringify(body)).toBe("ok")
  return body.collections as Item
}

/** Every page of a listing, asked for one by one up to `pages`. */
const allPages = async <P extends Paging>(fetchPage: (page: number) => Promise<P>): Promise<Array<P>> => {
  const first = await fetchPage(1)
  const pages = [first]
  for (let page = 2; page <= Number(first.pages); page++) pages.push(await fetchPage(page))
  return pages
}

const isNumberish = (value: unknown): boolean =>
  typeof value === "number" || (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value))

/** Every extra people.getPhotos knows, to compare album members with photostream items field by field. */
const ALL_EXTRAS = [
  "description", "license", "date_upload", "date_taken", "owner_name", "icon_server", "original_format", "last_update",
  "geo", "tags", "machine_tags", "o_dims", "views", "media", "path_alias", "url_sq", "url_t", "url_s", "url_q", "url_m",
  "url_n", "url_z", "url_c", "url_l", "url_o", "count_faves", "count_comments"
].join(",")

/** The photostream items by id, with these extras. */
const photostream = async (sim: FlickrSimulator, extras: string): Promise<Map<string, Item>> => {
  const pages = await allPages(async (page) => {
    const body = await restJson(sim, { method: "flickr.people.getPhotos", user_id: "me", extras, per_page: "500", page: String(page) })
    return body.photos as Paging & { photo: Array<Item> }
  })
  return new Map(pages.flatMap((p) => p.photo).map((item) => [item.id as string, item]))
}

const walk = (nodes: ReadonlyArray<CollectionNode>, visit: (node: CollectionNode, depth: number) => void, depth = 1): void => {
  for (const node of nodes) {
    visit(node, depth)
    walk(node.collection ?? [], visit, depth + 1)
  }
}

// ---- photosets.getList ----

describe("photosets.getList", () => {
  it("pages cover every album once, in getList order (newest created first), with page/pages/perpage/total", async () => {
    const sim = await start({ photos: 3000, albums: 40 })
    const ids = sim.albums()
    expect(ids).toHaveLength(40)
    const pages = await allPages((page) => getList(sim, { per_page: "7", page: String(page) }))
    expect(pages).toHaveLength(6)
    pages.forEach((p, i) => {
      expect([p.page, p.pages, p.perpage, p.total].every(isNumberish)).toBe(true)
      expect([Number(p.page), Number(p.pages), Number(p.perpage), Number(p.total)]).toEqual([i + 1, 6, 7, 40])
      expect(p.cancreate).toBe(1)
    })
    const listed = pages.flatMap((p) => p.photoset)
    expect(listed.map((s) => s.id)).toEqual(ids)
    const created = listed.map((s) => Number(s.date_create))
    expect(created).toEqual([...created].sort((a, b) => b - a))
  })

  it("a page past the last repeats the last page; per_page defaults to 500 and stops there", async () => {
    const sim = await start({ photos: 2000, albums: 520 })
    const last = await getList(sim, { per_page: "100", page: "6" })
    const beyond = await getList(sim, { per_page: "100", page: "9" })
    expect(last.photoset).toHaveLength(20)
    expect(beyond.photoset).toEqual(last.photoset)
    expect(Number(beyond.page)).toBe(9)
    expect(Number(beyond.pages)).toBe(6)

    const byDefault = await getList(sim)
    expect(Number(byDefault.perpage)).toBe(500)
    expect(byDefault.photoset).toHaveLength(500)
    const capped = await getList(sim, { per_page: "1000", page: "2" })
    expect(Number(capped.perpage)).toBe(500)
    expect(capped.photoset.map((s) => s.id)).toEqual(sim.albums().slice(500))
  })

  it("an account without albums lists none, with pages 0; getTree answers an empty object", async () => {
    for (const options of [{ photos: 0 }, { photos: 50, albums: 0 }]) {
      const sim = await startSimulator(options)
      simulators.push(sim)
      expect(sim.albums()).toEqual([])
      const page = await getList(sim)
      expect(page.photoset).toEqual([])
      expect([Number(page.total), Number(page.pages)]).toEqual([0, 0])
      expect(await getTree(sim)).toEqual({})
    }
  })

  it("matches the recorded item: same fields in the same order, text nodes, counts and dates as the recording types them", async () => {
    const sample = readSample(GET_LIST) as { photosets: Item & { photoset: Array<Item> } }
    const sampleItem = sample.photosets.photoset[0] as Item
    const { primary_photo_extras: _, ...plainSample } = sampleItem
    const sim = await start({ photos: 3000, albums: 60 })
    const page = await getList(sim)
    expect(Object.keys(page)).toEqual(Object.keys(sample.photosets))
    for (const item of page.photoset) {
      expect(Object.keys(item)).toEqual(Object.keys(plainSample))
      expect(item.title).toEqual({ _content: expect.any(String) })
      expect(item.description).toEqual({ _content: expect.any(String) })
      for (const key of ["photos", "videos", "count_views", "count_comments", "farm"]) expect(isNumberish(item[key]), key).toBe(true)
      for (const key of ["id", "primary", "secret", "server", "date_create", "date_update"]) expect(typeof item[key], key).toBe("string")
      expect(item.id).toMatch(/^72157\d{12}$/)
      expect(Number(item.date_update)).toBeGreaterThanOrEqual(Number(item.date_create))
      const album = sim.album(item.id as string)!
      expect(item.primary).toBe(album.primary)
      expect(Number(item.photos) + Number(item.videos)).toBe(album.photoIds.length)
    }
    // Counts drift between numbers and strings across albums, as FLICKR.md says they do.
    expect(new Set(page.photoset.map((s) => typeof s.photos))).toEqual(new Set(["number", "string"]))
    // Titles: some empty, some beyond ASCII, some with entities; descriptions with markup.
    const titles = page.photoset.map((s) => (s.title as { _content: string })._content)
    expect(titles).toContain("")
    expect(titles.some((t) => [...t].some((c) => c.charCodeAt(0) > 0x7f))).toBe(true)
    expect(titles.some((t) => /&(amp|quot|lt|#39);/.test(t))).toBe(true)
    expect(page.photoset.some((s) => (s.description as { _content: string })._content.includes("<a href="))).toBe(true)
    // Videos are album members too.
    expect(page.photoset.some((s) => Number(s.videos) > 0)).toBe(true)
  })

  it("primary_photo_extras appears only when asked, holding the cover's extras as people.getPhotos renders them", async () => {
    const sim = await start()
    const extras = "license,date_upload,date_taken,owner_name,icon_server,original_format,last_update,geo,tags,machine_tags,o_dims,views,media,path_alias,url_sq,url_t,url_s,url_m,url_o"
    expect((await getList(sim)).photoset.every((s) => !("primary_photo_extras" in s))).toBe(true)
    const page = await getList(sim, { primary_photo_extras: extras })
    const stream = await photostream(sim, extras)
    const base = new Set(["id", "owner", "secret", "server", "farm", "title", "ispublic", "isfriend", "isfamily"])
    for (const item of page.photoset) {
      expect(Object.keys(item).at(-1)).toBe("primary_photo_extras")
      const cover = stream.get(item.primary as string)!
      expect(item.primary_photo_extras).toEqual(Object.fromEntries(Object.entries(cover).filter(([key]) => !base.has(key))))
      expect([item.secret, item.server, item.farm]).toEqual([cover.secret, cover.server, Number(cover.farm)])
    }
  })

  it("answers code 1 for another user's albums", async () => {
    const sim = await start()
    const body = await restJson(sim, { method: GET_LIST, user_id: "99999999@N00" })
    expect(body).toEqual({ stat: "fail", code: 1, message: "User not found" })
  })
})

// ---- photosets.getPhotos ----

describe("photosets.getPhotos", () => {
  it("pages cover every member once, in the album's order, with both perpage and per_page", async () => {
    const sim = await start({ photos: 2000 })
    const members = sim.liveIds().slice(100, 1334).reverse()
    const id = sim.createAlbum("Big one", members)
    for (const perPage of [500, 100, 333]) {
      const pages = await allPages((page) => getPhotos(sim, id, { per_page: String(perPage), page: String(page) }))
      expect(pages).toHaveLength(Math.ceil(members.length / perPage))
      pages.forEach((p, i) => {
        expect([p.page, p.pages, p.perpage, p.per_page, p.total].every(isNumberish)).toBe(true)
        expect([Number(p.page), Number(p.per_page), Number(p.perpage), Number(p.total)]).toEqual([i + 1, perPage, perPage, members.length])
      })
      expect(pages.flatMap((p) => p.photo).map((item) => item.id)).toEqual(members)
    }
    const byDefault = await getPhotos(sim, id)
    expect(Number(byDefault.per_page)).toBe(500)
    expect(byDefault.photo).toHaveLength(500)
  })

  it("a page past the last repeats the last page; per_page stops at 500", async () => {
    const sim = await start({ photos: 1500 })
    const id = sim.createAlbum("Twelve hundred", sim.liveIds().slice(0, 1200))
    const last = await getPhotos(sim, id, { page: "3" })
    const beyond = await getPhotos(sim, id, { page: "7" })
    expect(last.photo).toHaveLength(200)
    // The same items; only isprimary's type may differ, as it drifts per answer.
    const withoutFlag = (photo: Array<Item>): Array<Item> => photo.map(({ isprimary: _, ...rest }) => rest)
    expect(withoutFlag(beyond.photo)).toEqual(withoutFlag(last.photo))
    expect([Number(beyond.page), Number(beyond.pages)]).toEqual([7, 3])
    const capped = await getPhotos(sim, id, { per_page: "5000" })
    expect([Number(capped.perpage), capped.photo.length]).toEqual([500, 500])
  })

  it("lists each generated album as sim.album() has it, isprimary set on the cover alone", async () => {
    const sim = await start()
    for (const id of sim.albums()) {
      const album = sim.album(id)!
      const photos = (await allPages((page) => getPhotos(sim, id, { per_page: "50", page: String(page) }))).flatMap((p) => p.photo)
      expect(photos.map((p) => p.id)).toEqual(album.photoIds)
      expect(photos.filter((p) => Number(p.isprimary) === 1).map((p) => p.id)).toEqual([album.primary])
      expect(photos.every((p) => ["1", "0", 1, 0].includes(p.isprimary as string | number))).toBe(true)
    }
  })

  it("items are the people.getPhotos items without owner, isprimary after the title; the photoset as recorded", async () => {
    const sample = readSample(GET_PHOTOS) as { photoset: Item & { photo: Array<Item> } }
    const sim = await start()
    const stream = await photostream(sim, ALL_EXTRAS)
    const page = await getPhotos(sim, sim.albums()[0]!, { extras: ALL_EXTRAS })
    expect(Object.keys(page)).toEqual(Object.keys(sample.photoset))
    expect(page).toMatchObject({ owner: sim.user.nsid, ownername: sim.user.username, primary: sim.album(sim.albums()[0]!)!.primary })
    expect(typeof page.title).toBe("string")
    for (const item of page.photo) {
      const { owner, ...rest } = stream.get(item.id as string)!
      expect(owner).toBe(sim.user.nsid)
      expect("owner" in item).toBe(false)
      const { isprimary: _, ...withoutFlag } = item
      expect(withoutFlag).toEqual(rest)
      const keys = Object.keys(item)
      expect(keys.slice(0, 6)).toEqual(["id", "secret", "server", "farm", "title", "isprimary"])
      expect(keys.slice(6)).toEqual(Object.keys(rest).slice(5))
    }
    // Every field of the recorded item is there (ours adds ispublic/isfriend/isfamily, as people.getPhotos has them).
    const located = page.photo.find((p) => "place_id" in p) ?? (await getPhotos(sim, sim.albums()[1]!, { extras: ALL_EXTRAS })).photo.find((p) => "place_id" in p)
    expect(located).toBeDefined()
    const sampleKeys = Object.keys(sample.photoset.photo[0]!)
    expect(sampleKeys.filter((key) => !(key in located!))).toEqual([])
  })

  it("answers code 1 Photoset not found for an unknown, missing, deleted or another user's set", async () => {
    const sim = await start()
    const notFound = { stat: "fail", code: 1, message: "Photoset not found" }
    const id = sim.albums()[0]!
    expect(await restJson(sim, { method: GET_PHOTOS, photoset_id: "72157000000000001" })).toEqual(notFound)
    expect(await restJson(sim, { method: GET_PHOTOS })).toEqual(notFound)
    expect(await restJson(sim, { method: GET_INFO, photoset_id: "nope" })).toEqual(notFound)
    expect(await restJson(sim, { method: GET_PHOTOS, photoset_id: id, user_id: "99999999@N00" })).toEqual(notFound)
    expect((await restJson(sim, { method: GET_PHOTOS, photoset_id: id, user_id: sim.user.nsid })).stat).toBe("ok")
    sim.deleteAlbum(id)
    expect(await restJson(sim, { method: GET_PHOTOS, photoset_id: id })).toEqual(notFound)
    expect(await restJson(sim, { method: GET_INFO, photoset_id: id })).toEqual(notFound)
  })
})

// ---- photosets.getInfo ----

describe("photosets.getInfo", () => {
  it("has the recorded fields in the recorded order and agrees with getList", async () => {
    const sample = readSample(GET_INFO) as { photoset: Item }
    const sim = await start()
    const listed = (await getList(sim)).photoset
    for (const item of listed) {
      const body = await restJson(sim, { method: GET_INFO, photoset_id: item.id as string })
      expect(body.stat).toBe("ok")
      const info = body.photoset as Item
      expect(Object.keys(info)).toEqual(Object.keys(sample.photoset))
      expect(info).toMatchObject({
        id: item.id, owner: sim.user.nsid, username: sim.user.username, primary: item.primary,
        title: item.title, description: item.description, date_create: item.date_create, date_update: item.date_update
      })
      expect(Number(info.count_photos)).toBe(Number(item.photos))
      expect(Number(info.count_videos)).toBe(Number(item.videos))
    }
  })
})

// ---- escapes ----

describe("escapes like Flickr's JSON", () => {
  it("writes / as \\/ and non-ASCII as \\uXXXX in album bodies, entities and markup left as stored", async () => {
    const sim = await start()
    const title = "Café/東京 🌅 &amp; <b>x</b>"
    const description = "See <a href=\"http://example.com/a\">this</a> &quot;now&quot;"
    const id = sim.createAlbum(title, sim.liveIds().slice(0, 3))
    sim.editAlbum(id, { description })
    const collection = sim.createCollection("Ελλάδα/2024")
    sim.setCollectionAlbums(collection, [id])
    const raw = [
      (await restRaw(sim, { method: GET_LIST })).text,
      (await restRaw(sim, { method: GET_PHOTOS, photoset_id: id, extras: "url_o,description" })).text,
      (await restRaw(sim, { method: GET_INFO, photoset_id: id })).text,
      (await restRaw(sim, { method: GET_TREE })).text
    ]
    for (const text of raw) {
      expect([...text].every((c) => c.charCodeAt(0) < 0x80)).toBe(true)
      expect(/(^|[^\\])\//.test(text)).toBe(false)
    }
    const titleEscaped = "Caf\\u00e9\\/\\u6771\\u4eac \\ud83c\\udf05 &amp; <b>x<\\/b>"
    expect(raw[0]).toContain(`"title":{"_content":"${titleEscaped}"}`)
    expect(raw[0]).toContain('"description":{"_content":"See <a href=\\"http:\\/\\/example.com\\/a\\">this<\\/a> &quot;now&quot;"}')
    expect(raw[1]).toContain(`"title":"${titleEscaped}"`)
    expect(raw[1]).toContain(`"url_o":"${sim.fileHost.replaceAll("/", "\\/")}\\/static\\/`)
    expect(raw[2]).toContain(`"title":{"_content":"${titleEscaped}"}`)
    expect(raw[3]).toContain('"title":"\\u0395\\u03bb\\u03bb\\u03ac\\u03b4\\u03b1\\/2024"')
    expect(raw[3]).toContain(`{"id":"${id}","title":"${titleEscaped}","description":`)
    expect(raw[3]).toMatch(/"iconlarge":"https:\\\/\\\/www\.flickr\.com\\\/images\\\/collection_default_l\.gif"/)
  })
})

// ---- collections.getTree ----

describe("collections.getTree", () => {
  it("nests collections up to three deep, sets at the leaves, shaped like the recording", async () => {
    const sample = readSample(GET_TREE) as { collections: { collection: Array<Item & { set: Array<Item> }> } }
    const sampleNode = sample.collections.collection[0]!
    const sim = await start({ photos: 5000, albums: 150 })
    const tree = await getTree(sim)
    expect(Object.keys(tree)).toEqual(["collection"])
    const roots = tree.collection as Array<CollectionNode>
    expect(roots).toEqual(sim.collectionTree())
    const inCollections = new Set<string>()
    let deepest = 0
    const ids = new Set<string>()
    walk(roots, (node, depth) => {
      deepest = Math.max(deepest, depth)
      expect(ids.has(node.id)).toBe(false)
      ids.add(node.id)
      expect(node.id).toMatch(/^12345678-72157\d{12}$/)
      expect(Object.keys(node).slice(0, 5)).toEqual(Object.keys(sampleNode).slice(0, 5))
      for (const key of ["title", "description", "iconlarge", "iconsmall"] as const) expect(typeof node[key]).toBe("string")
      // Either child collections or sets, never both.
      expect(node.collection !== undefined && node.set !== undefined).toBe(false)
      for (const set of node.set ?? []) {
        expect(Object.keys(set)).toEqual(Object.keys(sampleNode.set[0]!))
        const album = sim.album(set.id)!
        expect([set.title, set.description]).toEqual([album.title, album.description])
        inCollections.add(set.id)
      }
    })
    expect(deepest).toBe(3)
    expect(roots.some((r) => r.collection !== undefined)).toBe(true)
    // Some albums in no collection, most in one.
    expect(inCollections.size).toBeGreaterThan(sim.albums().length / 2)
    expect(inCollections.size).toBeLessThan(sim.albums().length)

    // collection_id: that subtree, by its full id or the part after the dash; 0 is the whole tree.
    const nested = roots.find((r) => r.collection !== undefined)!
    expect(await getTree(sim, { collection_id: nested.id })).toEqual({ collection: [nested] })
    expect(await getTree(sim, { collection_id: nested.id.split("-")[1]! })).toEqual({ collection: [nested] })
    expect(await getTree(sim, { collection_id: "0" })).toEqual(tree)
    expect(await restJson(sim, { method: GET_TREE, collection_id: "1-72157000000000000" })).toEqual({ stat: "fail", code: 1, message: "Collection not found" })
  })

  it("createCollection, setCollectionAlbums and deleteCollection change the tree; a collection never holds both kinds", async () => {
    const sim = await start({ photos: 3000, albums: 30 })
    const before = sim.collectionTree()
    const parent = sim.createCollection("Trips")
    const child = sim.createCollection("Trips 2024", parent)
    const [a, b] = sim.albums()
    sim.setCollectionAlbums(child, [b!, a!])
    const roots = (await getTree(sim)).collection as Array<CollectionNode>
    expect(roots.slice(0, before.length)).toEqual(before)
    expect(roots.at(-1)).toMatchObject({
      id: parent,
      title: "Trips",
      collection: [{ id: child, title: "Trips 2024", set: [{ id: b }, { id: a }] }]
    })
    expect(() => sim.setCollectionAlbums(parent, [a!])).toThrow(/holds collections/)
    expect(() => sim.createCollection("Inside a leaf", child)).toThrow(/holds albums/)
    expect(() => sim.setCollectionAlbums(child, ["72157000000000001"])).toThrow(/no album/)

    // Deleting an album takes it out of its collections too.
    sim.deleteAlbum(b!)
    expect(sim.collectionTree().at(-1)!.collection![0]!.set).toEqual([expect.objectContaining({ id: a })])
    walk(sim.collectionTree(), (node) => expect((node.set ?? []).map((s) => s.id)).not.toContain(b))

    // Deleting a collection takes the collections inside it; the albums stay.
    const others = sim.collectionTree().slice(0, -1)
    sim.deleteCollection(parent)
    expect(sim.collectionTree()).toEqual(others)
    expect(sim.albums()).toContain(a)
    expect(await restJson(sim, { method: GET_TREE, collection_id: child })).toMatchObject({ stat: "fail", code: 1 })
  })
})

// ---- mutations ----

describe("album changes", () => {
  it("createAlbum, editAlbum, addToAlbum, removeFromAlbum, reorderAlbum, setPrimary show in every method, each moving date_update", async () => {
    const sim = await start()
    const live = sim.liveIds()
    const startedAt = nowSeconds()
    const id = sim.createAlbum("New album", [live[5]!, live[3]!, "123", live[5]!, live[9]!])
    expect(id).toMatch(/^72157\d{12}$/)
    expect(sim.albums()[0]).toBe(id)
    const created = sim.album(id)!
    expect(created).toMatchObject({ title: "New album", description: "", primary: live[5], photoIds: [live[5], live[3], live[9]] })
    expect(created.dateCreate).toBeGreaterThanOrEqual(startedAt)
    const first = (await getList(sim)).photoset[0]!
    expect(first).toMatchObject({ id, primary: live[5], title: { _content: "New album" } })
    expect(Number(first.photos) + Number(first.videos)).toBe(3)

    // Every generated album dates from before now: any change moves date_update past ACCOUNT_END.
    const generated = sim.albums()[1]!
    expect(sim.album(generated)!.dateUpdate).toBeLessThanOrEqual(ACCOUNT_END)
    sim.editAlbum(generated, { title: "Renamed &amp; <i>new</i>" })
    const edited = sim.album(generated)!
    expect(edited.title).toBe("Renamed &amp; <i>new</i>")
    expect(edited.dateUpdate).toBeGreaterThanOrEqual(startedAt)
    const listedEdit = (await getList(sim)).photoset.find((s) => s.id === generated)!
    expect(listedEdit.title).toEqual({ _content: "Renamed &amp; <i>new</i>" })
    expect(Number(listedEdit.date_update)).toBe(edited.dateUpdate)
    expect(Number(listedEdit.date_create)).toBeLessThanOrEqual(ACCOUNT_END)
    sim.editAlbum(generated, { description: "Now with <b>words</b>" })
    expect(sim.album(generated)).toMatchObject({ title: "Renamed &amp; <i>new</i>", description: "Now with <b>words</b>" })

    const touched = (albumId: string): void => {
      expect(sim.album(albumId)!.dateUpdate).toBeGreaterThanOrEqual(startedAt)
    }
    const other = sim.albums()[2]!
    const members = sim.album(other)!.photoIds
    const outsiders = live.filter((p) => !members.includes(p)).slice(0, 2)
    expect(sim.addToAlbum(other, [...outsiders, members[0]!])).toEqual(outsiders)
    touched(other)
    expect(sim.album(other)!.photoIds).toEqual([...members, ...outsiders])

    sim.setPrimary(other, outsiders[1]!)
    expect(sim.album(other)!.primary).toBe(outsiders[1])
    expect(() => sim.setPrimary(other, "123")).toThrow(/not in album/)
    const page = await getPhotos(sim, other, { per_page: "500" })
    expect(page.primary).toBe(outsiders[1])
    expect(page.photo.filter((p) => Number(p.isprimary) === 1).map((p) => p.id)).toEqual([outsiders[1]])

    const reordered = [outsiders[1]!, ...members.slice().reverse()]
    sim.reorderAlbum(other, [outsiders[1]!, ...members.slice().reverse(), "123"])
    expect(sim.album(other)!.photoIds).toEqual([...reordered, outsiders[0]])
    expect((await getPhotos(sim, other)).photo.map((p) => p.id)).toEqual([...reordered, outsiders[0]])

    // Taking out the cover makes the first remaining photo the cover.
    expect(sim.removeFromAlbum(other, [outsiders[1]!, "123"])).toEqual([outsiders[1]])
    expect(sim.album(other)).toMatchObject({ primary: members.at(-1), photoIds: [...members.slice().reverse(), outsiders[0]] })

    expect(() => sim.editAlbum("72157000000000001", { title: "x" })).toThrow(/no album/)
    expect(() => sim.createAlbum("Empty", ["123"])).toThrow(/at least one live photo/)
  })

  it("deleting an album removes it from getList, getTree and getPhotos; emptying one deletes it, as on Flickr", async () => {
    const sim = await start()
    const ids = sim.albums()
    const gone = ids[0]!
    sim.deleteAlbum(gone)
    expect(sim.albums()).toEqual(ids.slice(1))
    expect(sim.album(gone)).toBeUndefined()
    expect((await getList(sim)).photoset.map((s) => s.id)).toEqual(ids.slice(1))
    expect(() => sim.deleteAlbum(gone)).toThrow(/no album/)

    const small = sim.createAlbum("Two", sim.liveIds().slice(0, 2))
    sim.removeFromAlbum(small, sim.liveIds().slice(0, 2))
    expect(sim.album(small)).toBeUndefined()
    expect(sim.albums()).toEqual(ids.slice(1))
  })

  it("a deleted photo leaves its albums (date_update moves); restored, it comes back at the end", async () => {
    const sim = await start()
    const live = sim.liveIds()
    const a = sim.createAlbum("A", [live[0]!, live[1]!, live[2]!])
    const b = sim.createAlbum("B", [live[1]!, live[4]!])
    const only = sim.createAlbum("Only", [live[1]!])
    const generated = sim.albums().filter((id) => ![a, b, only].includes(id))
    const mine = new Set(live.slice(0, 5))
    // A generated album that keeps photos after losing one that none of the albums above hold.
    const inGenerated = generated.find((id) => sim.album(id)!.photoIds.filter((p) => !mine.has(p)).length >= 3)!
    const victim = sim.album(inGenerated)!.photoIds.find((p) => !mine.has(p))!
    const untouched = generated.filter((id) => !sim.album(id)!.photoIds.includes(victim) && !sim.album(id)!.photoIds.includes(live[1]!))
    const untouchedDates = untouched.map((id) => sim.album(id)!.dateUpdate)

    expect(sim.remove([live[1]!, victim])).toEqual([live[1], victim])
    expect(sim.album(a)).toMatchObject({ photoIds: [live[0], live[2]], primary: live[0] })
    expect(sim.album(b)).toMatchObject({ photoIds: [live[4]], primary: live[4] })
    expect(sim.album(only)).toBeUndefined()
    expect(sim.album(inGenerated)!.photoIds).not.toContain(victim)
    expect(sim.album(inGenerated)!.dateUpdate).toBeGreaterThan(ACCOUNT_END)
    expect(untouched.map((id) => sim.album(id)!.dateUpdate)).toEqual(untouchedDates)
    const listed = (await getPhotos(sim, inGenerated, { per_page: "500" })).photo.map((p) => p.id)
    expect(listed).not.toContain(victim)

    sim.restore([live[1]!, victim])
    expect(sim.album(a)!.photoIds).toEqual([live[0], live[2], live[1]])
    expect(sim.album(b)!.photoIds).toEqual([live[4], live[1]])
    expect(sim.album(inGenerated)!.photoIds.at(-1)).toBe(victim)
    expect(sim.album(only)).toBeUndefined()
  })

  it("the control endpoints make the same changes from another process and refuse malformed ones", async () => {
    const sim = await start()
    const live = sim.liveIds()
    const created = await control(sim, "album-create", { title: "Über", photoIds: [live[0], live[1], live[2]] })
    expect(created.status).toBe(200)
    const id = created.body.id as string
    expect((await control(sim, "albums")).body).toEqual({ ids: sim.albums() })
    expect((await control(sim, `album?id=${id}`)).body).toMatchObject({ id, title: "Über", primary: live[0], photoIds: live.slice(0, 3) })
    expect((await control(sim, "album?id=nope")).status).toBe(404)

    expect((await control(sim, "album-edit", { id, title: "Neu", description: "<b>d</b>" })).status).toBe(200)
    expect((await control(sim, "album-add", { id, photoIds: [live[3], live[0]] })).body).toEqual({ ids: [live[3]] })
    expect((await control(sim, "album-reorder", { id, photoIds: [live[3], live[2]] })).status).toBe(200)
    expect((await control(sim, "album-primary", { id, photoId: live[2] })).status).toBe(200)
    expect((await control(sim, "album-remove", { id, photoIds: [live[0]] })).body).toEqual({ ids: [live[0]] })
    expect(sim.album(id)).toMatchObject({ title: "Neu", description: "<b>d</b>", primary: live[2], photoIds: [live[3], live[2], live[1]] })

    const parent = (await control(sim, "collection-create", { title: "Top" })).body.id as string
    const child = (await control(sim, "collection-create", { title: "Leaf", parentId: parent })).body.id as string
    expect((await control(sim, "collection-albums", { id: child, albumIds: [id] })).status).toBe(200)
    expect((await control(sim, "collections")).body).toEqual({ collection: sim.collectionTree() })
    expect(sim.collectionTree().at(-1)).toMatchObject({ id: parent, collection: [{ id: child, set: [{ id, title: "Neu" }] }] })
    expect((await control(sim, "collection-delete", { id: parent })).status).toBe(200)
    expect(sim.collectionTree().map((c) => c.id)).not.toContain(parent)
    expect((await control(sim, "album-delete", { id })).status).toBe(200)
    expect(sim.album(id)).toBeUndefined()

    // Photo deletions through /__sim/remove reach the albums too.
    const other = sim.albums()[0]!
    const victim = sim.album(other)!.photoIds[0]!
    await control(sim, "remove", { ids: [victim] })
    expect(sim.album(other)?.photoIds ?? []).not.toContain(victim)

    const refused = [
      await control(sim, "album-edit", { id: "72157000000000001", title: "x" }),
      await control(sim, "album-create", { title: "x", photoIds: ["123"] }),
      await control(sim, "album-create", { title: 5, photoIds: [live[0]] }),
      await control(sim, "album-add", { id: sim.albums()[0], photoIds: "nope" }),
      await control(sim, "album-primary", { id: sim.albums()[0], photoId: "123" }),
      await control(sim, "collection-albums", { id: "nope", albumIds: [] })
    ]
    expect(refused.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400])
    expect(refused.every((r) => typeof r.body.error === "string")).toBe(true)
    expect((await control(sim, "albums", {})).status).toBe(405)
    expect((await fetch(`${sim.controlUrl}/album-delete`)).status).toBe(405)
  })
})

// ---- the generated account ----

describe("generated albums", () => {
  it("are the same for the same seed, byte for byte, and different for another; the photos never change with them", async () => {
    const [one, two, other] = await Promise.all([start({ seed: 7 }), start({ seed: 7 }), start({ seed: 8 })])
    // File URLs name each simulator's own port; the rest is the same to the byte.
    const raw = async (sim: FlickrSimulator, params: Record<string, string>): Promise<string> =>
      (await restRaw(sim, params)).text.replaceAll(sim.fileHost.replaceAll("/", "\\/"), "FILE_HOST")
    const bodies = async (sim: FlickrSimulator): Promise<Array<string>> => [
      await raw(sim, { method: GET_LIST, primary_photo_extras: "url_o,geo" }),
      await raw(sim, { method: GET_TREE }),
      ...(await Promise.all(sim.albums().map((id) => raw(sim, { method: GET_PHOTOS, photoset_id: id, extras: ALL_EXTRAS }))))
    ]
    expect(await bodies(one)).toEqual(await bodies(two))
    expect(other.albums()).not.toEqual(one.albums())

    // The album count does not touch the photostream: same seed, same photos, with or without albums.
    const photos = (sim: FlickrSimulator): Promise<string> => raw(sim, { method: "flickr.people.getPhotos", user_id: "me", extras: ALL_EXTRAS, per_page: "500" })
    const [none, many] = await Promise.all([start({ seed: 7, albums: 0 }), start({ seed: 7, albums: 300 })])
    const reference = await photos(one)
    expect(await photos(none)).toBe(reference)
    expect(await photos(many)).toBe(reference)
  })

  it("default to about one per 100 photos, at least one when there are photos", async () => {
    const counts = await Promise.all(
      [{ photos: 1 }, { photos: 100 }, { photos: 449 }, { photos: 1000 }, { photos: 0 }, { photos: 1000, albums: 0 }].map(async (options) => {
        const sim = await startSimulator(options)
        simulators.push(sim)
        return sim.albums().length
      })
    )
    expect(counts).toEqual([1, 1, 4, 10, 0, 0])
  })

  // How fast they generate is the benchmark's to measure, not a test's to assert.
  it("1,000 albums over 100,000 photos, with sizes from 1 to thousands, 0 to 3 per photo", () => {
    const owner = { nsid: "12345678@N00", username: "demo", fullname: "Démo", pathAlias: "demo" }
    const account = new Account({ photos: 100_000, seed: 3, owner })
    account.byUpload()
    const albums = new Albums(account, 1000, 3)

    const all = albums.all()
    expect(all).toHaveLength(1000)
    const sizes = all.map((a) => a.members.length)
    expect(sizes.filter((s) => s === 1).length).toBeGreaterThan(20)
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(1000)
    const perPhoto = new Map<string, number>()
    for (const album of all) {
      expect(album.members).toContain(album.primary)
      expect(new Set(album.members).size).toBe(album.members.length)
      for (const member of album.members) perPhoto.set(member.id, (perPhoto.get(member.id) ?? 0) + 1)
    }
    expect(Math.max(...perPhoto.values())).toBe(3)
    expect(perPhoto.size).toBeLessThan(90_000)
    expect(perPhoto.size).toBeGreaterThan(30_000)
    expect(all.reduce((n, a) => n + albums.videoCount(a), 0)).toBeGreaterThan(0)
  })
})

describe("stats", () => {
  it("counts every album and collection call by method", async () => {
    const sim = await start()
    sim.resetStats()
    const keys = keysOf(sim)
    const id = sim.albums()[0]!
    await restJson(sim, { method: GET_LIST }, keys)
    await restJson(sim, { method: GET_LIST, page: "2" }, keys)
    await restJson(sim, { method: GET_PHOTOS, photoset_id: id }, keys)
    await restJson(sim, { method: GET_PHOTOS, photoset_id: "nope" }, keys)
    await restJson(sim, { method: GET_INFO, photoset_id: id }, keys)
    await restJson(sim, { method: GET_TREE }, keys)
    expect(sim.stats()).toMatchObject({ restCalls: 6, byMethod: { [GET_LIST]: 2, [GET_PHOTOS]: 2, [GET_INFO]: 1, [GET_TREE]: 1 } })
  })
})

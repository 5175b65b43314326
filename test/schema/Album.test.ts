import { Either, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { AlbumListPage, AlbumMembersPage, CollectionTreeAnswer } from "../../src/schema/Album.js"
import { readSample } from "../support/Fixtures.js"

type Node = Record<string, unknown>

const content = (value: unknown): string => (value as { _content: string })._content

describe("photosets.getList", () => {
  it("decodes the recorded page: text nodes, counts of either type, dates as numbers, the item kept whole", () => {
    const sample = readSample("flickr.photosets.getList") as { photosets: Node & { photoset: Array<Node> } }
    const page = Schema.decodeUnknownSync(AlbumListPage)(sample).photosets
    expect(page.total).toBe(Number(sample.photosets.total))
    expect(page.pages).toBe(Number(sample.photosets.pages))
    expect(page.photoset).toHaveLength(sample.photosets.photoset.length)
    page.photoset.forEach((row, i) => {
      const item = sample.photosets.photoset[i]!
      expect(row).toMatchObject({
        id: item.id,
        title: content(item.title),
        description: content(item.description),
        primary_photo_id: item.primary,
        photos: Number(item.photos),
        videos: Number(item.videos),
        created_at: Number(item.date_create),
        updated_at: Number(item.date_update)
      })
      expect(JSON.parse(row.raw)).toEqual(item)
    })
    // The sample's descriptions hold HTML and escaped slashes: stored as text, never unescaped.
    expect(page.photoset[0]!.description).toContain('<a href="http://www.jeremybrooks.net/suprsetr" rel="nofollow">')
  })

  it("reads an account without albums (no photoset array, pages 0) and refuses an album without an id", () => {
    const empty = Schema.decodeUnknownSync(AlbumListPage)({ photosets: { page: 1, pages: 0, total: "0" } })
    expect(empty.photosets).toMatchObject({ pages: 0, total: 0, photoset: [] })
    const broken = Schema.decodeUnknownEither(AlbumListPage)({
      photosets: { page: 1, pages: 1, total: 1, photoset: [{ title: { _content: "no id" } }] }
    })
    expect(Either.isLeft(broken)).toBe(true)
  })
})

describe("photosets.getPhotos", () => {
  it("decodes the members in Flickr's order with isprimary as sent, whatever its type", () => {
    const sample = readSample("flickr.photosets.getPhotos") as { photoset: Node & { photo: Array<Node> } }
    const page = Schema.decodeUnknownSync(AlbumMembersPage)(sample).photoset
    expect(page.total).toBe(Number(sample.photoset.total))
    expect(page.photo.map((m) => m.photo_id)).toEqual(sample.photoset.photo.map((p) => p.id))
    // The recording marks two members primary (the album's primary is photoset.primary): kept as sent.
    expect(page.photo.map((m) => m.is_primary)).toEqual(sample.photoset.photo.map((p) => Number(p.isprimary)))
    const drifted = Schema.decodeUnknownSync(AlbumMembersPage)({
      photoset: { page: "1", pages: "1", total: "3", photo: [{ id: "1", isprimary: "0" }, { id: "2", isprimary: "1" }, { id: 3 }] }
    })
    expect(drifted.photoset.photo).toEqual([
      { photo_id: "1", is_primary: 0 },
      { photo_id: "2", is_primary: 1 },
      { photo_id: "3", is_primary: 0 }
    ])
  })
})

describe("collections.getTree", () => {
  it("flattens the recorded tree: the collection with its albums in order", () => {
    const sample = readSample("flickr.collections.getTree") as { collections: { collection: Array<Node & { set: Array<Node> }> } }
    const tree = Schema.decodeUnknownSync(CollectionTreeAnswer)(sample)
    const root = sample.collections.collection[0]!
    expect(tree.collections).toHaveLength(1)
    expect(tree.collections[0]).toMatchObject({
      id: root.id,
      parent_id: null,
      position: 0,
      title: root.title,
      description: root.description,
      icon_large: root.iconlarge,
      icon_small: root.iconsmall
    })
    expect(JSON.parse(tree.collections[0]!.raw)).toEqual(root)
    expect(tree.albums).toEqual(root.set.map((s, i) => ({ collection_id: root.id, album_id: s.id, position: i })))
  })

  it("keeps nesting to any depth, each child's place among its siblings, and the raw node without its children", () => {
    const leaf = (id: string, sets: Array<string>) => ({ id, title: `c${id}`, description: "", set: sets.map((s) => ({ id: s, title: s })) })
    const tree = Schema.decodeUnknownSync(CollectionTreeAnswer)({
      collections: {
        collection: [
          { id: "1", title: "top", collection: [leaf("2", ["a", "b"]), { id: "3", title: "mid", collection: [leaf("4", ["c"])] }] },
          leaf("5", [])
        ]
      },
      stat: "ok"
    })
    expect(tree.collections.map((c) => [c.id, c.parent_id, c.position])).toEqual([
      ["1", null, 0],
      ["2", "1", 0],
      ["3", "1", 1],
      ["4", "3", 0],
      ["5", null, 1]
    ])
    expect(tree.albums).toEqual([
      { collection_id: "2", album_id: "a", position: 0 },
      { collection_id: "2", album_id: "b", position: 1 },
      { collection_id: "4", album_id: "c", position: 0 }
    ])
    expect(JSON.parse(tree.collections[0]!.raw)).toEqual({ id: "1", title: "top" })
  })

  it("reads an account without collections", () => {
    expect(Schema.decodeUnknownSync(CollectionTreeAnswer)({ collections: {}, stat: "ok" })).toEqual({ collections: [], albums: [] })
  })
})

// Album and collection folders over a real database and a real file store: the layout, names made
// from nasty titles, every change on Flickr followed (each time a second run changes nothing, down
// to the inodes and times), the user's own files left alone, and the hard link and copy modes.
import type { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { entryName, looseEntryName, MAX_NAME_BYTES, NOT_IN_ALBUM, safeName, siblingNames, withSuffix } from "../../../src/programs/folders/FolderNames.js"
import { describeAction } from "../../../src/programs/folders/FolderPlan.js"
import { type FolderCounts, foldersSummary, type LinkMode, planFolders, syncFolders } from "../../../src/programs/folders/Folders.js"
import { deleteAlbum, putAlbum, putCollection, putFile, putPhoto, withFolderStore } from "../../support/FolderRows.js"

const originalOf = (id: string) => (id === "5" ? "originals/undated/5.png" : `originals/2019/07/${id}.jpg`)

/** A photo whose file is in the store, holding `photo <id>`. */
const photoWithFile = (destination: string, id: string, dateTaken: string | null = null) =>
  Effect.gen(function*() {
    yield* putPhoto(id, { dateTaken })
    yield* putFile(id, originalOf(id))
    const at = path.join(destination, originalOf(id))
    fs.mkdirSync(path.dirname(at), { recursive: true })
    fs.writeFileSync(at, `photo ${id}`)
  })

/**
 * Photos 1-8 with files, 9 without, 10 deleted. Albums: Holidays (3, 1, 2, 9), Cats (4, 5),
 * Empty (9: no file), Gone (6; deleted). Collections: Travel > Europe > Holidays; Pets holding
 * Cats and Empty; Nothing holding Gone. In no album: 8 and 7 (dated), 6 (undated).
 */
const library = (destination: string) =>
  Effect.gen(function*() {
    for (const id of ["1", "2", "3", "4", "5", "6"]) yield* photoWithFile(destination, id, "2019-07-01 12:00:00")
    yield* putPhoto("6", { dateTaken: null })
    yield* photoWithFile(destination, "7", "2020-01-01 00:00:00")
    yield* photoWithFile(destination, "8", "2019-05-05 00:00:00")
    yield* putPhoto("9")
    yield* photoWithFile(destination, "10")
    yield* putPhoto("10", { deleted: true })
    yield* putAlbum("a1", "Holidays", ["3", "1", "2", "9"])
    yield* putAlbum("a2", "Cats", ["4", "5"])
    yield* putAlbum("a3", "Empty", ["9"])
    yield* putAlbum("a4", "Gone", ["6"], { deleted: true })
    yield* putCollection("c1", { title: "Travel", position: 0 })
    yield* putCollection("c2", { title: "Europe", parent: "c1", albums: ["a1"] })
    yield* putCollection("c3", { title: "Pets", position: 1, albums: ["a2", "a3"] })
    yield* putCollection("c4", { title: "Nothing", position: 2, albums: ["a4"] })
  })

const LIBRARY_LAYOUT = [
  "albums/(not in any album)/2019-05-05 00.00.00 8.jpg -> ../../originals/2019/07/8.jpg",
  "albums/(not in any album)/2020-01-01 00.00.00 7.jpg -> ../../originals/2019/07/7.jpg",
  "albums/(not in any album)/undated 6.jpg -> ../../originals/2019/07/6.jpg",
  "albums/Cats/0001 4.jpg -> ../../originals/2019/07/4.jpg",
  "albums/Cats/0002 5.png -> ../../originals/undated/5.png",
  "albums/Holidays/0001 3.jpg -> ../../originals/2019/07/3.jpg",
  "albums/Holidays/0002 1.jpg -> ../../originals/2019/07/1.jpg",
  "albums/Holidays/0003 2.jpg -> ../../originals/2019/07/2.jpg",
  "collections/Pets/Cats -> ../../albums/Cats",
  "collections/Travel/Europe/Holidays -> ../../../albums/Holidays"
]

const walk = (root: string, visit: (relative: string, stats: fs.BigIntStats) => void, under = "") => {
  const at = path.join(root, under)
  if (!fs.existsSync(at)) return
  for (const name of fs.readdirSync(at).sort()) {
    const relative = path.join(under, name)
    const stats = fs.lstatSync(path.join(root, relative), { bigint: true })
    visit(relative, stats)
    if (stats.isDirectory()) walk(root, visit, relative)
  }
}

/** albums/ and collections/ as lines: a link with its target, a file with its bytes, a folder (empty ones show). */
const layout = (destination: string) =>
  Effect.sync(() => {
    const lines: Array<string> = []
    const visit = (relative: string, stats: fs.BigIntStats) => {
      const at = path.join(destination, relative)
      if (stats.isSymbolicLink()) lines.push(`${relative} -> ${fs.readlinkSync(at)}`)
      else if (stats.isFile()) lines.push(`${relative} = ${fs.readFileSync(at, "utf8")}`)
      else if (fs.readdirSync(at).length === 0) lines.push(`${relative}/`)
    }
    walk(destination, visit, "albums")
    walk(destination, visit, "collections")
    return lines
  })

/** Everything under the store, originals included, down to inode, size and change times: any write shows. */
const snapshot = (destination: string) =>
  Effect.sync(() => {
    const seen = new Map<string, string>()
    walk(destination, (relative, s) => {
      const target = s.isSymbolicLink() ? fs.readlinkSync(path.join(destination, relative)) : ""
      seen.set(relative, `${s.mode} ${s.ino} ${s.nlink} ${s.size} ${s.mtimeNs} ${s.ctimeNs} ${target}`)
    })
    return seen
  })

const run = (destination: string, links: LinkMode = "symlink") => syncFolders({ destination, links })

/** The library in a fresh store, folders made once in `links` mode, then `body`. */
const afterFirstRun = <A, E>(
  links: LinkMode,
  body: (destination: string) => Effect.Effect<A, E, Effect.Effect.Context<ReturnType<typeof run>> | SqlClient.SqlClient>
) =>
  withFolderStore((destination) =>
    Effect.gen(function*() {
      yield* library(destination)
      yield* run(destination, links)
      return yield* body(destination)
    })
  )

/** Runs once more and checks that it wrote nothing at all. */
const nothingChanges = (destination: string, links: LinkMode = "symlink") =>
  Effect.gen(function*() {
    const before = yield* snapshot(destination)
    const counts = yield* run(destination, links)
    expect(counts).toMatchObject({ entriesMade: 0, entriesRemoved: 0 })
    expect(yield* snapshot(destination)).toEqual(before)
    return counts
  })

const read = (destination: string, relative: string) => fs.readFileSync(path.join(destination, relative), "utf8")
const inode = (destination: string, relative: string) => fs.statSync(path.join(destination, relative)).ino
const linkInode = (destination: string, relative: string) => fs.lstatSync(path.join(destination, relative)).ino
const exists = (destination: string, relative: string) => fs.existsSync(path.join(destination, relative))

describe("naming", () => {
  it("titles become safe names: entities decoded, NFC, slashes and control characters replaced, no leading dot, no trailing dot or space", () => {
    expect(safeName("Tom &amp; Jerry")).toBe("Tom & Jerry")
    expect(safeName("AT&T &lt;3")).toBe("AT&T <3")
    expect(safeName("a/b")).toBe("a_b")
    expect(safeName("&#47;etc&#x2F;passwd")).toBe("_etc_passwd")
    expect(safeName("nul\u0000here")).toBe("nul_here")
    expect(safeName("tab\there\u0007\u009b")).toBe("tab_here__")
    expect(safeName("  line end\n")).toBe("line end")
    expect(safeName(".hidden")).toBe("_hidden")
    expect(safeName("..")).toBe("")
    expect(safeName("...and more. . ")).toBe("_..and more")
    expect(safeName("Cafe\u0301")).toBe("Caf\u00e9")
    expect(safeName("")).toBe("")
    expect(safeName(null)).toBe("")
    expect(safeName("Zürich 日本 🎉")).toBe("Zürich 日本 🎉")
    expect(safeName("broken \uD800 pair")).toBe("broken _ pair")
  })

  it("long titles are cut to 255 bytes on a character boundary, leaving room for a suffix", () => {
    const long = "日本語".repeat(40) // 360 bytes
    const name = safeName(long)
    expect(Buffer.byteLength(name)).toBe(255)
    expect(long.startsWith(name)).toBe(true)
    const emoji = safeName("a" + "👍🏽".repeat(40)) // 8-byte graphemes: never split
    expect(Buffer.byteLength(emoji)).toBeLessThanOrEqual(MAX_NAME_BYTES)
    expect(emoji).toBe("a" + "👍🏽".repeat(31))
    const suffixed = withSuffix(name, "72157600000000001")
    expect(Buffer.byteLength(suffixed)).toBeLessThanOrEqual(MAX_NAME_BYTES)
    expect(suffixed.endsWith(" 72157600000000001")).toBe(true)
  })

  it("siblings: a shared title (case aside) or a reserved name gets the id appended to each; an empty title is its id", () => {
    const names = siblingNames(
      [
        { id: "42", title: "Cats" },
        { id: "43", title: "cats" },
        { id: "7", title: "Cats 42" },
        { id: "9", title: "" },
        { id: "10", title: NOT_IN_ALBUM },
        { id: "11", title: "Dogs" }
      ],
      [NOT_IN_ALBUM]
    )
    expect(Object.fromEntries(names)).toEqual({
      "42": "Cats 42 42",
      "43": "cats 43",
      "7": "Cats 42 7",
      "9": "9",
      "10": `${NOT_IN_ALBUM} 10`,
      "11": "Dogs"
    })
    // The set decides, not the order.
    const reversed = siblingNames([...[{ id: "43", title: "cats" }, { id: "42", title: "Cats" }, { id: "7", title: "Cats 42" }]])
    expect(reversed.get("42")).toBe("Cats 42 42")
  })

  it("entries: position padded to at least 4 digits, the photo id, the file's extension", () => {
    expect(entryName(7, "12345", "originals/2019/07/12345.jpg")).toBe("0007 12345.jpg")
    expect(entryName(12345, "1", "originals/undated/1.mp4")).toBe("12345 1.mp4")
    expect(entryName(1, "2", "originals/undated/2")).toBe("0001 2")
  })

  it("entries of photos in no album: date taken (dots for colons) and id, or undated and id: nothing about the other photos", () => {
    expect(looseEntryName("2019-07-01 12:34:56", "12345", "originals/2019/07/12345.jpg")).toBe("2019-07-01 12.34.56 12345.jpg")
    expect(looseEntryName("2019-07-01 12:34", "1", "originals/2019/07/1.mp4")).toBe("2019-07-01 12.34.00 1.mp4")
    expect(looseEntryName(null, "7", "originals/undated/7.png")).toBe("undated 7.png")
    expect(looseEntryName("not a date", "7", "originals/undated/7")).toBe("undated 7")
  })
})

describe("the summary line", () => {
  const counts: FolderCounts = { albums: 1, collections: 2, entries: 9, entriesMade: 1200, entriesRemoved: 3, skipped: 0, missing: 0, leftAlone: 0 }

  it("says where the folders are and what was made and removed", () => {
    expect(foldersSummary("/store", counts)).toBe(
      "Folders: 1 album and 2 collections in /store/albums and /store/collections; 1,200 entries made, 3 removed"
    )
  })

  it("adds what was left because fbk did not make it, and entries whose file is missing, only when there are any", () => {
    expect(foldersSummary("/store", { ...counts, skipped: 1, leftAlone: 2, missing: 4 })).toBe(
      "Folders: 1 album and 2 collections in /store/albums and /store/collections; 1,200 entries made, 3 removed; " +
        "3 left as they are (fbk did not make them); 4 not made (their file is missing from originals/)"
    )
  })
})

describe("syncFolders", () => {
  it.effect("lays out albums in order, the photos in no album, and nested collections as relative links that resolve", () =>
    withFolderStore((destination) =>
      Effect.gen(function*() {
        yield* library(destination)
        const counts = yield* run(destination)
        expect(yield* layout(destination)).toEqual(LIBRARY_LAYOUT)
        expect(counts).toEqual({
          albums: 2,
          collections: 3,
          entries: 8,
          entriesMade: 10,
          entriesRemoved: 0,
          skipped: 0,
          missing: 0,
          leftAlone: 0
        } satisfies FolderCounts)
        expect(read(destination, "albums/Holidays/0001 3.jpg")).toBe("photo 3")
        expect(read(destination, "albums/Cats/0002 5.png")).toBe("photo 5")
        expect(read(destination, "collections/Travel/Europe/Holidays/0002 1.jpg")).toBe("photo 1")
        expect(read(destination, "albums/(not in any album)/undated 6.jpg")).toBe("photo 6")
        yield* nothingChanges(destination)
      })
    ))

  it.effect("nasty titles: each album gets its own safe folder, and every entry still resolves", () =>
    withFolderStore((destination) =>
      Effect.gen(function*() {
        const titles: Record<string, string> = {
          n1: "a/b",
          n2: "nul\u0000here",
          n3: "bell\u0007and\ttab",
          n4: "..",
          n5: ".hidden",
          n6: "日本語".repeat(40),
          n7: "Tom &amp; Jerry",
          n8: "",
          n9: "Twins",
          n10: "Twins",
          n11: NOT_IN_ALBUM,
          n12: "../../etc",
          n13: "e\u0301te\u0301 ".repeat(60)
        }
        for (const [n, [albumId, title]] of Object.entries(titles).entries()) {
          yield* photoWithFile(destination, String(n + 1))
          yield* putAlbum(albumId, title, [String(n + 1)])
        }
        yield* photoWithFile(destination, "99")
        yield* putCollection("c1", { title: "Same", albums: ["n9"] })
        yield* putCollection("c2", { title: "Same", position: 1, albums: ["n10"] })
        yield* putCollection("c3", { title: "a/b", position: 2, albums: ["n1", "n6"] })
        yield* run(destination)
        const folders = fs.readdirSync(path.join(destination, "albums")).sort()
        const cut = "日本語".repeat(28) + "日"
        const accented = "\u00e9t\u00e9 ".repeat(42) + "\u00e9t" // 6 bytes a round: 252, then 3 of the next
        expect(folders).toEqual(
          [
            "a_b",
            "nul_here",
            "bell_and_tab",
            "n4",
            "_hidden",
            cut,
            "Tom & Jerry",
            "n8",
            "Twins n9",
            "Twins n10",
            `${NOT_IN_ALBUM} n11`,
            ".._.._etc".replace(/^\./, "_"),
            accented,
            NOT_IN_ALBUM
          ].sort()
        )
        for (const folder of folders) {
          expect(Buffer.byteLength(folder)).toBeLessThanOrEqual(MAX_NAME_BYTES)
          const [entry] = fs.readdirSync(path.join(destination, "albums", folder))
          expect(read(destination, path.join("albums", folder, entry!))).toMatch(/^photo \d+$/)
        }
        expect(read(destination, `albums/${NOT_IN_ALBUM}/undated 99.jpg`)).toBe("photo 99")
        expect(read(destination, `albums/${NOT_IN_ALBUM} n11/0001 11.jpg`)).toBe("photo 11")
        expect(fs.readdirSync(path.join(destination, "collections")).sort()).toEqual(["Same c1", "Same c2", "a_b"])
        expect(fs.readdirSync(path.join(destination, "collections/a_b")).sort()).toEqual([cut, "a_b"].sort())
        expect(read(destination, `collections/a_b/${cut}/0001 6.jpg`)).toBe("photo 6")
        expect(read(destination, "collections/Same c2/Twins n10/0001 10.jpg")).toBe("photo 10")
        yield* nothingChanges(destination)
      })
    ))

  it.effect("a renamed album: the old folder's entries and link go, the new folder and link come", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        yield* putAlbum("a1", "Summer &amp; sun", ["3", "1", "2", "9"])
        const counts = yield* run(destination)
        expect(counts).toMatchObject({ entriesMade: 4, entriesRemoved: 4 })
        expect(yield* layout(destination)).toEqual(
          LIBRARY_LAYOUT.filter((line) => !line.includes("Holidays")).concat(
            "albums/Summer & sun/0001 3.jpg -> ../../originals/2019/07/3.jpg",
            "albums/Summer & sun/0002 1.jpg -> ../../originals/2019/07/1.jpg",
            "albums/Summer & sun/0003 2.jpg -> ../../originals/2019/07/2.jpg",
            "collections/Travel/Europe/Summer & sun -> ../../../albums/Summer & sun"
          ).sort()
        )
        expect(exists(destination, "albums/Holidays")).toBe(false)
        yield* nothingChanges(destination)
      })
    ))

  it.effect("reordered members: entries renamed to their new positions (the same links, not new ones)", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        const linkOf3 = linkInode(destination, "albums/Holidays/0001 3.jpg")
        yield* putAlbum("a1", "Holidays", ["2", "9", "1", "3"])
        const counts = yield* run(destination)
        expect(counts).toMatchObject({ entriesMade: 3, entriesRemoved: 3 })
        expect((yield* layout(destination)).filter((line) => line.startsWith("albums/Holidays/"))).toEqual([
          "albums/Holidays/0001 2.jpg -> ../../originals/2019/07/2.jpg",
          "albums/Holidays/0003 1.jpg -> ../../originals/2019/07/1.jpg",
          "albums/Holidays/0004 3.jpg -> ../../originals/2019/07/3.jpg"
        ])
        expect(linkInode(destination, "albums/Holidays/0004 3.jpg")).toBe(linkOf3)
        yield* nothingChanges(destination)
      })
    ))

  it.effect("an emptied album and a deleted one: entries, folders, links and emptied collection folders removed; their photos join the no-album folder", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        yield* putAlbum("a2", "Cats", [])
        yield* run(destination)
        expect(exists(destination, "albums/Cats")).toBe(false)
        expect(exists(destination, "collections/Pets")).toBe(false)
        yield* nothingChanges(destination)

        yield* deleteAlbum("a1")
        yield* run(destination)
        expect(yield* layout(destination)).toEqual([
          "albums/(not in any album)/2019-05-05 00.00.00 8.jpg -> ../../originals/2019/07/8.jpg",
          "albums/(not in any album)/2019-07-01 12.00.00 1.jpg -> ../../originals/2019/07/1.jpg",
          "albums/(not in any album)/2019-07-01 12.00.00 2.jpg -> ../../originals/2019/07/2.jpg",
          "albums/(not in any album)/2019-07-01 12.00.00 3.jpg -> ../../originals/2019/07/3.jpg",
          "albums/(not in any album)/2019-07-01 12.00.00 4.jpg -> ../../originals/2019/07/4.jpg",
          "albums/(not in any album)/2019-07-01 12.00.00 5.png -> ../../originals/undated/5.png",
          "albums/(not in any album)/2020-01-01 00.00.00 7.jpg -> ../../originals/2019/07/7.jpg",
          "albums/(not in any album)/undated 6.jpg -> ../../originals/2019/07/6.jpg"
        ])
        expect(exists(destination, "collections")).toBe(false)
        yield* nothingChanges(destination)
      })
    ))

  it.effect("a moved collection: its folder leaves the old parent (emptied, removed) for the new one, links one level shallower", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        yield* putCollection("c2", { title: "Europe", parent: null, position: 5, albums: ["a1"] })
        const counts = yield* run(destination)
        expect(counts).toMatchObject({ entriesMade: 1, entriesRemoved: 1, collections: 2 })
        expect((yield* layout(destination)).filter((line) => line.startsWith("collections/"))).toEqual([
          "collections/Europe/Holidays -> ../../albums/Holidays",
          "collections/Pets/Cats -> ../../albums/Cats"
        ])
        expect(read(destination, "collections/Europe/Holidays/0001 3.jpg")).toBe("photo 3")
        yield* nothingChanges(destination)
      })
    ))

  it.effect("the user's own files stay, and so do their folders; originals/ is never touched", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        const originals = new Map([...(yield* snapshot(destination))].filter(([p]) => p.startsWith("originals")))
        const own = {
          "albums/Holidays/notes.txt": "mine",
          "albums/Cats/0009 99.jpg": "looks like an entry, but this is symlink mode",
          "albums/my list.txt": "mine too",
          "collections/Travel/readme.txt": "and this"
        }
        for (const [relative, text] of Object.entries(own)) fs.writeFileSync(path.join(destination, relative), text)
        // Where fbk would put an entry: the user's file wins, and is counted as skipped.
        fs.rmSync(path.join(destination, "albums/Holidays/0002 1.jpg"))
        fs.writeFileSync(path.join(destination, "albums/Holidays/0002 1.jpg"), "the user's")
        // And a folder of theirs where a collection's album link goes.
        fs.rmSync(path.join(destination, "collections/Pets/Cats"))
        fs.mkdirSync(path.join(destination, "collections/Pets/Cats"))
        fs.writeFileSync(path.join(destination, "collections/Pets/Cats/mine.txt"), "mine")
        expect(yield* run(destination)).toMatchObject({ entriesMade: 0, entriesRemoved: 0, skipped: 2 })
        yield* deleteAlbum("a1")
        yield* deleteAlbum("a2")
        yield* putCollection("c1", { title: "Travel", deleted: true })
        yield* putCollection("c2", { title: "Europe", parent: "c1", deleted: true })
        yield* run(destination)
        for (const [relative, text] of Object.entries(own)) expect(read(destination, relative)).toBe(text)
        expect(read(destination, "albums/Holidays/0002 1.jpg")).toBe("the user's")
        expect(fs.readdirSync(path.join(destination, "albums/Holidays")).sort()).toEqual(["0002 1.jpg", "notes.txt"])
        expect(fs.readdirSync(path.join(destination, "albums/Cats"))).toEqual(["0009 99.jpg"])
        expect(fs.readdirSync(path.join(destination, "collections/Travel"))).toEqual(["readme.txt"])
        expect(read(destination, "collections/Pets/Cats/mine.txt")).toBe("mine")
        expect(new Map([...(yield* snapshot(destination))].filter(([p]) => p.startsWith("originals")))).toEqual(originals)
        yield* nothingChanges(destination)
      })
    ))

  it.effect("photos in no album keep their names when another photo comes or goes: one entry made or removed, the rest untouched", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        const looseFolder = (at: string) => fs.readdirSync(path.join(at, "albums", NOT_IN_ALBUM)).sort()
        const before = looseFolder(destination)
        const linkOf6 = linkInode(destination, `albums/${NOT_IN_ALBUM}/undated 6.jpg`)
        // Taken before all the others: were names positions, every one of them would move.
        yield* photoWithFile(destination, "11", "2001-01-01 09:00:00")
        expect(yield* run(destination)).toMatchObject({ entriesMade: 1, entriesRemoved: 0 })
        expect(looseFolder(destination)).toEqual(["2001-01-01 09.00.00 11.jpg", ...before])
        expect(linkInode(destination, `albums/${NOT_IN_ALBUM}/undated 6.jpg`)).toBe(linkOf6)
        yield* putPhoto("8", { dateTaken: "2019-05-05 00:00:00", deleted: true })
        expect(yield* run(destination)).toMatchObject({ entriesMade: 0, entriesRemoved: 1 })
        expect(looseFolder(destination)).toEqual(["2001-01-01 09.00.00 11.jpg", ...before.filter((name) => !name.endsWith(" 8.jpg"))])
        yield* nothingChanges(destination)
      })
    ))

  it.effect("a photo added at the end of an album is one entry made; the others keep their names", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        const before = yield* layout(destination)
        yield* putAlbum("a2", "Cats", ["4", "5", "7"])
        expect(yield* run(destination)).toMatchObject({ entriesMade: 1, entriesRemoved: 1 })
        const after = yield* layout(destination)
        // 7 left the folder of photos in no album (the one removed) for the end of Cats.
        expect(after.filter((line) => !before.includes(line))).toEqual(["albums/Cats/0003 7.jpg -> ../../originals/2019/07/7.jpg"])
        expect(before.filter((line) => !after.includes(line))).toEqual([
          "albums/(not in any album)/2020-01-01 00.00.00 7.jpg -> ../../originals/2019/07/7.jpg"
        ])
      })
    ))

  it.effect("hard links: each entry is the original's inode; links made before are replaced; a replaced original is linked afresh", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        const counts = yield* run(destination, "hardlink")
        expect(counts).toMatchObject({ entriesMade: 8, entriesRemoved: 8, entries: 8 })
        const entry = "albums/Holidays/0002 1.jpg"
        expect(fs.lstatSync(path.join(destination, entry)).isFile()).toBe(true)
        expect(inode(destination, entry)).toBe(inode(destination, originalOf("1")))
        expect(fs.lstatSync(path.join(destination, "collections/Pets/Cats")).isSymbolicLink()).toBe(true)
        expect(read(destination, "collections/Pets/Cats/0001 4.jpg")).toBe("photo 4")
        yield* nothingChanges(destination, "hardlink")

        // Flickr replaced photo 1: a new file under the same name (a new inode).
        const original = path.join(destination, originalOf("1"))
        fs.writeFileSync(`${original}.new`, "photo 1, replaced")
        fs.renameSync(`${original}.new`, original)
        expect(yield* run(destination, "hardlink")).toMatchObject({ entriesMade: 1, entriesRemoved: 1 })
        expect(read(destination, entry)).toBe("photo 1, replaced")
        expect(inode(destination, entry)).toBe(inode(destination, originalOf("1")))
        yield* nothingChanges(destination, "hardlink")
      })
    ))

  it.effect("copies: the same bytes in another inode (hard links made before are copied); reordering renames them rather than copying again; a changed original is copied again", () =>
    afterFirstRun("hardlink", (destination) =>
      Effect.gen(function*() {
        expect(yield* run(destination, "copy")).toMatchObject({ entriesMade: 8, entriesRemoved: 8, entries: 8 })
        const entry = "albums/Holidays/0001 3.jpg"
        expect(fs.lstatSync(path.join(destination, entry)).isFile()).toBe(true)
        expect(read(destination, entry)).toBe("photo 3")
        expect(inode(destination, entry)).not.toBe(inode(destination, originalOf("3")))
        expect(fs.readdirSync(path.join(destination, "albums/Holidays")).sort()).toEqual(["0001 3.jpg", "0002 1.jpg", "0003 2.jpg"])
        yield* nothingChanges(destination, "copy")

        const copyOf3 = inode(destination, entry)
        yield* putAlbum("a1", "Holidays", ["1", "3", "2"])
        expect(yield* run(destination, "copy")).toMatchObject({ entriesMade: 2, entriesRemoved: 2 })
        expect(inode(destination, "albums/Holidays/0002 3.jpg")).toBe(copyOf3)
        expect(read(destination, "albums/Holidays/0001 1.jpg")).toBe("photo 1")

        fs.writeFileSync(path.join(destination, originalOf("2")), "photo 2, edited")
        expect(yield* run(destination, "copy")).toMatchObject({ entriesMade: 1, entriesRemoved: 1 })
        expect(read(destination, "albums/Holidays/0003 2.jpg")).toBe("photo 2, edited")
        yield* nothingChanges(destination, "copy")
      })
    ))

  it.effect("a run cut short (a half-written copy, an entry missing, a stray folder) is completed by the next", () =>
    afterFirstRun("copy", (destination) =>
      Effect.gen(function*() {
        const finished = yield* layout(destination)
        fs.writeFileSync(path.join(destination, "albums/Holidays/.fbk-tmp.1.jpg"), "pho")
        fs.rmSync(path.join(destination, "albums/Holidays/0002 1.jpg"))
        fs.rmSync(path.join(destination, "albums/Cats"), { recursive: true })
        fs.mkdirSync(path.join(destination, "albums/Old name"))
        fs.writeFileSync(path.join(destination, "albums/Old name/0001 4.jpg"), "photo 4")
        fs.symlinkSync("../../albums/Old name", path.join(destination, "collections/Pets/Old name"))
        yield* run(destination, "copy")
        expect(yield* layout(destination)).toEqual(finished)
        yield* nothingChanges(destination, "copy")
      })
    ))

  it.effect("hard link and copy modes: an entry whose original is missing is left as it is and counted", () =>
    afterFirstRun("hardlink", (destination) =>
      Effect.gen(function*() {
        fs.rmSync(path.join(destination, originalOf("4")))
        expect(yield* run(destination, "hardlink")).toMatchObject({ missing: 1, entriesMade: 0, entriesRemoved: 0 })
        expect(read(destination, "albums/Cats/0001 4.jpg")).toBe("photo 4")
        fs.rmSync(path.join(destination, "albums/Cats/0001 4.jpg"))
        expect(yield* run(destination, "copy")).toMatchObject({ missing: 1 })
        expect(exists(destination, "albums/Cats/0001 4.jpg")).toBe(false)
      })
    ))
})

/** How each album entry reaches its original: a link, the original's inode, or a copy. */
const entryKinds = (destination: string) =>
  Effect.sync(() => {
    const kinds = new Set<string>()
    walk(destination, (relative, stats) => {
      if (!relative.startsWith("albums/") || stats.isDirectory()) return
      const id = / (\d+)\.\w+$/.exec(relative)![1]!
      kinds.add(stats.isSymbolicLink() ? "symlink" : stats.ino === BigInt(inode(destination, originalOf(id))) ? "hardlink" : "copy")
    }, "albums")
    return [...kinds]
  })

/** The library's layout with album entries as the files they are in hard link and copy modes. */
const LIBRARY_FILES = LIBRARY_LAYOUT.map((line) =>
  line.startsWith("albums/") ? line.replace(/ -> .*\/(\d+)\.\w+$/, " = photo $1") : line
)

describe("switching link modes", () => {
  const switches: ReadonlyArray<readonly [LinkMode, LinkMode]> = [
    ["copy", "symlink"],
    ["hardlink", "symlink"],
    ["symlink", "copy"],
    ["symlink", "hardlink"],
    ["copy", "hardlink"],
    ["hardlink", "copy"]
  ]
  for (const [from, to] of switches) {
    it.effect(`${from} then ${to}: every entry of fbk's converted, none of the old mode left, collections kept, and the counts say so`, () =>
      afterFirstRun(from, (destination) =>
        Effect.gen(function*() {
          const counts = yield* run(destination, to)
          expect(counts).toMatchObject({ albums: 2, collections: 3, entries: 8, entriesMade: 8, entriesRemoved: 8, skipped: 0, leftAlone: 0 })
          expect(yield* entryKinds(destination)).toEqual([to])
          expect(yield* layout(destination)).toEqual(to === "symlink" ? LIBRARY_LAYOUT : LIBRARY_FILES)
          yield* nothingChanges(destination, to)
        })
      ))
  }

  it.effect("copy then symlink: a copy of an earlier version and the user's file named like an entry are left and counted; a copy whose photo left the album is removed", () =>
    afterFirstRun("copy", (destination) =>
      Effect.gen(function*() {
        // Photo 2 edited after its copy was made: fbk cannot show that copy is its own.
        fs.writeFileSync(path.join(destination, originalOf("2")), "photo 2, edited")
        fs.writeFileSync(path.join(destination, "albums/Cats/0009 99.jpg"), "the user's")
        yield* putAlbum("a1", "Holidays", ["1", "2"])
        const counts = yield* run(destination, "symlink")
        // Holidays: the copies 0001 3 (3 left the album) and 0002 1 (1 moved up) removed, links 0001 1
        // and 0002 2 made, the copy 0003 2 left; 3 joins the photos in no album, whose 3 copies become links.
        expect(counts).toMatchObject({ entriesMade: 8, entriesRemoved: 7, skipped: 0, leftAlone: 2 })
        expect((yield* layout(destination)).filter((line) => line.startsWith("albums/Holidays/") || line.startsWith("albums/Cats/"))).toEqual([
          "albums/Cats/0001 4.jpg -> ../../originals/2019/07/4.jpg",
          "albums/Cats/0002 5.png -> ../../originals/undated/5.png",
          "albums/Cats/0009 99.jpg = the user's",
          "albums/Holidays/0001 1.jpg -> ../../originals/2019/07/1.jpg",
          "albums/Holidays/0002 2.jpg -> ../../originals/2019/07/2.jpg",
          "albums/Holidays/0003 2.jpg = photo 2"
        ])
        expect(exists(destination, "collections/Travel/Europe/Holidays")).toBe(true)
      })
    ))
})

describe("planFolders (a dry run's)", () => {
  it.effect("writes nothing; its changes, described, are exactly what the sync then makes, folders emptied and removed included", () =>
    afterFirstRun("symlink", (destination) =>
      Effect.gen(function*() {
        yield* deleteAlbum("a2")
        yield* putAlbum("a1", "Holidays in Europe", ["1", "3"])
        fs.writeFileSync(path.join(destination, "albums", "Holidays", "my notes.txt"), "mine")
        const before = yield* snapshot(destination)
        const { actions, counts } = yield* planFolders({ destination, links: "copy" })
        expect(yield* snapshot(destination)).toEqual(before)
        const changes = actions.map((a) => describeAction(destination, a))
        expect(changes).toContain("make folder albums/Holidays in Europe")
        expect(changes).toContain("remove albums/Cats/0001 4.jpg")
        expect(changes).toContain("remove folder albums/Cats (empty)")
        expect(changes).toContain("remove collections/Pets/Cats")
        expect(changes).toContain("remove folder collections/Pets (empty)")
        expect(changes).toContain("copy originals/2019/07/1.jpg to albums/Holidays in Europe/0001 1.jpg")
        // The user's file keeps the old album's folder: it is not planned for removal.
        expect(changes).not.toContain("remove folder albums/Holidays (empty)")
        expect(changes.filter((c) => c.startsWith("remove ") && !c.startsWith("remove folder"))).toHaveLength(counts.entriesRemoved)
        const done = yield* run(destination, "copy")
        expect(done).toEqual(counts)
        expect(exists(destination, "albums/Cats")).toBe(false)
        expect(exists(destination, "collections/Pets")).toBe(false)
        expect(read(destination, "albums/Holidays/my notes.txt")).toBe("mine")
        expect((yield* planFolders({ destination, links: "copy" })).actions).toEqual([])
      })
    ))
})

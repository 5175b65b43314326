// The simulator's image servers against FLICKR.md ("Files") and the recorded getSizes body: files are
// real images of the listed size whose EXIF is getExif's, films are MP4s, HTTP behaves like a CDN
// (HEAD, ranges, If-Range, ETags), and free accounts, replaced photos and file faults behave as on Flickr.
import { createHash } from "node:crypto"
import * as net from "node:net"
import { afterEach, describe, expect, it } from "vitest"
import { type FileFault, type FlickrSimulator, type SimulatorOptions, startSimulator } from "../../src/simulator/Server.js"
import { readSample } from "../support/Fixtures.js"
import { control, type Item, restJson } from "../support/SignedRest.js"
import { type ExifDirectories, mp4Boxes, readExif, readGif, readJpeg, readPng } from "./MediaReaders.js"

/** Simulators of the running test, closed after it (a stalled download included). */
const running = new Set<FlickrSimulator>()
afterEach(() => Promise.all([...running].map((sim) => sim.close())).then(() => running.clear()))

const start = (options: SimulatorOptions = {}): Promise<FlickrSimulator> =>
  startSimulator({ photos: 400, ...options }).then((sim) => running.add(sim) && sim)

interface Fetched {
  readonly status: number
  readonly headers: Headers
  readonly body: Buffer
}

const get = async (url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Fetched> => {
  const response = await fetch(url, { method, headers, redirect: "manual" })
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) }
}

const sha = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex")
const obj = (value: unknown): Item => value as Item
const list = (value: unknown): Array<Item> => value as Array<Item>

/** Every live photo as the backup's listing has it (sim.photo is exactly that item). */
const items = (sim: FlickrSimulator): Array<Item> => sim.liveIds().map((id) => sim.photo(id)!)
const photosOf = (sim: FlickrSimulator, format: string): Array<Item> => items(sim).filter((p) => p.media === "photo" && p.originalformat === format)
const videosOf = (sim: FlickrSimulator): Array<Item> => items(sim).filter((p) => p.media === "video")

const getSizes = async (sim: FlickrSimulator, id: string): Promise<Array<Item>> => {
  const body = await restJson(sim, { method: "flickr.photos.getSizes", photo_id: id })
  expect(body.stat, JSON.stringify(body)).toBe("ok")
  return list(obj(body.sizes).size)
}

const labelled = (sizes: ReadonlyArray<Item>, label: string): Item | undefined => sizes.find((s) => s.label === label)

// ---- what the bytes are ----

describe("originals", () => {
  it("are JPEGs, PNGs and GIFs of exactly the listing's o_dims, with the type they claim", async () => {
    const sim = await start({ photos: 600, seed: 5 })
    const checked = { jpg: 0, png: 0, gif: 0 }
    for (const format of ["jpg", "png", "gif"] as const) {
      for (const item of photosOf(sim, format).slice(0, 3)) {
        const { status, headers, body } = await get(String(item.url_o))
        expect(status).toBe(200)
        expect(Number(headers.get("content-length"))).toBe(body.length)
        const [width, height] = [Number(item.o_width), Number(item.o_height)]
        expect(Number(item.width_o)).toBe(width)
        if (format === "jpg") {
          expect(headers.get("content-type")).toBe("image/jpeg")
          const jpeg = readJpeg(body)
          expect([jpeg.width, jpeg.height]).toEqual([width, height])
          expect(jpeg.mcus).toBe(Math.ceil(width / 16) * Math.ceil(height / 16))
          // A simple pattern of two or three flat colours.
          expect(new Set(jpeg.lumaLevels).size).toBeGreaterThanOrEqual(2)
          expect(new Set(jpeg.lumaLevels).size).toBeLessThanOrEqual(3)
        } else if (format === "png") {
          expect(headers.get("content-type")).toBe("image/png")
          const png = readPng(body)
          expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([width, height, 2, 3])
          expect(png.lines.length).toBe(height * (1 + Math.ceil(width / 4)))
          expect(png.chunkTypes.slice(0, 2)).toEqual(["IHDR", "PLTE"])
        } else {
          expect(headers.get("content-type")).toBe("image/gif")
          const gif = readGif(body)
          expect(gif).toEqual({ screenWidth: width, screenHeight: height, imageWidth: width, imageHeight: height, pixels: width * height })
        }
        checked[format] += 1
      }
    }
    expect(checked).toEqual({ jpg: 3, png: 3, gif: 3 })
  })

  it("weigh about what a camera's do (megabytes for megapixels), and cost little to make", async () => {
    const sim = await start({ photos: 200, seed: 12 })
    const big = photosOf(sim, "jpg").filter((p) => Number(p.o_width) * Number(p.o_height) >= 20_000_000).slice(0, 5)
    expect(big.length).toBeGreaterThan(0)
    for (const item of big) {
      const { body } = await get(String(item.url_o))
      expect(body.length).toBeGreaterThan(1_500_000)
      expect(body.length).toBeLessThan(10_000_000)
    }
  })

  it("carry the EXIF getExif reports: camera, exposure, dates, GPS; none when getExif has none", async () => {
    const sim = await start({ photos: 300, seed: 9 })
    let compared = 0
    let withGps = 0
    let withoutExif = 0
    for (const item of photosOf(sim, "jpg").slice(0, 80)) {
      const body = await restJson(sim, { method: "flickr.photos.getExif", photo_id: String(item.id) })
      // Hidden EXIF (code 2) is the owner's choice about others; the file still has it.
      if (body.stat !== "ok") continue
      const entries = list(obj(body.photo).exif)
      const app1 = readJpeg((await get(String(item.url_o))).body).segments.find((s) => s.marker === 0xe1)
      if (entries.length === 0) {
        expect(app1).toBeUndefined()
        withoutExif += 1
        continue
      }
      const file = readExif(app1!.data)
      for (const entry of entries) {
        const raw = obj(entry.raw)._content
        expect(fileValue(file, String(entry.tag)), `${String(entry.tag)} of ${String(item.id)}`).toBe(raw)
      }
      const original = entries.find((e) => e.tag === "DateTimeOriginal")
      if (original !== undefined) expect(String(obj(original.raw)._content).replace(/^(\d{4}):(\d{2}):(\d{2})/, "$1-$2-$3")).toBe(item.datetaken)
      if (file.gps !== undefined) withGps += 1
      expect(file.exif.get(0xa002)).toBe(Number(item.o_width))
      expect(file.exif.get(0xa003)).toBe(Number(item.o_height))
      compared += 1
    }
    expect(compared).toBeGreaterThan(30)
    expect(withGps).toBeGreaterThan(3)
    expect(withoutExif).toBeGreaterThan(0)
  })

  it("are the same bytes for the same seed and photo, different for another seed", async () => {
    const [one, two, other] = await Promise.all([start({ seed: 21, photos: 60 }), start({ seed: 21, photos: 60 }), start({ seed: 22, photos: 60 })])
    const pathOf = (url: unknown): string => new URL(String(url)).pathname
    for (const item of items(one).slice(0, 12)) {
      const path = pathOf(item.url_o)
      const [a, b] = await Promise.all([get(`${one.fileHost}${path}`), get(`${two.fileHost}${path}`)])
      expect(sha(a.body)).toBe(sha(b.body))
      expect(a.headers.get("etag")).toBe(b.headers.get("etag"))
    }
    const [first, firstOther] = [items(one)[0]!, items(other)[0]!]
    expect(pathOf(firstOther.url_o)).not.toBe(pathOf(first.url_o))
    expect(sha((await get(String(firstOther.url_o))).body)).not.toBe(sha((await get(String(first.url_o))).body))
  })
})

const EXPOSURE_PROGRAMS: Readonly<Record<number, string>> = { 1: "Manual", 2: "Program AE", 3: "Aperture-priority AE" }

const rational = (value: unknown): number => {
  const [[num, den]] = value as ReadonlyArray<readonly [number, number]>
  return num! / den!
}

const dms = (value: unknown): string => {
  const [d, m, s] = (value as ReadonlyArray<readonly [number, number]>).map(([num, den]) => num / den)
  return `${d} deg ${m}' ${s!.toFixed(2)}"`
}

/** What getExif's `raw` should say for a tag, read from the file's own EXIF directories. */
const fileValue = ({ ifd0, exif, gps }: ExifDirectories, tag: string): unknown => {
  switch (tag) {
    case "Make":
      return ifd0.get(0x010f)
    case "Model":
      return ifd0.get(0x0110)
    case "XResolution":
      return rational(ifd0.get(0x011a))
    case "YResolution":
      return rational(ifd0.get(0x011b))
    case "ResolutionUnit":
      return ifd0.get(0x0128) === 2 ? "inches" : ifd0.get(0x0128)
    case "Software":
      return ifd0.get(0x0131)
    case "Artist":
      return ifd0.get(0x013b)
    case "ExposureTime":
      return (exif.get(0x829a) as ReadonlyArray<readonly [number, number]>)[0]!.join("/")
    case "FNumber":
      return rational(exif.get(0x829d)).toFixed(1)
    case "ExposureProgram":
      return EXPOSURE_PROGRAMS[exif.get(0x8822) as number]
    case "ISO":
      return exif.get(0x8827)
    case "DateTimeOriginal":
      return exif.get(0x9003)
    case "CreateDate":
      return exif.get(0x9004)
    case "Flash":
      return ((exif.get(0x9209) as number) & 1) === 1 ? "On, Fired" : "Off, Did not fire"
    case "FocalLength":
      return `${rational(exif.get(0x920a)).toFixed(1)} mm`
    case "ColorSpace":
      return exif.get(0xa001) === 1 ? "sRGB" : exif.get(0xa001)
    case "GPSLatitudeRef":
      return gps?.get(0x0001) === "N" ? "North" : "South"
    case "GPSLatitude":
      return dms(gps?.get(0x0002))
    case "GPSLongitudeRef":
      return gps?.get(0x0003) === "E" ? "East" : "West"
    case "GPSLongitude":
      return dms(gps?.get(0x0004))
    default:
      return `no EXIF tag in the file for ${tag}`
  }
}

// ---- getSizes ----

describe("photos.getSizes", () => {
  it("has the recorded shape: keys, labels in order up to the original, sizes as numbers or strings", async () => {
    const sim = await start({ photos: 300, seed: 3 })
    const sample = obj(readSample("flickr.photos.getSizes").sizes)
    const sampleSizes = list(sample.size)
    const sampleLabels = sampleSizes.map((s) => s.label)
    let sawStrings = false
    let sawNumbers = false
    let compared = 0
    for (const item of items(sim).filter((p) => p.media === "photo").slice(0, 60)) {
      const body = await restJson(sim, { method: "flickr.photos.getSizes", photo_id: String(item.id) })
      expect(Object.keys(body)).toEqual(["sizes", "stat"])
      const sizes = obj(body.sizes)
      expect(Object.keys(sizes)).toEqual(Object.keys(sample))
      const entries = list(sizes.size)
      for (const entry of entries) {
        expect(Object.keys(entry)).toEqual(Object.keys(sampleSizes[0]!))
        expect(entry.media).toBe("photo")
        if (typeof entry.width === "string") sawStrings = true
        else sawNumbers = true
      }
      // Flickr's labels in Flickr's order; none larger than the original, which comes last.
      const labels = entries.map((e) => e.label)
      expect(labels.filter((l) => sampleLabels.includes(l))).toEqual(sampleLabels.filter((l) => labels.includes(l)))
      expect(labels[labels.length - 1]).toBe("Original")
      const original = entries[entries.length - 1]!
      expect(original.source).toBe(item.url_o)
      expect([Number(original.width), Number(original.height)]).toEqual([Number(item.o_width), Number(item.o_height)])
      for (const entry of entries.slice(0, -1)) {
        expect(Math.max(Number(entry.width), Number(entry.height))).toBeLessThanOrEqual(Math.max(Number(item.o_width), Number(item.o_height)))
      }
      if (labels.length >= sampleLabels.length) compared += 1
    }
    expect(compared).toBeGreaterThan(10)
    expect(sawStrings && sawNumbers).toBe(true)
  })

  it("names files the image servers serve at the size it says, on the simulator's own host", async () => {
    const sim = await start({ photos: 100, seed: 3 })
    const item = photosOf(sim, "jpg").find((p) => Number(p.o_width) >= 2048 || Number(p.o_height) >= 2048)!
    const sizes = await getSizes(sim, String(item.id))
    expect(sizes.map((s) => s.label)).toContain("Large 2048")
    for (const entry of sizes) {
      expect(String(entry.source).startsWith(`${sim.fileHost}/static/`)).toBe(true)
      expect(entry.url).toMatch(/^https:\/\/www\.flickr\.com\/photos\/[^/]+\/\d+\/sizes\/[0-9a-z]+\/$/)
      const { status, headers, body } = await get(String(entry.source))
      expect(status, String(entry.label)).toBe(200)
      expect(headers.get("content-type")).toBe("image/jpeg")
      const jpeg = readJpeg(body)
      expect([jpeg.width, jpeg.height]).toEqual([Number(entry.width), Number(entry.height)])
    }
    // Sizes from 1600 px up have their own secret, as the recording shows.
    const secretOf = (label: string): string => /_([0-9a-f]{10})_/.exec(String(labelled(sizes, label)!.source))![1]!
    expect(secretOf("Large 1600")).not.toBe(secretOf("Large"))
    expect(secretOf("Large")).toBe(item.secret)
  })

  it("answers code 1 for an unknown or deleted photo", async () => {
    const sim = await start({ photos: 20 })
    const [gone] = sim.remove([sim.liveIds()[0]!])
    for (const id of ["123", gone!]) {
      expect(await restJson(sim, { method: "flickr.photos.getSizes", photo_id: id })).toEqual({ stat: "fail", code: 1, message: "Photo not found" })
    }
  })
})

// ---- videos ----

describe("videos", () => {
  it("list the player and MP4 films after the poster's sizes; each film's page redirects to an MP4 of its size", async () => {
    const sim = await start({ photos: 400, seed: 2 })
    const video = videosOf(sim)[0]!
    const sizes = await getSizes(sim, String(video.id))
    const videoLabels = sizes.filter((s) => s.media === "video").map((s) => s.label)
    expect(videoLabels.slice(0, 3)).toEqual(["Video Player", "Site MP4", "Mobile MP4"])
    expect(videoLabels).toContain("HD MP4")
    // The poster frame is the listing's url_o, a JPEG.
    expect(labelled(sizes, "Original")!.source).toBe(video.url_o)
    expect(readJpeg((await get(String(video.url_o))).body).width).toBe(Number(video.o_width))
    const player = labelled(sizes, "Video Player")!
    expect(String(player.source).startsWith(sim.fileHost)).toBe(false)
    const info = obj((await restJson(sim, { method: "flickr.photos.getInfo", photo_id: String(video.id) })).photo)
    const duration = Number(obj(info.video).duration)
    for (const label of ["Site MP4", "Mobile MP4", "HD MP4"]) {
      const entry = labelled(sizes, label)!
      expect(entry.source).toBe(entry.url)
      expect(String(entry.source)).toMatch(new RegExp(`^${sim.fileHost}/photos/[^/]+/${String(video.id)}/play/[a-z_]+/[0-9a-f]{10}/$`))
      const page = await get(String(entry.source))
      expect(page.status).toBe(302)
      const film = await get(page.headers.get("location")!)
      expect(film.status).toBe(200)
      expect(film.headers.get("content-type")).toBe("video/mp4")
      expectMovie(film.body, duration, entry)
    }
  })

  it("offer the owner a Video Original that redirects to the film, or none, or one that 404s, by id; widths may be \"\"", async () => {
    const sim = await start({ photos: 1_500, seed: 4 })
    const seen = { served: 0, absent: 0, broken: 0, blank: 0 }
    for (const video of videosOf(sim)) {
      const original = labelled(await getSizes(sim, String(video.id)), "Video Original")
      const file = sim.originalFile(String(video.id))
      if (original === undefined) {
        expect(file).toBeUndefined()
        seen.absent += 1
        continue
      }
      expect(original.source).toMatch(new RegExp(`/play/orig/${String(video.originalsecret)}/$`))
      if (original.width === "") seen.blank += 1
      const page = await get(String(original.source))
      if (page.status === 404) {
        expect(file).toBeUndefined()
        seen.broken += 1
        continue
      }
      expect(page.status).toBe(302)
      expect(page.headers.get("location")).toBe(file!.url)
      const head = await get(file!.url, {}, "HEAD")
      expect([head.status, Number(head.headers.get("content-length")), head.headers.get("etag")]).toEqual([200, file!.bytes, file!.etag])
      seen.served += 1
    }
    expect(seen.served).toBeGreaterThan(seen.absent + seen.broken)
    expect(seen.absent).toBeGreaterThan(0)
    expect(seen.broken).toBeGreaterThan(0)
    expect(seen.blank).toBeGreaterThan(0)
  })

  it("a 1 GiB original streams: HEAD and a ranged read near the end answer at once, memory stays flat", async () => {
    const sim = await start({ photos: 400, seed: 2 })
    const video = videosOf(sim).find((v) => sim.originalFile(String(v.id)) !== undefined)!
    const GiB = 2 ** 30
    sim.setOriginalBytes(String(video.id), GiB)
    const file = sim.originalFile(String(video.id))!
    expect(file.bytes).toBe(GiB)
    const head = await get(file.url, {}, "HEAD")
    expect(head.headers.get("content-length")).toBe(String(GiB))
    expect(head.body.length).toBe(0)
    const tail = await get(file.url, { Range: "bytes=-1048576" })
    expect(tail.status).toBe(206)
    expect(tail.headers.get("content-range")).toBe(`bytes ${GiB - 1_048_576}-${GiB - 1}/${GiB}`)
    expect(tail.body.length).toBe(1_048_576)
    const opening = await get(file.url, { Range: "bytes=0-65535" })
    const boxes = mp4Boxes(opening.body)
    expect(boxes.map((b) => b.type)).toEqual(["ftyp", "moov", "mdat"])
    expect(boxes[2]!.start + boxes[2]!.size).toBe(GiB)

    // 256 MiB of the body read and dropped: the server never holds the file.
    const before = process.memoryUsage().rss
    const response = await fetch(file.url)
    const reader = response.body!.getReader()
    let read = 0
    while (read < 256 * 2 ** 20) read += (await reader.read()).value!.length
    await reader.cancel()
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20)
  })
})

/** ftyp, then moov with the video's length and the film's size, then mdat to the end of the file. */
const expectMovie = (bytes: Buffer, durationSeconds: number, entry: Item): void => {
  const boxes = mp4Boxes(bytes)
  expect(boxes.map((b) => b.type)).toEqual(["ftyp", "moov", "mdat"])
  expect(bytes.toString("latin1", 8, 12)).toBe("isom")
  const moov = boxes[1]!
  const [mvhd, trak] = mp4Boxes(bytes, moov.body, moov.start + moov.size)
  expect(bytes.toString("latin1", mvhd!.start + 4, mvhd!.start + 8)).toBe("mvhd")
  expect(bytes.readUInt32BE(mvhd!.body + 12)).toBe(1000) // timescale
  expect(bytes.readUInt32BE(mvhd!.body + 16)).toBe(durationSeconds * 1000)
  const [tkhd] = mp4Boxes(bytes, trak!.body, trak!.start + trak!.size)
  const size = [bytes.readUInt32BE(tkhd!.start + tkhd!.size - 8) >>> 16, bytes.readUInt32BE(tkhd!.start + tkhd!.size - 4) >>> 16]
  if (entry.width !== "") expect(size).toEqual([Number(entry.width), Number(entry.height)])
  expect(boxes[2]!.start + boxes[2]!.size).toBe(bytes.length)
}

// ---- HTTP like a CDN ----

describe("HTTP", () => {
  it("HEAD, strong ETags, ranges (206, Content-Range), unsatisfiable ranges (416) and If-Range, If-None-Match", async () => {
    const sim = await start({ photos: 50, seed: 6 })
    const url = String(photosOf(sim, "jpg")[0]!.url_o)
    const whole = await get(url)
    const size = whole.body.length
    const etag = whole.headers.get("etag")!
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/)
    expect(whole.headers.get("accept-ranges")).toBe("bytes")
    const lastModified = whole.headers.get("last-modified")!

    const head = await get(url, {}, "HEAD")
    expect([head.status, head.headers.get("content-length"), head.headers.get("etag"), head.body.length]).toEqual([200, String(size), etag, 0])

    const ranges: ReadonlyArray<readonly [string, number, number]> = [
      ["bytes=100-", 100, size],
      ["bytes=0-0", 0, 1],
      ["bytes=1000-1999", 1000, 2000],
      [`bytes=${size - 10}-${size + 500}`, size - 10, size],
      ["bytes=-300", size - 300, size]
    ]
    for (const [range, from, to] of ranges) {
      const part = await get(url, { Range: range })
      expect(part.status, range).toBe(206)
      expect(part.headers.get("content-range")).toBe(`bytes ${from}-${to - 1}/${size}`)
      expect(part.headers.get("content-length")).toBe(String(to - from))
      expect(part.headers.get("etag")).toBe(etag)
      expect(part.body.equals(whole.body.subarray(from, to))).toBe(true)
    }
    const beyond = await get(url, { Range: `bytes=${size}-` })
    expect([beyond.status, beyond.headers.get("content-range")]).toEqual([416, `bytes */${size}`])
    // A range that cannot be parsed is ignored: the whole file.
    expect((await get(url, { Range: "bytes=9-3" })).status).toBe(200)

    // If-Range: the range when the validator still holds, the whole (new) file when it does not.
    expect((await get(url, { Range: "bytes=10-", "If-Range": etag })).status).toBe(206)
    expect((await get(url, { Range: "bytes=10-", "If-Range": lastModified })).status).toBe(206)
    const stale = await get(url, { Range: "bytes=10-", "If-Range": '"0000000000000000"' })
    expect([stale.status, stale.body.length]).toEqual([200, size])
    expect((await get(url, { Range: "bytes=10-", "If-Range": `W/${etag}` })).status).toBe(200)
    expect((await get(url, { "If-None-Match": etag })).status).toBe(304)
  })

  it("404s unknown paths, wrong secrets or servers, deleted photos and sizes larger than the original", async () => {
    const sim = await start({ photos: 50, seed: 6 })
    const item = photosOf(sim, "jpg").find((p) => Number(p.o_width) < 1600 && Number(p.o_height) < 1600) ?? photosOf(sim, "jpg")[0]!
    const url = String(item.url_o)
    expect((await get(url)).status).toBe(200)
    const wrong = [
      url.replace(/_([0-9a-f]{10})_o/, "_0000000000_o"),
      url.replace(/\/static\/\d+\//, "/static/1/"),
      url.replace(/_o\.\w+$/, "_o.tiff"),
      url.replace(/_o\./, "_x."),
      `${sim.fileHost}/static/nothing.jpg`
    ]
    if (Math.max(Number(item.o_width), Number(item.o_height)) < 6144) wrong.push(url.replace(/_[0-9a-f]{10}_o\.\w+$/, `_${String(item.secret)}_6k.jpg`))
    for (const path of wrong) expect((await get(path)).status, path).toBe(404)
    sim.remove([String(item.id)])
    expect((await get(url)).status).toBe(404)
    expect((await get(url, {}, "POST")).status).toBe(405)
  })

  it("counts file requests and bytes apart from REST calls", async () => {
    const sim = await start({ photos: 30, seed: 6 })
    const url = String(photosOf(sim, "jpg")[0]!.url_o)
    const size = (await get(url)).body.length
    await get(url, { Range: "bytes=0-99" })
    await get(url, {}, "HEAD")
    await get(`${sim.fileHost}/static/missing.jpg`)
    expect(sim.stats()).toMatchObject({ restCalls: 0, fileRequests: 4, fileBytes: size + 100 })
    await getSizes(sim, sim.liveIds()[0]!)
    expect(sim.stats()).toMatchObject({ restCalls: 1, fileRequests: 4 })
    sim.resetStats()
    expect(sim.stats()).toMatchObject({ restCalls: 0, fileRequests: 0, fileBytes: 0 })
  })
})

// ---- accounts and changes ----

describe("a free account", () => {
  it("lists no url_o or original secret, offers nothing over 1024 px and no original; such files 404", async () => {
    const [pro, free] = await Promise.all([start({ photos: 300, seed: 8 }), start({ photos: 300, seed: 8, freeAccount: true })])
    for (const item of items(free)) {
      expect(item.url_o).toBeUndefined()
      expect(item.originalsecret).toBeUndefined()
      expect(item.originalformat).toBeUndefined()
    }
    const id = String(photosOf(pro, "jpg")[0]!.id)
    const info = obj((await restJson(free, { method: "flickr.photos.getInfo", photo_id: id })).photo)
    expect(info.originalsecret).toBeUndefined()
    for (const item of items(free).slice(0, 30)) {
      const sizes = await getSizes(free, String(item.id))
      expect(sizes.length).toBeGreaterThan(5)
      for (const entry of sizes) {
        expect(["Original", "Video Original", "HD MP4"]).not.toContain(entry.label)
        if (entry.width !== "") expect(Math.max(Number(entry.width), Number(entry.height))).toBeLessThanOrEqual(1024)
      }
    }
    // The pro account's URLs name the same files; the free account's servers refuse them.
    const proItem = pro.photo(id)!
    expect((await get(`${free.fileHost}${new URL(String(proItem.url_o)).pathname}`)).status).toBe(404)
    const large = labelled(await getSizes(pro, id), "Large 1600")
    if (large !== undefined) expect((await get(`${free.fileHost}${new URL(String(large.source)).pathname}`)).status).toBe(404)
    expect(free.originalFile(id)).toBeUndefined()
  })
})

describe("replace", () => {
  it("gives the photo a new original secret and new bytes; the old URL 404s; lastupdate moves", async () => {
    const sim = await start({ photos: 80, seed: 10 })
    const before = photosOf(sim, "jpg")[0]!
    const id = String(before.id)
    const old = await get(String(before.url_o))
    sim.replace(id)
    const after = sim.photo(id)!
    expect(after.originalsecret).not.toBe(before.originalsecret)
    expect(after.url_o).not.toBe(before.url_o)
    expect(Number(after.lastupdate)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5)
    expect((await get(String(before.url_o))).status).toBe(404)
    const replaced = await get(String(after.url_o))
    expect(replaced.status).toBe(200)
    expect(sha(replaced.body)).not.toBe(sha(old.body))
    expect(replaced.headers.get("etag")).not.toBe(old.headers.get("etag"))
    // Still an image of the listed size, in other colours.
    const [a, b] = [readJpeg(old.body), readJpeg(replaced.body)]
    expect([b.width, b.height]).toEqual([a.width, a.height])
    expect(new Set(b.lumaLevels)).not.toEqual(new Set(a.lumaLevels))
    const recent = await restJson(sim, { method: "flickr.photos.recentlyUpdated", min_date: String(Number(after.lastupdate)) })
    expect(list(obj(recent.photos).photo).map((p) => p.id)).toContain(id)
    expect(() => sim.replace("123")).toThrow()
  })
})

// ---- faults ----

interface RawAnswer {
  readonly status: number
  readonly contentLength: number | undefined
  readonly bodyBytes: number
  /** How the connection ended: closed by the server (FIN), reset (RST), or still open when we gave up. */
  readonly ending: "closed" | "reset" | "open"
}

/** One GET over a bare socket, so a short body, a reset and a stall each show for what they are. */
const rawGet = (url: string, waitMs = 5_000): Promise<RawAnswer> =>
  new Promise((resolve) => {
    const { hostname, port, pathname } = new URL(url)
    // Half-open, so the end of the server's side can be told apart: a closed connection still takes
    // a write, a reset one answers it with another reset (Node reports both ends alike otherwise).
    const socket = net.connect({ port: Number(port), host: hostname, allowHalfOpen: true })
    const chunks: Array<Buffer> = []
    let done = false
    const answer = (ending: RawAnswer["ending"]): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      const all = Buffer.concat(chunks)
      const split = all.indexOf("\r\n\r\n")
      const head = all.toString("latin1", 0, split)
      const length = /content-length: (\d+)/i.exec(head)?.[1]
      resolve({ status: Number(head.slice(9, 12)), contentLength: length === undefined ? undefined : Number(length), bodyBytes: all.length - split - 4, ending })
    }
    const timer = setTimeout(() => answer("open"), waitMs)
    socket.on("data", (chunk) => chunks.push(chunk))
    socket.on("end", () => {
      socket.write("\r\n")
      setTimeout(() => answer("closed"), 200)
    })
    socket.on("error", () => answer("reset"))
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`)
  })

describe("file faults", () => {
  it("429 with Retry-After and 503, for the next `count` requests, then the file", async () => {
    const sim = await start({ photos: 30, seed: 6 })
    const url = String(photosOf(sim, "jpg")[0]!.url_o)
    sim.injectFileFault({ kind: "http429", count: 2, retryAfterSeconds: 7 })
    for (let i = 0; i < 2; i++) {
      const answer = await get(url)
      expect([answer.status, answer.headers.get("retry-after")]).toEqual([429, "7"])
    }
    sim.injectFileFault({ kind: "http503", count: 1 })
    expect((await get(url)).status).toBe(503)
    expect((await get(url)).status).toBe(200)
  })

  it("a reset mid-body, a truncated body that ends the connection, a stall after some bytes", async () => {
    const sim = await start({ photos: 30, seed: 6 })
    const url = String(photosOf(sim, "jpg")[0]!.url_o)
    const size = (await get(url)).body.length

    sim.injectFileFault({ kind: "reset", count: 1, afterBytes: 50_000 })
    const reset = await rawGet(url)
    expect([reset.status, reset.contentLength, reset.ending]).toEqual([200, size, "reset"])
    expect(reset.bodyBytes).toBeLessThanOrEqual(50_000)

    sim.injectFileFault({ kind: "truncated", count: 1, afterBytes: 70_000 })
    expect(await rawGet(url)).toEqual({ status: 200, contentLength: size, bodyBytes: 70_000, ending: "closed" })
    sim.injectFileFault({ kind: "truncated", count: 1 })
    expect((await rawGet(url)).bodyBytes).toBe(Math.floor(size / 2))

    sim.injectFileFault({ kind: "stall", count: 1, afterBytes: 30_000, stallMs: 60_000 })
    expect(await rawGet(url, 800)).toEqual({ status: 200, contentLength: size, bodyBytes: 30_000, ending: "open" })
    sim.injectFileFault({ kind: "stall", count: 1, afterBytes: 1_000, stallMs: 300 })
    expect(await rawGet(url)).toEqual({ status: 200, contentLength: size, bodyBytes: size, ending: "closed" })

    expect(await rawGet(url)).toEqual({ status: 200, contentLength: size, bodyBytes: size, ending: "closed" })
  })

  it("aim at one path or one photo only, when told; HEAD and 404s leave body faults for the next body", async () => {
    const sim = await start({ photos: 30, seed: 6 })
    const [one, two] = photosOf(sim, "jpg").map((p) => String(p.url_o))
    const idOfTwo = /\/(\d+)_/.exec(two!)![1]!
    sim.injectFileFault({ kind: "http503", count: 1, path: new URL(one!).pathname })
    expect((await get(two!)).status).toBe(200)
    expect((await get(one!)).status).toBe(503)
    sim.injectFileFault({ kind: "truncated", count: 1, photoId: idOfTwo })
    expect((await rawGet(one!)).ending).toBe("closed")
    await get(two!, {}, "HEAD")
    await get(`${sim.fileHost}/static/missing.jpg`)
    const cut = await rawGet(two!)
    expect(cut.bodyBytes).toBeLessThan(cut.contentLength!)
  })

  it("come through /__sim/file-fault, decoded: a bad fault is a 400 naming what is wrong", async () => {
    const sim = await start({ photos: 30, seed: 6 })
    const url = String(photosOf(sim, "jpg")[0]!.url_o)
    const fault: FileFault = { kind: "http429", count: 1, retryAfterSeconds: 3 }
    expect((await control(sim, "file-fault", fault)).status).toBe(200)
    expect((await get(url)).headers.get("retry-after")).toBe("3")
    for (const bad of [{ kind: "reset", count: 1 }, { kind: "meltdown", count: 1 }, { kind: "stall", count: -1, afterBytes: 5 }]) {
      const answer = await control(sim, "file-fault", bad)
      expect(answer.status, JSON.stringify(bad)).toBe(400)
      expect(String(answer.body.error)).not.toBe("")
    }
  })
})

describe("control endpoints for files", () => {
  it("replace, original-bytes and original work from another process; unknown photos are refused", async () => {
    const sim = await start({ photos: 40, seed: 6 })
    const item = photosOf(sim, "jpg")[0]!
    const id = String(item.id)
    const original = await control(sim, `original?id=${id}`)
    expect(original.status).toBe(200)
    expect(original.body.url).toBe(item.url_o)
    expect((await control(sim, "original-bytes", { id, bytes: 5_000_000 })).status).toBe(200)
    expect((await get(String(item.url_o), {}, "HEAD")).headers.get("content-length")).toBe("5000000")
    expect((await control(sim, "replace", { id })).status).toBe(200)
    expect((await get(String(item.url_o))).status).toBe(404)
    expect((await control(sim, `original?id=${id}`)).body.url).toBe(sim.photo(id)!.url_o)
    expect((await control(sim, "replace", { id: "123" })).status).toBe(400)
    expect((await control(sim, "original-bytes", { id, bytes: "big" })).status).toBe(400)
    expect((await control(sim, "original?id=123")).status).toBe(404)
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { collecting, describeProgress, make, Reporter } from "../../../src/services/terminal/Reporter.js"

describe("describeProgress", () => {
  it("shows done/total, the percentage, the rate and the ETA", () => {
    expect(describeProgress({ label: "Listing", done: 250, total: 1_000, unit: "photos" }, 10_000)).toBe(
      "Listing: 250/1,000 photos (25%), 25 photos/s, ETA 30s"
    )
  })

  it("writes ETAs in minutes and hours and rounds the percentage down", () => {
    expect(describeProgress({ label: "Listing", done: 1_500, total: 4_000, unit: "photos" }, 60_000)).toBe(
      "Listing: 1,500/4,000 photos (37%), 25 photos/s, ETA 1m40s"
    )
    expect(describeProgress({ label: "Listing", done: 1_500, total: 100_000, unit: "photos" }, 60_000)).toBe(
      "Listing: 1,500/100,000 photos (1%), 25 photos/s, ETA 1h05m"
    )
  })

  it("shows no rate in the first second; past the total (overlapping pages) it shows the total, done", () => {
    expect(describeProgress({ label: "Pages", done: 0, total: 10, unit: "pages" }, 0)).toBe("Pages: 0/10 pages (0%)")
    expect(describeProgress({ label: "Pages", done: 3, unit: "pages" }, 999)).toBe("Pages: 3 pages")
    expect(describeProgress({ label: "Pages", done: 0, total: 10, unit: "pages" }, 1_000)).toBe(
      "Pages: 0/10 pages (0%), 0 pages/s, ETA ?"
    )
    expect(describeProgress({ label: "Listing", done: 12, total: 10, unit: "photos" }, 1_000)).toBe(
      "Listing: 10/10 photos (100%), 12 photos/s, ETA 0s"
    )
  })

  it("shows counts and rate only while the total is unknown", () => {
    expect(describeProgress({ label: "Listing", done: 12_345, unit: "photos" }, 5_000)).toBe(
      "Listing: 12,345 photos, 2,469 photos/s"
    )
    expect(describeProgress({ label: "Listing", done: 3, total: 0, unit: "photos" }, 1_000)).toBe(
      "Listing: 3 photos, 3 photos/s"
    )
  })
})

describe("Reporter.make", () => {
  const capture = () => {
    const stderr: Array<string> = []
    const stdout: Array<string> = []
    return { stderr, stdout, write: (t: string) => void stderr.push(t), writeResult: (t: string) => void stdout.push(t) }
  }

  it.effect("quiet prints nothing for notes, progress and results, but prints warnings", () =>
    Effect.gen(function*() {
      const out = capture()
      const reporter = make("quiet", out.write, out.writeResult)
      yield* reporter.note("Listing 3 windows")
      yield* reporter.progress({ label: "Listing", done: 10, total: 10, unit: "photos" })
      yield* reporter.endProgress
      yield* reporter.result("Backed up 10 photos")
      expect(out.stderr).toEqual([])
      expect(out.stdout).toEqual([])
      yield* reporter.warn("3 photos could not be read")
      expect(out.stderr).toEqual(["warning: 3 photos could not be read\n"])
      expect(out.stdout).toEqual([])
    }))

  it.effect("lines mode: notes and warnings on stderr, results on stdout, progress throttled but the end shown", () =>
    Effect.gen(function*() {
      const out = capture()
      const reporter = make("lines", out.write, out.writeResult)
      yield* reporter.note("Listing 3 windows")
      yield* reporter.progress({ label: "Listing", done: 1, total: 10, unit: "photos" })
      // Within five seconds of the last line: not shown.
      yield* reporter.progress({ label: "Listing", done: 2, total: 10, unit: "photos" })
      // Finished: always shown.
      yield* reporter.progress({ label: "Listing", done: 10, total: 10, unit: "photos" })
      yield* reporter.endProgress
      yield* reporter.result("Backed up 10 photos")
      yield* reporter.warn("careful")

      expect(out.stderr).toHaveLength(4)
      expect(out.stderr[0]).toBe("Listing 3 windows\n")
      expect(out.stderr[1]).toBe("Listing: 1/10 photos (10%)\n")
      expect(out.stderr[2]).toBe("Listing: 10/10 photos (100%)\n")
      expect(out.stderr[3]).toBe("warning: careful\n")
      expect(out.stdout).toEqual(["Backed up 10 photos\n"])
    }))

  it.effect("a new label (photos, then albums) starts its own line at once, timed afresh", () =>
    Effect.gen(function*() {
      const out = capture()
      const reporter = make("lines", out.write, out.writeResult)
      yield* reporter.progress({ label: "Listing", done: 1, total: 10, unit: "photos" })
      yield* reporter.progress({ label: "Albums", done: 1, total: 5, unit: "albums" })
      yield* reporter.progress({ label: "Albums", done: 2, total: 5, unit: "albums" })
      expect(out.stderr).toEqual(["Listing: 1/10 photos (10%)\n", "Albums: 1/5 albums (20%)\n"])
    }))

  it.effect("tty mode draws one bar in place and clears it before a note", () =>
    Effect.gen(function*() {
      const out = capture()
      const reporter = make("tty", out.write, out.writeResult)
      yield* reporter.progress({ label: "Listing", done: 5, total: 10, unit: "photos" })
      expect(out.stderr).toHaveLength(1)
      // eslint-disable-next-line no-control-regex -- the terminal escape that clears the line is the point
      expect(out.stderr[0]).toMatch(/^\r\x1b\[2K\[############------------\] Listing: 5\/10 photos \(50%\)/)
      expect(out.stderr[0]).not.toContain("\n")
      yield* reporter.note("waiting")
      expect(out.stderr.slice(1)).toEqual(["\r\x1b[2K", "waiting\n"])
      yield* reporter.progress({ label: "Listing", done: 10, total: 10, unit: "photos" })
      expect(out.stderr[3]).toContain("[########################] Listing: 10/10 photos (100%)")
      yield* reporter.endProgress
      expect(out.stderr[4]).toBe("\n")
      yield* reporter.endProgress
      expect(out.stderr).toHaveLength(5)
    }))
})

describe("collecting", () => {
  it.effect("collects notes, results and warnings in order", () => {
    const lines: Array<string> = []
    return Effect.gen(function*() {
      const reporter = yield* Reporter
      yield* reporter.note("a")
      yield* reporter.result("b")
      yield* reporter.warn("c")
      expect(lines).toEqual(["a\n", "b\n", "warning: c\n"])
    }).pipe(Effect.provide(collecting(lines)))
  })
})

describe("Reporter.make: summaries", () => {
  const line = (record: { readonly n: number }) => `Part: ${record.n}`

  it.effect("without --json a summary is its line, on stdout, and flush prints nothing", () =>
    Effect.gen(function*() {
      const stderr: Array<string> = []
      const stdout: Array<string> = []
      const reporter = make("lines", (t) => void stderr.push(t), (t) => void stdout.push(t))
      yield* reporter.summary("part", { n: 1 }, line)
      yield* reporter.flush
      expect(stdout).toEqual(["Part: 1\n"])
      expect(stderr).toEqual([])
    }))

  it.effect("with --json the summaries are one object on stdout at flush, printed once; results and outputs go to stderr", () =>
    Effect.gen(function*() {
      const stderr: Array<string> = []
      const stdout: Array<string> = []
      const reporter = make("lines", (t) => void stderr.push(t), (t) => void stdout.push(t), true)
      yield* reporter.result("Albums: 3")
      yield* reporter.output("missing: a.jpg")
      yield* reporter.summary("files", { n: 1 }, line)
      yield* reporter.summary("folders", { n: 2 }, line)
      expect(stdout).toEqual([])
      yield* reporter.flush
      yield* reporter.flush
      expect(stdout.length).toBe(1)
      expect(JSON.parse(stdout[0]!)).toEqual({ files: { n: 1 }, folders: { n: 2 } })
      expect(stderr).toEqual(["Albums: 3\n", "missing: a.jpg\n"])
    }))

  it.effect("with --json and no summary (a run refused before it began) flush prints nothing", () =>
    Effect.gen(function*() {
      const stdout: Array<string> = []
      const reporter = make("quiet", () => {}, (t) => void stdout.push(t), true)
      yield* reporter.flush
      expect(stdout).toEqual([])
    }))
})

// The copy-out benchmark: `fbk copy-out` of 1,000 JPEGs of about 2 MB (a generated home: records,
// albums, tags, and a file for each photo) against `cp` of the same files, then an idle rerun, and
// where the time goes: ExifTool alone writing the same copies. Run alone: `node dist/bench/copyOut.js`.
import Database from "better-sqlite3"
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { ExifTool, ExifToolTask } from "exiftool-vendored"
import { writeArgs } from "../src/services/files/MetadataWriter.js"
import { type Measured, runFbk } from "./harness.js"
import { benchJpegs } from "./thumbnails.js"
import { makeViewerHome } from "./viewerHome.js"

export const COPY_OUT_BENCH = { photos: Number(process.env.BENCH_COPYOUT_FILES ?? 1000), target: 2 }

const ROUNDS = 2

const run = (command: string, args: ReadonlyArray<string>) =>
  new Promise<number>((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] })
    child.once("error", reject)
    child.once("exit", (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${command} exited with ${code}`))))
  })

/** A home of `photos` generated records whose every photo has one of the bench JPEGs as its original. */
const makeHome = async (home: string, photos: number) => {
  await makeViewerHome(home, photos)
  const jpegs = await benchJpegs(Math.min(photos, 200))
  const store = path.join(home, "files")
  const db = new Database(path.join(home, "flickr_backup.sqlite"))
  try {
    const ids = (db.prepare("SELECT id FROM photos ORDER BY id").all() as Array<{ id: string }>).map((r) => r.id)
    const hashes = new Map(jpegs.map((j) => [j, createHash("sha256").update(fs.readFileSync(j)).digest("hex")]))
    db.prepare("INSERT INTO file_store (id, destination, links, created_at) VALUES (1, ?, 'symlink', 0)").run(store)
    const insert = db.prepare(`INSERT INTO files (photo_id, role, path, bytes, sha256, source_url, fetched_at, verified_at)
                               VALUES (?, 'original', ?, ?, ?, 'bench', 0, 0)`)
    db.exec("BEGIN")
    {
      for (const [i, id] of ids.entries()) {
        const jpeg = jpegs[i % jpegs.length]!
        const relative = path.join("originals", id.slice(-2), `${id}.jpg`)
        fs.mkdirSync(path.dirname(path.join(store, relative)), { recursive: true })
        // Copies, not links: each original is a file of its own, as after `fbk download`.
        fs.copyFileSync(jpeg, path.join(store, relative))
        insert.run(id, relative, fs.statSync(jpeg).size, hashes.get(jpeg))
      }
    }
    db.exec("COMMIT")
  } finally {
    db.close()
  }
  return path.join(store, "originals")
}

export interface CopyOutFigures {
  readonly files: number
  readonly meanBytes: number
  readonly seconds: number
  readonly cpuSeconds: number
  readonly cpSeconds: number
  readonly ratio: number
  readonly idle: Measured
  /** ExifTool alone (one `-o` command a file, stay-open, as fbk drives it) writing every copy with the same XMP: its share of the time. */
  readonly exiftoolSeconds: number
}

export const benchCopyOut = async (): Promise<CopyOutFigures> => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "fbk-bench-copyout-"))
  try {
    const home = path.join(root, "home")
    fs.mkdirSync(home)
    const originals = await makeHome(home, COPY_OUT_BENCH.photos)
    const env = { FBK_HOME: home }
    const files = fs.readdirSync(originals, { recursive: true }).map(String).filter((f) => f.endsWith(".jpg"))
    const meanBytes = files.reduce((sum, f) => sum + fs.statSync(path.join(originals, f)).size, 0) / files.length
    // Once through first, so both read the originals from the page cache; then each the best of ROUNDS, in turns.
    await run("cp", ["-r", originals, path.join(root, "warm")])
    let cpSeconds = Infinity
    let best: Measured | undefined
    for (let round = 0; round < ROUNDS; round++) {
      for (const dir of ["cp", "out"]) fs.rmSync(path.join(root, dir), { recursive: true, force: true })
      cpSeconds = Math.min(cpSeconds, await run("cp", ["-r", originals, path.join(root, "cp")]))
      const ours = await runFbk(["copy-out", path.join(root, "out"), "-q"], env)
      if (best === undefined || ours.seconds < best.seconds) best = ours
    }
    const idle = await runFbk(["copy-out", path.join(root, "out"), "-q"], env)
    const exiftoolSeconds = await exiftoolAlone(root, originals, files)
    return {
      files: files.length, meanBytes, seconds: best!.seconds, cpuSeconds: best!.cpuSeconds, cpSeconds,
      ratio: best!.seconds / cpSeconds, idle, exiftoolSeconds
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

class RawTask extends ExifToolTask<void> {
  protected parse(_output: string, error?: Error): void {
    if (error !== undefined) throw error
  }
}

/** ExifTool's own cost: the same `-o` writes, two stay-open processes, no fbk around them. */
const exiftoolAlone = async (root: string, originals: string, files: ReadonlyArray<string>) => {
  const xmp = path.join(root, "bench.xmp")
  fs.writeFileSync(xmp, "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
    "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
    "Bench</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>")
  const out = path.join(root, "exiftool")
  fs.mkdirSync(out)
  const tool = new ExifTool({ maxProcs: 2 })
  try {
    await tool.version()
    const started = performance.now()
    await Promise.all(files.map((f, i) =>
      tool.enqueueTask(() =>
        new RawTask(writeArgs({ source: path.join(originals, f), target: path.join(out, `${i}.jpg`), xmpFile: xmp, kind: "jpeg", withoutLocation: false })))))
    return (performance.now() - started) / 1000
  } finally {
    await tool.end()
  }
}

export const copyOutReport = (c: CopyOutFigures, check: (ok: boolean) => string): ReadonlyArray<string> => [
  `fbk copy-out of ${c.files.toLocaleString("en-US")} JPEGs of ${(c.meanBytes / 1e6).toFixed(1)} MB (a generated home) against cp -r of the same files:`,
  `  fbk ${c.seconds.toFixed(2)} s (CPU ${c.cpuSeconds.toFixed(2)} s with ExifTool's, ${(c.seconds * 1000 / c.files).toFixed(1)} ms a file), ` +
  `cp ${c.cpSeconds.toFixed(2)} s, ratio ${c.ratio.toFixed(2)} (target <= ${COPY_OUT_BENCH.target}: ${check(c.ratio <= COPY_OUT_BENCH.target)})`,
  `  ExifTool alone writing the same copies (two processes): ${c.exiftoolSeconds.toFixed(2)} s; ` +
  `again with nothing to copy: ${c.idle.seconds.toFixed(2)} s (CPU ${c.idle.cpuSeconds.toFixed(2)} s)`,
  ""
]

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  benchCopyOut().then(
    (figures) => process.stdout.write(`${copyOutReport(figures, (ok) => (ok ? "ok" : "MISSED")).join("\n")}\n`),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exit(1)
    }
  )
}

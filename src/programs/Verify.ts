// `fbk verify [--repair]`: every recorded file read back and hashed; files missing or altered
// on disk are listed and the run fails. `--repair` sets altered files aside and fetches both again.
import { FileSystem } from "@effect/platform"
import { Effect, Option } from "effect"
import * as path from "node:path"
import { FileReadError, FilesDamaged, FileWriteError } from "../schema/Files.js"
import { hashFile } from "../services/files/FileHash.js"
import { FileRepository, type StoredFile } from "../services/database/FileRepository.js"
import { counted, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { RunLock } from "../services/database/RunLock.js"
import { download, type DownloadOptions } from "./Download.js"
import { nowSeconds } from "./sync/SyncRun.js"

const PAGE = 500
/** Files hashed at once: reading is the cost, and two disks' worth of reads is plenty. */
const HASH_CONCURRENCY = 2

type Finding = { readonly file: StoredFile; readonly state: "ok" | "missing" | "altered"; readonly detail: string }

/** Reads `file` back and compares its size and hash with what was recorded. */
const check = (fs: FileSystem.FileSystem, destination: string, file: StoredFile) =>
  Effect.gen(function*() {
    const full = path.join(destination, file.path)
    const info = yield* fs.stat(full).pipe(Effect.option)
    if (Option.isNone(info) || info.value.type !== "File") return { file, state: "missing", detail: "not on disk" } satisfies Finding
    const { bytes, sha256 } = yield* hashFile(full).pipe(
      Effect.mapError((e) => new FileReadError({ path: full, reason: e.message, cause: e }))
    )
    if (bytes === file.bytes && sha256 === file.sha256) return { file, state: "ok", detail: "" } satisfies Finding
    return {
      file,
      state: "altered",
      detail: bytes === file.bytes ? "other bytes of the same size" : `${formatCount(bytes)} bytes, ${formatCount(file.bytes)} recorded`
    } satisfies Finding
  })

const verifyAll = Effect.gen(function*() {
  const files = yield* FileRepository
  const reporter = yield* Reporter
  const fs = yield* FileSystem.FileSystem
  const destination = yield* files.destination
  if (Option.isNone(destination)) {
    yield* reporter.result("Verify: no file has been fetched yet (`fbk download` fetches them)")
    return { checked: 0, bad: [] as ReadonlyArray<Finding> }
  }
  const { files: total, replaced } = yield* files.summary
  const bad: Array<Finding> = []
  let checked = 0
  let after = 0
  for (;;) {
    const page = yield* files.filesAfter(after, PAGE)
    if (page.length === 0) break
    after = page[page.length - 1]!.id
    const findings = yield* Effect.forEach(page, (file) => check(fs, destination.value, file), { concurrency: HASH_CONCURRENCY })
    yield* files.markVerified(findings.filter((f) => f.state === "ok").map((f) => f.file.id), yield* nowSeconds)
    for (const finding of findings) {
      if (finding.state === "ok") continue
      bad.push(finding)
      yield* reporter.output(`${finding.state}: ${finding.file.path} (photo ${finding.file.photo_id}; ${finding.detail})`)
    }
    checked += page.length
    yield* reporter.progress({ label: "Verifying", done: checked, total: total + replaced, unit: "files" })
  }
  yield* reporter.endProgress
  return { checked, bad: bad as ReadonlyArray<Finding> }
})

/** Moves an altered file aside (never deleting what is on disk) and forgets it, so it is fetched again. */
const setAside = (destination: string, findings: ReadonlyArray<Finding>) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const files = yield* FileRepository
    const stamp = new Date((yield* nowSeconds) * 1000).toISOString().slice(0, 10)
    for (const { file, state } of findings) {
      // A replaced original's old URL is gone from Flickr: it stays where it is, reported.
      if (state !== "altered" || file.role === "replaced") continue
      const full = path.join(destination, file.path)
      const { dir, ext, name } = path.parse(full)
      const aside = path.join(dir, `${name}.altered-${stamp}-${file.id}${ext}`)
      yield* fs.rename(full, aside).pipe(
        Effect.mapError((e) => new FileWriteError({ path: full, reason: `cannot be set aside (${e.message})`, cause: e }))
      )
    }
    yield* files.forget(findings.filter((f) => f.file.role !== "replaced").map((f) => f.file.id))
  })

export const verify = (options: { readonly repair: boolean; readonly download: DownloadOptions }) =>
  Effect.flatMap(RunLock, (lock) =>
    lock.exclusive("verify")(
      Effect.gen(function*() {
        const reporter = yield* Reporter
        const { bad, checked } = yield* verifyAll
        const missing = bad.filter((f) => f.state === "missing").length
        const altered = bad.length - missing
        yield* reporter.result(
          `Verify: ${counted(checked, "file")} read back; ${formatCount(missing)} missing, ${formatCount(altered)} altered`
        )
        if (bad.length === 0) return { checked, missing, altered }
        if (!options.repair) return yield* new FilesDamaged({ missing, altered, repaired: false })
        const destination = Option.getOrElse(yield* (yield* FileRepository).destination, () => "")
        yield* setAside(destination, bad)
        yield* download(options.download)
        const unrepairable = bad.filter((f) => f.file.role === "replaced").length +
          (yield* (yield* FileRepository).countWithoutFile(bad.filter((f) => f.file.role !== "replaced").map((f) => f.file.photo_id)))
        if (unrepairable > 0) return yield* new FilesDamaged({ missing, altered, repaired: true })
        return { checked, missing, altered }
      })
    ))

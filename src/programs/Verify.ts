// `fbk verify [--repair]`: every recorded file read back and hashed; files missing, altered or
// unreadable on disk are listed and the run fails. `--repair` sets altered files aside and fetches both again.
import { Data, Effect, Match, Option, Stream } from "effect"
import * as path from "node:path"
import { FileReadError, FilesDamaged } from "../schema/Files.js"
import { trackedAs } from "../services/database/CommandRunRepository.js"
import { FileRepository, type StoredFile } from "../services/database/FileRepository.js"
import { keysetPages } from "../services/database/KeysetPages.js"
import { RunLock } from "../services/database/RunLock.js"
import { FileStore } from "../services/files/FileStore.js"
import { counted, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { download, type DownloadOptions } from "./Download.js"
import { downloadPlan } from "./download/DryRun.js"
import { reportDryRun } from "./download/DryRunReport.js"
import { refetch, SAMPLE_SIZE } from "./download/FetchPlan.js"
import { nowSeconds } from "./sync/SyncRun.js"

const PAGE = 500
/** Files hashed at once: reading is the cost, and two disks' worth of reads is plenty. */
const HASH_CONCURRENCY = 2

/** What reading one recorded file back found. */
export type Finding = Data.TaggedEnum<{
  Ok: { readonly file: StoredFile }
  Missing: { readonly file: StoredFile }
  Altered: { readonly file: StoredFile; readonly detail: string }
  /**
   * There, but it cannot be read (permissions, a failing disk): its record is kept and it is not
   * fetched again, as its bytes may well be intact once the disk or the permissions are put right.
   */
  Unreadable: { readonly file: StoredFile; readonly error: FileReadError }
}>
export const Finding = Data.taggedEnum<Finding>()

/** The line a finding that is not ok gets in the report. */
const findingLine = (finding: Finding): string =>
  `${finding._tag.toLowerCase()}: ${finding.file.path} (photo ${finding.file.photo_id}; ${findingDetail(finding)})`

const findingDetail = (finding: Finding): string =>
  Match.valueTags(finding, {
    Ok: () => "as recorded",
    Missing: () => "not on disk",
    Altered: ({ detail }) => detail,
    Unreadable: ({ error }) => error.reason
  })

/** Verify's summary: its --json record, from which its line is made. */
export interface VerifySummary {
  readonly checked: number
  readonly missing: number
  readonly altered: number
  readonly unreadable: number
  /** Every file that is not as recorded. */
  readonly findings: ReadonlyArray<{ readonly finding: string; readonly path: string; readonly photo_id: string; readonly detail: string }>
}

const verifyLine = (summary: VerifySummary): string =>
  `Verify: ${counted(summary.checked, "file")} read back; ${formatCount(summary.missing)} missing, ${formatCount(summary.altered)} altered` +
  (summary.unreadable > 0 ? `, ${formatCount(summary.unreadable)} unreadable` : "")

const verifySummary = (checked: number, bad: ReadonlyArray<Finding>): VerifySummary => ({
  checked,
  ...countFindings(bad),
  findings: bad.map((finding) => ({
    finding: finding._tag.toLowerCase(),
    path: finding.file.path,
    photo_id: finding.file.photo_id,
    detail: findingDetail(finding)
  }))
})

/** Reads `file` back from the store at `destination` and compares its size and hash with what was recorded. */
const check = (store: FileStore, destination: string) => (file: StoredFile) =>
  store.readBack(path.join(destination, file.path)).pipe(
    Effect.map(Option.match({
      onNone: () => Finding.Missing({ file }),
      onSome: ({ bytes, sha256 }): Finding =>
        bytes === file.bytes && sha256 === file.sha256
          ? Finding.Ok({ file })
          : Finding.Altered({
            file,
            detail: bytes === file.bytes ? "other bytes of the same size" : `${formatCount(bytes)} bytes, ${formatCount(file.bytes)} recorded`
          })
    })),
    Effect.catchTag("FileReadError", (error) => Effect.succeed(Finding.Unreadable({ file, error })))
  )

/** Every recorded file checked, in keyset pages, the ok ones marked verified (unless `mark` is false); the others listed and returned. */
const verifyAll = (destination: string, mark = true) =>
  Effect.gen(function*() {
    const files = yield* FileRepository
    const reporter = yield* Reporter
    const store = yield* FileStore
    const { files: total, posters, replaced } = yield* files.summary
    let checked = 0
    const bad = yield* keysetPages((after: number | null) => files.filesAfter(after ?? 0, PAGE), (file) => file.id).pipe(
      Stream.mapEffect(check(store, destination), { concurrency: HASH_CONCURRENCY }),
      Stream.grouped(PAGE),
      Stream.mapEffect((chunk) =>
        Effect.gen(function*() {
          const findings = [...chunk]
          if (mark) yield* files.markVerified(findings.filter(Finding.$is("Ok")).map((f) => f.file.id), yield* nowSeconds)
          const notOk = findings.filter((f) => !Finding.$is("Ok")(f))
          for (const finding of notOk) yield* reporter.output(findingLine(finding))
          checked += findings.length
          yield* reporter.progress({ label: "Verifying", done: checked, total: total + replaced + posters, unit: "files" })
          return notOk
        })
      ),
      Stream.runFold([] as ReadonlyArray<Finding>, (all, some) => [...all, ...some])
    )
    yield* reporter.endProgress
    return { checked, bad }
  })

/** How many findings of each kind that is not ok. */
export const countFindings = (findings: ReadonlyArray<Finding>) => ({
  missing: findings.filter(Finding.$is("Missing")).length,
  altered: findings.filter(Finding.$is("Altered")).length,
  unreadable: findings.filter(Finding.$is("Unreadable")).length
})

/**
 * Moves altered files aside (never deleting what is on disk) and forgets them and the missing
 * ones, so they are fetched again. A replaced original's old URL is gone from Flickr: it stays
 * where it is, reported; an unreadable file keeps its record.
 */
const setAside = (destination: string, findings: ReadonlyArray<Finding>) =>
  Effect.gen(function*() {
    const store = yield* FileStore
    const stamp = yield* asideStamp
    const repairable = repairableOf(findings)
    for (const { file } of repairable.filter(Finding.$is("Altered"))) {
      yield* store.setAside(path.join(destination, file.path), path.join(destination, asidePath(file, stamp)))
    }
    yield* (yield* FileRepository).forget(repairable.map((f) => f.file.id))
    return repairable
  })

/** What a repair fetches again: the missing and altered files, but a replaced original's (its old URL is gone from Flickr). */
const repairableOf = (findings: ReadonlyArray<Finding>) =>
  findings.filter((f): f is Extract<Finding, { _tag: "Missing" | "Altered" }> =>
    (Finding.$is("Missing")(f) || Finding.$is("Altered")(f)) && f.file.role !== "replaced"
  )

const asideStamp = Effect.map(nowSeconds, (now) => new Date(now * 1000).toISOString().slice(0, 10))

/** Where an altered file is set aside, relative to the store: beside it, dated, with its row's id. */
const asidePath = (file: StoredFile, stamp: string): string => {
  const { dir, ext, name } = path.parse(file.path)
  return path.join(dir, `${name}.altered-${stamp}-${file.id}${ext}`)
}

/**
 * `verify --repair --dry-run`: the files read back (none marked verified), then what the repair
 * would set aside, forget and fetch again, and the download after it; no lock, nothing written.
 */
const repairDryRun = (destination: string, options: DownloadOptions) =>
  Effect.gen(function*() {
    const { bad, checked } = yield* verifyAll(destination, false)
    yield* (yield* Reporter).summary("verify", verifySummary(checked, bad), verifyLine)
    const repairable = repairableOf(bad)
    const stamp = yield* asideStamp
    const asides = repairable.filter(Finding.$is("Altered")).map(({ file }) => ({ path: file.path, to: asidePath(file, stamp) }))
    const plan = yield* downloadPlan(options, repairable.map((f) => refetch(f.file, f._tag === "Missing" ? "missing" : "altered")))
    const first = asides.slice(0, SAMPLE_SIZE)
    yield* reportDryRun({ ...plan, command: "verify --repair", set_aside: { count: asides.length, first }, rows_forgotten: repairable.length })
    return { checked, ...countFindings(bad) }
  })

/** Repairs what can be, by setting aside and fetching again; fails when anything is left unrepaired. */
const repair = (destination: string, bad: ReadonlyArray<Finding>, options: DownloadOptions) =>
  Effect.gen(function*() {
    const repairable = yield* setAside(destination, bad)
    yield* download(options)
    const { altered, missing, unreadable } = countFindings(bad)
    const unfetched = yield* (yield* FileRepository).countWithoutFile(repairable.map((f) => f.file.photo_id))
    if (unreadable > 0) return yield* unreadableError(bad, unreadable)
    if (unfetched + bad.length - repairable.length > 0) return yield* new FilesDamaged({ missing, altered, unreadable, repaired: true })
  })

/** The first unreadable file's error, saying how many more are listed. */
const unreadableError = (bad: ReadonlyArray<Finding>, unreadable: number) => {
  const { error } = bad.find(Finding.$is("Unreadable"))!
  return unreadable === 1 ? error : new FileReadError({ path: error.path, reason: `${error.reason}; ${formatCount(unreadable)} unreadable files listed above`, cause: error.cause })
}

/** The store's folder; none (said so) when no file was fetched yet. */
const locatedOrSaid = Effect.gen(function*() {
  const destination = yield* (yield* FileStore).located
  if (Option.isNone(destination)) {
    yield* (yield* Reporter).summary("verify", verifySummary(0, []), () => "Verify: no file has been fetched yet (`fbk download` fetches them)")
  }
  return destination
})

const dryRun = (options: DownloadOptions) =>
  Effect.flatMap(locatedOrSaid, Option.match({
    onNone: () => Effect.succeed({ checked: 0, missing: 0, altered: 0, unreadable: 0 }),
    onSome: (destination) => repairDryRun(destination, options)
  }))

export const verify = (options: { readonly repair: boolean; readonly dryRun?: boolean; readonly download: DownloadOptions }) =>
  options.dryRun === true ? dryRun(options.download) : Effect.flatMap(RunLock, (lock) =>
    lock.exclusive("verify")(
      Effect.gen(function*() {
        const reporter = yield* Reporter
        const destination = yield* locatedOrSaid
        if (Option.isNone(destination)) return { checked: 0, missing: 0, altered: 0 }
        const { bad, checked } = yield* verifyAll(destination.value)
        const { altered, missing, unreadable } = countFindings(bad)
        yield* reporter.summary("verify", verifySummary(checked, bad), verifyLine)
        if (bad.length === 0) return { checked, missing, altered }
        if (options.repair) yield* repair(destination.value, bad, options.download)
        else if (missing + altered > 0) return yield* new FilesDamaged({ missing, altered, unreadable, repaired: false })
        else return yield* unreadableError(bad, unreadable)
        return { checked, missing, altered }
      }).pipe(trackedAs("verify"))
    ))

// The XMP sidecar beside each original kept in step with the database: rendered for every current
// file under originals/, written only when its bytes would change, never over a file fbk did not write.
import { FileSystem } from "@effect/platform"
import { Effect, Option, Stream } from "effect"
import * as path from "node:path"
import { FileRepository } from "../../services/database/FileRepository.js"
import { keysetPages } from "../../services/database/KeysetPages.js"
import { SidecarFileRepository, type SidecarTarget, type WrittenSidecar } from "../../services/database/SidecarFileRepository.js"
import { syncDirectory } from "../../services/files/StoreWrites.js"
import { counted, formatCount, Reporter } from "../../services/terminal/Reporter.js"
import { nowSeconds } from "../sync/SyncRun.js"
import { existsOnDisk, hashOnDisk, removeFile, removeLeftoverParts, sha256Of, writeAtomically } from "./SidecarFiles.js"
import { loadSidecarBatch, SIDECAR_BATCH, type SidecarRecord } from "./SidecarRecord.js"
import { renderXmp, type XmpOptions } from "./XmpSidecar.js"

/** The store's sidecars: every location kept (they stay on the owner's disk), the title in its own field. */
export const STORE_XMP: XmpOptions = { gps: true, titleInDescription: false }

export interface SidecarTally {
  readonly written: number
  readonly unchanged: number
  /** Files at a sidecar's name that fbk did not write, or that changed since: left alone. */
  readonly notOurs: number
  readonly firstNotOurs: string | null
}

/** Sidecars rendered and written at once. */
const WRITE_CONCURRENCY = 8

const NO_TALLY: SidecarTally = { written: 0, unchanged: 0, notOurs: 0, firstNotOurs: null }

type Outcome =
  | { readonly kind: "unchanged" }
  | { readonly kind: "written"; readonly row: WrittenSidecar }
  | { readonly kind: "not ours"; readonly path: string; readonly forget: boolean }

const encoder = new TextEncoder()

/** One photo's sidecar: left as it is, written (or found written by a run killed before recording it), or not ours. */
const keepOne = (fs: FileSystem.FileSystem, destination: string, target: SidecarTarget, record: SidecarRecord) =>
  Effect.gen(function*() {
    const relative = `${target.file_path}.xmp`
    const at = path.join(destination, relative)
    const bytes = encoder.encode(renderXmp(record, STORE_XMP))
    const sha256 = sha256Of(bytes)
    const row: WrittenSidecar = { photo_id: target.photo_id, path: relative, sha256 }
    // The original moved (its date taken changed): fbk's sidecar at the old name goes with it.
    if (target.sidecar_path !== null && target.sidecar_path !== relative) {
      const old = path.join(destination, target.sidecar_path)
      if (Option.getOrNull(yield* hashOnDisk(fs, old)) === target.sha256) yield* removeFile(fs, old)
    }
    const ours = target.sidecar_path === relative ? target.sha256 : null
    if (ours === sha256 && (yield* existsOnDisk(fs, at))) return { kind: "unchanged" } as const
    const found = Option.getOrNull(yield* hashOnDisk(fs, at))
    if (found === sha256) return { kind: "written", row } as const
    if (found !== null && found !== ours) return { kind: "not ours", path: relative, forget: target.sidecar_path !== null } as const
    // An original gone from disk (`fbk verify` reports it) gets no sidecar until it is back.
    if (!(yield* existsOnDisk(fs, path.join(destination, target.file_path)))) return null
    yield* writeAtomically(fs, at, bytes)
    return { kind: "written", row } as const
  })

/** A page of targets: rendered, written where they changed, folders synced, then recorded. */
const keepBatch = (fs: FileSystem.FileSystem, destination: string, targets: ReadonlyArray<SidecarTarget>, tally: SidecarTally) =>
  Effect.gen(function*() {
    const records = new Map((yield* loadSidecarBatch(targets.map((t) => t.photo_id))).map((r) => [r.id, r]))
    // Several at once: a first run's cost is one fsync a file, which a disk serves better side by side.
    const outcomes: ReadonlyArray<Outcome | null> = yield* Effect.forEach(targets, (target) => {
      const record = records.get(target.photo_id)
      return record === undefined ? Effect.succeed(null) : keepOne(fs, destination, target, record)
    }, { concurrency: WRITE_CONCURRENCY })
    const written = outcomes.flatMap((o) => (o?.kind === "written" ? [o.row] : []))
    const folders = new Set(written.map((w) => path.dirname(path.join(destination, w.path))))
    yield* Effect.forEach(folders, (folder) => syncDirectory(fs, folder), { discard: true })
    const repository = yield* SidecarFileRepository
    yield* repository.record(written, yield* nowSeconds)
    yield* repository.forget(targets.filter((_, i) => {
      const o = outcomes[i]
      return o?.kind === "not ours" && o.forget
    }).map((t) => t.photo_id))
    const notOurs = outcomes.flatMap((o) => (o?.kind === "not ours" ? [o.path] : []))
    return {
      written: tally.written + written.length,
      unchanged: tally.unchanged + outcomes.filter((o) => o?.kind === "unchanged").length,
      notOurs: tally.notOurs + notOurs.length,
      firstNotOurs: tally.firstNotOurs ?? notOurs[0] ?? null
    }
  })

export const sidecarsLine = (t: SidecarTally): string =>
  `Sidecars: ${formatCount(t.written)} written, ${formatCount(t.unchanged)} unchanged` +
  (t.notOurs === 0 ? "" : `, ${formatCount(t.notOurs)} left alone (not written by fbk)`)

/** Every original's sidecar brought in step, when the store keeps sidecars; the summary line after. */
export const sidecarsInStep = (destination: string) =>
  Effect.gen(function*() {
    const repository = yield* SidecarFileRepository
    if (!(yield* repository.enabled)) return NO_TALLY
    const fs = yield* FileSystem.FileSystem
    const reporter = yield* Reporter
    yield* removeLeftoverParts(fs, path.join(destination, "originals"))
    const tally = yield* keysetPages((after: string | null) => repository.targets(after, SIDECAR_BATCH), (t) => t.photo_id).pipe(
      Stream.grouped(SIDECAR_BATCH),
      Stream.runFoldEffect(NO_TALLY, (tally, chunk) =>
        Effect.tap(keepBatch(fs, destination, [...chunk], tally), (next) =>
          reporter.progress({ label: "Sidecars", done: next.written + next.unchanged + next.notOurs, unit: "photos" })))
    )
    yield* reporter.endProgress
    if (tally.firstNotOurs !== null) {
      yield* reporter.warn(
        `${counted(tally.notOurs, "sidecar name")} ${tally.notOurs === 1 ? "holds" : "hold"} a file fbk did not write ` +
          `(or one changed since), left alone: ${path.join(destination, tally.firstNotOurs)}` +
          `${tally.notOurs > 1 ? " and others" : ""}; move them away and run fbk download to have fbk write its own`
      )
    }
    yield* reporter.summary("sidecars", { written: tally.written, unchanged: tally.unchanged, not_ours: tally.notOurs }, () => sidecarsLine(tally))
    return tally
  })

/** --no-sidecars: the sidecars fbk wrote removed (only those whose bytes are still fbk's), the choice remembered. */
export const removeSidecars = (destination: string) =>
  Effect.gen(function*() {
    const repository = yield* SidecarFileRepository
    const fs = yield* FileSystem.FileSystem
    yield* repository.setEnabled(false)
    let removed = 0
    let kept = 0
    yield* keysetPages((after: string | null) => repository.written(after, SIDECAR_BATCH), (w) => w.photo_id).pipe(
      Stream.grouped(SIDECAR_BATCH),
      Stream.runForEach((chunk) =>
        Effect.gen(function*() {
          for (const sidecar of chunk) {
            const at = path.join(destination, sidecar.path)
            const found = Option.getOrNull(yield* hashOnDisk(fs, at))
            if (found === sidecar.sha256) {
              yield* removeFile(fs, at)
              removed++
            } else if (found !== null) kept++
          }
          yield* repository.forget([...chunk].map((w) => w.photo_id))
        }))
    )
    yield* (yield* Reporter).summary("sidecars", { removed, not_ours: kept }, () =>
      `Sidecars: ${formatCount(removed)} removed${kept === 0 ? "" : `, ${formatCount(kept)} changed since fbk wrote them, left alone`}; no more are written`)
  })

/** After details or an import: the sidecars kept in step when the store keeps them. */
export const sidecarsIfKept = Effect.gen(function*() {
  const destination = yield* (yield* FileRepository).destination
  if (Option.isSome(destination)) yield* sidecarsInStep(destination.value)
})

/** What download does after the files: --sidecars or --no-sidecars remembered, then the sidecars in step. */
export const sidecarsAfterDownload = (destination: string, asked: Option.Option<boolean>) =>
  Effect.gen(function*() {
    if (Option.isSome(asked) && !asked.value) return yield* removeSidecars(destination)
    if (Option.isSome(asked)) yield* (yield* SidecarFileRepository).setEnabled(true)
    yield* sidecarsInStep(destination)
  })

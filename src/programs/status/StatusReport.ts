// What `fbk status` reports, as data (`--json`, times ISO 8601 UTC): the account, counts, the last run
// of each command, a run in progress, and what is left to do. Reads the database and the store's folder only.
import { Effect, Option } from "effect"
import type { SyncPart, SyncRun } from "../../schema/SyncRun.js"
import { AlbumRepository } from "../../services/database/AlbumRepository.js"
import { CommandRunRepository, type CommandRun, type TrackedCommand } from "../../services/database/CommandRunRepository.js"
import { DetailsRepository } from "../../services/database/DetailsRepository.js"
import { DiskFileRepository } from "../../services/database/DiskFileRepository.js"
import { ExportRepository } from "../../services/database/ExportRepository.js"
import { FileRepository } from "../../services/database/FileRepository.js"
import { PhotoRepository } from "../../services/database/PhotoRepository.js"
import { RunLock } from "../../services/database/RunLock.js"
import { SyncRunRepository } from "../../services/database/SyncRunRepository.js"
import { FileStore } from "../../services/files/FileStore.js"
import { CredentialStore } from "../../services/home/CredentialStore.js"
import { FbkConfig } from "../../services/home/FbkConfig.js"
import { isoOfSeconds } from "../../services/terminal/HumanTime.js"
import { pendingWork } from "./PendingWork.js"

const describeRun = (run: SyncRun) => ({
  id: run.id,
  kind: run.kind,
  outcome: run.outcome,
  started_at: isoOfSeconds(run.started_at),
  finished_at: run.finished_at === null ? null : isoOfSeconds(run.finished_at),
  photos: run.photos,
  added: run.added,
  changed: run.changed,
  deleted: run.deleted,
  api_calls: run.api_calls,
  message: run.message
})

/** A download, verify or link as status shows it; one still marked running whose process is gone was interrupted. */
const describeCommandRun = (runs: ReadonlyArray<CommandRun>, running: string | null) => (command: TrackedCommand) => {
  const run = runs.find((r) => r.command === command)
  if (run === undefined) return null
  return {
    outcome: run.outcome === "running" && running !== command ? "interrupted" as const : run.outcome,
    started_at: isoOfSeconds(run.started_at),
    finished_at: run.finished_at === null ? null : isoOfSeconds(run.finished_at)
  }
}

/** The run in progress, from the run lock: what, which process, since when. */
const runningNow = Effect.flatMap(RunLock, (lock) => lock.holder).pipe(
  Effect.map(Option.map((h) => ({ command: h.command, pid: h.pid, since: isoOfSeconds(h.taken_at) }))),
  Effect.map(Option.getOrNull)
)

const filesReport = Effect.gen(function*() {
  const files = yield* FileRepository
  const summary = yield* files.summary
  return {
    folder: Option.getOrNull(yield* files.destination),
    /** Whether the store's folder is on disk now (false: an unmounted disk, say); null with no store yet. */
    folder_present: Option.getOrNull(yield* (yield* FileStore).present),
    on_disk: yield* files.countLiveFiles,
    expected: yield* (yield* PhotoRepository).countLive,
    bytes: summary.bytes,
    not_original: summary.not_original,
    replaced: summary.replaced,
    problems: yield* files.countProblems,
    not_fetched: (yield* files.countWanted("all")) + (yield* files.countWantedPosters)
  }
})

export const statusReport = Effect.gen(function*() {
  const config = yield* FbkConfig
  const photos = yield* PhotoRepository
  const runs = yield* SyncRunRepository
  const albums = yield* AlbumRepository
  const details = yield* DetailsRepository
  const disk = yield* DiskFileRepository
  const linkCounts = yield* disk.counts
  const account = yield* photos.account
  // A credentials file that cannot be read still means setup ran here: status reports, it does not refuse.
  const apiKey = yield* (yield* CredentialStore).find.pipe(Effect.map(Option.isSome), Effect.orElseSucceed(() => true))
  const running = yield* runningNow
  const lastBackup = yield* runs.latest(["backup", "staged-backup"], ["succeeded", "failed"])
  const lastUpdate = yield* runs.latest(["update"], ["succeeded", "failed"])
  const latestUpdate = yield* runs.latest(["update"])
  // A backup still marked running with no run holding the lock was killed: it is resumed like an interrupted one.
  const pending = Option.filter(yield* runs.latest(["backup"], ["running", "interrupted"]), () => running?.command !== "backup")
  const parts = yield* runs.syncedParts
  const syncedAt = (part: SyncPart) => {
    const found = parts.find((p) => p.part === part)
    return found === undefined ? null : isoOfSeconds(found.synced_at)
  }
  const commandRun = describeCommandRun(yield* (yield* CommandRunRepository).latest, running?.command ?? null)
  const files = yield* filesReport
  const detailsCounts = {
    read: yield* details.countWithDetails,
    refused: yield* details.countFailed,
    queued: yield* details.countQueued
  }
  const lastDownload = commandRun("download")
  const updateStopped = Option.isSome(latestUpdate) && running?.command !== "update" &&
    (latestUpdate.value.outcome === "interrupted" || latestUpdate.value.outcome === "running")
  return {
    account: Option.getOrNull(account),
    home: config.home,
    /** Whether `fbk setup` stored an API key here; a home built from Flickr's export alone has none. */
    api_key: apiKey,
    database: config.databasePath,
    photos: { live: yield* photos.countLive, deleted: yield* photos.countDeleted },
    revisions: yield* photos.countRevisions,
    albums: yield* albums.countAlbums,
    collections: yield* albums.countCollections,
    details: detailsCounts,
    files,
    links: {
      files: linkCounts.files,
      linked: linkCounts.linked,
      ambiguous: linkCounts.ambiguous,
      only_on_disk: linkCounts.only_on_disk,
      unreadable: linkCounts.unreadable,
      only_on_flickr: linkCounts.files === 0 ? null : yield* disk.countOnlyOnFlickr
    },
    export: yield* Effect.flatMap(ExportRepository, (exports) => exports.summary),
    last_synced: {
      photostream: syncedAt("photostream"),
      albums: syncedAt("albums"),
      collections: syncedAt("collections"),
      details: syncedAt("details")
    },
    last_backup: Option.getOrNull(Option.map(lastBackup, describeRun)),
    last_update: Option.getOrNull(Option.map(lastUpdate, describeRun)),
    last_download: lastDownload,
    last_verify: commandRun("verify"),
    last_link: commandRun("link"),
    running,
    /** The interrupted backup that `fbk backup` resumes. */
    pending: Option.getOrNull(Option.map(pending, describeRun)),
    pending_work: pendingWork({
      apiKey,
      backup: Option.getOrNull(Option.map(pending, (run) => run.photos)),
      updateStopped,
      downloadStopped: lastDownload?.outcome === "interrupted",
      notFetched: files.not_fetched,
      problems: files.problems,
      detailsQueued: detailsCounts.queued
    })
  }
})

export type RunReport = ReturnType<typeof describeRun>
export type CommandRunReport = NonNullable<ReturnType<ReturnType<typeof describeCommandRun>>>

export type StatusReport = Effect.Effect.Success<typeof statusReport>

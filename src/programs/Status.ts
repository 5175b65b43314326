// `fbk status`: the account, the database, photo counts, the last backup and update, and
// whether an interrupted run waits to be resumed. No network.
import { Effect, Option } from "effect"
import type { SyncPart, SyncRun } from "../schema/SyncRun.js"
import { AlbumRepository } from "../services/database/AlbumRepository.js"
import { DetailsRepository } from "../services/database/DetailsRepository.js"
import { DiskFileRepository } from "../services/database/DiskFileRepository.js"
import { ExportRepository } from "../services/database/ExportRepository.js"
import { CredentialStore } from "../services/home/CredentialStore.js"
import { FbkConfig } from "../services/home/FbkConfig.js"
import { FileRepository } from "../services/database/FileRepository.js"
import { PhotoRepository } from "../services/database/PhotoRepository.js"
import { counted, formatCount, Reporter } from "../services/terminal/Reporter.js"
import { SyncRunRepository } from "../services/database/SyncRunRepository.js"

const describeRun = (run: SyncRun) => ({
  id: run.id,
  kind: run.kind,
  outcome: run.outcome,
  started_at: new Date(run.started_at * 1000).toISOString(),
  finished_at: run.finished_at === null ? null : new Date(run.finished_at * 1000).toISOString(),
  photos: run.photos,
  added: run.added,
  changed: run.changed,
  deleted: run.deleted,
  api_calls: run.api_calls,
  message: run.message
})

export const statusReport = Effect.gen(function*() {
  const config = yield* FbkConfig
  const photos = yield* PhotoRepository
  const runs = yield* SyncRunRepository
  const albums = yield* AlbumRepository
  const details = yield* DetailsRepository
  const files = yield* FileRepository
  const fileSummary = yield* files.summary
  const disk = yield* DiskFileRepository
  const linkCounts = yield* disk.counts
  const account = yield* photos.account
  // A credentials file that cannot be read still means setup ran here: status reports, it does not refuse.
  const apiKey = yield* (yield* CredentialStore).find.pipe(Effect.map(Option.isSome), Effect.orElseSucceed(() => true))
  const lastBackup = yield* runs.latest(["backup", "staged-backup"], ["succeeded", "failed"])
  const lastUpdate = yield* runs.latest(["update"], ["succeeded", "failed"])
  const pending = yield* runs.latest(["backup"], ["running", "interrupted"])
  const parts = yield* runs.syncedParts
  const syncedAt = (part: SyncPart) => {
    const found = parts.find((p) => p.part === part)
    return found === undefined ? null : new Date(found.synced_at * 1000).toISOString()
  }
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
    details: {
      read: yield* details.countWithDetails,
      refused: yield* details.countFailed,
      queued: yield* details.countQueued
    },
    files: {
      folder: Option.getOrNull(yield* files.destination),
      on_disk: fileSummary.files,
      expected: yield* photos.countLive,
      bytes: fileSummary.bytes,
      not_original: fileSummary.not_original,
      replaced: fileSummary.replaced,
      problems: yield* files.countProblems
    },
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
    pending: Option.getOrNull(Option.map(pending, describeRun))
  }
})

const runLine = (label: string, run: ReturnType<typeof describeRun> | null) =>
  run === null
    ? `${label}never`
    : `${label}${run.finished_at ?? run.started_at} (${run.kind}, ${run.outcome}; ` +
      `${formatCount(run.added)} added, ${formatCount(run.changed)} changed, ${formatCount(run.deleted)} deleted, ` +
      `${counted(run.api_calls, "call")})` +
      (run.message === null ? "" : ` - ${run.message}`)

export type StatusReport = Effect.Effect.Success<typeof statusReport>

/** The report in words, one line per subject ("Label:  what"), as `fbk status` prints it and the viewer shows it. */
export const statusLines = (report: StatusReport): ReadonlyArray<string> => {
  const fromExportOnly = !report.api_key && report.export.photos + report.export.files > 0
  const lines = [
    `Account:     ${report.account === null ? "unknown" : `${report.account.username} (${report.account.nsid})`}`,
    ...(report.api_key ? [] : [
      fromExportOnly
        ? "API key:     none: this home was built from Flickr's export. `fbk import-export` adds a newer export; " +
          "verify, link, search and status work here; backup, update, details and download need `fbk setup` with a Pro key"
        : "API key:     none: `fbk setup` connects fbk to your Flickr account"
    ]),
    `Database:    ${report.database}`,
    `Photos:      ${formatCount(report.photos.live)} on Flickr, ` +
    `${formatCount(report.photos.deleted)} deleted there (kept here), ` +
    `${formatCount(report.revisions)} earlier versions kept`,
    `Albums:      ${formatCount(report.albums)}; collections: ${formatCount(report.collections)}`,
    `Details:     ${formatCount(report.details.read)} photos read, ${formatCount(report.details.refused)} refused by Flickr, ` +
    `${formatCount(report.details.queued)} queued` + (report.details.queued > 0 && report.api_key ? " (`fbk details` reads them)" : ""),
    `Files:       ${formatCount(report.files.on_disk)} of ${formatCount(report.files.expected)} on disk ` +
    `(${(report.files.bytes / 1_000_000).toFixed(1)} MB${report.files.folder === null ? "" : ` in ${report.files.folder}`}); ` +
    `${formatCount(report.files.not_original)} not the original, ${formatCount(report.files.replaced)} replaced originals kept, ` +
    `${counted(report.files.problems, "problem")}`,
    report.links.only_on_flickr === null
      ? "Links:       no folder of your own linked yet (`fbk link DIR` finds which of your files are which photos)"
      : `Links:       ${formatCount(report.links.linked)} of ${formatCount(report.links.files)} files on your disks linked to photos, ` +
        `${formatCount(report.links.ambiguous)} ambiguous, ${formatCount(report.links.only_on_disk)} only on disk, ` +
        `${formatCount(report.links.unreadable)} unreadable; ${formatCount(report.links.only_on_flickr)} photos only on Flickr`,
    ...(report.export.photos + report.export.files === 0 ? [] : [
      `Export:      ${formatCount(report.export.photos)} photos known from Flickr's data export only, ` +
      `${formatCount(report.export.files)} files from it, ${formatCount(report.export.beside)} kept beside a different download` +
      (report.last_backup === null && report.api_key ? "; no backup through the API yet (`fbk backup` reads the account)" : "")
    ]),
    `Last synced: photostream ${report.last_synced.photostream ?? "never"}, albums ${report.last_synced.albums ?? "never"}, ` +
    `collections ${report.last_synced.collections ?? "never"}, details ${report.last_synced.details ?? "never complete"}`,
    runLine("Last backup: ", report.last_backup),
    runLine("Last update: ", report.last_update),
    report.pending === null
      ? "Pending:     nothing"
      : `Pending:     a backup interrupted after ${formatCount(report.pending.photos)} photos; ` +
        "`fbk backup` resumes it"
  ]
  return lines
}

export const status = (options: { readonly json: boolean }) =>
  Effect.gen(function*() {
    const reporter = yield* Reporter
    const report = yield* statusReport
    yield* reporter.output(options.json ? JSON.stringify(report, null, 2) : statusLines(report).join("\n"))
    return report
  })

// The status report in words, one subject a line ("Label:  what"), as `fbk status` prints it and the
// viewer's /status page shows it; times local with how long ago, sizes in decimal units.
import { humanTime } from "../../services/terminal/HumanTime.js"
import { counted, fileSize, formatCount } from "../../services/terminal/Reporter.js"
import { pendingText } from "./PendingWork.js"
import type { CommandRunReport, RunReport, StatusReport } from "./StatusReport.js"

/** Where every line's text starts: past the longest label, "Last download: ". */
const TEXT_COLUMN = 15

const row = (label: string, text: string) => `${`${label}:`.padEnd(TEXT_COLUMN)}${text}`
/** A line that carries on the one above it (the viewer shows it under the same label). */
const continued = (text: string) => `${" ".repeat(TEXT_COLUMN)}${text}`

const at = (iso: string, now: number) => humanTime(Date.parse(iso), now)

const syncRunText = (run: RunReport | null, now: number) =>
  run === null
    ? "never"
    : `${at(run.finished_at ?? run.started_at, now)}: ${run.kind} ${run.outcome}; ` +
      `${formatCount(run.added)} added, ${formatCount(run.changed)} changed, ${formatCount(run.deleted)} deleted, ` +
      `${counted(run.api_calls, "call")}` + (run.message === null ? "" : ` - ${run.message}`)

const commandRunText = (run: CommandRunReport | null, now: number) =>
  run === null
    ? "never"
    : run.finished_at === null
    ? `started ${at(run.started_at, now)}, ${run.outcome}`
    : `${at(run.finished_at, now)}, ${run.outcome}`

const apiKeyLines = (report: StatusReport): ReadonlyArray<string> => {
  if (report.api_key) return []
  const fromExportOnly = report.export.photos + report.export.files > 0
  return [row(
    "API key",
    fromExportOnly
      ? "none: this home was built from Flickr's export. `fbk import-export` adds a newer export; " +
        "verify, link, search and status work here; backup, update, details and download need `fbk setup` with a Pro key"
      : "none: `fbk setup` connects fbk to your Flickr account"
  )]
}

const filesText = ({ files }: StatusReport) => {
  const where = files.folder === null
    ? ""
    : files.folder_present === false
    ? ` in ${files.folder}, which is missing: is its disk mounted?`
    : ` in ${files.folder}`
  return `${formatCount(files.on_disk)} of ${formatCount(files.expected)} on disk (${fileSize(files.bytes)}${where}); ` +
    `${formatCount(files.not_original)} not the original, ${formatCount(files.replaced)} replaced originals kept, ` +
    `${counted(files.problems, "problem")}`
}

const linksText = ({ links }: StatusReport) =>
  links.only_on_flickr === null
    ? "no folder of your own linked yet (`fbk link DIR` finds which of your files are which photos)"
    : `${formatCount(links.linked)} of ${formatCount(links.files)} files on your disks linked to photos, ` +
      `${formatCount(links.ambiguous)} ambiguous, ${formatCount(links.only_on_disk)} only on disk, ` +
      `${formatCount(links.unreadable)} unreadable; ${formatCount(links.only_on_flickr)} photos only on Flickr`

const exportLines = (report: StatusReport): ReadonlyArray<string> =>
  report.export.photos + report.export.files === 0 ? [] : [row(
    "Export",
    `${formatCount(report.export.photos)} photos known from Flickr's data export only, ` +
      `${formatCount(report.export.files)} files from it, ${formatCount(report.export.beside)} kept beside a different download` +
      (report.last_backup === null && report.api_key ? "; no backup through the API yet (`fbk backup` reads the account)" : "")
  )]

/** Parts synced at the same minute share it: "photostream, albums and collections 2026-12-07 18:20 (2 hours ago)". */
const syncedText = ({ last_synced }: StatusReport, now: number) => {
  const parts: ReadonlyArray<readonly [string, string]> = [
    ["photostream", last_synced.photostream === null ? "never" : at(last_synced.photostream, now)],
    ["albums", last_synced.albums === null ? "never" : at(last_synced.albums, now)],
    ["collections", last_synced.collections === null ? "never" : at(last_synced.collections, now)],
    ["details", last_synced.details === null ? "never complete" : at(last_synced.details, now)]
  ]
  const groups: Array<{ names: Array<string>; when: string }> = []
  for (const [name, when] of parts) {
    const last = groups.at(-1)
    if (last?.when === when) last.names.push(name)
    else groups.push({ names: [name], when })
  }
  const and = (names: ReadonlyArray<string>) =>
    names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`
  return groups.map((g) => `${and(g.names)} ${g.when}`).join("; ")
}

const runningText = ({ running }: StatusReport, now: number) =>
  running === null ? "nothing" : `\`fbk ${running.command}\` (pid ${running.pid}) since ${at(running.since, now)}`

const pendingLines = ({ pending_work }: StatusReport): ReadonlyArray<string> =>
  pending_work.length === 0
    ? [row("Pending", "nothing")]
    : pending_work.map((item, i) => (i === 0 ? row("Pending", pendingText(item)) : continued(pendingText(item))))

/** The report in words, times as of `now` (unix milliseconds). */
export const statusLines = (report: StatusReport, now: number): ReadonlyArray<string> => [
  row("Account", report.account === null ? "unknown" : `${report.account.username} (${report.account.nsid})`),
  ...apiKeyLines(report),
  row("Database", report.database),
  row(
    "Photos",
    `${formatCount(report.photos.live)} on Flickr, ${formatCount(report.photos.deleted)} deleted there (kept here), ` +
      `${formatCount(report.revisions)} earlier versions kept`
  ),
  row("Albums", `${formatCount(report.albums)}; collections: ${formatCount(report.collections)}`),
  row(
    "Details",
    `${formatCount(report.details.read)} photos read, ${formatCount(report.details.refused)} refused by Flickr, ` +
      `${formatCount(report.details.queued)} queued`
  ),
  row("Files", filesText(report)),
  row("Links", linksText(report)),
  ...exportLines(report),
  row("Last synced", syncedText(report, now)),
  row("Last backup", syncRunText(report.last_backup, now)),
  row("Last update", syncRunText(report.last_update, now)),
  row("Last download", commandRunText(report.last_download, now)),
  row("Last verify", commandRunText(report.last_verify, now)),
  row("Last link", commandRunText(report.last_link, now)),
  row("Running", runningText(report, now)),
  ...pendingLines(report)
]

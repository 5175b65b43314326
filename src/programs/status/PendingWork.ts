// What is left to do in a home, each with the command that does it: `fbk status`'s "Pending".
import { counted } from "../../services/terminal/Reporter.js"

export interface PendingFacts {
  readonly apiKey: boolean
  /** Photos the interrupted backup had listed; null when none is interrupted. */
  readonly backup: number | null
  readonly updateStopped: boolean
  readonly downloadStopped: boolean
  readonly notFetched: number
  readonly problems: number
  readonly detailsQueued: number
}

export interface PendingItem {
  readonly what: "backup" | "update" | "download" | "files" | "problems" | "details"
  /** Photos or files it concerns, where there is a count. */
  readonly count: number | null
  readonly command: string
}

/**
 * In the order to run them: a backup or update first (it may queue more), files, then details.
 * Without an API key nothing that needs Flickr is listed: the status's "API key" line says what `fbk setup` brings.
 */
export const pendingWork = (facts: PendingFacts): ReadonlyArray<PendingItem> => {
  const items: Array<PendingItem> = []
  if (facts.backup !== null) items.push({ what: "backup", count: facts.backup, command: "fbk backup" })
  if (facts.updateStopped) items.push({ what: "update", count: null, command: "fbk update" })
  if (!facts.apiKey) return items
  if (facts.downloadStopped || facts.notFetched > 0) {
    items.push({ what: facts.downloadStopped ? "download" : "files", count: facts.notFetched, command: "fbk download" })
  }
  if (facts.problems > 0) items.push({ what: "problems", count: facts.problems, command: "fbk download --retry-problems" })
  if (facts.detailsQueued > 0) items.push({ what: "details", count: facts.detailsQueued, command: "fbk details" })
  return items
}

/** The item in words, its command quoted as the terminal shows commands. */
export const pendingText = (item: PendingItem): string => {
  const count = item.count ?? 0
  const run = `\`${item.command}\``
  switch (item.what) {
    case "backup":
      return `a backup interrupted after ${counted(count, "photo")}; ${run} resumes it`
    case "update":
      return `an update interrupted; ${run} runs it again`
    case "download":
      return `a download interrupted, ${counted(count, "file")} still to fetch; ${run} resumes it`
    case "files":
      return `${counted(count, "file")} not fetched yet; ${run} fetches them`
    case "problems":
      return `${counted(count, "file")} Flickr would not give; ${run} asks again`
    case "details":
      return `details of ${counted(count, "photo")} queued; ${run} reads them`
  }
}

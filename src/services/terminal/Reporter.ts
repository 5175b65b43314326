// Everything fbk tells the user while it works goes through here, on stderr: a live bar on a
// terminal, plain lines in logs and pipes, nothing with --quiet; with --json, one object on stdout.
import { Clock, Context, Effect, Layer } from "effect"

export interface ProgressState {
  readonly label: string
  readonly done: number
  /** Unknown while the first page is on its way. */
  readonly total?: number | undefined
  readonly unit: string
  /** Shown after the counts (bytes so far and their rate, say). */
  readonly detail?: string | undefined
}

export interface ReporterShape {
  /** A line worth reading (what fbk decided, why it is waiting). Hidden with --quiet. */
  readonly note: (message: string) => Effect.Effect<void>
  /** The outcome of a command, on stdout. Hidden with --quiet. */
  readonly result: (message: string) => Effect.Effect<void>
  /** What the command was asked to print (a status report), on stdout even with --quiet. */
  readonly output: (text: string) => Effect.Effect<void>
  /** A warning: shown even with --quiet. */
  readonly warn: (message: string) => Effect.Effect<void>
  readonly progress: (state: ProgressState) => Effect.Effect<void>
  /** Ends the current progress display. */
  readonly endProgress: Effect.Effect<void>
  /**
   * A run's summary record: its line for people (as `result`), or with --json the record itself,
   * under `part`, in the one object `flush` prints.
   */
  readonly summary: <A extends object>(part: string, record: A, line: (record: A) => string) => Effect.Effect<void>
  /** With --json, prints the summaries collected so far as one JSON object on stdout (once); otherwise nothing. */
  readonly flush: Effect.Effect<void>
}

export class Reporter extends Context.Tag("fbk/Reporter")<Reporter, ReporterShape>() {}

/** 12,345 */
export const formatCount = (n: number): string => n.toLocaleString("en-US")

/** Bytes as megabytes with one decimal: "31.4" (the caller adds "MB"). */
export const megabytes = (bytes: number): string => (bytes / 1_000_000).toFixed(1)

/** A file's size in the unit that reads best: "812 bytes", "45.2 kB", "31.4 MB", "2.10 GB" (decimal units, as megabytes). */
export const fileSize = (bytes: number): string => {
  if (bytes < 1_000) return counted(bytes, "byte")
  if (bytes < 1_000_000) return `${(bytes / 1_000).toFixed(1)} kB`
  if (bytes < 1_000_000_000) return `${megabytes(bytes)} MB`
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`
}

/** "1 page", "2 pages": a count with its noun. */
export const counted = (n: number, singular: string, plural = `${singular}s`): string =>
  `${formatCount(n)} ${n === 1 ? singular : plural}`

export type ReporterMode = "tty" | "lines" | "quiet"

const PLAIN_LINE_INTERVAL_MS = 5_000
const BAR_INTERVAL_MS = 100
const BAR_WIDTH = 24
const RATE_AFTER_MS = 1_000

const formatDuration = (seconds: number): string => {
  if (!Number.isFinite(seconds) || seconds < 0) return "?"
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
}

/**
 * Rate and ETA over the whole run so far, which is steady enough for paged work. Pages that
 * overlap at window boundaries can carry a photo twice, so `done` is shown at most `total`.
 */
export const describeProgress = (state: ProgressState, elapsedMs: number): string => {
  const known = state.total !== undefined && state.total > 0
  const done = known ? Math.min(state.done, state.total!) : state.done
  const counts = known
    ? `${state.label}: ${formatCount(done)}/${formatCount(state.total!)} ${state.unit} (${Math.floor((100 * done) / state.total!)}%)`
    : `${state.label}: ${formatCount(done)} ${state.unit}`
  const detail = state.detail === undefined ? "" : `, ${state.detail}`
  // Under a second in, a rate would be noise.
  if (elapsedMs < RATE_AFTER_MS) return `${counts}${detail}`
  const rate = state.done / (elapsedMs / 1000)
  const rateText = `${formatCount(Math.round(rate))} ${state.unit}/s`
  if (!known) return `${counts}${detail}, ${rateText}`
  const eta = rate > 0 ? (state.total! - done) / rate : Number.NaN
  return `${counts}${detail}, ${rateText}, ETA ${formatDuration(eta)}`
}

const bar = (state: ProgressState): string => {
  if (state.total === undefined || state.total <= 0) return ""
  const filled = Math.min(BAR_WIDTH, Math.round((BAR_WIDTH * state.done) / state.total))
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] `
}

/** Unix seconds as ISO 8601 UTC, as every --json object gives times. */
export const isoUtc = (seconds: number): string => new Date(seconds * 1000).toISOString()

/**
 * With `json`, stdout gets only the summaries' object: results and outputs go to stderr with
 * the notes (hidden with --quiet like them).
 */
export const make = (
  mode: ReporterMode,
  write: (text: string) => void = (t) => void process.stderr.write(t),
  writeStdout: (text: string) => void = (t) => void process.stdout.write(t),
  json = false
) => {
  const writeResult = json ? write : writeStdout
  let summaries: Record<string, object> | undefined = json ? {} : undefined
  let startedAt: number | undefined
  let lastShown = Number.NEGATIVE_INFINITY
  let shownLabel: string | undefined
  /** Leaves the current bar on its own line and starts timing afresh. */
  const endBar = () => {
    if (barVisible) write("\n")
    barVisible = false
    startedAt = undefined
    lastShown = Number.NEGATIVE_INFINITY
  }
  let barVisible = false
  const clearBar = () => {
    if (barVisible) {
      write("\r\x1b[2K")
      barVisible = false
    }
  }
  const reporter: ReporterShape = Reporter.of({
    note: (message) =>
      Effect.sync(() => {
        if (mode === "quiet") return
        clearBar()
        write(`${message}\n`)
      }),
    result: (message) =>
      Effect.sync(() => {
        if (mode === "quiet") return
        clearBar()
        writeResult(`${message}\n`)
      }),
    output: (text) =>
      Effect.sync(() => {
        if (json && mode === "quiet") return
        clearBar()
        writeResult(text.endsWith("\n") ? text : `${text}\n`)
      }),
    warn: (message) =>
      Effect.sync(() => {
        clearBar()
        write(`warning: ${message}\n`)
      }),
    progress: (state) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => {
        if (mode === "quiet") return
        // A new kind of work (photos, then albums): its own line, its own rate.
        if (state.label !== shownLabel) {
          endBar()
          shownLabel = state.label
        }
        startedAt ??= now
        const finished = state.total !== undefined && state.done >= state.total
        const interval = mode === "tty" ? BAR_INTERVAL_MS : PLAIN_LINE_INTERVAL_MS
        if (!finished && now - lastShown < interval) return
        lastShown = now
        const text = describeProgress(state, now - startedAt)
        if (mode === "tty") {
          write(`\r\x1b[2K${bar(state)}${text}`)
          barVisible = true
        } else {
          write(`${text}\n`)
        }
      })),
    endProgress: Effect.sync(() => {
      endBar()
      shownLabel = undefined
    }),
    summary: (part, record, line) =>
      Effect.suspend(() => {
        if (summaries === undefined) return reporter.result(line(record))
        summaries[part] = record
        return Effect.void
      }),
    flush: Effect.sync(() => {
      if (summaries === undefined || Object.keys(summaries).length === 0) return
      clearBar()
      writeStdout(`${JSON.stringify(summaries, null, 2)}\n`)
      summaries = undefined
    })
  })
  return reporter
}

/** The reporter of a command; with `json`, its summaries are printed as one object when the command ends, failed or not. */
export const layer = (options: { readonly quiet: boolean; readonly json?: boolean }) =>
  Layer.scoped(
    Reporter,
    Effect.acquireRelease(
      Effect.sync(() => make(options.quiet ? "quiet" : process.stderr.isTTY ? "tty" : "lines", undefined, undefined, options.json === true)),
      (reporter) => reporter.flush
    )
  )

/** For tests: collects every line (stdout's and stderr's alike; with `json`, the object at `flush`). */
export const collecting = (lines: Array<string>, json = false) =>
  Layer.succeed(Reporter, make("lines", (t) => void lines.push(t), (t) => void lines.push(t), json))

// The options many commands share (the home, the database, -q, --json, --wait, --files) and the
import { HelpDoc, Options, ValidationError } from "@effect/cli"
import { Effect, Layer, Schema } from "effect"
import * as Layers from "../Layers.js"
import { WaitForLock } from "../services/database/RunLock.js"

// whole-number option every numeric setting uses, each refused in one line as it is parsed.

export const home = Options.directory("home").pipe(
  Options.withDescription("fbk's home: credentials and database (default $FBK_HOME, else ~/.flickr)"),
  Options.optional
)
export const db = Options.file("db").pipe(
  Options.withDescription("the SQLite database (default <home>/flickr_backup.sqlite)"),
  Options.optional
)
export const quiet = Options.boolean("quiet").pipe(
  Options.withAlias("q"),
  Options.withDescription("no progress and no summary; warnings, errors and waits of a minute or more only")
)
export const common = { home, db, quiet }
/** The commands that do a run: their summaries as one JSON object on stdout (see the README for each). */
export const json = Options.boolean("json").pipe(
  Options.withDescription("print the run's summary as one JSON object on stdout, nothing else there (notes and progress stay on stderr)")
)
export const runOptions = { ...common, json }
/** `Layers.withBase` for a command with `runOptions`. */
export const withRunBase = <A, E, R>(options: Layers.CommonOptions & { readonly json: boolean }, layer: Layer.Layer<A, E, R>) =>
  Layers.withBase({ ...options, summaryJson: options.json }, layer)

/** Where the file store is: download and import-export write into the same one. */
export const dest = Options.text("dest").pipe(
  Options.withPseudoName("DIR"),
  Options.withDescription("the folder the files go to, remembered the first time (default <home>/files); a different one later is refused"),
  Options.optional
)

export const withDetails = Options.boolean("details").pipe(
  Options.withDescription("then read the details of every photo that needs them, as `fbk details` does (it can take hours; stop and resume at any point)")
)
/** --files / --no-files: whether the files follow the sync (by default, once a file store exists). */
export const filesAfterSync = Options.all({
  files: Options.boolean("files").pipe(
    Options.withDescription(
      "also when no file store exists yet: then fetch every photo's file that is missing or changed, as `fbk download` does, into <home>/files " +
        "(once a store exists, by `fbk download` or `fbk import-export`, its files are kept in step anyway)"
    )
  ),
  noFiles: Options.boolean("no-files").pipe(
    Options.withDescription("this run, leave the file store alone (otherwise the new and changed photos' files are fetched and the folders refreshed)")
  )
}).pipe(
  Options.mapEffect(({ files, noFiles }) =>
    files && noFiles
      ? Effect.fail(ValidationError.invalidValue(HelpDoc.p("--files and --no-files contradict each other; give one of them")))
      : Effect.succeed(files ? "always" as const : noFiles ? "never" as const : "if-store" as const)
  )
)

/** --wait, on every command that takes the run lock. */
export const wait = Options.boolean("wait").pipe(
  Options.withDescription(
    "when another fbk is writing to this database, wait for it to finish (saying so in one line; Ctrl-C stops waiting) instead of failing"
  )
)

/** `program`, waiting for the run lock with --wait. */
export const waiting = (options: { readonly wait: boolean }) => <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.provideService(program, WaitForLock, options.wait)

/**
 * A whole number from `min` (to `max`), refused as it is parsed, before anything is opened, in
 * one line naming the option.
 */
export const wholeNumber = (name: string, min: number, max?: number) => {
  const message = (issue: { readonly actual: unknown }) =>
    max === undefined
      ? `--${name} must be a whole number of at least ${min} (got ${String(issue.actual)})`
      : `--${name} must be a whole number from ${min} to ${max} (got ${String(issue.actual)})`
  return Options.integer(name).pipe(
    Options.withSchema(
      max === undefined
        ? Schema.Int.pipe(Schema.greaterThanOrEqualTo(min, { message }))
        : Schema.Int.pipe(Schema.between(min, max, { message }))
    )
  )
}

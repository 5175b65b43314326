// One readable line for every way fbk can fail: an exhaustive match over FbkError, so an error
// added without a message does not compile. The cause under it is only for FBK_DEBUG=1.
import { ValidationError } from "@effect/cli"
import { SystemError } from "@effect/platform/Error"
import type { SqlError } from "@effect/sql/SqlError"
import { Cause, ConfigError, Match, Option } from "effect"
import { describeCliError } from "./CliConsole.js"
import {
  type AnotherRunActive,
  type CredentialsError,
  type DatabaseError,
  type EndpointError,
  type FlickrApiError,
  type FlickrAuthError,
  type FlickrDecodeError,
  type FlickrTransportError,
  type ListingIncomplete,
  type SetupError,
  NO_API_KEY,
  type UsageError
} from "./schema/Errors.js"
import type { ExportIncomplete } from "./schema/Export.js"
import type { CopyOutError, FileCheckError, FileReadError, FilesDamaged, FileTransferError, FileWriteError, FolderError } from "./schema/Files.js"
import type { LinkFolderError } from "./schema/Link.js"
import { databaseProblem } from "./services/database/Database.js"
import { plainReason } from "./services/files/NodeErrors.js"
import { localMinute } from "./services/terminal/HumanTime.js"
import { counted, formatCount } from "./services/terminal/Reporter.js"

/** Every expected failure of every command. */
export type FbkError =
  | AnotherRunActive
  | CopyOutError
  | CredentialsError
  | DatabaseError
  | EndpointError
  | ExportIncomplete
  | FileCheckError
  | FileReadError
  | FilesDamaged
  | FileTransferError
  | FileWriteError
  | FlickrApiError
  | FolderError
  | LinkFolderError
  | FlickrAuthError
  | FlickrDecodeError
  | FlickrTransportError
  | ListingIncomplete
  | SetupError
  | SqlError
  | UsageError

const authMessages: Readonly<Record<string, string>> = {
  token_rejected: "Flickr rejected the stored token (revoked or unknown); run `fbk setup` again",
  consumer_key_unknown: "Flickr does not know this API key; check it and run `fbk setup --force`",
  signature_invalid: "Flickr refused the request's signature: the API secret is wrong (run `fbk setup --force`), or fbk has a bug",
  signature_missing: "Flickr says the request was not signed (fbk bug)",
  permission_denied: "the token lacks read permission; run `fbk setup --force`",
  nonce_used: "Flickr refused a repeated nonce (fbk bug)",
  timestamp_refused: "Flickr refused the request's time stamp; check this computer's clock",
  token_mismatch: "the token Flickr issued belongs to another account; run `fbk setup --force`",
  ssl_required: "Flickr requires https; check FBK_REST_URL / FBK_OAUTH_URL",
  [NO_API_KEY]: "this home was built from Flickr's export and has no API key: fetching from Flickr needs `fbk setup` " +
    "with a Pro key (`fbk import-export` puts back the files the export holds)"
}

/** Options that choose what a command does, so the command that carries on after a failure names them again. */
const CHOOSING = new Set(["--repair", "--files", "--no-files", "--details"])

/**
 * The command that carries on after a failed write or fetch: the one that ran (`args` are the
 * process's arguments after the script), with the options that chose its work.
 */
const carryOn = (args: ReadonlyArray<string>): string => {
  const [command] = args
  if (command === undefined) return "running the same command again carries on from there"
  if (command === "import-export") return "running the same `fbk import-export` again carries on from there"
  return `\`${["fbk", command, ...args.filter((a) => CHOOSING.has(a))].join(" ")}\` carries on from there`
}

/** The line for `error` (without `fbk: `); `args` are the process's arguments after the script. */
export const describeError = (error: FbkError, args: ReadonlyArray<string>): string =>
  Match.value(error).pipe(Match.tagsExhaustive({
    AnotherRunActive: (e) =>
      `another fbk (pid ${e.pid}) is running \`fbk ${e.command}\` on this database` +
      `${e.since === null ? "" : ` since ${localMinute(new Date(e.since * 1000))}`}; wait for it to finish, or add --wait`,
    FlickrAuthError: (e) =>
      authMessages[e.problem] ??
        `Flickr refused the request (${e.problem}${e.detail === undefined ? "" : `: ${e.detail}`}); run \`fbk setup\` again`,
    FlickrApiError: (e) => `Flickr answered ${e.method} with error ${e.code}: ${e.message}`,
    FlickrTransportError: (e) =>
      `cannot get an answer from Flickr (${e.method}: ${e.reason}), even after retries; ` +
      "run the command again later (nothing stored is lost)",
    FlickrDecodeError: (e) => `Flickr's answer to ${e.method} was not understood: ${e.reason}`,
    EndpointError: (e) => `the Flickr URL ${e.url} ${e.reason} (check FBK_REST_URL / FBK_OAUTH_URL)`,
    CredentialsError: (e) => `${e.path} ${e.reason}`,
    DatabaseError: (e) => `${e.path} ${e.reason}`,
    SetupError: (e) => `setup did not complete: ${e.reason}`,
    UsageError: (e) => e.reason,
    ListingIncomplete: (e) =>
      `Flickr counts ${formatCount(e.remote)} photos but only ${formatCount(e.seen)} could be listed, ` +
      `so nothing was marked deleted; run \`fbk ${e.command}\` again`,
    FileTransferError: (e) =>
      `cannot fetch ${e.url} (${e.reason}), even after retries; every file stored so far is kept, and ${carryOn(args)}`,
    FileCheckError: (e) => `the file from ${e.url} is not what Flickr described (${e.reason}); nothing was kept of it`,
    FileWriteError: (e) =>
      `cannot write ${e.path} (${e.reason}); every file stored so far is kept, and ${carryOn(args)}`,
    FileReadError: (e) => `cannot read ${e.path} (${e.reason})`,
    FilesDamaged: (e) =>
      e.repaired
        ? "some files could not be fetched again (a replaced original is no longer on Flickr; `fbk status` shows " +
          "the problems); they are listed above"
        : `${counted(e.missing, "file")} missing and ${formatCount(e.altered)} altered on disk` +
          (e.unreadable > 0 ? `, ${formatCount(e.unreadable)} there but unreadable` : "") + " (listed above); " +
          "`fbk verify --repair` sets the altered ones aside and fetches them again" +
          (e.unreadable > 0 ? " (the unreadable ones are left as they are: put the disk or the permissions right)" : ""),
    FolderError: (e) =>
      `cannot keep the album folders in step at ${e.path} (${e.reason}); the files are safe, and the next ` +
      "`fbk download` builds the folders again",
    CopyOutError: (e) => `copy-out: ${e.path} ${e.reason}`,
    LinkFolderError: (e) => `cannot link ${e.path}: it ${e.reason}; nothing was changed`,
    ExportIncomplete: (e) =>
      `${formatCount(e.problems)} problem${e.problems === 1 ? "" : "s"} with the export (listed above); everything else was ` +
      "imported, and running the same command again after fixing them imports the rest",
    SqlError: (e) => {
      const problem = databaseProblem(e)
      return problem === undefined
        ? `database error: ${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ""}`
        : `the database ${problem}`
    }
  }))

/**
 * The line to print for a failed run (without `fbk: `), or null when there is nothing to add;
 * `args` are the process's arguments after the script.
 */
export const describeFailure = (
  cause: Cause.Cause<FbkError | ConfigError.ConfigError | ValidationError.ValidationError>,
  args: ReadonlyArray<string>
): string | null => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (ConfigError.isConfigError(error)) return `configuration: ${String(error)}`
    if (ValidationError.isValidationError(error)) return describeCliError(error, args)
    return describeError(error, args)
  }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    const d = defect.value
    // @effect/cli checks --home and --db with the file system and dies when it cannot look (ENOTDIR, EACCES).
    if (d instanceof SystemError && (d.method === "access" || d.method === "stat")) {
      return `${String(d.pathOrDescriptor)} cannot be read (${plainReason(d)})`
    }
    return `internal error: ${d instanceof Error ? d.message : String(d)} (run with FBK_DEBUG=1 for details)`
  }
  return "stopped"
}

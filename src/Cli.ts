// The command tree: every command, option and its help. Handlers only parse and validate
// options, then run a program with the layers it needs.
import { Args, Command, HelpDoc, Options } from "@effect/cli"
import { Duration, Effect, Layer, Option, Schema } from "effect"
import * as Layers from "./Layers.js"
import { backup } from "./programs/Backup.js"
import { details } from "./programs/Details.js"
import { download, DOWNLOAD_DEFAULTS } from "./programs/Download.js"
import { link } from "./programs/Link.js"
import { findExport } from "./programs/export/ExportInventory.js"
import { importExport } from "./programs/ImportExport.js"
import { demo } from "./Demo.js"
import { search } from "./programs/Search.js"
import { DEFAULT_HOST, DEFAULT_PORT } from "./programs/serve/ServeOptions.js"
import { setup } from "./programs/Setup.js"
import { status } from "./programs/Status.js"
import { thumbs } from "./programs/Thumbs.js"
import { update } from "./programs/Update.js"
import { verify } from "./programs/Verify.js"
import * as Browser from "./services/terminal/Browser.js"
import { MAX_PER_PAGE } from "./services/flickr/FlickrApi.js"
import { RunLock } from "./services/database/RunLock.js"
import * as UserInput from "./services/terminal/UserInput.js"

const home = Options.directory("home").pipe(
  Options.withDescription("fbk's home: credentials and database (default $FBK_HOME, else ~/.flickr)"),
  Options.optional
)
const db = Options.file("db").pipe(
  Options.withDescription("the SQLite database (default <home>/flickr_backup.sqlite)"),
  Options.optional
)
const quiet = Options.boolean("quiet").pipe(
  Options.withAlias("q"),
  Options.withDescription("no progress and no summary; warnings and errors only")
)
export const common = { home, db, quiet }
/** The commands that do a run: their summaries as one JSON object on stdout (see the README for each). */
const json = Options.boolean("json").pipe(
  Options.withDescription("print the run's summary as one JSON object on stdout, nothing else there (notes and progress stay on stderr)")
)
const runOptions = { ...common, json }
/** `Layers.withBase` for a command with `runOptions`. */
const withRunBase = <A, E, R>(options: Layers.CommonOptions & { readonly json: boolean }, layer: Layer.Layer<A, E, R>) =>
  Layers.withBase({ ...options, summaryJson: options.json }, layer)

/** Where the file store is: download and import-export write into the same one. */
const dest = Options.text("dest").pipe(
  Options.withPseudoName("DIR"),
  Options.withDescription("the folder the files go to, remembered the first time (default <home>/files); a different one later is refused"),
  Options.optional
)

const withDetails = Options.boolean("details").pipe(
  Options.withDescription("then read the details of every photo that needs them, as `fbk details` does (it can take hours; stop and resume at any point)")
)
const withFiles = Options.boolean("files").pipe(
  Options.withDescription("then fetch every photo's file that is missing or changed, as `fbk download` does (into the folder it already uses, else <home>/files)")
)

/**
 * `sync`, then the files and the details queue when --files and --details ask for them (only
 * after a sync that succeeded), holding the run lock from one to the next.
 */
const thenMore = <A, E, R>(
  command: string,
  sync: Effect.Effect<A, E, R>,
  options: { readonly details: boolean; readonly files: boolean }
) => {
  const files = options.files
    ? download(DOWNLOAD_DEFAULTS)
    : Effect.void
  const more = options.details ? Effect.zipRight(files, details({ maxCalls: Option.none() })) : files
  return options.details || options.files
    ? Effect.flatMap(RunLock, (lock) => lock.exclusive(command)(Effect.asVoid(Effect.zipRight(sync, more))))
    : Effect.asVoid(sync)
}

/**
 * A whole number from `min` (to `max`), refused as it is parsed, before anything is opened, in
 * one line naming the option.
 */
const wholeNumber = (name: string, min: number, max?: number) => {
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

const setupCommand = Command.make(
  "setup",
  {
    ...common,
    noBrowser: Options.boolean("no-browser").pipe(
      Options.withDescription("do not open a browser: print the URL and read the code Flickr shows (from the prompt or one line of stdin)")
    ),
    force: Options.boolean("force").pipe(Options.withDescription("set up again even if the stored token works")),
    timeout: wholeNumber("timeout", 1).pipe(
      Options.withPseudoName("SECONDS"),
      Options.withDefault(300),
      Options.withDescription("seconds to wait for the browser to come back")
    )
  },
  (options) => setup({ noBrowser: options.noBrowser, force: options.force, timeout: Duration.seconds(options.timeout) })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.setup.pipe(Layer.provideMerge(Layer.merge(UserInput.layer, Browser.layer))))),
  Command.withDescription(
    "Connect fbk to your Flickr account: API key and secret ($FLICKR_API_KEY / $FLICKR_API_SECRET, else asked), " +
      "read-only authorisation in the browser, then the database."
  )
)

const backupCommand = Command.make(
  "backup",
  {
    ...runOptions,
    numPages: wholeNumber("numpages", 1).pipe(
      Options.withDescription("back up only this many pages (a staged backup)"),
      Options.optional
    ),
    pageNum: wholeNumber("pagenum", 1).pipe(
      Options.withDescription("the Flickr page to start a staged backup at (1 is the newest uploads)"),
      Options.optional
    ),
    perPage: wholeNumber("per-page", 1, MAX_PER_PAGE).pipe(
      Options.withDefault(MAX_PER_PAGE),
      Options.withDescription(`photos per page, 1 to ${MAX_PER_PAGE}`)
    ),
    details: withDetails,
    files: withFiles
  },
  (options) =>
    thenMore("backup", backup({ numPages: options.numPages, pageNum: options.pageNum, perPage: options.perPage }), options)
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Back up every photo's details into the database. Resumes an interrupted backup. " +
      "With --numpages/--pagenum, only those pages (newest first)."
  )
)

const updateCommand = Command.make(
  "update",
  { ...runOptions, details: withDetails, files: withFiles },
  (options) => thenMore("update", update({ perPage: MAX_PER_PAGE }), options)
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Bring the database up to date: new and changed photos since the last sync, and photos deleted on Flickr " +
      "(kept here, marked deleted_at)."
  )
)

const detailsCommand = Command.make(
  "details",
  {
    ...runOptions,
    maxCalls: wholeNumber("max-calls", 1).pipe(
      Options.withDescription(
        "make at most this many API calls this run (a photo costs 1 to 4: getInfo, EXIF, comments, people); a photo " +
          "the limit stops halfway stays queued and is read whole next run; default: the whole queue"
      ),
      Options.optional
    )
  },
  (options) => details({ maxCalls: options.maxCalls })
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Read each photo's details (notes, tags with their authors, places, EXIF, comments, the people in it), one call a " +
      "photo and more where there is more: the photos without details, or changed since theirs were read. Stops and " +
      "resumes at any point."
  )
)

const MAX_CONCURRENCY = 16

const downloadCommand = Command.make(
  "download",
  {
    ...runOptions,
    dest,
    concurrency: wholeNumber("concurrency", 1, MAX_CONCURRENCY).pipe(
      Options.withDefault(DOWNLOAD_DEFAULTS.concurrency),
      Options.withDescription(`files fetched at once, 1 to ${MAX_CONCURRENCY}`)
    ),
    only: Options.choice("only", ["photos", "videos"]).pipe(
      Options.withDescription("fetch only photos, or only videos"),
      Options.optional
    ),
    links: Options.choice("links", ["symlink", "hardlink", "copy"]).pipe(
      Options.withDescription(
        "how album folders reach the files: relative symbolic links (the first default), hard links, or copies " +
          "(for file systems or apps that need them); remembered for later runs"
      ),
      Options.optional
    ),
    retryProblems: Options.boolean("retry-problems").pipe(
      Options.withDescription("ask again for the files recorded as problems (`fbk status` counts them), which are otherwise skipped until the photo changes")
    )
  },
  (options) =>
    download({
      dest: options.dest,
      concurrency: options.concurrency,
      only: Option.getOrElse(options.only, () => "all" as const),
      links: options.links,
      retryProblems: options.retryProblems
    })
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Fetch each photo's and video's file (the original, else the largest size Flickr offers) into the file store, " +
      "checked and hashed, then keep albums/ and collections/ folders in step with Flickr. Only what is missing or " +
      "changed is fetched; an interrupted transfer resumes; nothing is ever deleted."
  )
)

const importExportCommand = Command.make(
  "import-export",
  {
    ...runOptions,
    paths: Args.path({ name: "PATH", exists: "yes" }).pipe(
      Args.atLeast(1),
      Args.withDescription("Flickr's export: its zips, or folders holding them (or the files unpacked from them)")
    ),
    dest
  },
  (options) =>
    // The database is opened (or, on a home never set up, created) only once the inputs hold an export.
    Effect.scoped(Effect.flatMap(findExport(options.paths), (found) =>
      importExport({ paths: options.paths, dest: options.dest }, found).pipe(Effect.provide(Layers.importExport))))
).pipe(
  Command.provide((options) => withRunBase(options, Layers.exportInput)),
  Command.withDescription(
    "Import Flickr's own data export (\"Request my Flickr data\"): each original into the file store (checked, never twice), " +
      "and photos the database lacks; on a home never set up, the whole account (photos, albums, comments, notes, search) from the export."
  )
)

const verifyCommand = Command.make(
  "verify",
  {
    ...runOptions,
    repair: Options.boolean("repair").pipe(
      Options.withDescription("set altered files aside (renamed, never deleted) and fetch the missing and altered ones again")
    )
  },
  (options) => verify({ repair: options.repair, download: DOWNLOAD_DEFAULTS })
).pipe(
  Command.provide((options) => withRunBase(options, Layers.verify)),
  Command.withDescription(
    "Read every recorded file back and compare its size and SHA-256 with the `files` table. Lists files missing or altered " +
      "on disk and exits non-zero when there are any; --repair fetches them again."
  )
)

const linkCommand = Command.make(
  "link",
  {
    ...common,
    folders: Args.directory({ name: "DIR", exists: "either" }).pipe(
      Args.atLeast(1),
      Args.withDescription("folders holding your own photos and videos (searched all the way down; symbolic links are not followed)")
    ),
    json: Options.boolean("json").pipe(Options.withDescription("machine-readable report, with every list whole"))
  },
  (options) => link({ folders: options.folders, json: options.json })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.link)),
  Command.withDescription(
    "Find which photos and videos on your disks are which Flickr photo: the same bytes as a downloaded file, else the " +
      "same date taken and pixel size, else the title as file name. Reports what is only on Flickr or only on disk, " +
      "ambiguous, unreadable or edited since upload. Files are never changed."
  )
)

const statusCommand = Command.make(
  "status",
  { ...common, json: Options.boolean("json").pipe(Options.withDescription("machine-readable output")) },
  (options) => status({ json: options.json })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.status)),
  Command.withDescription("Show the account, the database, photo counts, the last backup and update, and any interrupted run.")
)

const tilesUrl = Options.text("tiles").pipe(
  Options.withPseudoName("URL"),
  Options.withDescription("an online map tile server's URL, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png, drawn under the bundled world outline"),
  Options.withSchema(
    Schema.String.pipe(Schema.filter((url) => /^https?:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{y\}/.test(url), {
      message: (issue) => `--tiles must be an http(s) URL with {z}, {x} and {y} in it (got ${String(issue.actual)})`
    }))
  ),
  Options.optional
)

const serveCommand = Command.make(
  "serve",
  {
    ...common,
    port: wholeNumber("port", 0, 65535).pipe(
      Options.withDescription(`the port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`),
      Options.withDefault(DEFAULT_PORT)
    ),
    host: Options.text("host").pipe(
      Options.withPseudoName("ADDR"),
      Options.withDescription(
        `the address to listen on (default ${DEFAULT_HOST}, this machine only); another one, e.g. 0.0.0.0 to browse from a phone, ` +
          "makes fbk print an address with a secret token that the viewer asks for"
      ),
      Options.withDefault(DEFAULT_HOST)
    ),
    open: Options.boolean("open").pipe(Options.withDescription("also open the viewer in the web browser")),
    tiles: tilesUrl
  },
  (options) =>
    // Loaded here, not with the other commands: the pages, the sanitiser and the map cost every other command start-up time.
    Effect.flatMap(
      Effect.promise(() => import("./programs/serve/Serve.js")),
      ({ serve }) => serve({ port: options.port, host: options.host, open: options.open, tiles: options.tiles })
    )
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.viewer.pipe(Layer.provideMerge(Browser.layer)))),
  Command.withDescription(
    "Browse the archive in a web browser: the timeline, each photo with everything fbk holds about it, albums, " +
      "collections, tags, search, a map that works offline, and the status. Read-only; Ctrl-C stops it."
  )
)

const thumbsCommand = Command.make(
  "thumbs",
  {
    ...common,
    size: Options.choice("size", ["small", "large", "all"]).pipe(
      Options.withDescription(
        "which to make: small (the grids' thumbnails, 400 px high), large (the photo page's picture, up to 2048 px), or all"
      ),
      Options.withDefault("small" as const)
    )
  },
  (options) => thumbs({ size: options.size })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.thumbs)),
  Command.withDescription(
    "Make the viewer's thumbnails ahead of time, on every core, so `fbk serve` shows every grid at once. Kept under " +
      "<home>/thumbs, so a stopped run carries on where it was; files not downloaded yet are left out (`fbk download` first)."
  )
)

const searchCommand = Command.make(
  "search",
  {
    ...common,
    query: Args.text({ name: "query" }).pipe(
      Args.repeated,
      Args.mapEffect((words) =>
        words.length === 0
          ? Effect.fail(HelpDoc.p("say what to search for: fbk search WORDS"))
          : Effect.succeed(words)
      ),
      Args.withDescription("words to look for (all must match); \"a phrase\", word* for a prefix, OR, or title:, description:, tags:, notes:, comments:, people: for one field")
    ),
    json: Options.boolean("json").pipe(Options.withDescription("machine-readable output")),
    limit: wholeNumber("limit", 1, 100_000).pipe(Options.withDefault(50), Options.withDescription("show at most this many photos"))
  },
  (options) => search({ query: options.query.join(" "), limit: options.limit, json: options.json })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.repositories)),
  Command.withDescription(
    "Search the photos stored here (titles, descriptions, tags, notes, comments, people) and print each match's id, " +
      "date taken, title, albums and Flickr page. Photos deleted on Flickr are left out. No network."
  )
)

const demoCommand = Command.make(
  "demo",
  {
    home: Options.directory("home").pipe(
      Options.withDescription("where the demo account's home goes (default: a new temporary directory)"),
      Options.optional
    ),
    photos: wholeNumber("photos", 1, 1_000_000).pipe(Options.withDefault(2500), Options.withDescription("size of the demo account"))
  },
  (options) => demo({ home: options.home, photos: options.photos })
).pipe(
  Command.withDescription(
    "Try fbk without a Flickr account: starts the built-in Flickr simulator, sets up, backs up and shows the status."
  )
)

export const fbk = Command.make("fbk").pipe(
  Command.withDescription("Keep a complete, trustworthy local copy of your Flickr account in SQLite."),
  Command.withSubcommands([
    setupCommand,
    backupCommand,
    updateCommand,
    detailsCommand,
    downloadCommand,
    importExportCommand,
    verifyCommand,
    linkCommand,
    searchCommand,
    serveCommand,
    thumbsCommand,
    statusCommand,
    demoCommand
  ])
)

export const run = Command.run(fbk, { name: "fbk", version: "0.1.0" })

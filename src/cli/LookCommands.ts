// The commands that read what is stored: status, serve, search, show, db-backup, and the demo.
import { Args, Command, HelpDoc, Options } from "@effect/cli"
import { Effect, Layer, Schema } from "effect"
import * as Layers from "../Layers.js"
import { dbBackup } from "../programs/DbBackup.js"
import { demo, DEMO_PHOTOS } from "../Demo.js"
import { search } from "../programs/Search.js"
import { DEFAULT_HOST, DEFAULT_PORT } from "../programs/serve/ServeOptions.js"
import { show } from "../programs/Show.js"
import { status } from "../programs/Status.js"
import * as Browser from "../services/terminal/Browser.js"
import { common, wholeNumber } from "./Options.js"

export const statusCommand = Command.make(
  "status",
  { ...common, json: Options.boolean("json").pipe(Options.withDescription("machine-readable output")) },
  (options) => status({ json: options.json })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.status)),
  Command.withDescription(
    "Show the account, the database, photo counts, the last backup, update, download, verify and link (local times), " +
      "the run in progress, and what is pending with the command that does it. --json: the same as data, times ISO 8601 UTC."
  )
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

export const serveCommand = Command.make(
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
      Effect.promise(() => import("../programs/serve/Serve.js")),
      ({ serve }) => serve({ port: options.port, host: options.host, open: options.open, tiles: options.tiles })
    )
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.viewer.pipe(Layer.provideMerge(Browser.layer)))),
  Command.withDescription(
    "Browse the archive in a web browser: the timeline, each photo with everything fbk holds about it, albums, " +
      "collections, tags, search, a map that works offline, and the status. Read-only; Ctrl-C stops it."
  )
)


export const searchCommand = Command.make(
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

export const showCommand = Command.make(
  "show",
  {
    ...common,
    id: Args.text({ name: "ID" }).pipe(
      Args.withSchema(Schema.String.pipe(Schema.pattern(/^[0-9]{1,30}$/, {
        message: (issue) => `a photo's id is its number on Flickr, digits only (got ${JSON.stringify(issue.actual)})`
      }))),
      Args.withDescription("the photo's id: the number in its Flickr address (`fbk search` prints it)")
    ),
    json: Options.boolean("json").pipe(Options.withDescription("everything as one JSON object (times in ISO 8601, UTC)"))
  },
  (options) => show({ id: options.id, json: options.json })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.show)),
  Command.withDescription(
    "Show everything stored about one photo: title, description, dates, owner, privacy, licence, tags, location, counts, " +
      "whether Flickr deleted it, its albums and their collections, its files in the store, the copies `fbk link` found " +
      "on your disks, and the earlier versions of its record. No network."
  )
)

export const dbBackupCommand = Command.make(
  "db-backup",
  {
    ...common,
    file: Args.path({ name: "FILE", exists: "either" }).pipe(Args.withDescription("where the copy goes (its folder must exist)")),
    force: Options.boolean("force").pipe(Options.withDescription("replace FILE if it exists (otherwise refused)"))
  },
  (options) => dbBackup({ file: options.file, force: options.force })
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.dbBackup)),
  Command.withDescription(
    "Copy the database to FILE, consistent as of one moment, even while a backup, update or download writes to it " +
      "(SQLite's VACUUM INTO): written under a temporary name beside FILE with the database's own permissions, then renamed. " +
      "Prints the path and size. The files store and credentials.json are not in it (see the README on backing up fbk's home)."
  )
)

export const demoCommand = Command.make(
  "demo",
  {
    home: Options.directory("home").pipe(
      Options.withDescription("where the demo account's home goes (default: a new temporary directory)"),
      Options.optional
    ),
    photos: wholeNumber("photos", 1, 1_000_000).pipe(
      Options.withDefault(DEMO_PHOTOS),
      Options.withDescription(`size of the demo account (default ${DEMO_PHOTOS}; more photos take longer)`)
    )
  },
  (options) => demo({ home: options.home, photos: options.photos })
).pipe(
  Command.withDescription(
    "Try fbk without a Flickr account: starts the built-in Flickr simulator, sets up, backs up, downloads the files, " +
      "links a folder, shows the status and a search; then says where it left everything, how to remove it, and how to browse it with fbk serve."
  )
)

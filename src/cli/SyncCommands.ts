// The commands that connect to Flickr and keep the database in step: setup, backup, update, details.
import { Command, Options } from "@effect/cli"
import { Duration, Layer } from "effect"
import * as Layers from "../Layers.js"
import { afterSync } from "../programs/AfterSync.js"
import { backup } from "../programs/Backup.js"
import { details } from "../programs/Details.js"
import { setup } from "../programs/Setup.js"
import { update } from "../programs/Update.js"
import * as Browser from "../services/terminal/Browser.js"
import { MAX_PER_PAGE } from "../services/flickr/FlickrApi.js"
import * as UserInput from "../services/terminal/UserInput.js"
import { common, filesAfterSync, runOptions, wait, waiting, wholeNumber, withDetails, withRunBase } from "./Options.js"

export const setupCommand = Command.make(
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

export const backupCommand = Command.make(
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
    files: filesAfterSync,
    wait
  },
  (options) =>
    afterSync("backup", backup({ numPages: options.numPages, pageNum: options.pageNum, perPage: options.perPage }), options).pipe(
      waiting(options)
    )
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Back up every photo's details into the database. Resumes an interrupted backup. " +
      "With --numpages/--pagenum, only those pages (newest first). Once a file store exists, the new and changed photos' " +
      "files follow, as `fbk download` fetches them (--no-files: not this run)."
  )
)

export const updateCommand = Command.make(
  "update",
  { ...runOptions, details: withDetails, files: filesAfterSync, wait },
  (options) => afterSync("update", update({ perPage: MAX_PER_PAGE }), options).pipe(waiting(options))
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Bring the database up to date: new and changed photos since the last sync, and photos deleted on Flickr " +
      "(kept here, marked deleted_at). Once a file store exists, the new, changed and replaced photos' files follow, as " +
      "`fbk download` fetches them (--no-files: not this run)."
  )
)

export const detailsCommand = Command.make(
  "details",
  {
    ...runOptions,
    maxCalls: wholeNumber("max-calls", 1).pipe(
      Options.withDescription(
        "make at most this many API calls this run (a photo costs 1 to 4: getInfo, EXIF, comments, people); a photo " +
          "the limit stops halfway stays queued and is read whole next run; default: the whole queue"
      ),
      Options.optional
    ),
    wait
  },
  (options) => details({ maxCalls: options.maxCalls }).pipe(waiting(options))
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Read each photo's details (notes, tags with their authors, places, EXIF, comments, the people in it), one call a " +
      "photo and more where there is more: the photos without details, or changed since theirs were read. Stops and " +
      "resumes at any point."
  )
)

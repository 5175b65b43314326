// The commands about files: download, import-export, verify, link, thumbs and copy-out.
import { Args, Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { Effect, Option, Schema } from "effect"
import * as Layers from "../Layers.js"
import { copyOut } from "../programs/CopyOut.js"
import { download, DOWNLOAD_DEFAULTS } from "../programs/Download.js"
import { downloadDryRun } from "../programs/download/DryRun.js"
import { link } from "../programs/Link.js"
import { findExport } from "../programs/export/ExportInventory.js"
import { importExport } from "../programs/ImportExport.js"
import { thumbs } from "../programs/Thumbs.js"
import { verify } from "../programs/Verify.js"
import { common, dest, runOptions, wait, waiting, wholeNumber, withRunBase } from "./Options.js"

const MAX_CONCURRENCY = 16

/** --sidecars / --no-sidecars: remembered by the store; neither: as it was last told (none at first). */
const sidecarsChoice = Options.all({
  on: Options.boolean("sidecars").pipe(
    Options.withDescription(
      "write an XMP sidecar beside each original (<id>.<ext>.xmp: title, description, tags, albums and collections as keywords, " +
        "date, location, licence) for Immich, digiKam, PhotoPrism and others, and keep them in step; remembered for later runs"
    )
  ),
  off: Options.boolean("no-sidecars").pipe(
    Options.withDescription("stop writing sidecars and remove the ones fbk wrote (a sidecar changed since fbk wrote it is left alone)")
  )
}).pipe(
  Options.mapEffect(({ off, on }) =>
    on && off
      ? Effect.fail(ValidationError.invalidValue(HelpDoc.p("--sidecars and --no-sidecars contradict each other; give one of them")))
      : Effect.succeed(on ? Option.some(true) : off ? Option.some(false) : Option.none<boolean>())
  )
)

export const downloadCommand = Command.make(
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
    sidecars: sidecarsChoice,
    retryProblems: Options.boolean("retry-problems").pipe(
      Options.withDescription("ask again for the files recorded as problems (`fbk status` counts them), which are otherwise skipped until the photo changes")
    ),
    dryRun: Options.boolean("dry-run").pipe(
      Options.withDescription(
        "write nothing: say what the run would fetch (by kind and why, sizes where known, the API calls) and change in albums/ " +
          "and collections/, with examples (--json: all of it as one object); takes no lock, so a run going on may change the plan"
      )
    ),
    wait
  },
  (options) => {
    const asked = {
      dest: options.dest,
      concurrency: options.concurrency,
      only: Option.getOrElse(options.only, () => "all" as const),
      links: options.links,
      retryProblems: options.retryProblems,
      sidecars: options.sidecars
    }
    return options.dryRun ? downloadDryRun(asked) : download(asked).pipe(waiting(options))
  }
).pipe(
  Command.provide((options) => withRunBase(options, Layers.sync)),
  Command.withDescription(
    "Fetch each photo's and video's file (the original, else the largest size Flickr offers) into the file store, " +
      "checked and hashed, then keep albums/ and collections/ folders in step with Flickr. Only what is missing or " +
      "changed is fetched; an interrupted transfer resumes; nothing is ever deleted."
  )
)

export const importExportCommand = Command.make(
  "import-export",
  {
    ...runOptions,
    paths: Args.path({ name: "PATH", exists: "yes" }).pipe(
      Args.atLeast(1),
      Args.withDescription("Flickr's export: its zips, or folders holding them (or the files unpacked from them)")
    ),
    dest,
    wait
  },
  (options) =>
    // The database is opened (or, on a home never set up, created) only once the inputs hold an export.
    Effect.scoped(Effect.flatMap(findExport(options.paths), (found) =>
      importExport({ paths: options.paths, dest: options.dest }, found).pipe(Effect.provide(Layers.importExport)))).pipe(waiting(options))
).pipe(
  Command.provide((options) => withRunBase(options, Layers.exportInput)),
  Command.withDescription(
    "Import Flickr's own data export (\"Request my Flickr data\"): each original into the file store (checked, never twice), " +
      "and photos the database lacks; on a home never set up, the whole account (photos, albums, comments, notes, search) from the export."
  )
)

export const verifyCommand = Command.make(
  "verify",
  {
    ...runOptions,
    repair: Options.all({
      repair: Options.boolean("repair").pipe(
        Options.withDescription("set altered files aside (renamed, never deleted) and fetch the missing and altered ones again")
      ),
      dryRun: Options.boolean("dry-run").pipe(
        Options.withDescription(
          "with --repair: read every file back, then say what the repair would set aside, forget and fetch, and change in the folders, writing nothing"
        )
      )
    }).pipe(
      Options.mapEffect((asked) =>
        asked.dryRun && !asked.repair
          ? Effect.fail(ValidationError.invalidValue(HelpDoc.p("--dry-run goes with --repair (verify alone changes no file: it only records when each was checked)")))
          : Effect.succeed(asked)
      )
    ),
    wait
  },
  (options) => verify({ ...options.repair, download: DOWNLOAD_DEFAULTS }).pipe(waiting(options))
).pipe(
  Command.provide((options) => withRunBase(options, Layers.verify)),
  Command.withDescription(
    "Read every recorded file back and compare its size and SHA-256 with the `files` table. Lists files missing or altered " +
      "on disk and exits non-zero when there are any; --repair fetches them again."
  )
)

export const linkCommand = Command.make(
  "link",
  {
    ...common,
    folders: Args.directory({ name: "DIR", exists: "either" }).pipe(
      Args.atLeast(1),
      Args.withDescription("folders holding your own photos and videos (searched all the way down; symbolic links are not followed)")
    ),
    json: Options.boolean("json").pipe(Options.withDescription("machine-readable report, with every list whole")),
    wait
  },
  (options) => link({ folders: options.folders, json: options.json }).pipe(waiting(options))
).pipe(
  Command.provide((options) => Layers.withBase(options, Layers.link)),
  Command.withDescription(
    "Find which photos and videos on your disks are which Flickr photo: the same bytes as a downloaded file, else the " +
      "same date taken and pixel size, else the title as file name. Reports what is only on Flickr or only on disk, " +
      "ambiguous, unreadable or edited since upload. Files are never changed."
  )
)


export const thumbsCommand = Command.make(
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

/** A calendar day as `YYYY-MM-DD` that exists (no 2026-02-30). */
const calendarDay = Schema.String.pipe(Schema.filter((day) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (m === null) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().slice(0, 10) === day
}, { message: (issue) => `--since must be a day as YYYY-MM-DD, e.g. 2019-07-01 (got ${String(issue.actual)})` }))

export const copyOutCommand = Command.make(
  "copy-out",
  {
    ...runOptions,
    dir: Args.text({ name: "DIR" }).pipe(Args.withDescription("the folder the copies go to (made when missing); never inside the file store")),
    albums: Options.text("album").pipe(
      Options.withPseudoName("ID"),
      Options.withDescription("only the photos in this album (its Flickr id; repeat for several); with --layout albums, only its folder"),
      Options.repeated
    ),
    tags: Options.text("tag").pipe(
      Options.withPseudoName("TAG"),
      Options.withDescription("only the photos with this tag, as typed on Flickr or in its plain form (repeat: any of them)"),
      Options.repeated
    ),
    search: Options.text("search").pipe(
      Options.withPseudoName("QUERY"),
      Options.withDescription("only the photos `fbk search QUERY` finds (the same words, phrases, OR and column:)"),
      Options.optional
    ),
    since: Options.text("since").pipe(
      Options.withPseudoName("DATE"),
      Options.withDescription("only the photos taken on or after this day (YYYY-MM-DD, the date taken Flickr keeps)"),
      Options.withSchema(calendarDay),
      Options.optional
    ),
    layout: Options.choice("layout", ["dates", "albums"]).pipe(
      Options.withDescription(
        "dates: YYYY/MM/<title>.<ext> by date taken; albums: <album>/<NNNN> <title>.<ext> in the album's order, " +
          "a photo in three albums copied three times, photos in no album under (not in any album)/"
      ),
      Options.withDefault("dates" as const)
    ),
    noGps: Options.boolean("no-gps").pipe(
      Options.withDescription("leave every location out, Flickr's and the camera's own, for copies meant to be shared")
    ),
    titleInDescription: Options.boolean("title-in-description").pipe(
      Options.withDescription("also write the title as the description's first line, for Immich, which shows no title")
    ),
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("say what would be copied, and write nothing"))
  },
  (options) =>
    copyOut({
      dir: options.dir,
      albums: options.albums,
      tags: options.tags,
      search: options.search,
      since: options.since,
      layout: options.layout,
      gps: !options.noGps,
      titleInDescription: options.titleInDescription,
      dryRun: options.dryRun
    })
).pipe(
  Command.provide((options) => withRunBase(options, Layers.copyOut)),
  Command.withDescription(
    "Copy the chosen originals into DIR with their Flickr title, description, tags, albums, date and place inside " +
      "(XMP, plus IPTC and EXIF in JPEGs, QuickTime dates in videos), for photo apps that read only the file (Apple Photos, " +
      "Google Photos). The originals are never touched and the image data is not re-encoded. A second run writes only " +
      "new and changed copies (recorded in DIR/.fbk-copy-out.json); files fbk did not write are never overwritten, and " +
      "nothing is deleted but fbk's own earlier copy of a renamed photo."
  )
)

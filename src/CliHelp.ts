// What the help says beyond Cli.ts's definitions: each command's group and one-line summary
// for `fbk --help`, and its examples. Options and descriptions come from Cli.ts itself.

export const GROUPS = ["Getting started", "Keeping in sync", "Files", "Looking", "Other"] as const
export type Group = (typeof GROUPS)[number]

/** A command line and what it does, in a few words. */
export type Example = readonly [command: string, does: string]

export interface CommandEntry {
  readonly group: Group
  /** For the list of commands: lower case, no full stop, within 62 columns. */
  readonly summary: string
  readonly examples: ReadonlyArray<Example>
}

/**
 * One entry per command of Cli.ts (a test checks that none is missing); their order is the help's.
 * An entry whose command is not in Cli.ts is not shown.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  demo: {
    group: "Getting started",
    summary: "try fbk on a simulated account, no Flickr account needed",
    examples: [
      ["fbk demo", "1,000 photos in a new temporary home"],
      ["fbk demo --photos 200 --home /tmp/fbk-demo", "a smaller account, kept where you say"]
    ]
  },
  setup: {
    group: "Getting started",
    summary: "connect fbk to your Flickr account (read-only)",
    examples: [
      ["fbk setup", "asks for the API key and secret, then opens the browser"],
      ["fbk setup --no-browser", "on a machine without one: prints the URL, reads the code"],
      ["fbk setup --force", "set up again, e.g. with another key"]
    ]
  },
  backup: {
    group: "Keeping in sync",
    summary: "back up every photo's details into the database",
    examples: [
      ["fbk backup", "the whole photostream"],
      ["fbk backup --numpages 2", "only the newest 1,000 photos, for a first look"],
      ["fbk backup --files --details", "then every file and every photo's full details"],
      ["fbk backup --wait", "once another fbk run has finished, not instead"]
    ]
  },
  update: {
    group: "Keeping in sync",
    summary: "bring the database up to date: new, changed, deleted photos",
    examples: [
      ["fbk update", "what changed on Flickr since the last sync"],
      ["fbk update -q --wait", "for cron: quiet, and after any run still going"],
      ["fbk update --no-files", "the database only, this time (the file store waits)"]
    ]
  },
  details: {
    group: "Keeping in sync",
    summary: "read each photo's notes, tags, EXIF, comments and people",
    examples: [
      ["fbk details", "the whole queue (hours on a large account; resumable)"],
      ["fbk details --max-calls 3000", "at most 3,000 API calls this run, the rest next time"]
    ]
  },
  download: {
    group: "Files",
    summary: "fetch every photo's file; keep album folders in step",
    examples: [
      ["fbk download", "into <home>/files, or the folder used before"],
      ["fbk download --dest /mnt/photos", "the first time: where the files go"],
      ["fbk download --only videos --concurrency 8", "the videos, eight at a time"],
      ["fbk download --json > summary.json", "the run's counts as one JSON object, for a script"],
      ["fbk download --links copy --dry-run", "what it would fetch and change in the folders, writing nothing"]
    ]
  },
  "import-export": {
    group: "Files",
    summary: "import Flickr's own data export (\"Request my Flickr data\")",
    examples: [
      ["fbk import-export ~/Downloads/data-*.zip", "the export's zips"],
      ["fbk import-export ~/Downloads/flickr", "a folder holding them, or unpacked"]
    ]
  },
  verify: {
    group: "Files",
    summary: "check every stored file against its recorded SHA-256",
    examples: [
      ["fbk verify", "lists missing and altered files; exit 1 if any"],
      ["fbk verify --repair", "sets altered files aside and fetches them again"],
      ["fbk verify --repair --dry-run", "what the repair would set aside and fetch, writing nothing"]
    ]
  },
  link: {
    group: "Files",
    summary: "find which files on your disks are which Flickr photo",
    examples: [
      ["fbk link ~/Pictures", "the report: linked, only on Flickr, only on disk"],
      ["fbk link ~/Pictures /mnt/old --json > links.json", "every list whole"]
    ]
  },
  thumbs: {
    group: "Files",
    summary: "make the viewer's thumbnails ahead of time",
    examples: [
      ["fbk thumbs", "the grids' thumbnails"],
      ["fbk thumbs --size all", "the photo pages' larger pictures too"]
    ]
  },
  "copy-out": {
    group: "Files",
    summary: "copies with the Flickr metadata inside, for other photo apps",
    examples: [
      ["fbk copy-out ~/flickr", "every photo, as YYYY/MM/<title>.jpg"],
      ["fbk copy-out /mnt/usb --tag cat --no-gps", "photos tagged cat, without locations, to share"],
      ["fbk copy-out ~/albums --layout albums", "a folder per album, for apps that import folders as albums"],
      ["fbk copy-out ~/flickr --dry-run", "what would be copied, writing nothing"]
    ]
  },
  status: {
    group: "Looking",
    summary: "the account, the counts, the last backup and update",
    examples: [
      ["fbk status", "for a person"],
      ["fbk status --json", "for a script"]
    ]
  },
  search: {
    group: "Looking",
    summary: "search the photos stored here (no network)",
    examples: [
      ["fbk search harbour sunset", "photos with both words"],
      ["fbk search '\"beach walk\"' tags:cat", "a phrase, and a word in the tags"],
      ["fbk search iceland OR norway --limit 10 --json", "either word, for a script"]
    ]
  },
  show: {
    group: "Looking",
    summary: "everything stored about one photo",
    examples: [
      ["fbk show 53412345678", "title, dates, tags, albums, files, earlier versions"],
      ["fbk show 53412345678 --json", "the same as one JSON object"]
    ]
  },
  serve: {
    group: "Looking",
    summary: "browse the archive in a web browser",
    examples: [
      ["fbk serve --open", "http://127.0.0.1:8421/, opened in the browser"],
      ["fbk serve --host 0.0.0.0", "from a phone too: prints an address with a token"]
    ]
  },
  "db-backup": {
    group: "Other",
    summary: "copy the database safely, even while fbk writes to it",
    examples: [
      ["fbk db-backup ~/fbk-copy.sqlite", "a consistent copy, even during a backup"],
      ["fbk db-backup /mnt/usb/fbk.sqlite --force", "replacing the copy made last time"]
    ]
  }
}

/** The examples of `fbk --help`. */
export const EXAMPLES: ReadonlyArray<Example> = [
  ["fbk demo", "see what fbk does, without a Flickr account"],
  ["fbk setup", "connect to your account (needs a Flickr API key)"],
  ["fbk backup --files", "every photo's details, then every file"],
  ["fbk update -q --wait", "keep up with Flickr (files too), e.g. nightly from cron"],
  ["fbk serve --open", "browse the archive"]
]

/** Where the whole story is. */
export const README = "every command in detail, how fbk talks to Flickr"

// What a step of the folder sync did, as counts that add up across albums and collection folders.

export interface FolderTally {
  /** Entries in album folders after the run, the folder of photos in no album included. */
  readonly entries: number
  /** Entries and collection links made, or renamed to a new name. */
  readonly entriesMade: number
  /** Entries and collection links removed, or renamed away from an old name. */
  readonly entriesRemoved: number
  /** Names wanted for an entry or folder but held by something fbk did not make; left alone. */
  readonly skipped: number
  /** Hard link and copy modes: entries whose file is not in `originals/` (nothing made, nothing removed). */
  readonly missing: number
  /**
   * Files and folders under `albums/` and `collections/` that fbk did not make (or cannot show
   * it made: a copy of an earlier version of the original), left where they are; a folder that
   * holds one stays.
   */
  readonly leftAlone: number
}

export const noChange: FolderTally = { entries: 0, entriesMade: 0, entriesRemoved: 0, skipped: 0, missing: 0, leftAlone: 0 }

/** `counts` over nothing done. */
export const tally = (counts: Partial<FolderTally>): FolderTally => ({ ...noChange, ...counts })

export const plus = (a: FolderTally, b: FolderTally): FolderTally => ({
  entries: a.entries + b.entries,
  entriesMade: a.entriesMade + b.entriesMade,
  entriesRemoved: a.entriesRemoved + b.entriesRemoved,
  skipped: a.skipped + b.skipped,
  missing: a.missing + b.missing,
  leftAlone: a.leftAlone + b.leftAlone
})

export const sum = (tallies: Iterable<FolderTally>): FolderTally => Array.from(tallies).reduce(plus, noChange)

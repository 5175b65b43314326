// `fbk link`: what a file on the user's disks says about itself, how it was matched to a Flickr
// photo, and what a run found.
import { Data } from "effect"

/** What a media file's metadata says, as ExifTool reads it; null where the file does not say. */
export interface MediaFacts {
  /** `YYYY-MM-DD HH:MM:SS`, the camera's clock, as Flickr keeps date taken. */
  readonly taken: string | null
  /** EXIF DateTimeOriginal, or a video's creation time (often UTC, not the camera's clock). */
  readonly takenFrom: "exif" | "video" | null
  readonly subsec: string | null
  readonly make: string | null
  readonly model: string | null
  readonly width: number | null
  readonly height: number | null
  readonly orientation: number | null
  readonly latitude: number | null
  readonly longitude: number | null
}

/** A file's metadata, or why it could not be read (not an image, truncated). */
export type MediaReading = { readonly facts: MediaFacts } | { readonly problem: string }

export type LinkMethod = "sha256" | "exif" | "title"

/** The Flickr photo a file is, and what agreed; or every photo that fits when more than one does. */
export type MatchResult =
  | { readonly kind: "linked"; readonly photoId: string; readonly method: LinkMethod; readonly agreed: string }
  | { readonly kind: "ambiguous"; readonly candidates: ReadonlyArray<string>; readonly method: LinkMethod }
  | { readonly kind: "none" }

/** A Flickr photo as matching sees it. */
export interface FlickrPhoto {
  readonly id: string
  readonly title: string | null
  /** `YYYY-MM-DD HH:MM:SS`; null when Flickr only knows the upload time. */
  readonly taken: string | null
  readonly width: number | null
  readonly height: number | null
  readonly make: string | null
  readonly model: string | null
  readonly subsec: string | null
}

/** A folder given to `fbk link` that is not there or is not a folder. */
export class LinkFolderError extends Data.TaggedError("LinkFolderError")<{
  readonly path: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

// The file extensions fbk treats as photos and videos, and what each one's bytes must start
// with: one table for download, link and the export import.
import type { ExpectedKind } from "./Files.js"

/** Extensions of video containers, lowercase (Flickr's own and what cameras and phones write). */
const VIDEO_EXTENSIONS = new Set(["mp4", "m4v", "mov", "avi", "3gp", "3g2", "mts", "m2ts", "mpg", "mpeg", "wmv", "mkv", "webm", "ogv", "flv"])

/** Still-image extensions a photographer's folders hold, raw formats included. */
const IMAGE_EXTENSIONS = new Set(["jpg", "jpeg", "png", "gif", "heic", "heif", "tif", "tiff", "dng", "cr2", "cr3", "nef", "arw", "orf", "rw2", "raf"])

/** Extensions Flickr's original_format uses for images (a video's original_format is often one of them). */
const FLICKR_IMAGE_FORMATS = new Set(["jpg", "jpeg", "png", "gif"])

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".")
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ""
}

export const isVideoExtension = (ext: string): boolean => VIDEO_EXTENSIONS.has(ext.toLowerCase())

export const isFlickrImageFormat = (ext: string): boolean => FLICKR_IMAGE_FORMATS.has(ext.toLowerCase())

/** Whether a file name is a photo or video `fbk link` reads (by extension, any case). */
export const isMediaFileName = (name: string): boolean => {
  const ext = extensionOf(name)
  return IMAGE_EXTENSIONS.has(ext) || ext === "mp4" || ext === "mov" || ext === "m4v"
}

/** What a file with this extension must start with; "any" where fbk knows no signature. */
export const expectedKindOf = (ext: string): ExpectedKind => {
  switch (ext.toLowerCase()) {
    case "jpg":
    case "jpeg":
      return "jpeg"
    case "png":
      return "png"
    case "gif":
      return "gif"
    case "mp4":
    case "m4v":
      return "mp4"
    case "mov":
      return "mov"
    default:
      return "any"
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", heic: "image/heic", heif: "image/heif",
  tif: "image/tiff", tiff: "image/tiff", webp: "image/webp",
  mp4: "video/mp4", m4v: "video/mp4", mov: "video/quicktime", webm: "video/webm", ogv: "video/ogg",
  avi: "video/x-msvideo", "3gp": "video/3gpp", mpg: "video/mpeg", mpeg: "video/mpeg", mkv: "video/x-matroska"
}

/** The MIME type a browser is told a file of this name is (unknown: bytes to download). */
export const contentTypeOf = (name: string): string => CONTENT_TYPES[extensionOf(name)] ?? "application/octet-stream"

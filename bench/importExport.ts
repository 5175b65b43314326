// The import benchmark: a generated Flickr data export (the tests' builder), imported by
// `fbk import-export` into a home never set up, then imported again.
import * as fs from "node:fs"
import * as path from "node:path"
import { generateAccount, writeExport } from "../test/support/FlickrExport.js"

export const IMPORT_EXPORT = { photos: 5_000, albums: 20, accountParts: 2, mediaZips: 4 }

/** Writes the export under `dir`; returns its folder and its size on disk. */
export const writeBenchExport = async (dir: string) => {
  const account = generateAccount({ photos: IMPORT_EXPORT.photos, albums: IMPORT_EXPORT.albums, videoEvery: 50 })
  const exportDir = path.join(dir, "export")
  const written = await writeExport(exportDir, account, {
    accountParts: IMPORT_EXPORT.accountParts,
    mediaZips: IMPORT_EXPORT.mediaZips,
    zip64Last: true
  })
  const bytes = [...written.accountZips, ...written.mediaZips].reduce((sum, zip) => sum + fs.statSync(zip).size, 0)
  return { exportDir, bytes }
}

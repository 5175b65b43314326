import { describe, expect, it } from "vitest"
import { importSummary } from "../../src/programs/ImportExport.js"

const files = { copied: 1_204, copiedBytes: 3_456_789_000, already: 2, beside: 1 }

describe("importSummary", () => {
  it("says what a home built from the export gained: photos, albums, files and problems", () => {
    expect(importSummary({ fromApi: false, added: 1, changed: 0, albums: 12, files, problems: 0 })).toBe(
      "Import: 1 photo added and 0 changed from the export, 12 albums; files: 1,204 copied (3.5 GB), " +
        "2 already in the store, 1 kept beside a different file; 0 problems"
    )
  })

  it("on a home with Flickr's API, says the API's photos were left as they are instead of counting albums", () => {
    expect(importSummary({ fromApi: true, added: 3, changed: 2, albums: 0, files: { copied: 0, copiedBytes: 0, already: 0, beside: 0 }, problems: 1 }))
      .toBe(
        "Import: 3 photos added and 2 changed from the export (photos Flickr's API gave are left as they are); " +
          "files: 0 copied (0 bytes), 0 already in the store, 0 kept beside a different file; 1 problem"
      )
  })
})

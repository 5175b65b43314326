// The lines fbk prints for failures whose advice depends on the command that ran.
import { SystemError } from "@effect/platform/Error"
import { describe, expect, it } from "@effect/vitest"
import { describeError } from "../src/ErrorMessages.js"
import { FlickrAuthError, NO_API_KEY } from "../src/schema/Errors.js"
import { FilesDamaged, FileTransferError, FileWriteError } from "../src/schema/Files.js"

const full = new SystemError({ reason: "Unknown", module: "FileSystem", method: "write", pathOrDescriptor: "/store/a.jpg" })
const write = new FileWriteError({ path: "/store/a.jpg", reason: "no space left on the disk", cause: full })
const fetch = new FileTransferError({ url: "https://live.staticflickr.com/1/2_o.jpg", reason: "HTTP 503", retryable: true })

describe("describeError: the command that carries on is the one that ran", () => {
  it("a failed write or fetch names the command and the options that chose its work", () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["download", "--concurrency", "2"], "`fbk download` carries on from there"],
      [["verify", "--repair"], "`fbk verify --repair` carries on from there"],
      [["backup", "--files", "--quiet"], "`fbk backup --files` carries on from there"],
      [["import-export", "/exports/a.zip"], "running the same `fbk import-export` again carries on from there"]
    ]
    for (const [args, advice] of cases) {
      expect(describeError(write, args)).toBe(
        `cannot write /store/a.jpg (no space left on the disk); every file stored so far is kept, and ${advice}`
      )
      expect(describeError(fetch, args)).toBe(
        `cannot fetch https://live.staticflickr.com/1/2_o.jpg (HTTP 503), even after retries; every file stored so far is kept, and ${advice}`
      )
    }
  })

  it("a call refused for want of an API key says what such a home can do instead of sending it to setup alone", () => {
    const line = describeError(new FlickrAuthError({ problem: NO_API_KEY }), ["verify", "--repair"])
    expect(line).toMatch(/built from Flickr's export and has no API key/)
    expect(line).toMatch(/`fbk setup` with a Pro key/)
    expect(line).toMatch(/`fbk import-export`/)
  })
})

describe("describeError: damaged files", () => {
  it("counts the files that are there but unreadable, and says repair leaves them alone", () => {
    expect(describeError(new FilesDamaged({ missing: 1, altered: 2, unreadable: 3, repaired: false }), ["verify"])).toBe(
      "1 file missing and 2 altered on disk, 3 there but unreadable (listed above); `fbk verify --repair` sets the altered " +
        "ones aside and fetches them again (the unreadable ones are left as they are: put the disk or the permissions right)"
    )
    expect(describeError(new FilesDamaged({ missing: 1, altered: 0, unreadable: 0, repaired: false }), ["verify"])).not.toContain("unreadable")
  })
})

// `fbk demo`, the README's first command: the whole path on the built-in simulator, ending with
// a linked folder, status and a search, in one run that succeeds.
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { expectSuccess, removeTempDirs, runCli, tempDir } from "./support.js"

afterAll(removeTempDirs)

describe("fbk demo", () => {
  it("sets up, backs up, downloads, links its own pictures folder, shows status and a search", async () => {
    const home = path.join(tempDir("demo"), "home")
    const result = await runCli(["demo", "--photos", "60", "--home", home], {})
    expectSuccess(result)
    for (const step of ["$ fbk setup", "$ fbk backup", "$ fbk download", "$ fbk link", "$ fbk status", "$ fbk search"]) {
      expect(result.stdout).toContain(step)
    }
    // 8 copies linked by their bytes, 6 exports by their camera date; 3 never uploaded, 1 broken.
    expect(result.stdout).toMatch(/^ {2}linked to a Flickr photo: 14 \(8 by bytes, 6 by exif\)$/m)
    expect(result.stdout).toMatch(/^ {2}only on disk \(never uploaded\): 3$/m)
    expect(result.stdout).toMatch(/^ {2}unreadable: 1$/m)
    expect(result.stdout).toMatch(/^Links: +14 of 18 files on your disks linked to photos/m)
    // It ends with where it left everything, how to remove it, and how to open the archive in the viewer.
    expect(result.stdout.trimEnd().split("\n").slice(-5)).toEqual([
      `The demo left everything (database, files, "My Pictures") in ${home}; to remove it:`,
      `  rm -rf "${home}"`,
      "",
      "Browse the demo archive in your web browser (Ctrl-C stops it):",
      `  fbk serve --home "${home}" --open`
    ])
  })
})

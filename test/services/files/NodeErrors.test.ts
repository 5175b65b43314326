import { SystemError } from "@effect/platform/Error"
import { describe, expect, it } from "vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { isNotFound, plainReason, systemError } from "../../../src/services/files/NodeErrors.js"

const thrownBy = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error("did not throw")
}

describe("NodeErrors", () => {
  it("says why in plain words, from a node:fs error or the platform's SystemError around one", () => {
    const missing = thrownBy(() => fs.statSync(path.join(os.tmpdir(), "fbk-no-such-file-here")))
    expect(plainReason(missing)).toBe("not found")
    expect(plainReason(systemError("stat", "x", Object.assign(new Error("EROFS: read-only"), { code: "EROFS" })))).toBe("read-only file system")
    expect(plainReason(Object.assign(new Error("x"), { code: "ENOSPC" }))).toBe("no space left on the disk")
    expect(plainReason(Object.assign(new Error("EWHATEVER: odd, open '/a'"), { code: "EWHATEVER" }))).toBe("EWHATEVER: odd, open '/a'")
    expect(plainReason(new Error("plain"))).toBe("plain")
  })

  it("counts only ENOENT as missing: permission and I/O failures are not", () => {
    expect(isNotFound(Object.assign(new Error("x"), { code: "ENOENT" }))).toBe(true)
    expect(isNotFound(new SystemError({ reason: "NotFound", module: "FileSystem", method: "stat" }))).toBe(true)
    expect(isNotFound(systemError("stat", "x", Object.assign(new Error("x"), { code: "EACCES" })))).toBe(false)
    expect(isNotFound(systemError("stat", "x", Object.assign(new Error("x"), { code: "EIO" })))).toBe(false)
  })
})

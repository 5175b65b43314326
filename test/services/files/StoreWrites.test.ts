import { SystemError } from "@effect/platform/Error"
import { describe, expect, it } from "@effect/vitest"
import { diskFailure } from "../../../src/services/files/StoreWrites.js"

const failure = (code: string | undefined) =>
  new SystemError({
    reason: "Unknown",
    module: "FileSystem",
    method: "writeAll",
    pathOrDescriptor: "/store/x.part",
    description: "node said something",
    cause: code === undefined ? new Error("no code") : Object.assign(new Error(code), { code })
  })

describe("diskFailure", () => {
  it("names the disk's refusal in words a person can act on, by Node's errno code", () => {
    expect(diskFailure("/store/x.part")(failure("ENOSPC"))).toMatchObject({ path: "/store/x.part", reason: "no space left on the disk" })
    expect(diskFailure("/store/x.part")(failure("EROFS")).reason).toBe("read-only file system")
  })

  it("keeps the platform's message when the code is not one it knows, or there is none", () => {
    expect(diskFailure("/a")(failure("EWHATEVER")).reason).toBe(failure("EWHATEVER").message)
    expect(diskFailure("/a")(failure(undefined)).reason).toBe(failure(undefined).message)
  })
})

import { Redacted, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { AccessTokenAnswer, RequestTokenAnswer, TestLoginAnswer } from "../../src/schema/Auth.js"
import { readSample } from "../support/Fixtures.js"

describe("TestLoginAnswer", () => {
  it("decodes the recorded flickr.test.login answer, username out of its text node", () => {
    const sample = readSample("flickr.test.login")
    expect(Schema.decodeUnknownSync(TestLoginAnswer)(sample)).toStrictEqual({
      user: { id: "85853333@N00", username: "Jeremy Brooks" }
    })
  })

  it("also takes a plain-string username, and refuses an answer without user id", () => {
    expect(Schema.decodeUnknownSync(TestLoginAnswer)({ user: { id: "1@N01", username: "me" }, stat: "ok" })).toStrictEqual({
      user: { id: "1@N01", username: "me" }
    })
    expect(() => Schema.decodeUnknownSync(TestLoginAnswer)({ user: { username: { _content: "x" } }, stat: "ok" })).toThrow()
  })
})

describe("OAuth answers", () => {
  it("decodes access_token's form with an empty fullname, the secret redacted", () => {
    const form = Object.fromEntries(
      new URLSearchParams(
        "fullname=&oauth_token=72157626318069415-087bfc7b5816092c&oauth_token_secret=a202d1f853ec69de" +
          "&user_nsid=21207597%40N07&username=jamalfanaian"
      )
    )
    const answer = Schema.decodeUnknownSync(AccessTokenAnswer)(form)
    expect(answer.user_nsid).toBe("21207597@N07")
    expect(answer.fullname).toBe("")
    expect(Redacted.value(answer.oauth_token_secret)).toBe("a202d1f853ec69de")
    expect(String(answer.oauth_token_secret)).not.toContain("a202d1f853ec69de")
  })

  it("defaults a missing fullname and keeps a non-ASCII one", () => {
    const base = { oauth_token: "t", oauth_token_secret: "s", user_nsid: "1@N01", username: "u" }
    expect(Schema.decodeUnknownSync(AccessTokenAnswer)(base).fullname).toBe("")
    expect(Schema.decodeUnknownSync(AccessTokenAnswer)({ ...base, fullname: "Zoë Ångström" }).fullname).toBe("Zoë Ångström")
  })

  it("refuses a request_token answer without a token", () => {
    expect(() => Schema.decodeUnknownSync(RequestTokenAnswer)({ oauth_token: "", oauth_token_secret: "s" })).toThrow()
    const ok = Schema.decodeUnknownSync(RequestTokenAnswer)({
      oauth_callback_confirmed: "true",
      oauth_token: "72157626737672178-022bbd2f4c2f3432",
      oauth_token_secret: "fccb68c4e6103197"
    })
    expect(ok.oauth_token).toBe("72157626737672178-022bbd2f4c2f3432")
    expect(Redacted.value(ok.oauth_token_secret)).toBe("fccb68c4e6103197")
  })
})

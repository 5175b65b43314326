import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import { TestLoginAnswer } from "../../../src/schema/Auth.js"
import { PhotoPage } from "../../../src/schema/Photo.js"
import { CallBudget } from "../../../src/services/flickr/CallBudget.js"
import { FbkConfig } from "../../../src/services/home/FbkConfig.js"
import { FlickrHttp } from "../../../src/services/flickr/FlickrHttp.js"
import { hmacSha1, signatureBaseString } from "../../../src/services/flickr/OAuthSignature.js"
import * as Reporter from "../../../src/services/terminal/Reporter.js"
import { configFor, readSample } from "../../support/Fixtures.js"

/** What the fake Flickr answers to one request. */
type Answer =
  | {
    readonly status?: number
    readonly body: string | ReadableStream<Uint8Array>
    readonly headers?: Record<string, string>
    /** How long the answer takes to come. */
    readonly delayMillis?: number
  }
  | "connection reset"

const json = (value: unknown, status = 200): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json" }
})
const fail = (code: number | string, message: string) => json({ stat: "fail", code, message })
const LOGIN_OK = json(readSample("flickr.test.login"))
const oauthProblem = (status: number, body: string): Answer => ({
  status,
  body,
  headers: { "content-type": "text/plain;charset=UTF-8" }
})

const KEYS = { consumerKey: "653e7a6ecc1d528c516cc8f92cf98611", consumerSecret: "s3cret", token: "tok-1", tokenSecret: "tok-s3cret" }

/**
 * A fake Flickr behind an HttpClient: answers in turn (the last one repeats), and keeps every
 * URL it was asked for, query included.
 */
const fakeFlickr = (
  answers: ReadonlyArray<Answer>,
  options: { readonly retryBaseMillis?: number; readonly requestTimeoutMillis?: number } = {}
) => {
  const lines: Array<string> = []
  const requests: Array<URL> = []
  const client = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      requests.push(url)
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!
      if (answer === "connection reset") {
        return Effect.fail(
          new HttpClientError.RequestError({ request, reason: "Transport", cause: new Error("read ECONNRESET") })
        )
      }
      const response = new Response(answer.body, { status: answer.status ?? 200, headers: answer.headers ?? {} })
      return Effect.delay(Effect.succeed(HttpClientResponse.fromWeb(request, response)), answer.delayMillis ?? 0)
    })
  )
  const layer = FlickrHttp.Default.pipe(
    Layer.provideMerge(CallBudget.Default),
    Layer.provide(
      Layer.mergeAll(
        Layer.succeed(FbkConfig, configFor("/nonexistent-fbk-home", {
          retryBaseMillis: options.retryBaseMillis ?? 1,
          requestTimeoutMillis: options.requestTimeoutMillis ?? 30_000
        })),
        Reporter.collecting(lines),
        Layer.succeed(HttpClient.HttpClient, client)
      )
    )
  )
  return { requests, layer, lines }
}

const login = Effect.flatMap(FlickrHttp, (http) => http.call("flickr.test.login", {}, KEYS, TestLoginAnswer))

const paramsOf = (url: URL) => Object.fromEntries(url.searchParams)

describe("FlickrHttp.call", () => {
  it.live("decodes a successful answer, sending a signed request with the JSON parameters", () => {
    const flickr = fakeFlickr([json(readSample("flickr.people.getPhotos"))])
    return Effect.gen(function*() {
      const http = yield* FlickrHttp
      const page = yield* http.call("flickr.people.getPhotos", { user_id: "me", per_page: "500", page: "2" }, KEYS, PhotoPage)
      expect(page.photos.total).toBe(45)
      expect(page.photos.photo.map((p) => p.id)[0]).toBe("14090163898")

      expect(flickr.requests).toHaveLength(1)
      const url = flickr.requests[0]!
      expect(`${url.origin}${url.pathname}`).toBe("http://127.0.0.1:9/services/rest")
      const params = paramsOf(url)
      expect(params).toMatchObject({
        method: "flickr.people.getPhotos",
        format: "json",
        nojsoncallback: "1",
        user_id: "me",
        per_page: "500",
        page: "2",
        oauth_consumer_key: KEYS.consumerKey,
        oauth_token: KEYS.token,
        oauth_signature_method: "HMAC-SHA1",
        oauth_version: "1.0"
      })
      expect(Math.abs(Number(params.oauth_timestamp) - Date.now() / 1000)).toBeLessThan(120)
      expect(yield* (yield* CallBudget).used).toBe(1)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("retries code 105 and succeeds, each attempt freshly signed with its own nonce", () => {
    const unavailable = fail("105", "Service currently unavailable")
    const flickr = fakeFlickr([unavailable, fail(105, "Service currently unavailable"), LOGIN_OK])
    return Effect.gen(function*() {
      expect(yield* login).toStrictEqual({ user: { id: "85853333@N00", username: "Jeremy Brooks" } })
      expect(flickr.requests).toHaveLength(3)
      expect(yield* (yield* CallBudget).used).toBe(3)

      const nonces = flickr.requests.map((url) => url.searchParams.get("oauth_nonce"))
      expect(new Set(nonces).size).toBe(3)
      for (const url of flickr.requests) {
        const all = Array.from(url.searchParams.entries())
        const signature = url.searchParams.get("oauth_signature")
        const unsigned = all.filter(([k]) => k !== "oauth_signature")
        const base = signatureBaseString("GET", new URL(`${url.origin}${url.pathname}`), unsigned)
        expect(signature).toBe(hmacSha1(base, KEYS.consumerSecret, KEYS.tokenSecret))
      }
      expect(new Set(flickr.requests.map((url) => url.searchParams.get("oauth_signature"))).size).toBe(3)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("gives up on code 1 at once with FlickrApiError", () => {
    const flickr = fakeFlickr([fail(1, "Photo \"123\" not found (invalid ID)"), LOGIN_OK])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(login)
      expect(error).toMatchObject({
        _tag: "FlickrApiError",
        method: "flickr.test.login",
        code: 1,
        message: "Photo \"123\" not found (invalid ID)"
      })
      expect(flickr.requests).toHaveLength(1)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("gives up after six retries of a lasting transient failure", () => {
    const flickr = fakeFlickr([fail(106, "Write operation failed")])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(login)
      expect(error).toMatchObject({ _tag: "FlickrApiError", code: 106 })
      expect(flickr.requests).toHaveLength(7)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("turns HTTP 401 oauth_problem=token_rejected into FlickrAuthError, not retried", () => {
    const flickr = fakeFlickr([oauthProblem(401, "oauth_problem=token_rejected"), LOGIN_OK])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(login)
      expect(error._tag).toBe("FlickrAuthError")
      expect(error).toMatchObject({ problem: "token_rejected" })
      expect(flickr.requests).toHaveLength(1)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("reads signature_invalid with its debug_sbs, and a 400 parameter_absent with the missing names", () => {
    const flickr = fakeFlickr([
      oauthProblem(401, "oauth_problem=signature_invalid&debug_sbs=GET&https%3A%2F%2Fapi.flickr.com%2Fservices%2Frest&x"),
      oauthProblem(400, "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_token%26oauth_nonce")
    ])
    return Effect.gen(function*() {
      expect(yield* Effect.flip(login)).toMatchObject({ _tag: "FlickrAuthError", problem: "signature_invalid" })
      expect(yield* Effect.flip(login)).toMatchObject({
        _tag: "FlickrAuthError",
        problem: "parameter_absent",
        detail: "oauth_token&oauth_nonce"
      })
      expect(flickr.requests).toHaveLength(2)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("turns the legacy JSON codes 98 and 96 into FlickrAuthError, not retried", () => {
    const flickr = fakeFlickr([fail(98, "Invalid auth token"), fail("96", "Invalid signature")])
    return Effect.gen(function*() {
      const rejected = yield* Effect.flip(login)
      expect(rejected).toMatchObject({ _tag: "FlickrAuthError", problem: "token_rejected" })
      expect(rejected._tag === "FlickrAuthError" && rejected.detail).toContain("98")
      expect(yield* Effect.flip(login)).toMatchObject({ _tag: "FlickrAuthError", problem: "signature_invalid" })
      expect(flickr.requests).toHaveLength(2)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("retries HTTP 503 and 500", () => {
    const flickr = fakeFlickr([{ status: 503, body: "<html>Service Unavailable</html>" }, { status: 500, body: "" }, LOGIN_OK])
    return Effect.gen(function*() {
      expect((yield* login).user.id).toBe("85853333@N00")
      expect(flickr.requests).toHaveLength(3)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("fails with the status after retrying a lasting 503", () => {
    const flickr = fakeFlickr([{ status: 503, body: "" }])
    return Effect.gen(function*() {
      expect(yield* Effect.flip(login)).toMatchObject({ _tag: "FlickrTransportError", status: 503, reason: "HTTP 503" })
      expect(flickr.requests).toHaveLength(7)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("does not retry HTTP 404", () => {
    const flickr = fakeFlickr([{ status: 404, body: "not here" }, LOGIN_OK])
    return Effect.gen(function*() {
      expect(yield* Effect.flip(login)).toMatchObject({ _tag: "FlickrTransportError", status: 404 })
      expect(flickr.requests).toHaveLength(1)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.effect("waits as long as a 429's Retry-After says before trying again", () => {
    const flickr = fakeFlickr([{ status: 429, body: "", headers: { "retry-after": "120" } }, LOGIN_OK])
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(login)
      yield* TestClock.adjust("119 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      expect(flickr.requests).toHaveLength(1)
      yield* TestClock.adjust("2 seconds")
      expect((yield* Fiber.join(fiber)).user.id).toBe("85853333@N00")
      expect(flickr.requests).toHaveLength(2)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.effect("says each wait longer than two seconds: what Flickr answered, how long, which retry of how many", () => {
    const flickr = fakeFlickr([{ status: 429, body: "", headers: { "retry-after": "120" } }, { status: 503, body: "" }, LOGIN_OK], {
      retryBaseMillis: 4_000
    })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(login)
      yield* TestClock.adjust("119 seconds")
      expect(flickr.lines).toEqual(["Flickr answered 429; trying again in 2 min (1 of 6)\n"])
      yield* TestClock.adjust("22 seconds")
      expect((yield* Fiber.join(fiber)).user.id).toBe("85853333@N00")
      // The second backoff is 8 s, jittered by up to a fifth either way.
      expect(flickr.lines[1]).toMatch(/^Flickr answered 503; trying again in ([789]|10) s \(2 of 6\)\n$/)
      expect(flickr.lines).toHaveLength(2)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.effect("a retry after a moment passes unsaid", () => {
    const flickr = fakeFlickr([{ status: 503, body: "" }, LOGIN_OK])
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(login)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(fiber)).user.id).toBe("85853333@N00")
      expect(flickr.requests).toHaveLength(2)
      expect(flickr.lines).toEqual([])
    }).pipe(Effect.provide(flickr.layer))
  })

  it.effect("a slow answer is said once, after 30 s, while the request keeps waiting for it", () => {
    // fbk's own timeout: a minute.
    const flickr = fakeFlickr([{ ...(LOGIN_OK as Exclude<Answer, string>), delayMillis: 50_000 }], { requestTimeoutMillis: 60_000 })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(login)
      // Lets the request and its watch start before time moves.
      yield* TestClock.adjust("1 millis")
      yield* TestClock.adjust("29 seconds")
      expect(flickr.lines).toEqual([])
      yield* TestClock.adjust("2 seconds")
      expect(flickr.lines).toEqual(["no answer from 127.0.0.1:9 yet (30 s)\n"])
      yield* TestClock.adjust("20 seconds")
      expect((yield* Fiber.join(fiber)).user.id).toBe("85853333@N00")
      expect(flickr.lines).toHaveLength(1)
      expect(flickr.requests).toHaveLength(1)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.effect("caps an absurd Retry-After at ten minutes", () => {
    const flickr = fakeFlickr([{ status: 429, body: "", headers: { "retry-after": "86400" } }, LOGIN_OK])
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(login)
      yield* TestClock.adjust("599 seconds")
      expect(flickr.requests).toHaveLength(1)
      yield* TestClock.adjust("2 seconds")
      expect((yield* Fiber.join(fiber)).user.id).toBe("85853333@N00")
      expect(flickr.requests).toHaveLength(2)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.effect("fails as soon as the last retry is refused, without sleeping out its Retry-After", () => {
    const flickr = fakeFlickr([{ status: 429, body: "", headers: { "retry-after": "60" } }])
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(login)
      // Six retries, each after a 60 s Retry-After (and a backoff of a few milliseconds).
      yield* TestClock.adjust("361 seconds")
      expect(flickr.requests).toHaveLength(7)
      const exit = yield* Fiber.poll(fiber)
      expect(Option.isSome(exit)).toBe(true)
      yield* TestClock.adjust("1 hour")
      expect(yield* Effect.flip(Fiber.join(fiber))).toMatchObject({ _tag: "FlickrTransportError", status: 429 })
    }).pipe(Effect.provide(flickr.layer))
  })

  it.effect("does not sleep out a Retry-After on an answer it will not retry", () => {
    const flickr = fakeFlickr([{ status: 403, body: "", headers: { "retry-after": "600" } }])
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(login)
      yield* TestClock.adjust("1 second")
      expect(flickr.requests).toHaveLength(1)
      expect(Option.isSome(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("10 minutes")
      expect(yield* Effect.flip(Fiber.join(fiber))).toMatchObject({ _tag: "FlickrTransportError", status: 403 })
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("retries a truncated JSON body", () => {
    const flickr = fakeFlickr([{ status: 200, body: "{\"user\": {\"id\": \"85853333@N00\", \"userna" }, LOGIN_OK])
    return Effect.gen(function*() {
      expect((yield* login).user.username).toBe("Jeremy Brooks")
      expect(flickr.requests).toHaveLength(2)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("retries a body cut off mid-stream and a connection reset", () => {
    const cutOff = (): ReadableStream<Uint8Array> =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("{\"user\": {"))
          controller.error(new Error("socket hang up"))
        }
      })
    const flickr = fakeFlickr([{ status: 200, body: cutOff() }, "connection reset", LOGIN_OK])
    return Effect.gen(function*() {
      expect((yield* login).user.id).toBe("85853333@N00")
      expect(flickr.requests).toHaveLength(3)
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("reports an answer of the wrong shape as FlickrDecodeError, not retried", () => {
    const flickr = fakeFlickr([json({ user: { username: { _content: "no id" } }, stat: "ok" }), LOGIN_OK])
    return Effect.gen(function*() {
      const error = yield* Effect.flip(login)
      expect(error._tag).toBe("FlickrDecodeError")
      expect(error).toMatchObject({ method: "flickr.test.login" })
      expect(error._tag === "FlickrDecodeError" && error.reason).toContain("id")
      expect(flickr.requests).toHaveLength(1)
    }).pipe(Effect.provide(flickr.layer))
  })
})

describe("FlickrHttp.oauth", () => {
  it.live("signs a request_token call with its callback and reads the form answer", () => {
    const flickr = fakeFlickr([
      {
        status: 200,
        body: "oauth_callback_confirmed=true&oauth_token=72157626737672178-022bbd2f4c2f3432&oauth_token_secret=fccb68c4e6103197",
        headers: { "content-type": "text/plain" }
      }
    ])
    return Effect.gen(function*() {
      const http = yield* FlickrHttp
      const answer = yield* http.oauth(
        "request_token",
        { consumerKey: KEYS.consumerKey, consumerSecret: KEYS.consumerSecret },
        [["oauth_callback", "http://127.0.0.1:43117/callback"]]
      )
      expect(answer).toStrictEqual({
        oauth_callback_confirmed: "true",
        oauth_token: "72157626737672178-022bbd2f4c2f3432",
        oauth_token_secret: "fccb68c4e6103197"
      })
      const url = flickr.requests[0]!
      expect(`${url.origin}${url.pathname}`).toBe("http://127.0.0.1:9/services/oauth/request_token")
      const params = paramsOf(url)
      expect(params.oauth_callback).toBe("http://127.0.0.1:43117/callback")
      expect(params).not.toHaveProperty("oauth_token")
      const unsigned = Array.from(url.searchParams.entries()).filter(([k]) => k !== "oauth_signature")
      const base = signatureBaseString("GET", new URL(`${url.origin}${url.pathname}`), unsigned)
      expect(params.oauth_signature).toBe(hmacSha1(base, KEYS.consumerSecret, ""))
    }).pipe(Effect.provide(flickr.layer))
  })

  it.live("turns a 401 on access_token into FlickrAuthError", () => {
    const flickr = fakeFlickr([oauthProblem(401, "oauth_problem=token_rejected")])
    return Effect.gen(function*() {
      const http = yield* FlickrHttp
      const error = yield* Effect.flip(http.oauth("access_token", KEYS, [["oauth_verifier", "123-456-789"]]))
      expect(error).toMatchObject({ _tag: "FlickrAuthError", problem: "token_rejected" })
      expect(paramsOf(flickr.requests[0]!).oauth_verifier).toBe("123-456-789")
    }).pipe(Effect.provide(flickr.layer))
  })
})

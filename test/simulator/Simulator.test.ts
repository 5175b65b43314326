// The Flickr simulator against FLICKR.md and the recorded responses in flickr-samples/: every
// fbk integration test trusts it, so it must refuse what Flickr refuses (bad signatures, stale
// time stamps, reused nonces), answer in Flickr's formats and escapes, drift types the way real
// accounts do, page like people.getPhotos, give the same account for the same seed, and fail
// on request in each way it offers. Requests are plain fetch calls signed with fbk's signer.
import * as fs from "node:fs"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { freshNonce, type Parameters, percentEncode, sign, signatureBaseString, type SigningKeys } from "../../src/services/flickr/OAuthSignature.js"
import { type FlickrSimulator, type SimulatorOptions, startSimulator } from "../../src/simulator/Server.js"
import { readSample, SAMPLES_DIR } from "../support/Fixtures.js"

const simulators: Array<FlickrSimulator> = []
afterEach(async () => {
  await Promise.all(simulators.splice(0).map((s) => s.close()))
})

const start = async (options: SimulatorOptions = {}): Promise<FlickrSimulator> => {
  const sim = await startSimulator({ photos: 50, ...options })
  simulators.push(sim)
  return sim
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** A raw body with the simulator's file host (escaped as Flickr escapes it) replaced by a fixed name. */
const withoutFileHost = (sim: FlickrSimulator, raw: string): string => raw.replaceAll(sim.fileHost.replaceAll("/", "\\/"), "FILE_HOST")

type Item = Record<string, unknown>

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

const fetchAnswer = async (url: URL | string, init?: RequestInit): Promise<Answer> => {
  const response = await fetch(url, init)
  return { status: response.status, headers: response.headers, text: await response.text() }
}

const keysOf = (sim: FlickrSimulator, token = sim.issueAccessToken()): SigningKeys => ({
  consumerKey: sim.apiKey,
  consumerSecret: sim.apiSecret,
  token: token.token,
  tokenSecret: token.tokenSecret
})

interface SignedOptions {
  readonly keys?: SigningKeys
  readonly nonce?: string
  readonly timestamp?: number
  /** The URL the signature is computed for, when it should differ from where the request goes. */
  readonly signedFor?: URL
}

/** Every parameter of a signed REST request, oauth_signature last. */
const signedParameters = (sim: FlickrSimulator, params: Record<string, string>, options: SignedOptions = {}): Parameters =>
  sign({
    method: "GET",
    url: options.signedFor ?? new URL(sim.restUrl),
    parameters: Object.entries(params),
    keys: options.keys ?? keysOf(sim),
    nonce: options.nonce ?? freshNonce(),
    timestamp: options.timestamp ?? nowSeconds()
  })

const withQuery = (base: string, parameters: Parameters): URL => {
  const url = new URL(base)
  for (const [name, value] of parameters) url.searchParams.append(name, value)
  return url
}

const signedUrl = (sim: FlickrSimulator, params: Record<string, string>, options: SignedOptions = {}): URL =>
  withQuery(sim.restUrl, signedParameters(sim, params, options))

const JSON_FORMAT = { format: "json", nojsoncallback: "1" }

/** A signed JSON call; the raw answer. */
const rest = (sim: FlickrSimulator, params: Record<string, string>, options: SignedOptions = {}): Promise<Answer> =>
  fetchAnswer(signedUrl(sim, { ...JSON_FORMAT, ...params }, options))

const restJson = async (sim: FlickrSimulator, params: Record<string, string>, options: SignedOptions = {}): Promise<Item> => {
  const answer = await rest(sim, params, options)
  expect(answer.status, answer.text).toBe(200)
  return JSON.parse(answer.text) as Item
}

interface PhotosPage {
  readonly page: number | string
  readonly pages: number | string
  readonly perpage: number | string
  readonly total: number | string
  readonly photo: Array<Item>
}

const getPhotos = async (sim: FlickrSimulator, params: Record<string, string> = {}, options: SignedOptions = {}): Promise<PhotosPage> => {
  const body = await restJson(sim, { method: "flickr.people.getPhotos", user_id: "me", ...params }, options)
  expect(body.stat).toBe("ok")
  return body.photos as PhotosPage
}

/** Every extra FLICKR.md tells a backup to ask for, every url_* size, and the undocumented counts. */
const ALL_EXTRAS = [
  "description", "license", "date_upload", "date_taken", "owner_name", "icon_server", "original_format", "last_update",
  "geo", "tags", "machine_tags", "o_dims", "views", "media", "path_alias", "url_sq", "url_t", "url_s", "url_q", "url_m",
  "url_n", "url_z", "url_c", "url_l", "url_o", "count_faves", "count_comments"
].join(",")

/** What `FlickrSimulator.photo(id)` promises to show (Server.ts): the backup's extras. */
const BACKUP_EXTRAS =
  "description,license,date_upload,date_taken,owner_name,original_format,last_update,geo,tags,machine_tags,o_dims,views,media,path_alias,url_o,count_faves,count_comments"

/** Every photo of the account, page by page, as one list. */
const listAll = async (sim: FlickrSimulator, extras: string, options: SignedOptions = {}): Promise<Array<Item>> => {
  const first = await getPhotos(sim, { extras, per_page: "500", page: "1" }, options)
  const items = [...first.photo]
  for (let page = 2; page <= Number(first.pages); page++) {
    items.push(...(await getPhotos(sim, { extras, per_page: "500", page: String(page) }, options)).photo)
  }
  return items
}

const form = (text: string): Record<string, string> => Object.fromEntries(new URLSearchParams(text))

// ---- OAuth ----

describe("OAuth 1.0a on REST calls", () => {
  it("answers a correctly signed call, in the query or in an Authorization header", async () => {
    const sim = await start()
    const login = await restJson(sim, { method: "flickr.test.login" })
    expect(login).toEqual({ user: { id: sim.user.nsid, username: { _content: sim.user.username } }, stat: "ok" })

    const token = sim.issueAccessToken()
    const check = await restJson(sim, { method: "flickr.auth.oauth.checkToken" }, { keys: keysOf(sim, token) })
    expect(check).toEqual({
      oauth: { token: { _content: token.token }, perms: { _content: "read" }, user: { ...sim.user } },
      stat: "ok"
    })

    const params = { ...JSON_FORMAT, method: "flickr.test.login" }
    const signed = signedParameters(sim, params)
    const oauth = signed.filter(([name]) => name.startsWith("oauth_"))
    const header = `OAuth ${oauth.map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`).join(", ")}`
    const answer = await fetchAnswer(withQuery(sim.restUrl, Object.entries(params)), { headers: { Authorization: header } })
    expect(answer.status, answer.text).toBe(200)
    expect(JSON.parse(answer.text)).toEqual(login)
  })

  it("refuses a bad signature with HTTP 401 signature_invalid and the base string it computed", async () => {
    const sim = await start()
    const params = { ...JSON_FORMAT, method: "flickr.test.login" }
    const keys = { ...keysOf(sim), consumerSecret: "not-the-secret" }
    const signed = signedParameters(sim, params, { keys })
    const answer = await fetchAnswer(withQuery(sim.restUrl, signed))
    expect(answer.status).toBe(401)
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/)
    expect(answer.text).toMatch(/^oauth_problem=signature_invalid&debug_sbs=/)
    // The simulator's base string is the one fbk signs: both follow RFC 5849 to the byte.
    const unsigned = signed.filter(([name]) => name !== "oauth_signature")
    expect(form(answer.text).debug_sbs).toBe(signatureBaseString("GET", new URL(sim.restUrl), unsigned))

    // A parameter changed after signing, and a signature made for another port, fail the same way.
    const tampered = signedParameters(sim, { ...params, method: "flickr.test.null" }).map(([name, value]) =>
      name === "method" ? ([name, "flickr.test.login"] as const) : ([name, value] as const)
    )
    const changed = await fetchAnswer(withQuery(sim.restUrl, tampered))
    expect(changed.status).toBe(401)
    expect(changed.text).toMatch(/^oauth_problem=signature_invalid&/)
    const elsewhere = new URL(sim.restUrl)
    elsewhere.port = String(Number(elsewhere.port) + 1)
    const wrongPort = await fetchAnswer(signedUrl(sim, params, { signedFor: elsewhere }))
    expect(wrongPort.status).toBe(401)
    expect(form(wrongPort.text).oauth_problem).toBe("signature_invalid")
    expect(form(wrongPort.text).debug_sbs).toContain(percentEncode(sim.restUrl))

    // A correct signature still works afterwards (the bad ones burned nothing).
    expect((await restJson(sim, { method: "flickr.test.login" })).stat).toBe("ok")
  })

  it("refuses time stamps more than 10 minutes off, either way", async () => {
    const sim = await start()
    for (const skew of [-3600, -660, 660, 3600]) {
      const answer = await rest(sim, { method: "flickr.test.login" }, { timestamp: nowSeconds() + skew })
      expect(answer.status, `skew ${skew}`).toBe(401)
      expect(answer.text).toMatch(/^oauth_problem=timestamp_refused&oauth_acceptable_timestamps=\d+-\d+$/)
      const [from, to] = form(answer.text).oauth_acceptable_timestamps!.split("-").map(Number)
      expect(to! - from!).toBe(1200)
      expect(Math.abs((from! + to!) / 2 - nowSeconds())).toBeLessThanOrEqual(5)
    }
    for (const skew of [-300, 300]) {
      expect((await rest(sim, { method: "flickr.test.login" }, { timestamp: nowSeconds() + skew })).status).toBe(200)
    }
  })

  it("refuses a nonce used again with the same time stamp, not a fresh nonce", async () => {
    const sim = await start()
    const timestamp = nowSeconds()
    const url = signedUrl(sim, { ...JSON_FORMAT, method: "flickr.test.login" }, { nonce: "the-same-nonce", timestamp })
    expect((await fetchAnswer(url)).status).toBe(200)
    const replay = await fetchAnswer(url)
    expect(replay.status).toBe(401)
    expect(replay.text).toBe("oauth_problem=nonce_used")
    expect((await rest(sim, { method: "flickr.test.login" }, { nonce: "another-nonce", timestamp })).status).toBe(200)
  })

  it("names the unknown consumer key, the rejected token, the missing parameter and the wrong method", async () => {
    const sim = await start()
    const login = { method: "flickr.test.login" }
    const unknownKey = await rest(sim, login, { keys: { ...keysOf(sim), consumerKey: "someone-else" } })
    expect([unknownKey.status, unknownKey.text]).toEqual([401, "oauth_problem=consumer_key_unknown"])

    const unknownToken = await rest(sim, login, { keys: { ...keysOf(sim), token: "72157000000000000-0123456789abcdef" } })
    expect([unknownToken.status, unknownToken.text]).toEqual([401, "oauth_problem=token_rejected"])

    const keys = keysOf(sim)
    expect((await rest(sim, login, { keys })).status).toBe(200)
    sim.revokeTokens()
    const revoked = await rest(sim, login, { keys })
    expect([revoked.status, revoked.text]).toEqual([401, "oauth_problem=token_rejected"])

    const fresh = keysOf(sim)
    const unsigned = signedParameters(sim, { ...JSON_FORMAT, ...login }, { keys: fresh }).filter(([name]) => name !== "oauth_signature")
    const absent = await fetchAnswer(withQuery(sim.restUrl, unsigned))
    expect(absent.status).toBe(400)
    expect(form(absent.text)).toEqual({ oauth_problem: "parameter_absent", oauth_parameters_absent: "oauth_signature" })

    const plaintext = signedParameters(sim, { ...JSON_FORMAT, ...login }, { keys: fresh }).map(([name, value]) =>
      name === "oauth_signature_method" ? ([name, "PLAINTEXT"] as const) : ([name, value] as const)
    )
    const rejected = await fetchAnswer(withQuery(sim.restUrl, plaintext))
    expect([rejected.status, rejected.text]).toEqual([400, "oauth_problem=signature_method_rejected"])
  })

  it("answers unsigned legacy calls with code 100 (no key) or 99 (no permission), in HTTP 200", async () => {
    const sim = await start()
    const noKey = await fetchAnswer(withQuery(sim.restUrl, Object.entries({ ...JSON_FORMAT, method: "flickr.test.login" })))
    expect(noKey.status).toBe(200)
    expect(JSON.parse(noKey.text)).toMatchObject({ stat: "fail", code: 100 })
    const keyOnly = await fetchAnswer(
      withQuery(sim.restUrl, Object.entries({ ...JSON_FORMAT, method: "flickr.test.login", api_key: sim.apiKey }))
    )
    expect(keyOnly.status).toBe(200)
    expect(JSON.parse(keyOnly.text)).toMatchObject({ stat: "fail", code: 99 })
  })
})

describe("the OAuth endpoints", () => {
  const oauthUrl = (sim: FlickrSimulator, endpoint: string, keys: SigningKeys, protocol: Parameters): URL => {
    const url = new URL(`${sim.oauthUrl}/${endpoint}`)
    return withQuery(url.href, sign({ method: "GET", url, parameters: [], keys, protocol, nonce: freshNonce(), timestamp: nowSeconds() }))
  }

  it("goes request_token -> consent -> oob code -> access_token, each request token good for one exchange", async () => {
    const sim = await start({ user: { nsid: "99999999@N09", username: "zoë", fullname: "Zoë Ünïcode & Co" } })
    const consumer = { consumerKey: sim.apiKey, consumerSecret: sim.apiSecret }

    const missing = await fetchAnswer(oauthUrl(sim, "request_token", consumer, []))
    expect(missing.status).toBe(400)
    expect(form(missing.text)).toEqual({ oauth_problem: "parameter_absent", oauth_parameters_absent: "oauth_callback" })

    const requested = await fetchAnswer(oauthUrl(sim, "request_token", consumer, [["oauth_callback", "oob"]]))
    expect(requested.status, requested.text).toBe(200)
    const request = form(requested.text)
    expect(request.oauth_callback_confirmed).toBe("true")
    expect(request.oauth_token).toMatch(/^\d{17}-[0-9a-f]{16}$/)

    // Without auto-approval the user sees a consent form first; approving shows the code.
    const consent = await fetchAnswer(`${sim.oauthUrl}/authorize?oauth_token=${request.oauth_token}&perms=read`)
    expect(consent.status).toBe(200)
    expect(consent.text).toMatch(/<form method="post"/)
    expect(consent.text).not.toMatch(/id="verifier"/)
    const approved = await fetchAnswer(`${sim.oauthUrl}/authorize`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `oauth_token=${request.oauth_token}&perms=read&approve=1`
    })
    const code = /<span id="verifier">(\d{3}-\d{3}-\d{3})<\/span>/.exec(approved.text)?.[1]
    expect(code, approved.text).toBeDefined()

    const requestKeys = { ...consumer, token: request.oauth_token!, tokenSecret: request.oauth_token_secret! }
    const wrong = await fetchAnswer(oauthUrl(sim, "access_token", requestKeys, [["oauth_verifier", "000-000-000"]]))
    expect([wrong.status, wrong.text]).toEqual([401, "oauth_problem=verifier_invalid"])

    const exchanged = await fetchAnswer(oauthUrl(sim, "access_token", requestKeys, [["oauth_verifier", code!]]))
    expect(exchanged.status, exchanged.text).toBe(200)
    // Form-encoded, fields in Flickr's order, the full name UTF-8 percent-encoded.
    expect(exchanged.text).toMatch(
      /^fullname=Zo%C3%AB%20%C3%9Cn%C3%AFcode%20%26%20Co&oauth_token=[^&]+&oauth_token_secret=[^&]+&user_nsid=99999999%40N09&username=zo%C3%AB$/
    )
    const access = form(exchanged.text)
    expect(access.fullname).toBe("Zoë Ünïcode & Co")
    const login = await restJson(sim, { method: "flickr.test.login" }, {
      keys: { ...consumer, token: access.oauth_token!, tokenSecret: access.oauth_token_secret! }
    })
    expect(login.user).toEqual({ id: "99999999@N09", username: { _content: "zoë" } })

    const again = await fetchAnswer(oauthUrl(sim, "access_token", requestKeys, [["oauth_verifier", code!]]))
    expect([again.status, again.text]).toEqual([401, "oauth_problem=token_rejected"])
  })

  it("sends a callback URL's user back to it with the token and verifier", async () => {
    const sim = await start({ autoApprove: true })
    const consumer = { consumerKey: sim.apiKey, consumerSecret: sim.apiSecret }
    const callback = "http://127.0.0.1:1/callback?state=x"
    const request = form((await fetchAnswer(oauthUrl(sim, "request_token", consumer, [["oauth_callback", callback]]))).text)
    const response = await fetch(`${sim.oauthUrl}/authorize?oauth_token=${request.oauth_token}&perms=read`, { redirect: "manual" })
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get("location")!)
    expect(`${location.origin}${location.pathname}`).toBe("http://127.0.0.1:1/callback")
    expect(location.searchParams.get("state")).toBe("x")
    expect(location.searchParams.get("oauth_token")).toBe(request.oauth_token)
    expect(location.searchParams.get("oauth_verifier")).toMatch(/^[0-9a-f]{16}$/)
  })
})

// ---- formats and escapes ----

describe("response formats", () => {
  it("JSON with nojsoncallback=1, the jsonFlickrApi(...) wrapper without it, XML without format", async () => {
    const sim = await start()
    const login = { method: "flickr.test.login" }
    const json = await fetchAnswer(signedUrl(sim, { ...login, format: "json", nojsoncallback: "1" }))
    expect(json.headers.get("content-type")).toMatch(/^application\/json/)
    const value = JSON.parse(json.text) as Item

    const jsonp = await fetchAnswer(signedUrl(sim, { ...login, format: "json" }))
    expect(jsonp.status).toBe(200)
    expect(jsonp.text.startsWith("jsonFlickrApi(")).toBe(true)
    expect(jsonp.text.endsWith(")")).toBe(true)
    expect(JSON.parse(jsonp.text.slice("jsonFlickrApi(".length, -1))).toEqual(value)

    const xml = await fetchAnswer(signedUrl(sim, login))
    expect(xml.headers.get("content-type")).toMatch(/^text\/xml/)
    expect(xml.text).toBe(
      `<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<user id="${sim.user.nsid}">\n\t<username>${sim.user.username}</username>\n</user>\n</rsp>\n`
    )
  })

  it("failures come in HTTP 200 in every format; an unknown format is code 111 in XML", async () => {
    const sim = await start()
    const unknown = { method: "flickr.no.suchMethod" }
    const json = await rest(sim, unknown)
    expect(json.status).toBe(200)
    expect(JSON.parse(json.text)).toEqual({ stat: "fail", code: 112, message: 'Method "flickr.no.suchMethod" not found' })
    const jsonp = await fetchAnswer(signedUrl(sim, { ...unknown, format: "json" }))
    expect(jsonp.text).toMatch(/^jsonFlickrApi\(\{"stat":"fail","code":112,/)
    const xml = await fetchAnswer(signedUrl(sim, unknown))
    expect(xml.status).toBe(200)
    expect(xml.text).toContain('<rsp stat="fail">\n\t<err code="112" msg="Method &quot;flickr.no.suchMethod&quot; not found" />\n</rsp>')
    const badFormat = await fetchAnswer(signedUrl(sim, { method: "flickr.test.login", format: "yaml" }))
    expect(badFormat.status).toBe(200)
    expect(badFormat.text).toContain('<err code="111" msg="Format &quot;yaml&quot; not found" />')
  })

  it("XML attributes carry the same text as JSON, escaped for XML", async () => {
    const sim = await start({ photos: 400, seed: 3 })
    const json = await getPhotos(sim, { per_page: "400" })
    const xml = await fetchAnswer(signedUrl(sim, { method: "flickr.people.getPhotos", user_id: "me", per_page: "400" }))
    const unescape = (text: string) =>
      text.replace(/&(quot|lt|gt|amp);/g, (_, name: string) => ({ quot: '"', lt: "<", gt: ">", amp: "&" })[name] ?? "")
    const titles = [...xml.text.matchAll(/<photo id="(\d+)"[^>]* title="([^"]*)"/g)].map((m) => [m[1], unescape(m[2]!)])
    expect(titles).toEqual(json.photo.map((p) => [p.id, p.title]))
    // Markup in a title must be escaped in the XML, the stored entities included.
    expect(titles.some(([, title]) => /[<&"]/.test(title!))).toBe(true)
  })
})

describe("escapes like Flickr's JSON", () => {
  it("writes every / as \\/ and everything beyond ASCII as \\uXXXX (surrogate pairs for emoji), text left as stored", async () => {
    const sim = await start({ photos: 1_500, seed: 2 })
    const answer = await rest(sim, { method: "flickr.people.getPhotos", user_id: "me", extras: ALL_EXTRAS, per_page: "500" })
    const raw = answer.text
    expect([...Buffer.from(raw, "utf8")].every((byte) => byte < 0x80)).toBe(true)
    expect(raw).not.toMatch(/(?<!\\)\//)
    expect(raw).toMatch(/\\u[0-9a-f]{4}/)
    expect(raw).not.toMatch(/\\u[0-9a-f]{0,3}[A-F]/)
    const photos = (JSON.parse(raw) as { photos: PhotosPage }).photos.photo
    const texts = photos.flatMap((p) => [p.title as string, (p.description as { _content: string })._content, p.tags as string])
    const nonAscii = texts.filter((t) => /[\u0080-\uffff]/.test(t))
    expect(nonAscii.length).toBeGreaterThan(20)
    // Each non-ASCII text appears in the body exactly as JSON with every code unit escaped.
    for (const text of nonAscii.slice(0, 50)) {
      const escaped = JSON.stringify(text).replace(/\//g, "\\/").replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
      expect(raw).toContain(escaped)
    }
    const emoji = texts.find((t) => /[\u{1f300}-\u{1faff}]/u.test(t))
    expect(emoji).toBeDefined()
    expect(raw).toMatch(/\\ud83[c-e]\\ud[c-f][0-9a-f]{2}/)
    // Entities and markup are stored text: never decoded, never encoded further.
    expect(texts.some((t) => t.includes("&quot;") || t.includes("&amp;"))).toBe(true)
    expect(raw).toMatch(/&quot;|&amp;/)
    expect(raw).not.toMatch(/&amp;(quot|amp);/)
  })

  it("matches the recorded bodies' shapes: escaped URLs, links in descriptions", async () => {
    const sim = await start({ photos: 800, seed: 4 })
    const raw = (await rest(sim, { method: "flickr.people.getPhotos", user_id: "me", extras: ALL_EXTRAS, per_page: "500" })).text
    const recorded = fs.readFileSync(path.join(SAMPLES_DIR, "flickr.people.getPhotos", "people_sample_get_photos.json"), "utf8")
    const recordedLink = fs.readFileSync(path.join(SAMPLES_DIR, "flickr.photos.recentlyUpdated", "photos_sample_recently_updated.json"), "utf8")
    // The same path on Flickr's image servers and on the simulator's own (which fbk must fetch from).
    const slash = String.raw`\\\/` // an escaped "/" as the raw body writes it
    const urls = (host: string): ReadonlyArray<RegExp> => [
      new RegExp(String.raw`"url_o": ?"${host}${slash}\d+${slash}\d+_[0-9a-f]{10}_o\.(jpg|png|gif)"`),
      new RegExp(String.raw`"url_m": ?"${host}${slash}\d+${slash}\d+_[0-9a-f]{10}\.jpg"`)
    ]
    const link = /"_content": ?"[^"]*<a href=\\"http:\\\/\\\/[^"\\]+(\\\/[^"\\]*)*\\" rel=\\"nofollow\\">[^<]+<\\\/a>[^"]*"/
    for (const pattern of urls(String.raw`https:${slash}${slash}[a-z0-9.]+\.staticflickr\.com`)) expect(recorded).toMatch(pattern)
    const port = new URL(sim.fileHost).port
    for (const pattern of urls(String.raw`http:${slash}${slash}127\.0\.0\.1:${port}${slash}static`)) expect(raw).toMatch(pattern)
    expect(recordedLink).toMatch(link)
    expect(raw).toMatch(link)
  })
})

// ---- generated accounts ----

const isNumericString = (value: unknown): boolean => typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)

describe("a generated account drifts and quirks like real ones", () => {
  it("numbers come as numbers and as strings, dates as strings, and the odd values FLICKR.md lists are there", async () => {
    const sim = await start({ photos: 2_000, seed: 8 })
    const items = await listAll(sim, ALL_EXTRAS)
    expect(items).toHaveLength(2_000)
    const located = items.filter((p) => p.place_id !== undefined)

    const drifting = [
      "farm", "license", "views", "datetakengranularity", "o_width", "o_height", "width_o", "height_o", "width_sq",
      "height_m", "count_faves", "count_comments"
    ]
    for (const field of drifting) {
      const values = items.map((p) => p[field]).filter((v) => v !== undefined)
      expect(values.length, field).toBeGreaterThan(1_000)
      expect(values.some((v) => typeof v === "number"), `${field} as a number`).toBe(true)
      expect(values.some(isNumericString), `${field} as a string`).toBe(true)
      expect(values.every((v) => typeof v === "number" || isNumericString(v)), field).toBe(true)
    }
    for (const field of ["latitude", "longitude", "accuracy"]) {
      expect(located.some((p) => typeof p[field] === "number"), `${field} as a number`).toBe(true)
      expect(located.some((p) => isNumericString(p[field])), `${field} as a string`).toBe(true)
    }
    for (const p of items) {
      expect(p.dateupload).toMatch(/^\d+$/)
      expect(p.lastupdate).toMatch(/^\d+$/)
      expect(p.datetaken).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      expect(typeof p.id).toBe("string")
      expect(typeof p.server).toBe("string")
    }
    // Tiny upload dates (set through the API) are real; the stream still ends with them.
    const uploads = items.map((p) => p.dateupload)
    expect(uploads).toContain("2013")
    expect(uploads).toContain("31536000")
    // Older items lack datetakenunknown; newer ones send it as 0/1 of either type.
    expect(items.some((p) => !("datetakenunknown" in p))).toBe(true)
    const unknownFlags = items.filter((p) => "datetakenunknown" in p).map((p) => p.datetakenunknown)
    expect(unknownFlags.length).toBeGreaterThan(1_000)
    expect(new Set(unknownFlags.map(String))).toEqual(new Set(["0", "1"]))
    expect(unknownFlags.some((v) => typeof v === "string")).toBe(true)
    // null path aliases, empty titles and tags, empty descriptions, videos, machine tags.
    expect(items.some((p) => p.pathalias === null)).toBe(true)
    expect(items.some((p) => p.pathalias === sim.user.username)).toBe(true)
    expect(items.some((p) => p.title === "")).toBe(true)
    expect(items.some((p) => p.tags === "")).toBe(true)
    expect(items.some((p) => (p.description as { _content: string })._content === "")).toBe(true)
    expect(items.some((p) => p.media === "video")).toBe(true)
    expect(items.some((p) => p.machine_tags !== "")).toBe(true)
  })

  it("photos without a location carry latitude 0, longitude 0, accuracy 0, context 0 and no place", async () => {
    const sim = await start({ photos: 1_000, seed: 9 })
    const items = await listAll(sim, ALL_EXTRAS)
    const unlocated = items.filter((p) => p.place_id === undefined)
    const located = items.filter((p) => p.place_id !== undefined)
    expect(unlocated.length).toBeGreaterThan(300)
    expect(located.length).toBeGreaterThan(100)
    for (const p of unlocated) {
      // Numbers, as in the recorded bodies, whatever the photo's other drifts.
      expect([p.latitude, p.longitude, p.accuracy, p.context]).toEqual([0, 0, 0, 0])
      for (const key of ["woeid", "geo_is_public", "geo_is_friend", "geo_is_family", "geo_is_contact"]) expect(key in p).toBe(false)
    }
    for (const p of located) {
      expect(Number(p.latitude)).not.toBe(0)
      expect(Number(p.accuracy)).toBeGreaterThan(0)
      expect([0, 1, 2]).toContain(p.context)
      expect(typeof p.woeid).toBe("string")
      expect(p.geo_is_public === 0 || p.geo_is_public === 1).toBe(true)
    }
  })

  it("lists an item's fields in the recorded bodies' order, and only the extras asked for", async () => {
    const sim = await start({ photos: 1_000, seed: 10 })
    const recorded = (readSample("flickr.people.getPhotos").photos as PhotosPage).photo[0]!
    const recordedLocated = (readSample("flickr.people.getPublicPhotos").photos as PhotosPage).photo.find((p) => p.place_id !== undefined)!
    // The extras the recorded getPhotos body was asked for (its fields say so).
    const sampleExtras =
      "description,license,date_upload,date_taken,owner_name,icon_server,original_format,last_update,geo,tags,machine_tags,views,media,path_alias,url_sq,url_t,url_s,url_q,url_m,url_n,url_z,url_c,url_l,url_o"
    const items = await listAll(sim, sampleExtras)
    const big = (p: Item) => p.url_l !== undefined
    // Older photos, as in the 2014 recording, have no datetakenunknown.
    const like = items.find((p) => p.place_id === undefined && big(p) && !("datetakenunknown" in p))
    expect(like).toBeDefined()
    expect(Object.keys(like!)).toEqual(Object.keys(recorded))

    const withDims = await listAll(sim, `${sampleExtras},o_dims`)
    const locatedLike = withDims.find((p) => p.place_id !== undefined && big(p) && !("datetakenunknown" in p))
    expect(Object.keys(locatedLike!)).toEqual(Object.keys(recordedLocated))
    const newer = withDims.find((p) => "datetakenunknown" in p)!
    const keys = Object.keys(newer)
    expect(keys[keys.indexOf("datetakengranularity") + 1]).toBe("datetakenunknown")

    const bare = await getPhotos(sim, { per_page: "5" })
    for (const p of bare.photo) {
      expect(Object.keys(p)).toEqual(["id", "owner", "secret", "server", "farm", "title", "ispublic", "isfriend", "isfamily"])
    }
  })

  it("sim.photo(id) is the item exactly as people.getPhotos lists it with the backup's extras", async () => {
    const sim = await start({ photos: 700, seed: 11 })
    const items = await listAll(sim, BACKUP_EXTRAS)
    expect(items.map((p) => p.id)).toEqual(sim.liveIds())
    for (const item of items) expect(sim.photo(item.id as string)).toEqual(item)
    expect(sim.photo("1")).toBeUndefined()
  })
})

describe("paging", () => {
  it("page, pages, perpage and total describe the query, as numbers or strings; per_page defaults to 100, at most 500", async () => {
    const sim = await start({ photos: 1_234, seed: 12 })
    const kinds = new Map<string, Set<string>>()
    for (const [perPage, page] of [[100, 1], [100, 7], [250, 3], [500, 2], [37, 30], [1, 1], [3, 400]] as const) {
      const answer = await getPhotos(sim, { per_page: String(perPage), page: String(page) })
      expect(Number(answer.page)).toBe(page)
      expect(Number(answer.perpage)).toBe(perPage)
      expect(Number(answer.total)).toBe(1_234)
      expect(Number(answer.pages)).toBe(Math.ceil(1_234 / perPage))
      expect(answer.photo.map((p) => p.id)).toEqual(sim.liveIds().slice((page - 1) * perPage, page * perPage))
      for (const field of ["page", "pages", "perpage", "total"] as const) {
        const set = kinds.get(field) ?? new Set<string>()
        set.add(typeof answer[field])
        kinds.set(field, set)
      }
    }
    for (const [field, types] of kinds) expect([...types].sort(), field).toEqual(["number", "string"])

    const byDefault = await getPhotos(sim)
    expect([Number(byDefault.perpage), byDefault.photo.length, Number(byDefault.pages)]).toEqual([100, 100, 13])
    const tooMany = await getPhotos(sim, { per_page: "1000" })
    expect([Number(tooMany.perpage), tooMany.photo.length, Number(tooMany.pages)]).toEqual([500, 500, 3])
  })

  it("lists newest upload first; a page past the last repeats the last instead of answering empty", async () => {
    const sim = await start({ photos: 1_050, seed: 13 })
    const all = await listAll(sim, "date_upload")
    expect(all.map((p) => p.id)).toEqual(sim.liveIds())
    for (let i = 1; i < all.length; i++) expect(Number(all[i]!.dateupload)).toBeLessThanOrEqual(Number(all[i - 1]!.dateupload))
    const last = await getPhotos(sim, { per_page: "500", page: "3" })
    expect(last.photo).toHaveLength(50)
    for (const beyond of ["4", "9"]) {
      const again = await getPhotos(sim, { per_page: "500", page: beyond })
      expect(again.photo.map((p) => p.id)).toEqual(last.photo.map((p) => p.id))
    }
  })

  it("min_upload_date and max_upload_date bound the query inclusively; an empty query says pages 0", async () => {
    const sim = await start({ photos: 900, seed: 14 })
    const all = await listAll(sim, "date_upload")
    const dates = all.map((p) => Number(p.dateupload))
    const max = dates[300]!
    const min = dates[600]!
    const bounded = await getPhotos(sim, { extras: "date_upload", per_page: "500", min_upload_date: String(min), max_upload_date: String(max) })
    const expected = all.filter((_, i) => dates[i]! <= max && dates[i]! >= min).map((p) => p.id)
    expect(expected.length).toBeGreaterThan(250)
    expect(Number(bounded.total)).toBe(expected.length)
    expect(bounded.photo.map((p) => p.id)).toEqual(expected)
    // MySQL datetimes are read as UTC.
    const asDate = new Date(max * 1000).toISOString().slice(0, 19).replace("T", " ")
    const byDate = await getPhotos(sim, { per_page: "1", max_upload_date: asDate })
    expect(Number(byDate.total)).toBe(dates.filter((d) => d <= max).length)

    const empty = await getPhotos(sim, { max_upload_date: "1" })
    expect([Number(empty.total), Number(empty.pages), empty.photo]).toEqual([0, 0, []])
  })

  it("maxResultsPerQuery: a page deeper than the cap serves the deepest allowed page again", async () => {
    const sim = await start({ photos: 1_000, seed: 15, maxResultsPerQuery: 400 })
    const fourth = await getPhotos(sim, { per_page: "100", page: "4" })
    expect(fourth.photo.map((p) => p.id)).toEqual(sim.liveIds().slice(300, 400))
    for (const page of ["5", "10"]) {
      const deep = await getPhotos(sim, { per_page: "100", page })
      expect(Number(deep.total)).toBe(1_000)
      expect(deep.photo.map((p) => p.id)).toEqual(fourth.photo.map((p) => p.id))
    }
    // A window by upload date is a new query: its own first pages are served.
    const older = sim.liveIds().slice(500, 600)
    const maxDate = Number(sim.photo(older[0]!)!.dateupload)
    const window = await getPhotos(sim, { per_page: "100", max_upload_date: String(maxDate) })
    expect(window.photo.map((p) => p.id)).toContain(older[0])
  })

  it("photos.recentlyUpdated needs min_date, lists most recently updated first, always with lastupdate", async () => {
    const sim = await start({ photos: 600, seed: 16 })
    const missing = await restJson(sim, { method: "flickr.photos.recentlyUpdated" })
    expect(missing).toMatchObject({ stat: "fail", code: 1 })

    const all = await listAll(sim, "last_update")
    const since = all.map((p) => Number(p.lastupdate)).sort((a, b) => b - a)[99]!
    const answer = await restJson(sim, { method: "flickr.photos.recentlyUpdated", min_date: String(since), per_page: "500" })
    const photos = (answer.photos as PhotosPage).photo
    expect(Number((answer.photos as PhotosPage).total)).toBe(photos.length)
    expect(photos.length).toBeGreaterThanOrEqual(100)
    for (const p of photos) expect(Number(p.lastupdate)).toBeGreaterThanOrEqual(since)
    for (let i = 1; i < photos.length; i++) expect(Number(photos[i]!.lastupdate)).toBeLessThanOrEqual(Number(photos[i - 1]!.lastupdate))
    expect(all.filter((p) => Number(p.lastupdate) >= since)).toHaveLength(photos.length)
  })
})

describe("accounts and their changes", () => {
  it("the same seed gives the same account, byte for byte; another seed another", async () => {
    const a = await start({ photos: 1_200, seed: 77 })
    const b = await start({ photos: 1_200, seed: 77 })
    const c = await start({ photos: 1_200, seed: 78 })
    expect(b.liveIds()).toEqual(a.liveIds())
    const page = { method: "flickr.people.getPhotos", user_id: "me", extras: ALL_EXTRAS, per_page: "500", page: "2" }
    // File URLs name each simulator's own port; the rest is the same to the byte.
    const bodyA = withoutFileHost(a, (await rest(a, page)).text)
    expect(withoutFileHost(b, (await rest(b, page)).text)).toBe(bodyA)
    expect(bodyA.length).toBeGreaterThan(100_000)
    expect(new Set(c.liveIds()).size).toBe(1_200)
    expect(c.liveIds().filter((id) => a.liveIds().includes(id)).length).toBeLessThan(20)
  })

  it("upload, edit, remove, restore and view counts change the listings the way Flickr does", async () => {
    const sim = await start({ photos: 300, seed: 17 })
    const before = sim.liveIds()
    const uploaded = sim.upload(3)
    const now = nowSeconds()
    expect(sim.liveIds().slice(0, 3)).toEqual([...uploaded].reverse())
    for (const id of uploaded) expect(Math.abs(Number(sim.photo(id)!.dateupload) - now)).toBeLessThanOrEqual(5)

    const [edited] = sim.edit([before[10]!])
    const editedItem = sim.photo(edited!)!
    expect(editedItem.title).toMatch(/\(édité 1\)$/)
    const recent = await restJson(sim, { method: "flickr.photos.recentlyUpdated", min_date: String(now - 60), per_page: "500" })
    expect((recent.photos as PhotosPage).photo.map((p) => p.id).sort()).toEqual([...uploaded, edited].sort())

    const quiet = before[20]!
    const lastUpdate = sim.photo(quiet)!.lastupdate
    sim.setViews(quiet, 123_456)
    expect(Number(sim.photo(quiet)!.views)).toBe(123_456)
    expect(sim.photo(quiet)!.lastupdate).toBe(lastUpdate)

    const removed = sim.remove([before[5]!, before[6]!, "no-such-photo"])
    expect(removed).toEqual([before[5], before[6]])
    expect(sim.photo(before[5]!)).toBeUndefined()
    const listed = await listAll(sim, "")
    expect(listed.map((p) => p.id)).toEqual(sim.liveIds())
    expect(listed.map((p) => p.id)).not.toContain(before[5])
    expect(listed).toHaveLength(301)

    const removedItem = before[6]!
    sim.restore([removedItem])
    expect(sim.liveIds()).toContain(removedItem)
    expect(sim.photoCount()).toBe(302)
  })
})

// ---- faults ----

describe("faults on request", () => {
  const ok = async (sim: FlickrSimulator) => {
    const answer = await rest(sim, { method: "flickr.test.login" })
    expect(answer.status, answer.text).toBe(200)
    expect(JSON.parse(answer.text)).toMatchObject({ stat: "ok" })
  }

  it("HTTP 500, 502, 503 with an HTML page; 429 with Retry-After; each for exactly `count` calls", async () => {
    const sim = await start()
    for (const [kind, status] of [["http500", 500], ["http502", 502], ["http503", 503]] as const) {
      sim.injectFault({ kind, count: 2 })
      for (let i = 0; i < 2; i++) {
        const answer = await rest(sim, { method: "flickr.test.login" })
        expect(answer.status).toBe(status)
        expect(answer.headers.get("content-type")).toMatch(/^text\/html/)
        expect(answer.text).toMatch(/^<!DOCTYPE html>/)
      }
      await ok(sim)
    }
    sim.injectFault({ kind: "http429", count: 1, retryAfterSeconds: 7 })
    const limited = await rest(sim, { method: "flickr.test.login" })
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "7"])
    sim.injectFault({ kind: "http429", count: 1 })
    expect((await rest(sim, { method: "flickr.test.login" })).headers.get("retry-after")).toBe("1")
    await ok(sim)
  })

  it("codes 105, 106, 201, 0 and any code arrive as stat fail in HTTP 200, in the caller's format", async () => {
    const sim = await start()
    const expected = [
      ["code105", 105, "Service currently unavailable"],
      ["code106", 106, "Write operation failed"],
      ["code201", 201, "Sorry, the Flickr API service is not currently available."],
      ["code0", 0, "Sorry, the Flickr API service is not currently available."]
    ] as const
    for (const [kind, code, message] of expected) {
      sim.injectFault({ kind, count: 1 })
      const answer = await rest(sim, { method: "flickr.test.login" })
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.text)).toEqual({ stat: "fail", code, message })
    }
    sim.injectFault({ kind: "code", code: 2, message: "Unknown user", count: 1 })
    expect(JSON.parse((await rest(sim, { method: "flickr.test.login" })).text)).toEqual({ stat: "fail", code: 2, message: "Unknown user" })
    sim.injectFault({ kind: "code105", count: 1 })
    const xml = await fetchAnswer(signedUrl(sim, { method: "flickr.test.login" }))
    expect(xml.text).toContain('<err code="105" msg="Service currently unavailable" />')
    await ok(sim)
  })

  it("a truncated body is the first half of the real one; a reset closes the connection without an answer", async () => {
    const sim = await start({ photos: 200 })
    const query = { method: "flickr.people.getPhotos", user_id: "me", extras: ALL_EXTRAS, per_page: "200" }
    const whole = (await rest(sim, query)).text
    sim.injectFault({ kind: "truncated", count: 1 })
    const cut = await rest(sim, query)
    expect(cut.status).toBe(200)
    expect(cut.text).toBe(whole.slice(0, Math.floor(whole.length / 2)))
    expect(() => JSON.parse(cut.text)).toThrow()

    sim.injectFault({ kind: "reset", count: 1 })
    await expect(fetch(signedUrl(sim, { ...JSON_FORMAT, method: "flickr.test.login" }))).rejects.toThrow()
    await ok(sim)
  })

  it("faults keep to their method, come oldest first, and latency faults stack without using up failures", async () => {
    const sim = await start()
    sim.injectFault({ kind: "http503", count: 1, method: "flickr.people.getPhotos" })
    await ok(sim)
    expect((await rest(sim, { method: "flickr.people.getPhotos", user_id: "me" })).status).toBe(503)
    expect((await rest(sim, { method: "flickr.people.getPhotos", user_id: "me" })).status).toBe(200)

    sim.injectFault({ kind: "latency", count: 2, latencyMs: 20 })
    sim.injectFault({ kind: "http500", count: 1 })
    sim.injectFault({ kind: "http502", count: 1 })
    expect((await rest(sim, { method: "flickr.test.login" })).status).toBe(500)
    expect((await rest(sim, { method: "flickr.test.login" })).status).toBe(502)
    await ok(sim)
    expect(sim.stats().byMethod["flickr.test.login"]).toBe(4)
  })

  it("a latency fault delays only the calls it is for, once per count", async () => {
    const sim = await start()
    const race = async (): Promise<Array<string>> => {
      const order: Array<string> = []
      await Promise.all(
        ["flickr.test.login", "flickr.test.null"].map(async (method) => {
          expect((await rest(sim, { method })).status).toBe(200)
          order.push(method)
        })
      )
      return order
    }
    sim.injectFault({ kind: "latency", count: 1, latencyMs: 400, method: "flickr.test.login" })
    expect(await race()).toEqual(["flickr.test.null", "flickr.test.login"])
    // Used up: now the other method is the slow one.
    sim.injectFault({ kind: "latency", count: 1, latencyMs: 400, method: "flickr.test.null" })
    expect(await race()).toEqual(["flickr.test.login", "flickr.test.null"])
  })

  it("counts every REST call, faulted ones too; afterCalls runs right after the n-th answer", async () => {
    const sim = await start()
    sim.resetStats()
    const seen: Array<number> = []
    sim.afterCalls(2, () => seen.push(sim.stats().restCalls))
    sim.injectFault({ kind: "http500", count: 1 })
    await rest(sim, { method: "flickr.test.login" })
    expect(seen).toEqual([])
    await rest(sim, { method: "flickr.test.null" })
    expect(seen).toEqual([2])
    await rest(sim, { method: "flickr.test.null" })
    expect(seen).toEqual([2])
    expect(sim.stats()).toMatchObject({ restCalls: 3, byMethod: { "flickr.test.login": 1, "flickr.test.null": 2 } })
  })

  it("the control endpoints take faults and changes from another process, and refuse malformed ones", async () => {
    const sim = await start()
    const post = (name: string, body: unknown) =>
      fetchAnswer(`${sim.controlUrl}/${name}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
    expect((await post("fault", { kind: "http503", count: 1 })).status).toBe(200)
    expect((await rest(sim, { method: "flickr.test.login" })).status).toBe(503)
    for (const bad of [{ kind: "http503" }, { kind: "meteor", count: 1 }, { kind: "latency", count: 1 }, { kind: "code", count: 1 }]) {
      const answer = await post("fault", bad)
      expect(answer.status, JSON.stringify(bad)).toBe(400)
      expect(JSON.parse(answer.text)).toHaveProperty("error")
    }
    await ok(sim)
    const refusals = [
      [await post("upload", { count: 1.5 }), 400, "count: Expected an integer, actual 1.5"],
      [await post("edit", { ids: [7] }), 400, 'send {"count": n} or {"ids": [...]}'],
      [await post("restore", {}), 400, "ids: is missing"],
      [await post("upload", [2]), 400, "the body must be a JSON object"],
      [await post("constructor", {}), 404, "unknown control endpoint /__sim/constructor"]
    ] as const
    for (const [answer, status, error] of refusals) expect([answer.status, JSON.parse(answer.text)]).toEqual([status, { error }])
    const uploaded = JSON.parse((await post("upload", { count: 2 })).text) as { ids: Array<string> }
    expect(sim.liveIds().slice(0, 2)).toEqual([...uploaded.ids].reverse())
    const ids = JSON.parse((await fetchAnswer(`${sim.controlUrl}/ids`)).text) as { ids: Array<string> }
    expect(ids.ids).toEqual(sim.liveIds())
    expect((await fetchAnswer(`${sim.controlUrl}/upload`)).status).toBe(405)
  })
})

import { describe, expect, it } from "vitest"
import {
  baseStringUri,
  hmacSha1,
  normalizeParameters,
  percentEncode,
  sign,
  signatureBaseString
} from "../../../src/services/flickr/OAuthSignature.js"

describe("OAuthSignature", () => {
  it("percent-encodes as RFC 5849 section 3.6 says", () => {
    expect(percentEncode("Ladies + Gentlemen")).toBe("Ladies%20%2B%20Gentlemen")
    expect(percentEncode("An encoded string!")).toBe("An%20encoded%20string%21")
    expect(percentEncode("Dogs, Cats & Mice")).toBe("Dogs%2C%20Cats%20%26%20Mice")
    expect(percentEncode("☃")).toBe("%E2%98%83")
    expect(percentEncode("-._~*'()")).toBe("-._~%2A%27%28%29")
  })

  it("builds the base string URI without default ports or query (RFC 5849 3.4.1.2)", () => {
    expect(baseStringUri(new URL("HTTP://EXAMPLE.COM:80/r%20v/X?id=123"))).toBe("http://example.com/r%20v/X")
    expect(baseStringUri(new URL("https://www.example.net:8080/?q=1"))).toBe("https://www.example.net:8080/")
    expect(baseStringUri(new URL("http://127.0.0.1:4321/services/rest"))).toBe("http://127.0.0.1:4321/services/rest")
  })

  it("reproduces RFC 5849 section 3.4.1.1's base string, parameters sorted by name then value", () => {
    const url = new URL("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
    const body: Array<[string, string]> = [["c2", ""], ["a3", "2 q"]]
    const oauth: Array<[string, string]> = [
      ["oauth_consumer_key", "9djdj82h48djs9d2"],
      ["oauth_token", "kkk9d7dh3k39sjv7"],
      ["oauth_signature_method", "HMAC-SHA1"],
      ["oauth_timestamp", "137131201"],
      ["oauth_nonce", "7d8f3e4a"]
    ]
    expect(signatureBaseString("post", url, [...body, ...oauth])).toBe(
      "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q" +
        "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_" +
        "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m" +
        "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk" +
        "9d7dh3k39sjv7"
    )
  })

  it("signs RFC 5849 section 1.2's photo request to the published signature", () => {
    const url = new URL("http://photos.example.net/photos?file=vacation.jpg&size=original")
    const base = signatureBaseString("GET", url, [
      ["oauth_consumer_key", "dpf43f3p2l4k3l03"],
      ["oauth_token", "nnch734d00sl2jdk"],
      ["oauth_signature_method", "HMAC-SHA1"],
      ["oauth_timestamp", "137131202"],
      ["oauth_nonce", "chapoH"]
    ])
    expect(hmacSha1(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")).toBe("MdpQcU8iPSUjWoN/UDMsK2sui9I=")
  })

  it("builds Flickr's documented request_token base string", () => {
    // https://www.flickr.com/services/api/auth.oauth.html, "Getting a Request Token"
    const signed = sign({
      method: "GET",
      url: new URL("https://www.flickr.com/services/oauth/request_token"),
      parameters: [],
      keys: { consumerKey: "653e7a6ecc1d528c516cc8f92cf98611", consumerSecret: "secret" },
      protocol: [["oauth_callback", "http://www.example.com"]],
      nonce: "95613465",
      timestamp: 1305586162
    })
    const withoutSignature = signed.filter(([k]) => k !== "oauth_signature")
    expect(
      signatureBaseString("GET", new URL("https://www.flickr.com/services/oauth/request_token"), withoutSignature)
    ).toBe(
      "GET&https%3A%2F%2Fwww.flickr.com%2Fservices%2Foauth%2Frequest_token&oauth_callback%3Dhttp%253A%252F%252Fwww.example.com" +
        "%26oauth_consumer_key%3D653e7a6ecc1d528c516cc8f92cf98611%26oauth_nonce%3D95613465" +
        "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1305586162%26oauth_version%3D1.0"
    )
  })

  it("sorts duplicate names by value and puts the signature last", () => {
    expect(normalizeParameters([["b", "2"], ["a", "z"], ["a", "b"]])).toBe("a=b&a=z&b=2")
    const signed = sign({
      method: "GET",
      url: new URL("https://api.flickr.com/services/rest"),
      parameters: [["method", "flickr.test.login"]],
      keys: { consumerKey: "k", consumerSecret: "s", token: "t", tokenSecret: "ts" },
      nonce: "n",
      timestamp: 1
    })
    expect(signed.at(-1)?.[0]).toBe("oauth_signature")
    expect(signed.find(([k]) => k === "oauth_token")?.[1]).toBe("t")
  })
})

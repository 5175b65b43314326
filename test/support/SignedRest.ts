// Signed REST calls and control-endpoint calls against a running simulator, with plain fetch and
// fbk's own OAuth signer: what the simulator's tests need to talk to it like a client would.
import { freshNonce, sign, type SigningKeys } from "../../src/services/flickr/OAuthSignature.js"
import type { FlickrSimulator } from "../../src/simulator/Server.js"

export type Item = Record<string, unknown>

export interface Answer {
  readonly status: number
  readonly text: string
}

/** Keys of a fresh read token issued without the OAuth dance. */
export const keysOf = (sim: FlickrSimulator): SigningKeys => {
  const token = sim.issueAccessToken()
  return { consumerKey: sim.apiKey, consumerSecret: sim.apiSecret, token: token.token, tokenSecret: token.tokenSecret }
}

/** A signed GET in JSON without callback; the raw answer. */
export const restRaw = async (sim: FlickrSimulator, params: Record<string, string>, keys: SigningKeys = keysOf(sim)): Promise<Answer> => {
  const url = new URL(sim.restUrl)
  const signed = sign({
    method: "GET",
    url,
    parameters: Object.entries({ format: "json", nojsoncallback: "1", ...params }),
    keys,
    nonce: freshNonce(),
    timestamp: Math.floor(Date.now() / 1000)
  })
  for (const [name, value] of signed) url.searchParams.append(name, value)
  const response = await fetch(url)
  return { status: response.status, text: await response.text() }
}

/** A signed call answered with HTTP 200; the body parsed. */
export const restJson = async (sim: FlickrSimulator, params: Record<string, string>, keys?: SigningKeys): Promise<Item> => {
  const answer = await restRaw(sim, params, keys)
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${answer.text}`)
  return JSON.parse(answer.text) as Item
}

/** A /__sim control call: GET without a body, POST with one. */
export const control = async (sim: FlickrSimulator, route: string, body?: unknown): Promise<{ readonly status: number; readonly body: Item }> => {
  const response = await fetch(`${sim.controlUrl}/${route}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
  })
  return { status: response.status, body: (await response.json()) as Item }
}

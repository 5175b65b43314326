// The /services/rest endpoint: reads the call's parameters, applies queued faults, verifies the
// OAuth signature, hands the call to the REST methods and answers in JSON or XML as asked.

import { encodeResponse, responseFormat } from "./FlickrJson.js"
import { errorPage, FAULT_CODES, HTTP_FAULTS } from "./Faults.js"
import { firstValues, send, sendHtml, type Incoming, type Route } from "./Http.js"
import { parseAuthorizationHeader } from "./OAuthVerifier.js"
import { callMethod, fail, isKnownMethod, type FlickrValue } from "./RestMethods.js"
import { sendOAuthProblem, unauthorized, verify, type OAuthProblem } from "./SignedRequests.js"
import type { SimulatorState } from "./SimulatorState.js"

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const hasOAuthHeader = (incoming: Incoming): boolean => {
  try {
    return parseAuthorizationHeader(incoming.req.headers.authorization) !== undefined
  } catch {
    // A malformed OAuth header is still an attempt to sign; the verifier refuses it.
    return true
  }
}

type RestAnswer = { readonly kind: "value"; readonly value: FlickrValue } | { readonly kind: "oauth"; readonly problem: OAuthProblem }

const answer = (value: FlickrValue): RestAnswer => ({ kind: "value", value })

const restAnswer = (sim: SimulatorState, incoming: Incoming, unverified: ReadonlyMap<string, string>, method: string): RestAnswer => {
  const { apiKey } = sim.config
  const signed = [...unverified.keys()].some((name) => name.startsWith("oauth_")) || hasOAuthHeader(incoming)
  if (!signed) {
    // Legacy unsigned call: the key is checked first, then the method, then the missing auth.
    const unsignedKey = unverified.get("api_key")
    if (unsignedKey === undefined || unsignedKey === "") return answer(fail(100, "Invalid API Key (Key not found)"))
    if (unsignedKey !== apiKey) return answer(fail(100, "Invalid API Key (Key has invalid format)"))
    if (!isKnownMethod(method)) return answer(fail(112, `Method "${method}" not found`))
    return answer(fail(99, "Insufficient permissions. Method requires read privileges; none granted."))
  }
  const verification = verify(sim, incoming, true, [], (token) => sim.tokens.accessToken(token)?.secret)
  if (!verification.ok) return { kind: "oauth", problem: verification }
  const signedKey = verification.params.get("api_key")
  if (signedKey !== undefined && signedKey !== apiKey) return answer(fail(100, "Invalid API Key (Key has invalid format)"))
  const token = sim.tokens.accessToken(verification.oauth.get("oauth_token") ?? "")
  if (token === undefined) return { kind: "oauth", problem: unauthorized("token_rejected") }
  return answer(
    callMethod(method, {
      account: sim.account,
      albums: sim.albums,
      icon: sim.icon,
      hosting: sim.hosting,
      token,
      params: verification.params,
      maxResultsPerQuery: sim.config.maxResultsPerQuery
    })
  )
}

const serveRest = async (sim: SimulatorState, incoming: Incoming): Promise<void> => {
  const seq = sim.restCallArrived()
  const { req, res } = incoming
  try {
    const unverified = new Map<string, string>()
    firstValues(incoming.rawQuery, unverified)
    firstValues(incoming.formBody, unverified)
    const method = unverified.get("method") ?? ""
    sim.countRestCall(method)

    const { delayMs, failure } = sim.faults.take(method)
    const latencyMs = sim.config.latencyMs + delayMs
    if (latencyMs > 0) await sleep(latencyMs)
    const format = responseFormat(unverified)

    switch (failure?.kind) {
      case "reset":
        req.socket.destroy()
        return
      case "http500":
      case "http502":
      case "http503":
      case "http429": {
        const [status, reason] = HTTP_FAULTS[failure.kind] as readonly [number, string]
        const headers: Record<string, string> = failure.kind === "http429" ? { "Retry-After": String(failure.retryAfterSeconds ?? 1) } : {}
        sendHtml(res, status, errorPage(status, reason), headers)
        return
      }
      case "code105":
      case "code106":
      case "code201":
      case "code0":
      case "code": {
        const [code, message] = failure.kind === "code" ? [failure.code, failure.message] : (FAULT_CODES[failure.kind] as readonly [number, string])
        const encoded = encodeResponse(fail(code, message), format)
        send(res, 200, encoded.contentType, encoded.body)
        return
      }
      default:
        break
    }

    const result = restAnswer(sim, incoming, unverified, method)
    if (result.kind === "oauth") {
      sendOAuthProblem(incoming, result.problem)
      return
    }
    const supported = unverified.get("format")
    const encoded =
      supported !== undefined && supported !== "json" && supported !== "rest"
        ? encodeResponse(fail(111, `Format "${supported}" not found`), "xml")
        : encodeResponse(result.value, format)
    if (failure?.kind === "truncated") {
      const whole = Buffer.from(encoded.body)
      send(res, 200, encoded.contentType, whole.subarray(0, Math.floor(whole.length / 2)))
    } else {
      send(res, 200, encoded.contentType, encoded.body)
    }
  } finally {
    sim.restCallAnswered(seq)
  }
}

export const restRoute: Route = {
  matches: (path) => path === "/services/rest" || path === "/services/rest/",
  serve: serveRest
}

// Checks a request's OAuth 1.0a signature against this simulator's consumer, tokens and clock, and
// refuses the way Flickr does. The REST endpoint and the OAuth endpoints both sign with it.

import { sendText, type Incoming } from "./Http.js"
import { verifyRequest, type Verification } from "./OAuthVerifier.js"
import { MAX_CLOCK_SKEW_SECONDS, nowSeconds, type SimulatorState } from "./SimulatorState.js"

export type OAuthProblem = Extract<Verification, { readonly ok: false }>

/** A refusal of the token or verifier the request names, after its signature checked out. */
export const unauthorized = (problem: string): OAuthProblem => ({ ok: false, status: 401, body: `oauth_problem=${problem}` })

export const verify = (
  sim: SimulatorState,
  incoming: Incoming,
  requireToken: boolean,
  alsoRequired: ReadonlyArray<string>,
  tokenSecret: (token: string) => string | undefined
): Verification => {
  const { req } = incoming
  return verifyRequest(
    {
      httpMethod: req.method ?? "GET",
      hostHeader: req.headers.host ?? `127.0.0.1:${(req.socket.localPort ?? 80).toString()}`,
      path: incoming.path,
      rawQuery: incoming.rawQuery,
      formBody: incoming.formBody,
      authorization: req.headers.authorization
    },
    {
      consumerKey: sim.config.apiKey,
      consumerSecret: sim.config.apiSecret,
      requireToken,
      tokenSecret,
      alsoRequired,
      nowSeconds: nowSeconds(),
      maxSkewSeconds: MAX_CLOCK_SKEW_SECONDS,
      nonces: sim.nonces
    }
  )
}

export const sendOAuthProblem = (incoming: Incoming, problem: OAuthProblem): void => {
  const host = incoming.req.headers.host ?? "127.0.0.1"
  sendText(incoming.res, problem.status, problem.body, { "WWW-Authenticate": `OAuth realm="http://${host}/"` })
}

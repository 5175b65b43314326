// The OAuth 1.0a dance as Flickr serves it under /services/oauth/: request_token, authorize (the
// consent page, or at once with autoApprove) and access_token.

import type { Owner } from "./Account.js"
import { errorPage } from "./Faults.js"
import { firstValues, sendHtml, sendText, type Incoming, type Route } from "./Http.js"
import { percentEncode } from "./OAuthVerifier.js"
import { sendOAuthProblem, unauthorized, verify } from "./SignedRequests.js"
import type { SimulatorState } from "./SimulatorState.js"
import { PERMS, type RequestToken } from "./Tokens.js"

const PREFIX = "/services/oauth/"

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

const page = (title: string, content: string): string =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${content}\n</body></html>\n`

const consentPage = (token: RequestToken, perms: string, owner: Owner): string =>
  page(
    "Flickr: authorize this application",
    [
      `<p>You are signed in as <strong>${escapeHtml(owner.username)}</strong>.</p>`,
      `<p>An application wants <strong>${escapeHtml(perms)}</strong> access to your Flickr account.</p>`,
      `<form method="post" action="/services/oauth/authorize">`,
      `<input type="hidden" name="oauth_token" value="${escapeHtml(token.token)}">`,
      `<input type="hidden" name="perms" value="${escapeHtml(perms)}">`,
      `<button type="submit" name="approve" value="1">OK, I'll authorize it</button>`,
      `</form>`
    ].join("\n")
  )

const isCallbackUrl = (callback: string): boolean => {
  try {
    const url = new URL(callback)
    return url.protocol === "http:" || url.protocol === "https:"
  } catch {
    return false
  }
}

const requestToken = (sim: SimulatorState, incoming: Incoming): void => {
  // Signed with the consumer secret alone: there is no token yet.
  const verification = verify(sim, incoming, false, ["oauth_callback"], () => undefined)
  if (!verification.ok) return sendOAuthProblem(incoming, verification)
  const callback = verification.oauth.get("oauth_callback") ?? ""
  if (callback !== "oob" && !isCallbackUrl(callback)) {
    return sendOAuthProblem(incoming, {
      ok: false,
      status: 400,
      body: "oauth_problem=parameter_rejected&oauth_parameters_rejected=oauth_callback"
    })
  }
  const token = sim.tokens.createRequestToken(callback)
  sendText(
    incoming.res,
    200,
    `oauth_callback_confirmed=true&oauth_token=${percentEncode(token.token)}&oauth_token_secret=${percentEncode(token.secret)}`
  )
}

const authorize = (sim: SimulatorState, incoming: Incoming): void => {
  const params = new Map<string, string>()
  firstValues(incoming.rawQuery, params)
  firstValues(incoming.formBody, params)
  const { res } = incoming
  const token = sim.tokens.requestToken(params.get("oauth_token") ?? "")
  if (token === undefined) {
    sendHtml(res, 400, page("Oops!", "<p>This authorization link is invalid or has expired.</p>"))
    return
  }
  const perms = params.get("perms") ?? "read"
  if (!(PERMS as ReadonlyArray<string>).includes(perms)) {
    sendHtml(res, 400, page("Oops!", "<p>Flickr doesn't recognise the permission set.</p>"))
    return
  }
  // The consent form posts back here with `approve`.
  const approved = incoming.req.method === "POST" ? params.has("approve") : sim.config.autoApprove
  if (!approved) {
    sendHtml(res, 200, consentPage(token, perms, sim.account.owner))
    return
  }
  const verifier = sim.tokens.approve(token, perms)
  if (token.callback === "oob") {
    sendHtml(
      res,
      200,
      page(
        "Flickr: authorization code",
        `<p>Enter this code into the application to finish authorizing it:</p>\n<p><span id="verifier">${escapeHtml(verifier)}</span></p>`
      )
    )
    return
  }
  const separator = token.callback.includes("?") ? "&" : "?"
  const location = `${token.callback}${separator}oauth_token=${percentEncode(token.token)}&oauth_verifier=${percentEncode(verifier)}`
  res.writeHead(302, { Location: location, "Content-Type": "text/html; charset=utf-8", "Content-Length": "0" })
  res.end()
}

const accessToken = (sim: SimulatorState, incoming: Incoming): void => {
  // Signed with the consumer secret and the request token's secret.
  const verification = verify(sim, incoming, true, ["oauth_verifier"], (token) => sim.tokens.requestToken(token)?.secret)
  if (!verification.ok) return sendOAuthProblem(incoming, verification)
  const token = sim.tokens.requestToken(verification.oauth.get("oauth_token") ?? "")
  if (token === undefined) return sendOAuthProblem(incoming, unauthorized("token_rejected"))
  if (token.verifier === undefined || token.perms === undefined) return sendOAuthProblem(incoming, unauthorized("permission_unknown"))
  if (verification.oauth.get("oauth_verifier") !== token.verifier) return sendOAuthProblem(incoming, unauthorized("verifier_invalid"))
  sim.tokens.consumeRequestToken(token)
  const access = sim.tokens.issueAccessToken(token.perms)
  const owner = sim.account.owner
  sendText(
    incoming.res,
    200,
    [
      `fullname=${percentEncode(owner.fullname)}`,
      `oauth_token=${percentEncode(access.token)}`,
      `oauth_token_secret=${percentEncode(access.secret)}`,
      `user_nsid=${percentEncode(owner.nsid)}`,
      `username=${percentEncode(owner.username)}`
    ].join("&")
  )
}

const ENDPOINTS: ReadonlyMap<string, (sim: SimulatorState, incoming: Incoming) => void> = new Map([
  ["request_token", requestToken],
  ["authorize", authorize],
  ["access_token", accessToken]
])

export const oauthRoute: Route = {
  matches: (path) => path.startsWith(PREFIX),
  serve: (sim, incoming) => {
    sim.countOAuthCall()
    const endpoint = ENDPOINTS.get(incoming.path.slice(PREFIX.length))
    if (endpoint === undefined) sendHtml(incoming.res, 404, errorPage(404, "Not Found"))
    else endpoint(sim, incoming)
  }
}

// OAuth tokens the simulator has handed out: request tokens on their way through /authorize,
// and access tokens, which tests can revoke all at once.

import { randomBytes, randomInt } from "node:crypto"

export interface RequestToken {
  readonly token: string
  readonly secret: string
  /** A URL or "oob". */
  readonly callback: string
  perms: string | undefined
  verifier: string | undefined
}

export interface AccessToken {
  readonly token: string
  readonly secret: string
  readonly perms: string
  revoked: boolean
}

const digits = (count: number): string => {
  let out = ""
  for (let i = 0; i < count; i++) out += String(randomInt(i === 0 ? 1 : 0, 10))
  return out
}

/** Flickr's shape: a 17-digit number, a dash, 16 hex digits. */
const newToken = (): string => `${digits(17)}-${randomBytes(8).toString("hex")}`
const newSecret = (): string => randomBytes(8).toString("hex")

export const PERMS = ["read", "write", "delete"] as const

export class TokenStore {
  private readonly requestTokens = new Map<string, RequestToken>()
  private readonly accessTokens = new Map<string, AccessToken>()

  createRequestToken(callback: string): RequestToken {
    const token: RequestToken = { token: newToken(), secret: newSecret(), callback, perms: undefined, verifier: undefined }
    this.requestTokens.set(token.token, token)
    return token
  }

  requestToken(token: string): RequestToken | undefined {
    return this.requestTokens.get(token)
  }

  /** The user said yes: the verifier the consumer must bring to /access_token. */
  approve(token: RequestToken, perms: string): string {
    token.perms = perms
    // Out-of-band users type the code, so it is short and grouped; callbacks get an opaque one.
    token.verifier = token.callback === "oob" ? `${digits(3)}-${digits(3)}-${digits(3)}` : randomBytes(8).toString("hex")
    return token.verifier
  }

  /** Request tokens are good for one exchange only. */
  consumeRequestToken(token: RequestToken): void {
    this.requestTokens.delete(token.token)
  }

  issueAccessToken(perms: string): AccessToken {
    const token: AccessToken = { token: newToken(), secret: newSecret(), perms, revoked: false }
    this.accessTokens.set(token.token, token)
    return token
  }

  /** A usable access token, or undefined when unknown or revoked. */
  accessToken(token: string): AccessToken | undefined {
    const found = this.accessTokens.get(token)
    return found === undefined || found.revoked ? undefined : found
  }

  revokeAll(): void {
    for (const token of this.accessTokens.values()) token.revoked = true
  }
}

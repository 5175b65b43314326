// One readable line for every way fbk can fail. A stack trace is only for FBK_DEBUG=1.
import { ValidationError } from "@effect/cli"
import { Cause, ConfigError, Option } from "effect"

const authMessages: Readonly<Record<string, string>> = {
  token_rejected: "Flickr rejected the stored token (revoked or unknown); run `fbk setup` again",
  consumer_key_unknown: "Flickr does not know this API key; check it and run `fbk setup --force`",
  signature_invalid: "Flickr refused the request's signature: the API secret is wrong (run `fbk setup --force`), or fbk has a bug",
  signature_missing: "Flickr says the request was not signed (fbk bug)",
  permission_denied: "the token lacks read permission; run `fbk setup --force`",
  nonce_used: "Flickr refused a repeated nonce (fbk bug)",
  timestamp_refused: "Flickr refused the request's time stamp; check this computer's clock",
  token_mismatch: "the token Flickr issued belongs to another account; run `fbk setup --force`",
  ssl_required: "Flickr requires https; check FBK_REST_URL / FBK_OAUTH_URL"
}

interface Tagged {
  readonly _tag: string
  readonly [key: string]: unknown
}

const describeError = (error: Tagged): string | null => {
  const text = (key: string) => String(error[key] ?? "")
  switch (error._tag) {
    case "Reported":
      return null
    case "FlickrAuthError":
      return authMessages[text("problem")] ??
        `Flickr refused the request (${text("problem")}${error.detail ? `: ${text("detail")}` : ""}); run \`fbk setup\` again`
    case "FlickrApiError":
      return `Flickr answered ${text("method")} with error ${text("code")}: ${text("message")}`
    case "FlickrTransportError":
      return `cannot get an answer from Flickr (${text("method")}: ${text("reason")}), even after retries; ` +
        "run the command again later (nothing stored is lost)"
    case "FlickrDecodeError":
      return `Flickr's answer to ${text("method")} was not understood: ${text("reason")}`
    case "EndpointError":
      return `the Flickr URL ${text("url")} ${text("reason")} (check FBK_REST_URL / FBK_OAUTH_URL)`
    case "CredentialsError":
    case "DatabaseError":
      return `${text("path")} ${text("reason")}`
    case "SetupError":
      return `setup did not complete: ${text("reason")}`
    case "UsageError":
      return text("reason")
    case "ListingIncomplete":
      return `Flickr counts ${Number(error.remote).toLocaleString("en-US")} photos but only ` +
        `${Number(error.seen).toLocaleString("en-US")} could be listed, so nothing was marked deleted; ` +
        `run \`fbk ${text("command")}\` again`
    case "SqlError":
      return `database error: ${text("message")}${error.cause instanceof Error ? ` (${error.cause.message})` : ""}`
    default:
      return null
  }
}

/** The line to print for a failed run, or null when the message was already shown (@effect/cli's). */
export const describeFailure = (cause: Cause.Cause<unknown>): string | null => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (ValidationError.isValidationError(error)) return null
    if (ConfigError.isConfigError(error)) return `configuration: ${String(error)}`
    if (typeof error === "object" && error !== null && "_tag" in error) {
      const line = describeError(error as Tagged)
      if (line !== null || (error as Tagged)._tag === "Reported") return line
    }
    return `unexpected error: ${error instanceof Error ? error.message : String(error)}`
  }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    const d = defect.value
    return `internal error: ${d instanceof Error ? d.message : String(d)} (run with FBK_DEBUG=1 for details)`
  }
  return "stopped"
}

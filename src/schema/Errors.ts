// The errors fbk can meet, with the facts a person needs to act on them; each turns into one
// readable line at the top of the CLI (ErrorMessages.ts), and `cause` keeps what lay under it.
import { Data } from "effect"

/** Flickr answered `stat: "fail"` (HTTP 200). `code` decides transient versus permanent. */
export class FlickrApiError extends Data.TaggedError("FlickrApiError")<{
  readonly method: string
  readonly code: number
  readonly message: string
}> {}

/** OAuth refused the request (HTTP 401/400 `oauth_problem=...`, or legacy JSON codes 96-98). */
export class FlickrAuthError extends Data.TaggedError("FlickrAuthError")<{
  readonly problem: string
  readonly detail?: string
}> {}

/** The `problem` of a call refused before it is made: the home has no API key (built from Flickr's export). */
export const NO_API_KEY = "no_api_key"

/** The request did not get a usable answer: connection failure, timeout, HTTP error status, unparsable body. */
export class FlickrTransportError extends Data.TaggedError("FlickrTransportError")<{
  readonly method: string
  readonly reason: string
  readonly status?: number
  readonly retryAfterSeconds?: number
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** The answer parsed but did not have the shape fbk needs. */
export class FlickrDecodeError extends Data.TaggedError("FlickrDecodeError")<{
  readonly method: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** A URL fbk was told to use is not acceptable (plain http to a non-loopback host, malformed). */
export class EndpointError extends Data.TaggedError("EndpointError")<{
  readonly url: string
  readonly reason: string
}> {}

/** Credentials are missing, unreadable or incomplete. */
export class CredentialsError extends Data.TaggedError("CredentialsError")<{
  readonly path: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** The database file cannot be used by fbk (not SQLite, someone else's, unreadable). */
export class DatabaseError extends Data.TaggedError("DatabaseError")<{
  readonly path: string
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** Setup could not complete (user cancelled, callback timed out, bad verifier...). */
export class SetupError extends Data.TaggedError("SetupError")<{
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** A program was asked to do something the current state does not allow. */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly reason: string
  /** What went wrong underneath, printed with FBK_DEBUG=1. */
  readonly cause?: unknown
}> {}

/** A complete listing that does not add up to Flickr's count: nothing was marked deleted. */
export class ListingIncomplete extends Data.TaggedError("ListingIncomplete")<{
  readonly command: string
  readonly remote: number
  readonly seen: number
}> {}

/** Another fbk process holds the run lock of this database (`pid` is running `command`, since `since`: unix seconds). */
export class AnotherRunActive extends Data.TaggedError("AnotherRunActive")<{
  readonly pid: number
  readonly command: string
  readonly since: number | null
}> {}

// The GET of a file body with undici directly (Effect's HttpClient cost 1-2 ms a small file): redirects
// followed by hand, each hop checked first; no answer in time and a stalled body fail on undici's own timers.
import { Context, Effect, type Scope } from "effect"
import { Agent, type Dispatcher, request } from "undici"
import { FileTransferError } from "../../schema/Files.js"
import { checkEndpoint, FbkConfig } from "../home/FbkConfig.js"

/** Tuning that only tests change; a run uses the defaults. */
export class FileTransferSettings extends Context.Reference<FileTransferSettings>()("fbk/FileTransferSettings", {
  defaultValue: (): { readonly stallTimeoutMillis: number; readonly dispatcher?: Dispatcher } => ({
    /** A body that sends nothing for this long is dropped and resumed: an idle socket can hang for hours. */
    stallTimeoutMillis: 30_000
  })
}) {}

const MAX_REDIRECTS = 5
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** An answer that is not a redirect: its body is read by the caller, and dropped (its connection closed) when the scope ends. */
export interface Answer {
  /** The URL that answered, after any redirects. */
  readonly url: string
  readonly status: number
  /** Lower-case names; a repeated header's first value. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Dispatcher.ResponseData["body"]
}

const codeOf = (cause: unknown) =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : undefined

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

/** A failure before the answer's headers: the address and undici's words, never the request's headers. */
const noAnswer = (url: string, timeoutMillis: number) => (cause: unknown) => {
  const code = codeOf(cause)
  const timedOut = code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT"
  return new FileTransferError({
    url,
    reason: timedOut ? `no answer within ${timeoutMillis / 1000}s` : `could not get an answer (${messageOf(cause)})`,
    retryable: true,
    cause
  })
}

/** A body that broke or stalled after `bytes`; the next try resumes after what was kept. */
export const bodyFailure = (url: string, bytes: number, stallTimeoutMillis: number) => (cause: unknown) =>
  new FileTransferError({
    url,
    reason: codeOf(cause) === "UND_ERR_BODY_TIMEOUT"
      ? `nothing arrived for ${stallTimeoutMillis / 1000}s after ${bytes} bytes`
      : `the connection broke after ${bytes} bytes (${messageOf(cause)})`,
    retryable: true,
    cause
  })

const singleValues = (headers: Dispatcher.ResponseData["headers"]) => {
  const single: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) single[name] = Array.isArray(value) ? value[0] : value
  return single
}

export class FileGet extends Effect.Service<FileGet>()("fbk/FileGet", {
  scoped: Effect.gen(function*() {
    const { requestTimeoutMillis } = yield* FbkConfig
    const { dispatcher, stallTimeoutMillis } = yield* FileTransferSettings
    // A test's own dispatcher (one that notes each request) is the test's to close.
    const agent = dispatcher ?? (yield* Effect.acquireRelease(
      Effect.sync(() => new Agent({ connect: { timeout: requestTimeoutMillis } })),
      (agent) => Effect.promise(() => agent.destroy())
    ))

    /** One request; its body is destroyed (the connection aborted if unread) when the scope closes. */
    const once = (url: URL, headers: Record<string, string>) =>
      Effect.acquireRelease(
        Effect.interruptible(Effect.tryPromise({
          try: (signal) =>
            request(url, { dispatcher: agent, headers, signal, headersTimeout: requestTimeoutMillis, bodyTimeout: stallTimeoutMillis }),
          catch: noAnswer(url.href, requestTimeoutMillis)
        })),
        ({ body }) =>
          Effect.sync(() => {
            if (body.readableEnded) return
            // Destroying an unread body aborts its request, which the body reports as an error: expected here.
            body.on("error", () => undefined)
            body.destroy()
          })
      )

    const go = (url: string, headers: Record<string, string>, hops: number): Effect.Effect<Answer, FileTransferError, Scope.Scope> =>
      Effect.gen(function*() {
        const checked = yield* checkEndpoint(url).pipe(
          Effect.mapError((e) =>
            new FileTransferError({ url, reason: `${hops === 0 ? "" : "redirected to "}${url}, which ${e.reason}`, retryable: false })
          )
        )
        const { body, headers: received, statusCode } = yield* once(checked, headers)
        const single = singleValues(received)
        if (!REDIRECT_STATUSES.has(statusCode)) return { url, status: statusCode, headers: single, body }
        // A redirect's own body is read out, so its connection serves the next hop.
        yield* Effect.promise(() => body.dump().catch(() => undefined))
        const location = single["location"]
        if (location === undefined) {
          return yield* new FileTransferError({ url, reason: `HTTP ${statusCode} redirect without a Location`, status: statusCode, retryable: false })
        }
        if (hops === MAX_REDIRECTS) return yield* new FileTransferError({ url, reason: `more than ${MAX_REDIRECTS} redirects`, retryable: false })
        // A relative Location is resolved against the URL that sent it; a malformed one fails its check.
        const next = URL.canParse(location, checked.href) ? new URL(location, checked).href : location
        return yield* go(next, headers, hops + 1)
      })

    return {
      /** GET `url` with `headers`, following redirects by hand so every hop is checked before it is asked. */
      get: (url: string, headers: Record<string, string>) => go(url, headers, 0),
      stallTimeoutMillis
    } as const
  })
}) {}

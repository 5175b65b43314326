// A one-shot HTTP server on 127.0.0.1 (random port) that catches Flickr's redirect after the
// user authorises fbk, carrying the verifier.
import { Deferred, Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { SetupError } from "../../schema/Errors.js"

export interface CallbackAnswer {
  readonly token: string
  readonly verifier: string
}

const PAGE = (message: string) =>
  `<!doctype html><meta charset="utf-8"><title>fbk</title><body style="font-family:sans-serif"><p>${message}</p></body>`

/** Listens until the scope closes; `answer` completes when the browser comes back. */
export const listen = Effect.gen(function*() {
  const answer = yield* Deferred.make<CallbackAnswer, SetupError>()
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1")
    const token = url.searchParams.get("oauth_token")
    const verifier = url.searchParams.get("oauth_verifier")
    if (url.pathname !== "/callback" || token === null || verifier === null) {
      response.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end(PAGE("Not found."))
      return
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(PAGE("fbk is authorised. You can close this tab and return to the terminal."))
    Deferred.unsafeDone(answer, Effect.succeed({ token, verifier }))
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number, SetupError>((resume) => {
      server.once("error", (e) => resume(Effect.fail(new SetupError({ reason: `cannot listen on 127.0.0.1 (${e.message})`, cause: e }))))
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
    }),
    () => Effect.sync(() => server.closeAllConnections()).pipe(Effect.zipRight(Effect.async<void>((resume) => {
      server.close(() => resume(Effect.void))
    })))
  )
  return { url: `http://127.0.0.1:${port}/callback`, answer: Deferred.await(answer) } as const
})

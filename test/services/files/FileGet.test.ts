// FileGet's undici path: its timeouts (no answer, a stalled body) and its failures as FileTransferError
// in words that name neither the request's headers nor its query.
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Either, Layer } from "effect"
import * as net from "node:net"
import type { AddressInfo } from "node:net"
import { FbkConfig } from "../../../src/services/home/FbkConfig.js"
import { bodyFailure, FileGet, FileTransferSettings } from "../../../src/services/files/FileGet.js"
import { startFileServer } from "../../support/FileServer.js"
import { configFor, tempDir } from "../../support/Fixtures.js"

const REQUEST_TIMEOUT_MILLIS = 300
const STALL_TIMEOUT_MILLIS = 200

/** A server on 127.0.0.1 that takes connections and never answers; its port. */
const silentServer = Effect.acquireRelease(
  Effect.async<net.Server>((resume) => {
    const server = net.createServer(() => undefined)
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) => Effect.sync(() => server.close())
).pipe(Effect.map((server) => (server.address() as AddressInfo).port))

/** A port nothing listens on: one just given up by a server. */
const closedPort = Effect.async<number>((resume) => {
  const server = net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

const fileGet = Effect.gen(function*() {
  const dir = yield* tempDir
  const layer = FileGet.Default.pipe(Layer.provide(Layer.mergeAll(
    Layer.succeed(FbkConfig, configFor(dir, { requestTimeoutMillis: REQUEST_TIMEOUT_MILLIS })),
    Layer.succeed(FileTransferSettings, { stallTimeoutMillis: STALL_TIMEOUT_MILLIS })
  )))
  return yield* Effect.map(Layer.buildWithScope(layer, yield* Effect.scope), Context.get(FileGet))
})

const SECRET_QUERY = "token=s3cr3t"

describe("FileGet", () => {
  it.scopedLive("a server that never answers fails after the request timeout, retryably, saying so", () =>
    Effect.gen(function*() {
      const port = yield* silentServer
      const get = yield* fileGet
      const url = `http://127.0.0.1:${port}/1_o.jpg?${SECRET_QUERY}`
      const error = yield* Effect.flip(Effect.scoped(get.get(url, { range: "bytes=10-" })))
      expect(error).toMatchObject({ _tag: "FileTransferError", url, reason: "no answer within 0.3s", retryable: true })
    }))

  it.scopedLive("a refused connection is a retryable FileTransferError in undici's words, without the query or headers", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const get = yield* fileGet
      const url = `http://127.0.0.1:${port}/1_o.jpg?${SECRET_QUERY}`
      const error = yield* Effect.flip(Effect.scoped(get.get(url, { "if-range": "\"etag-secret\"" })))
      expect(error).toMatchObject({ _tag: "FileTransferError", url, retryable: true })
      expect(error.reason).toMatch(/^could not get an answer \(.*ECONNREFUSED.*\)$/)
      expect(error.reason).not.toContain(SECRET_QUERY)
      expect(error.reason).not.toContain("etag-secret")
    }))

  it.scopedLive("a body that stops arriving fails its next read after the stall timeout, named as a stall", () =>
    Effect.gen(function*() {
      const server = yield* startFileServer({ "/v.mp4": { body: new Uint8Array(500_000), script: [{ _tag: "Stall", afterBytes: 100_000 }] } })
      const get = yield* fileGet
      const read = yield* Effect.scoped(Effect.gen(function*() {
        const answer = yield* get.get(server.url("/v.mp4"), {})
        let bytes = 0
        return yield* Effect.tryPromise({
          try: async () => {
            for await (const chunk of answer.body) bytes += (chunk as Buffer).length
          },
          catch: (cause) => bodyFailure(answer.url, bytes, STALL_TIMEOUT_MILLIS)(cause)
        }).pipe(Effect.either)
      }))
      expect(Either.isLeft(read)).toBe(true)
      if (Either.isLeft(read)) {
        expect(read.left.reason).toMatch(/^nothing arrived for 0\.2s after \d+ bytes$/)
        expect(read.left.retryable).toBe(true)
      }
    }))
})

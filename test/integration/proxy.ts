// A TCP proxy in front of the simulator, so a test can take "the network" away and bring it
// back on the same address while the simulator (its account and tokens) lives on.
import * as net from "node:net"
import type { AddressInfo } from "node:net"
import type { FlickrSimulator } from "../../src/simulator/Server.js"

export interface TcpProxy {
  readonly port: number
  /** Stops listening and cuts every open connection: new ones are refused, as by a closed port. */
  readonly down: () => void
  /** Listens again on the same port. */
  readonly up: () => Promise<void>
  /** Keeps listening but resets every new connection at once (a link that drops everything). */
  readonly drop: () => void
  /** Connections reset while dropping, so far. */
  readonly dropped: () => number
  readonly close: () => Promise<void>
}

export const startTcpProxy = async (sim: FlickrSimulator): Promise<TcpProxy> => {
  const target = Number(new URL(sim.restUrl).port)
  const sockets = new Set<net.Socket>()
  let dropping = false
  let dropped = 0
  const server = net.createServer((client) => {
    if (dropping) {
      dropped += 1
      client.resetAndDestroy()
      return
    }
    const upstream = net.connect(target, "127.0.0.1")
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      socket.on("error", () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject)
        resolve()
      })
    })
  await listen(0)
  const port = (server.address() as AddressInfo).port
  const cutAll = () => {
    for (const socket of sockets) socket.destroy()
    sockets.clear()
  }
  return {
    port,
    down: () => {
      dropping = false
      server.close()
      cutAll()
    },
    up: async () => {
      dropping = false
      if (!server.listening) await listen(port)
    },
    drop: () => {
      dropping = true
      cutAll()
    },
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        cutAll()
        if (server.listening) server.close(() => resolve())
        else resolve()
      })
  }
}

/** The simulator as seen through `proxy`: same account and keys, the proxy's address. */
export const throughProxy = (sim: FlickrSimulator, proxy: TcpProxy): FlickrSimulator => {
  const rest = new URL(sim.restUrl)
  const oauth = new URL(sim.oauthUrl)
  rest.port = String(proxy.port)
  oauth.port = String(proxy.port)
  return { ...sim, restUrl: rest.href, oauthUrl: oauth.href }
}

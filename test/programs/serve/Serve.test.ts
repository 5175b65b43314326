// The Host values that name the viewer: its loopback names and the host it listens on, with the
// port; every address of this machine when it listens on all.
import * as os from "node:os"
import { describe, expect, it } from "vitest"
import { allowedHosts, isLoopback } from "../../../src/programs/serve/Serve.js"

describe("Serve.allowedHosts", () => {
  it("on loopback: 127.0.0.1, localhost and [::1] with the port, nothing else", () => {
    expect([...allowedHosts("127.0.0.1", 8421)].sort()).toEqual(["127.0.0.1:8421", "[::1]:8421", "localhost:8421"])
    expect(allowedHosts("localhost", 5000).has("localhost:5000")).toBe(true)
    expect(allowedHosts("127.0.0.1", 8421).has("127.0.0.1")).toBe(false)
    expect(allowedHosts("127.0.0.1", 8421).has("127.0.0.1:8422")).toBe(false)
  })

  it("a named address is allowed as given, an IPv6 one in brackets, lower case", () => {
    expect(allowedHosts("192.168.1.5", 8421).has("192.168.1.5:8421")).toBe(true)
    expect(allowedHosts("fe80::1", 8421).has("[fe80::1]:8421")).toBe(true)
    expect(allowedHosts("My-Laptop.local", 8421).has("my-laptop.local:8421")).toBe(true)
  })

  it("port 80 also allows the bare host, as browsers send it", () => {
    const hosts = allowedHosts("127.0.0.1", 80)
    expect(hosts.has("127.0.0.1")).toBe(true)
    expect(hosts.has("localhost")).toBe(true)
    expect(hosts.has("[::1]")).toBe(true)
    expect(hosts.has("127.0.0.1:80")).toBe(true)
  })

  it("on every address: this machine's name and each of its addresses", () => {
    const hosts = allowedHosts("0.0.0.0", 8421)
    expect(hosts.has(`${os.hostname().toLowerCase()}:8421`)).toBe(true)
    for (const address of Object.values(os.networkInterfaces()).flat()) {
      if (address === undefined) continue
      const name = address.family === "IPv6" ? `[${address.address}]` : address.address
      expect(hosts.has(`${name.toLowerCase()}:8421`), name).toBe(true)
    }
    expect(hosts.has("evil.example:8421")).toBe(false)
  })

  it("isLoopback: the loopback names only", () => {
    for (const host of ["127.0.0.1", "localhost", "LOCALHOST", "::1", "[::1]"]) expect(isLoopback(host), host).toBe(true)
    for (const host of ["0.0.0.0", "::", "192.168.1.5", "127.0.0.2"]) expect(isLoopback(host), host).toBe(false)
  })
})

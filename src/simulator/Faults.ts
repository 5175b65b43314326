// Failures tests ask for: the next N matching REST calls break in one of the ways Flickr (or the
// network in front of it) breaks.

import { Schema } from "effect"

const count = Schema.NonNegativeInt
const method = Schema.optionalWith(Schema.String, { exact: true })

const SIMPLE_KINDS = ["http500", "http502", "http503", "code105", "code106", "code201", "code0", "truncated", "reset"] as const

/**
 * A fault as tests queue it, in this process or as JSON through /__sim/fault. One member per kind,
 * so a bad fault is refused for what its own kind lacks.
 */
export const Fault = Schema.Union(
  ...SIMPLE_KINDS.map((kind) => Schema.Struct({ kind: Schema.Literal(kind), count, method })),
  Schema.Struct({ kind: Schema.Literal("http429"), count, retryAfterSeconds: Schema.optionalWith(count, { exact: true }), method }),
  Schema.Struct({ kind: Schema.Literal("latency"), count, latencyMs: count, method }),
  Schema.Struct({ kind: Schema.Literal("code"), code: Schema.Int, message: Schema.String, count, method })
)
export type Fault = typeof Fault.Type

/** The Flickr error code and message each `codeNNN` fault answers with. */
export const FAULT_CODES: Readonly<Record<string, readonly [number, string]>> = {
  code105: [105, "Service currently unavailable"],
  code106: [106, "Write operation failed"],
  code201: [201, "Sorry, the Flickr API service is not currently available."],
  code0: [0, "Sorry, the Flickr API service is not currently available."]
}

export const HTTP_FAULTS: Readonly<Record<string, readonly [number, string]>> = {
  http500: [500, "Internal Server Error"],
  http502: [502, "Bad Gateway"],
  http503: [503, "Service Unavailable"],
  http429: [429, "Too Many Requests"]
}

export const errorPage = (status: number, reason: string): string =>
  `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head>\n<body><h1>${reason}</h1><p>Flickr is having a massage. Please try again in a moment.</p></body></html>\n`

interface Pending {
  readonly fault: Fault
  remaining: number
}

export class FaultQueue {
  private pending: Array<Pending> = []

  add(fault: Fault): void {
    if (fault.count > 0) this.pending.push({ fault, remaining: fault.count })
  }

  /**
   * Faults that hit this call: every matching latency fault (they stack), plus the oldest
   * matching failure. Each one hit uses up one of its count.
   */
  take(method: string): { readonly delayMs: number; readonly failure: Fault | undefined } {
    let delayMs = 0
    let failure: Fault | undefined
    for (const entry of this.pending) {
      if (entry.remaining <= 0) continue
      if (entry.fault.method !== undefined && entry.fault.method !== method) continue
      if (entry.fault.kind === "latency") {
        delayMs += entry.fault.latencyMs
        entry.remaining -= 1
      } else if (failure === undefined) {
        failure = entry.fault
        entry.remaining -= 1
      }
    }
    this.pending = this.pending.filter((entry) => entry.remaining > 0)
    return { delayMs, failure }
  }

  clear(): void {
    this.pending = []
  }
}

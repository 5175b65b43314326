// Failures tests ask for: the next N matching REST calls or file requests break in one of the ways
// Flickr, its image servers or the network in front of them break.

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

// ---- file requests ----

const path = Schema.optionalWith(Schema.String, { exact: true })
const photoId = Schema.optionalWith(Schema.String, { exact: true })

/**
 * A fault on the image servers, for the next `count` file requests (only those of `path`, or of
 * the photo `photoId`, when given). `afterBytes` counts body bytes sent before the body breaks.
 */
export const FileFault = Schema.Union(
  Schema.Struct({ kind: Schema.Literal("http429"), count, retryAfterSeconds: Schema.optionalWith(count, { exact: true }), path, photoId }),
  Schema.Struct({ kind: Schema.Literal("http503"), count, path, photoId }),
  /** The connection is reset (TCP RST) after `afterBytes` of the body. */
  Schema.Struct({ kind: Schema.Literal("reset"), count, afterBytes: count, path, photoId }),
  /** The body stops after `afterBytes` (default: half of it), short of its Content-Length, and the connection closes. */
  Schema.Struct({ kind: Schema.Literal("truncated"), count, afterBytes: Schema.optionalWith(count, { exact: true }), path, photoId }),
  /** After `afterBytes` nothing comes for `stallMs` (default ten minutes), then the rest. */
  Schema.Struct({ kind: Schema.Literal("stall"), count, afterBytes: count, stallMs: Schema.optionalWith(count, { exact: true }), path, photoId })
)
export type FileFault = typeof FileFault.Type

export type FileFaultKind = FileFault["kind"]

export class FileFaultQueue {
  private pending: Array<{ readonly fault: FileFault; remaining: number }> = []

  add(fault: FileFault): void {
    if (fault.count > 0) this.pending.push({ fault, remaining: fault.count })
  }

  /** The oldest fault of one of `kinds` aimed at this request, used up by one. */
  take(path: string, photoId: string | undefined, kinds: ReadonlyArray<FileFaultKind>): FileFault | undefined {
    const entry = this.pending.find(
      ({ fault }) =>
        kinds.includes(fault.kind) && (fault.path === undefined || fault.path === path) && (fault.photoId === undefined || fault.photoId === photoId)
    )
    if (entry === undefined) return undefined
    entry.remaining -= 1
    if (entry.remaining === 0) this.pending = this.pending.filter((e) => e !== entry)
    return entry.fault
  }
}

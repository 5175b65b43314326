// Failures tests ask for: the next N matching REST calls break in one of the ways Flickr (or the
// network in front of it) breaks.

export type Fault =
  | {
    readonly kind: "http500" | "http502" | "http503" | "code105" | "code106" | "code201" | "code0" | "truncated" | "reset"
    readonly count: number
    readonly method?: string
  }
  | { readonly kind: "http429"; readonly count: number; readonly retryAfterSeconds?: number; readonly method?: string }
  | { readonly kind: "latency"; readonly count: number; readonly latencyMs: number; readonly method?: string }
  | { readonly kind: "code"; readonly code: number; readonly message: string; readonly count: number; readonly method?: string }

const SIMPLE_KINDS = new Set(["http500", "http502", "http503", "code105", "code106", "code201", "code0", "truncated", "reset"])

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

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0

/** Checks a fault that came as JSON from another process; a message when it is not one. */
export const validateFault = (value: unknown): Fault | string => {
  if (!isRecord(value)) return "a fault is a JSON object"
  const { kind, count, method } = value
  if (!isCount(count)) return "count must be a non-negative integer"
  if (method !== undefined && typeof method !== "string") return "method must be a string"
  const methodPart = method === undefined ? {} : { method }
  if (typeof kind === "string" && SIMPLE_KINDS.has(kind)) {
    return { kind: kind as "http500", count, ...methodPart }
  }
  switch (kind) {
    case "http429": {
      const retry = value.retryAfterSeconds
      if (retry !== undefined && !isCount(retry)) return "retryAfterSeconds must be a non-negative integer"
      return { kind, count, ...methodPart, ...(retry === undefined ? {} : { retryAfterSeconds: retry }) }
    }
    case "latency":
      if (!isCount(value.latencyMs)) return "latencyMs must be a non-negative integer"
      return { kind, count, latencyMs: value.latencyMs, ...methodPart }
    case "code":
      if (!Number.isInteger(value.code) || typeof value.message !== "string") return "code needs an integer code and a message"
      return { kind, code: value.code as number, message: value.message, count, ...methodPart }
    default:
      return `unknown fault kind: ${String(kind)}`
  }
}

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

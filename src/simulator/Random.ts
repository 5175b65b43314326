// Seeded pseudo-random numbers (mulberry32): the same seed must always give the same account,
// so tests and the benchmark can name photos and expect them to be there.

export class Random {
  private state: number

  constructor(seed: number) {
    // Spread small seeds (1, 2, 3...) so neighbouring seeds do not start on similar streams.
    this.state = Math.imul((Math.trunc(seed) ^ 0x5bd1e995) >>> 0, 0x9e3779b1) >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<A>(items: ReadonlyArray<A>): A {
    return items[Math.floor(this.next() * items.length)] as A
  }

  /** 32 random bits as a signed int32, which V8 keeps unboxed (a uint32 above 2^31 would not be). */
  bits32(): number {
    return Math.floor(this.next() * 4294967296) | 0
  }
}

const hexDigit = (nibble: number): number => (nibble < 10 ? 48 + nibble : 87 + nibble)

/** Ten lowercase hex digits (the shape of a Flickr secret) from 40 bits: all of `high`, 8 of `low`. */
export const hex10 = (high: number, low: number): string =>
  String.fromCharCode(
    hexDigit((high >>> 28) & 15), hexDigit((high >>> 24) & 15), hexDigit((high >>> 20) & 15), hexDigit((high >>> 16) & 15),
    hexDigit((high >>> 12) & 15), hexDigit((high >>> 8) & 15), hexDigit((high >>> 4) & 15), hexDigit(high & 15),
    hexDigit((low >>> 4) & 15), hexDigit(low & 15)
  )

/** A well-mixed 32-bit hash of a string, for choices that must depend only on an id. */
export const hash32 = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

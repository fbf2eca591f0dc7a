/**
 * A small seeded pseudo-random number generator for the demo/benchmark data.
 *
 * Why not Math.random: the generator must give a byte-identical database for the same seed. Why not a library:
 * 60 lines cover it, and the stream layout must never change under us (a new library version that changes its
 * output would silently change every demo database and benchmark baseline).
 *
 * Algorithm: sfc32 (Chris Doty-Humphrey's "Small Fast Counting" generator from PractRand; 128-bit state, passes
 * PractRand and BigCrush, period at least 2^32 thanks to the counter word), seeded and forked through a
 * murmur3-style 32-bit finaliser. `fork(label)` derives a child stream from the parent's *identity* (its seed
 * path), not from its current state, so a child does not depend on how many numbers the parent has drawn: the
 * data of influencer i depends only on (seed, i), whatever order or batch size generates it.
 */

const TWO_POW_32 = 4294967296;

/** murmur3's fmix32: a bijective avalanche mix of a 32-bit integer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** String labels hashed once: the generator forks the same few names ("posts", "history", …) millions of times. */
const stringLabelHashes = new Map<string, number>();

/** A label (string or non-negative integer up to 2^53) as 32 bits. */
function labelHash(label: string | number): number {
  if (typeof label === "number") {
    // Mix the low and the high 32 bits separately so large indexes stay distinct.
    return fmix32(fmix32((label >>> 0) ^ 0x9e3779b9) ^ Math.floor(label / TWO_POW_32) ^ 0x632be5ab);
  }
  let h = stringLabelHashes.get(label);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) h = fmix32(h ^ label.charCodeAt(i)) + i;
    h = fmix32(h ^ label.length ^ 0x5bd1e995);
    if (stringLabelHashes.size < 10_000) stringLabelHashes.set(label, h);
  }
  return h;
}

/** Hashes a label into 32 bits, salted so one label gives different words for different salts. */
function hashLabel(label: string | number, salt: number): number {
  return fmix32(fmix32(salt ^ 0x9e3779b9) ^ labelHash(label));
}

/** A deterministic random stream. All draws are from sfc32; every helper documents how many draws it takes. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The stream's identity (seed path), 4 × 32 bits: what `fork` derives children from. */
  private readonly id: readonly [number, number, number, number];
  /** Box–Muller makes normals in pairs; the second one is kept for the next call (NaN: none kept; a number-only
   * field, because a `number | null` field makes V8 allocate a heap number at every store). */
  private spareNormal = Number.NaN;

  constructor(seed: number | string, id?: readonly [number, number, number, number]) {
    this.id = id ?? [hashLabel(seed, 1), hashLabel(seed, 2), hashLabel(seed, 3), hashLabel(seed, 4)];
    this.a = this.id[0];
    this.b = this.id[1];
    this.c = this.id[2];
    this.d = this.id[3] | 1;
    // Warm up: sfc32's first outputs are correlated with a low-entropy seed.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /**
   * An independent child stream named by `label` (e.g. "campaigns", or an influencer index). The child depends
   * only on this stream's identity and the label, never on how many numbers were drawn from this stream.
   */
  fork(label: string | number): Prng {
    const [i0, i1, i2, i3] = this.id;
    const child: [number, number, number, number] = [
      fmix32(i0 ^ hashLabel(label, i1)),
      fmix32(i1 ^ hashLabel(label, i2 ^ 0x27d4eb2d)),
      fmix32(i2 ^ hashLabel(label, i3 ^ 0x165667b1)),
      fmix32(i3 ^ hashLabel(label, i0 ^ 0xd3a2646c)),
    ];
    return new Prng(0, child);
  }

  /** sfc32: one 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution (one draw). */
  float(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [min, max) (one draw). */
  range(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both inclusive (one draw). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability p (one draw). */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element (one draw). Throws on an empty array: that is a bug in the caller's data. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty array");
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** An element chosen with probability proportional to its weight (one draw). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] as number;
    let r = this.float() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Standard normal N(0, 1) by Box–Muller (one draw pair per two calls). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    const u = 1 - this.float(); // (0, 1]: log(0) is avoided
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma²)): positive, right-skewed; the median is exp(mu). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Fisher–Yates shuffle in place (length − 1 draws); returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** `count` distinct elements, in random order (a partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    copy.length = n;
    return copy;
  }

  /** `count` random bytes (ceil(count / 4) draws). */
  bytes(count: number): Uint8Array {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i += 4) {
      const word = this.nextUint32();
      for (let k = 0; k < 4 && i + k < count; k++) out[i + k] = (word >>> (8 * k)) & 0xff;
    }
    return out;
  }
}

/** A root stream for a seed. */
export function createPrng(seed: number | string): Prng {
  return new Prng(seed);
}

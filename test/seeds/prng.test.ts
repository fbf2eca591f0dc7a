import { describe, expect, it } from "vitest";

import { createPrng, Prng } from "../../seeds/prng.js";

const draws = (rng: Prng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe("Prng", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    expect(draws(createPrng(42), 50)).toEqual(draws(createPrng(42), 50));
    expect(draws(createPrng(42), 50)).not.toEqual(draws(createPrng(43), 50));
  });

  it("forks from the stream's identity, not from how much was drawn", () => {
    const a = createPrng(7);
    const b = createPrng(7);
    draws(b, 1000);
    expect(draws(a.fork(12), 20)).toEqual(draws(b.fork(12), 20));
    expect(draws(a.fork("x").fork(3), 20)).toEqual(draws(b.fork("x").fork(3), 20));
  });

  it("gives distinct streams to distinct labels and to large indexes", () => {
    const root = createPrng(1);
    const firsts = new Set<number>();
    for (let i = 0; i < 10_000; i++) firsts.add(root.fork(i).nextUint32());
    expect(firsts.size).toBeGreaterThan(9_980);
    expect(root.fork(2 ** 32 + 5).nextUint32()).not.toBe(root.fork(5).nextUint32());
    expect(root.fork("a").nextUint32()).not.toBe(root.fork("b").nextUint32());
  });

  it("keeps helpers inside their ranges", () => {
    const rng = createPrng(3);
    for (let i = 0; i < 5_000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const n = rng.int(-2, 3);
      expect(n).toBeGreaterThanOrEqual(-2);
      expect(n).toBeLessThanOrEqual(3);
      expect(rng.logNormal(0, 1)).toBeGreaterThan(0);
    }
    expect(rng.weighted(["a", "b"], [0, 1])).toBe("b");
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(rng.sample([1, 2, 3, 4, 5], 3)).size).toBe(3);
    expect(rng.bytes(36)).toHaveLength(36);
  });

  it("draws normals with mean ~0 and variance ~1", () => {
    const rng = createPrng(9);
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

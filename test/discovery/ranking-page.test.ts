/** The ranking page states the preset weights and the formulas' numbers: they must be the ones the code applies. */
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { FACTORS, OBJECTIVES, PRESET_WEIGHTS, reachValue, suspicion, trustOf } from "../../server/discovery/factors.js";

const page = readFileSync(new URL("../../site/src/content/docs/ranking.md", import.meta.url), "utf8");

describe("site/src/content/docs/ranking.md", () => {
  it("states the preset weights of every objective exactly", () => {
    const header = page.match(/^\| factor \| (.+) \|$/m);
    expect(header, "the preset table's header row").not.toBeNull();
    const columns = header![1]!.split(" | ");
    expect(columns).toEqual([...OBJECTIVES]);
    const stated: Record<string, Record<string, number>> = Object.fromEntries(columns.map((objective) => [objective, {}]));
    for (const row of page.matchAll(/^\| `([A-Z_]+)` \| ([\d. |]+) \|$/gm)) {
      const values = row[2]!.split(" | ").map(Number);
      expect(values).toHaveLength(columns.length);
      columns.forEach((objective, i) => (stated[objective]![row[1]!] = values[i]!));
    }
    expect(stated).toEqual(PRESET_WEIGHTS);
  });

  it("names every factor", () => {
    for (const factor of FACTORS) expect(page).toContain(`\`${factor}\``);
  });

  it("gives the trust formula and its range as the code computes them", () => {
    expect(page).toContain("trust     = 1 − 0.8 × suspicion");
    expect(page).toContain("suspicion = max((jump − 0.05) / 0.25, (rise − 1.3) / 0.7)");
    expect(trustOf(0)).toBe(1);
    expect(trustOf(1)).toBeCloseTo(0.2, 12);
    expect(page).toContain("down to 0.2");
    // The thresholds the page names: unusual and damning jumps and rises.
    expect(suspicion(0.05, 1)).toBe(0);
    expect(suspicion(0.3, 1)).toBeCloseTo(1, 12);
    expect(suspicion(0, 1.3)).toBe(0);
    expect(suspicion(0, 2)).toBeCloseTo(1, 12);
    expect(page).toMatch(/5 % is unusual, 30 % or more is damning/);
    expect(page).toMatch(/1\.3× is unusual, 2× or more damning/);
  });

  it("gives the reach formula and its bounds as the code computes them", () => {
    expect(page).toContain("v = (log₁₀ followers − 3) / 4");
    expect(reachValue(1_000)).toBe(0);
    expect(reachValue(10_000_000)).toBe(1);
    expect(reachValue(999)).toBe(0);
    expect(reachValue(20_000_000)).toBe(1);
    expect(page).toContain("1,000 followers (the smallest tier's floor) scores 0");
    expect(page).toMatch(/10 million scores 1/);
  });

  it("says each preset sums to 1, as it does", () => {
    for (const objective of OBJECTIVES) {
      expect(FACTORS.reduce((sum, f) => sum + PRESET_WEIGHTS[objective][f], 0)).toBeCloseTo(1, 12);
    }
    expect(page).toContain("Each column sums to 1.");
  });
});

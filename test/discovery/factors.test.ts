/** The ranking's factor formulas and how they combine (pure). */
import { describe, expect, it } from "vitest";

import {
  activityValue,
  audienceFitValue,
  authenticityValue,
  combine,
  costEfficiencyValue,
  engagementReason,
  engagementValue,
  FACTORS,
  growthValue,
  PRESET_WEIGHTS,
  reachValue,
  resolveWeights,
  suspicion,
  trustOf,
  type Factor,
} from "../../server/discovery/factors.js";

const values = (overrides: Partial<Record<Factor, number>>) =>
  Object.fromEntries(FACTORS.map((f) => [f, overrides[f] ?? Number.NaN])) as Record<Factor, number>;

describe("factor formulas", () => {
  it("scores engagement on a log scale around the peer median", () => {
    expect(engagementValue(0.03, 0.03)).toBeCloseTo(0.5);
    expect(engagementValue(0.12, 0.03)).toBeCloseTo(1);
    expect(engagementValue(0.0075, 0.03)).toBeCloseTo(0);
    expect(engagementValue(0.06, 0.03)).toBeCloseTo(0.75);
    expect(engagementValue(1, 0.03)).toBe(1);
    expect(engagementValue(0, 0.03)).toBe(0);
    expect(engagementValue(0.03, 0)).toBe(0);
    expect(engagementReason(0.063, 0.03, "INSTAGRAM", "MICRO")).toBe("engagement 2.1× the median for Instagram micro creators");
  });

  it("scores reach from 1,000 (0) to 10 million (1) followers, logarithmically", () => {
    expect(reachValue(1_000)).toBe(0);
    expect(reachValue(100_000)).toBeCloseTo(0.5);
    expect(reachValue(10_000_000)).toBe(1);
    expect(reachValue(50_000_000)).toBe(1);
    expect(reachValue(0)).toBe(0);
  });

  it("scores growth from −10 % to +10 % in 30 days", () => {
    expect(growthValue(0)).toBe(0.5);
    expect(growthValue(0.1)).toBe(1);
    expect(growthValue(-0.1)).toBe(0);
    expect(growthValue(0.05)).toBeCloseTo(0.75);
  });

  it("scores activity as half cadence, half recency", () => {
    expect(activityValue(12, 0)).toBe(1);
    expect(activityValue(0, null)).toBe(0);
    expect(activityValue(6, 14)).toBeCloseTo(0.25 + 0.5 * Math.exp(-1));
  });

  it("turns a follower jump or a like spike into suspicion, and suspicion into a trust multiplier", () => {
    expect(suspicion(0, 1)).toBe(0);
    expect(suspicion(0.3, 1)).toBe(1);
    expect(suspicion(0.175, 1)).toBeCloseTo(0.5);
    expect(suspicion(0, 2)).toBeCloseTo(1);
    expect(trustOf(0)).toBe(1);
    expect(trustOf(1)).toBeCloseTo(0.2);
    expect(authenticityValue(0.9, 0)).toBeCloseTo(0.9);
    expect(authenticityValue(0.9, 0.5)).toBeCloseTo(0.45);
  });

  it("scores audience fit per target as min(1, share / minShare), averaged", () => {
    const targets = [
      { dimension: "COUNTRY", keys: ["US", "CA"], minShare: 0.3 },
      { dimension: "AGE", keys: ["18-24", "25-34"], minShare: 0.5 },
    ];
    expect(audienceFitValue([0.6, 0.5], targets)).toBe(1);
    expect(audienceFitValue([0.15, 0.5], targets)).toBeCloseTo(0.75);
    expect(audienceFitValue([0, 0], targets)).toBe(0);
    expect(audienceFitValue([], [])).toBeNaN();
    // Above a cap, the fit shrinks in proportion.
    expect(audienceFitValue([0.8], [{ dimension: "GENDER", keys: ["MALE"], minShare: 0, maxShare: 0.4 }])).toBeCloseTo(0.5);
  });

  it("scores cost against your median fee per 1,000 followers", () => {
    expect(costEfficiencyValue(10, 10)).toBe(0.5);
    expect(costEfficiencyValue(2.5, 10)).toBe(1);
    expect(costEfficiencyValue(40, 10)).toBe(0);
  });
});

describe("combining", () => {
  it("averages the applicable factors by weight, times trust, and the contributions add up to the score", () => {
    const weights = { ...PRESET_WEIGHTS.AWARENESS };
    const v = values({ ENGAGEMENT: 0.8, AUTHENTICITY: 0.9, REACH: 0.5, GROWTH: 0.5, ACTIVITY: 1 });
    const { score, contributions, applied } = combine(v, weights, 0.5);
    const total = weights.ENGAGEMENT + weights.AUTHENTICITY + weights.REACH + weights.GROWTH + weights.ACTIVITY;
    const expected = (0.5 * (0.8 * weights.ENGAGEMENT + 0.9 * weights.AUTHENTICITY + 0.5 * weights.REACH + 0.5 * weights.GROWTH + 1 * weights.ACTIVITY)) / total;
    expect(score).toBeCloseTo(expected, 12);
    expect(Object.values(contributions).reduce((a, b) => a + b, 0)).toBeCloseTo(score, 12);
    expect(Object.values(applied).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Factors that do not apply get no weight and contribute nothing.
    expect(applied.KEYWORD_RELEVANCE).toBe(0);
    expect(contributions.COST_EFFICIENCY).toBe(0);
  });

  it("is 0 when every applicable weight is 0", () => {
    const weights = Object.fromEntries(FACTORS.map((f) => [f, 0])) as Record<Factor, number>;
    weights.KEYWORD_RELEVANCE = 1;
    expect(combine(values({ REACH: 1 }), weights, 1).score).toBe(0);
  });
});

describe("weights", () => {
  it("start from the objective's preset and take explicit ones", () => {
    expect(resolveWeights("ENGAGEMENT", undefined)).toEqual(PRESET_WEIGHTS.ENGAGEMENT);
    expect(resolveWeights("AWARENESS", { REACH: 2 })).toEqual({ ...PRESET_WEIGHTS.AWARENESS, REACH: 2 });
  });

  it("refuse negative, infinite and all-zero weights, naming the factor", () => {
    expect(resolveWeights("AWARENESS", { REACH: -1 })).toEqual(["REACH", expect.stringContaining("≥ 0")]);
    expect(resolveWeights("AWARENESS", { GROWTH: Number.POSITIVE_INFINITY })).toEqual(["GROWTH", expect.any(String)]);
    const zero = Object.fromEntries(FACTORS.map((f) => [f, 0]));
    expect(resolveWeights("AWARENESS", zero)).toEqual([null, expect.stringContaining("above 0")]);
  });

  it("has presets that each sum to 1", () => {
    for (const preset of Object.values(PRESET_WEIGHTS)) {
      expect(Object.values(preset).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    }
  });
});

import { describe, expect, it } from "vitest";

import {
  benchmarkEngagementRange,
  benchmarkEngagementRate,
  engagementBasis,
  engagementRateOnBasis,
  tierOf,
} from "../../server/discovery/benchmarks.js";

describe("tierOf", () => {
  it.each([
    [0, "NANO"],
    [999, "NANO"],
    [1_000, "NANO"],
    [9_999, "NANO"],
    [10_000, "MICRO"],
    [49_999, "MICRO"],
    [50_000, "MID"],
    [499_999, "MID"],
    [500_000, "MACRO"],
    [999_999, "MACRO"],
    [1_000_000, "MEGA"],
    [250_000_000, "MEGA"],
  ] as const)("%i followers is %s", (followers, tier) => {
    expect(tierOf(followers)).toBe(tier);
  });
});

describe("engagement benchmarks", () => {
  it("uses the midpoint of the published ranges", () => {
    expect(benchmarkEngagementRate("INSTAGRAM", "NANO")).toBeCloseTo(0.04, 10);
    expect(benchmarkEngagementRate("INSTAGRAM", "MEGA")).toBeCloseTo(0.0095, 10);
    expect(benchmarkEngagementRate("TIKTOK", "NANO")).toBeCloseTo(0.08, 10);
    expect(benchmarkEngagementRange("TIKTOK", "MACRO")).toEqual({ low: 0.02, high: 0.035 });
  });

  it("derives the assumed platforms from Instagram", () => {
    expect(benchmarkEngagementRate("X", "MICRO")).toBeCloseTo(benchmarkEngagementRate("INSTAGRAM", "MICRO") * 0.4, 10);
    expect(benchmarkEngagementRate("YOUTUBE", "MID")).toBeCloseTo(benchmarkEngagementRate("INSTAGRAM", "MID") * 0.9, 10);
    expect(benchmarkEngagementRate("TWITCH", "MID")).toBeCloseTo(benchmarkEngagementRate("INSTAGRAM", "MID") * 0.8, 10);
  });

  it("divides by views for view-based platforms and by followers otherwise", () => {
    const account = { followers: 10_000, averageLikes: 300, averageComments: 100, averageViews: 5_000 };
    expect(engagementBasis("TIKTOK")).toBe("VIEWS");
    expect(engagementRateOnBasis("TIKTOK", account)).toBeCloseTo(0.08, 10);
    expect(engagementRateOnBasis("INSTAGRAM", account)).toBeCloseTo(0.04, 10);
    expect(engagementRateOnBasis("TIKTOK", { ...account, averageViews: 0 })).toBe(0);
  });
});

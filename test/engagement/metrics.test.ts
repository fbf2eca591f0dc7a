/** The metric formulas (server/engagement/metrics.ts) and daily gains (rollups.ts) on hand-computed numbers. */
import { describe, expect, it } from "vitest";

import {
  accountAverages,
  costPerEngagement,
  costPerMille,
  costPerView,
  DEFAULT_EMV_VALUES,
  earnedMediaValue,
  emptyCounters,
  engagementRateByFollowers,
  engagementRateByReach,
  engagementRateByViews,
  engagements,
  returnOnAdSpend,
} from "../../server/engagement/metrics.js";
import { dailyGains, utcDay } from "../../server/engagement/rollups.js";

const c = { postsPublished: 2, likes: 300, comments: 40, shares: 10, saves: 50, views: 8000, reach: 5000, impressions: 12_000 };

describe("metrics", () => {
  it("engagements and engagement rates", () => {
    expect(engagements(c)).toBe(400);
    expect(engagementRateByReach(c)).toBe(400 / 5000);
    expect(engagementRateByViews(c)).toBe(400 / 8000);
    // Per post, averaged: (300 + 40) / (10,000 followers × 2 posts).
    expect(engagementRateByFollowers(c, 10_000)).toBe(0.017);
  });

  it("costs and return, in minor units", () => {
    expect(costPerEngagement(20_000, c)).toBe(50);
    expect(costPerMille(24_000, c)).toBe(2000);
    expect(costPerView(16_000, c)).toBe(2);
    expect(returnOnAdSpend(30_000, 20_000)).toBe(1.5);
  });

  it("earned media value: actions times their values", () => {
    const values = { like: 10, comment: 100, share: 50, save: 20, view: 1, thousandImpressions: 250 };
    expect(earnedMediaValue(c, values)).toBe(3000 + 4000 + 500 + 1000 + 8000 + 3000);
    expect(earnedMediaValue(emptyCounters(), DEFAULT_EMV_VALUES)).toBe(0);
  });

  it("null, not 0 or Infinity, when a denominator is 0", () => {
    const none = emptyCounters();
    expect([engagementRateByReach(none), engagementRateByViews(none), engagementRateByFollowers(none, 1000), engagementRateByFollowers(c, 0)]).toEqual([null, null, null, null]);
    expect([costPerEngagement(100, none), costPerMille(100, none), costPerView(100, none), returnOnAdSpend(100, 0)]).toEqual([null, null, null, null]);
  });
});

describe("daily gains", () => {
  const day = Date.UTC(2026, 0, 10);
  const capture = (hours: number, likes: number) => ({ capturedAt: day + hours * 3_600_000, likes, comments: 0, shares: 0, saves: 0, views: likes * 10, reach: 0, impressions: 0 });

  it("takes each day's last capture minus the last capture of an earlier day", () => {
    const gains = dailyGains([capture(1, 10), capture(20, 30), capture(30, 45), capture(50, 45), capture(75, 40)]);
    expect([...gains].map(([d, g]) => [(d - day) / 86_400_000, g.likes, g.views])).toEqual([
      [0, 30, 300],
      [1, 15, 150],
      [2, 0, 0],
      // A counter can drop (deleted likes): the day shows the loss.
      [3, -5, -50],
    ]);
  });

  it("buckets by UTC day", () => {
    expect(utcDay(Date.UTC(2026, 0, 10, 23, 59, 59, 999))).toBe(Date.UTC(2026, 0, 10));
    expect(utcDay(Date.UTC(2026, 0, 11))).toBe(Date.UTC(2026, 0, 11));
  });
});

describe("account averages", () => {
  it("are per-post means of the latest captures, rounded to 2 decimals, and the rate by followers to 6", () => {
    const latest = [
      { likes: 100, comments: 3, views: 0 },
      { likes: 201, comments: 4, views: 1_001 },
      { likes: 150, comments: 4, views: 500 },
    ];
    // likes 451 / 3 = 150.333…, comments 11 / 3 = 3.666…, views 1,501 / 3 = 500.333…
    expect(accountAverages(latest, 7_000)).toEqual({ averageLikes: 150.33, averageComments: 3.67, averageViews: 500.33, engagementRate: 0.022 });
    expect(accountAverages([], 1_000)).toEqual({ averageLikes: 0, averageComments: 0, averageViews: 0, engagementRate: 0 });
    expect(accountAverages(latest, 0).engagementRate).toBe(0);
  });
});

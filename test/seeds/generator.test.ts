/**
 * Properties of the generated population, checked on the pure generator (no database): determinism, tier
 * spread, engagement against the cited benchmarks, fraud shares, and that the planted fraud patterns can be told
 * apart from clean accounts with simple rules over the data that gets stored.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { AUDIENCE_DIMENSIONS, PLATFORMS } from "../../schema/enums.js";
import {
  benchmarkEngagementRange,
  benchmarkEngagementRate,
  engagementRateOnBasis,
  TIERS,
  tierOf,
} from "../../server/discovery/benchmarks.js";
import {
  createInfluencerGenerator,
  DAY_MS,
  generateInfluencer,
  type GeneratedAccount,
  type GeneratedInfluencer,
} from "../../seeds/generator.js";
import { DEFAULT_AS_OF } from "../../seeds/seed.js";

const POPULATION = 5_000;
let population: GeneratedInfluencer[];
let accounts: GeneratedAccount[];

beforeAll(() => {
  const generate = createInfluencerGenerator(42, DEFAULT_AS_OF);
  population = Array.from({ length: POPULATION }, (_, i) => generate(i));
  accounts = population.flatMap((p) => p.accounts);
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

describe("generateInfluencer", () => {
  it("depends only on (seed, index, asOf, options)", () => {
    const a = generateInfluencer(42, 123, DEFAULT_AS_OF);
    expect(generateInfluencer(42, 123, DEFAULT_AS_OF)).toEqual(a);
    expect(createInfluencerGenerator(42, DEFAULT_AS_OF)(123)).toEqual(a);
    expect(generateInfluencer(43, 123, DEFAULT_AS_OF)).not.toEqual(a);
    expect(generateInfluencer(42, 124, DEFAULT_AS_OF)).not.toEqual(a);
  });

  it("keeps the profile when only the post volume changes", () => {
    const a = generateInfluencer(42, 5, DEFAULT_AS_OF);
    const b = generateInfluencer(42, 5, DEFAULT_AS_OF, { postsPerAccount: 2, snapshotDays: 3 });
    expect(b.name).toBe(a.name);
    expect(b.accounts.map((x) => [x.platform, x.handle, x.followers, x.quality])).toEqual(
      a.accounts.map((x) => [x.platform, x.handle, x.followers, x.quality]),
    );
    expect(b.accounts[0]?.posts).toHaveLength(2);
  });

  it("writes consistent profiles", () => {
    // Collect violations and assert once: an expect() per value would dominate the run time.
    const problems: string[] = [];
    const asOf = DEFAULT_AS_OF.getTime();
    for (const p of population.slice(0, 1_000)) {
      const where = `influencer ${p.index}`;
      if (!/^[A-Z]{2}$/.test(p.country) || !/^[a-z]{2}$/.test(p.language)) problems.push(`${where}: country/language`);
      if (p.categories.length < 1 || p.categories.length > 3) problems.push(`${where}: categories`);
      if (new Set(p.accounts.map((a) => a.platform)).size !== p.accounts.length) problems.push(`${where}: platforms`);
      if (p.totalFollowers !== p.accounts.reduce((s, a) => s + a.followers, 0)) problems.push(`${where}: totalFollowers`);
      for (const a of p.accounts) {
        if (!/^[a-z0-9._]+$/.test(a.handle)) problems.push(`${where}: handle ${a.handle}`);
        if (a.posts.length !== 6 || a.history.length !== 30) problems.push(`${where}: posts/history length`);
        const today = a.history.at(-1);
        if (today?.capturedAt !== asOf || today.followers !== a.followers || today.following !== a.following) {
          problems.push(`${where}: history does not end at the current counters`);
        }
        for (const post of a.posts) {
          if (new Set(post.hashtags).size !== post.hashtags.length) problems.push(`${where}: duplicate hashtags`);
          if (post.publishedAt >= asOf || post.publishedAt < asOf - 60 * DAY_MS) problems.push(`${where}: publishedAt`);
          if (post.snapshots.length < 1 || post.snapshots.length > 7) problems.push(`${where}: snapshot count`);
          for (let i = 1; i < post.snapshots.length; i++) {
            const [prev, cur] = [post.snapshots[i - 1]!, post.snapshots[i]!];
            if (cur.likes < prev.likes || cur.views < prev.views || cur.comments < prev.comments) problems.push(`${where}: counters fall`);
            if (cur.capturedAt - prev.capturedAt !== DAY_MS) problems.push(`${where}: snapshots not daily`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("includes names and bios in Chinese and Japanese", () => {
    const cjk = population.filter((p) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(p.name));
    expect(cjk.some((p) => p.language === "ja")).toBe(true);
    expect(cjk.some((p) => p.language === "zh")).toBe(true);
    const cjkLanguage = population.filter((p) => p.language === "ja" || p.language === "zh");
    expect(cjkLanguage.every((p) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(p.bio))).toBe(true);
  });
});

describe("the population", () => {
  it("spreads accounts over all five tiers, mostly small", () => {
    const counts = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<string, number>;
    for (const a of accounts) counts[tierOf(a.followers)]!++;
    for (const tier of TIERS) expect(counts[tier]).toBeGreaterThan(0);
    expect(counts.NANO! + counts.MICRO!).toBeGreaterThan(0.7 * accounts.length);
    expect(counts.MEGA!).toBeLessThan(0.05 * accounts.length);
  });

  it("puts the median engagement rate of clean Instagram accounts inside the published range of each tier", () => {
    for (const tier of TIERS) {
      const rates = accounts
        .filter((a) => a.platform === "INSTAGRAM" && !a.fraud && tierOf(a.followers) === tier)
        .map((a) => a.engagementRate);
      expect(rates.length, tier).toBeGreaterThan(10);
      const { low, high } = benchmarkEngagementRange("INSTAGRAM", tier);
      const m = median(rates);
      expect(m, `${tier} median ${m}`).toBeGreaterThanOrEqual(low);
      expect(m, `${tier} median ${m}`).toBeLessThanOrEqual(high);
    }
  });

  it("plants each fraud kind in about the requested share of accounts", () => {
    for (const kind of ["FAKE_FOLLOWERS", "BOUGHT_ENGAGEMENT"] as const) {
      const share = accounts.filter((a) => a.fraud === kind).length / accounts.length;
      expect(share, kind).toBeGreaterThan(0.04);
      expect(share, kind).toBeLessThan(0.06);
    }
    const none = createInfluencerGenerator(42, DEFAULT_AS_OF, { fraudShare: 0 });
    expect(Array.from({ length: 300 }, (_, i) => none(i)).flatMap((p) => p.accounts).some((a) => a.fraud)).toBe(false);
  });

  it("gives audience shares that sum to 1 per dimension, home country first", () => {
    const problems: string[] = [];
    for (const p of population.slice(0, 1_000)) {
      for (const a of p.accounts) {
        for (const dimension of AUDIENCE_DIMENSIONS) {
          const rows = a.audience.filter((r) => r.dimension === dimension);
          const sum = rows.reduce((s, r) => s + r.share, 0);
          if (rows.length < 2 || new Set(rows.map((r) => r.key)).size !== rows.length) problems.push(`${p.index} ${dimension}: keys`);
          if (Math.abs(sum - 1) > 1e-9 || rows.some((r) => r.share <= 0 || r.share > 1)) problems.push(`${p.index} ${dimension}: ${sum}`);
        }
        const countries = a.audience.filter((r) => r.dimension === "COUNTRY");
        const top = countries.reduce((x, y) => (y.share > x.share ? y : x));
        if (countries.length < 3 || countries.length > 6 || top.key !== p.country) problems.push(`${p.index}: countries`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("uses post kinds that exist on the platform", () => {
    const allowed: Record<string, string[]> = {
      INSTAGRAM: ["PHOTO", "CAROUSEL", "REEL", "STORY"],
      TIKTOK: ["VIDEO", "PHOTO", "LIVE"],
      YOUTUBE: ["VIDEO", "SHORT", "LIVE"],
      X: ["TEXT", "PHOTO", "VIDEO"],
      TWITCH: ["LIVE", "VIDEO"],
    };
    const wrong = accounts.flatMap((a) => a.posts.filter((p) => !allowed[a.platform]!.includes(p.kind)));
    expect(wrong).toEqual([]);
    expect(new Set(accounts.map((a) => a.platform))).toEqual(new Set(PLATFORMS));
  });
});

/** Simple rules a fraud detector could use, over stored data only. */
function largestDailyFollowerJump(a: GeneratedAccount): number {
  let jump = 0;
  for (let i = 1; i < a.history.length; i++) jump = Math.max(jump, a.history[i]!.followers / a.history[i - 1]!.followers - 1);
  return jump;
}

/** Largest day-over-day rise of likes per view on any post with enough likes to ignore rounding. */
function largestLikesPerViewRise(a: GeneratedAccount): number {
  let rise = 0;
  for (const post of a.posts) {
    for (let i = 1; i < post.snapshots.length; i++) {
      const [prev, cur] = [post.snapshots[i - 1]!, post.snapshots[i]!];
      if (prev.likes < 5 || prev.views === 0) continue;
      rise = Math.max(rise, cur.likes / cur.views / (prev.likes / prev.views));
    }
  }
  return rise;
}

/** Engagement on the benchmark's basis, relative to the tier/platform benchmark. */
const relativeEngagement = (a: GeneratedAccount) =>
  engagementRateOnBasis(a.platform, a) / benchmarkEngagementRate(a.platform, tierOf(a.followers));

describe("planted fraud", () => {
  it("puts fake-follower engagement well below the benchmark and bought engagement above it", () => {
    const byKind = (kind: string | null) => median(accounts.filter((a) => a.fraud === kind).map(relativeEngagement));
    expect(byKind(null)).toBeGreaterThan(0.8);
    expect(byKind(null)).toBeLessThan(1.25);
    expect(byKind("FAKE_FOLLOWERS")).toBeLessThan(0.7);
    expect(byKind("BOUGHT_ENGAGEMENT")).toBeGreaterThan(1.5);
  });

  const precisionRecall = (flag: (a: GeneratedAccount) => boolean, kind: string) => {
    const flagged = accounts.filter(flag);
    const truePositives = flagged.filter((a) => a.fraud === kind).length;
    return {
      precision: truePositives / Math.max(1, flagged.length),
      recall: truePositives / accounts.filter((a) => a.fraud === kind).length,
    };
  };

  it("makes fake followers visible as a follower jump, low credibility and engagement", () => {
    const rule = (a: GeneratedAccount) => largestDailyFollowerJump(a) > 0.2;
    const { precision, recall } = precisionRecall(rule, "FAKE_FOLLOWERS");
    expect(precision).toBeGreaterThan(0.98);
    expect(recall).toBeGreaterThan(0.98);
    const fake = accounts.filter((a) => a.fraud === "FAKE_FOLLOWERS");
    const clean = accounts.filter((a) => !a.fraud);
    expect(Math.max(...fake.map((a) => a.audienceCredibility))).toBeLessThanOrEqual(0.55);
    expect(median(clean.map((a) => a.audienceCredibility))).toBeGreaterThan(0.7);
    expect(Math.max(...clean.map(largestDailyFollowerJump))).toBeLessThan(0.02);
    expect(median(fake.map((a) => a.following / a.followers))).toBeGreaterThan(
      5 * median(clean.map((a) => a.following / a.followers)),
    );
  });

  it("makes bought engagement visible as late like spikes without views, and odd likes/comments", () => {
    const rule = (a: GeneratedAccount) => largestLikesPerViewRise(a) > 1.8;
    const { precision, recall } = precisionRecall(rule, "BOUGHT_ENGAGEMENT");
    expect(precision).toBeGreaterThan(0.98);
    expect(recall).toBeGreaterThan(0.98);
    const likesPerComment = (a: GeneratedAccount) => a.averageLikes / Math.max(1, a.averageComments);
    for (const platform of PLATFORMS) {
      const bought = accounts.filter((a) => a.platform === platform && a.fraud === "BOUGHT_ENGAGEMENT");
      const clean = accounts.filter((a) => a.platform === platform && !a.fraud);
      if (bought.length < 5) continue;
      expect(median(bought.map(likesPerComment)), platform).toBeGreaterThan(2.5 * median(clean.map(likesPerComment)));
    }
  });
});

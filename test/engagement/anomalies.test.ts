/** The suspicious-engagement detectors (pure), on hand-made series. */
import { describe, expect, it } from "vitest";

import {
  baseline,
  engagementSpike,
  flagSuspicion,
  followerSpikes,
  mad,
  median,
  ratioOutliers,
  robustZ,
  signedPercent,
  strongestFirst,
  type Finding,
  type PostCapture,
  type PostSummary,
} from "../../server/engagement/anomalies.js";

const DAY = 86_400_000;

/** Daily follower captures from day 0, each day changing by the given rate. */
function daily(start: number, rates: number[]): { at: number; followers: number }[] {
  const out = [{ at: 0, followers: start }];
  let f = start;
  rates.forEach((r, i) => {
    f *= 1 + r;
    out.push({ at: (i + 1) * DAY, followers: Math.round(f) });
  });
  return out;
}

/** 29 ordinary days around +0.2 % (a small, fixed wobble), with `jump` on day `on`. */
function smoothWithJump(jump: number | null, on = 20): { at: number; followers: number }[] {
  const rates = Array.from({ length: 29 }, (_, i) => 0.002 + ((i * 7) % 5 - 2) * 0.0005);
  if (jump !== null) rates[on - 1] = jump;
  return daily(20_000, rates);
}

describe("robust statistics", () => {
  it("computes the median and the MAD without reordering the input", () => {
    const values = [3, 1, 2];
    expect(median(values)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    // Deviations from 3: 2, 1, 0, 1, 97 → median 1. The outlier moves neither.
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
    expect(median([1, 2, 3, 4, 100])).toBe(3);
  });

  it("scales the MAD to a standard deviation, corrects small samples and floors a zero MAD", () => {
    const base = baseline([1, 2, 3, 4, 100], 0);
    expect(base.median).toBe(3);
    expect(base.scale).toBeCloseTo(1.4826 * 1 * (5 / 4.2), 10);
    // A constant series has MAD 0: the floor keeps the z-score finite.
    expect(baseline([5, 5, 5, 5, 5], 0.1)).toEqual({ median: 5, scale: 0.1, n: 5 });
    expect(robustZ(5.35, baseline([5, 5, 5, 5, 5], 0.1))).toBeCloseTo(3.5, 10);
    // Counting noise widens the scale: √(0.3² + 0.4²) = 0.5.
    expect(robustZ(2, { median: 0, scale: 0.3, n: 9 }, 0.4)).toBeCloseTo(4, 10);
  });

  it("writes percentages for people", () => {
    expect(signedPercent(0.48)).toBe("+48%");
    expect(signedPercent(0.002)).toBe("+0.2%");
    expect(signedPercent(-0.015)).toBe("−1.5%");
    expect(signedPercent(0.0002)).toBe("+0.02%");
    expect(signedPercent(0)).toBe("±0.0%");
  });
});

describe("follower spikes", () => {
  it("flags a one-day jump of bought followers with a reason and a suspicion", () => {
    const captures = smoothWithJump(0.48);
    const found = followerSpikes(captures);
    expect(found).toHaveLength(1);
    const [spike] = found as [Finding];
    expect(spike).toMatchObject({ kind: "FOLLOWER_SPIKE", postId: null, observedAt: 20 * DAY, suspicion: 1 });
    expect(spike.score).toBeGreaterThan(3.5);
    const before = captures[19]!.followers.toLocaleString("en");
    const after = captures[20]!.followers.toLocaleString("en");
    expect(spike.reason).toBe(`followers +48% in one day (${before} → ${after}); a usual day is +0.2%`);
  });

  it("grades suspicion from +5 % a day (0) to +30 % (1)", () => {
    expect(followerSpikes(smoothWithJump(0.175))[0]!.suspicion).toBeCloseTo(0.5, 2);
    expect(followerSpikes(smoothWithJump(0.3))[0]!.suspicion).toBeCloseTo(1, 2);
  });

  it("leaves smooth growth, small bumps and drops alone", () => {
    expect(followerSpikes(smoothWithJump(null))).toEqual([]);
    // +4 % is many robust deviations out on this smooth account, but under the +5 % minimum.
    expect(followerSpikes(smoothWithJump(0.04))).toEqual([]);
    // A purge is not what buying looks like.
    expect(followerSpikes(smoothWithJump(-0.5))).toEqual([]);
  });

  it("judges a jump against the account's own usual day: +12 % is ordinary for a jumpy account", () => {
    const jumpy: number[] = Array.from({ length: 29 }, (_, i) => (i % 2 ? -0.07 : 0.08));
    jumpy[20] = 0.12;
    expect(followerSpikes(daily(2_000, jumpy))).toEqual([]);
    // The same +12 % on a steady account is flagged.
    expect(followerSpikes(smoothWithJump(0.12))).toHaveLength(1);
  });

  it("keeps a flat account's zero MAD from flagging noise, yet flags a real jump on it", () => {
    const flat = daily(10_000, Array.from({ length: 29 }, () => 0));
    expect(followerSpikes(flat)).toEqual([]);
    flat[15]!.followers = 11_000;
    for (let i = 16; i < flat.length; i++) flat[i]!.followers = 11_000;
    const [spike] = followerSpikes(flat);
    expect(spike).toMatchObject({ kind: "FOLLOWER_SPIKE", observedAt: 15 * DAY });
    expect(spike!.suspicion).toBeCloseTo(0.2, 6);
    expect(spike!.reason).toBe("followers +10% in one day (10,000 → 11,000); a usual day is ±0.0%");
  });

  it("needs a week of intervals for a baseline", () => {
    expect(followerSpikes(daily(10_000, [0.001, 0.001, 1, 0.001, 0.001]))).toEqual([]);
    expect(followerSpikes(daily(10_000, [0.001, 0.001, 1, 0.001, 0.001, 0.001, 0.001]))).toHaveLength(1);
  });

  it("compares captures days apart per day, and says so", () => {
    // Daily captures, except that days 18 and 19 are missing: day 17 → day 20 is +60 % in three days.
    const captures = smoothWithJump(null).filter((c) => c.at !== 18 * DAY && c.at !== 19 * DAY);
    const at17 = captures.find((c) => c.at === 17 * DAY)!.followers;
    const at20 = captures.find((c) => c.at === 20 * DAY)!.followers;
    for (const c of captures) if (c.at >= 20 * DAY) c.followers = Math.round((c.followers * at17 * 1.6) / at20);
    const [spike, ...more] = followerSpikes(captures);
    expect(more).toEqual([]);
    expect(spike!.observedAt).toBe(20 * DAY);
    expect(spike!.reason).toMatch(/^followers \+60% in 3 days \(\d+,\d{3} → \d+,\d{3}\) \(\+17% a day\); a usual day is \+0\.2%$/);
  });
});

describe("engagement spikes in a post's capture history", () => {
  /** Seven daily captures: likes and views grow along 1 − e^(−age), views a little later; `bought` likes land on day `on`. */
  function history(bought = 0, on = 3, scale = 1): PostCapture[] {
    return Array.from({ length: 7 }, (_, i) => {
      const age = i + 1;
      return {
        at: age * DAY,
        likes: Math.round(scale * (400 * (1 - Math.exp(-age / 0.8)) + (age >= on ? bought : 0))),
        comments: Math.round(scale * 12 * (1 - Math.exp(-age / 0.8))),
        views: Math.round(scale * 5_000 * (1 - Math.exp(-age / 1.2))),
      };
    });
  }

  it("flags likes arriving without views, at the capture they arrived", () => {
    const captures = history(1_200, 3);
    const spike = engagementSpike(42, captures);
    expect(spike).toMatchObject({ kind: "ENGAGEMENT_SPIKE", postId: 42, observedAt: 3 * DAY, suspicion: 1 });
    expect(spike!.score).toBeGreaterThan(3.5);
    const [a, b] = [captures[1]!, captures[2]!];
    const rise = b.likes / b.views / (a.likes / a.views);
    const n = (x: number) => x.toLocaleString("en");
    expect(spike!.reason).toMatch(
      new RegExp(
        `^likes per view rose ${rise.toFixed(1)}× in one day \\(likes ${n(a.likes)} → ${n(b.likes)}, views ${n(a.views)} → ${n(b.views)}\\); ` +
          "between the post's other captures it moved −\\d\\.\\d%$",
      ),
    );
  });

  it("leaves an organic post alone (likes per view only drifts down as views catch up)", () => {
    expect(engagementSpike(1, history())).toBeNull();
    expect(engagementSpike(1, history(0, 3, 0.02))).toBeNull();
  });

  it("discounts small counts: 5 → 8 likes is not a spike", () => {
    const small: PostCapture[] = [
      { at: DAY, likes: 5, comments: 1, views: 100 },
      { at: 2 * DAY, likes: 8, comments: 1, views: 100 },
      { at: 3 * DAY, likes: 8, comments: 1, views: 101 },
      { at: 4 * DAY, likes: 8, comments: 1, views: 101 },
    ];
    expect(engagementSpike(1, small)).toBeNull();
  });

  it("uses 'no change' as the baseline of a post with too few captures", () => {
    const spike = engagementSpike(7, [
      { at: DAY, likes: 100, comments: 5, views: 1_000 },
      { at: 2 * DAY, likes: 300, comments: 5, views: 1_100 },
    ]);
    expect(spike!.reason).toBe("likes per view rose 2.7× in one day (likes 100 → 300, views 1,000 → 1,100); likes per view does not usually rise as a post ages");
  });

  it("compares likes with comments when the post has no views", () => {
    const spike = engagementSpike(7, history(1_200, 4).map((c) => ({ ...c, views: 0 })));
    expect(spike).toMatchObject({ kind: "ENGAGEMENT_SPIKE", observedAt: 4 * DAY });
    expect(spike!.reason).toMatch(/^likes per comment rose \d\.\d× in one day \(likes \d+ → 1,\d{3}, comments 12 → 12\)/);
  });

  it("reads only the first `length` captures of a reused array", () => {
    const pool = [...history(), ...history(5_000, 1)];
    expect(engagementSpike(1, pool, 7)).toBeNull();
  });
});

describe("likes-to-comments and likes-to-views outliers between an account's posts", () => {
  /** Six ordinary posts (about 30 likes per comment, 0.08 likes per view), each a little different. */
  const ordinary = (): PostSummary[] =>
    [1, 1.1, 0.9, 1.05, 0.95, 1.2].map((k, i) => ({
      postId: i + 1,
      at: (i + 1) * DAY,
      likes: Math.round(600 * k),
      comments: Math.round(20 * k * (i % 2 ? 1.1 : 0.92)),
      views: Math.round(7_500 * k * (i % 3 ? 1.08 : 0.95)),
    }));

  it("flags a post with bought likes on both ratios, each corroborating the other", () => {
    const posts = ordinary();
    posts[3] = { ...posts[3]!, likes: posts[3]!.likes * 4 };
    const found = ratioOutliers(posts);
    expect(found.map((f) => [f.kind, f.postId])).toEqual([
      ["LIKES_TO_COMMENTS", 4],
      ["LIKES_TO_VIEWS", 4],
    ]);
    for (const f of found) {
      expect(f.score).toBeGreaterThan(3.5);
      // Suspicion grows from twice the usual ratio (0) to five times (1).
      const multiple = Number(/: ([\d.]+)× the account's usual/.exec(f.reason)![1]);
      expect(f.suspicion).toBeCloseTo((multiple - 2) / 3, 1);
    }
    expect(found[0]!.reason).toMatch(/^110 likes per comment \(2,520 likes, 23 comments\): 3\.\d× the account's usual 32 \(median of 6 posts\); likes per view 4\.\d× its usual too$/);
    expect(found[1]!.reason).toMatch(/^0\.\d+ likes per view \(2,520 likes, 7,\d{3} views\): 4\.\d× the account's usual 0\.0\d+ \(median of 6 posts\); likes per comment 3\.\d× its usual too$/);
  });

  it("does not flag a post few people saw: its comments match its likes", () => {
    const posts = ordinary();
    posts[2] = { ...posts[2]!, views: Math.round(posts[2]!.views / 5) };
    expect(ratioOutliers(posts)).toEqual([]);
  });

  it("flags likes without comments on a post without views, where there is nothing to corroborate with", () => {
    const posts = ordinary().map((p) => ({ ...p, views: 0 }));
    posts[0] = { ...posts[0]!, likes: posts[0]!.likes * 5 };
    expect(ratioOutliers(posts).map((f) => [f.kind, f.postId])).toEqual([["LIKES_TO_COMMENTS", 1]]);
  });

  it("leaves ordinary variation, small counts and short histories alone", () => {
    expect(ratioOutliers(ordinary())).toEqual([]);
    // 100 likes, no comments and 100 views: likes per view is 12× the usual, but no comments where three would be
    // usual is too few to tell, so nothing corroborates it.
    const tiny = ordinary();
    tiny[5] = { ...tiny[5]!, likes: 100, comments: 0, views: 100 };
    expect(ratioOutliers(tiny)).toEqual([]);
    // Four posts are too few for a baseline.
    const few = ordinary().slice(0, 4);
    few[0] = { ...few[0]!, likes: few[0]!.likes * 6 };
    expect(ratioOutliers(few)).toEqual([]);
  });
});

describe("an account's findings", () => {
  it("orders them strongest first and takes the strongest one's suspicion", () => {
    const f = (kind: Finding["kind"], suspicion: number, score: number): Finding => ({ kind, postId: null, observedAt: 0, score, reason: "", suspicion });
    const list = strongestFirst([f("LIKES_TO_VIEWS", 0.4, 9), f("FOLLOWER_SPIKE", 1, 5), f("ENGAGEMENT_SPIKE", 1, 12)]);
    expect(list.map((x) => x.kind)).toEqual(["ENGAGEMENT_SPIKE", "FOLLOWER_SPIKE", "LIKES_TO_VIEWS"]);
    expect(flagSuspicion(list)).toBe(1);
    expect(flagSuspicion([])).toBe(0);
  });
});

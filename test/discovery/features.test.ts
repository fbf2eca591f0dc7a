/** The derived discovery signals: pure pieces, and the refresh over a seeded database checked against the truth. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { followerSignals, median, refreshAccountFeatures } from "../../server/discovery/features.js";
import { DEFAULT_AS_OF, seedDatabase } from "../../seeds/seed.js";
import { postMetricSnapshots } from "../../schema/tables.js";
import { createInfluencer, createPost } from "../support/factories.js";

describe("follower signals (pure)", () => {
  const daily = (followers: number[], from = 0) => followers.map((f, i) => ({ at: (from + i) * 86_400_000, followers: f }));

  it("takes growth from the median daily change, so a one-day jump is not growth", () => {
    expect(followerSignals(daily([1000, 1010, 1020.1, 1030.3])).growth30d).toBeCloseTo(0.3, 3);
    expect(followerSignals(daily([1000, 1000, 2000, 2000, 2000]))).toEqual({ growth30d: 0, largestJump: 1 });
    expect(followerSignals([])).toEqual({ growth30d: 0, largestJump: 0 });
  });

  it("measures growth inside the window only, and scales gaps between captures to days", () => {
    // Fast growth long ago, flat in the last days: growth is the recent (flat) one; the old jump still counts.
    const captures = daily([100, 200, 400, 400, 400, 400]);
    expect(followerSignals(captures, 2 * 86_400_000, 5 * 86_400_000)).toEqual({ growth30d: 0, largestJump: 1 });
    // Captures after `until` are ignored; a capture every 3 days with +3 % is +1 % a day, +30 % a month.
    const sparse = [0, 3, 6, 9].map((d, i) => ({ at: d * 86_400_000, followers: 1000 * 1.03 ** i }));
    expect(followerSignals(sparse).growth30d).toBeCloseTo(0.3, 6);
    expect(followerSignals(sparse, 0, 3 * 86_400_000).growth30d).toBeCloseTo(0.3, 6);
  });

  it("computes a median", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe("refresh over seeded data", () => {
  const dir = mkdtempSync(join(tmpdir(), "influencegraph-features-"));
  let db: Db;
  type Row = { fraud: string | null; jump: number; rise: number; growth: number; recent: number; last: number | null };
  let rows: Row[];

  beforeAll(() => {
    db = openDatabase({ path: join(dir, "f.db") });
    seedDatabase(db, { influencers: 400, seed: 7, asOf: DEFAULT_AS_OF });
    rows = db.$client
      .prepare(
        `SELECT t.fraud, f.largest_follower_jump AS jump, f.likes_per_view_rise AS rise, f.follower_growth_30d AS growth,
                f.posts_last_30d AS recent, f.last_post_at AS last
         FROM account_features f JOIN seed_truth t ON t.account_id = f.account_id`,
      )
      .all() as Row[];
  });
  afterAll(() => {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });

  it("has one row per account, written by the seed", () => {
    const accounts = db.$client.prepare("SELECT count(*) FROM social_accounts").pluck().get();
    expect(rows.length).toBe(accounts);
    const refresh = db.$client.prepare("SELECT as_of, accounts FROM feature_refreshes").all();
    expect(refresh).toEqual([{ as_of: DEFAULT_AS_OF.getTime(), accounts }]);
  });

  const share = (subset: Row[], test: (r: Row) => boolean) => subset.filter(test).length / Math.max(1, subset.length);

  it("separates planted fake followers by their follower jump", () => {
    const fake = rows.filter((r) => r.fraud === "FAKE_FOLLOWERS");
    const clean = rows.filter((r) => r.fraud === null);
    expect(fake.length).toBeGreaterThan(10);
    expect(share(fake, (r) => r.jump > 0.2)).toBeGreaterThan(0.95);
    expect(share(clean, (r) => r.jump > 0.2)).toBeLessThan(0.01);
  });

  it("separates planted bought engagement by the rise of likes per view", () => {
    const bought = rows.filter((r) => r.fraud === "BOUGHT_ENGAGEMENT");
    const clean = rows.filter((r) => r.fraud === null);
    expect(bought.length).toBeGreaterThan(10);
    expect(share(bought, (r) => r.rise > 1.8)).toBeGreaterThan(0.95);
    expect(share(clean, (r) => r.rise > 1.8)).toBeLessThan(0.01);
  });

  it("records cadence and recency as of the data's reference time", () => {
    expect(share(rows, (r) => r.recent > 0)).toBeGreaterThan(0.5);
    for (const r of rows) if (r.last !== null) expect(r.last).toBeLessThanOrEqual(DEFAULT_AS_OF.getTime());
  });

  it("replaces the table on a second refresh instead of adding to it", () => {
    const summary = refreshAccountFeatures(db, { asOf: DEFAULT_AS_OF });
    expect(summary.accounts).toBe(rows.length);
    // The seed's catalogue averages are what the refresh derives from the same posts: nothing to rewrite.
    expect(summary.averagesUpdated).toBe(0);
    expect(db.$client.prepare("SELECT count(*) FROM account_features").pluck().get()).toBe(rows.length);
    expect(db.$client.prepare("SELECT count(*) FROM feature_refreshes").pluck().get()).toBe(2);
  });
});

describe("catalogue averages", () => {
  const dir = mkdtempSync(join(tmpdir(), "influencegraph-averages-"));
  let db: Db;
  beforeAll(() => (db = openDatabase({ path: join(dir, "a.db") })));
  afterAll(() => {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });
  const averagesOf = (accountId: number) =>
    db.$client
      .prepare("SELECT average_likes AS likes, average_comments AS comments, average_views AS views, engagement_rate AS rate FROM social_accounts WHERE id = ?")
      .get(accountId);

  it("are derived for an account that arrived without them (an import) from its recent posts' latest captures", () => {
    const asOf = new Date(Date.UTC(2026, 10, 1));
    const day = 86_400_000;
    const { accounts } = createInfluencer(db, { accounts: [{ platform: "INSTAGRAM", followers: 10_000 }] });
    const account = accounts[0]!;
    db.$client.prepare("UPDATE social_accounts SET average_likes = 0, average_comments = 0, average_views = 0, engagement_rate = 0 WHERE id = ?").run(account.id);
    let latest = 0;
    // 14 posts, one a day; each captured twice (the later capture counts); the two oldest fall outside the 12.
    for (let p = 0; p < 14; p++) {
      const publishedAt = asOf.getTime() - (20 - p) * day;
      const post = createPost(db, account, { publishedAt: new Date(publishedAt) });
      latest = post.id;
      const likes = p < 2 ? 10_000 : 100 * p;
      db.insert(postMetricSnapshots)
        .values([
          { postId: post.id, capturedAt: new Date(publishedAt + day), likes: 1, comments: 1, views: 1 },
          { postId: post.id, capturedAt: new Date(publishedAt + 2 * day), likes, comments: p, views: 1_000 * p },
        ])
        .run();
    }
    // A capture after asOf does not count.
    db.insert(postMetricSnapshots).values({ postId: latest, capturedAt: new Date(asOf.getTime() + day), likes: 1_000_000, comments: 0 }).run();
    const summary = refreshAccountFeatures(db, { asOf });
    expect(summary.averagesUpdated).toBe(1);
    // Posts 2..13: likes 200..1300 (mean 750), comments 2..13 (mean 7.5), views 2,000..13,000 (mean 7,500).
    expect(averagesOf(account.id)).toEqual({ likes: 750, comments: 7.5, views: 7_500, rate: (750 + 7.5) / 10_000 });
    // Nothing changed since: a second refresh writes nothing.
    expect(refreshAccountFeatures(db, { asOf }).averagesUpdated).toBe(0);
  });

  it("are left alone for an account without captured posts", () => {
    const { accounts } = createInfluencer(db, { accounts: [{ platform: "TIKTOK", followers: 5_000 }] });
    const before = averagesOf(accounts[0]!.id);
    refreshAccountFeatures(db, { asOf: new Date(Date.UTC(2026, 10, 1)) });
    expect(averagesOf(accounts[0]!.id)).toEqual(before);
  });
});

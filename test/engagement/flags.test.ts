/**
 * Suspicious-engagement flags over HTTP: planted patterns on a small factory-built catalogue get flags with reasons
 * (and lower trust in discovery), a clean account gets none; and on seeded data, account-level precision and recall
 * of the flags against the generator's truth (seed_truth).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Platform } from "../../schema/enums.js";
import type { Db } from "../../server/db.js";
import { refreshAccountFeatures } from "../../server/discovery/features.js";
import { DEFAULT_AS_OF, seedDatabase } from "../../seeds/seed.js";
import { createAccountSnapshot, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { sqlStatements, startTestServer, type TestServer } from "../support/server.js";

const AS_OF = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** An account with 30 days of follower history (about +0.2 % a day; `jump` on the day 10 days before AS_OF). */
function account(db: Db, name: string, platform: Platform, followers: number, jump = 0) {
  const { accounts } = createInfluencer(db, { name, accounts: [{ platform, followers }] });
  const a = accounts[0]!;
  let f = followers / (1.002 ** 30 * (1 + jump));
  for (let day = 30; day >= 0; day--) {
    if (day < 30) f *= 1 + 0.002 + ((day * 7) % 5 - 2) * 0.0004;
    if (day === 10) f *= 1 + jump;
    createAccountSnapshot(db, a.id, new Date(AS_OF.getTime() - day * DAY), Math.round(f));
  }
  return a;
}

/**
 * A post published `age` days before AS_OF with daily captures (at most 7) along the organic curve 1 − e^(−t/τ),
 * views a little later than likes; `k` varies it. `bought` likes land at the capture of day `boughtOn`, or are
 * there from the first capture when `boughtOn` is 0.
 */
function post(db: Db, a: { id: number; platform: Platform }, age: number, k: number, bought = 0, boughtOn = 3) {
  const publishedAt = AS_OF.getTime() - age * DAY;
  const metrics = [];
  for (let d = 1; d <= Math.min(7, age); d++) {
    const likes = 800 * k * (1 - Math.exp(-d / 0.8)) + (d >= boughtOn ? bought : 0);
    metrics.push({
      at: new Date(publishedAt + d * DAY),
      likes: Math.round(likes),
      comments: Math.round(25 * k * (1 - Math.exp(-d / 0.8))),
      views: Math.round(10_000 * k * (1 - Math.exp(-d / 1.2))),
    });
  }
  return createPost(db, a, { publishedAt: new Date(publishedAt), metrics });
}

const VARIATION = [1, 1.15, 0.9, 1.05, 0.95, 1.2, 0.85];

let server: TestServer;
let key: string;
const ids: Record<string, { platform: Platform; handle: string; id: number }> = {};
let boughtPostId: number;
let cleanPosts: { id: number; likes: number; comments: number; age: number }[] = [];

beforeAll(async () => {
  server = await startTestServer({}, (db) => {
    // A one-day jump of +60 % ten days ago, clean posts.
    const spike = account(db, "Sam Spike", "INSTAGRAM", 40_000, 0.6);
    VARIATION.slice(0, 6).forEach((k, i) => post(db, spike, 3 + i * 5, k));
    // Seven posts; the third carries likes bought on its third day (three times its organic likes).
    const bought = account(db, "Bo Bought", "INSTAGRAM", 30_000);
    VARIATION.forEach((k, i) => {
      const p = post(db, bought, 8 + i * 4, k, i === 2 ? 2_400 * k : 0);
      if (i === 2) boughtPostId = p.id;
    });
    // One post has five times the likes from its first capture on: bought before any capture, no spike in its history.
    const ratio = account(db, "Ria Ratio", "TIKTOK", 50_000);
    VARIATION.slice(0, 6).forEach((k, i) => post(db, ratio, 20 + i * 3, k, i === 4 ? 3_200 * k : 0, 0));
    // Clean: smooth growth, ordinary posts, two of them older than 30 days.
    const clean = account(db, "Cleo Clean", "INSTAGRAM", 25_000);
    VARIATION.slice(0, 6).forEach((k, i) => {
      const age = 2 + i * 7;
      const p = post(db, clean, age, k);
      const d = Math.min(7, age);
      cleanPosts.push({ id: p.id, age, likes: Math.round(800 * k * (1 - Math.exp(-d / 0.8))), comments: Math.round(25 * k * (1 - Math.exp(-d / 0.8))) });
    });
    for (const [name, a] of Object.entries({ spike, bought, ratio, clean })) ids[name] = { platform: a.platform, handle: a.handle, id: a.id };
    refreshAccountFeatures(db, { asOf: AS_OF });
  });
  key = createTenant(server.app.db, "ANALYST").key;
});
afterAll(() => server.close());

const ACCOUNT = /* GraphQL */ `
  query($platform: Platform!, $handle: String!) {
    account(platform: $platform, handle: $handle) {
      flags { kind observedAt score reason post { id } }
      recentPosts(first: 10) { id flags { kind observedAt score reason post { id } } }
    }
  }
`;

async function accountFlags(name: string) {
  const { platform, handle } = ids[name]!;
  const response = await server.gql(ACCOUNT, { platform, handle }, key);
  expect(response.errors).toBeUndefined();
  return response.data.account as {
    flags: { kind: string; observedAt: string; score: number; reason: string; post: { id: string } | null }[];
    recentPosts: { id: string; flags: { kind: string; post: { id: string } | null }[] }[];
  };
}

describe("flags on a factory-built catalogue", () => {
  it("flags a planted follower spike on the account, with its reason", async () => {
    const { flags, recentPosts } = await accountFlags("spike");
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ kind: "FOLLOWER_SPIKE", observedAt: iso(AS_OF.getTime() - 10 * DAY), post: null });
    expect(flags[0]!.score).toBeGreaterThan(3.5);
    expect(flags[0]!.reason).toMatch(/^followers \+60% in one day \(\d+,\d{3} → \d+,\d{3}\); a usual day is \+0\.\d%$/);
    for (const p of recentPosts) expect(p.flags).toEqual([]);
  });

  it("flags the post with bought likes, on the post and on its account, newest first", async () => {
    const { flags, recentPosts } = await accountFlags("bought");
    expect(flags.map((f) => f.kind).sort()).toEqual(["ENGAGEMENT_SPIKE", "LIKES_TO_COMMENTS", "LIKES_TO_VIEWS"]);
    for (const f of flags) {
      expect(f.post).toEqual({ id: String(boughtPostId) });
      expect(f.score).toBeGreaterThan(3.5);
    }
    const observed = flags.map((f) => f.observedAt);
    expect(observed).toEqual([...observed].sort().reverse());
    // The likes landed at the third daily capture of a post published 16 days before AS_OF.
    const spike = flags.find((f) => f.kind === "ENGAGEMENT_SPIKE")!;
    expect(spike.observedAt).toBe(iso(AS_OF.getTime() - 16 * DAY + 3 * DAY));
    expect(spike.reason).toMatch(/^likes per view rose [\d.]+× in one day \(likes [\d,]+ → [\d,]+, views [\d,]+ → [\d,]+\); between the post's other captures it moved −\d+\.\d%$/);
    expect(flags.find((f) => f.kind === "LIKES_TO_COMMENTS")!.reason).toMatch(
      /^\d+ likes per comment \([\d,]+ likes, \d+ comments\): [\d.]+× the account's usual \d+ \(median of 7 posts\); likes per view [\d.]+× its usual too$/,
    );
    const byPost = new Map(recentPosts.map((p) => [p.id, p.flags]));
    expect(byPost.get(String(boughtPostId))!.map((f) => f.kind).sort()).toEqual(["ENGAGEMENT_SPIKE", "LIKES_TO_COMMENTS", "LIKES_TO_VIEWS"]);
    for (const [id, postFlags] of byPost) if (id !== String(boughtPostId)) expect(postFlags).toEqual([]);
  });

  it("flags likes bought before the first capture by their ratios alone", async () => {
    const { flags } = await accountFlags("ratio");
    expect(flags.map((f) => f.kind).sort()).toEqual(["LIKES_TO_COMMENTS", "LIKES_TO_VIEWS"]);
  });

  it("gives a clean account no flags", async () => {
    const { flags, recentPosts } = await accountFlags("clean");
    expect(flags).toEqual([]);
    expect(recentPosts).toHaveLength(6);
    for (const p of recentPosts) expect(p.flags).toEqual([]);
  });

  it("answers `first` newest flags", async () => {
    const { platform, handle } = ids.bought!;
    const response = await server.gql(`query($p: Platform!, $h: String!) { account(platform: $p, handle: $h) { flags(first: 1) { kind observedAt } } }`, { p: platform, h: handle }, key);
    const all = (await accountFlags("bought")).flags;
    expect(response.data.account.flags).toEqual([{ kind: all[0]!.kind, observedAt: all[0]!.observedAt }]);
  });

  it("loads flags in batches: as many SQL statements for four creators as for one", async () => {
    const query = `query($first: Int) { influencers(first: $first) { edges { node { accounts {
      flags { kind post { id flags { kind } } } recentPosts(first: 10) { flags { kind post { id } } } } } } } }`;
    const one = await server.gql(query, { first: 1 }, key);
    const four = await server.gql(query, { first: 4 }, key);
    expect(one.errors).toBeUndefined();
    expect(four.errors).toBeUndefined();
    expect(four.data.influencers.edges).toHaveLength(4);
    expect(sqlStatements(four)).toBe(sqlStatements(one));
  });

  it("records each account's flag suspicion and its engagement rate over the last 30 days", () => {
    const features = (id: number) =>
      server.app.db.$client.prepare("SELECT flag_suspicion, engagement_rate_30d FROM account_features WHERE account_id = ?").get(id) as {
        flag_suspicion: number;
        engagement_rate_30d: number | null;
      };
    expect(features(ids.spike!.id).flag_suspicion).toBe(1);
    expect(features(ids.bought!.id).flag_suspicion).toBe(1);
    expect(features(ids.ratio!.id).flag_suspicion).toBeGreaterThan(0.5);
    const clean = features(ids.clean!.id);
    expect(clean.flag_suspicion).toBe(0);
    // (likes + comments) / followers at AS_OF, averaged over the posts of the last 30 days (latest captures).
    const followers = server.app.db.$client
      .prepare("SELECT followers FROM account_snapshots WHERE account_id = ? ORDER BY captured_at DESC LIMIT 1")
      .pluck()
      .get(ids.clean!.id) as number;
    const recent = cleanPosts.filter((p) => p.age < 30);
    expect(recent.length).toBe(4);
    const expected = recent.reduce((sum, p) => sum + (p.likes + p.comments) / followers, 0) / recent.length;
    expect(clean.engagement_rate_30d).toBeCloseTo(expected, 10);
  });

  it("lets a flag lower trust in discovery and says why", async () => {
    const response = await server.gql(
      `{ discover(brief: { objective: ENGAGEMENT }, first: 10) { edges { node { id } explanation { trust trustReason factors { factor reason } } } } }`,
      {},
      key,
    );
    expect(response.errors).toBeUndefined();
    const edges = response.data.discover.edges as { node: { id: string }; explanation: { trust: number; trustReason: string | null; factors: { factor: string; reason: string }[] } }[];
    const of = (name: string) => edges.find((e) => e.node.id === String(ids[name]!.id))!.explanation;
    // The ratio outliers are the only sign on this account: the flag sets its suspicion, and the explanation says so.
    const ratio = of("ratio");
    expect(ratio.trust).toBeLessThan(0.8);
    expect(ratio.trustReason).toMatch(/^score × 0\.\d\d: engagement flag: [\d.]+ likes per (comment|view) /);
    expect(ratio.factors.find((f) => f.factor === "AUTHENTICITY")!.reason).toMatch(/; engagement flag: [\d.]+ likes per (comment|view) /);
    // The follower jump is explained as before (its flag says the same thing).
    expect(of("spike").trustReason).toMatch(/^score × 0\.20: one-day follower jump of \+60\.\d%$/);
    expect(of("clean")).toMatchObject({ trust: 1, trustReason: null });
  });
});

describe("flags on seeded data against the generator's truth", () => {
  let seeded: TestServer;
  let truth: Map<string, string | null>;
  let flagged: Map<string, Set<string>>;

  beforeAll(async () => {
    seeded = await startTestServer({}, (db) => seedDatabase(db, { influencers: 3000, seed: 11, asOf: DEFAULT_AS_OF }));
    const analyst = createTenant(seeded.app.db, "ANALYST").key;
    const rows = seeded.app.db.$client.prepare("SELECT account_id, fraud FROM seed_truth").raw().all() as [number, string | null][];
    truth = new Map(rows.map(([id, fraud]) => [String(id), fraud]));
    // Every account's flags, read through the API.
    flagged = new Map();
    let after: string | null = null;
    for (;;) {
      const response: any = await seeded.gql(
        `query($after: String) { influencers(first: 100, after: $after) { edges { node { accounts { id flags { kind } } } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        analyst,
      );
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      for (const edge of response.data.influencers.edges) {
        for (const a of edge.node.accounts) flagged.set(a.id, new Set(a.flags.map((f: { kind: string }) => f.kind)));
      }
      if (!response.data.influencers.pageInfo.hasNextPage) break;
      after = response.data.influencers.pageInfo.endCursor;
    }
  }, 120_000);
  afterAll(() => seeded?.close());

  /** Account-level precision and recall of `predicted` against `actual`. */
  function score(predicted: (id: string) => boolean, actual: (id: string) => boolean) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const id of truth.keys()) {
      const p = predicted(id);
      const a = actual(id);
      if (p && a) tp++;
      else if (p) fp++;
      else if (a) fn++;
    }
    return { flagged: tp + fp, falsePositives: fp, actual: tp + fn, precision: tp + fp ? tp / (tp + fp) : Number.NaN, recall: tp + fn ? tp / (tp + fn) : Number.NaN };
  }

  it("reads every account's flags", () => {
    expect(flagged.size).toBe(truth.size);
    expect(truth.size).toBeGreaterThan(5_000);
  });

  it("finds the planted fraud with high precision and recall, overall and per kind", () => {
    const has = (id: string, kinds?: string[]) => {
      const set = flagged.get(id)!;
      return kinds ? kinds.some((k) => set.has(k)) : set.size > 0;
    };
    const overall = score((id) => has(id), (id) => truth.get(id) !== null);
    const followers = score((id) => has(id, ["FOLLOWER_SPIKE"]), (id) => truth.get(id) === "FAKE_FOLLOWERS");
    const engagementKinds = ["ENGAGEMENT_SPIKE", "LIKES_TO_COMMENTS", "LIKES_TO_VIEWS"];
    const engagement = score((id) => has(id, engagementKinds), (id) => truth.get(id) === "BOUGHT_ENGAGEMENT");
    const perKind = Object.fromEntries(
      engagementKinds.map((k) => [k, score((id) => has(id, [k]), (id) => truth.get(id) === "BOUGHT_ENGAGEMENT")]),
    );
    const table = { "any flag vs any fraud": overall, "FOLLOWER_SPIKE vs FAKE_FOLLOWERS": followers, "engagement flags vs BOUGHT_ENGAGEMENT": engagement, ...perKind };
    console.log(
      "Flags against seed_truth (3,000 influencers, seed 11):\n" +
        Object.entries(table)
          .map(([name, s]) => `  ${name.padEnd(40)} flagged ${String(s.flagged).padStart(4)}  actual ${String(s.actual).padStart(4)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`)
          .join("\n"),
    );
    // Measured on this seed: every value 1.000 (524 fraudulent accounts of 5,344: 263 with fake followers, 261
    // with bought engagement). Firm floors just below, not ranges.
    expect(overall.actual).toBeGreaterThan(400);
    for (const s of [overall, followers, engagement]) {
      expect(s.precision).toBeGreaterThanOrEqual(0.98);
      expect(s.recall).toBeGreaterThanOrEqual(0.98);
    }
    expect(perKind.ENGAGEMENT_SPIKE!.precision).toBeGreaterThanOrEqual(0.98);
    expect(perKind.ENGAGEMENT_SPIKE!.recall).toBeGreaterThanOrEqual(0.98);
    // The ratio detectors compare a post with the account's other posts; the generator buys likes on most posts of an
    // account, so its own median is bought and they rarely fire here (recall about 0.5 %). When they fire, they are right.
    for (const k of ["LIKES_TO_COMMENTS", "LIKES_TO_VIEWS"]) expect(perKind[k]!.falsePositives, `${k} flags on accounts without planted fraud`).toBe(0);
  });
});

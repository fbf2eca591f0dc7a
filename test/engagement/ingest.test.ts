/**
 * Ingestion rules per row type, through the importer on a real SQLite file: natural keys, inserted / updated /
 * unchanged counts, idempotent re-runs (the database byte for byte as the first run left it), references to rows
 * earlier in the file, refusals with reasons, derived data kept in step (follower totals, account counters, campaign
 * roll-ups), CSV.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";

import { collaborations } from "../../schema/tables.js";
import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { rebuildAllRollups } from "../../server/engagement/rollups.js";
import { ImportError, importFile, type ImportSummary, type RejectRecord } from "../../server/engagement/import.js";
import { createCampaign, createInfluencer, createOrganization } from "../support/factories.js";
import { count, fingerprint, WRITE_TIMES, writeNdjson } from "./ingest-support.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-ingest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let db: Db;
let n = 0;
let campaignA: number;
let campaignB: number;

/** Two campaigns, and a collaboration with a promo code for conversions (its creator made by the factory). */
function prepare(target: Db): { campaignA: number; campaignB: number } {
  const org = createOrganization(target, "Org");
  const a = createCampaign(target, org.id, { name: "Campaign A" }).id;
  const b = createCampaign(target, org.id, { name: "Campaign B" }).id;
  const { influencer } = createInfluencer(target, { name: "Factory creator", accounts: [{ handle: "factory_creator" }] });
  target.insert(collaborations).values({ campaignId: a, influencerId: influencer.id, promoCode: "SPRING10" }).run();
  return { campaignA: a, campaignB: b };
}

beforeEach(() => {
  db = openDatabase({ path: join(dir, `t${++n}.db`) });
  ({ campaignA, campaignB } = prepare(db));
});

afterEach(() => closeDatabase(db));

const file = (name: string, rows: readonly (object | string)[]) => writeNdjson(join(dir, `${n}-${name}`), rows);
const run = (path: string, options: { batchSize?: number; format?: "ndjson" | "csv" } = {}) => importFile(db, { path, ...options });
const rejectsOf = (summary: ImportSummary): RejectRecord[] =>
  summary.rejectsPath ? readFileSync(summary.rejectsPath, "utf8").trim().split("\n").map((line) => JSON.parse(line) as RejectRecord) : [];
const row = <T = Record<string, unknown>>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).get(...params) as T;
const rows = <T = Record<string, unknown>>(sql: string, ...params: unknown[]) => db.$client.prepare(sql).all(...params) as T[];

/** A small catalogue in dependency order: creators, accounts, audiences, snapshots, posts, metrics, a conversion. */
function catalogue(): Record<string, unknown>[] {
  return [
    { type: "influencer", ref: "ana", name: "Ana Lima", bio: "Runner", country: "BR", language: "pt", categories: ["FITNESS", "TRAVEL"] },
    { type: "influencer", ref: "ben", name: "Ben Ode", country: "GB", language: "en", categories: ["GAMING"] },
    { type: "account", influencer: "ana", platform: "INSTAGRAM", handle: "@Ana.Runs", followers: 12_000, following: 300, posts: 120, verified: true },
    { type: "account", influencer: "ana", platform: "TIKTOK", handle: "anaruns", followers: 50_000, following: 10, posts: 80 },
    { type: "account", influencer: "ben", platform: "YOUTUBE", handle: "benplays", followers: 7_000, following: 0, posts: 40 },
    { type: "audience", platform: "INSTAGRAM", handle: "ana.runs", dimension: "COUNTRY", shares: { BR: 0.7, PT: 0.2 } },
    { type: "audience", platform: "INSTAGRAM", handle: "ana.runs", dimension: "GENDER", shares: { FEMALE: 0.6, MALE: 0.4 } },
    { type: "account_snapshot", platform: "INSTAGRAM", handle: "ana.runs", capturedAt: "2026-10-01T00:00:00Z", followers: 11_800, following: 300, posts: 118 },
    { type: "account_snapshot", platform: "INSTAGRAM", handle: "ana.runs", capturedAt: "2026-10-02T00:00:00Z", followers: 11_900, following: 301, posts: 119 },
    { type: "post", platform: "INSTAGRAM", handle: "ana.runs", externalId: "ig_1", publishedAt: "2026-10-01T10:00:00Z", kind: "REEL", caption: "Long run", hashtags: ["#Run", "trail"], url: "https://instagram.com/p/ig_1", campaignId: campaignA },
    { type: "post", platform: "TIKTOK", handle: "anaruns", externalId: "tt_1", publishedAt: "2026-10-01T12:00:00Z", kind: "SHORT" },
    { type: "post", platform: "YOUTUBE", handle: "benplays", externalId: "yt_1", publishedAt: "2026-10-01T08:00:00Z", kind: "VIDEO", campaignId: campaignB },
    { type: "post_metrics", platform: "INSTAGRAM", externalId: "ig_1", capturedAt: "2026-10-01T20:00:00Z", likes: 300, comments: 10, views: 4_000 },
    { type: "post_metrics", platform: "INSTAGRAM", externalId: "ig_1", capturedAt: "2026-10-02T20:00:00Z", likes: 500, comments: 20, views: 9_000 },
    { type: "post_metrics", platform: "TIKTOK", externalId: "tt_1", capturedAt: "2026-10-02T20:00:00Z", likes: 4_000, comments: 90, shares: 30, saves: 12, views: 80_000, reach: 60_000, impressions: 90_000 },
    { type: "post_metrics", platform: "YOUTUBE", externalId: "yt_1", capturedAt: "2026-10-03T08:00:00Z", likes: 200, comments: 30, views: 6_000 },
    { type: "conversion", promoCode: "spring10", at: "2026-10-03T09:00:00Z", orders: 3, revenue: 8_997, currency: "USD" },
  ];
}

/** The campaign roll-ups as a fresh rebuild computes them equal the ones the import kept (checked, then undone). */
function expectRollupsCurrent(): void {
  const kept = fingerprint(db);
  db.$client.exec("SAVEPOINT rebuild");
  try {
    rebuildAllRollups(db);
    expect(fingerprint(db)).toEqual(kept);
  } finally {
    db.$client.exec("ROLLBACK TO rebuild; RELEASE rebuild");
  }
}

describe("importing every row type", () => {
  it("writes each row by its natural key, rows naming rows earlier in the same file", async () => {
    const summary = await run(file("catalogue.ndjson", catalogue()));
    expect(summary).toMatchObject({ rowsRead: 17, inserted: 17, updated: 0, unchanged: 0, rejected: 0, rejectsPath: null });
    expect(summary.byType.post_metrics).toEqual({ inserted: 4, updated: 0, unchanged: 0, rejected: 0 });

    const ana = row<{ id: number; name: string; bio: string; country: string; total_followers: number }>(
      "SELECT id, name, bio, country, total_followers FROM influencers WHERE external_ref = 'ana'",
    );
    expect(ana).toMatchObject({ name: "Ana Lima", bio: "Runner", country: "BR" });
    expect(rows("SELECT category FROM influencer_categories WHERE influencer_id = ? ORDER BY category", ana.id)).toEqual([
      { category: "FITNESS" },
      { category: "TRAVEL" },
    ]);
    // The account row said 12,000 followers; its latest snapshot (11,900) is the account's current state.
    expect(row("SELECT handle, followers, following, post_count, verified FROM social_accounts WHERE handle = 'ana.runs'")).toEqual({
      handle: "ana.runs",
      followers: 11_900,
      following: 301,
      post_count: 119,
      verified: 1,
    });
    expect(ana.total_followers).toBe(11_900 + 50_000);
    expect(row("SELECT total_followers FROM influencers WHERE external_ref = 'ben'")).toEqual({ total_followers: 7_000 });
    const anaIg = row<{ id: number }>("SELECT id FROM social_accounts WHERE handle = 'ana.runs'").id;
    expect(rows("SELECT dimension, key, share FROM audience_shares WHERE account_id = ? ORDER BY dimension, key", anaIg)).toEqual([
      { dimension: "COUNTRY", key: "BR", share: 0.7 },
      { dimension: "COUNTRY", key: "PT", share: 0.2 },
      { dimension: "GENDER", key: "FEMALE", share: 0.6 },
      { dimension: "GENDER", key: "MALE", share: 0.4 },
    ]);
    expect(row("SELECT hashtags, url, campaign_id, kind FROM posts WHERE external_id = 'ig_1'")).toEqual({
      hashtags: '["run","trail"]',
      url: "https://instagram.com/p/ig_1",
      campaign_id: campaignA,
      kind: "REEL",
    });
    expect(row("SELECT likes, comments, shares, saves, views, reach, impressions FROM post_metric_snapshots m JOIN posts p ON p.id = m.post_id WHERE p.external_id = 'tt_1'")).toEqual(
      { likes: 4_000, comments: 90, shares: 30, saves: 12, views: 80_000, reach: 60_000, impressions: 90_000 },
    );
    expect(row("SELECT promo_code, occurred_at, orders, revenue_amount, currency, collaboration_id FROM conversions")).toEqual({
      promo_code: "SPRING10",
      occurred_at: Date.UTC(2026, 9, 3, 9),
      orders: 3,
      revenue_amount: 8_997,
      currency: "USD",
      collaboration_id: row<{ id: number }>("SELECT id FROM collaborations WHERE promo_code = 'SPRING10'").id,
    });
    // Campaign posts count in their campaign's roll-ups: ig_1 gained 300 likes on Oct 1 and 200 more on Oct 2.
    expect(rows("SELECT day, posts_published, likes FROM campaign_creator_daily WHERE campaign_id = ? AND influencer_id = ? ORDER BY day", campaignA, ana.id)).toEqual([
      { day: Date.UTC(2026, 9, 1), posts_published: 1, likes: 300 },
      { day: Date.UTC(2026, 9, 2), posts_published: 0, likes: 200 },
    ]);
    expectRollupsCurrent();
  });

  it("a second import of the same file writes nothing: every row unchanged, the database identical", async () => {
    const path = file("catalogue.ndjson", catalogue());
    await run(path);
    const before = fingerprint(db);
    const again = await run(path);
    expect(again).toMatchObject({ rowsRead: 17, inserted: 0, updated: 0, unchanged: 17, rejected: 0 });
    expect(fingerprint(db)).toEqual(before);
  });

  it("changed rows count as updated, new ones as inserted, equal ones as unchanged", async () => {
    await run(file("first.ndjson", catalogue()));
    const second = catalogue();
    second[1] = { ...second[1]!, name: "Ben Ode Jr", categories: ["GAMING", "TECH"] }; // influencer: updated
    second[4] = { ...second[4]!, influencer: "ana" }; // ben's YouTube account moves to ana: updated
    second[5] = { ...second[5]!, shares: { BR: 0.8 } }; // audience replaced: updated
    second[9] = { ...second[9]!, campaignId: campaignB }; // ig_1 moves to campaign B: updated
    second[12] = { ...second[12]!, likes: 301 }; // a capture corrected: updated
    second.push({ type: "post_metrics", platform: "INSTAGRAM", externalId: "ig_1", capturedAt: "2026-10-03T20:00:00Z", likes: 700, comments: 25 }); // new
    const summary = await run(file("second.ndjson", second));
    expect(summary).toMatchObject({ rowsRead: 18, inserted: 1, updated: 5, unchanged: 12, rejected: 0 });
    expect(summary.byType.influencer).toEqual({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 });
    expect(summary.byType.account).toEqual({ inserted: 0, updated: 1, unchanged: 2, rejected: 0 });
    expect(summary.byType.audience).toEqual({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 });
    expect(summary.byType.post).toEqual({ inserted: 0, updated: 1, unchanged: 2, rejected: 0 });
    expect(summary.byType.post_metrics).toEqual({ inserted: 1, updated: 1, unchanged: 3, rejected: 0 });

    const ben = row<{ id: number; name: string; total_followers: number }>("SELECT id, name, total_followers FROM influencers WHERE external_ref = 'ben'");
    expect(ben).toMatchObject({ name: "Ben Ode Jr", total_followers: 0 });
    expect(rows("SELECT category FROM influencer_categories WHERE influencer_id = ? ORDER BY category", ben.id)).toEqual([{ category: "GAMING" }, { category: "TECH" }]);
    expect(row("SELECT total_followers FROM influencers WHERE external_ref = 'ana'")).toEqual({ total_followers: 11_900 + 50_000 + 7_000 });
    expect(rows("SELECT a.key, a.share FROM audience_shares a JOIN social_accounts s ON s.id = a.account_id WHERE s.handle = 'ana.runs' AND dimension = 'COUNTRY'")).toEqual([
      { key: "BR", share: 0.8 },
    ]);
    // ig_1 left campaign A and joined B; yt_1 (B) now counts for ana, its account's new owner.
    const ana = row<{ id: number }>("SELECT id FROM influencers WHERE external_ref = 'ana'").id;
    expect(count(db, "campaign_creator_daily")).toBeGreaterThan(0);
    expect(rows("SELECT DISTINCT campaign_id, influencer_id FROM campaign_creator_daily ORDER BY campaign_id")).toEqual([
      { campaign_id: campaignB, influencer_id: ana },
    ]);
    expectRollupsCurrent();
  });

  it("an import in many small batches ends where a single batch ends", async () => {
    const path = file("catalogue.ndjson", catalogue());
    expect((await run(path, { batchSize: 1 })).batches).toBe(17);
    const other = openDatabase({ path: join(dir, `${n}-other.db`) });
    try {
      prepare(other);
      expect((await importFile(other, { path, batchSize: 1_000 })).batches).toBe(1);
      expect(fingerprint(other, [...WRITE_TIMES, "slug"])).toEqual(fingerprint(db, [...WRITE_TIMES, "slug"]));
    } finally {
      closeDatabase(other);
    }
  });
});

describe("derived data", () => {
  it("an account's counters follow its latest snapshot: an older one arriving later changes nothing, an account row neither", async () => {
    await run(file("catalogue.ndjson", catalogue()));
    const later = await run(
      file("later.ndjson", [
        { type: "account_snapshot", platform: "INSTAGRAM", handle: "ana.runs", capturedAt: "2026-09-01T00:00:00Z", followers: 9_000, following: 250, posts: 100 },
        { type: "account", influencer: "ana", platform: "INSTAGRAM", handle: "ana.runs", followers: 99_999, following: 1, posts: 1, verified: true },
      ]),
    );
    expect(later.byType.account_snapshot.inserted).toBe(1);
    expect(later.byType.account.unchanged).toBe(1);
    expect(row("SELECT followers, following, post_count FROM social_accounts WHERE handle = 'ana.runs'")).toEqual({ followers: 11_900, following: 301, post_count: 119 });

    await run(
      file("newest.ndjson", [
        { type: "account_snapshot", platform: "INSTAGRAM", handle: "ANA.RUNS", capturedAt: "2026-10-20T00:00:00Z", followers: 13_000, following: 302, posts: 125 },
      ]),
    );
    expect(row("SELECT followers, post_count FROM social_accounts WHERE handle = 'ana.runs'")).toEqual({ followers: 13_000, post_count: 125 });
    expect(row("SELECT total_followers FROM influencers WHERE external_ref = 'ana'")).toEqual({ total_followers: 13_000 + 50_000 });
  });

  it("metrics of one key repeated in a file: the last one wins (inserted, then updated)", async () => {
    await run(file("catalogue.ndjson", catalogue()));
    const capture = { type: "post_metrics", platform: "TIKTOK", externalId: "tt_1", capturedAt: "2026-10-04T00:00:00Z", comments: 1 };
    const summary = await run(file("repeated.ndjson", [{ ...capture, likes: 1 }, { ...capture, likes: 2 }, { ...capture, likes: 3 }, { ...capture, likes: 3 }]));
    expect(summary.byType.post_metrics).toEqual({ inserted: 1, updated: 2, unchanged: 1, rejected: 0 });
    expect(row("SELECT likes FROM post_metric_snapshots WHERE captured_at = ?", Date.UTC(2026, 9, 4))).toEqual({ likes: 3 });
  });
});

describe("refused rows", () => {
  it("go to the reject file with line, type, field, reason and raw text; the other rows are written", async () => {
    const good = catalogue();
    const path = file("mixed.ndjson", [
      ...good.slice(0, 5), // lines 1-5
      "", // line 6: blank, skipped
      "{not json", // 7
      { type: "account", influencer: "nobody", platform: "X", handle: "ghost", followers: 1, following: 1, posts: 1 }, // 8
      { type: "post_metrics", platform: "INSTAGRAM", externalId: "ig_404", capturedAt: "2026-10-02T00:00:00Z", likes: 1, comments: 1 }, // 9
      { type: "audience", platform: "X", handle: "ghost", dimension: "AGE", shares: { "18-24": 1 } }, // 10
      ...good.slice(5, 13), // 11-18
      { type: "post_metrics", platform: "INSTAGRAM", externalId: "ig_1", capturedAt: "2026-09-30T00:00:00Z", likes: 1, comments: 1 }, // 19: before publication
      { type: "post_metrics", platform: "INSTAGRAM", externalId: "ig_1", capturedAt: "2026-10-02T00:00:00Z", likes: -1, comments: 1, like: 2 }, // 20
      { type: "conversion", promoCode: "NOPE99", at: "2026-10-03T09:00:00Z", orders: 1, revenue: 100, currency: "USD" }, // 21
      { type: "post", platform: "TIKTOK", handle: "anaruns", externalId: "tt_9", publishedAt: "2026-10-01T12:00:00Z", kind: "SHORT", campaignId: 999_999 }, // 22
      { kind: "REEL" }, // 23
    ]);
    const summary = await run(path, { batchSize: 4 });
    expect(summary).toMatchObject({ rowsRead: 22, rejected: 9, rejectsPath: `${path}.rejects.ndjson` });
    expect(summary.inserted).toBe(13);
    const rejects = rejectsOf(summary);
    expect(rejects.map(({ line, type, field }) => ({ line, type, field }))).toEqual([
      { line: 7, type: null, field: "" },
      { line: 8, type: "account", field: "influencer" },
      { line: 9, type: "post_metrics", field: "externalId" },
      { line: 10, type: "audience", field: "handle" },
      { line: 19, type: "post_metrics", field: "capturedAt" },
      { line: 20, type: "post_metrics", field: "likes" },
      { line: 21, type: "conversion", field: "promoCode" },
      { line: 22, type: "post", field: "campaignId" },
      { line: 23, type: null, field: "type" },
    ]);
    expect(rejects[0]!.reason).toMatch(/^not valid JSON: /);
    expect(rejects[1]!.reason).toBe('no influencer with ref "nobody" (import its influencer row first)');
    expect(rejects[2]!.reason).toBe('no INSTAGRAM post with externalId "ig_404" (import its post row first)');
    expect(rejects[3]!.reason).toBe("no X account @ghost (import its account row first)");
    expect(rejects[4]!.reason).toBe("capturedAt 2026-09-30T00:00:00.000Z is before the post was published (2026-10-01T10:00:00.000Z)");
    expect(rejects[5]!.reason).toBe('likes must not be negative (got -1); unknown field "like"');
    expect(rejects[6]!.reason).toBe("no collaboration has promo code NOPE99");
    expect(rejects[7]!.reason).toBe("no campaign with id 999999");
    expect(rejects[0]!.raw).toBe("{not json");
    // Raw text as it was in the file, also for rows refused after reading (read back from the file).
    const lines = readFileSync(path, "utf8").split("\n");
    for (const reject of rejects) expect(reject.raw).toBe(lines[reject.line - 1]);
    expect(summary.byType.post_metrics.rejected).toBe(3);
    expect(count(db, "social_accounts")).toBe(1 + 3);
  });

  it("a later run without refusals removes the stale reject file; CRLF line ends and a byte order mark are read", async () => {
    const path = join(dir, `${n}-crlf.ndjson`);
    writeFileSync(path, `\uFEFF${catalogue().map((r) => JSON.stringify(r)).join("\r\n")}\r\n{"type":"nope"}\r\n`);
    const first = await run(path);
    expect(first).toMatchObject({ rowsRead: 18, inserted: 17, rejected: 1 });
    expect(rejectsOf(first)).toEqual([{ line: 18, type: null, field: "type", reason: expect.stringMatching(/^type must be one of/), raw: '{"type":"nope"}' }]);
    writeFileSync(path, `${catalogue().map((r) => JSON.stringify(r)).join("\r\n")}\r\n`);
    const second = await run(path);
    expect(second).toMatchObject({ rowsRead: 17, unchanged: 17, rejected: 0, rejectsPath: null });
    expect(existsSync(`${path}.rejects.ndjson`)).toBe(false);
  });
});

describe("CSV", () => {
  it("imports post_metrics records under a header in any column order; quoted cells, CRLF and refusals as for NDJSON", async () => {
    await run(file("catalogue.ndjson", catalogue()));
    const path = join(dir, `${n}-metrics.csv`);
    writeFileSync(
      path,
      [
        "capturedAt,platform,externalId,likes,comments,views",
        '2026-10-04T00:00:00Z,TIKTOK,"tt_1",5000,100,',
        "2026-10-05T00:00:00Z,TIKTOK,tt_1,5500,110,90000",
        "2026-10-05T00:00:00Z,TIKTOK,tt_1,lots,110,90000",
        "2026-10-05T00:00:00Z,TIKTOK,tt_2,5500,110,90000",
        "2026-10-06T00:00:00Z,TIKTOK,tt_1,5600",
        "",
      ].join("\r\n"),
    );
    const summary = await run(path);
    expect(summary).toMatchObject({ format: "csv", rowsRead: 5, inserted: 2, rejected: 3 });
    expect(rejectsOf(summary)).toEqual([
      { line: 4, type: "post_metrics", field: "likes", reason: 'likes must be a number (got "lots")', raw: "2026-10-05T00:00:00Z,TIKTOK,tt_1,lots,110,90000" },
      { line: 5, type: "post_metrics", field: "externalId", reason: 'no TIKTOK post with externalId "tt_2" (import its post row first)', raw: "2026-10-05T00:00:00Z,TIKTOK,tt_2,5500,110,90000" },
      { line: 6, type: "post_metrics", field: "", reason: "the record has 4 cells but the header names 6 columns", raw: "2026-10-06T00:00:00Z,TIKTOK,tt_1,5600" },
    ]);
    expect(rows("SELECT captured_at, likes, views FROM post_metric_snapshots WHERE captured_at >= ? ORDER BY captured_at", Date.UTC(2026, 9, 4))).toEqual([
      { captured_at: Date.UTC(2026, 9, 4), likes: 5_000, views: 0 },
      { captured_at: Date.UTC(2026, 9, 5), likes: 5_500, views: 90_000 },
    ]);
    const again = await run(path);
    expect(again).toMatchObject({ inserted: 0, unchanged: 2, rejected: 3 });
  });

  it("refuses a header it does not know before writing anything, and only post_metrics go in CSV", async () => {
    const path = join(dir, `${n}-bad.csv`);
    writeFileSync(path, "type,ref,name\ninfluencer,ana,Ana\n");
    const failure = await run(path).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportError);
    expect((failure as ImportError).message).toMatch(/the CSV header has unknown columns "type", "ref", "name".*CSV carries post_metrics only: use NDJSON/);
    expect((failure as ImportError).committedRows).toBe(0);
    expect(count(db, "influencers")).toBe(1);
  });

  it("takes the format from the option over the file name", async () => {
    const path = file("metrics.txt", ["platform,externalId,capturedAt,likes,comments", "X,x1,2026-10-04T00:00:00Z,1,1"]);
    const summary = await run(path, { format: "csv" });
    expect(summary).toMatchObject({ format: "csv", rowsRead: 1, rejected: 1 });
    expect(rejectsOf(summary)[0]!.reason).toBe('no X post with externalId "x1" (import its post row first)');
  });
});

describe("what the importer refuses to start with", () => {
  it("a missing file, or a batch size out of range", async () => {
    await expect(run(join(dir, "missing.ndjson"))).rejects.toThrow(/cannot read .*missing\.ndjson: no such file/);
    await expect(run(file("x.ndjson", catalogue()), { batchSize: 0 })).rejects.toThrow(/the batch size must be a whole number from 1 to/);
  });
});

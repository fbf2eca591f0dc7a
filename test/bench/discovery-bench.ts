/**
 * `npm run bench:discovery` (part of `npm run bench`): discovery at a million accounts. Seeds the benchmark database once (BENCH_DATABASE_PATH,
 * default ./data/bench.db; BENCH_INFLUENCERS, default 570,000 ≈ 1,000,000 accounts), then reports p50/p95 of the
 * reference briefs, two baselines measured in the same run (an SQL `ORDER BY <weighted expression> LIMIT 50` over
 * the same data, and a plain typed-array scan of the factor values: the floor) with the ratios, and the latency of
 * cheap queries served beside a stream of discovery queries.
 *
 * Resumable: a database whose seed did not finish (no feature refresh recorded) is deleted and seeded again.
 */
import "reflect-metadata";

import { existsSync } from "node:fs";
import { resolve } from "node:path";

import { startApp } from "../../server/app.js";
import { loadConfig } from "../../server/config.js";
import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import type { Actor } from "../../server/access/actor.js";
import { DiscoveryIndex, latestRefresh } from "../../server/discovery/discovery-index.js";
import { DiscoveryService } from "../../server/discovery/discovery.service.js";
import { DiscoveryBrief } from "../../server/discovery/discovery.types.js";
import { PRESET_WEIGHTS } from "../../server/discovery/factors.js";
import { TopK } from "../../server/discovery/ranking.js";
import { runCli } from "../../seeds/cli.js";
import { demoApiKey } from "../../seeds/campaigns.js";

const path = resolve(process.env.BENCH_DATABASE_PATH ?? "./data/bench.db");
const influencers = Number(process.env.BENCH_INFLUENCERS ?? 570_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const WARMUP = 5;

function log(line: string) {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(run: (i: number) => unknown, runs = RUNS, warmup = WARMUP): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await run(runs + i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

function ensureDatabase(): void {
  if (existsSync(path)) {
    const db = openDatabase({ path });
    const done = (db.$client.prepare("SELECT count(*) FROM feature_refreshes").pluck().get() as number) > 0;
    closeDatabase(db);
    if (done) return;
    log(`${path} holds an unfinished seed: seeding again.`);
  }
  log(`Seeding ${influencers.toLocaleString("en")} influencers into ${path} (a few minutes; once).`);
  runCli(["--influencers", String(influencers), "--database", path, "--force"]);
}

const brief = (fields: Partial<DiscoveryBrief>): DiscoveryBrief => Object.assign(new DiscoveryBrief(), { objective: "AWARENESS", verifiedOnly: false }, fields);

/** Words of the keyword index in a band of document frequencies, most frequent first (fts5vocab). */
function wordsMatching(db: Db, minDocs: number, maxDocs: number, count: number): { term: string; docs: number }[] {
  db.$client.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, account_search, row)");
  return (
    db.$client
      .prepare("SELECT term, doc FROM temp.bench_vocab WHERE doc BETWEEN ? AND ? AND length(term) >= 4 ORDER BY doc DESC, term")
      .raw()
      .all(minDocs, maxDocs) as [string, number][]
  )
    .filter(([term]) => /^[a-z]+$/.test(term))
    .slice(0, count)
    .map(([term, docs]) => ({ term, docs }));
}

async function main() {
  ensureDatabase();
  const db: Db = openDatabase({ path });
  const accounts = db.$client.prepare("SELECT count(*) FROM social_accounts").pluck().get() as number;
  const actor: Actor = { organizationId: 1, apiKeyId: 1, role: "ANALYST" };
  // The service as the server runs it: the engine in its worker thread, each request a message there and back.
  const discovery = new DiscoveryService(db);
  const status = await discovery.sync();
  log(`\nDatabase: ${path}\nAccounts: ${accounts.toLocaleString("en")}; discovery index built in its worker in ${(status.buildMs / 1000).toFixed(1)} s`);
  let t = performance.now();
  // The same index on this thread, for the floor below.
  const latest = latestRefresh(db);
  const index = new DiscoveryIndex(db, latest.version, latest.asOf);
  log(`(and on the main thread for the floor in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

  // Keyword briefs each run a different word, so no run is answered from the engine's keyword cache: common words
  // match 50,000–200,000 accounts, selective ones 1,000–10,000.
  const runs = RUNS + WARMUP;
  const common = wordsMatching(db, 50_000, 200_000, runs);
  const selective = wordsMatching(db, 1_000, 10_000, runs);
  const references = db.$client
    .prepare("SELECT DISTINCT influencer_id FROM social_accounts WHERE platform = 'INSTAGRAM' ORDER BY id LIMIT ?")
    .pluck()
    .all(runs) as number[];
  const range = (list: { docs: number }[]) => `${Math.min(...list.map((w) => w.docs)).toLocaleString("en")}–${Math.max(...list.map((w) => w.docs)).toLocaleString("en")} matches`;
  log(`Common words: ${common.slice(0, 6).map((w) => w.term).join(", ")}, … (${range(common)}); selective: ${selective.slice(0, 6).map((w) => w.term).join(", ")}, … (${range(selective)})`);
  const find = (fields: Partial<DiscoveryBrief>) => discovery.discover(actor, brief(fields), 50, undefined);
  const countries = ["US", "GB", "DE", "FR", "BR", "IN", "ID", "MX"];
  const briefPlatforms = ["INSTAGRAM", "TIKTOK", "YOUTUBE"] as const;
  const briefs: [string, (i: number) => Promise<{ totalCount: number }>][] = [
    ["broad, no keywords", () => find({})],
    ["country + tier (US, micro)", () => find({ creatorCountries: ["US"], minFollowers: 10_000, maxFollowers: 49_999 })],
    ["keyword, selective (cold)", (i) => find({ keywords: selective[i % selective.length]!.term })],
    ["keyword, common (cold)", (i) => find({ keywords: common[i % common.length]!.term })],
    ["“fitness”, refined (cached)", (i) => find({ keywords: "fitness", platforms: [briefPlatforms[i % 3]!], creatorCountries: [countries[i % countries.length]!] })],
    ["keyword, Chinese (“美食”)", () => find({ keywords: "美食" })],
    ["phrase + platform", () => find({ keywords: '"lifestyle inspiration"', platforms: ["TIKTOK"] })],
    [
      "audience-fit heavy (≥ 30% in US+CA)",
      () =>
        find({
          objective: "CONVERSION",
          audience: [
            { dimension: "COUNTRY", keys: ["US", "CA"], minShare: 0.3, required: true },
            { dimension: "AGE", keys: ["18-24", "25-34"], minShare: 0.5, required: false },
          ],
          weights: { audienceFit: 1 },
        }),
    ],
    [
      "audience-fit, selective (≥ 40% in DE)",
      () =>
        find({
          objective: "CONVERSION",
          audience: [
            { dimension: "COUNTRY", keys: ["DE"], minShare: 0.4, required: true },
            { dimension: "AGE", keys: ["18-24", "25-34"], minShare: 0.5, required: false },
          ],
          weights: { audienceFit: 1 },
        }),
    ],
    ["lookalike (another creator each run)", (i) => discovery.similarInfluencers(references[i % references.length]!, 50, undefined)],
  ];
  log("\nReference briefs (first: 50, through the discovery worker), milliseconds:");
  log("brief                                  p50      p95   matches (last run)");
  const results = new Map<string, { p50: number; p95: number }>();
  for (const [name, run] of briefs) {
    const r = await measure(run);
    results.set(name, r);
    const result = await run(0);
    log(`${name.padEnd(36)} ${r.p50.toFixed(1).padStart(7)}  ${r.p95.toFixed(1).padStart(7)}   ${result.totalCount.toLocaleString("en")}`);
  }

  // The FTS5 floor of a cold keyword: bm25 of every match, best 5,000 (what the keyword search asks SQLite), for the
  // same words as the cold keyword briefs.
  const fts = db.$client.prepare("SELECT rowid, bm25(account_search, 2, 2, 1, 1) AS s FROM account_search WHERE account_search MATCH ? ORDER BY s LIMIT 5000");
  for (const [name, words] of [["selective", selective], ["common", common]] as const) {
    const ftsFloor = await measure((i) => fts.all(words[i % words.length]!.term));
    log(`FTS5 alone, bm25 over a ${name} word's matches (best 5,000): p50 ${ftsFloor.p50.toFixed(1)}  p95 ${ftsFloor.p95.toFixed(1)}`);
  }

  // Baseline 1: SQL doing the same work for the broad brief: the same weighted formula over the same columns,
  // ordered by it, LIMIT 50 (peer medians joined from a temporary table, as the index computes them).
  const w = PRESET_WEIGHTS.AWARENESS;
  db.$client.exec("DROP TABLE IF EXISTS temp.peer_medians; CREATE TEMP TABLE peer_medians (platform TEXT, tier INTEGER, rate REAL, PRIMARY KEY (platform, tier))");
  const insertMedian = db.$client.prepare("INSERT INTO temp.peer_medians VALUES (?, ?, ?)");
  const platforms = ["INSTAGRAM", "TIKTOK", "YOUTUBE", "X", "TWITCH"];
  for (let p = 0; p < platforms.length; p++) for (let tier = 0; tier < 5; tier++) insertMedian.run(platforms[p], tier, index.peerMedian[p * 5 + tier] || null);
  const tierSql = "CASE WHEN a.followers < 10000 THEN 0 WHEN a.followers < 50000 THEN 1 WHEN a.followers < 500000 THEN 2 WHEN a.followers < 1000000 THEN 3 ELSE 4 END";
  const clamp = (x: string) => `max(0.0, min(1.0, ${x}))`;
  const basis = "CASE WHEN a.platform IN ('TIKTOK','YOUTUBE') THEN (a.average_likes + a.average_comments) / nullif(a.average_views, 0) ELSE (a.average_likes + a.average_comments) / nullif(a.followers, 0) END";
  const suspicion = `max(${clamp("(f.largest_follower_jump - 0.05) / 0.25")}, ${clamp("(f.likes_per_view_rise - 1.3) / 0.7")}, ${clamp("f.flag_suspicion")})`;
  const sqlBaseline = db.$client.prepare(`
    SELECT a.id, (1 - 0.8 * ${suspicion}) * (
        ${w.ENGAGEMENT} * coalesce(${clamp(`0.5 + log2((${basis}) / m.rate) / 4`)}, 0)
      + ${w.AUTHENTICITY} * a.audience_credibility * (1 - ${suspicion})
      + ${w.REACH} * ${clamp("(log10(max(a.followers, 1)) - 3) / 4")}
      + ${w.GROWTH} * ${clamp("0.5 + f.follower_growth_30d / 0.2")}
      + ${w.ACTIVITY} * (0.5 * min(1.0, f.posts_last_30d / 12.0) + 0.5 * coalesce(exp(-((${index.asOf.getTime()} - f.last_post_at) / 86400000.0) / 14), 0))
    ) / ${w.ENGAGEMENT + w.AUTHENTICITY + w.REACH + w.GROWTH + w.ACTIVITY} AS score
    FROM social_accounts a
    JOIN account_features f ON f.account_id = a.id
    LEFT JOIN temp.peer_medians m ON m.platform = a.platform AND m.tier = ${tierSql}
    ORDER BY score DESC, a.id LIMIT 50`);
  // Seconds per run: a few runs are enough for its median.
  const sql = await measure(() => sqlBaseline.all(), 5, 1);

  // Baseline 2 (the floor): a plain loop over the precomputed factor arrays with a top-50 heap, no filters.
  const floor = await measure(() => {
    const top = new TopK(50);
    const total = w.ENGAGEMENT + w.AUTHENTICITY + w.REACH + w.GROWTH + w.ACTIVITY;
    for (let i = 0; i < index.size; i++) {
      const s =
        (index.trust[i]! *
          (w.ENGAGEMENT * index.vEngagement[i]! + w.AUTHENTICITY * index.vAuthenticity[i]! + w.REACH * index.vReach[i]! + w.GROWTH * index.vGrowth[i]! + w.ACTIVITY * index.vActivity[i]!)) /
        total;
      top.offer(i, s, index.accountId[i]!);
    }
    return top.sorted();
  });
  const broad = results.get("broad, no keywords")!;
  log("\nBaselines for the broad brief, milliseconds:");
  log(`SQL ORDER BY <weighted expression> LIMIT 50   p50 ${sql.p50.toFixed(1)}  p95 ${sql.p95.toFixed(1)}   → discover is ${(sql.p50 / broad.p50).toFixed(1)}× faster (p50)`);
  log(`typed-array scan (floor)                     p50 ${floor.p50.toFixed(1)}  p95 ${floor.p95.toFixed(1)}   → discover is ${(broad.p50 / floor.p50).toFixed(2)}× the floor (p50)`);
  await discovery.close();
  closeDatabase(db);

  // Cheap queries beside discovery, over HTTP: does a discovery stream stall them?
  const app = await startApp(loadConfig({ NODE_ENV: "production", LOG_LEVEL: "warn", PORT: "0", DATABASE_PATH: path, RATE_LIMIT_REQUESTS_PER_MINUTE: "10000000", RATE_LIMIT_COST_PER_MINUTE: "1000000000" }));
  const key = demoApiKey(42).key;
  const post = (query: string) =>
    fetch(app.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ query }) }).then((r) => r.json());
  const cheap = `{ influencer(id: "${references[0]}") { name } }`;
  const heavy = `{ discover(brief: {}, first: 50) { edges { score node { id } } } }`;
  await post(heavy);
  const timeCheap = async (n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      t = performance.now();
      await post(cheap);
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b);
  };
  const alone = await timeCheap(100);
  let stop = false;
  let heavyCount = 0;
  const stream = (async () => {
    while (!stop) {
      await post(heavy);
      heavyCount++;
    }
  })();
  const beside = await timeCheap(100);
  stop = true;
  await stream;
  await app.close();
  log("\nCheap query (one influencer by id) over HTTP, milliseconds:");
  log(`alone                          p50 ${percentile(alone, 50).toFixed(1)}  p95 ${percentile(alone, 95).toFixed(1)}`);
  log(`beside a discovery stream      p50 ${percentile(beside, 50).toFixed(1)}  p95 ${percentile(beside, 95).toFixed(1)}  (${heavyCount} discovery queries served meanwhile)`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});



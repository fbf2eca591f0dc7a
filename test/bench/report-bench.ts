/**
 * `npm run bench:report`: the campaign report at the size, 500 collaborations over 90 days (two posts per
 * creator, a capture per post and day: 90,000 captures), in a fresh database. Reports p50/p95 of
 * `Campaign.performance` through the service and over HTTP (the whole report: totals, 500 creators, 90 days), next
 * to the same figures computed by SQL straight from the captures (what a report without roll-ups would rescan).
 * The HTTP figures come from the server in its own process, started as `npm start` starts it.
 */
import "reflect-metadata";

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { closeDatabase, openDatabase } from "../../server/db.js";
import { rebuildAllRollups } from "../../server/engagement/rollups.js";
import { CampaignReportService } from "../../server/engagement/report.service.js";
import { createApiKey, createCampaign, createInfluencer, createOrganization } from "../support/factories.js";

const CREATORS = Number(process.env.BENCH_REPORT_CREATORS ?? 500);
const DAYS = 90;
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 40);
const DAY = 86_400_000;
const START = Date.UTC(2026, 7, 1);

const log = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(run: () => unknown): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Starts `server/main.ts` in a child process and resolves with its URL once it says it is ready. */
function startServerProcess(env: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ url, close: () => new Promise<void>((done) => (child.once("exit", () => done()), child.kill("SIGTERM"))) });
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "influencegraph-report-bench-"));
  try {
    const path = join(dir, "report.db");
    const db = openDatabase({ path });
    let t = performance.now();
    const organization = createOrganization(db);
    const key = createApiKey(db, organization.id, "ANALYST");
    const campaign = createCampaign(db, organization.id, { currency: "USD" });
    const client = db.$client;
    const insertCollaboration = client.prepare(
      "INSERT INTO collaborations (campaign_id, influencer_id, status, fee_amount, fee_currency, promo_code) VALUES (?, ?, 'PUBLISHED', ?, 'USD', ?)",
    );
    const insertPost = client.prepare(
      "INSERT INTO posts (account_id, platform, external_id, kind, published_at, caption, hashtags, campaign_id) VALUES (?, ?, ?, 'REEL', ?, '', '[]', ?)",
    );
    const insertCapture = client.prepare(
      "INSERT INTO post_metric_snapshots (post_id, captured_at, likes, comments, shares, saves, views, reach, impressions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const insertConversion = client.prepare(
      "INSERT INTO conversions (collaboration_id, promo_code, occurred_at, orders, revenue_amount, currency) VALUES (?, ?, ?, ?, ?, 'USD')",
    );
    client.transaction(() => {
      for (let c = 0; c < CREATORS; c++) {
        const { influencer, accounts } = createInfluencer(db, { name: `Creator ${c}`, accounts: [{ platform: c % 2 ? "TIKTOK" : "INSTAGRAM", followers: 5_000 + c * 1_000 }] });
        const collaboration = insertCollaboration.run(campaign.id, influencer.id, 50_000 + c * 100, `CODE${c}`).lastInsertRowid as number;
        for (let p = 0; p < 2; p++) {
          const published = START + p * 30 * DAY + (c % 24) * 3_600_000;
          const post = insertPost.run(accounts[0]!.id, accounts[0]!.platform, `bench_${c}_${p}`, published, campaign.id).lastInsertRowid as number;
          for (let d = 0; d < DAYS; d++) {
            const grown = Math.round(1000 * (1 - Math.exp(-(d + 1) / 7)) * (1 + (c % 10) / 10));
            insertCapture.run(post, START + d * DAY + 20 * 3_600_000, grown, Math.round(grown / 10), Math.round(grown / 20), Math.round(grown / 25), grown * 12, grown * 8, grown * 11);
          }
        }
        for (let d = 0; d < DAYS; d += 9) insertConversion.run(collaboration, `CODE${c}`, START + d * DAY + c, 1 + (c % 3), 2_500);
      }
    })();
    const rollupRows = rebuildAllRollups(db);
    log(`Campaign of ${CREATORS} collaborations, ${DAYS} days: ${(CREATORS * 2 * DAYS).toLocaleString("en")} captures, ${rollupRows.toLocaleString("en")} roll-up rows; built in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const service = new CampaignReportService(db);
    const viaService = await measure(() => service.report({ id: campaign.id, currency: "USD" }));
    // The floor without roll-ups: the same counters straight from the captures, each post's daily last capture
    // minus the previous one, summed per creator and per day (two statements, like the report's two).
    const perDay = `WITH last AS (
        SELECT s.post_id, a.influencer_id, s.captured_at / ${DAY} AS day, s.likes, s.comments, s.shares, s.saves, s.views, s.reach, s.impressions,
               row_number() OVER (PARTITION BY s.post_id, s.captured_at / ${DAY} ORDER BY s.captured_at DESC) AS rn
        FROM post_metric_snapshots s JOIN posts p ON p.id = s.post_id JOIN social_accounts a ON a.id = p.account_id
        WHERE p.campaign_id = ?),
      gains AS (
        SELECT influencer_id, day,
               likes - coalesce(lag(likes) OVER w, 0) AS likes, comments - coalesce(lag(comments) OVER w, 0) AS comments,
               shares - coalesce(lag(shares) OVER w, 0) AS shares, saves - coalesce(lag(saves) OVER w, 0) AS saves,
               views - coalesce(lag(views) OVER w, 0) AS views, reach - coalesce(lag(reach) OVER w, 0) AS reach,
               impressions - coalesce(lag(impressions) OVER w, 0) AS impressions
        FROM last WHERE rn = 1 WINDOW w AS (PARTITION BY post_id ORDER BY day))`;
    const byCreator = client.prepare(`${perDay} SELECT influencer_id, sum(likes), sum(comments), sum(shares), sum(saves), sum(views), sum(reach), sum(impressions) FROM gains GROUP BY influencer_id`);
    const byDay = client.prepare(`${perDay} SELECT day, sum(likes), sum(comments), sum(shares), sum(saves), sum(views), sum(reach), sum(impressions) FROM gains GROUP BY day`);
    const rawSql = await measure(() => [byCreator.raw().all(campaign.id), byDay.raw().all(campaign.id)]);

    // The server as `npm start` runs it, in its own process: the client's work (parsing a large response) must not
    // share the server's event loop and heap.
    closeDatabase(db);
    const app = await startServerProcess({
      NODE_ENV: "production",
      PORT: "0",
      DATABASE_PATH: path,
      RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
      RATE_LIMIT_COST_PER_MINUTE: "1000000000",
      MAX_QUERY_COST: "1000000",
    });
    const query = `{ campaign(id: "${campaign.id}") { performance {
      totals { postsPublished likes comments shares saves views reach impressions engagements engagementRateByReach engagementRateByViews spend { amountMinor } costPerEngagementMinor costPerMilleMinor costPerViewMinor earnedMediaValue { amountMinor } orders revenue { amountMinor } returnOnAdSpend }
      creators { collaborationId influencer { name } followers engagementRateByFollowers metrics { likes engagements spend { amountMinor } costPerEngagementMinor revenue { amountMinor } returnOnAdSpend } benchmark { tier benchmarkRate creatorRate ratio } }
      daily { day postsPublished likes comments views reach impressions engagements orders revenue { amountMinor } } } } }`;
    const post = async (text = query) => {
      const response = await fetch(app.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ query: text }) });
      const body = (await response.json()) as { errors?: unknown; data?: { campaign: { performance: { creators: unknown[]; daily: unknown[] } } } };
      if (body.errors || body.data?.campaign.performance.creators.length !== CREATORS) throw new Error(`report failed: ${JSON.stringify(body.errors)}`);
      return body;
    };
    const overHttp = await measure(() => post());
    // Every creator's own daily series too (500 × 90 days): a heavier report than the issue's, for the record.
    const withCreatorDays = query.replace("creators { collaborationId", "creators { daily { day likes comments views engagements orders } collaborationId");
    const perCreatorDays = await measure(() => post(withCreatorDays));
    const sample = await post();
    await app.close();

    log(`\nCampaign report (${CREATORS} creators, ${sample.data!.campaign.performance.daily.length} days), milliseconds:`);
    log(`                                         p50      p95`);
    log(`service (from roll-ups)               ${viaService.p50.toFixed(1).padStart(7)}  ${viaService.p95.toFixed(1).padStart(7)}`);
    log(`GraphQL over HTTP (the whole report)  ${overHttp.p50.toFixed(1).padStart(7)}  ${overHttp.p95.toFixed(1).padStart(7)}   target p95 < 50`);
    log(`  + every creator's daily series       ${perCreatorDays.p50.toFixed(1).padStart(7)}  ${perCreatorDays.p95.toFixed(1).padStart(7)}   (500 × 90 more entries)`);
    log(`SQL from the captures (no roll-ups)   ${rawSql.p50.toFixed(1).padStart(7)}  ${rawSql.p95.toFixed(1).padStart(7)}   → roll-ups are ${(rawSql.p50 / viaService.p50).toFixed(1)}× faster (p50)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`report bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});

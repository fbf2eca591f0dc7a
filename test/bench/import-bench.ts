/**
 * `npm run bench:import`: bulk import of post metrics. In a fresh database with BENCH_IMPORT_POSTS posts (default
 * 100,000), generates (deterministically) an NDJSON file of BENCH_IMPORT_ROWS post_metrics rows (default 5,000,000:
 * one capture of every post per 6 hours, time-major, as a daily scrape export comes), then in the same run
 *   - the floor: a raw better-sqlite3 prepared INSERT of the same rows in one transaction into a fresh copy of the
 *     database (same connection settings), the values computed in memory: no file, no parsing, no validation,
 *     no lookups;
 *   - the importer: `importFile` on the file, as `npm run import` runs it (batches of BENCH_IMPORT_BATCH rows, one
 *     transaction each, validation, post lookups, idempotent upserts with counts, roll-ups).
 * It prints rows/s of both, their ratio (target: the importer at 50 % or more of the floor, and 200,000 rows/s or
 * more), and the median and p95 time per 100,000 rows of each. Both databases are checked to hold the same rows.
 *
 * Files go to BENCH_IMPORT_DIR (default ./data/bench-import; about 1.5 GB at 5 M rows) and are deleted at the end
 * unless BENCH_IMPORT_KEEP=1.
 */
import "reflect-metadata";

import { closeSync, copyFileSync, mkdirSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

import cliProgress from "cli-progress";

import { applyBulkWritePragmas, closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { DEFAULT_BATCH_SIZE, importFile } from "../../server/engagement/import.js";

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 5_000_000);
const POSTS = Number(process.env.BENCH_IMPORT_POSTS ?? 100_000);
const BATCH = Number(process.env.BENCH_IMPORT_BATCH ?? DEFAULT_BATCH_SIZE);
const DIR = resolve(process.env.BENCH_IMPORT_DIR ?? "./data/bench-import");
const KEEP = process.env.BENCH_IMPORT_KEEP === "1";
/** Rows per timing sample (the median / p95 lines). */
const SAMPLE = 100_000;

const BASE = Date.UTC(2026, 5, 1);
const PUBLISHED = BASE - 86_400_000;
const STEP = 6 * 3_600_000;
const PLATFORMS = ["INSTAGRAM", "TIKTOK", "YOUTUBE"] as const;

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** Ten posts per account: post p belongs to account p mod ACCOUNTS and is on that account's platform. */
const ACCOUNTS = Math.max(1, Math.ceil(POSTS / 10));
const accountOf = (p: number) => p % ACCOUNTS;
const platformOf = (account: number) => PLATFORMS[account % PLATFORMS.length]!;
const externalIdOf = (p: number) => `bench_${p}`;

/** Row i: post i mod P at capture i div P; counters grow with the capture, varied per post (integer hash). */
function counters(i: number, out: number[]): void {
  const p = i % POSTS;
  const k = Math.floor(i / POSTS) + 1;
  let h = Math.imul(p ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  const scale = 50 + ((h >>> 0) % 5_000);
  out[0] = scale * k; // likes
  out[1] = Math.floor((scale * k) / 40); // comments
  out[2] = Math.floor((scale * k) / 100); // shares
  out[3] = Math.floor((scale * k) / 60); // saves
  out[4] = scale * k * 12; // views
  out[5] = scale * k * 8; // reach
  out[6] = scale * k * 15; // impressions
}
const capturedAtOf = (i: number) => BASE + (Math.floor(i / POSTS) + 1) * STEP;

function progressBar(label: string, total: number, unit: string) {
  const started = performance.now();
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} |{bar}| {percentage}% | {rate} ${unit}/s | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: "0" });
    return {
      update: (done: number, rows: number) => bar.update(done, { rate: fmt(rows / Math.max((performance.now() - started) / 1000, 1e-3)) }),
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (done: number, rows: number) => {
      const now = performance.now();
      if (now - last < 5_000 && done < total) return;
      last = now;
      process.stderr.write(`${label}: ${Math.floor((100 * done) / total)} %, ${fmt(rows / Math.max((now - started) / 1000, 1e-3))} ${unit}/s\n`);
    },
    stop: () => {},
  };
}

function createPosts(db: Db): void {
  const c = db.$client;
  c.transaction(() => {
    const influencer = c.prepare("INSERT INTO influencers (name, country, language, external_ref) VALUES (?, 'US', 'en', ?)");
    const account = c.prepare("INSERT INTO social_accounts (influencer_id, platform, handle, followers) VALUES (?, ?, ?, 10000)");
    const post = c.prepare("INSERT INTO posts (account_id, platform, external_id, kind, published_at) VALUES (?, ?, ?, 'PHOTO', ?)");
    for (let a = 0; a < ACCOUNTS; a++) {
      const influencerId = Number(influencer.run(`Bench creator ${a}`, `bench-${a}`).lastInsertRowid);
      account.run(influencerId, platformOf(a), `bench_${a}`);
    }
    // Post ids are 1..POSTS in this order: the floor inserts post p as id p + 1.
    for (let p = 0; p < POSTS; p++) post.run(accountOf(p) + 1, platformOf(accountOf(p)), externalIdOf(p), PUBLISHED);
  })();
  c.pragma("wal_checkpoint(TRUNCATE)");
}

function writeFile(path: string): number {
  const fd = openSync(path, "w");
  const bar = progressBar("generating", ROWS, "rows");
  const c: number[] = [0, 0, 0, 0, 0, 0, 0];
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; i < ROWS; i++) {
    counters(i, c);
    const p = i % POSTS;
    lines.push(
      `{"type":"post_metrics","platform":"${platformOf(accountOf(p))}","externalId":"${externalIdOf(p)}","capturedAt":"${new Date(capturedAtOf(i)).toISOString()}",` +
        `"likes":${c[0]},"comments":${c[1]},"shares":${c[2]},"saves":${c[3]},"views":${c[4]},"reach":${c[5]},"impressions":${c[6]}}`,
    );
    if (lines.length === 20_000 || i === ROWS - 1) {
      bytes += writeSync(fd, `${lines.join("\n")}\n`);
      lines.length = 0;
      bar.update(i + 1, i + 1);
    }
  }
  bar.stop();
  closeSync(fd);
  return bytes;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

function stats(msPerSample: number[]) {
  const sorted = [...msPerSample].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** The floor: one prepared single-row INSERT per row, one transaction, values computed in memory. */
function rawInsert(db: Db): { seconds: number; samples: number[] } {
  const c = db.$client;
  const insert = c.prepare(
    "INSERT INTO post_metric_snapshots (post_id, captured_at, likes, comments, shares, saves, views, reach, impressions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const v: number[] = [0, 0, 0, 0, 0, 0, 0];
  const samples: number[] = [];
  const bar = progressBar("raw INSERT", ROWS, "rows");
  const started = performance.now();
  let sampleStart = started;
  c.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      counters(i, v);
      insert.run((i % POSTS) + 1, capturedAtOf(i), v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
      if ((i + 1) % SAMPLE === 0) {
        const now = performance.now();
        samples.push(now - sampleStart);
        sampleStart = now;
        bar.update(i + 1, i + 1);
      }
    }
  })();
  const seconds = (performance.now() - started) / 1000;
  bar.stop();
  return { seconds, samples };
}

function checksum(db: Db): { rows: number; likes: number; views: number } {
  return db.$client.prepare("SELECT count(*) AS rows, sum(likes) AS likes, sum(views) AS views FROM post_metric_snapshots").get() as {
    rows: number;
    likes: number;
    views: number;
  };
}

async function main() {
  mkdirSync(DIR, { recursive: true });
  const importPath = join(DIR, "import.db");
  const rawPath = join(DIR, "raw.db");
  const file = join(DIR, "post-metrics.ndjson");
  for (const path of [importPath, rawPath]) for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });

  log(`Bulk import bench: ${fmt(ROWS)} post_metrics rows over ${fmt(POSTS)} posts, batches of ${fmt(BATCH)} rows (${DIR})`);
  const setup = openDatabase({ path: importPath });
  createPosts(setup);
  closeDatabase(setup);
  copyFileSync(importPath, rawPath);
  const bytes = writeFile(file);
  log(`file: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${(bytes / ROWS).toFixed(0)} bytes per row`);

  // The floor first, on its fresh copy.
  // Both connections as `npm run import` opens its own: the server's pragmas plus the bulk writer's.
  const rawDb = openDatabase({ path: rawPath, countStatements: false });
  applyBulkWritePragmas(rawDb.$client);
  const raw = rawInsert(rawDb);
  const rawSum = checksum(rawDb);
  closeDatabase(rawDb);

  // The importer, on the file.
  const db = openDatabase({ path: importPath, countStatements: false });
  applyBulkWritePragmas(db.$client);
  const bar = progressBar("import", statSync(file).size, "rows");
  const samples: number[] = [];
  let nextSample = SAMPLE;
  let lastAt = performance.now();
  let lastRows = 0;
  const summary = await importFile(db, {
    path: file,
    batchSize: BATCH,
    onProgress: (p) => {
      bar.update(p.bytesRead, p.rowsRead);
      if (p.rowsRead >= nextSample) {
        // Per-100,000-row time, interpolated over the batch that crossed the sample boundary.
        const now = performance.now();
        const perRow = (now - lastAt) / Math.max(p.rowsRead - lastRows, 1);
        while (p.rowsRead >= nextSample) {
          samples.push(perRow * SAMPLE);
          nextSample += SAMPLE;
        }
        lastAt = now;
        lastRows = p.rowsRead;
      }
    },
  });
  bar.stop();
  const importSum = checksum(db);
  closeDatabase(db);

  if (summary.rejected !== 0 || summary.byType.post_metrics.inserted !== ROWS) {
    throw new Error(`the importer refused ${summary.rejected} rows and inserted ${summary.byType.post_metrics.inserted}: the bench file is wrong`);
  }
  if (JSON.stringify(rawSum) !== JSON.stringify(importSum)) {
    throw new Error(`the two databases differ: raw ${JSON.stringify(rawSum)}, import ${JSON.stringify(importSum)}`);
  }

  const rawRate = ROWS / raw.seconds;
  const importRate = ROWS / summary.seconds;
  const r = stats(raw.samples);
  const m = stats(samples);
  const ratio = importRate / rawRate;
  log("");
  log(`                                   rows/s      seconds   ms per 100k rows: p50     p95`);
  log(`raw INSERT, one transaction (floor) ${fmt(rawRate).padStart(10)} ${raw.seconds.toFixed(1).padStart(10)}   ${r.p50.toFixed(0).padStart(20)} ${r.p95.toFixed(0).padStart(7)}`);
  log(`npm run import (NDJSON file)        ${fmt(importRate).padStart(10)} ${summary.seconds.toFixed(1).padStart(10)}   ${m.p50.toFixed(0).padStart(20)} ${m.p95.toFixed(0).padStart(7)}`);
  log("");
  log(`importer / floor: ${(100 * ratio).toFixed(0)} % (target ≥ 50 %): ${ratio >= 0.5 ? "met" : "MISSED"}`);
  log(`importer rate: ${fmt(importRate)} rows/s (target ≥ 200,000): ${importRate >= 200_000 ? "met" : "MISSED"}`);
  log(`same rows in both databases: ${fmt(importSum.rows)} rows, likes ${fmt(importSum.likes)}, views ${fmt(importSum.views)}`);

  if (!KEEP) {
    for (const path of [importPath, rawPath]) for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
    rmSync(file, { force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:import failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

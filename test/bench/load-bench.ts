/**
 * `npm run bench:load` (part of `npm run bench`): the server under concurrent use, on 127.0.0.1 only, with autocannon.
 *
 * On the million-account benchmark database (seeded once by `npm run bench:discovery`; this bench seeds it the same
 * way when it is missing), with the server as `npm start` runs it (its own process, NODE_ENV=production, JSON
 * logs at info to a file):
 *
 * 0. A warm-up of the reads on each server (BENCH_LOAD_WARMUP_SECONDS, 15), not measured.
 * 1. Reads, ours against the floor: discovery briefs, influencer pages with nested data and campaign reports,
 *    50 connections split 12/25/13; the floor is a minimal node:http handler doing the same SQL
 *    (test/bench/load-servers.ts). BENCH_LOAD_ROUNDS (5) rounds of BENCH_LOAD_READ_SECONDS (8) on each, taking
 *    turns, so a machine that slows down for a minute slows both. Our throughput as a share of the floor's
 *    (target ≥ 0.5): the median of the rounds' shares, and the share of the totals.
 * 2. The mixed workload: the same reads plus metric writes (`recordPostMetrics`, 5 captures a call), 50 connections
 *    split 10/20/10/10, BENCH_LOAD_SECONDS (60). Throughput and p50/p95/p99 per operation; every response is
 *    checked, and any error (HTTP or GraphQL) fails the bench. Afterwards, with the server stopped: every
 *    acknowledged capture is in the file.
 * 3. The trivial operation `{ __typename }`: ours, Apollo's stock `startStandaloneServer` on the same schema and
 *    context (after serving the same reads for a while, as ours has), and a bare node:http handler answering the
 *    same bytes; BENCH_LOAD_TRIVIAL_ROUNDS (7) rounds of BENCH_LOAD_TRIVIAL_SECONDS (6) on each, taking turns.
 *    Target: ours ≥ 1.5× stock (median of the rounds' ratios).
 *
 * Also reported: SQL statements per operation (the `x-sql-statement-count` header) and how many documents were
 * parsed and validated against how many requests (Apollo's document cache, read from our /metrics).
 */
import "reflect-metadata";

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import autocannon from "autocannon";

import { closeDatabase, openDatabase } from "../../server/db.js";
import { runCli } from "../../seeds/cli.js";
import { demoApiKey } from "../../seeds/campaigns.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const path = resolve(process.env.BENCH_DATABASE_PATH ?? "./data/bench.db");
const influencerCount = Number(process.env.BENCH_INFLUENCERS ?? 570_000);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const MIXED_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const READ_SECONDS = Number(process.env.BENCH_LOAD_READ_SECONDS ?? 8);
const READ_ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 5);
const TRIVIAL_SECONDS = Number(process.env.BENCH_LOAD_TRIVIAL_SECONDS ?? 6);
const TRIVIAL_ROUNDS = Number(process.env.BENCH_LOAD_TRIVIAL_ROUNDS ?? 7);
const WARMUP_SECONDS = Number(process.env.BENCH_LOAD_WARMUP_SECONDS ?? 15);
const LOG_DIR = resolve(ROOT, "test-artifacts");

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------------- servers

interface Running {
  origin: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts a server process and waits for the line that gives its address. */
function startProcess(args: string[], env: Record<string, string>, ready: RegExp, logFile?: string): Promise<Running> {
  // The server's JSON logs go straight to a file: through a pipe to this process (busy driving the load), the
  // server's synchronous log writes would wait on us whenever the pipe is full.
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", logFile ? openSync(logFile, "w") : "pipe", "pipe"],
  });
  let output = "";
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${args.join(" ")} did not start within 5 minutes:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      done({
        origin: match[1]!,
        child,
        stop: () =>
          new Promise<void>((stopped) => {
            if (child.exitCode !== null) return stopped();
            child.once("exit", () => stopped());
            child.kill("SIGTERM");
          }),
      });
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      fail(new Error(`${args.join(" ")} exited with ${code}:\n${output}`));
    };
    if (!logFile) child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", onExit);
  });
}

const generous = {
  DATABASE_PATH: path,
  RATE_LIMIT_REQUESTS_PER_MINUTE: "10000000",
  RATE_LIMIT_COST_PER_MINUTE: "1000000000",
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: "10000000",
  MAX_QUERY_COST: "1000000",
};

const startOurs = (logFile: string) =>
  startProcess(["server/main.ts"], { ...generous, NODE_ENV: "production", LOG_LEVEL: "info", PORT: "0" }, /ready at (http:\/\/[^\s/]+)/, logFile);
const startOther = (mode: "floor" | "stock") => startProcess(["test/bench/load-servers.ts", mode], generous, /listening (http:\/\/\S+)/);

// ---------------------------------------------------------------------------------------------------- workload

interface Workload {
  key: string;
  influencerIds: number[];
  campaignIds: number[];
  posts: { id: number; platform: string; externalId: string }[];
  briefs: Record<string, unknown>[];
}

function ensureDatabase(): void {
  if (existsSync(path)) {
    const db = openDatabase({ path });
    const done = (db.$client.prepare("SELECT count(*) FROM feature_refreshes").pluck().get() as number) > 0;
    closeDatabase(db);
    if (done) return;
    log(`${path} holds an unfinished seed: seeding again.`);
  }
  log(`Seeding ${influencerCount.toLocaleString("en")} influencers into ${path} (about 10 minutes; once).`);
  runCli(["--influencers", String(influencerCount), "--database", path, "--force"]);
}

function loadWorkload(): Workload & { accounts: number } {
  const db = openDatabase({ path });
  try {
    const sqlite = db.$client;
    const key = demoApiKey(42);
    const org = sqlite.prepare("SELECT organization_id FROM api_keys WHERE key_hash = ?").pluck().get(key.keyHash) as number | undefined;
    if (org === undefined) throw new Error(`${path} has no demo organization (seed 42): delete it and run the bench again to reseed.`);
    const accounts = sqlite.prepare("SELECT count(*) FROM social_accounts").pluck().get() as number;
    // Spread over the whole catalogue, deterministic.
    const influencerIds = sqlite.prepare("SELECT id FROM influencers WHERE id % 283 = 0 ORDER BY id LIMIT 2000").pluck().all() as number[];
    const campaignIds = sqlite
      .prepare("SELECT c.id FROM campaigns c JOIN collaborations co ON co.campaign_id = c.id WHERE c.organization_id = ? GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 8")
      .pluck()
      .all(org) as number[];
    if (campaignIds.length === 0) throw new Error("the demo organization has no campaign with collaborations");
    // Posts the demo organization may write: not those made for another organization's campaign (whose metrics
    // answer it as if the post did not exist).
    const posts = sqlite
      .prepare(
        `SELECT p.id, p.platform, p.external_id AS externalId FROM posts p LEFT JOIN campaigns c ON c.id = p.campaign_id
         WHERE p.id % 769 = 0 AND (c.id IS NULL OR c.organization_id = ?) ORDER BY p.id LIMIT 5000`,
      )
      .all(org) as Workload["posts"];
    const words = ["fitness", "travel", "beauty", "gaming", "food", "fashion", "tech", "parenting"];
    const countries = ["US", "GB", "DE", "FR", "BR", "IN"];
    const briefs: Record<string, unknown>[] = [];
    for (let i = 0; i < 48; i++) {
      const kind = i % 4;
      if (kind === 0) briefs.push({ objective: "AWARENESS" });
      else if (kind === 1) briefs.push({ objective: "ENGAGEMENT", creatorCountries: [countries[i % countries.length]], minFollowers: 10_000, maxFollowers: 49_999 });
      else if (kind === 2) briefs.push({ objective: "ENGAGEMENT", keywords: words[i % words.length], platforms: [["INSTAGRAM", "TIKTOK", "YOUTUBE"][i % 3]] });
      else briefs.push({ objective: "CONVERSION", audience: [{ dimension: "COUNTRY", keys: [countries[i % countries.length]], minShare: 0.3, required: true }] });
    }
    return { key: key.key, influencerIds, campaignIds, posts, briefs, accounts };
  } finally {
    closeDatabase(db);
  }
}

const DISCOVER = `query Discover($brief: DiscoveryBrief!) { discover(brief: $brief, first: 20) { totalCount edges { rank score
  node { id platform handle followers } influencer { id name } explanation { trust matchedKeywords factors { factor contribution } } } } }`;
const INFLUENCER = `query InfluencerPage($id: ID!) { influencer(id: $id) { id name country categories accounts { id platform handle followers
  engagementRate audience(dimension: COUNTRY) { key share } recentPosts(first: 5) { externalId publishedAt latestMetrics { likes comments views } } } } }`;
const REPORT = `query CampaignReport($id: ID!) { campaign(id: $id) { name performance { totals { likes comments views engagements spend { amountMinor }
  costPerEngagementMinor returnOnAdSpend } creators { influencer { name } followers metrics { likes engagements costPerEngagementMinor } } } } }`;
const RECORD = `mutation RecordMetrics($input: RecordPostMetricsInput!) { recordPostMetrics(input: $input) { rows inserted updated unchanged } }`;
const TRIVIAL = `{ __typename }`;

type Target = "ours" | "floor";

interface Operation {
  name: string;
  /** The request body for the i-th request, for our GraphQL server and for the floor. */
  body: (i: number, target: Target) => string;
  /** The floor's path (it has no GraphQL). */
  floorPath?: string;
  /** Checks the data of the i-th request's successful response; returns a problem or null. */
  check: (data: any, i: number) => string | null;
}

/** The write calls: call n captures 5 posts at a time of its own, so every row inserts. */
class Writes {
  readonly start = Date.now() - 12 * 3_600_000;
  /** Calls answered with every row counted. */
  readonly acknowledged = new Set<number>();
  sent = 0;
  constructor(private readonly posts: Workload["posts"]) {}
  rows(n: number) {
    const capturedAt = this.start + n * 7;
    return Array.from({ length: 5 }, (_, k) => ({ post: this.posts[(n * 5 + k) % this.posts.length]!, capturedAt, likes: 1000 + n, comments: 10 + k, views: 20_000 + n }));
  }
}

function operations(w: Workload, writes: Writes): Record<string, Operation> {
  return {
    discover: {
      name: "discovery brief",
      floorPath: "/discover",
      body: (i, target) => {
        const brief = w.briefs[i % w.briefs.length];
        return target === "ours" ? JSON.stringify({ query: DISCOVER, variables: { brief } }) : JSON.stringify({ brief, first: 20 });
      },
      check: (data) => (Array.isArray(data?.discover?.edges) && data.discover.edges.length > 0 ? null : "no discovery results"),
    },
    influencer: {
      name: "influencer page",
      floorPath: "/influencer",
      body: (i, target) => {
        const id = String(w.influencerIds[i % w.influencerIds.length]);
        return target === "ours" ? JSON.stringify({ query: INFLUENCER, variables: { id } }) : JSON.stringify({ id });
      },
      check: (data) => (data?.influencer?.accounts?.length > 0 ? null : "influencer without accounts"),
    },
    report: {
      name: "campaign report",
      floorPath: "/report",
      body: (i, target) => {
        const id = String(w.campaignIds[i % w.campaignIds.length]);
        return target === "ours" ? JSON.stringify({ query: REPORT, variables: { id } }) : JSON.stringify({ id });
      },
      check: (data) => (data?.campaign?.performance?.creators?.length > 0 ? null : "report without creators"),
    },
    write: {
      name: "metric write (5 captures)",
      body: (n) => {
        writes.sent = Math.max(writes.sent, n + 1);
        const rows = writes.rows(n).map(({ post, capturedAt, ...counters }) => ({ platform: post.platform, externalId: post.externalId, capturedAt: new Date(capturedAt).toISOString(), ...counters }));
        return JSON.stringify({ query: RECORD, variables: { input: { rows } } });
      },
      check: (data, n) => {
        const result = data?.recordPostMetrics;
        if (!result || result.rows !== 5 || result.inserted !== 5) return `write not acknowledged as 5 inserts: ${JSON.stringify(result)}`;
        writes.acknowledged.add(n);
        return null;
      },
    },
    trivial: {
      name: "trivial { __typename }",
      floorPath: "/trivial",
      body: () => JSON.stringify({ query: TRIVIAL }),
      check: (data) => (data?.__typename === "Query" ? null : "no __typename"),
    },
  };
}

// ---------------------------------------------------------------------------------------------------- measuring

interface OpResult {
  op: string;
  requests: number;
  seconds: number;
  latencies: number[];
  problems: Map<string, number>;
  statements: number[];
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

function run(op: Operation, opKey: string, target: Target, origin: string, key: string, connections: number, seconds: number): { done: Promise<OpResult>; instance: autocannon.Instance } {
  const result: OpResult = { op: opKey, requests: 0, seconds, latencies: [], problems: new Map(), statements: [] };
  const problem = (text: string) => result.problems.set(text, (result.problems.get(text) ?? 0) + 1);
  let i = 0;
  let finish: (summary: autocannon.Result) => void = () => {};
  let failed: (error: Error) => void = () => {};
  const done = new Promise<OpResult>((resolveDone, reject) => {
    finish = (summary) => {
      if (summary.errors > 0 || summary.timeouts > 0) problem(`${summary.errors} connection errors, ${summary.timeouts} timeouts`);
      result.latencies.sort((a, b) => a - b);
      resolveDone(result);
    };
    failed = reject;
  });
  const instance = autocannon({
    url: origin,
    connections,
    duration: seconds,
    // 127.0.0.1 only: a bench never loads another machine.
    requests: [
      {
        method: "POST",
        path: target === "ours" ? "/graphql" : op.floorPath!,
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        setupRequest: (request: any, context: { i?: number }) => {
          // One request in flight per connection (no pipelining): the connection's context says which it was.
          context.i = i;
          request.body = op.body(i++, target);
          return request;
        },
        onResponse: (status: number, body: string, context: { i?: number }, headers?: Record<string, string>) => {
          if (status !== 200) return problem(`HTTP ${status}: ${body.slice(0, 200)}`);
          let parsed: { data?: unknown; errors?: { extensions?: { code?: string }; message: string }[] };
          try {
            parsed = JSON.parse(body);
          } catch {
            return problem("a response that is not JSON");
          }
          if (parsed.errors?.length) return problem(`${parsed.errors[0]!.extensions?.code ?? "?"}: ${parsed.errors[0]!.message}`);
          const bad = op.check(parsed.data, context.i!);
          if (bad) problem(bad);
          const count = headers?.["x-sql-statement-count"];
          if (count !== undefined) result.statements.push(Number(count));
        },
      },
    ],
  } as autocannon.Options, (error, summary) => (error ? failed(error) : finish(summary)));
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    result.requests++;
    result.latencies.push(responseTime);
  });
  return { done, instance };
}

/** Runs several operations at once (one autocannon instance each), with a progress line every 10 s. */
async function phase(label: string, target: Target, origin: string, key: string, mix: [Operation, string, number][], seconds: number, server = target === "ours" ? "InfluenceGraph" : "the floor"): Promise<OpResult[]> {
  log(`\n${label}: ${mix.map(([, k, c]) => `${k} ×${c}`).join(", ")} connections for ${seconds} s against ${server}…`);
  const runs = mix.map(([op, k, connections]) => run(op, k, target, origin, key, connections, seconds));
  const started = Date.now();
  const results = runs.map((r) => r.done);
  const ticker = setInterval(() => {
    const elapsed = Math.round((Date.now() - started) / 1000);
    log(`  ${elapsed} s / ${seconds} s`);
  }, 10_000);
  try {
    return await Promise.all(results);
  } finally {
    clearInterval(ticker);
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const throughput = (r: OpResult) => r.requests / r.seconds;

function table(results: OpResult[], ops: Record<string, Operation>): string {
  const lines = ["| operation | connections | requests | req/s | p50 ms | p95 ms | p99 ms | SQL statements (median) | errors |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"];
  for (const r of results) {
    const statements = [...r.statements].sort((a, b) => a - b);
    const errors = [...r.problems.values()].reduce((a, b) => a + b, 0);
    lines.push(
      `| ${ops[r.op]!.name} | ${connectionsOf.get(r) ?? ""} | ${r.requests.toLocaleString("en")} | ${fmt(throughput(r))} | ${fmt(percentile(r.latencies, 50))} | ${fmt(percentile(r.latencies, 95))} | ${fmt(percentile(r.latencies, 99))} | ${statements.length ? percentile(statements, 50) : "–"} | ${errors} |`,
    );
  }
  const total = results.reduce((sum, r) => sum + throughput(r), 0);
  lines.push(`| **all** | | ${results.reduce((s, r) => s + r.requests, 0).toLocaleString("en")} | ${fmt(total)} | | | | | |`);
  return lines.join("\n");
}
const connectionsOf = new Map<OpResult, number>();

function problemsOf(results: OpResult[]): string[] {
  return results.flatMap((r) => [...r.problems].map(([text, n]) => `${r.op}: ${n} × ${text}`));
}

async function scrapeDocuments(origin: string): Promise<{ parses: number; validations: number; requests: number }> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
  return {
    parses: sum(/^influencegraph_graphql_documents_total\{stage="parse"\} (\S+)$/gm),
    validations: sum(/^influencegraph_graphql_documents_total\{stage="validate"\} (\S+)$/gm),
    requests: sum(/^influencegraph_graphql_operation_duration_seconds_count\{[^}]*\} (\S+)$/gm),
  };
}

// ---------------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  ensureDatabase();
  const w = loadWorkload();
  mkdirSync(LOG_DIR, { recursive: true });
  const writes = new Writes(w.posts);
  const ops = operations(w, writes);
  log(`Database: ${path} (${w.accounts.toLocaleString("en")} accounts); ${CONNECTIONS} connections; reads ${READ_ROUNDS} × ${READ_SECONDS} s, mixed ${MIXED_SECONDS} s, trivial ${TRIVIAL_ROUNDS} × ${TRIVIAL_SECONDS} s on each server`);

  const split = (shares: number[]) => {
    const raw = shares.map((s) => Math.max(1, Math.round((s * CONNECTIONS) / shares.reduce((a, b) => a + b, 0))));
    raw[raw.length - 1]! += CONNECTIONS - raw.reduce((a, b) => a + b, 0);
    return raw;
  };
  const [rd, ri, rr] = split([12, 25, 13]);
  const readMix: [Operation, string, number][] = [
    [ops.discover!, "discover", rd!],
    [ops.influencer!, "influencer", ri!],
    [ops.report!, "report", rr!],
  ];
  const tag = (results: OpResult[], mix: [Operation, string, number][]) => results.forEach((r, i) => connectionsOf.set(r, mix[i]![2]));

  const ourLog = resolve(LOG_DIR, "load-server.log");
  log(`Starting InfluenceGraph (npm start's code, NODE_ENV=production, logs in ${ourLog}); the discovery index builds first…`);
  const ours = await startOurs(ourLog);
  const running: Running[] = [ours];
  const trivialMix: [Operation, string, number][] = [[ops.trivial!, "trivial", CONNECTIONS]];
  let mixed: OpResult[];
  const oursReadRounds: OpResult[][] = [];
  const floorReadRounds: OpResult[][] = [];
  const trivialRounds: { ours: OpResult; stock: OpResult; bare: OpResult }[] = [];
  let documents = { parses: 0, validations: 0, requests: 0 };
  try {
    log("Starting the floor (node:http, same SQL) and stock Apollo Server (startStandaloneServer, same schema and context)…");
    const floor = await startOther("floor");
    running.push(floor);
    const stock = await startOther("stock");
    running.push(stock);
    // Fresh processes on a cold file: the first seconds measure the OS page cache and the JIT, not the servers.
    await phase("Warm-up (not measured)", "ours", ours.origin, w.key, readMix, WARMUP_SECONDS);
    await phase("Warm-up (not measured)", "floor", floor.origin, w.key, readMix, WARMUP_SECONDS);
    const documentsBefore = await scrapeDocuments(ours.origin);

    for (let round = 1; round <= READ_ROUNDS; round++) {
      const oursRound = await phase(`Reads, round ${round}/${READ_ROUNDS}`, "ours", ours.origin, w.key, readMix, READ_SECONDS);
      const floorRound = await phase(`Reads, round ${round}/${READ_ROUNDS}`, "floor", floor.origin, w.key, readMix, READ_SECONDS);
      oursReadRounds.push(oursRound);
      floorReadRounds.push(floorRound);
    }

    const [md, mi, mr, mw] = split([10, 20, 10, 10]);
    const mixedMix: [Operation, string, number][] = [
      [ops.discover!, "discover", md!],
      [ops.influencer!, "influencer", mi!],
      [ops.report!, "report", mr!],
      [ops.write!, "write", mw!],
    ];
    mixed = await phase("Mixed workload", "ours", ours.origin, w.key, mixedMix, MIXED_SECONDS);
    tag(mixed, mixedMix);

    // Stock Apollo serves the same reads first, as ours did: a process that has only ever answered { __typename } runs
    // it on code the JIT specialised for it alone, which ours, having served everything, no longer has.
    await phase("Warm-up (not measured)", "ours", stock.origin, w.key, readMix, WARMUP_SECONDS + READ_SECONDS, "stock Apollo");
    await phase("Warm-up (not measured)", "ours", stock.origin, w.key, trivialMix, TRIVIAL_SECONDS, "stock Apollo");
    for (let round = 1; round <= TRIVIAL_ROUNDS; round++) {
      const label = `Trivial operation, round ${round}/${TRIVIAL_ROUNDS}`;
      const [oursRound] = await phase(label, "ours", ours.origin, w.key, trivialMix, TRIVIAL_SECONDS);
      const [stockRound] = await phase(label, "ours", stock.origin, w.key, trivialMix, TRIVIAL_SECONDS, "stock Apollo");
      const [bareRound] = await phase(label, "floor", floor.origin, w.key, trivialMix, TRIVIAL_SECONDS, "the bare node:http handler");
      trivialRounds.push({ ours: oursRound!, stock: stockRound!, bare: bareRound! });
    }
    const documentsAfter = await scrapeDocuments(ours.origin);
    documents = {
      parses: documentsAfter.parses - documentsBefore.parses,
      validations: documentsAfter.validations - documentsBefore.validations,
      requests: documentsAfter.requests - documentsBefore.requests,
    };
  } finally {
    await Promise.all(running.map((server) => server.stop()));
  }
  const written = verifyWrites(writes);

  // ------------------------------------------------------------------------------------------------ report
  const sumThroughput = (results: OpResult[]) => results.reduce((s, r) => s + throughput(r), 0);
  const oursReads = mergeRounds(oursReadRounds);
  const floorReads = mergeRounds(floorReadRounds);
  tag(oursReads, readMix);
  tag(floorReads, readMix);
  const roundShares = oursReadRounds.map((r, i) => sumThroughput(r) / sumThroughput(floorReadRounds[i]!));
  const readRatio = median(roundShares);
  const perOpRatio = oursReads.map((r, i) => `${ops[r.op]!.name} ${fmt(throughput(r) / throughput(floorReads[i]!), 2)}`);
  const trivial = {
    ours: mergeRounds(trivialRounds.map((r) => [r.ours]))[0]!,
    stock: mergeRounds(trivialRounds.map((r) => [r.stock]))[0]!,
    bare: mergeRounds(trivialRounds.map((r) => [r.bare]))[0]!,
  };
  const stockRatios = trivialRounds.map((r) => throughput(r.ours) / throughput(r.stock));
  const stockRatio = median(stockRatios);
  const problems = problemsOf([...oursReads, ...mixed, ...floorReads, trivial.ours, trivial.stock, trivial.bare]);

  const out = [
    `\n## Load: ${w.accounts.toLocaleString("en")} accounts, ${CONNECTIONS} connections, 127.0.0.1`,
    `\n### Mixed workload, ${MIXED_SECONDS} s (InfluenceGraph)\n`,
    table(mixed, ops),
    `\nWrites: ${writes.acknowledged.size.toLocaleString("en")} calls acknowledged (${(writes.acknowledged.size * 5).toLocaleString("en")} captures); read back from the file after the server stopped: ${written.acknowledgedPresent.toLocaleString("en")} complete${written.missing ? `, **${written.missing} MISSING OR PARTIAL**` : " (every acknowledged write is there)"}. ${written.inFlight} calls were in flight when the run ended: ${written.inFlightComplete} complete, ${written.inFlight - written.inFlightComplete - written.partial} absent, ${written.partial} half-written.`,
    `\n### Reads, ${READ_ROUNDS} rounds of ${READ_SECONDS} s on each, taking turns: InfluenceGraph against the floor (node:http, same SQL)\n`,
    "InfluenceGraph:\n",
    table(oursReads, ops),
    "\nFloor:\n",
    table(floorReads, ops),
    `\nThroughput share of the floor: **${fmt(readRatio, 2)}** (median of the rounds: ${roundShares.map((x) => fmt(x, 2)).join(", ")}; target ≥ 0.5); of the totals ${fmt(sumThroughput(oursReads) / sumThroughput(floorReads), 2)}; per operation: ${perOpRatio.join(", ")}.`,
    `\n### Trivial operation { __typename }, ${TRIVIAL_ROUNDS} rounds of ${TRIVIAL_SECONDS} s on each, taking turns\n`,
    `| server | req/s (all rounds) | median round req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|`,
    ...(
      [
        ["bare node:http handler", trivial.bare, trivialRounds.map((r) => r.bare)],
        ["InfluenceGraph", trivial.ours, trivialRounds.map((r) => r.ours)],
        ["stock Apollo startStandaloneServer", trivial.stock, trivialRounds.map((r) => r.stock)],
      ] as const
    ).map(([name, r, rounds]) => `| ${name} | ${fmt(throughput(r))} | ${fmt(median(rounds.map(throughput)))} | ${fmt(percentile(r.latencies, 50))} | ${fmt(percentile(r.latencies, 99))} |`),
    `\nInfluenceGraph / stock Apollo: **${fmt(stockRatio, 2)}×** (median of the rounds: ${stockRatios.map((x) => fmt(x, 2)).join(", ")}; target ≥ 1.5); of the totals ${fmt(throughput(trivial.ours) / throughput(trivial.stock), 2)}; InfluenceGraph / bare node:http: ${fmt(throughput(trivial.ours) / throughput(trivial.bare), 2)}; stock / bare: ${fmt(throughput(trivial.stock) / throughput(trivial.bare), 2)}.`,
    `\nDocument cache: ${documents.requests.toLocaleString("en")} GraphQL requests, ${documents.parses} documents parsed and ${documents.validations} validated (the rest came from the cache of parsed, validated documents).`,
    problems.length ? `\nERRORS:\n${problems.map((p) => `  ${p}`).join("\n")}` : "\nErrors: none (every response was HTTP 200 with data and no GraphQL error).",
  ];
  process.stdout.write(`${out.join("\n")}\n`);
  if (problems.length || written.missing || written.partial) process.exitCode = 1;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** One result per operation from several rounds of the same mix: requests, time, latencies and problems pooled. */
function mergeRounds(rounds: OpResult[][]): OpResult[] {
  return rounds[0]!.map((first, i) => {
    const all = rounds.map((round) => round[i]!);
    const problems = new Map<string, number>();
    for (const r of all) for (const [text, n] of r.problems) problems.set(text, (problems.get(text) ?? 0) + n);
    return {
      op: first.op,
      requests: all.reduce((s, r) => s + r.requests, 0),
      seconds: all.reduce((s, r) => s + r.seconds, 0),
      latencies: all.flatMap((r) => r.latencies).sort((a, b) => a - b),
      problems,
      statements: all.flatMap((r) => r.statements),
    };
  });
}

/** Reads every write call back: acknowledged ones must have all 5 rows, the rest all or none. */
function verifyWrites(writes: Writes) {
  const db = openDatabase({ path });
  try {
    const find = db.$client.prepare("SELECT count(*) FROM post_metric_snapshots WHERE post_id = ? AND captured_at = ?").pluck();
    const result = { acknowledgedPresent: 0, missing: 0, inFlight: 0, inFlightComplete: 0, partial: 0 };
    for (let n = 0; n < writes.sent; n++) {
      const present = writes.rows(n).filter((row) => (find.get(row.post.id, row.capturedAt) as number) > 0).length;
      if (writes.acknowledged.has(n)) {
        if (present === 5) result.acknowledgedPresent++;
        else result.missing++;
      } else {
        result.inFlight++;
        if (present === 5) result.inFlightComplete++;
        else if (present > 0) result.partial++;
      }
    }
    return result;
  } finally {
    closeDatabase(db);
  }
}

main().catch((error: unknown) => {
  log(`bench:load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

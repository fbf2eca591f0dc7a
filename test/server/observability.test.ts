/**
 * What an operator sees: one JSON log line per request (request id, operation, status, duration, SQL statements,
 * error codes, never the API key), the probes, and the Prometheus metrics, all read from the real server over HTTP.
 */
import { spawnSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Writable } from "node:stream";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Metrics } from "../../server/ops/metrics.js";
import { createInfluencer, createTenant } from "../support/factories.js";
import { sqlStatements, startTestServer, type TestServer } from "../support/server.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** A pino destination that keeps every line, parsed. */
class LogCapture extends Writable {
  readonly lines: Record<string, any>[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.lines.push(JSON.parse(line));
    done();
  }
  requests(reqId: string) {
    return this.lines.filter((line) => line.reqId === reqId);
  }
}

/** One sample of an exposition: `name{labels} value`, labels given as a subset to match. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe("observability", () => {
  const logs = new LogCapture();
  let server: TestServer;
  let key: string;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer(
      { LOG_LEVEL: "info", DATABASE_BUSY_TIMEOUT_MS: "100" },
      (db) => {
        key = createTenant(db).key;
        for (let i = 0; i < 3; i++) createInfluencer(db, { name: `Creator ${i}`, accounts: [{ handle: `creator_${i}` }] });
      },
      { logDestination: logs },
    );
    origin = server.app.origin;
  });
  afterAll(() => server.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(server.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers }, body: JSON.stringify(body) });
  const scrape = async () => (await fetch(`${origin}/metrics`)).text();

  it("logs one JSON line per GraphQL request with its id, operation, status, duration and SQL statement count", async () => {
    const response = await post({ query: "query TopCreators { influencers(first: 3) { edges { node { name accounts { handle } } } } }" }, { "x-request-id": "req-abc.123" });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-abc.123");
    await response.json();
    const [line, ...more] = logs.requests("req-abc.123");
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: "info", msg: "graphql request", service: "influencegraph", method: "POST", path: "/graphql", status: 200, operation: "TopCreators", operationType: "query" });
    expect(line!.durationMs).toBeGreaterThan(0);
    expect(line!.sqlStatements).toBe(Number(response.headers.get("x-sql-statement-count")));
    expect(line!.sqlStatements).toBeGreaterThan(0);
    expect(line!.organizationId).toEqual(expect.any(Number));
    expect(new Date(line!.time).toISOString()).toBe(line!.time);
    expect(line!.errors).toBeUndefined();
    // The key is never logged, in any line.
    expect(JSON.stringify(logs.lines)).not.toContain(key);
  });

  it("gives every request an id (a fresh UUID when the caller's is missing or not a sane token) and logs its error codes", async () => {
    const bad = await post({ query: "query Broken { influencers(first: -1) { totalCount } }" }, { "x-request-id": "no spaces allowed" });
    const id = bad.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await bad.json();
    expect(logs.requests(id)[0]).toMatchObject({ operation: "Broken", errors: ["BAD_USER_INPUT"] });

    // Refused before any resolver runs (no key): the codes still reach the log.
    const anonymous = await fetch(server.url, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer ig_nope_nope" }, body: JSON.stringify({ query: "{ influencers(first: 1) { totalCount } }" }) });
    await anonymous.json();
    expect(logs.requests(anonymous.headers.get("x-request-id")!)[0]!.errors).toEqual(["UNAUTHENTICATED"]);

    const unparsable = await post({ query: "{ influencers(" });
    expect(unparsable.status).toBe(400);
    await unparsable.json();
    expect(logs.requests(unparsable.headers.get("x-request-id")!)[0]).toMatchObject({ status: 400, operationType: null, errors: ["GRAPHQL_PARSE_FAILED"] });
  });

  it("logs a database refusal at warn, with its code and cause", async () => {
    // Another connection holds the write lock (as a second process would): the write waits DATABASE_BUSY_TIMEOUT_MS.
    const holder = new Database(server.databasePath);
    holder.pragma("busy_timeout = 0");
    holder.exec("BEGIN IMMEDIATE");
    let response: Response;
    try {
      response = await post({
        query: "mutation Busy($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }",
        variables: { input: { name: "Held", objective: "AWARENESS", budget: { amountMinor: 1000, currency: "USD" } } },
      });
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    const body = (await response.json()) as any;
    expect(body.errors[0].extensions.code).toBe("DATABASE_BUSY");
    const lines = logs.requests(response.headers.get("x-request-id")!);
    expect(lines.find((line) => line.level === "warn")).toMatchObject({ msg: "database refused the operation", code: "DATABASE_BUSY", operation: "Busy", cause: expect.stringMatching(/locked|busy/i) });
    expect(lines.find((line) => line.msg === "graphql request")).toMatchObject({ errors: ["DATABASE_BUSY"] });
  });

  it("answers /health and /ready, and /ready names what is wrong with 503", async () => {
    const health = await fetch(`${origin}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    const ready = await fetch(`${origin}/ready`);
    const body = (await ready.json()) as any;
    expect(ready.status).toBe(200);
    expect(body.status).toBe("ready");
    expect(Object.values(body.checks).every((check: any) => check.ok)).toBe(true);
    expect(body.checks.discovery.detail).toMatch(/^\d+ accounts/);

    // A migration the database lacks (as after restoring an old backup into a running server): not ready.
    const sqlite = server.app.db.$client;
    const last = sqlite.prepare("SELECT * FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1").get() as { id: number | null; hash: string; created_at: number };
    sqlite.prepare("DELETE FROM __drizzle_migrations WHERE created_at = ?").run(last.created_at);
    try {
      const notReady = await fetch(`${origin}/ready`);
      expect(notReady.status).toBe(503);
      const problem = (await notReady.json()) as any;
      expect(problem.status).toBe("not ready");
      expect(problem.checks.migrations).toEqual({ ok: false, detail: expect.stringMatching(/^not applied: 0\d{3}_\w+$/) });
      expect(problem.checks.database.ok).toBe(true);
    } finally {
      sqlite.prepare("INSERT INTO __drizzle_migrations (id, hash, created_at) VALUES (?, ?, ?)").run(last.id, last.hash, last.created_at);
    }
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
  });

  it("exposes Prometheus metrics: latency by operation, SQL statements, errors by code, document parses, database size", async () => {
    const before = await scrape();
    const query = `query Counted { influencers(first: 2) { totalCount } }`;
    let statements = 0;
    for (let i = 0; i < 3; i++) {
      const response = await post({ query });
      await response.json();
      statements += Number(response.headers.get("x-sql-statement-count"));
    }
    await (await post({ query: "query Counted { influencers(first: -1) { totalCount } }" })).json();
    const after = await scrape();
    const count = (text: string, name: string, labels: Record<string, string>) => sample(text, name, labels) ?? 0;

    const duration = "influencegraph_graphql_operation_duration_seconds_count";
    expect(count(after, duration, { operation: "Counted", type: "query" }) - count(before, duration, { operation: "Counted", type: "query" })).toBe(4);
    expect(sample(after, "influencegraph_graphql_operation_duration_seconds_bucket", { operation: "Counted", le: "+Inf" })).toBe(count(after, duration, { operation: "Counted" }));
    expect(sample(after, "influencegraph_graphql_sql_statements_sum", { operation: "Counted" })).toBeGreaterThanOrEqual(statements);
    // first: -1 is refused (BAD_USER_INPUT): counted by code.
    expect(count(after, "influencegraph_graphql_errors_total", { code: "BAD_USER_INPUT", operation: "Counted" })).toBe(1);
    // The same document three times: parsed and validated once, then served from Apollo's document cache.
    const parses = (text: string) => count(text, "influencegraph_graphql_documents_total", { stage: "parse" });
    expect(parses(after) - parses(before)).toBe(2); // the first query text and the first: -1 one
    // No write ran since the scrape: the sizes are the files'.
    expect(sample(after, "influencegraph_database_size_bytes", { file: "database" })).toBe(statSync(server.databasePath).size);
    expect(sample(after, "influencegraph_database_size_bytes", { file: "wal" })).toBe(statSync(`${server.databasePath}-wal`).size);
    expect(count(after, "influencegraph_http_requests_total", { route: "/graphql", status: "200" })).toBeGreaterThanOrEqual(3);
    // Standard process metrics come with it.
    expect(sample(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(sample(after, "nodejs_eventloop_lag_p99_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("reports the progress of `npm run import`, which runs in a process of its own", async () => {
    const file = resolve(server.databasePath, "../creators.ndjson");
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ type: "influencer", ref: `metrics_${i}`, name: `Imported ${i}`, country: "DE", language: "de", categories: ["FOOD"] }));
    lines.push(JSON.stringify({ type: "influencer", ref: "", name: "No ref" }));
    writeFileSync(file, `${lines.join("\n")}\n`);
    const run = spawnSync(process.execPath, ["--import", "tsx", "server/engagement/import.cli.ts", file, "--batch-size", "10"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DATABASE_PATH: server.databasePath, NODE_ENV: "test" },
    });
    expect(run.status, run.stderr).toBe(2); // one row refused
    const text = await scrape();
    expect(sample(text, "influencegraph_import_rows", { file, outcome: "read" })).toBe(41);
    expect(sample(text, "influencegraph_import_rows", { file, outcome: "inserted" })).toBe(40);
    expect(sample(text, "influencegraph_import_rows", { file, outcome: "rejected" })).toBe(1);
    expect(sample(text, "influencegraph_import_running", { file })).toBe(0);
    expect(sample(text, "influencegraph_import_runs")).toBe(1);
    const row = server.app.db.$client.prepare("SELECT status, batches, bytes_committed, finished_at FROM import_runs").get() as Record<string, unknown>;
    expect(row).toMatchObject({ status: "FINISHED", batches: 5, finished_at: expect.any(Number) });
  });

  it("keeps /metrics behind METRICS_TOKEN when one is set", async () => {
    const guarded = await startTestServer({ METRICS_TOKEN: "s3cret-token-for-scrapes" });
    try {
      const url = `${guarded.app.origin}/metrics`;
      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect((await fetch(url, { headers: { authorization: "Bearer wrong-token-of-same-len" } })).status).toBe(401);
      const allowed = await fetch(url, { headers: { authorization: "Bearer s3cret-token-for-scrapes" } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await allowed.text()).toContain("influencegraph_graphql_operation_duration_seconds");
    } finally {
      await guarded.close();
    }
  });
});

describe("operation labels", () => {
  it("keep client-chosen operation names bounded in number and shape", () => {
    const metrics = new Metrics({} as never, "/nonexistent");
    expect(metrics.operationLabel(null)).toBe("anonymous");
    expect(metrics.operationLabel("Valid_Name1")).toBe("Valid_Name1");
    expect(metrics.operationLabel('bad"name')).toBe("other");
    expect(metrics.operationLabel("x".repeat(65))).toBe("other");
    const labels = new Set(Array.from({ length: 300 }, (_, i) => metrics.operationLabel(`Op${i}`)));
    expect(labels.size).toBe(200); // Valid_Name1 and 198 others kept, then "other"
    expect(labels.has("other")).toBe(true);
    expect(metrics.operationLabel("Valid_Name1")).toBe("Valid_Name1");
  });
});

/**
 * Prometheus metrics (prom-client), served at `GET /metrics` in the text exposition format. One registry per app,
 * so two apps in one process (the tests) never share counters. Every name starts with `influencegraph_`, beside
 * prom-client's standard process and Node.js metrics (CPU, memory, event-loop lag, GC).
 */
import { statSync } from "node:fs";

import client from "prom-client";

import type { Db } from "../db.js";
import { latestImportRuns } from "../engagement/import-runs.js";
import { RequestCounter, RequestHistogram } from "./request-series.js";

/** Seconds; from a cached lookup (1 ms) to a slow report (10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STATEMENT_BUCKETS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * Operation names come from clients: a label per name would let any client grow the registry without bound. The
 * first MAX_OPERATION_LABELS well-formed names are kept; later ones, and malformed ones, count as "other".
 */
const MAX_OPERATION_LABELS = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export interface OperationSample {
  /** The operation's name, "anonymous" when it has none, "-" when the request never reached an operation. */
  operation: string;
  /** query, mutation or subscription; "-" when unknown (a request that did not parse). */
  type: string;
  seconds: number;
  statements: number;
  /** `extensions.code` of every error in the response. */
  errorCodes: readonly string[];
}

export class Metrics {
  readonly registry = new client.Registry();
  private readonly operations = new Set<string>();
  private readonly duration: RequestHistogram;
  private readonly statements: RequestHistogram;
  private readonly errors: RequestCounter;
  private readonly http: RequestCounter;
  private readonly parses: RequestCounter;
  private readonly paths: RequestCounter;

  constructor(db: Db, databasePath: string) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    this.duration = new RequestHistogram(
      "influencegraph_graphql_operation_duration_seconds",
      "Time from a GraphQL request's arrival to its response, by operation name and type.",
      ["operation", "type"],
      LATENCY_BUCKETS,
      this.registry,
    );
    this.statements = new RequestHistogram(
      "influencegraph_graphql_sql_statements",
      "SQL statements executed per GraphQL request, by operation name.",
      ["operation"],
      STATEMENT_BUCKETS,
      this.registry,
    );
    this.errors = new RequestCounter("influencegraph_graphql_errors_total", "GraphQL errors sent, by extensions.code and operation name.", ["code", "operation"], this.registry);
    this.http = new RequestCounter(
      "influencegraph_http_requests_total",
      "HTTP requests answered, by route (/graphql, /health, /ready, /metrics, other) and status code.",
      ["route", "status"],
      this.registry,
    );
    this.parses = new RequestCounter(
      "influencegraph_graphql_documents_total",
      "GraphQL documents parsed and validated; requests whose document was cached skip both, so the ratio to requests is the cache's miss rate.",
      ["stage"],
      this.registry,
    );
    this.paths = new RequestCounter(
      "influencegraph_graphql_execution_path_total",
      "GraphQL requests by how they were executed: `direct` (cached document, graphql-js, server/executor.ts) or `apollo` (Apollo's pipeline: GET, parse or validation failures, extensions...).",
      ["path"],
      this.registry,
    );
    new client.Gauge({
      name: "influencegraph_database_size_bytes",
      help: "Size of the SQLite database file and of its write-ahead log.",
      labelNames: ["file"],
      registers,
      collect() {
        for (const [file, path] of [["database", databasePath], ["wal", `${databasePath}-wal`]] as const) {
          this.set({ file }, fileSize(path));
        }
      },
    });
    // Read at scrape time from the table the importer writes with every batch (it runs in its own process). The
    // first gauge's collect() sets the others: the registry collects in registration order.
    const importGauges: { running?: client.Gauge<"file">; progressed?: client.Gauge<"file">; runs?: client.Gauge } = {};
    new client.Gauge({
      name: "influencegraph_import_rows",
      help: "Rows of the latest `npm run import` run per file, by outcome (read, inserted, updated, unchanged, rejected); a running import updates them at every committed batch.",
      labelNames: ["file", "outcome"],
      registers,
      collect() {
        this.reset();
        importGauges.running!.reset();
        importGauges.progressed!.reset();
        const { runs, total } = latestImportRuns(db);
        importGauges.runs!.set(total);
        for (const run of runs) {
          for (const [outcome, value] of Object.entries(run.rows)) this.set({ file: run.file, outcome }, value);
          importGauges.running!.set({ file: run.file }, run.running ? 1 : 0);
          importGauges.progressed!.set({ file: run.file }, run.updatedAt.getTime() / 1000);
        }
      },
    });
    importGauges.running = new client.Gauge({
      name: "influencegraph_import_running",
      help: "1 while an import of the file is running (its last committed batch is under a minute old), else 0.",
      labelNames: ["file"],
      registers,
    });
    importGauges.progressed = new client.Gauge({
      name: "influencegraph_import_last_progress_timestamp_seconds",
      help: "When the latest import of the file last committed a batch (Unix time).",
      labelNames: ["file"],
      registers,
    });
    importGauges.runs = new client.Gauge({ name: "influencegraph_import_runs", help: "Import runs recorded in the database.", registers });
  }

  /** The label for an operation name: bounded in number and shape (see MAX_OPERATION_LABELS). */
  operationLabel(name: string | null | undefined): string {
    if (name === null || name === undefined || name === "") return "anonymous";
    if (!OPERATION_NAME.test(name)) return "other";
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return "other";
    this.operations.add(name);
    return name;
  }

  observeOperation({ operation, type, seconds, statements, errorCodes }: OperationSample): void {
    this.duration.observe([operation, type], seconds);
    this.statements.observe([operation], statements);
    for (const code of errorCodes) this.errors.inc([code, operation]);
  }

  observeHttp(route: string, status: number): void {
    this.http.inc([route, String(status)]);
  }

  executedBy(path: "direct" | "apollo"): void {
    this.paths.inc([path]);
  }

  documentParsed(): void {
    this.parses.inc(["parse"]);
  }

  documentValidated(): void {
    this.parses.inc(["validate"]);
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

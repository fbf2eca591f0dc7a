/**
 * A small node:http integration for Apollo Server: reads the body with a size limit, runs the operation inside a
 * per-request statistics scope (SQL statements counted), and writes Apollo's response. Lighter than Express. Beside
 * `/graphql` it serves the probes (`/health`, `/ready`) and Prometheus metrics (`/metrics`), and it logs one line
 * per request and records its metrics once the response is sent.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from "@apollo/server";

import { withQueryStats, type QueryStats } from "./db.js";
import type { DirectAnswer } from "./executor.js";
import type { Readiness } from "./ops/health.js";
import { logRequestLine, type Logger } from "./ops/logger.js";
import type { Metrics } from "./ops/metrics.js";
import { newRequestRecord, type RequestRecord } from "./ops/request-record.js";

export const GRAPHQL_PATH = "/graphql";

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping the body but let it drain, so the 413 reaches the client (destroying the socket would
        // turn it into a connection reset); the response closes the connection.
        req.off("data", collect);
        req.resume();
        reject(new HttpError(413, `The request body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", collect);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  // The body is decoded as UTF-8 (what GraphQL over HTTP requires); another charset would be silently garbled.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/.exec(type)?.[1];
  if (charset && charset !== "utf-8" && charset !== "utf8") {
    throw new HttpError(415, `Unsupported charset "${charset}": send the body as UTF-8.`);
  }
  if (raw.length === 0) return undefined;
  if (type.startsWith("application/json") || type.startsWith("application/graphql-response+json")) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new HttpError(400, "The request body is not valid JSON.");
    }
  }
  return raw;
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...(close && { connection: "close" }),
  });
  res.end(text);
}

export interface HttpOptions<TContext extends object> {
  apollo: ApolloServer<TContext>;
  bodyLimitBytes: number;
  /** How long a client may take to send a whole request (headers and body) before it gets 408. */
  requestTimeoutMs: number;
  context: (req: IncomingMessage, record: RequestRecord) => Promise<TContext> | TContext;
  logger: Logger;
  metrics: Metrics;
  readiness: () => Readiness;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /**
   * Answers the common request without Apollo's pipeline (server/executor.ts), or returns null to leave it to
   * Apollo; `createContext` is called only when it answers.
   */
  direct?: (method: string, headers: IncomingMessage["headers"], body: unknown, createContext: () => Promise<TContext> | TContext) => Promise<DirectAnswer | null>;
}

const ROUTES = new Set([GRAPHQL_PATH, "/health", "/ready", "/metrics"]);

export function createHttpServer<TContext extends object>(options: HttpOptions<TContext>): Server {
  const { apollo, bodyLimitBytes, requestTimeoutMs, context, logger, metrics, readiness } = options;
  const metricsToken = options.metricsToken === null ? null : Buffer.from(`Bearer ${options.metricsToken}`);
  // A client trickling its request (slowloris) would otherwise hold a connection for Node's default 5 minutes.
  // Node checks the timeouts every `connectionsCheckingInterval`, so that must be a fraction of them.
  const timeouts = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 60_000),
    connectionsCheckingInterval: Math.min(5_000, Math.max(250, Math.floor(requestTimeoutMs / 4))),
  };
  const server = createServer(timeouts, (req, res) => {
    const started = performance.now();
    const record = newRequestRecord(req.headers["x-request-id"]);
    const stats: QueryStats = { statements: 0 };
    const url = parseUrl(req.url);
    const path = url.pathname;
    res.setHeader("x-request-id", record.id);
    res.once("close", () => observe(req, res, path, record, stats, (performance.now() - started) / 1000));
    handle(req, res, url, record, stats).catch((error: unknown) => {
      if (error instanceof HttpError) {
        record.errorCodes = ["BAD_REQUEST"];
        sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: "BAD_REQUEST" } }] }, error.status === 413);
        return;
      }
      record.errorCodes = ["INTERNAL_SERVER_ERROR"];
      logger.error({ reqId: record.id, err: error }, "request failed outside GraphQL");
      if (!res.headersSent) {
        sendJson(res, 500, { errors: [{ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      } else {
        res.destroy();
      }
    });
  });
  return server;

  /** After the response went out (or the connection dropped): its log line and metrics. */
  function observe(req: IncomingMessage, res: ServerResponse, path: string, record: RequestRecord, stats: QueryStats, seconds: number): void {
    const route = ROUTES.has(path) ? path : "other";
    const status = res.writableFinished ? res.statusCode : 499; // 499: the client went away first (nginx's code)
    metrics.observeHttp(route, status);
    const durationMs = Math.round(seconds * 100_000) / 100;
    if (route !== GRAPHQL_PATH) {
      const line = { reqId: record.id, method: req.method, path, status, durationMs, remoteAddress: req.socket.remoteAddress };
      // Probes and scrapes come every few seconds: logged at debug so they do not drown the requests.
      if (route === "other") logger.info(line, "http request");
      else logger.debug(line, "http request");
      return;
    }
    const operation = record.operationType === null ? "-" : metrics.operationLabel(record.operationName);
    metrics.observeOperation({ operation, type: record.operationType ?? "-", seconds, statements: stats.statements, errorCodes: record.errorCodes });
    // One literal with every key, always in this order: objects of one shape (a spread of another object, or keys
    // added conditionally, made V8 build new hidden classes on every request).
    logRequestLine(
      logger,
      {
        reqId: record.id,
        method: req.method,
        path,
        status,
        durationMs,
        remoteAddress: req.socket.remoteAddress,
        operation: record.operationName,
        operationType: record.operationType,
        sqlStatements: stats.statements,
        organizationId: record.organizationId ?? undefined,
        errors: record.errorCodes.length > 0 ? record.errorCodes : undefined,
      },
      "graphql request",
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: { pathname: string; search: string }, record: RequestRecord, stats: QueryStats): Promise<void> {
    const path = url.pathname;
    const isRead = req.method === "GET" || req.method === "HEAD";
    if (path === "/health" && isRead) {
      sendJson(res, 200, { status: "ok" });
      return;
    }
    if (path === "/ready" && isRead) {
      const { ready, checks } = readiness();
      sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks });
      return;
    }
    if (path === "/metrics" && isRead) {
      const given = Buffer.from(req.headers.authorization ?? "");
      if (metricsToken && !(given.length === metricsToken.length && timingSafeEqual(given, metricsToken))) {
        res.setHeader("www-authenticate", "Bearer");
        sendJson(res, 401, { errors: [{ message: "GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`.", extensions: { code: "UNAUTHENTICATED" } }] });
        return;
      }
      const text = await metrics.exposition();
      res.writeHead(200, { "content-type": metrics.contentType, "content-length": Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (path !== GRAPHQL_PATH) {
      sendJson(res, 404, { errors: [{ message: `Not found: the API is at ${GRAPHQL_PATH}.`, extensions: { code: "NOT_FOUND" } }] });
      return;
    }
    const raw = req.method === "POST" ? await readBody(req, bodyLimitBytes) : "";
    const method = (req.method ?? "GET").toUpperCase();
    const body = parseBody(req, raw);
    const direct = options.direct && (await withQueryStats(stats, () => options.direct!(method, req.headers, body, () => context(req, record))));
    metrics.executedBy(direct ? "direct" : "apollo");
    if (direct) {
      for (const [name, value] of direct.headers) res.setHeader(name, value);
      res.statusCode = direct.status;
      sendComplete(res, record, stats, direct.body);
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method, headers, search: url.search, body };
    const response = await withQueryStats(stats, () =>
      apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context(req, record) }),
    );
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      sendComplete(res, record, stats, response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}


function sendComplete(res: ServerResponse, record: RequestRecord, stats: QueryStats, body: string): void {
  // Refused before the operation ran (the context refused the key or the rate, the request was malformed): the
  // plugin saw nothing, so the codes come from the body.
  if (record.errorCodes.length === 0 && res.statusCode >= 400) record.errorCodes = errorCodesOf(body);
  res.setHeader("x-sql-statement-count", String(stats.statements));
  res.end(body);
}

/**
 * The request target's path and query. The common `/path?query` is split as it is (a URL object per request cost
 * more than the rest of the routing); other forms (`http://host/path`, dot segments, percent escapes) go through
 * the URL parser, and one that does not parse (`//`, `http://[::1`) is answered as an unknown path.
 */
function parseUrl(target: string | undefined): { pathname: string; search: string } {
  if (target !== undefined && target.charCodeAt(0) === 47 && target.charCodeAt(1) !== 47 && !target.includes("%") && !target.includes("/.")) {
    const query = target.indexOf("?");
    return query < 0 ? { pathname: target, search: "" } : { pathname: target.slice(0, query), search: target.slice(query) };
  }
  try {
    return new URL(target ?? "/", "http://localhost");
  } catch {
    return new URL("http://localhost/.invalid-request-target");
  }
}

function errorCodesOf(body: string): string[] {
  try {
    const { errors } = JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] };
    return (errors ?? []).map((error) => String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
  } catch {
    return [];
  }
}

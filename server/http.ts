/**
 * A small node:http integration for Apollo Server: reads the body with a size limit, runs the operation inside a
 * per-request statistics scope (SQL statements counted), and writes Apollo's response. Lighter than Express and
 * keeps `/health` beside `/graphql`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from "@apollo/server";

import { withQueryStats, type QueryStats } from "./db.js";

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
  context: (req: IncomingMessage, stats: QueryStats) => Promise<TContext> | TContext;
}

export function createHttpServer<TContext extends object>({ apollo, bodyLimitBytes, requestTimeoutMs, context }: HttpOptions<TContext>): Server {
  // A client trickling its request (slowloris) would otherwise hold a connection for Node's default 5 minutes.
  // Node checks the timeouts every `connectionsCheckingInterval`, so that must be a fraction of them.
  const timeouts = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(requestTimeoutMs, 60_000),
    connectionsCheckingInterval: Math.min(5_000, Math.max(250, Math.floor(requestTimeoutMs / 4))),
  };
  const server = createServer(timeouts, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        sendJson(res, error.status, { errors: [{ message: error.message, extensions: { code: "BAD_REQUEST" } }] }, error.status === 413);
      } else if (!res.headersSent) {
        sendJson(res, 500, { errors: [{ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      } else {
        res.destroy();
      }
    });
  });
  return server;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      sendJson(res, 200, { status: "ok" });
      return;
    }
    if (url.pathname !== GRAPHQL_PATH) {
      sendJson(res, 404, { errors: [{ message: `Not found: the API is at ${GRAPHQL_PATH}.`, extensions: { code: "NOT_FOUND" } }] });
      return;
    }
    const raw = req.method === "POST" ? await readBody(req, bodyLimitBytes) : "";
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      headers,
      search: url.search,
      body: parseBody(req, raw),
    };
    const stats: QueryStats = { statements: 0 };
    const response = await withQueryStats(stats, () =>
      apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context(req, stats) }),
    );
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (response.body.kind === "complete") {
      res.setHeader("x-sql-statement-count", String(stats.statements));
      res.statusCode = response.status ?? 200;
      res.end(response.body.string);
      return;
    }
    res.statusCode = response.status ?? 200;
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

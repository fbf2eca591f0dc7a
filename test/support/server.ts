/**
 * Starts the real application (the code `npm start` runs) on a fresh SQLite file and a free port, and talks to
 * it over HTTP like any client.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startApp, type App, type AppOptions } from "../../server/app.js";
import { loadConfig } from "../../server/config.js";
import { openDatabase, type Db } from "../../server/db.js";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  app: App;
  url: string;
  databasePath: string;
  /** POSTs an operation; `key` is sent as a bearer API key when given. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, key?: string): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * `prepare` runs on the migrated database before the server starts, as `npm start` seeds an empty database: bulk
 * seeding needs the file to itself, and the discovery worker opens it as soon as the server starts.
 */
export async function startTestServer(env: Record<string, string> = {}, prepare?: (db: Db) => void, options: Omit<AppOptions, "db"> = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "influencegraph-test-"));
  const databasePath = join(dir, "test.db");
  // Suites send hundreds of requests with one key: rate limits are tested on their own, with low limits.
  const generous = { RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000", RATE_LIMIT_COST_PER_MINUTE: "100000000", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "1000000" };
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", DATABASE_PATH: databasePath, ...generous, ...env });
  const db = openDatabase({ path: databasePath, busyTimeoutMs: config.busyTimeoutMs });
  prepare?.(db);
  const app = await startApp(config, { ...options, db });
  return {
    app,
    url: app.url,
    databasePath,
    async gql(query, variables, key) {
      const response = await fetch(app.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: GraphQLResponse["errors"] };
      return { status: response.status, headers: response.headers, data: body.data ?? undefined, errors: body.errors };
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Asserts exactly one error and returns it (Twenty's "one error, typed" helper). */
export function singleError(response: GraphQLResponse) {
  if (!response.errors || response.errors.length !== 1) {
    throw new Error(`expected exactly one error, got ${JSON.stringify(response.errors ?? response.data)}`);
  }
  return response.errors[0]!;
}

/** How many SQL statements the server ran for a request (its `x-sql-statement-count` header). */
export function sqlStatements(response: GraphQLResponse): number {
  const header = response.headers.get("x-sql-statement-count");
  if (header === null) throw new Error("the response has no x-sql-statement-count header");
  return Number(header);
}

/**
 * Configuration from the environment, validated once at start. A bad value stops the server with a message that
 * names the variable and what it accepts.
 */
import { z } from "zod";

import type { QueryLimits } from "./access/query-limits.js";
import type { RateLimitConfig } from "./access/rate-limits.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

/** A whole number written in plain decimal digits (no "0x1F", "1e3" or spaces) within [min, max]. */
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const ConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: integer(0, 65535).default(4000),
  DATABASE_PATH: z.string().min(1).default("./data/influencegraph.db"),
  SEED_ON_EMPTY: bool.optional(),
  SEED_INFLUENCERS: integer(1, 2_000_000).default(2000),
  SEED: integer(0, 2 ** 31 - 1).default(42),
  MAX_PAGE_SIZE: integer(1, 1000).default(100),
  BODY_LIMIT_BYTES: integer(1024, 64 * 1024 * 1024).default(1024 * 1024),
  REQUEST_TIMEOUT_MS: integer(1000, 600_000).default(30_000),
  INTROSPECTION: bool.optional(),
  LANDING_PAGE: bool.optional(),
  MAX_QUERY_DEPTH: integer(2, 100).default(12),
  MAX_ALIASES: integer(0, 1000).default(50),
  MAX_QUERY_COST: integer(1, 10_000_000).default(50_000),
  MAX_QUERY_NODES: integer(10, 1_000_000).default(5_000),
  RATE_LIMIT_REQUESTS_PER_MINUTE: integer(1, 10_000_000).default(600),
  RATE_LIMIT_COST_PER_MINUTE: integer(1, 1_000_000_000).default(500_000),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: integer(1, 10_000_000).default(60),
  DISCOVERY_CACHE_MB: integer(0, 1_048_576).default(1024),
  DATABASE_BUSY_TIMEOUT_MS: integer(0, 600_000).default(5000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
});

export interface Config {
  env: "development" | "test" | "production";
  host: string;
  port: number;
  databasePath: string;
  /** Seed demo data into an empty database; on by default except in production. */
  seedOnEmpty: boolean;
  seedInfluencers: number;
  seed: number;
  maxPageSize: number;
  bodyLimitBytes: number;
  /** A request (headers and body) must arrive within this time, or it gets 408. */
  requestTimeoutMs: number;
  /** Schema introspection; on by default except in production. */
  introspection: boolean;
  /** Apollo's landing page (Sandbox) on GET /graphql from a browser; on by default except in production. */
  landingPage: boolean;
  queryLimits: QueryLimits;
  rateLimits: RateLimitConfig;
  /**
   * Page cache of the discovery worker's connection, which reads the keyword documents into it at start (about 600
   * bytes an account): 0 keeps the server's default and reads nothing ahead.
   */
  discoveryCacheMiB: number;
  /**
   * How long a write waits for another connection's write lock (another process, `npm run import`, `npm run keys`)
   * before it fails with the retryable DATABASE_BUSY. better-sqlite3 waits synchronously: the process answers
   * nothing else meanwhile, so keep it short.
   */
  busyTimeoutMs: number;
  /** pino level of the JSON logs on stdout; `info` logs one line per request. Silent by default under test. */
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`; otherwise it is open like `/health`. */
  metricsToken: string | null;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`PORT=`) means "not set", as in most shells' `${PORT:-4000}`.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = ConfigSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    databasePath: c.DATABASE_PATH,
    // The demo organization's key is derived from the (public) seed: never seed a production database unasked.
    seedOnEmpty: c.SEED_ON_EMPTY ?? c.NODE_ENV !== "production",
    seedInfluencers: c.SEED_INFLUENCERS,
    seed: c.SEED,
    maxPageSize: c.MAX_PAGE_SIZE,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    introspection: c.INTROSPECTION ?? c.NODE_ENV !== "production",
    landingPage: c.LANDING_PAGE ?? c.NODE_ENV !== "production",
    queryLimits: { maxDepth: c.MAX_QUERY_DEPTH, maxAliases: c.MAX_ALIASES, maxCost: c.MAX_QUERY_COST, maxNodes: c.MAX_QUERY_NODES },
    rateLimits: {
      requestsPerMinute: c.RATE_LIMIT_REQUESTS_PER_MINUTE,
      costPerMinute: c.RATE_LIMIT_COST_PER_MINUTE,
      anonymousRequestsPerMinute: c.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    },
    discoveryCacheMiB: c.DISCOVERY_CACHE_MB,
    busyTimeoutMs: c.DATABASE_BUSY_TIMEOUT_MS,
    logLevel: c.LOG_LEVEL ?? (c.NODE_ENV === "test" ? "silent" : "info"),
    metricsToken: c.METRICS_TOKEN ?? null,
  };
}

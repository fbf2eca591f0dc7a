/**
 * Configuration from the environment, validated once at start. A bad value stops the server with a message that
 * names the variable and what it accepts.
 */
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const ConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_PATH: z.string().min(1).default("./data/influencegraph.db"),
  SEED_ON_EMPTY: bool.default(true),
  SEED_INFLUENCERS: z.coerce.number().int().min(1).max(2_000_000).default(2000),
  SEED: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(42),
  MAX_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  INTROSPECTION: bool.optional(),
});

export interface Config {
  env: "development" | "test" | "production";
  host: string;
  port: number;
  databasePath: string;
  seedOnEmpty: boolean;
  seedInfluencers: number;
  seed: number;
  maxPageSize: number;
  bodyLimitBytes: number;
  /** Schema introspection; on by default except in production. */
  introspection: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
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
    seedOnEmpty: c.SEED_ON_EMPTY,
    seedInfluencers: c.SEED_INFLUENCERS,
    seed: c.SEED,
    maxPageSize: c.MAX_PAGE_SIZE,
    bodyLimitBytes: c.BODY_LIMIT_BYTES,
    introspection: c.INTROSPECTION ?? c.NODE_ENV !== "production",
  };
}

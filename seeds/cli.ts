/**
 * `npm run seed -- --influencers N [--seed 42] [--database PATH] [--as-of 2026-11-01] [--posts-per-account 6]
 * [--force]`: fills a new database with deterministic demo/benchmark data.
 *
 * Progress goes to stderr, the summary to stdout. Exit code 0 on success, 1 with a one-line message otherwise.
 */
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import cliProgress from "cli-progress";
import { z } from "zod";

import { closeDatabase, openDatabase } from "../server/db.js";
import { DEFAULT_GENERATOR_OPTIONS } from "./generator.js";
import {
  DEFAULT_AS_OF,
  DEFAULT_SEED,
  DatabaseNotEmptyError,
  seedDatabase,
  type SeedPhase,
  type SeedSummary,
} from "./seed.js";

export { DEFAULT_AS_OF, DEFAULT_SEED, DEMO_INFLUENCERS } from "./seed.js";

export const DEFAULT_DATABASE_PATH = "./data/influencegraph.db";

const USAGE =
  "usage: npm run seed -- --influencers N [--seed 42] [--database PATH] [--as-of 2026-11-01] " +
  "[--posts-per-account 6] [--force]";

export const HELP = `Seeds a new InfluenceGraph database with deterministic demo/benchmark data.

${USAGE}

  --influencers N          how many influencers (1 to 50,000,000); each has 1-3 accounts
  --seed S                 the generator's seed (default ${DEFAULT_SEED}); same seed, same database
  --database PATH          the SQLite file (default $DATABASE_PATH or ${DEFAULT_DATABASE_PATH})
  --as-of DATE             the generated data's "now" (default ${DEFAULT_AS_OF.toISOString().slice(0, 10)}, UTC)
  --posts-per-account N    posts per account (default ${DEFAULT_GENERATOR_OPTIONS.postsPerAccount}, 0 to 50)
  --force                  delete an existing database file first
  --help                   show this text

Measured on a 2-core machine: 100,000 influencers in about 40 s, 1,000,000 in about 7 minutes (14 GB).`;

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`);

const ArgsSchema = z.object({
  influencers: integer("--influencers", 1, 50_000_000),
  seed: integer("--seed", 0, 2 ** 32 - 1).default(DEFAULT_SEED),
  database: z.string().min(1, "--database must not be empty").refine((p) => p !== ":memory:", "--database must be a file: an in-memory database would be lost on exit"),
  "as-of": z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, "--as-of must be a date such as 2026-11-01 (UTC)")
    .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s))
    .refine((d) => !Number.isNaN(d.getTime()), "--as-of is not a valid date")
    .optional(),
  "posts-per-account": integer("--posts-per-account", 0, 50).default(DEFAULT_GENERATOR_OPTIONS.postsPerAccount),
  force: z.boolean().default(false),
});

export type CliArgs = z.infer<typeof ArgsSchema>;

class UsageError extends Error {}

/** Parses and validates argv (without node and the script); throws UsageError with a readable message. */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        influencers: { type: "string" },
        seed: { type: "string" },
        database: { type: "string" },
        "as-of": { type: "string" },
        "posts-per-account": { type: "string" },
        force: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; ${USAGE}`);
  }
  if (values.influencers === undefined) throw new UsageError(`--influencers is required; ${USAGE}`);
  const parsed = ArgsSchema.safeParse({ ...values, database: values.database ?? env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/** Deletes the database file and its WAL companions. */
function deleteDatabaseFiles(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
}

export function runCli(argv: readonly string[]): SeedSummary | null {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${HELP}\n`);
    return null;
  }
  const args = parseCliArgs(argv);
  const path = resolve(args.database);
  if (args.force && existsSync(path)) deleteDatabaseFiles(path);

  const db = openDatabase({ path });
  const progress = createProgress(args.influencers);
  let summary: SeedSummary;
  try {
    summary = seedDatabase(db, {
      influencers: args.influencers,
      seed: args.seed,
      asOf: args["as-of"] ?? DEFAULT_AS_OF,
      postsPerAccount: args["posts-per-account"],
      onProgress: progress.update,
      onPhase: progress.phase,
    });
  } catch (error) {
    if (error instanceof DatabaseNotEmptyError) {
      throw new Error(
        `${path} already holds data (${error.table} has ${error.rows.toLocaleString("en")} rows); ` +
          "pass --force to delete it and seed again",
      );
    }
    throw error;
  } finally {
    progress.stop();
    closeDatabase(db);
  }
  printSummary(path, summary);
  return summary;
}

/**
 * Progress on stderr: a cli-progress bar on a terminal (it redraws synchronously inside the seed's callbacks), or,
 * when stderr is redirected, one line every 10 seconds (cli-progress's non-TTY mode redraws from a timer, which
 * never fires while the synchronous seed holds the event loop).
 */
interface Progress {
  update: (done: number) => void;
  phase: (phase: SeedPhase) => void;
  stop: () => void;
}

const PHASE_LABEL: Readonly<Record<SeedPhase, string>> = {
  indexes: "rebuilding indexes",
  campaigns: "writing organizations and campaigns",
  features: "deriving discovery features",
  "roll-ups": "rolling up campaign performance",
  analyze: "analyzing tables",
};

function createProgress(total: number): Progress {
  const started = performance.now();
  const rate = (done: number) => done / Math.max((performance.now() - started) / 1000, 0.001);
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "Seeding |{bar}| {value}/{total} influencers | {rate}/s | ETA {eta_formatted}",
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: "0" });
    return {
      update: (done) => bar.update(done, { rate: Math.round(rate(done)).toLocaleString("en") }),
      phase: (phase) => {
        bar.stop();
        process.stderr.write(`seeding: ${PHASE_LABEL[phase]}…\n`);
      },
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  return {
    update: (done) => {
      const now = performance.now();
      if (now - lastLine < 10_000 && done < total) return;
      lastLine = now;
      const perSecond = rate(done);
      const eta = Math.round((total - done) / Math.max(perSecond, 1e-9));
      process.stderr.write(
        `seeding: ${done.toLocaleString("en")}/${total.toLocaleString("en")} influencers ` +
          `(${Math.floor((100 * done) / total)} %), ${Math.round(perSecond).toLocaleString("en")}/s, ` +
          `ETA ${Math.floor(eta / 60)}m ${eta % 60}s\n`,
      );
    },
    phase: (phase) => process.stderr.write(`seeding: ${PHASE_LABEL[phase]}…\n`),
    stop: () => {},
  };
}

function printSummary(path: string, s: SeedSummary): void {
  const rows: [string, number][] = [
    ["influencers", s.influencers],
    ["influencer_categories", s.influencerCategories],
    ["social_accounts", s.accounts],
    ["audience_shares", s.audienceShares],
    ["posts", s.posts],
    ["post_metric_snapshots", s.postMetricSnapshots],
    ["account_snapshots", s.accountSnapshots],
    ["seed_truth", s.seedTruth],
    ["account_features", s.accountFeatures],
    ["campaign_creator_daily", s.campaignCreatorDaily],
    ["organizations", s.organizations],
    ["api_keys", s.apiKeys],
    ["campaigns", s.campaigns],
    ["collaborations", s.collaborations],
    ["deliverables", s.deliverables],
    ["conversions", s.conversions],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const fmt = (n: number) => n.toLocaleString("en").padStart(14);
  const lines = [
    `Seeded ${path}`,
    ...rows.map(([name, n]) => `  ${name.padEnd(width)} ${fmt(n)}`),
    `  ${"total rows".padEnd(width)} ${fmt(s.rows)}`,
    `  ${"seconds".padEnd(width)} ${s.seconds.toFixed(1).padStart(14)}`,
    `  ${"rows/s".padEnd(width)} ${fmt(s.rowsPerSecond)}`,
    "",
    `Demo API key (organization "demo", role ADMIN): ${s.demoApiKey.key}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function main(): void {
  try {
    runCli(process.argv.slice(2));
    process.exitCode = 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`seed: ${message.split("\n")[0]}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();

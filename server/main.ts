/**
 * `npm start`: validates the configuration, opens and migrates the database, seeds demo data into an empty one,
 * serves the API, prints its URL (and, outside production, the demo API key), and shuts down cleanly on
 * SIGINT/SIGTERM.
 */
import "reflect-metadata";

import { eq } from "drizzle-orm";

import { apiKeys, influencers } from "../schema/tables.js";
import { DEFAULT_AS_OF, demoApiKey, seedDatabase } from "../seeds/seed.js";
import { startApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { assertWritable, describeStartFailure } from "./database-errors.js";
import { openDatabase, type Db } from "./db.js";

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function seedIfEmpty(db: Db, config: Config): void {
  const any = db.select({ id: influencers.id }).from(influencers).limit(1).get();
  if (any || !config.seedOnEmpty) return;
  log(`Empty database: seeding ${config.seedInfluencers.toLocaleString("en")} demo influencers (seed ${config.seed})...`);
  const summary = seedDatabase(db, { influencers: config.seedInfluencers, seed: config.seed, asOf: DEFAULT_AS_OF });
  log(`Seeded in ${summary.seconds.toFixed(1)} s.`);
}

/** The demo organization's key is derived from the seed, so it can be shown again at every start. */
function demoKeyIfPresent(db: Db, config: Config): string | null {
  if (config.env === "production") return null;
  const demo = demoApiKey(config.seed);
  const row = db.select().from(apiKeys).where(eq(apiKeys.keyHash, demo.keyHash)).get();
  return row && !row.revokedAt ? demo.key : null;
}

/** Set once the configuration is read, so a start failure can name the database it was opening. */
let databasePath: string | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  databasePath = config.databasePath;
  const db = openDatabase({ path: config.databasePath, busyTimeoutMs: config.busyTimeoutMs });
  // A file SQLite could only open read-only stops the start here, with a message saying so (describeStartFailure).
  assertWritable(db.$client);
  seedIfEmpty(db, config);
  const app = await startApp(config, { db });
  log(`InfluenceGraph API ready at ${app.url} (database ${config.databasePath}, ${config.env})`);
  const key = demoKeyIfPresent(db, config);
  if (key) {
    log(`Demo API key (organization "demo"): ${key}`);
    log(`Try: curl -s ${app.url} -H 'content-type: application/json' -H 'authorization: Bearer ${key}' \\`);
    log(`       -d '{"query":"{ influencers(first: 3) { edges { node { name accounts { platform handle followers } } } } }"}'`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log(`${signal} received again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal} received: closing connections and the database...`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  // A full disk, a read-only file or folder, a file that cannot be opened: say which file and what to do.
  const storage = databasePath === undefined ? undefined : describeStartFailure(error, databasePath);
  if (error instanceof ConfigError) {
    log(error.message);
  } else if (storage) {
    log(storage);
  } else if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
    log(`Port already in use: set PORT to a free port (e.g. PORT=4001 npm start). ${error.message}`);
  } else {
    log(`InfluenceGraph could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});

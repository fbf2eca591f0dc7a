/**
 * `npm run discovery:refresh`: derives the discovery features (and the keyword index) from the current data of
 * the database the server uses (DATABASE_PATH). Run it after importing data; the server's discovery index picks the
 * new refresh up on its next query. `--as-of 2026-11-01` fixes the reference time of "the last 30 days".
 */
import "reflect-metadata";

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { ConfigError, loadConfig } from "../config.js";
import { closeDatabase, openDatabase } from "../db.js";
import { refreshAccountFeatures, type RefreshPhase } from "./features.js";

const HELP = `Derives the discovery ranking's features from the data in $DATABASE_PATH (default ./data/influencegraph.db).

usage: npm run discovery:refresh -- [--as-of YYYY-MM-DD]

  --as-of DATE   reference time of "the last 30 days" (default: the latest follower capture)
  --help         show this text`;

export function runRefreshCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  let values: { "as-of"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: [...argv], options: { "as-of": { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (error) {
    process.stderr.write(`discovery:refresh: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const asOf = values["as-of"] === undefined ? undefined : new Date(values["as-of"]);
  if (asOf && Number.isNaN(asOf.getTime())) {
    process.stderr.write(`discovery:refresh: --as-of must be a date such as 2026-11-01\n`);
    return 2;
  }
  let path: string;
  try {
    path = loadConfig({ DATABASE_PATH: env.DATABASE_PATH }).databasePath;
  } catch (error) {
    process.stderr.write(`discovery:refresh: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 1;
  }
  const db = openDatabase({ path });
  let last = 0;
  const progress = (phase: RefreshPhase, done: number, total: number) => {
    const now = performance.now();
    if (done < total && now - last < 2_000) return;
    last = now;
    process.stderr.write(`  ${phase}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")}\n`);
  };
  try {
    process.stderr.write(`Refreshing discovery features in ${path}…\n`);
    const summary = refreshAccountFeatures(db, { ...(asOf && { asOf }), onProgress: progress });
    process.stdout.write(
      `Refreshed ${summary.accounts.toLocaleString("en")} accounts (${summary.flags.toLocaleString("en")} engagement flags, ` +
        `${summary.averagesUpdated.toLocaleString("en")} with new engagement averages) as of ` +
        `${summary.asOf.toISOString()} in ${(summary.ms / 1000).toFixed(1)} s.\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`discovery:refresh: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = runRefreshCli(process.argv.slice(2));
}

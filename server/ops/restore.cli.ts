/**
 * `npm run restore -- FILE [--no-keep] [--quick] [--json]`: puts a backup (from `npm run backup`) in place of the
 * database the server uses (DATABASE_PATH, default ./data/influencegraph.db). Stop the server first: the restore
 * refuses while any process has the database open. How it checks and swaps: backup.ts.
 *
 * Progress goes to stderr, the summary to stdout. Exit code 0 when the backup is in place, 1 when the restore was
 * refused or failed (the database was not changed), 2 for a bad command line.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { ConfigError, loadConfig } from "../config.js";
import { OpsError, restoreBackup, type RestoreResult } from "./backup.js";
import {
  createProgress,
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
  firstLine,
  formatBytes,
  reportLines,
  UsageError,
  type OpsCliIo,
} from "./cli-output.js";

const USAGE = "usage: npm run restore -- FILE [--no-keep] [--quick] [--json]";

export const RESTORE_HELP = `Restores a backup as the InfluenceGraph database ($DATABASE_PATH, default ./data/influencegraph.db).

${USAGE}

  FILE        a backup written by \`npm run backup -- FILE\`
  --no-keep   delete the current database instead of keeping it as DATABASE_PATH.before-restore-<UTC time>
  --quick     check the backup with PRAGMA quick_check instead of the full integrity_check
  --json      print the summary as JSON
  --help      show this text

Procedure: stop the server, run the restore, start the server. The restore refuses while any process (the server,
\`npm run import\`, \`npm run keys\`, a sqlite3 shell) has the database open. It copies FILE beside the database,
checks the copy (integrity, an InfluenceGraph database, no migrations newer than this code's: older backups are
fine, the server applies the newer migrations when it starts), keeps the current database as
DATABASE_PATH.before-restore-<UTC time> (unless --no-keep), removes the old database's -wal and -shm files and
renames the copy into place. FILE itself is only read.

Exit code 0 when the backup is in place, 1 when the restore was refused or failed (the database was not changed),
2 for a bad command line.`;

interface RestoreArgs {
  file: string;
  keep: boolean;
  quick: boolean;
  json: boolean;
}

export function parseRestoreArgs(argv: readonly string[]): RestoreArgs | "help" {
  let values: { "no-keep"?: boolean; quick?: boolean; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { "no-keep": { type: "boolean" }, quick: { type: "boolean" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (positionals.length === 0) throw new UsageError("name the backup file to restore");
  if (positionals.length > 1) throw new UsageError(`one backup file at a time (got ${positionals.length}: ${positionals.join(" ")})`);
  if (positionals[0]!.trim() === "") throw new UsageError("the backup file name is empty");
  return { file: positionals[0]!, keep: !values["no-keep"], quick: values.quick ?? false, json: values.json ?? false };
}

/** Runs the restore command; resolves with the exit code. */
export async function runRestoreCli(
  argv: readonly string[],
  io: OpsCliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr },
  signal?: AbortSignal,
): Promise<number> {
  let args: RestoreArgs | "help";
  try {
    args = parseRestoreArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`restore: ${error.message}\n${USAGE}\n(npm run restore -- --help for more)\n`);
    return EXIT_USAGE;
  }
  if (args === "help") {
    io.stdout.write(`${RESTORE_HELP}\n`);
    return EXIT_OK;
  }
  let databasePath: string;
  try {
    databasePath = loadConfig({ DATABASE_PATH: io.env.DATABASE_PATH }).databasePath;
  } catch (error) {
    io.stderr.write(`restore: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
  const backup = resolve(io.env.INIT_CWD ?? process.cwd(), args.file);
  const progress = createProgress(io.stderr, "restore");
  try {
    const result = await restoreBackup({
      backup,
      target: databasePath,
      keepPrevious: args.keep,
      check: args.quick ? "quick" : "integrity",
      signal,
      onProgress: (p) => {
        if (p.phase === "copy") {
          if (p.bytes === 0) progress.phase(`copying ${backup} (${formatBytes(p.totalBytes)}) beside ${resolve(databasePath)}…`);
          else progress.bytes(p.bytes, p.totalBytes);
        } else if (p.phase === "check") {
          progress.phase(`checking the copy (${p.kind === "quick" ? "quick_check" : "integrity_check"}, migrations)…`);
        } else {
          progress.phase("replacing the database…");
        }
      },
    });
    progress.stop();
    for (const warning of result.warnings) io.stderr.write(`restore: warning: ${warning}\n`);
    io.stdout.write(args.json ? `${JSON.stringify(restoreJson(result), null, 2)}\n` : summaryText(result));
    return EXIT_OK;
  } catch (error) {
    progress.stop();
    if (error instanceof OpsError) {
      io.stderr.write(`restore: ${error.message}\n`);
      return signal?.aborted ? EXIT_INTERRUPTED : EXIT_FAILED;
    }
    io.stderr.write(`restore: ${firstLine(error)}\nThe database was not changed; fix the problem and run the restore again.\n`);
    return EXIT_FAILED;
  }
}

export function restoreJson(r: RestoreResult) {
  return {
    backup: r.backup,
    database: r.database,
    previous: r.previous,
    removed: r.removed,
    warnings: r.warnings,
    bytes: r.report.bytes,
    pageSize: r.report.pageSize,
    pages: r.report.pages,
    seconds: Number(r.seconds.toFixed(3)),
    check: r.report.check,
    tables: r.report.tables,
    rows: r.report.rows,
    migrations: r.report.migrations,
  };
}

export function summaryText(r: RestoreResult): string {
  const pending = r.report.migrations?.pending.length ?? 0;
  const lines = [
    `Restored ${r.backup} as ${r.database} in ${r.seconds.toFixed(1)} s`,
    `  previous      ${r.previous ? `kept as ${r.previous}` : "none kept"}`,
    ...(r.removed.length > 0 ? [`  removed       ${r.removed.join(", ")} (the old database's)`] : []),
    ...reportLines(r.report),
    `Start the server: npm start${pending > 0 ? ` (it applies the ${pending} newer migration${pending === 1 ? "" : "s"} first)` : ""}`,
  ];
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write("\n");
    controller.abort();
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  process.exitCode = await runRestoreCli(process.argv.slice(2), undefined, controller.signal);
}

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

import { restoreBackup, type RestoreResult } from "./backup.js";
import { formatBytes, parseFileCommand, reportLines, runAsMain, runFileCommand, type FileCommand, type OpsCliIo } from "./cli-output.js";

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
  const parsed = parseFileCommand(argv, ["no-keep", "quick", "json"], "name the backup file to restore");
  return parsed === "help" ? parsed : { file: parsed.file, keep: !parsed.flags["no-keep"], quick: parsed.flags.quick, json: parsed.flags.json };
}

const RESTORE: FileCommand<RestoreArgs> = {
  name: "restore",
  usage: USAGE,
  help: RESTORE_HELP,
  parse: parseRestoreArgs,
  unchanged: () => "The database was not changed",
  async run(args, { databasePath, file: backup, progress, signal }) {
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
    return { summary: args.json ? `${JSON.stringify(restoreJson(result), null, 2)}\n` : summaryText(result), warnings: result.warnings };
  },
};

/** Runs the restore command (on the process's stdio unless given `io`); resolves with the exit code. */
export function runRestoreCli(argv: readonly string[], io?: OpsCliIo, signal?: AbortSignal): Promise<number> {
  return runFileCommand(RESTORE, argv, io, signal);
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
  await runAsMain((signal) => runRestoreCli(process.argv.slice(2), undefined, signal));
}

/**
 * `npm run backup -- FILE [--force] [--quick] [--json]`: a consistent online backup of the database the server uses
 * (DATABASE_PATH, default ./data/influencegraph.db), taken while the server serves and writes. How it is copied
 * and why: backup.ts.
 *
 * Progress goes to stderr (a bar on a terminal, a line every few seconds otherwise), the summary to stdout. Exit
 * code 0 when FILE holds a checked backup, 1 when the backup failed (FILE was not written), 2 for a bad command line.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { createBackup, type BackupResult } from "./backup.js";
import { formatBytes, formatTime, parseFileCommand, reportLines, runAsMain, runFileCommand, type FileCommand, type OpsCliIo } from "./cli-output.js";

const USAGE = "usage: npm run backup -- FILE [--force] [--quick] [--json]";

export const BACKUP_HELP = `Takes a consistent backup of the InfluenceGraph database ($DATABASE_PATH, default ./data/influencegraph.db)
while the server runs: it need not be stopped, and it keeps serving and writing.

${USAGE}

  FILE        the backup to write: a new SQLite file (a single file, no -wal beside it)
  --force     replace FILE when it exists (otherwise the backup refuses to)
  --quick     check the copy with PRAGMA quick_check instead of the full integrity_check (faster on a large
              database; does not compare indexes with their tables)
  --json      print the summary as JSON
  --help      show this text

The backup is a snapshot: every change committed before it started, none committed after. It is written to
FILE.partial-… beside FILE, checked, synced to disk and only then renamed to FILE, so an interrupted backup never
leaves a FILE that looks complete. Do not copy the database with cp while the server runs: that misses, or
tears, the changes still in its WAL.

Restore it with \`npm run restore -- FILE\` (stop the server first).

Exit code 0 when FILE holds a checked backup, 1 when the backup failed (FILE was not written), 2 for a bad
command line.`;

interface BackupArgs {
  file: string;
  force: boolean;
  quick: boolean;
  json: boolean;
}

export function parseBackupArgs(argv: readonly string[]): BackupArgs | "help" {
  const parsed = parseFileCommand(argv, ["force", "quick", "json"], "name the backup file to write");
  return parsed === "help" ? parsed : { file: parsed.file, ...parsed.flags };
}

const BACKUP: FileCommand<BackupArgs> = {
  name: "backup",
  usage: USAGE,
  help: BACKUP_HELP,
  parse: parseBackupArgs,
  unchanged: (file) => `${file} was not written`,
  async run(args, { databasePath, file: destination, progress, signal }) {
    const result = await createBackup({
      source: databasePath,
      destination,
      force: args.force,
      check: args.quick ? "quick" : "integrity",
      signal,
      onProgress: (p) => {
        if (p.phase === "copy") {
          if (p.bytes === 0) progress.phase(`copying ${databasePath} (${formatBytes(p.sourceBytes)}) to ${destination}…`);
          else progress.bytes(p.bytes, p.expectedBytes);
        } else if (p.phase === "check") {
          progress.phase(`checking the copy (${p.kind === "quick" ? "quick_check" : "integrity_check"})…`);
        }
      },
    });
    return { summary: args.json ? `${JSON.stringify(backupJson(result), null, 2)}\n` : summaryText(result) };
  },
};

/** Runs the backup command (on the process's stdio unless given `io`); resolves with the exit code. */
export function runBackupCli(argv: readonly string[], io?: OpsCliIo, signal?: AbortSignal): Promise<number> {
  return runFileCommand(BACKUP, argv, io, signal);
}

export function backupJson(r: BackupResult) {
  return {
    source: r.source,
    file: r.destination,
    replaced: r.replaced,
    bytes: r.report.bytes,
    sourceBytes: r.sourceBytes,
    pageSize: r.report.pageSize,
    pages: r.report.pages,
    copyStartedAt: new Date(r.copyStartedAt).toISOString(),
    copyFinishedAt: new Date(r.copyFinishedAt).toISOString(),
    seconds: Number(r.seconds.toFixed(3)),
    check: r.report.check,
    tables: r.report.tables,
    rows: r.report.rows,
    migrations: r.report.migrations,
  };
}

export function summaryText(r: BackupResult): string {
  const lines = [
    `Backed up ${r.source} to ${r.destination}${r.replaced ? " (replaced)" : ""} in ${r.seconds.toFixed(1)} s`,
    `  snapshot      as of ${formatTime(r.copyStartedAt)} (the copy took ${((r.copyFinishedAt - r.copyStartedAt) / 1000).toFixed(1)} s; ` +
      `the database was ${formatBytes(r.sourceBytes)})`,
    ...reportLines(r.report),
    `Restore it with: npm run restore -- ${r.destination}   (stop the server first)`,
  ];
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runAsMain((signal) => runBackupCli(process.argv.slice(2), undefined, signal));
}

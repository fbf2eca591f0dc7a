/**
 * `npm run import -- FILE [--rejects FILE] [--batch-size N] [--format ndjson|csv]`: imports an NDJSON file (any row
 * type) or a CSV file (post_metrics) into the database the server uses (DATABASE_PATH). The format is documented on
 * the import page (site/src/content/docs/import.md).
 *
 * Progress goes to stderr (a bar on a terminal, a line every few seconds otherwise), the summary to stdout.
 * Exit code 0 when every row was imported, 2 when some were refused (listed in the reject file), 1 when the import
 * could not go on (bad command line, unreadable file, database error): the message says what to do.
 */
import "reflect-metadata";

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import cliProgress from "cli-progress";

import { ConfigError, loadConfig } from "../config.js";
import { applyBulkWritePragmas, closeDatabase, openDatabase } from "../db.js";
import { ROW_TYPES } from "./ingest.rows.js";
import { DEFAULT_BATCH_SIZE, ImportError, importFile, MAX_BATCH_SIZE, type ImportProgress, type ImportSummary } from "./import.js";

export const IMPORT_HELP = `Imports rows into the InfluenceGraph database ($DATABASE_PATH, default ./data/influencegraph.db).

usage: npm run import -- FILE [--rejects FILE] [--batch-size N] [--format ndjson|csv]

  FILE               NDJSON, one JSON object per line with a "type": influencer, account, audience,
                     account_snapshot, post, post_metrics or conversion; or CSV with a header row
                     (post_metrics only)
  --rejects FILE     where refused rows go (default FILE.rejects.ndjson), one JSON line each with the line
                     number, field, reason and raw text; written only when a row is refused
  --batch-size N     rows per transaction (default ${DEFAULT_BATCH_SIZE.toLocaleString("en")}; smaller holds the write lock for less time
                     beside a busy server)
  --format F         ndjson or csv (default: csv for a .csv file, ndjson otherwise)
  --help             show this text

Rows are keyed by natural keys (influencer ref, platform and handle, platform and externalId...): running the same
import again, whole or after an interruption, changes nothing that was already imported. Rows may refer to rows
earlier in the same file. The format: site/src/content/docs/import.md.

Exit code 0 when every row was imported, 2 when some were refused, 1 when the import could not go on.`;

export interface ImportCliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string): unknown };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

class UsageError extends Error {}

interface CliArgs {
  file: string;
  rejects?: string;
  batchSize: number;
  format?: "ndjson" | "csv";
}

export function parseImportArgs(argv: readonly string[]): CliArgs | "help" {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        rejects: { type: "string" },
        "batch-size": { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "name the file to import" : `one file at a time (got ${positionals.length})`);
  const batchText = values["batch-size"] as string | undefined;
  let batchSize = DEFAULT_BATCH_SIZE;
  if (batchText !== undefined) {
    batchSize = /^\d+$/.test(batchText) ? Number(batchText) : NaN;
    if (!(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE)) {
      throw new UsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH_SIZE.toLocaleString("en")} (got "${batchText}")`);
    }
  }
  const format = values.format as string | undefined;
  if (format !== undefined && format !== "ndjson" && format !== "csv") throw new UsageError(`--format must be ndjson or csv (got "${format}")`);
  return { file: positionals[0]!, rejects: values.rejects as string | undefined, batchSize, format };
}

/** Runs the import command; resolves with the exit code. */
export async function runImportCli(argv: readonly string[], io: ImportCliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let args: CliArgs | "help";
  try {
    args = parseImportArgs(argv);
  } catch (error) {
    io.stderr.write(`import: ${(error as Error).message}\n\n${IMPORT_HELP}\n`);
    return 1;
  }
  if (args === "help") {
    io.stdout.write(`${IMPORT_HELP}\n`);
    return 0;
  }
  let databasePath: string;
  try {
    databasePath = loadConfig({ DATABASE_PATH: io.env.DATABASE_PATH }).databasePath;
  } catch (error) {
    io.stderr.write(`import: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return 1;
  }
  let db;
  try {
    db = openDatabase({ path: databasePath, countStatements: false });
  } catch (error) {
    io.stderr.write(`import: cannot open the database ${databasePath}: ${(error as Error).message}; check DATABASE_PATH and that the file is an InfluenceGraph database.\n`);
    return 1;
  }
  applyBulkWritePragmas(db.$client);
  const progress = createProgress(io.stderr);
  // npm runs scripts from the package root: paths on the command line are relative to where it was typed.
  const here = io.env.INIT_CWD ?? process.cwd();
  try {
    io.stderr.write(`Importing ${args.file} into ${databasePath}…\n`);
    const summary = await importFile(db, {
      path: resolve(here, args.file),
      batchSize: args.batchSize,
      ...(args.rejects !== undefined && { rejectsPath: resolve(here, args.rejects) }),
      ...(args.format && { format: args.format }),
      onProgress: progress.update,
    });
    progress.stop();
    io.stdout.write(summaryText(summary, databasePath));
    return summary.rejected > 0 ? 2 : 0;
  } catch (error) {
    progress.stop();
    const committed = error instanceof ImportError ? error.committedRows : 0;
    const what = error instanceof Error ? error.message : String(error);
    const next =
      committed > 0
        ? `The ${fmt(committed)} rows of the batches before the failure are committed, the batch in progress is not. ` +
          "Fix the problem and run the same command again: rows already imported come out unchanged."
        : "Nothing was written. Fix the problem and run the command again.";
    io.stderr.write(`import: ${what}\n${next}\n`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en");

/**
 * A cli-progress bar over the file's bytes on a terminal; otherwise a line every 5 seconds (the bar's non-TTY mode
 * redraws from a timer, which the synchronous writes would starve).
 */
function createProgress(stream: ImportCliIo["stderr"]) {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "import |{bar}| {percentage}% | {rows} rows | {rate} rows/s | {rejected} refused | ETA {eta_formatted}",
        stream,
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update: (p: ImportProgress) => {
        const values = { rows: fmt(p.rowsRead), rate: fmt(p.rowsRead / Math.max(p.elapsedMs / 1000, 1e-3)), rejected: fmt(p.rejected) };
        if (!started) {
          bar.start(Math.max(p.totalBytes, 1), 0, values);
          started = true;
        }
        bar.update(p.bytesRead, values);
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  let finished = false;
  return {
    update: (p: ImportProgress) => {
      const now = performance.now();
      const end = p.bytesRead >= p.totalBytes;
      if (finished || (now - last < 5_000 && !end)) return;
      last = now;
      finished = end;
      const percent = p.totalBytes > 0 ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 100;
      stream.write(
        `import: ${percent} % of the file, ${fmt(p.rowsRead)} rows (${fmt(p.rowsRead / Math.max(p.elapsedMs / 1000, 1e-3))} rows/s), ` +
          `${fmt(p.rejected)} refused\n`,
      );
    },
    stop: () => {},
  };
}

export function summaryText(s: ImportSummary, databasePath: string): string {
  const header = ["type", "read", "inserted", "updated", "unchanged", "rejected"];
  const rows: string[][] = [];
  let typed = 0;
  for (const type of ROW_TYPES) {
    const c = s.byType[type];
    const read = c.inserted + c.updated + c.unchanged + c.rejected;
    typed += read;
    if (read > 0) rows.push([type, fmt(read), fmt(c.inserted), fmt(c.updated), fmt(c.unchanged), fmt(c.rejected)]);
  }
  if (s.rowsRead > typed) rows.push(["(no valid type)", fmt(s.rowsRead - typed), "0", "0", "0", fmt(s.rowsRead - typed)]);
  rows.push(["total", fmt(s.rowsRead), fmt(s.inserted), fmt(s.updated), fmt(s.unchanged), fmt(s.rejected)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")}`;
  const out = [
    `Imported ${s.path} into ${databasePath} (${s.format.toUpperCase()}, ${fmt(s.batches)} batch${s.batches === 1 ? "" : "es"})`,
    line(header),
    ...rows.map(line),
    `  ${fmt(s.rowsRead)} rows in ${s.seconds.toFixed(1)} s: ${fmt(s.rowsPerSecond)} rows/s`,
  ];
  if (s.rejectsPath) out.push(`${fmt(s.rejected)} row${s.rejected === 1 ? " was" : "s were"} refused: see ${s.rejectsPath} (line, field, reason, raw text); fix them and import that file or this one again.`);
  const changed = (["account", "audience", "account_snapshot", "post", "post_metrics"] as const).some((t) => s.byType[t].inserted + s.byType[t].updated > 0);
  if (changed) out.push("Run `npm run discovery:refresh` so discovery ranks with the new data.");
  return `${out.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.once("SIGINT", () => {
    process.stderr.write("\nimport: interrupted. The batches committed so far are kept; run the same command again to finish.\n");
    process.exit(130);
  });
  process.exitCode = await runImportCli(process.argv.slice(2));
}

/**
 * What `npm run backup` and `npm run restore` share: their command line and exit codes, and what they print:
 * progress on stderr (a cli-progress bar on a terminal, a line every few seconds otherwise, as `npm run import`
 * does) and the summary on stdout, as text or JSON.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";

import cliProgress from "cli-progress";

import { ConfigError, loadConfig } from "../config.js";
import { OpsError, type DatabaseReport } from "./backup.js";

export interface OpsCliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(chunk: string): unknown };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A bad command line: exit code 2, with the message and the usage. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** After SIGINT/SIGTERM, as shells report a process killed by SIGINT. */
export const EXIT_INTERRUPTED = 130;

export interface Progress {
  /** A step starts ("checking the copy"): one line. */
  phase(text: string): void;
  /** Bytes of a copy so far, against the expected total (which may be an estimate: the bar stops at 99 %). */
  bytes(done: number, total: number): void;
  stop(): void;
}

/** Non-TTY progress lines at most this often (the phases always get their line). */
const LINE_INTERVAL_MS = 2_000;

export function createProgress(stream: OpsCliIo["stderr"], name: string): Progress {
  const started = performance.now();
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    const stopBar = () => {
      bar?.stop();
      bar = null;
    };
    return {
      phase(text) {
        stopBar();
        stream.write(`${name}: ${text}\n`);
      },
      bytes(done, total) {
        const values = { done: formatBytes(done), all: formatBytes(total), rate: `${formatBytes(done / Math.max((performance.now() - started) / 1000, 1e-3))}/s` };
        const shown = Math.min(done, Math.floor(total * 0.99));
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { format: `${name} |{bar}| {percentage}% | {done} of ~{all} | {rate} | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 20 },
            cliProgress.Presets.shades_classic,
          );
          bar.start(Math.max(total, 1), shown, values);
        } else {
          bar.setTotal(Math.max(total, 1));
          bar.update(shown, values);
        }
      },
      stop: stopBar,
    };
  }
  let last = performance.now();
  return {
    phase(text) {
      stream.write(`${name}: ${text}\n`);
      last = performance.now();
    },
    bytes(done, total) {
      const now = performance.now();
      if (now - last < LINE_INTERVAL_MS) return;
      last = now;
      const percent = total > 0 ? Math.min(99, Math.floor((100 * done) / total)) : 0;
      stream.write(`${name}: ${percent} % (${formatBytes(done)} of about ${formatBytes(total)}), ${((now - started) / 1000).toFixed(1)} s\n`);
    },
    stop() {},
  };
}

/** 1,536 → "1.5 KiB"; binary units, as `ls -lh` and SQLite's page sizes count. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** `2026-05-01 12:34:56.789 UTC`. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().replace("T", " ").replace("Z", "")} UTC`;
}

/** The lines a summary shares between backup and restore: size, check, migrations, rows of the main tables. */
export function reportLines(report: DatabaseReport): string[] {
  const lines = [
    `  size          ${formatBytes(report.bytes)} (${fmt(report.pages)} pages of ${formatBytes(report.pageSize)})`,
    `  check         ${report.check.kind === "quick" ? "quick_check" : "integrity_check"}: ${report.check.ok ? "ok" : report.check.problems.join("; ")}`,
  ];
  const m = report.migrations;
  if (m) {
    const pending = m.pending.length > 0 ? `; ${m.pending.length} newer in this code, applied when the server starts: ${m.pending.join(", ")}` : "";
    lines.push(`  migrations    ${m.applied} applied${m.latest ? ` (latest ${m.latest})` : ""}${pending}`);
  } else {
    lines.push("  migrations    none (no __drizzle_migrations table)");
  }
  const rows = Object.entries(report.rows);
  if (rows.length > 0) {
    const width = Math.max(...rows.map(([name]) => name.length));
    const numbers = Math.max(...rows.map(([, n]) => fmt(n).length));
    lines.push(`  rows          ${report.tables} tables; the main ones:`);
    for (const [name, n] of rows) lines.push(`    ${name.padEnd(width)}  ${fmt(n).padStart(numbers)}`);
  }
  return lines;
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}

/** The command line of backup and restore: boolean options and exactly one FILE. */
export function parseFileCommand<O extends string>(argv: readonly string[], options: readonly O[], missingFile: string): { file: string; flags: Record<O, boolean> } | "help" {
  let values: Record<string, boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { ...Object.fromEntries(options.map((name) => [name, { type: "boolean" as const }])), help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (positionals.length === 0) throw new UsageError(missingFile);
  if (positionals.length > 1) throw new UsageError(`one backup file at a time (got ${positionals.length}: ${positionals.join(" ")})`);
  if (positionals[0]!.trim() === "") throw new UsageError("the backup file name is empty");
  return { file: positionals[0]!, flags: Object.fromEntries(options.map((name) => [name, values[name] ?? false])) as Record<O, boolean> };
}

export interface FileCommand<A> {
  /** The command's name, the first word of each message ("backup"). */
  name: string;
  usage: string;
  help: string;
  parse: (argv: readonly string[]) => A | "help";
  /** What is left as it was when the command failed unexpectedly ("FILE was not written"). */
  unchanged: (file: string) => string;
  /**
   * The command's own work, given the database (DATABASE_PATH) and FILE resolved from where npm was run; resolves
   * with the summary for stdout and any warnings for stderr.
   */
  run: (args: A, context: { databasePath: string; file: string; progress: Progress; signal?: AbortSignal }) => Promise<{ summary: string; warnings?: readonly string[] }>;
}

/**
 * What backup and restore share around their own work: the command line (usage on stderr and exit 2), --help, the
 * database location, progress on stderr, and the exit code of a refusal (the OpsError's message, exit 1, or 130
 * when interrupted) or of an unexpected failure; on the process's stdio unless given `io`. Resolves with the exit
 * code.
 */
export async function runFileCommand<A extends { file: string }>(
  command: FileCommand<A>,
  argv: readonly string[],
  io: OpsCliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr },
  signal?: AbortSignal,
): Promise<number> {
  let args: A | "help";
  try {
    args = command.parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${command.name}: ${error.message}\n${command.usage}\n(npm run ${command.name} -- --help for more)\n`);
    return EXIT_USAGE;
  }
  if (args === "help") {
    io.stdout.write(`${command.help}\n`);
    return EXIT_OK;
  }
  let databasePath: string;
  try {
    // Only the database location matters here: an unrelated bad variable (PORT=x) must not block the command.
    databasePath = loadConfig({ DATABASE_PATH: io.env.DATABASE_PATH }).databasePath;
  } catch (error) {
    io.stderr.write(`${command.name}: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
  // npm runs scripts from the package root: FILE is relative to where the command was typed.
  const file = resolve(io.env.INIT_CWD ?? process.cwd(), args.file);
  const progress = createProgress(io.stderr, command.name);
  try {
    const { summary, warnings = [] } = await command.run(args, { databasePath, file, progress, signal });
    progress.stop();
    for (const warning of warnings) io.stderr.write(`${command.name}: warning: ${warning}\n`);
    io.stdout.write(summary);
    return EXIT_OK;
  } catch (error) {
    progress.stop();
    if (error instanceof OpsError) {
      io.stderr.write(`${command.name}: ${error.message}\n`);
      return signal?.aborted ? EXIT_INTERRUPTED : EXIT_FAILED;
    }
    io.stderr.write(`${command.name}: ${firstLine(error)}\n${command.unchanged(file)}; fix the problem and run the ${command.name} again.\n`);
    return EXIT_FAILED;
  }
}

/** Runs a command as the process's entry point: SIGINT/SIGTERM abort it (a second one exits at once). */
export async function runAsMain(command: (signal: AbortSignal) => Promise<number>): Promise<void> {
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    process.stderr.write("\n");
    controller.abort();
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  process.exitCode = await command(controller.signal);
}

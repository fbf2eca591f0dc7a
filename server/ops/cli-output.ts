/**
 * What `npm run backup` and `npm run restore` print: progress on stderr (a cli-progress bar on a terminal, a line
 * every few seconds otherwise, as `npm run import` does) and the summary on stdout, as text or JSON.
 */
import cliProgress from "cli-progress";

import type { DatabaseReport } from "./backup.js";

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

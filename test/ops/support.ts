/**
 * For the backup/restore tests: the real server (`server/main.ts`) and the real commands in child processes, a
 * stream of createCampaign writes, and per-table fingerprints of a database file.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";

import type { OpsCliIo } from "../../server/ops/cli-output.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Suites send hundreds of requests with one key: no rate limit in the way. */
const GENEROUS = { RATE_LIMIT_REQUESTS_PER_MINUTE: "10000000", RATE_LIMIT_COST_PER_MINUTE: "1000000000", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "10000000" };

export interface Server {
  child: ChildProcess;
  url: string;
  /** The demo organization's key, as the server printed it. */
  key: string;
  output: () => string;
  /** SIGTERM; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** `npm start` on `databasePath`, in development (which prints the demo key), on a free port. */
export function startServer(databasePath: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "development", PORT: "0", DATABASE_PATH: databasePath, LOG_LEVEL: "warn", ...GENEROUS, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const stop = () =>
      new Promise<number | null>((done) => {
        if (child.exitCode !== null) return done(child.exitCode);
        child.removeAllListeners("exit");
        child.on("exit", (code) => done(code));
        child.kill("SIGTERM");
      });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
      const key = /Demo API key \(organization "demo"\): (\S+)/.exec(output)?.[1];
      if (url && key) {
        clearTimeout(timer);
        resolve({ child, url, key, output: () => output, stop });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node --import tsx server/ops/<script> ...args`, as `npm run backup|restore -- ...args` runs it. */
export function runCli(script: "backup.cli.ts" | "restore.cli.ts", args: string[], env: Record<string, string>): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", `server/ops/${script}`, ...args], {
    cwd: ROOT,
    env: { ...process.env, INIT_CWD: ROOT, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/**
 * The same command run in this process (`runBackupCli`, `runRestoreCli`: what the entry point calls), without the
 * second or two a child process spends loading TypeScript.
 */
export async function inProcess(
  run: (argv: readonly string[], io: OpsCliIo) => Promise<number>,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const started = performance.now();
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const code = await run(args, {
    env: { ...env, INIT_CWD: ROOT },
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
  });
  return { code, stdout, stderr, ms: performance.now() - started };
}

export async function gql<T = any>(url: string, key: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: any[] }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: any[] };
}

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id name } }`;

export async function createCampaign(url: string, key: string, name: string): Promise<string> {
  const body = await gql(url, key, CREATE, { input: { name, objective: "AWARENESS", budget: { amountMinor: 100_000, currency: "USD" } } });
  if (body.errors || !body.data) throw new Error(`createCampaign ${name} failed: ${JSON.stringify(body.errors)}`);
  return body.data.createCampaign.id as string;
}

export interface Write {
  n: number;
  name: string;
  id: string;
  /** Epoch ms when the request was sent, and when its answer (after the commit) arrived. */
  sentAt: number;
  ackAt: number;
}

/** One createCampaign after another, named `<prefix>-<n>`, until stopped. */
export function startWriter(url: string, key: string, prefix: string) {
  const writes: Write[] = [];
  let stopping = false;
  let failure: unknown = null;
  const running = (async () => {
    for (let n = 0; !stopping; n++) {
      const name = `${prefix}-${n}`;
      const sentAt = Date.now();
      try {
        const id = await createCampaign(url, key, name);
        writes.push({ n, name, id, sentAt, ackAt: Date.now() });
      } catch (error) {
        failure = error;
        return;
      }
    }
  })();
  return {
    writes,
    /** Resolves once `count` more writes than now are acknowledged. */
    async waitFor(count: number): Promise<void> {
      const target = writes.length + count;
      while (writes.length < target) {
        if (failure) throw failure;
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop(): Promise<Write[]> {
      stopping = true;
      await running;
      if (failure) throw failure;
      return writes;
    },
  };
}

export interface TableFingerprint {
  rows: number;
  /** sha256 over the sorted sha256 of each row's values: independent of row order, sensitive to any value. */
  hash: string;
}

/**
 * Every ordinary table's row count and content hash (virtual tables are covered by their shadow tables). Opened
 * read-write, only read: a read-only connection to a WAL database would leave a -wal and -shm behind.
 */
export function fingerprint(path: string): Record<string, TableFingerprint> {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")
      .pluck()
      .all() as string[];
    const result: Record<string, TableFingerprint> = {};
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][];
      const hashes = rows.map((row) => createHash("sha256").update(JSON.stringify(row.map(encode))).digest("hex")).sort();
      result[table] = { rows: rows.length, hash: createHash("sha256").update(hashes.join("\n")).digest("hex") };
    }
    return result;
  } finally {
    db.close();
  }
}

function encode(value: unknown): unknown {
  if (typeof value === "bigint") return `i:${value}`;
  if (Buffer.isBuffer(value)) return `b:${value.toString("hex")}`;
  if (typeof value === "number") return `r:${value}`;
  return value;
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export function sqlite(path: string, readonly = true): Database.Database {
  return new Database(path, { readonly, fileMustExist: true });
}

/** Names in `dir` starting with `prefix`. */
export function filesStartingWith(dir: string, prefix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix))
    .sort();
}

/**
 * For the fault tests: the real server (`server/main.ts`, as `npm start` runs it) in a child process on a given
 * database file, a GraphQL client that records what was acknowledged, and tmpfs mounts for disk-full and
 * read-only cases.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";

import { DEFAULT_AS_OF, seedDatabase } from "../../seeds/seed.js";
import { closeDatabase, openDatabase } from "../../server/db.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  origin: string;
  key: string;
  output: () => string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, and the exit code. */
  stop: () => Promise<number | NodeJS.Signals | null>;
}

/**
 * `node --import tsx server/main.ts`: what `npm start` runs, in this one process. The `tsx` binary would run the
 * server in a child process of its own, which a SIGKILL to the binary would leave running.
 */
function spawnServer(env: Record<string, string>, user?: { uid: number; gid: number }): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: ROOT,
    ...user,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: "0",
      SEED_INFLUENCERS: String(SEEDED_INFLUENCERS),
      LOG_LEVEL: "warn",
      RATE_LIMIT_REQUESTS_PER_MINUTE: "1000000",
      RATE_LIMIT_COST_PER_MINUTE: "100000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts the server on `databasePath` and waits for its URL and demo key (printed in development). */
export function startServer(databasePath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawnServer({ DATABASE_PATH: databasePath, ...env });
  let output = "";
  const exited = new Promise<number | NodeJS.Signals | null>((done) => child.on("exit", (code, signal) => done(signal ?? code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
      const key = /Demo API key \(organization "demo"\): (\S+)/.exec(output)?.[1];
      if (url && key) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        child.stderr!.off("data", onData);
        // Keep reading, so a chatty child never blocks on a full pipe.
        child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
        child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
        const stop = async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          return exited;
        };
        resolve({ child, url, origin: new URL(url).origin, key, output: () => output, exited, stop });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

/** Starts the server (as `user` when given) expecting it to refuse to start: its exit code and everything it printed. */
export function startExpectingFailure(
  databasePath: string,
  env: Record<string, string> = {},
  user?: { uid: number; gid: number },
): Promise<{ code: number | null; output: string }> {
  const child = spawnServer({ DATABASE_PATH: databasePath, ...env }, user);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server neither started nor exited within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready at http/.test(output)) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.kill("SIGKILL");
        reject(new Error(`server started when it should have refused:\n${output}`));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export interface Answer {
  /** HTTP status, or 0 when no response arrived (connection refused or reset). */
  status: number;
  headers: Headers | null;
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
  /** Why no response arrived. */
  failure?: string;
}

/** An answer with data and no errors: the write was acknowledged. */
export const acknowledged = (answer: Answer): boolean => answer.status === 200 && answer.data != null && !answer.errors?.length;

export async function gql(url: string, key: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Answer["errors"] };
    return { status: response.status, headers: response.headers, data: body.data ?? undefined, errors: body.errors };
  } catch (error) {
    return { status: 0, headers: null, failure: error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error) };
  }
}

export const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id name } }`;
export const RECORD_POST_METRICS = `mutation($input: RecordPostMetricsInput!) { recordPostMetrics(input: $input) { rows inserted updated unchanged } }`;

export const campaignInput = (name: string) => ({ name, objective: "AWARENESS", budget: { amountMinor: 100_000, currency: "USD" } });

export interface Post {
  platform: string;
  externalId: string;
}

/** Posts of the seeded catalogue not linked to a campaign (any organization may record their metrics). */
export function catalogPosts(databasePath: string, count: number): Post[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT platform, external_id AS externalId FROM posts WHERE campaign_id IS NULL ORDER BY id LIMIT ?")
      .all(count) as Post[];
  } finally {
    db.close();
  }
}

/**
 * A batch of metrics, one row per post, all captured at `capturedAt`; `likes` encode the batch and the row so
 * every row of the file can be traced back to the request that wrote it.
 */
export function metricsBatch(posts: readonly Post[], batch: number, capturedAt: Date) {
  return {
    rows: posts.map((post, i) => ({
      platform: post.platform,
      externalId: post.externalId,
      capturedAt: capturedAt.toISOString(),
      likes: batch * 1000 + i,
      comments: batch,
      views: batch * 10_000 + i,
    })),
  };
}

/** How many of a batch's rows the file holds, and whether each holds the batch's values. */
export function rowsOfBatch(db: Database.Database, posts: readonly Post[], batch: number, capturedAt: Date): { found: number; exact: number } {
  const rows = db
    .prepare(
      `SELECT m.likes, m.comments, m.views, p.platform, p.external_id AS externalId FROM post_metric_snapshots m JOIN posts p ON p.id = m.post_id
       WHERE m.captured_at = ? AND (p.platform, p.external_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`,
    )
    .all(capturedAt.getTime(), JSON.stringify(posts.map((p) => [p.platform, p.externalId]))) as { likes: number; comments: number; views: number; platform: string; externalId: string }[];
  const exact = rows.filter((row) => {
    const i = posts.findIndex((p) => p.platform === row.platform && p.externalId === row.externalId);
    return row.likes === batch * 1000 + i && row.comments === batch && row.views === batch * 10_000 + i;
  }).length;
  return { found: rows.length, exact };
}

/** The influencers every fault test seeds (the servers are started with SEED_INFLUENCERS at this value). */
export const SEEDED_INFLUENCERS = 40;

/**
 * A database seeded as `npm start` seeds an empty one (same generator, seed and demo key), closed cleanly so no
 * WAL is left: copied onto the filesystems under test, it saves a server start per test.
 */
export function seedTemplate(path: string): void {
  const db = openDatabase({ path });
  try {
    seedDatabase(db, { influencers: SEEDED_INFLUENCERS, seed: 42, asOf: DEFAULT_AS_OF });
  } finally {
    closeDatabase(db);
  }
}

/** Mounts a tmpfs of `sizeKiB` on `dir`; the reason when this process may not mount (not root, no CAP_SYS_ADMIN). */
export function mountTmpfs(dir: string, sizeKiB: number): string | null {
  const result = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", dir], { encoding: "utf8" });
  if (result.error) return `mount could not run: ${result.error.message}`;
  return result.status === 0 ? null : `mount -t tmpfs failed: ${result.stderr.trim() || `exit ${result.status}`}`;
}

export function remount(dir: string, mode: "ro" | "rw"): void {
  const result = spawnSync("mount", ["-o", `remount,${mode}`, dir], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`mount -o remount,${mode} ${dir} failed: ${result.stderr}`);
}

export function unmount(dir: string): void {
  spawnSync("umount", [dir], { encoding: "utf8" });
  // A mount still busy (a server that did not exit) must not keep its folder from being removed.
  if (spawnSync("mountpoint", ["-q", dir]).status === 0) spawnSync("umount", ["-l", dir]);
}

/**
 * tmpfs mounts under `dir` for one test file. `problem` says why this process may not mount (tried once on a probe
 * folder), for the file to skip with; `unmountAll` belongs in afterAll.
 */
export function tmpfsMounts(dir: string) {
  const mounted: string[] = [];
  const probe = join(dir, "probe");
  mkdirSync(probe);
  const problem = mountTmpfs(probe, 64);
  if (problem === null) unmount(probe);
  return {
    problem,
    mount(name: string, sizeKiB: number): string {
      const mountPoint = join(dir, name);
      mkdirSync(mountPoint);
      const failure = mountTmpfs(mountPoint, sizeKiB);
      if (failure) throw new Error(failure);
      mounted.push(mountPoint);
      return mountPoint;
    },
    unmountAll(): void {
      for (const mountPoint of mounted.splice(0).reverse()) unmount(mountPoint);
    },
  };
}

/** Fills the filesystem of `path` up to the last byte with the file `path`; returns its size. */
export function fillDisk(path: string): number {
  const fd = openSync(path, "w");
  let size = 0;
  try {
    for (const chunk of [1 << 20, 1 << 16, 1 << 12, 512, 1]) {
      const buffer = Buffer.alloc(chunk, 0x55);
      for (;;) {
        try {
          size += writeSync(fd, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return size;
}

/**
 * Builds the site once per test run, whichever test files need it and however many run at once: the first file
 * to get here builds (under a lock) into test-artifacts/site/dist; the others wait for it and reuse that build.
 * A build from an earlier run, or of other sources, is never reused.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const ARTIFACTS = join(ROOT, "test-artifacts");
const WORK = join(ARTIFACTS, "site");
export const DIST = join(WORK, "dist");
const STAMP = join(WORK, "build-stamp");
const LOCK = join(WORK, "build.lock");

/** This vitest run: its main process (the workers' parent) and when that process started. */
function runId(): string {
  let started = "";
  try {
    // Field 22 of /proc/<pid>/stat is the start time; the command name (field 2) may hold spaces, so split after it.
    started = readFileSync(`/proc/${process.ppid}/stat`, "utf8").split(") ")[1]!.split(" ")[19]!;
  } catch {
    started = String(process.pid); // no /proc: every process builds for itself
  }
  return `${process.ppid}:${started}`;
}

/** The inputs of the build: the site's sources and examples, the schema, and the locked dependencies. */
function inputsHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === "dist" || name === ".astro" || name === "node_modules") continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(ROOT, path)).update(readFileSync(path));
    }
  };
  walk(join(ROOT, "site"));
  hash.update(readFileSync(join(ROOT, "schema/schema.graphql")));
  hash.update(readFileSync(join(ROOT, "package-lock.json")));
  return hash.digest("hex");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(WORK, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      break;
    } catch {
      // Held by another file of this run, or left by a process that died: take it over then.
      const holder = Number(readFileSyncSafe(join(LOCK, "pid")));
      if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

export interface Build {
  dist: string;
  /** Seconds the build took, or null when this file reused the run's build. */
  seconds: number | null;
  log: string;
}

/**
 * The environment `npm run site:build` has in a shell: without what vitest sets for its workers (NODE_ENV=test,
 * VITEST, TEST, DEV=1, MODE…), which would make Astro and Vite build in development mode (no search index UI, for one).
 */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" };
  for (const name of Object.keys(env)) if (/^(VITEST.*|TEST|NODE_ENV|MODE|DEV|PROD|SSR|BASE_URL)$/.test(name)) delete env[name];
  return env;
}

/** `npm run site:build`, into test-artifacts/site/dist. */
function astroBuild(): Promise<{ seconds: number; log: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "node_modules/astro/astro.js"), "build", "--root", "site", "--outDir", DIST], {
      cwd: ROOT,
      env: buildEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr.on("data", (c: Buffer) => (log += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve({ seconds: (performance.now() - started) / 1000, log });
      else reject(new Error(`astro build failed (exit ${code}):\n${log.slice(-4000)}`));
    });
  });
}

export async function builtSite(): Promise<Build> {
  const stamp = `${runId()} ${inputsHash()}`;
  return withLock(async () => {
    if (readFileSyncSafe(STAMP) === stamp && existsSync(join(DIST, "index.html"))) {
      return { dist: DIST, seconds: null, log: readFileSyncSafe(join(WORK, "build.log")) };
    }
    rmSync(STAMP, { force: true });
    rmSync(DIST, { recursive: true, force: true });
    const { seconds, log } = await astroBuild();
    writeFileSync(join(WORK, "build.log"), log);
    writeFileSync(STAMP, stamp);
    return { dist: DIST, seconds, log };
  });
}

/** Every HTML page of the build, as its URL path (`/`, `/guides/errors/`, …). */
export function builtPages(dist: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "pagefind" && name !== "_astro") walk(path);
      } else if (name === "index.html") {
        pages.push(`/${relative(dist, dir).split("\\").join("/")}/`.replace(/^\/\/$/, "/").replace(/\/+/g, "/"));
      }
    }
  };
  walk(dist);
  return pages.sort();
}

/** The HTML of a built page, by its URL path. */
export function pageHtml(dist: string, path: string): string {
  return readFileSync(join(dist, path, "index.html"), "utf8");
}

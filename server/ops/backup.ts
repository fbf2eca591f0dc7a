/**
 * Online backups and restores of the SQLite database the server uses (`npm run backup`, `npm run restore`).
 *
 * **How a backup is copied: `VACUUM INTO`, in a worker thread.** SQLite offers two online copies:
 *
 * - The online backup API (better-sqlite3's `db.backup()`) copies pages a step at a time (100 by default) and
 *   starts again from the first page whenever another connection writes in between: the server is another
 *   connection, so under steady writes a large database may never finish. Measured on a 78 MB database with a
 *   writer in another process committing every 2 ms: 8,492 restarts and still unfinished after 40 s (with a
 *   commit every 20 ms it finished after 424 restarts, in 10.6 s instead of 0.9). Copying every page in one step
 *   avoids the restarts but holds the read transaction just the same, with a page-for-page copy of the free pages
 *   too and nothing to watch progress by.
 * - `VACUUM INTO` reads the whole database in one read transaction and writes a compacted copy. In WAL mode a read
 *   transaction blocks no writer: the server keeps committing to the WAL while the copy reads the snapshot taken
 *   when it began (the same 78 MB database under the same 2 ms writer: 1.6 s). The copy is exactly the database as
 *   of that moment, every transaction committed before it and none after, and reading every table and index through
 *   the b-trees already exercises them.
 *
 * We use `VACUUM INTO`. It is one synchronous statement, so it runs in a worker thread and the main thread shows
 * progress from the growing output file against the source's used pages (the worker's page cache is kept small so
 * the output is written as it goes, not at the end). While it runs the WAL cannot be reset, so it grows by what the
 * server writes meanwhile and shrinks at the next checkpoint after.
 *
 * The copy goes to a temporary file beside FILE (`FILE.partial-<pid>-<random>`), is checked (`PRAGMA
 * integrity_check`, or `quick_check`), fsynced, and only then linked (or, with `force`, renamed) to FILE and the
 * directory fsynced: an interrupted backup never leaves a FILE that looks valid.
 *
 * **How a restore knows nobody has the database open: an exclusive lock.** In WAL mode every connection holds a
 * shared lock on the database file for as long as it is open, idle or not; `BEGIN EXCLUSIVE` does not conflict with
 * it (in WAL mode it takes only the WAL write lock), but a connection in `locking_mode = EXCLUSIVE` must take an
 * exclusive lock on the file at its first read, and gets SQLITE_BUSY while any other process (the server, its
 * read-only discovery worker, `npm run keys`, a sqlite3 shell) has it open. Measured: an idle writer or an idle
 * read-only connection in another process makes the probe fail with SQLITE_BUSY; once that process is gone,
 * killed or closed, the probe succeeds (and checkpoints and removes the WAL it left). `BEGIN EXCLUSIVE` succeeds
 * beside an idle WAL connection, so it does not tell. A connection to a database in rollback-journal mode holds no
 * lock while idle and cannot be seen this way; the server always uses WAL.
 */
import { randomBytes } from "node:crypto";
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, linkSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

import Database from "better-sqlite3";

import { checkedInMigrations } from "../db.js";

export type CheckKind = "integrity" | "quick";

/** A backup or restore that cannot go on; the message says what happened and what to do. */
export class OpsError extends Error {}

/** The restore target (or a backup's destination) is open in another process. */
export class DatabaseInUseError extends OpsError {}

export interface MigrationState {
  /** Rows in `__drizzle_migrations`. */
  applied: number;
  /** Tag of the newest applied migration this code knows. */
  latest: string | null;
  /** Checked-in migrations newer than the database's: the server applies them when it starts. */
  pending: string[];
  /** Applied migrations this code does not know: the database was written by a newer version. */
  unknown: number;
  /** Checked-in migrations older than the database's newest that it never applied: a history this code cannot follow. */
  skipped: string[];
}

export interface DatabaseReport {
  bytes: number;
  pageSize: number;
  pages: number;
  freePages: number;
  journalMode: string;
  check: { kind: CheckKind; ok: boolean; problems: string[] };
  /** Ordinary tables (not SQLite's own, not virtual ones). */
  tables: number;
  /** Row counts of the main tables present. */
  rows: Record<string, number>;
  /** Null when there is no `__drizzle_migrations` table. */
  migrations: MigrationState | null;
}

/** The tables a summary counts, when present. */
export const MAIN_TABLES = [
  "organizations",
  "api_keys",
  "influencers",
  "social_accounts",
  "posts",
  "post_metric_snapshots",
  "account_snapshots",
  "campaigns",
  "collaborations",
  "deliverables",
  "conversions",
  "audit_log",
] as const;

/**
 * db.ts's `migrationStatus`, with what a restore needs besides: drizzle's migrator applies the checked-in
 * migrations newer than the newest `created_at` recorded, so those are the pending ones (the server applies them at
 * start); any it does not know mean a newer version wrote the database; an older one never applied would never be.
 */
export function migrationState(sqlite: Database.Database, known = checkedInMigrations()): MigrationState | null {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return null;
  const applied = (sqlite.prepare("SELECT created_at FROM __drizzle_migrations").pluck().all() as (number | string | bigint)[]).map(Number);
  const appliedSet = new Set(applied);
  const newest = applied.length > 0 ? Math.max(...applied) : -Infinity;
  const knownSet = new Set(known.map((m) => m.when));
  const latest = [...known].reverse().find((m) => appliedSet.has(m.when))?.tag ?? null;
  return {
    applied: applied.length,
    latest,
    pending: known.filter((m) => m.when > newest).map((m) => m.tag),
    unknown: applied.filter((when) => !knownSet.has(when)).length,
    skipped: known.filter((m) => m.when < newest && !appliedSet.has(m.when)).map((m) => m.tag),
  };
}

/**
 * Checks a database file and describes it. Opens it read-write: call it on a private copy (the backup's temporary
 * file, the restore's), never on a file another process uses. `rollbackJournal` leaves it in rollback-journal mode,
 * a self-contained single file (the server switches it back to WAL when it opens it).
 */
export function inspectDatabase(path: string, check: CheckKind, rollbackJournal = false): DatabaseReport {
  const sqlite = new Database(path, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    const report: DatabaseReport = {
      bytes: statSync(path).size,
      pageSize: 0,
      pages: 0,
      freePages: 0,
      journalMode: "",
      check: { kind: check, ok: false, problems: [] },
      tables: 0,
      rows: {},
      migrations: null,
    };
    try {
      const problems = sqlite.prepare(check === "quick" ? "PRAGMA quick_check(20)" : "PRAGMA integrity_check(20)").pluck().all() as string[];
      report.check = { kind: check, ok: problems.length === 1 && problems[0] === "ok", problems: problems[0] === "ok" ? [] : problems };
    } catch (error) {
      // SQLITE_NOTADB, SQLITE_CORRUPT: the file is not a database, or not one SQLite can read.
      report.check = { kind: check, ok: false, problems: [(error as Error).message] };
    }
    if (!report.check.ok) return report;
    report.pageSize = sqlite.pragma("page_size", { simple: true }) as number;
    report.pages = sqlite.pragma("page_count", { simple: true }) as number;
    report.freePages = sqlite.pragma("freelist_count", { simple: true }) as number;
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")
      .pluck()
      .all() as string[];
    report.tables = tables.length;
    const present = new Set(tables);
    for (const name of MAIN_TABLES) {
      if (present.has(name)) report.rows[name] = sqlite.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number;
    }
    report.migrations = migrationState(sqlite);
    report.journalMode = String(sqlite.pragma(rollbackJournal ? "journal_mode = DELETE" : "journal_mode", { simple: true }));
    return report;
  } finally {
    sqlite.close();
  }
}

// ------------------------------------------------------------------------------------------------------ backup

export interface BackupOptions {
  /** The live database (DATABASE_PATH). */
  source: string;
  destination: string;
  /** Replace an existing destination. */
  force?: boolean;
  check?: CheckKind;
  onProgress?: (progress: BackupProgress) => void;
  /** Aborting stops the copy and removes the temporary file; the promise rejects with an OpsError. */
  signal?: AbortSignal;
}

export type BackupProgress =
  | { phase: "copy"; bytes: number; expectedBytes: number; sourceBytes: number }
  | { phase: "check"; kind: CheckKind }
  | { phase: "done" };

export interface BackupResult {
  source: string;
  destination: string;
  /** Whether an existing destination was replaced (`force`). */
  replaced: boolean;
  /** The source's size in pages (not counting its WAL). */
  sourceBytes: number;
  /** Epoch ms just before the copy's read transaction began: every change committed earlier is in the backup. */
  copyStartedAt: number;
  /** Epoch ms when it ended: no change committed later is in the backup. */
  copyFinishedAt: number;
  /** The whole backup, checks and sync included, in seconds. */
  seconds: number;
  report: DatabaseReport;
}

/** Takes a consistent backup of `source` while other processes read and write it. */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const source = resolve(options.source);
  const destination = resolve(options.destination);
  const check = options.check ?? "integrity";
  if (!isFile(source)) {
    throw new OpsError(`There is no database at ${source}: check DATABASE_PATH (default ./data/influencegraph.db).`);
  }
  if (sameFile(source, destination) || SIDECARS.some((suffix) => sameFile(source + suffix, destination) || source + suffix === destination)) {
    throw new OpsError(`${destination} is the database itself: name a backup file elsewhere.`);
  }
  if (!isDirectory(dirname(destination))) {
    throw new OpsError(`The folder ${dirname(destination)} does not exist: create it, or name a backup file in an existing folder.`);
  }
  if (existsSync(destination)) {
    if (!options.force) throw new OpsError(`${destination} already exists: choose another file name, or add --force to replace it.`);
    if (!isFile(destination)) throw new OpsError(`${destination} is not a file: choose another name.`);
  }
  const temp = temporaryBeside(destination, "partial");
  let worker: Worker | null = null;
  try {
    const data: WorkerTask = { module: WORKER_MODULE, task: "backup", source, temp, check };
    worker = new Worker(BOOTSTRAP, { workerData: data, execArgv: [] });
    let copy: { startedAt: number; expectedBytes: number; sourceBytes: number } | null = null;
    let copyFinishedAt = 0;
    let poll: NodeJS.Timeout | undefined;
    const report = await new Promise<DatabaseReport>((resolvePromise, reject) => {
      const onAbort = () => reject(new OpsError(`Interrupted: ${destination} was not written.`));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      worker!.on("message", (message: WorkerMessage) => {
        if (message.type === "copy-start") {
          copy = { startedAt: message.at, expectedBytes: message.expectedBytes, sourceBytes: message.sourceBytes };
          const { expectedBytes, sourceBytes } = copy;
          options.onProgress?.({ phase: "copy", bytes: 0, expectedBytes, sourceBytes });
          poll = setInterval(() => {
            const bytes = sizeOf(temp);
            options.onProgress?.({ phase: "copy", bytes, expectedBytes, sourceBytes });
          }, 200);
        } else if (message.type === "copied") {
          clearInterval(poll);
          copyFinishedAt = message.at;
          options.onProgress?.({ phase: "check", kind: check });
        } else if (message.type === "done") {
          resolvePromise(message.report);
        } else {
          reject(new OpsError(describeSqliteFailure(message.code, message.message, source)));
        }
      });
      worker!.on("error", (error) => reject(error));
      worker!.on("exit", (code) => reject(new OpsError(`The backup worker stopped (exit code ${code}) before it finished: ${destination} was not written.`)));
    }).finally(() => clearInterval(poll));
    if (!report.check.ok) {
      throw new OpsError(
        `The copy failed its ${check === "quick" ? "quick_check" : "integrity_check"} (${report.check.problems.slice(0, 3).join("; ")}): ` +
          `${destination} was not written. The live database may be damaged: run \`sqlite3 ${source} "PRAGMA integrity_check"\` while the server is stopped.`,
      );
    }
    // Replacing the file: its -wal/-shm/-journal belong to the file replaced, and a stale -wal would be read
    // as part of the new one; they may only go when nobody has that file open.
    let replaced = false;
    if (options.force && existsSync(destination)) {
      if (SIDECARS.some((suffix) => existsSync(destination + suffix))) {
        if (probeExclusive(destination).state === "in-use") {
          throw new DatabaseInUseError(`${destination} is open in another process: close it, or choose another file name.`);
        }
        removeSidecars(destination);
      }
      renameSync(temp, destination);
      replaced = true;
    } else {
      linkOrRename(temp, destination);
    }
    fsyncDirectory(dirname(destination));
    options.onProgress?.({ phase: "done" });
    const c = copy as { startedAt: number; sourceBytes: number } | null;
    return {
      source,
      destination,
      replaced,
      sourceBytes: c?.sourceBytes ?? 0,
      copyStartedAt: c?.startedAt ?? 0,
      copyFinishedAt,
      seconds: (performance.now() - started) / 1000,
      report: { ...report, bytes: statSync(destination).size },
    };
  } finally {
    await worker?.terminate();
    removeWithSidecars(temp);
  }
}

/**
 * Link the finished file to its name, which fails if the name exists (no overwrite, however late someone created
 * it); where hard links are not supported, rename after checking.
 */
function linkOrRename(from: string, to: string): void {
  try {
    linkSync(from, to);
    rmSync(from);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new OpsError(`${to} appeared while the backup ran: choose another file name, or add --force to replace it.`);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV" && code !== "ENOSYS") throw error;
    if (existsSync(to)) throw new OpsError(`${to} appeared while the backup ran: choose another file name, or add --force to replace it.`);
    renameSync(from, to);
  }
}

// ----------------------------------------------------------------------------------------------------- restore

export interface RestoreOptions {
  /** The backup file. */
  backup: string;
  /** The database the server uses (DATABASE_PATH). */
  target: string;
  /** Keep the current database as `<target>.before-restore-<UTC time>` (default); otherwise it is deleted. */
  keepPrevious?: boolean;
  check?: CheckKind;
  onProgress?: (progress: RestoreProgress) => void;
  signal?: AbortSignal;
  /** The time in the previous database's name (tests). */
  now?: Date;
}

export type RestoreProgress =
  | { phase: "copy"; bytes: number; totalBytes: number }
  | { phase: "check"; kind: CheckKind }
  | { phase: "swap" };

export interface RestoreResult {
  backup: string;
  database: string;
  /** Where the database that was replaced went; null when there was none or it was deleted (`keepPrevious: false`). */
  previous: string | null;
  /** Files of the replaced database that were removed (its -shm, an empty -wal...). */
  removed: string[];
  /** Things the operator should know (the replaced database could not be read, someone opened it meanwhile). */
  warnings: string[];
  seconds: number;
  report: DatabaseReport;
}

/** Puts a backup in place of `target`, after checking it, when no process has `target` open. */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const backup = resolve(options.backup);
  const target = resolve(options.target);
  const check = options.check ?? "integrity";
  const keepPrevious = options.keepPrevious ?? true;
  const warnings: string[] = [];
  if (!isFile(backup)) throw new OpsError(`There is no backup file at ${backup}: check the path.`);
  if (sameFile(backup, target)) throw new OpsError(`${backup} is the database itself (DATABASE_PATH): name a backup file.`);
  if (sizeOf(`${backup}-wal`) > 0) {
    throw new OpsError(
      `${backup}-wal exists beside the backup: the file alone lacks the changes in its WAL (it looks like a live ` +
        "database, or a copy taken with cp while a server ran). Take backups with `npm run backup -- FILE`; to use this " +
        "file, open it once with sqlite3 (which folds the WAL into it) and restore again.",
    );
  }
  mkdirSync(dirname(target), { recursive: true });
  // Fail fast, before copying gigabytes; checked again just before the files are swapped.
  if (existsSync(target)) refuseIfInUse(target);

  const temp = temporaryBeside(target, "restoring");
  let worker: Worker | null = null;
  try {
    const totalBytes = statSync(backup).size;
    options.onProgress?.({ phase: "copy", bytes: 0, totalBytes });
    let copied = 0;
    let lastReport = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        copied += chunk.length;
        const now = performance.now();
        if (now - lastReport > 200) {
          lastReport = now;
          options.onProgress?.({ phase: "copy", bytes: copied, totalBytes });
        }
        callback(null, chunk);
      },
    });
    const reader = createReadStream(backup, { highWaterMark: 1 << 20 });
    const writer = createWriteStream(temp, { flags: "wx" });
    await (options.signal ? pipeline(reader, counter, writer, { signal: options.signal }) : pipeline(reader, counter, writer)).catch((error: unknown) => {
      if (options.signal?.aborted) throw new OpsError(`Interrupted: ${target} was not changed.`);
      throw error;
    });
    options.onProgress?.({ phase: "copy", bytes: copied, totalBytes });

    options.onProgress?.({ phase: "check", kind: check });
    const data: WorkerTask = { module: WORKER_MODULE, task: "inspect", path: temp, check };
    worker = new Worker(BOOTSTRAP, { workerData: data, execArgv: [] });
    const report = await new Promise<DatabaseReport>((resolvePromise, reject) => {
      const onAbort = () => reject(new OpsError(`Interrupted: ${target} was not changed.`));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      worker!.on("message", (message: WorkerMessage) => {
        if (message.type === "done") resolvePromise(message.report);
        else if (message.type === "error") reject(new OpsError(`Cannot read the backup ${backup}: ${message.message}. It cannot be restored; use another backup.`));
      });
      worker!.on("error", reject);
      worker!.on("exit", (code) => reject(new OpsError(`The check stopped (exit code ${code}) before it finished: ${target} was not changed.`)));
    });
    refuseUnrestorable(report, backup, check);

    // The swap: synchronous from here on, so no signal handler runs in the middle of it.
    options.onProgress?.({ phase: "swap" });
    let previous: string | null = null;
    const removed: string[] = [];
    if (existsSync(target)) {
      // Refuses while anyone has it open. Closing the probe checkpoints the current database's WAL into it and
      // deletes the WAL, so the previous database is one self-contained file.
      const probe = probeExclusive(target);
      if (probe.state === "in-use") throw inUse(target);
      if (probe.state === "unreadable") warnings.push(`The current database could not be read (${probe.reason}); it was ${keepPrevious ? "kept" : "deleted"} as it was.`);
      if (keepPrevious) {
        previous = previousName(target, options.now ?? new Date());
        // A second name for the same file: the target is replaced in one rename, and the previous stays whole.
        linkOrCopy(target, previous);
        for (const suffix of ["-wal", "-journal"]) {
          // Not folded in (an unreadable database): they hold its latest changes, so they go with it.
          if (sizeOf(target + suffix) > 0) renameSync(target + suffix, previous + suffix);
        }
      }
    }
    // A -wal or -shm left beside the target would be read as the restored database's own.
    for (const suffix of SIDECARS) {
      if (existsSync(target + suffix)) {
        rmSync(target + suffix, { force: true });
        removed.push(target + suffix);
      }
    }
    renameSync(temp, target);
    fsyncDirectory(dirname(target));
    if (previous && probeExclusive(previous).state === "in-use") {
      warnings.push(
        `A process opened the database while it was being replaced, and is using the previous one (${previous}): ` +
          "stop it and start the server again.",
      );
    }
    return { backup, database: target, previous, removed, warnings, seconds: (performance.now() - started) / 1000, report: { ...report, bytes: statSync(target).size } };
  } finally {
    await worker?.terminate();
    removeWithSidecars(temp);
  }
}

function refuseIfInUse(target: string): void {
  if (probeExclusive(target).state === "in-use") throw inUse(target);
}

function inUse(target: string): DatabaseInUseError {
  return new DatabaseInUseError(
    `${target} is open in another process (the server, \`npm run import\`, \`npm run keys\`, a sqlite3 shell...): ` +
      "stop it, then run the restore again. Nothing was changed.",
  );
}

function refuseUnrestorable(report: DatabaseReport, backup: string, check: CheckKind): void {
  if (!report.check.ok) {
    throw new OpsError(
      `${backup} fails its ${check === "quick" ? "quick_check" : "integrity_check"} (${report.check.problems.slice(0, 3).join("; ")}): ` +
        "it cannot be restored. Use another backup. Nothing was changed.",
    );
  }
  const m = report.migrations;
  if (!m || m.applied === 0) {
    throw new OpsError(`${backup} is not an InfluenceGraph database (it has no applied migrations in __drizzle_migrations). Nothing was changed.`);
  }
  if (m.unknown > 0) {
    throw new OpsError(
      `${backup} was written by a newer version of InfluenceGraph: it has ${m.unknown} migration${m.unknown === 1 ? "" : "s"} this code ` +
        "does not know. Update the code (git pull && npm install), then run the restore again. Nothing was changed.",
    );
  }
  if (m.skipped.length > 0) {
    throw new OpsError(
      `${backup} skipped migrations that this code has before its newest one (${m.skipped.join(", ")}): its schema history does not ` +
        "match this code's. Nothing was changed.",
    );
  }
}

/** `influencegraph.db.before-restore-20260501T123456Z`, with `-2`, `-3`... when taken. */
function previousName(target: string, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, "Z").replace(/[-:]/g, "");
  let name = `${target}.before-restore-${stamp}`;
  for (let n = 2; existsSync(name); n++) name = `${target}.before-restore-${stamp}-${n}`;
  return name;
}

function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV" && code !== "ENOSYS") throw error;
    // No hard links on this file system: move it aside; the target is missing until the rename that follows.
    renameSync(from, to);
  }
  fsyncDirectory(dirname(to));
}

// ------------------------------------------------------------------------------------------------------- locks

export type ProbeResult = { state: "free" } | { state: "in-use"; code: string } | { state: "unreadable"; reason: string };

/**
 * Whether any other connection has the database open, by taking an exclusive lock on it (see the top of this
 * file). The lock is released before this returns; a WAL left by a crashed process is checkpointed into the
 * database and removed when the probe closes.
 */
export function probeExclusive(path: string): ProbeResult {
  const sqlite = new Database(path, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 0");
    sqlite.pragma("locking_mode = EXCLUSIVE");
    // WAL mode: the first read takes the exclusive lock. Rollback mode: the write transaction does (a reader
    // holds a shared lock only while it reads).
    sqlite.prepare("SELECT count(*) FROM sqlite_master").get();
    sqlite.exec("BEGIN EXCLUSIVE; COMMIT");
    return { state: "free" };
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? "");
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return { state: "in-use", code };
    if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) return { state: "unreadable", reason: (error as Error).message };
    throw error;
  } finally {
    sqlite.close();
  }
}

// ------------------------------------------------------------------------------------------------------- files

/** SQLite's companion files: the WAL, its shared-memory index, the rollback journal. */
const SIDECARS = ["-wal", "-shm", "-journal"] as const;

function temporaryBeside(path: string, what: string): string {
  return join(dirname(path), `${basename(path)}.${what}-${process.pid}-${randomBytes(3).toString("hex")}`);
}

function removeSidecars(path: string): void {
  for (const suffix of SIDECARS) rmSync(path + suffix, { force: true });
}

function removeWithSidecars(path: string): void {
  rmSync(path, { force: true });
  removeSidecars(path);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

export function fsyncFile(path: string): void {
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename or link in the directory durable (the new entry survives a power loss). */
export function fsyncDirectory(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (error) {
    // Some file systems (and Windows) cannot fsync a directory; the rename itself is still atomic.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR" && code !== "EBADF") throw error;
  } finally {
    closeSync(fd);
  }
}

/** A failed copy in words, with what to do. */
function describeSqliteFailure(code: string, message: string, source: string): string {
  if (code.startsWith("SQLITE_FULL")) return `The disk is full (${message}): free space where the backup goes, then run it again.`;
  if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) {
    return `${source} cannot be read as a database (${message}): check DATABASE_PATH, and the database with \`sqlite3 ${source} "PRAGMA integrity_check"\`.`;
  }
  if (code.startsWith("SQLITE_BUSY")) return `The database stayed locked (${message}): run the backup again.`;
  if (code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_IOERR")) {
    return `Cannot read ${source} or write the backup (${message}): check the permissions and free space of both folders.`;
  }
  return `The backup failed: ${message}`;
}

// ------------------------------------------------------------------------------------------------------ worker

const BOOTSTRAP = new URL("../common/ts-worker.mjs", import.meta.url);
const WORKER_MODULE = import.meta.url;

type WorkerTask =
  | { module: string; task: "backup"; source: string; temp: string; check: CheckKind }
  | { module: string; task: "inspect"; path: string; check: CheckKind };

type WorkerMessage =
  | { type: "copy-start"; at: number; expectedBytes: number; sourceBytes: number }
  | { type: "copied"; at: number }
  | { type: "done"; report: DatabaseReport }
  | { type: "error"; code: string; message: string };

/** In the worker thread (this module, loaded by common/ts-worker.mjs): the synchronous SQLite work. */
function runWorkerTask(task: WorkerTask, post: (message: WorkerMessage) => void): void {
  try {
    if (task.task === "backup") {
      const source = new Database(task.source, { fileMustExist: true });
      try {
        source.pragma("busy_timeout = 5000");
        // VACUUM INTO builds the copy in this connection's page cache: a small one makes it write as it goes, which
        // is what the progress watches (with the 16 MiB default nothing appears until the end on small databases).
        source.pragma("cache_size = -2048");
        const pageSize = source.pragma("page_size", { simple: true }) as number;
        const pages = source.pragma("page_count", { simple: true }) as number;
        const free = source.pragma("freelist_count", { simple: true }) as number;
        post({ type: "copy-start", at: Date.now(), expectedBytes: (pages - free) * pageSize, sourceBytes: pages * pageSize });
        source.prepare("VACUUM INTO ?").run(task.temp);
        post({ type: "copied", at: Date.now() });
      } finally {
        source.close();
      }
      const report = inspectDatabase(task.temp, task.check, true);
      fsyncFile(task.temp);
      post({ type: "done", report });
    } else {
      const report = inspectDatabase(task.path, task.check, true);
      if (report.check.ok) fsyncFile(task.path);
      post({ type: "done", report });
    }
  } catch (error) {
    post({ type: "error", code: String((error as { code?: unknown }).code ?? ""), message: (error as Error).message });
  }
}

if (!isMainThread && parentPort && (workerData as { module?: unknown } | null)?.module === WORKER_MODULE) {
  const port = parentPort;
  runWorkerTask(workerData as WorkerTask, (message) => port.postMessage(message));
}

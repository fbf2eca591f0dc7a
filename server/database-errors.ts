/**
 * What SQLite's failures mean to a client and to an operator. better-sqlite3 throws `SqliteError` with SQLite's
 * extended result code (`SQLITE_BUSY`, `SQLITE_FULL`, `SQLITE_READONLY_DBMOVED`...); none of them is a bug in the
 * request, so none may reach a client as INTERNAL_SERVER_ERROR:
 *
 * - `DATABASE_BUSY` (HTTP 503, `Retry-After`): another connection (a second server process, `npm run import`,
 *   `npm run keys`) held the write lock for longer than DATABASE_BUSY_TIMEOUT_MS. Nothing was written; retrying is
 *   safe and expected (`extensions.retryable`, `extensions.retryAfterSeconds`).
 * - `STORAGE_FULL` (HTTP 507): the disk (or SQLite's maximum size) is full. Nothing was written; reads still work.
 * - `DATABASE_READ_ONLY` (HTTP 503): the server may not write the file (read-only file or filesystem, or the file
 *   was moved or replaced under the running server).
 * - `STORAGE_ERROR` (HTTP 503): the operating system reported an I/O error or could not open a file SQLite needs.
 *
 * The formatter (errors.ts) turns the errors into these codes, `databaseErrorsPlugin` sets the HTTP status of a
 * response that failed as a whole, and `describeStartFailure` words the message `npm start` prints when the
 * database cannot be opened at all.
 */
import { accessSync, constants, statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";

import type { ApolloServerPlugin } from "@apollo/server";
import type Database from "better-sqlite3";
import { GraphQLError, type GraphQLFormattedError } from "graphql";

export type DatabaseErrorCode = "DATABASE_BUSY" | "STORAGE_FULL" | "DATABASE_READ_ONLY" | "STORAGE_ERROR";

export const DATABASE_ERROR_CODES: readonly DatabaseErrorCode[] = ["DATABASE_BUSY", "STORAGE_FULL", "DATABASE_READ_ONLY", "STORAGE_ERROR"];

/** The hint a DATABASE_BUSY answer gives: another writer's transaction is short, a second is plenty. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** The HTTP status of a response that failed as a whole with this code. */
export const DATABASE_ERROR_STATUS: Readonly<Record<DatabaseErrorCode, number>> = {
  DATABASE_BUSY: 503,
  STORAGE_FULL: 507,
  DATABASE_READ_ONLY: 503,
  STORAGE_ERROR: 503,
};

/** better-sqlite3's SqliteError, recognised by shape (it may come through a worker thread or a wrapper). */
export interface SqliteFailure extends Error {
  code: string;
}

function isSqliteFailure(value: unknown): value is SqliteFailure {
  const code = value instanceof Error ? (value as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

/** The SQLite failure behind an error: itself, or what it wraps (GraphQLError.originalError, drizzle's `cause`). */
export function sqliteFailureOf(error: unknown): SqliteFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (isSqliteFailure(current)) return current;
    current = (current as { originalError?: unknown }).originalError ?? current.cause;
  }
  return undefined;
}

/** The API's code for an SQLite result code; undefined for those that do mean a bug (constraint, misuse...). */
export function classifySqliteCode(code: string): DatabaseErrorCode | undefined {
  // SQLite could not grow its -shm file (it writes a byte into each new page so the mapping cannot fault): on
  // Linux the cause is a full disk, and a WAL database without its -shm cannot even be read then.
  if (code === "SQLITE_IOERR_SHMSIZE") return "STORAGE_FULL";
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  switch (primary) {
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return "DATABASE_BUSY";
    case "SQLITE_FULL":
      return "STORAGE_FULL";
    case "SQLITE_READONLY":
      return "DATABASE_READ_ONLY";
    case "SQLITE_IOERR":
    case "SQLITE_CANTOPEN":
      return "STORAGE_ERROR";
    default:
      return undefined;
  }
}

export interface DatabaseErrorAnswer {
  code: DatabaseErrorCode;
  message: string;
  extensions: { retryable: boolean; retryAfterSeconds?: number };
}

/** What the client is told about an SQLite failure, or undefined when the error is no database condition. */
export function databaseErrorAnswer(error: unknown): DatabaseErrorAnswer | undefined {
  const failure = sqliteFailureOf(error);
  const code = failure && classifySqliteCode(failure.code);
  if (!failure || !code) return undefined;
  switch (code) {
    case "DATABASE_BUSY":
      return {
        code,
        message:
          `The database is busy: another process held its write lock too long (a second server, an import, \`npm run keys\`). ` +
          `Nothing was written; retry in ${BUSY_RETRY_AFTER_SECONDS} s.`,
        extensions: { retryable: true, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
      };
    case "STORAGE_FULL":
      return {
        code,
        message: "The server's disk is full: nothing was written. Reads still work; writes succeed again once the operator frees space.",
        extensions: { retryable: false },
      };
    case "DATABASE_READ_ONLY":
      return {
        code,
        message:
          failure.code === "SQLITE_READONLY_DBMOVED"
            ? "The database file was moved or replaced while the server was running: nothing was written. The operator must restart the server."
            : "The database is read-only to the server: nothing was written. Reads still work; the operator must make the database writable.",
        extensions: { retryable: false },
      };
    case "STORAGE_ERROR":
      return {
        code,
        message: "The server could not read or write its database (a disk I/O error): the operator must check the disk.",
        extensions: { retryable: false },
      };
  }
}

/**
 * The typed GraphQLError for an SQLite failure, carrying its HTTP status, for errors raised outside a resolver
 * (the context's authentication): Apollo answers those with the status in `extensions.http`, not through plugins.
 */
export function typedDatabaseError(error: unknown): GraphQLError | undefined {
  const answer = databaseErrorAnswer(error);
  if (!answer) return undefined;
  const headers = new Map<string, string>();
  if (answer.extensions.retryAfterSeconds !== undefined) headers.set("retry-after", String(answer.extensions.retryAfterSeconds));
  return new GraphQLError(answer.message, {
    originalError: sqliteFailureOf(error),
    extensions: { code: answer.code, ...answer.extensions, http: { status: DATABASE_ERROR_STATUS[answer.code], headers } },
  });
}

/** Runs `fn`, rethrowing an SQLite failure as its typed error. */
export function withTypedDatabaseErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw typedDatabaseError(error) ?? error;
  }
}

const STATUS_PRIORITY: readonly DatabaseErrorCode[] = ["DATABASE_BUSY", "STORAGE_FULL", "DATABASE_READ_ONLY", "STORAGE_ERROR"];

/**
 * Sets the HTTP status of a response whose operation failed as a whole on a database condition (no `data`): 503
 * with `Retry-After` for DATABASE_BUSY, 507 for STORAGE_FULL, 503 for DATABASE_READ_ONLY and STORAGE_ERROR. A
 * response with partial data stays 200, as GraphQL over HTTP asks; its errors carry the same codes.
 */
export function databaseErrorsPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          setDatabaseErrorHead(response.body.singleResult, response.http);
        },
      };
    },
  };
}

/** The HTTP status (and Retry-After) of a response that failed as a whole on the database. */
export function setDatabaseErrorHead(
  { data, errors }: { data?: unknown; errors?: readonly GraphQLFormattedError[] },
  http: { status?: number; headers: Map<string, string> },
): void {
  if (data != null || !errors?.length) return;
  const codes = new Set(errors.map((e) => e.extensions?.code));
  const code = STATUS_PRIORITY.find((c) => codes.has(c));
  if (!code) return;
  const status = http.status;
  if (status !== undefined && status !== 200 && status !== 500) return;
  http.status = DATABASE_ERROR_STATUS[code];
  if (code === "DATABASE_BUSY") {
    const hint = errors.find((e) => e.extensions?.code === code)?.extensions?.retryAfterSeconds;
    http.headers.set("retry-after", String(typeof hint === "number" ? hint : BUSY_RETRY_AFTER_SECONDS));
  }
}

/**
 * Throws SQLite's own SQLITE_READONLY when the connection cannot write. SQLite opens a file it may not write
 * read-only without a word (a WAL database whose -shm survived a crash even on a read-only filesystem), and the
 * migrations write nothing when none is pending, so a server would otherwise start and refuse every write. The
 * probe changes a header field to its own value inside a transaction it rolls back: nothing reaches the file. A
 * lock held by another writer proves nothing either way and is left to the requests (DATABASE_BUSY).
 */
export function assertWritable(sqlite: Database.Database): void {
  try {
    sqlite.exec("BEGIN IMMEDIATE");
  } catch (error) {
    if (databaseErrorAnswer(error)?.code === "DATABASE_BUSY") return;
    throw error;
  }
  try {
    const version = Number(sqlite.pragma("user_version", { simple: true }));
    sqlite.pragma(`user_version = ${version}`);
  } finally {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
  }
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The errno of a failed file-system call (it names a path), so a refused `listen` (EACCES on port 80) is not one. */
function fileErrnoOf(error: unknown): string | undefined {
  return typeof (error as { path?: unknown } | null)?.path === "string" ? errnoOf(error) : undefined;
}

/** Why this process may not write `path` (the file when it exists, else its folder): "EROFS", "EACCES"... */
function writeProblem(path: string): string | undefined {
  for (const target of [path, dirname(path)]) {
    try {
      accessSync(target, constants.W_OK);
      return undefined;
    } catch (error) {
      const errno = errnoOf(error);
      if (errno !== "ENOENT") return errno;
    }
  }
  return undefined;
}

function freeBytes(path: string): number | undefined {
  for (const target of [path, dirname(path)]) {
    try {
      const stats = statfsSync(target);
      return stats.bavail * stats.bsize;
    } catch {
      // try the folder
    }
  }
  return undefined;
}

/**
 * The message `npm start` prints when the database cannot be opened, migrated or seeded because of the disk or the
 * file's permissions; undefined for any other failure. It names DATABASE_PATH and says what to do.
 */
export function describeStartFailure(error: unknown, databasePath: string): string | undefined {
  const file = resolve(databasePath);
  const sqlite = sqliteFailureOf(error);
  const errno = sqlite ? undefined : fileErrnoOf(error);
  const code = sqlite ? classifySqliteCode(sqlite.code) : undefined;
  const where = `the database file ${file} (DATABASE_PATH=${databasePath})`;
  const free = freeBytes(file);
  // An I/O error with (next to) no space left is the full disk; SQLite's -shm alone needs 32 KiB.
  const nearlyFull = free !== undefined && free < 1 << 20;
  if (code === "STORAGE_FULL" || errno === "ENOSPC" || errno === "EDQUOT" || (code === "STORAGE_ERROR" && nearlyFull)) {
    return (
      `InfluenceGraph could not start: the disk holding ${where} is full` +
      (free !== undefined ? ` (${free.toLocaleString("en")} bytes free)` : "") +
      `. Free space on that disk, or set DATABASE_PATH to a file on a disk with room, then start again. ` +
      `Nothing was written.`
    );
  }
  if (code === "DATABASE_READ_ONLY" || code === "STORAGE_ERROR" || errno === "EROFS" || errno === "EACCES" || errno === "EPERM") {
    const problem = errno === "EROFS" || errno === "EACCES" || errno === "EPERM" ? errno : writeProblem(file);
    const advice =
      `The server writes to it (migrations at start, then every mutation) and keeps its -wal and -shm files beside it, ` +
      `so the file and its folder must be writable.`;
    if (problem === "EROFS") {
      return (
        `InfluenceGraph could not start: ${where} is read-only: it is on a read-only filesystem. ${advice} ` +
        `Remount the filesystem read-write, or copy the file (with its -wal file, if there is one) to a writable disk and point DATABASE_PATH at the copy, then start again.`
      );
    }
    if (problem === "EACCES" || problem === "EPERM" || code === "DATABASE_READ_ONLY") {
      return (
        `InfluenceGraph could not start: ${where} is read-only to this user. ${advice} ` +
        `Give this user write access to the file and its folder (chown/chmod), or point DATABASE_PATH at a writable copy, then start again.`
      );
    }
    return (
      `InfluenceGraph could not start: cannot open ${where} (${sqlite?.code ?? errno}: ${error instanceof Error ? error.message : String(error)}). ` +
      `Check that the path names a file (not a folder), that its folder exists and is writable, and that the disk is healthy, then start again.`
    );
  }
  return undefined;
}

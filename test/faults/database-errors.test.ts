/**
 * How SQLite's result codes map to the API's codes, and the one path the process tests cannot reach on demand: a
 * failure while the request is authenticated, before any resolver runs (Apollo answers those without plugins).
 * There a real better-sqlite3 SqliteError is thrown from the access service of a real server, over HTTP.
 */
import Database from "better-sqlite3";
import { GraphQLError } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { classifySqliteCode, describeStartFailure } from "../../server/database-errors.js";
import { createErrorFormatter } from "../../server/errors.js";
import { createApiKey, createOrganization } from "../support/factories.js";
import { startTestServer, type TestServer } from "../support/server.js";

describe("SQLite result codes", () => {
  it("map busy, locked, full, read-only and I/O failures to typed codes, and leave the rest alone", () => {
    expect(
      Object.fromEntries(
        [
          "SQLITE_BUSY",
          "SQLITE_BUSY_SNAPSHOT",
          "SQLITE_BUSY_RECOVERY",
          "SQLITE_LOCKED",
          "SQLITE_LOCKED_SHAREDCACHE",
          "SQLITE_FULL",
          "SQLITE_READONLY",
          "SQLITE_READONLY_DBMOVED",
          "SQLITE_READONLY_RECOVERY",
          "SQLITE_IOERR",
          "SQLITE_IOERR_WRITE",
          "SQLITE_IOERR_SHMSIZE",
          "SQLITE_CANTOPEN",
          "SQLITE_CONSTRAINT_UNIQUE",
          "SQLITE_ERROR",
          "SQLITE_CORRUPT",
          "SQLITE_MISUSE",
        ].map((code) => [code, classifySqliteCode(code) ?? null]),
      ),
    ).toEqual({
      SQLITE_BUSY: "DATABASE_BUSY",
      SQLITE_BUSY_SNAPSHOT: "DATABASE_BUSY",
      SQLITE_BUSY_RECOVERY: "DATABASE_BUSY",
      SQLITE_LOCKED: "DATABASE_BUSY",
      SQLITE_LOCKED_SHAREDCACHE: "DATABASE_BUSY",
      SQLITE_FULL: "STORAGE_FULL",
      SQLITE_READONLY: "DATABASE_READ_ONLY",
      SQLITE_READONLY_DBMOVED: "DATABASE_READ_ONLY",
      SQLITE_READONLY_RECOVERY: "DATABASE_READ_ONLY",
      SQLITE_IOERR: "STORAGE_ERROR",
      SQLITE_IOERR_WRITE: "STORAGE_ERROR",
      // SQLite could not grow its -shm file: on Linux, a full disk.
      SQLITE_IOERR_SHMSIZE: "STORAGE_FULL",
      SQLITE_CANTOPEN: "STORAGE_ERROR",
      // Bugs stay INTERNAL_SERVER_ERROR (masked, logged).
      SQLITE_CONSTRAINT_UNIQUE: null,
      SQLITE_ERROR: null,
      SQLITE_CORRUPT: null,
      SQLITE_MISUSE: null,
    });
  });

  it("the formatter types a resolver's SqliteError and masks any other failure", () => {
    const format = createErrorFormatter(false);
    const wrapped = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["createCampaign"] });
    const masked = { message: "x", extensions: { code: "INTERNAL_SERVER_ERROR" } };
    expect(format(masked, wrapped(new Database.SqliteError("database or disk is full", "SQLITE_FULL")))).toEqual({
      message: "The server's disk is full: nothing was written. Reads still work; writes succeed again once the operator frees space.",
      extensions: { code: "STORAGE_FULL", retryable: false },
    });
    expect(format(masked, wrapped(new Database.SqliteError("database is locked", "SQLITE_BUSY"))).extensions).toEqual({
      code: "DATABASE_BUSY",
      retryable: true,
      retryAfterSeconds: 1,
    });
    expect(format(masked, wrapped(new Database.SqliteError("UNIQUE constraint failed: x.y", "SQLITE_CONSTRAINT_UNIQUE")))).toEqual({
      message: "Internal server error.",
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
    // Development adds SQLite's own code.
    expect(createErrorFormatter(true)(masked, wrapped(new Database.SqliteError("disk I/O error", "SQLITE_IOERR_WRITE"))).extensions).toMatchObject({
      code: "STORAGE_ERROR",
      sqliteCode: "SQLITE_IOERR_WRITE",
    });
  });

  it("a start failure that is no storage problem keeps the generic message (a refused listen is no read-only file)", () => {
    const listen = Object.assign(new Error("listen EACCES: permission denied 127.0.0.1:80"), { code: "EACCES", syscall: "listen" });
    expect(describeStartFailure(listen, "./data/x.db")).toBeUndefined();
    expect(describeStartFailure(new Error("boom"), "./data/x.db")).toBeUndefined();
    const mkdir = Object.assign(new Error("EACCES: permission denied, mkdir '/srv/db'"), { code: "EACCES", path: "/srv/db" });
    expect(describeStartFailure(mkdir, "/srv/db/x.db")).toMatch(/the database file \/srv\/db\/x\.db \(DATABASE_PATH=\/srv\/db\/x\.db\) is read-only to this user/);
  });
});

describe("a database failure while authenticating", () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer({}, (db) => {
      const org = createOrganization(db, "Faults");
      key = createApiKey(db, org.id, "MANAGER");
    });
  });
  afterAll(() => server.close());

  const failAuthentication = (code: string, message: string) => {
    const access = server.app.services.access;
    const authenticate = access.authenticate.bind(access);
    access.authenticate = () => {
      throw new Database.SqliteError(message, code);
    };
    return () => {
      access.authenticate = authenticate;
    };
  };

  it("answers DATABASE_BUSY with 503 and Retry-After, not a 500", async () => {
    const restore = failAuthentication("SQLITE_BUSY", "database is locked");
    try {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ campaigns { totalCount } }" }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      const body = (await response.json()) as any;
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions).toEqual({ code: "DATABASE_BUSY", retryable: true, retryAfterSeconds: 1 });
    } finally {
      restore();
    }
    // And the next request, with the database free again, is served.
    expect((await server.gql("{ campaigns { totalCount } }", {}, key)).errors).toBeUndefined();
  });

  it("answers STORAGE_FULL with 507 and STORAGE_ERROR with 503", async () => {
    for (const [code, message, expected, status] of [
      ["SQLITE_FULL", "database or disk is full", "STORAGE_FULL", 507],
      ["SQLITE_IOERR_READ", "disk I/O error", "STORAGE_ERROR", 503],
    ] as const) {
      const restore = failAuthentication(code, message);
      try {
        const response = await server.gql("{ campaigns { totalCount } }", {}, key);
        expect(response.status).toBe(status);
        expect(response.headers.get("retry-after")).toBeNull();
        expect(response.errors?.[0]?.extensions).toEqual({ code: expected, retryable: false });
      } finally {
        restore();
      }
    }
  });
});

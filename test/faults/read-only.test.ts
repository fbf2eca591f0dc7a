/**
 * A read-only database, on a real filesystem remounted read-only (a tmpfs mount; the test needs root, as in CI,
 * and is skipped with the reason when this process may not mount): after a clean stop, with no database yet, and
 * after a crash left a hot WAL (SQLite then opens the file read-only without a word), the server exits at start
 * with code 1 and a message that names the file, says it is read-only and what to do; nothing in the file changes.
 * The same for a file the server's user may not write (run as `nobody`; needs root too).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { gql, remount, ROOT, seedTemplate, startExpectingFailure, startServer, tmpfsMounts } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-read-only-"));
const mounts = tmpfsMounts(dir);
if (mounts.problem) console.warn(`test/faults/read-only.test.ts skipped: it mounts a tmpfs (run it as root): ${mounts.problem}`);
afterAll(() => {
  mounts.unmountAll();
  rmSync(dir, { recursive: true, force: true });
});

const template = join(dir, "template.db");
let templateKiB = 0;

describe.skipIf(mounts.problem !== null)(`a read-only database${mounts.problem ? ` (skipped: ${mounts.problem})` : ""}`, () => {
  beforeAll(() => {
    seedTemplate(template);
    templateKiB = Math.ceil(statSync(template).size / 1024);
  });

  it("a database on a read-only filesystem: the server exits with 1 and says the file is read-only and what to do", async () => {
    const disk = mounts.mount("read-only", templateKiB + 4096);
    const databasePath = join(disk, "ro.db");
    copyFileSync(template, databasePath);
    remount(disk, "ro");
    const { code, output } = await startExpectingFailure(databasePath);
    expect(code).toBe(1);
    expect(output).toContain(`InfluenceGraph could not start: the database file ${databasePath} (DATABASE_PATH=${databasePath}) is read-only: it is on a read-only filesystem.`);
    expect(output).toContain("Remount the filesystem read-write, or copy the file (with its -wal file, if there is one) to a writable disk and point DATABASE_PATH at the copy, then start again.");
    expect(output).not.toMatch(/^\s+at /m);

    // No database yet on a read-only filesystem: the same message, for the file that cannot be created.
    const missing = await startExpectingFailure(join(disk, "missing.db"));
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/the database file \S+missing\.db \(DATABASE_PATH=\S+\) is read-only: it is on a read-only filesystem/);

    // Nothing was changed: the file has the template's size, no WAL beside it, and it is intact.
    expect(statSync(databasePath).size).toBe(statSync(template).size);
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    remount(disk, "rw");
    const check = new Database(databasePath);
    try {
      expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      check.close();
    }
  }, 60_000);

  it("a database left by a crash (hot WAL) on a filesystem remounted read-only: the same clear refusal, and nothing lost", async () => {
    const disk = mounts.mount("read-only-after-crash", templateKiB + 4096);
    const databasePath = join(disk, "crashed.db");
    copyFileSync(template, databasePath);
    // A writer killed (SIGKILL) right after its commit: the commit is in the WAL only, and -wal and -shm stay.
    const crash = spawnSync(
      process.execPath,
      ["-e", `const db = new (require("better-sqlite3"))(${JSON.stringify(databasePath)}); db.prepare("UPDATE influencers SET name = 'written before the crash' WHERE id = 1").run(); process.kill(process.pid, "SIGKILL");`],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(crash.signal, crash.stderr).toBe("SIGKILL");
    expect(statSync(`${databasePath}-wal`).size).toBeGreaterThan(0);
    expect(existsSync(`${databasePath}-shm`)).toBe(true);
    remount(disk, "ro");

    const { code, output } = await startExpectingFailure(databasePath);
    expect(code).toBe(1);
    expect(output).toContain(`the database file ${databasePath} (DATABASE_PATH=${databasePath}) is read-only: it is on a read-only filesystem.`);
    expect(output).not.toMatch(/^\s+at /m);

    remount(disk, "rw");
    const restarted = await startServer(databasePath);
    try {
      const read = await gql(restarted.url, restarted.key, `{ influencer(id: 1) { name } }`);
      expect(read.data.influencer.name).toBe("written before the crash");
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  }, 60_000);
});

const root = process.getuid?.() === 0;
describe.skipIf(!root)(`a database file the server's user may not write${root ? "" : " (skipped: run as root to start the server as nobody)"}`, () => {
  it("the server exits with 1 and says the file is read-only to this user and what to do", async () => {
    // A folder anyone may write, holding a file only its owner (root) may write.
    chmodSync(dir, 0o755);
    const shared = join(dir, "not-mine");
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    const databasePath = join(shared, "root-owned.db");
    seedTemplate(databasePath);
    chmodSync(databasePath, 0o644);
    const before = statSync(databasePath);
    const { code, output } = await startExpectingFailure(databasePath, { HOME: shared }, { uid: 65534, gid: 65534 });
    expect(code).toBe(1);
    expect(output).toContain(`InfluenceGraph could not start: the database file ${databasePath} (DATABASE_PATH=${databasePath}) is read-only to this user.`);
    expect(output).toContain("Give this user write access to the file and its folder (chown/chmod), or point DATABASE_PATH at a writable copy, then start again.");
    expect(output).not.toMatch(/^\s+at /m);
    const after = statSync(databasePath);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  });
});

/**
 * `npm run backup` and `npm run restore` end to end, through the real things: the server (`server/main.ts`) in a
 * child process on a temporary database, a stream of createCampaign writes over HTTP, and the two commands in
 * child processes (the refusals that need no server also in this process, through the functions the entry points
 * call, which saves a second of TypeScript loading each). The backup is taken while the writes go on and must be a
 * checked snapshot; then the server is stopped, the backup restored and the server started again on it.
 */
import { appendFileSync, closeSync, copyFileSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checkedInMigrations, closeDatabase, MIGRATIONS_FOLDER, openDatabase } from "../../server/db.js";
import { runBackupCli } from "../../server/ops/backup.cli.js";
import { runRestoreCli } from "../../server/ops/restore.cli.js";
import { createCampaign, filesStartingWith, fingerprint, gql, inProcess, ROOT, runCli, sha256File, sqlite, startServer, startWriter, type Server, type Write } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-ops-"));
const live = join(dir, "live.db");
const backupFile = join(dir, "backup.db");
const env = { DATABASE_PATH: live };

let server: Server | null = null;
let key = "";

beforeAll(async () => {
  // A small database (about 7 MB), seeded in a few seconds.
  server = await startServer(live, { SEED_INFLUENCERS: "400" });
  key = server.key;
}, 90_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What the backup test learned, for the restore tests. */
const state: { writes: Write[]; copyStartedAt: number; copyFinishedAt: number; backupCampaigns: number; afterBackupId: string; backupHash: string } = {
  writes: [],
  copyStartedAt: 0,
  copyFinishedAt: 0,
  backupCampaigns: 0,
  afterBackupId: "",
  backupHash: "",
};

function sqliteCount(path: string, table: string): number {
  const db = sqlite(path, false);
  try {
    return db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
  } finally {
    db.close();
  }
}

const DISCOVER = `{ discover(brief: { objective: ENGAGEMENT, keywords: "fitness" }, first: 5) { totalCount edges { node { handle } } } }`;
const COUNT = `{ campaigns(first: 1, filter: { includeArchived: true }) { totalCount } }`;

describe("command lines", () => {
  it("exit 2 with the usage for bad arguments, 0 with the help for --help", async () => {
    // Two through the real entry points (the exit code of the process), the rest through the same functions.
    const [spawnedBackup, spawnedRestore, ...runs] = await Promise.all([
      runCli("backup.cli.ts", [], env),
      runCli("restore.cli.ts", ["--force", "a.db"], env),
      inProcess(runBackupCli, ["a.db", "b.db"]),
      inProcess(runBackupCli, ["--frobnicate", "a.db"]),
      inProcess(runBackupCli, ["--json"]),
      inProcess(runRestoreCli, []),
      inProcess(runRestoreCli, ["a.db", "b.db"]),
      inProcess(runBackupCli, ["--help"]),
      inProcess(runRestoreCli, ["-h"]),
    ]);
    const [twoFiles, unknown, noFile, restoreNoFile, restoreTwo, backupHelp, restoreHelp] = runs;
    for (const run of [spawnedBackup, twoFiles, unknown, noFile]) {
      expect(run!.code, run!.stderr).toBe(2);
      expect(run!.stderr).toContain("usage: npm run backup -- FILE");
      expect(run!.stdout).toBe("");
    }
    expect(spawnedBackup!.stderr).toContain("name the backup file");
    expect(twoFiles!.stderr).toContain("one backup file at a time");
    expect(unknown!.stderr).toContain("--frobnicate");
    for (const run of [spawnedRestore, restoreNoFile, restoreTwo]) {
      expect(run!.code, run!.stderr).toBe(2);
      expect(run!.stderr).toContain("usage: npm run restore -- FILE");
    }
    expect(spawnedRestore!.stderr).toContain("--force");
    expect(backupHelp!.code).toBe(0);
    expect(backupHelp!.stdout).toContain("--force");
    expect(restoreHelp!.code).toBe(0);
    expect(restoreHelp!.stdout).toContain("before-restore");
    // Nothing was written anywhere.
    expect(filesStartingWith(dir, "a.db")).toEqual([]);
    expect(existsSync(join(ROOT, "a.db"))).toBe(false);
  }, 30_000);
});

describe("npm run backup while the server writes", () => {
  it("takes a checked snapshot: every write acknowledged before the copy began, none sent after it ended", async () => {
    const writer = startWriter(server!.url, key, "w");
    await writer.waitFor(30);
    const acknowledgedBeforeSpawn = writer.writes.length;
    const run = await runCli("backup.cli.ts", [backupFile, "--json"], env);
    await writer.waitFor(20);
    const writes = await writer.stop();
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    const copyStartedAt = Date.parse(summary.copyStartedAt);
    const copyFinishedAt = Date.parse(summary.copyFinishedAt);
    expect(copyFinishedAt).toBeGreaterThanOrEqual(copyStartedAt);
    expect(summary.check).toEqual({ kind: "integrity", ok: true, problems: [] });
    expect(summary.bytes).toBe(statSync(backupFile).size);
    expect(summary.migrations.pending).toEqual([]);
    expect(summary.migrations.unknown).toBe(0);
    expect(run.stderr).toContain("backup: checking the copy (integrity_check)");
    // Nothing but the backup: no partial file, no -wal or -journal beside it.
    expect(filesStartingWith(dir, "backup.db")).toEqual(["backup.db"]);

    // The server kept writing while the backup ran: writes were in flight during the copy itself.
    expect(writes.filter((w) => w.sentAt <= copyFinishedAt && w.ackAt >= copyStartedAt).length).toBeGreaterThan(0);
    expect(writes.filter((w) => w.sentAt > copyFinishedAt).length).toBeGreaterThanOrEqual(20);

    const db = sqlite(backupFile);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("journal_mode", { simple: true })).toBe("delete");
      const names = new Set(db.prepare("SELECT name FROM campaigns WHERE name LIKE 'w-%'").pluck().all() as string[]);
      // A snapshot of one writer's sequence is a prefix of it: w-0 … w-k, no gaps.
      const count = names.size;
      expect(writes.slice(0, count).every((w) => names.has(w.name))).toBe(true);
      expect(count).toBeGreaterThanOrEqual(acknowledgedBeforeSpawn);
      for (const w of writes) {
        if (w.ackAt < copyStartedAt) expect(names.has(w.name), `${w.name} was acknowledged before the copy began`).toBe(true);
        if (w.sentAt > copyFinishedAt) expect(names.has(w.name), `${w.name} was sent after the copy ended`).toBe(false);
      }
      // Each createCampaign writes its campaign and its audit entry in one transaction: both or neither.
      expect(
        db.prepare("SELECT count(*) FROM campaigns c WHERE c.name LIKE 'w-%' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'campaign.create' AND a.entity_id = c.id)").pluck().get(),
      ).toBe(0);
      expect(
        db.prepare("SELECT count(*) FROM audit_log a WHERE a.action = 'campaign.create' AND NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = a.entity_id)").pluck().get(),
      ).toBe(0);
      state.backupCampaigns = db.prepare("SELECT count(*) FROM campaigns WHERE organization_id = (SELECT organization_id FROM api_keys WHERE prefix = ?)").pluck().get(key.slice(3, 11)) as number;
      expect(summary.rows.campaigns).toBe(db.prepare("SELECT count(*) FROM campaigns").pluck().get());
    } finally {
      db.close();
    }
    Object.assign(state, { writes, copyStartedAt, copyFinishedAt, backupHash: sha256File(backupFile) });
  }, 45_000);

  it("refuses to replace an existing FILE unless --force", async () => {
    const forced = join(dir, "forced.db");
    copyFileSync(backupFile, forced);
    state.afterBackupId = await createCampaign(server!.url, key, "after-backup");
    const [refused, replaced] = await Promise.all([
      inProcess(runBackupCli, [backupFile], env),
      runCli("backup.cli.ts", [forced, "--force", "--quick", "--json"], env),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${backupFile} already exists`);
    expect(refused.stderr).toContain("--force");
    expect(sha256File(backupFile)).toBe(state.backupHash);

    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ replaced: true, check: { kind: "quick", ok: true } });
    const db = sqlite(forced);
    try {
      expect(db.prepare("SELECT count(*) FROM campaigns WHERE name = 'after-backup'").pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    expect(filesStartingWith(dir, "forced.db")).toEqual(["forced.db"]);

    const missing = await inProcess(runBackupCli, [join(dir, "never.db")], { DATABASE_PATH: join(dir, "no-such.db") });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`There is no database at ${join(dir, "no-such.db")}: check DATABASE_PATH`);
    expect(existsSync(join(dir, "no-such.db"))).toBe(false);
    expect(filesStartingWith(dir, "never.db")).toEqual([]);
  }, 30_000);
});

describe("npm run restore", () => {
  it("refuses while the server has the database open, and changes nothing", async () => {
    const before = filesStartingWith(dir, "live.db");
    const run = await runCli("restore.cli.ts", [backupFile], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${live} is open in another process`);
    expect(run.stderr).toContain("Nothing was changed");
    expect(filesStartingWith(dir, "live.db")).toEqual(before);
    // The server still serves and writes, on the same database.
    const id = await createCampaign(server!.url, key, "after-refused-restore");
    expect((await gql(server!.url, key, `{ campaign(id: ${id}) { name } }`)).data?.campaign.name).toBe("after-refused-restore");
  }, 30_000);

  it("refuses a damaged backup, a foreign database, a newer one and a file with a WAL beside it", async () => {
    const foreign = join(dir, "foreign.db");
    const other = new Database(foreign);
    other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')");
    other.close();

    const corrupt = join(dir, "corrupt.db");
    copyFileSync(backupFile, corrupt);
    const { size } = statSync(corrupt);
    const fd = openSync(corrupt, "r+");
    writeSync(fd, Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);

    const newer = join(dir, "newer.db");
    copyFileSync(backupFile, newer);
    const n = new Database(newer);
    n.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', ?)").run(Math.max(...checkedInMigrations().map((m) => m.when)) + 1000);
    n.close();

    const withWal = join(dir, "copied.db");
    copyFileSync(backupFile, withWal);
    writeFileSync(`${withWal}-wal`, Buffer.alloc(4096, 1));

    const target = join(dir, "scratch", "target.db");
    const scratch = { DATABASE_PATH: target };
    const [a, b, c, d] = await Promise.all([
      inProcess(runRestoreCli, [foreign], scratch),
      inProcess(runRestoreCli, [corrupt], scratch),
      inProcess(runRestoreCli, [newer], scratch),
      inProcess(runRestoreCli, [withWal], scratch),
    ]);
    expect(a!.code).toBe(1);
    expect(a!.stderr).toContain("is not an InfluenceGraph database");
    expect(b!.code).toBe(1);
    expect(b!.stderr).toContain("fails its integrity_check");
    expect(c!.code).toBe(1);
    expect(c!.stderr).toContain("was written by a newer version of InfluenceGraph");
    expect(d!.code).toBe(1);
    expect(d!.stderr).toContain("-wal exists beside the backup");
    // No database appeared, and no temporary copy was left.
    expect(existsSync(target)).toBe(false);
    expect(filesStartingWith(join(dir, "scratch"), "")).toEqual([]);
  }, 30_000);

  it("after the server stops: puts the backup in place, keeps the previous database, and the server serves the backup's data", async () => {
    const discoverBefore = (await gql(server!.url, key, DISCOVER)).data?.discover;
    expect(discoverBefore.totalCount).toBeGreaterThan(0);
    const liveCount = (await gql(server!.url, key, COUNT)).data?.campaigns.totalCount as number;
    expect(liveCount).toBeGreaterThan(state.backupCampaigns);
    expect(await server!.stop()).toBe(0);
    server = null;
    // The server closed cleanly: no -wal left, the file is the whole database.
    expect(filesStartingWith(dir, "live.db")).toEqual(["live.db"]);
    const liveCampaigns = sqliteCount(live, "campaigns");
    const liveHash = sha256File(live);
    const backupPrints = fingerprint(backupFile);

    const run = await runCli("restore.cli.ts", [backupFile, "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.database).toBe(live);
    expect(summary.check.ok).toBe(true);
    expect(summary.previous).toMatch(/live\.db\.before-restore-\d{8}T\d{6}Z$/);
    expect(run.stderr).toContain("restore: replacing the database");

    // The restored database is the backup, table by table; the backup itself is untouched.
    const restored = fingerprint(live);
    expect(Object.keys(restored).length).toBeGreaterThan(20);
    expect(restored).toEqual(backupPrints);
    expect(sha256File(backupFile)).toBe(state.backupHash);
    // The previous database is kept byte for byte, with the writes made after the backup.
    expect(sha256File(summary.previous)).toBe(liveHash);
    expect(restored.campaigns!.rows).toBeLessThan(liveCampaigns);
    // No stale -wal/-shm of the old database, no temporary copy.
    expect(filesStartingWith(dir, "live.db").filter((name) => !name.includes("before-restore"))).toEqual(["live.db"]);

    server = await startServer(live);
    expect(server.key).toBe(key);
    expect(server.output()).not.toContain("seeding");
    expect((await gql(server.url, key, COUNT)).data?.campaigns.totalCount).toBe(state.backupCampaigns);
    const early = state.writes.find((w) => w.ackAt < state.copyStartedAt)!;
    expect((await gql(server.url, key, `{ campaign(id: ${early.id}) { name } }`)).data?.campaign.name).toBe(early.name);
    const gone = await gql(server.url, key, `{ campaign(id: ${state.afterBackupId}) { name } }`);
    expect(gone.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await gql(server.url, key, DISCOVER)).data?.discover).toEqual(discoverBefore);
    const id = await createCampaign(server.url, key, "after-restore");
    expect((await gql(server.url, key, `{ campaign(id: ${id}) { name } }`)).data?.campaign.name).toBe("after-restore");
  }, 60_000);

  it("restores a backup from an older version, which the server's start migrates", async () => {
    // A database migrated by code that had every migration but the last.
    const known = checkedInMigrations();
    const folder = join(dir, "older-migrations");
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalPath = join(folder, "meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8"));
    journal.entries = journal.entries.slice(0, -1);
    writeFileSync(journalPath, JSON.stringify(journal));
    const older = join(dir, "older.db");
    const db = new Database(older);
    migrate(drizzle(db), { migrationsFolder: folder });
    db.close();

    const target = join(dir, "older-target.db");
    appendFileSync(`${target}-wal`, Buffer.alloc(8192, 7)); // a stale WAL of a database long gone
    const run = await inProcess(runRestoreCli, [older, "--json"], { DATABASE_PATH: target });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.previous).toBeNull();
    expect(summary.removed).toEqual([`${target}-wal`]);
    expect(summary.migrations.pending).toEqual([known.at(-1)!.tag]);
    expect(run.stdout).not.toContain("Start the server"); // --json: the summary is only JSON

    // What `npm start` does first (server/main.ts): open the database, which applies the missing migrations.
    const migrated = openDatabase({ path: target });
    try {
      expect(migrated.$client.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get()).toBe(known.length);
      expect(migrated.$client.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      closeDatabase(migrated);
    }
  }, 60_000);
});

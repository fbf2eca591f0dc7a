/**
 * A full disk, on a real small filesystem (a tmpfs mount; the test needs root, as in CI, and is skipped with the
 * reason when this process may not mount):
 * - the disk fills under a running server: writes answer STORAGE_FULL (HTTP 507), reads keep working, the server
 *   keeps running, and once space is freed writes succeed again; the file passes integrity_check and holds every
 *   acknowledged write and nothing of a refused one;
 * - a server started on a full disk with no database yet exits with code 1 and says the disk is full, which file,
 *   and what to do; with space freed it starts.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  acknowledged,
  campaignInput,
  catalogPosts,
  CREATE_CAMPAIGN,
  fillDisk,
  gql,
  metricsBatch,
  RECORD_POST_METRICS,
  rowsOfBatch,
  SEEDED_INFLUENCERS,
  seedTemplate,
  startExpectingFailure,
  startServer,
  tmpfsMounts,
  type Answer,
} from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-disk-full-"));
const mounts = tmpfsMounts(dir);
if (mounts.problem) console.warn(`test/faults/disk-full.test.ts skipped: it mounts a tmpfs (run it as root): ${mounts.problem}`);
afterAll(() => {
  mounts.unmountAll();
  rmSync(dir, { recursive: true, force: true });
});

const template = join(dir, "template.db");
let templateKiB = 0;

const isStorageFull = (answer: Answer) =>
  answer.status === 507 &&
  answer.errors?.length === 1 &&
  answer.errors[0]!.extensions?.code === "STORAGE_FULL" &&
  answer.errors[0]!.extensions?.retryable === false &&
  answer.data == null;

describe.skipIf(mounts.problem !== null)(`a full disk${mounts.problem ? ` (skipped: ${mounts.problem})` : ""}`, () => {
  beforeAll(() => {
    seedTemplate(template);
    templateKiB = Math.ceil(statSync(template).size / 1024);
  });

  it("a disk that fills under the running server: STORAGE_FULL for writes, reads go on, writes succeed again once space is freed", async () => {
    const disk = mounts.mount("full-while-running", templateKiB + 4096);
    const databasePath = join(disk, "live.db");
    copyFileSync(template, databasePath);
    const server = await startServer(databasePath);
    try {
      const posts = catalogPosts(databasePath, 20);
      const base = Date.now() - 86_400_000;
      const batch = (n: number) => ({ n, capturedAt: new Date(base + n * 1000) });
      const send = (n: number) => gql(server.url, server.key, RECORD_POST_METRICS, { input: metricsBatch(posts, n, batch(n).capturedAt) });

      const before = await send(0);
      expect(acknowledged(before), JSON.stringify(before)).toBe(true);

      const filler = join(disk, "filler");
      fillDisk(filler);
      expect(statSync(filler).size).toBeGreaterThan(0);

      // Writes fill what room the WAL has left, then fail; none fails any other way.
      const answers: Answer[] = [];
      let n = 1;
      for (; n <= 30 && !answers.some(isStorageFull); n++) {
        const answer = await send(n);
        expect(acknowledged(answer) || isStorageFull(answer), JSON.stringify(answer)).toBe(true);
        answers.push(answer);
      }
      expect(answers.some(isStorageFull), "no write answered STORAGE_FULL").toBe(true);
      const full = answers.at(-1)!;
      expect(full.errors![0]!.message).toMatch(/disk is full: nothing was written/);
      // The disk stays full: every write is refused the same way, a campaign as well as metrics.
      const refused = [n, n + 1, n + 2];
      for (const k of refused) expect(isStorageFull(await send(k)), `write ${k}`).toBe(true);
      expect(isStorageFull(await gql(server.url, server.key, CREATE_CAMPAIGN, { input: campaignInput("written on a full disk") }))).toBe(true);

      // Reads keep working, and the server keeps running.
      const read = await gql(server.url, server.key, `{ influencers(first: 3) { totalCount edges { node { name } } } }`);
      expect(read.status).toBe(200);
      expect(read.errors).toBeUndefined();
      expect(read.data.influencers.totalCount).toBe(SEEDED_INFLUENCERS);
      expect((await fetch(`${server.origin}/health`)).status).toBe(200);
      expect(server.child.exitCode).toBeNull();

      // Space freed: writes go through again.
      rmSync(filler);
      const after = await send(n + 3);
      expect(acknowledged(after), JSON.stringify(after)).toBe(true);
      const campaign = await gql(server.url, server.key, CREATE_CAMPAIGN, { input: campaignInput("written after space was freed") });
      expect(acknowledged(campaign), JSON.stringify(campaign)).toBe(true);

      const db = new Database(databasePath, { readonly: true });
      try {
        expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        const written = [0, ...answers.flatMap((a, i) => (acknowledged(a) ? [i + 1] : [])), n + 3];
        for (const k of written) expect(rowsOfBatch(db, posts, k, batch(k).capturedAt).exact, `batch ${k}`).toBe(posts.length);
        const failed = [...answers.flatMap((a, i) => (acknowledged(a) ? [] : [i + 1])), ...refused];
        for (const k of failed) expect(rowsOfBatch(db, posts, k, batch(k).capturedAt).found, `refused batch ${k}`).toBe(0);
        expect(db.prepare("SELECT count(*) FROM campaigns WHERE name = 'written on a full disk'").pluck().get()).toBe(0);
      } finally {
        db.close();
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);

  it("a server started on a full disk exits with 1 and says the disk is full, which file and what to do; with space it starts", async () => {
    const disk = mounts.mount("full-at-start", templateKiB + 4096);
    const existing = join(disk, "existing.db");
    copyFileSync(template, existing);
    const filler = join(disk, "filler");
    fillDisk(filler);

    // No database yet: SQLite cannot write the new file's first page.
    const fresh = join(disk, "new.db");
    const first = await startExpectingFailure(fresh);
    expect(first.code).toBe(1);
    expect(first.output).toContain(`InfluenceGraph could not start: the disk holding the database file ${fresh} (DATABASE_PATH=${fresh}) is full (0 bytes free).`);
    expect(first.output).toContain("Free space on that disk, or set DATABASE_PATH to a file on a disk with room, then start again.");
    expect(first.output).not.toMatch(/^\s+at /m);

    // A database stopped cleanly (no -wal, no -shm): SQLite cannot create its -shm, so cannot even read it.
    const second = await startExpectingFailure(existing);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`InfluenceGraph could not start: the disk holding the database file ${existing} (DATABASE_PATH=${existing}) is full (0 bytes free).`);
    expect(second.output).not.toMatch(/^\s+at /m);

    // With space, the empty file the first attempt left is migrated and seeded as any new database.
    rmSync(filler);
    const server = await startServer(fresh);
    try {
      const read = await gql(server.url, server.key, `{ influencers(first: 1) { totalCount } }`);
      expect(read.data.influencers.totalCount).toBe(SEEDED_INFLUENCERS);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});

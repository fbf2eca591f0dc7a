/**
 * Two server processes on one database file (WAL), both taking concurrent writes, and a third connection that
 * holds the write lock (BEGIN IMMEDIATE) longer than DATABASE_BUSY_TIMEOUT_MS: every write either succeeds or
 * answers DATABASE_BUSY (HTTP 503, Retry-After, extensions.retryable), never INTERNAL_SERVER_ERROR; reads keep
 * working while the lock is held; retried after the hint, the busy writes succeed; and the file holds every
 * acknowledged write.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import {
  acknowledged,
  catalogPosts,
  campaignInput,
  CREATE_CAMPAIGN,
  gql,
  metricsBatch,
  RECORD_POST_METRICS,
  rowsOfBatch,
  SEEDED_INFLUENCERS,
  startServer,
  type Answer,
  type Post,
  type ServerProcess,
} from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-two-"));
const databasePath = join(dir, "shared.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUSY_TIMEOUT_MS = 200;
const ROWS_PER_BATCH = 10;

interface Write {
  batch: number;
  server: ServerProcess;
  kind: "metrics" | "campaign";
  capturedAt: Date;
  name: string;
  answers: Answer[];
}

function expectSuccessOrBusy(write: Write, answer: Answer): void {
  if (acknowledged(answer)) return;
  const detail = JSON.stringify(answer);
  expect(answer.status, detail).toBe(503);
  expect(answer.errors, detail).toHaveLength(1);
  expect(answer.errors![0]!.extensions, detail).toMatchObject({ code: "DATABASE_BUSY", retryable: true, retryAfterSeconds: 1 });
  expect(answer.headers!.get("retry-after"), detail).toBe("1");
  expect(answer.data ?? null).toBeNull();
}

describe("two server processes on one database file", () => {
  it("answers every concurrent write with success or a retryable DATABASE_BUSY, and keeps every acknowledged one", async () => {
    const env = { DATABASE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS) };
    const a = await startServer(databasePath, env);
    const b = await startServer(databasePath, env);
    const holder = new Database(databasePath);
    try {
      expect(b.output()).not.toContain("seeding");
      expect(b.key).toBe(a.key);
      const posts: Post[] = catalogPosts(databasePath, ROWS_PER_BATCH);
      const base = Date.now() - 86_400_000;
      let nextBatch = 0;
      const writes: Write[] = [];
      const newWrite = (server: ServerProcess): Write => {
        const batch = nextBatch++;
        const write: Write = {
          batch,
          server,
          kind: batch % 3 === 2 ? "campaign" : "metrics",
          capturedAt: new Date(base + batch * 1000),
          name: `two-process campaign ${batch}`,
          answers: [],
        };
        writes.push(write);
        return write;
      };
      const send = async (write: Write): Promise<Answer> => {
        const answer =
          write.kind === "campaign"
            ? await gql(write.server.url, write.server.key, CREATE_CAMPAIGN, { input: campaignInput(write.name) })
            : await gql(write.server.url, write.server.key, RECORD_POST_METRICS, { input: metricsBatch(posts, write.batch, write.capturedAt) });
        write.answers.push(answer);
        return answer;
      };

      // 1. Both processes take concurrent writes: 6 clients each, 12 writes per client.
      await Promise.all(
        [a, b].flatMap((server) =>
          Array.from({ length: 6 }, async () => {
            for (let i = 0; i < 12; i++) {
              const write = newWrite(server);
              expectSuccessOrBusy(write, await send(write));
            }
          }),
        ),
      );
      for (const server of [a, b]) expect(writes.filter((w) => w.server === server && acknowledged(w.answers[0]!)).length).toBeGreaterThan(0);

      // 2. A third connection holds the write lock for longer than the servers wait. Authentication wants to write
      // the key's last use too (it is cleared first): that write fails quietly, the request goes on.
      holder.prepare("UPDATE api_keys SET last_used_at = NULL").run();
      holder.exec("BEGIN IMMEDIATE");
      const held = [a, b].flatMap((server) => Array.from({ length: 4 }, () => newWrite(server)));
      const [heldAnswers, reads] = await Promise.all([
        Promise.all(held.map(send)),
        Promise.all([a, b].map((server) => gql(server.url, server.key, `{ influencers(first: 2) { totalCount edges { node { name } } } }`))),
      ]);
      for (const [i, answer] of heldAnswers.entries()) {
        expectSuccessOrBusy(held[i]!, answer);
        expect(acknowledged(answer), `write ${held[i]!.batch} succeeded while the lock was held`).toBe(false);
      }
      for (const read of reads) {
        expect(read.status).toBe(200);
        expect(read.errors).toBeUndefined();
        expect(read.data.influencers.totalCount).toBe(SEEDED_INFLUENCERS);
      }
      expect(holder.prepare("SELECT count(*) FROM api_keys WHERE last_used_at IS NOT NULL").pluck().get()).toBe(0);
      holder.exec("ROLLBACK");

      // Nothing of a refused write is in the file.
      for (const write of held) {
        if (write.kind === "metrics") expect(rowsOfBatch(holder, posts, write.batch, write.capturedAt).found).toBe(0);
        else expect(holder.prepare("SELECT count(*) FROM campaigns WHERE name = ?").pluck().get(write.name)).toBe(0);
      }

      // 3. What a client should do: retry a DATABASE_BUSY after its hint. Every write then goes through.
      const busy = writes.filter((w) => !acknowledged(w.answers.at(-1)!));
      expect(busy.length).toBeGreaterThanOrEqual(held.length);
      await Promise.all(
        busy.map(async (write) => {
          for (let attempt = 0; attempt < 10 && !acknowledged(write.answers.at(-1)!); attempt++) {
            await sleep(1000 * write.answers.at(-1)!.errors![0]!.extensions!.retryAfterSeconds);
            expectSuccessOrBusy(write, await send(write));
          }
          expect(acknowledged(write.answers.at(-1)!), JSON.stringify(write.answers.at(-1))).toBe(true);
        }),
      );
      const answers = writes.flatMap((w) => w.answers);
      expect(answers.filter((x) => x.errors?.some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR"))).toEqual([]);
      console.log(`two processes: ${writes.length} writes, ${answers.length} requests, ${answers.filter((x) => !acknowledged(x)).length} answered DATABASE_BUSY`);

      // 4. The file holds every acknowledged write, once.
      expect(holder.pragma("integrity_check", { simple: true })).toBe("ok");
      for (const write of writes) {
        if (write.kind === "metrics") {
          expect(rowsOfBatch(holder, posts, write.batch, write.capturedAt), `batch ${write.batch}`).toEqual({ found: ROWS_PER_BATCH, exact: ROWS_PER_BATCH });
        } else {
          expect(holder.prepare("SELECT count(*) FROM campaigns WHERE name = ?").pluck().get(write.name), write.name).toBe(1);
        }
      }
    } finally {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
      const codes = await Promise.all([a.stop(), b.stop()]);
      expect(codes).toEqual([0, 0]);
    }
  }, 60_000);
});

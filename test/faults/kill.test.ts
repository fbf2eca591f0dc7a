/**
 * kill -9 in the middle of a stream of writes: the real server in a child process takes concurrent batches of
 * post metrics and new campaigns, gets SIGKILL while requests are in flight, and the file it leaves must hold
 * every write it acknowledged, each batch whole or not at all (rows and their audit entry together), and pass
 * `PRAGMA integrity_check`. Restarted on the same file, the server serves it.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
  startServer,
  type Answer,
} from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-kill-"));
const databasePath = join(dir, "kill.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS_PER_BATCH = 100;
const WORKERS = 8;
/** SIGKILL once this many writes were acknowledged: the stream is then in full flow. */
const KILL_AFTER_ACKS = 60;

type Sent =
  | { kind: "metrics"; batch: number; capturedAt: Date; answer?: Answer }
  | { kind: "campaign"; batch: number; name: string; answer?: Answer };

describe("kill -9 during a stream of mutations", () => {
  it("keeps every acknowledged write, no half batch, integrity_check ok, and the server restarts on the file", async () => {
    const server = await startServer(databasePath);
    const posts = catalogPosts(databasePath, ROWS_PER_BATCH);
    expect(posts).toHaveLength(ROWS_PER_BATCH);
    // Capture times a day back, one second apart per batch: every batch has its own keys.
    const base = Date.now() - 86_400_000;

    const sent: Sent[] = [];
    let acks = 0;
    let killed = false;
    let next = 0;
    const worker = async () => {
      while (!killed) {
        const batch = next++;
        const item: Sent =
          batch % 4 === 3
            ? { kind: "campaign", batch, name: `kill-test campaign ${batch}` }
            : { kind: "metrics", batch, capturedAt: new Date(base + batch * 1000) };
        sent.push(item);
        item.answer =
          item.kind === "campaign"
            ? await gql(server.url, server.key, CREATE_CAMPAIGN, { input: campaignInput(item.name) })
            : await gql(server.url, server.key, RECORD_POST_METRICS, { input: metricsBatch(posts, batch, item.capturedAt) });
        if (acknowledged(item.answer)) acks++;
        else if (item.answer.status !== 0) throw new Error(`a write was refused before the kill: ${JSON.stringify(item.answer)}`);
        if (acks >= KILL_AFTER_ACKS && !killed) {
          killed = true;
          server.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    expect(await server.exited).toBe("SIGKILL");

    const ackd = sent.filter((s) => acknowledged(s.answer!));
    const lost = sent.filter((s) => !acknowledged(s.answer!));
    expect(ackd.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // The kill cut requests off: some were in flight and got no answer.
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((s) => s.answer!.status === 0)).toBe(true);
    console.log(`kill test: ${sent.length} sent, ${ackd.length} acknowledged, ${lost.length} cut off`);

    // The file as the crash left it: a hot WAL that the next connection recovers.
    expect(statSync(`${databasePath}-wal`).size).toBeGreaterThan(0);
    const db = new Database(databasePath);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("foreign_key_check")).toEqual([]);
      let wholeBatches = 0;
      for (const item of sent) {
        if (item.kind === "metrics") {
          const { found, exact } = rowsOfBatch(db, posts, item.batch, item.capturedAt);
          // All or nothing, whatever the client heard.
          expect([0, ROWS_PER_BATCH], `batch ${item.batch}`).toContain(found);
          if (found) wholeBatches++;
          if (acknowledged(item.answer!)) expect(exact, `acknowledged batch ${item.batch}`).toBe(ROWS_PER_BATCH);
        } else {
          const count = db.prepare("SELECT count(*) FROM campaigns WHERE name = ?").pluck().get(item.name) as number;
          expect([0, 1], item.name).toContain(count);
          if (acknowledged(item.answer!)) {
            expect(count, item.name).toBe(1);
            const id = Number(item.answer!.data.createCampaign.id);
            expect(db.prepare("SELECT name FROM campaigns WHERE id = ?").pluck().get(id)).toBe(item.name);
          }
        }
      }
      // Each batch's audit entry committed with its rows, and no entry without them.
      const audits = db.prepare("SELECT count(*) FROM audit_log WHERE action = 'postMetrics.record'").pluck().get() as number;
      expect(audits).toBe(wholeBatches);
      const campaignsWritten = db.prepare("SELECT count(*) FROM campaigns WHERE name LIKE 'kill-test campaign %'").pluck().get() as number;
      const campaignAudits = db
        .prepare("SELECT count(*) FROM audit_log a JOIN campaigns c ON c.id = a.entity_id WHERE a.action = 'campaign.create' AND c.name LIKE 'kill-test campaign %'")
        .pluck()
        .get() as number;
      expect(campaignAudits).toBe(campaignsWritten);
    } finally {
      db.close();
    }

    // Restarted on the same file, it serves, acknowledged writes included.
    const restarted = await startServer(databasePath);
    try {
      const ackedCampaign = ackd.find((s) => s.kind === "campaign")!;
      expect(ackedCampaign).toBeDefined();
      const id = ackedCampaign.answer!.data.createCampaign.id;
      const read = await gql(restarted.url, restarted.key, `query($id: ID!) { campaign(id: $id) { name } }`, { id });
      expect(read.errors).toBeUndefined();
      expect(read.data.campaign.name).toBe((ackedCampaign as { name: string }).name);
      const write = await gql(restarted.url, restarted.key, RECORD_POST_METRICS, { input: metricsBatch(posts, next + 1, new Date(base + (next + 1) * 1000)) });
      expect(write.errors).toBeUndefined();
      expect(write.data.recordPostMetrics.inserted).toBe(ROWS_PER_BATCH);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  }, 90_000);
});

/**
 * Roll-up maintenance (server/engagement/rollups.ts) on a real SQLite file: recomputing the (campaign, creator)
 * pairs of written posts keeps the daily rows right whatever order captures arrive in, and when a post moves to
 * another campaign.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { postMetricSnapshots, posts } from "../../schema/tables.js";
import { eq } from "drizzle-orm";
import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { recomputeRollups, rollupGroupsOfPosts } from "../../server/engagement/rollups.js";
import { createCampaign, createInfluencer, createOrganization, createPost } from "../support/factories.js";

const D0 = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;
let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "influencegraph-rollups-"));
  db = openDatabase({ path: join(dir, "rollups.db") });
});
afterAll(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const rows = (table: "campaign_creator_daily" | "campaign_daily", campaignId: number) =>
  db.$client.prepare(`SELECT day, posts_published AS posts, likes FROM ${table} WHERE campaign_id = ? ORDER BY day`).all(campaignId);

/** Writes captures the way an ingest must: the written posts' pairs before and after, recomputed in one transaction. */
function write(postIds: number[], change: () => void) {
  db.$client.transaction(() => {
    const before = rollupGroupsOfPosts(db, postIds);
    change();
    recomputeRollups(db, [...before, ...rollupGroupsOfPosts(db, postIds)]);
  })();
}

const capture = (postId: number, at: number, likes: number) =>
  db.insert(postMetricSnapshots).values({ postId, capturedAt: new Date(at), likes, comments: 0 }).run();

describe("roll-ups", () => {
  it("stay right when captures arrive out of order, and when a post moves to another campaign", () => {
    const organization = createOrganization(db);
    const first = createCampaign(db, organization.id);
    const second = createCampaign(db, organization.id);
    const { accounts } = createInfluencer(db, { accounts: [{ platform: "INSTAGRAM" }] });
    const post = createPost(db, accounts[0]!, { publishedAt: new Date(D0 + 3_600_000), campaignId: first.id });

    write([post.id], () => capture(post.id, D0 + 2 * DAY + 5_000, 90));
    expect(rows("campaign_creator_daily", first.id)).toEqual([
      { day: D0, posts: 1, likes: 0 },
      { day: D0 + 2 * DAY, posts: 0, likes: 90 },
    ]);
    // An earlier capture arrives later: day 1 now gains 40, day 2 only the remaining 50.
    write([post.id], () => capture(post.id, D0 + DAY + 5_000, 40));
    expect(rows("campaign_creator_daily", first.id)).toEqual([
      { day: D0, posts: 1, likes: 0 },
      { day: D0 + DAY, posts: 0, likes: 40 },
      { day: D0 + 2 * DAY, posts: 0, likes: 50 },
    ]);
    expect(rows("campaign_daily", first.id)).toEqual(rows("campaign_creator_daily", first.id));
    // The post moves to the second campaign: the first keeps nothing of it.
    write([post.id], () => db.update(posts).set({ campaignId: second.id }).where(eq(posts.id, post.id)).run());
    expect(rows("campaign_creator_daily", first.id)).toEqual([]);
    expect(rows("campaign_daily", first.id)).toEqual([]);
    expect(rows("campaign_creator_daily", second.id).map((r: any) => r.likes)).toEqual([0, 40, 50]);
    const totals = (campaignId: number) => db.$client.prepare("SELECT posts_published AS posts, likes FROM campaign_creator_totals WHERE campaign_id = ?").all(campaignId);
    expect(totals(first.id)).toEqual([]);
    expect(totals(second.id)).toEqual([{ posts: 1, likes: 90 }]);
  });

  it("ignore posts without a campaign", () => {
    const { accounts } = createInfluencer(db, { accounts: [{ platform: "TIKTOK" }] });
    const organic = createPost(db, accounts[0]!, { publishedAt: new Date(D0) });
    expect(rollupGroupsOfPosts(db, [organic.id])).toEqual([]);
  });
});

/**
 * Roll-up maintenance (server/engagement/rollups.ts) on a real SQLite file: recomputing the (campaign, creator)
 * pairs of written posts keeps the daily rows right whatever order captures arrive in, and when a post moves to
 * another campaign; the sales roll-ups (triggers of migration 0007) stay equal to sums over the conversions
 * through inserts, updates, a promo code moving to another collaboration, and deletes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collaborations, conversions, postMetricSnapshots, posts } from "../../schema/tables.js";
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

describe("sales roll-ups", () => {
  /** What the roll-ups must hold: the conversions grouped, as the report once summed them on every request. */
  const expected = (campaignId: number) => ({
    byCollaboration: db.$client
      .prepare(
        `SELECT v.collaboration_id AS collaborationId, v.currency, count(*) AS conversions, sum(v.orders) AS orders, sum(v.revenue_amount) AS revenue
         FROM conversions v JOIN collaborations c ON c.id = v.collaboration_id WHERE c.campaign_id = ? GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(campaignId),
    byDay: db.$client
      .prepare(
        `SELECT v.occurred_at / ${DAY} * ${DAY} AS day, v.currency, count(*) AS conversions, sum(v.orders) AS orders, sum(v.revenue_amount) AS revenue
         FROM conversions v JOIN collaborations c ON c.id = v.collaboration_id WHERE c.campaign_id = ? GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all(campaignId),
  });
  const actual = (campaignId: number) => ({
    byCollaboration: db.$client
      .prepare("SELECT collaboration_id AS collaborationId, currency, conversions, orders, revenue FROM collaboration_sales WHERE campaign_id = ? ORDER BY 1, 2")
      .all(campaignId),
    byDay: db.$client.prepare("SELECT day, currency, conversions, orders, revenue FROM campaign_daily_sales WHERE campaign_id = ? ORDER BY 1, 2").all(campaignId),
  });

  it("follow every insert, update and delete of conversions, and of the collaborations they belong to", () => {
    const organization = createOrganization(db);
    const campaign = createCampaign(db, organization.id);
    const other = createCampaign(db, organization.id);
    const [ana, bo] = [createInfluencer(db), createInfluencer(db)];
    const [anaDeal, boDeal, boElsewhere] = db
      .insert(collaborations)
      .values([
        { campaignId: campaign.id, influencerId: ana.influencer.id, status: "PUBLISHED", promoCode: `ANA${D0}` },
        { campaignId: campaign.id, influencerId: bo.influencer.id, status: "PUBLISHED", promoCode: `BO${D0}` },
        { campaignId: other.id, influencerId: bo.influencer.id, status: "PUBLISHED", promoCode: `BOX${D0}` },
      ])
      .returning()
      .all();
    const sale = (collaborationId: number | null, at: number, orders: number, revenueAmount: number, currency = "USD") =>
      db.insert(conversions).values({ collaborationId, promoCode: `P${at}`, occurredAt: new Date(at), orders, revenueAmount, currency }).returning().get();

    const a1 = sale(anaDeal!.id, D0 + 1_000, 2, 5_000);
    sale(anaDeal!.id, D0 + 2_000, 1, 2_500);
    sale(anaDeal!.id, D0 + DAY, 1, 900, "EUR");
    const b1 = sale(boDeal!.id, D0 + 3_000, 3, 7_000);
    sale(null, D0 + 4_000, 1, 100);
    expect(actual(campaign.id).byCollaboration).toEqual([
      { collaborationId: anaDeal!.id, currency: "EUR", conversions: 1, orders: 1, revenue: 900 },
      { collaborationId: anaDeal!.id, currency: "USD", conversions: 2, orders: 3, revenue: 7_500 },
      { collaborationId: boDeal!.id, currency: "USD", conversions: 1, orders: 3, revenue: 7_000 },
    ]);
    expect(actual(campaign.id).byDay).toEqual([
      { day: D0, currency: "USD", conversions: 3, orders: 6, revenue: 14_500 },
      { day: D0 + DAY, currency: "EUR", conversions: 1, orders: 1, revenue: 900 },
    ]);

    // A re-import corrects a conversion, moves one to another day, and another to a collaboration of another campaign.
    db.update(conversions).set({ orders: 4, revenueAmount: 9_000 }).where(eq(conversions.id, a1.id)).run();
    db.update(conversions).set({ occurredAt: new Date(D0 + 2 * DAY) }).where(eq(conversions.id, a1.id)).run();
    db.update(conversions).set({ collaborationId: boElsewhere!.id }).where(eq(conversions.id, b1.id)).run();
    expect(actual(campaign.id)).toEqual(expected(campaign.id));
    expect(actual(other.id)).toEqual(expected(other.id));
    expect(actual(other.id).byCollaboration).toEqual([{ collaborationId: boElsewhere!.id, currency: "USD", conversions: 1, orders: 3, revenue: 7_000 }]);
    // Bo's collaboration in the campaign has no conversions left: no row, as a GROUP BY would have none.
    expect(actual(campaign.id).byCollaboration.map((r: any) => r.collaborationId)).not.toContain(boDeal!.id);

    db.delete(conversions).where(eq(conversions.id, a1.id)).run();
    expect(actual(campaign.id)).toEqual(expected(campaign.id));
    // Deleting a collaboration unlinks its conversions (ON DELETE SET NULL) and takes them out of both sums.
    db.delete(collaborations).where(eq(collaborations.id, anaDeal!.id)).run();
    expect(actual(campaign.id)).toEqual({ byCollaboration: [], byDay: [] });
    expect(actual(other.id)).toEqual(expected(other.id));
  });
});

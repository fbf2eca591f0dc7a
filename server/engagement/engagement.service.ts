/** Reads of content and engagement: recent posts per account, metric histories, campaign posts. */
import { and, asc, desc, eq, getTableColumns, inArray, lte, sql } from "drizzle-orm";

import { accountFeatures, postMetricSnapshots, posts, socialAccounts } from "../../schema/tables.js";
import type { Db } from "../db.js";

export type PostRow = typeof posts.$inferSelect;
export type PostMetricSnapshotRow = typeof postMetricSnapshots.$inferSelect;
export type AccountActivityRow = Pick<
  typeof accountFeatures.$inferSelect,
  "accountId" | "followerGrowth30d" | "postsLast30d" | "lastPostAt" | "engagementRate30d" | "computedAt"
>;

export class EngagementService {
  constructor(readonly db: Db) {}

  postsByIds(ids: readonly number[]): PostRow[] {
    return this.db.select().from(posts).where(inArray(posts.id, [...ids])).all();
  }

  /** The `limit` most recent posts of each account, newest first, in one statement (a window function). */
  recentPostsOf(accountIds: readonly number[], limit: number): PostRow[] {
    const ranked = this.db
      .select({
        ...getTableColumns(posts),
        rank: sql<number>`row_number() over (partition by ${posts.accountId} order by ${posts.publishedAt} desc, ${posts.id} desc)`.as(
          "rank",
        ),
      })
      .from(posts)
      .where(inArray(posts.accountId, [...accountIds]))
      .as("ranked");
    const rows = this.db
      .select()
      .from(ranked)
      .where(lte(ranked.rank, limit))
      .orderBy(asc(ranked.accountId), asc(ranked.rank))
      .all();
    return rows.map(({ rank: _rank, ...post }) => post);
  }

  /** Metric snapshots of each post, oldest first. */
  metricsOf(postIds: readonly number[]): PostMetricSnapshotRow[] {
    return this.db
      .select()
      .from(postMetricSnapshots)
      .where(inArray(postMetricSnapshots.postId, [...postIds]))
      .orderBy(asc(postMetricSnapshots.postId), asc(postMetricSnapshots.capturedAt))
      .all();
  }

  /** The latest snapshot of each post. */
  latestMetricsOf(postIds: readonly number[]): PostMetricSnapshotRow[] {
    return this.db
      .select()
      .from(postMetricSnapshots)
      .where(
        and(
          inArray(postMetricSnapshots.postId, [...postIds]),
          sql`${postMetricSnapshots.capturedAt} = (select max(m2.captured_at) from ${postMetricSnapshots} m2 where m2.post_id = ${postMetricSnapshots.postId})`,
        ),
      )
      .all();
  }

  /** The derived activity of accounts as of the latest feature refresh (accounts added since have none yet). */
  activityOf(accountIds: readonly number[]): AccountActivityRow[] {
    return this.db
      .select({
        accountId: accountFeatures.accountId,
        followerGrowth30d: accountFeatures.followerGrowth30d,
        postsLast30d: accountFeatures.postsLast30d,
        lastPostAt: accountFeatures.lastPostAt,
        engagementRate30d: accountFeatures.engagementRate30d,
        computedAt: accountFeatures.computedAt,
      })
      .from(accountFeatures)
      .where(inArray(accountFeatures.accountId, [...accountIds]))
      .all();
  }

  /** Posts linked to campaigns, newest first. */
  postsOfCampaigns(campaignIds: readonly number[]): PostRow[] {
    return this.db
      .select()
      .from(posts)
      .where(inArray(posts.campaignId, [...campaignIds]))
      .orderBy(desc(posts.publishedAt), desc(posts.id))
      .all();
  }

  /** Posts of campaigns with the influencer who published each, so they can be grouped per collaboration. */
  postsOfCampaignsWithInfluencer(campaignIds: readonly number[]): (PostRow & { influencerId: number })[] {
    return this.db
      .select({ ...getTableColumns(posts), influencerId: socialAccounts.influencerId })
      .from(posts)
      .innerJoin(socialAccounts, eq(socialAccounts.id, posts.accountId))
      .where(inArray(posts.campaignId, [...campaignIds]))
      .orderBy(desc(posts.publishedAt), desc(posts.id))
      .all();
  }
}

/**
 * Campaign roll-ups: per campaign, creator and UTC day (`campaign_creator_daily`), the posts the creator published
 * for the campaign and what those posts gained that day; per campaign and creator over all days
 * (`campaign_creator_totals`); and per campaign and day over all creators (`campaign_daily`), the report's daily
 * series. Post counters arrive as cumulative captures, so a day's
 * gain is the day's last capture minus the last capture before it (a post's first capture counts whole on its day).
 *
 * Whoever writes posts or post metrics calls `recomputeRollups` in the same transaction with the (campaign, creator)
 * pairs the written posts count towards, before and after the write (a re-import may move a post to another
 * campaign): a pair is recomputed from its few posts' captures, which stays correct whatever order captures arrive
 * in, and a campaign report reads a few rows per creator and day instead of every capture.
 */
import type { Db } from "../db.js";
import { emptyCounters, type Counters as DailyCounters } from "./metrics.js";

export const DAY_MS = 86_400_000;

export interface RollupGroup {
  campaignId: number;
  influencerId: number;
}

/** The start of the UTC day of a time, in milliseconds. */
export const utcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

const COUNTERS = ["likes", "comments", "shares", "saves", "views", "reach", "impressions"] as const;
/** A capture's counters: a daily row's counters without the posts published. */
type Counters = Omit<DailyCounters, "postsPublished">;

/** The counter columns of the roll-up tables, in the order `countersAt` reads them (and SUM_OF_GAINS sums them). */
export const COUNTER_COLUMNS = "posts_published, likes, comments, shares, saves, views, reach, impressions";

/** The counters of a raw row whose COUNTER_COLUMNS (or SUM_OF_GAINS) start at index `at`. */
export function countersAt(row: readonly unknown[], at: number): DailyCounters {
  const n = row as readonly number[];
  return {
    postsPublished: n[at]!,
    likes: n[at + 1]!,
    comments: n[at + 2]!,
    shares: n[at + 3]!,
    saves: n[at + 4]!,
    views: n[at + 5]!,
    reach: n[at + 6]!,
    impressions: n[at + 7]!,
  };
}

/** The counter columns of the roll-up tables summed, aliased as `Counters` fields (report.service.ts reads them). */
export const SUM_OF_GAINS = `sum(posts_published) AS postsPublished, sum(likes) AS likes, sum(comments) AS comments, sum(shares) AS shares,
  sum(saves) AS saves, sum(views) AS views, sum(reach) AS reach, sum(impressions) AS impressions`;

/**
 * A post's daily gains from its captures (ascending time): per UTC day, the last capture of the day minus the last
 * capture of an earlier day. Pure, for the roll-up and its tests.
 */
export function dailyGains(captures: readonly ({ capturedAt: number } & Counters)[]): Map<number, Counters> {
  const out = new Map<number, Counters>();
  let previous: Counters = { likes: 0, comments: 0, shares: 0, saves: 0, views: 0, reach: 0, impressions: 0 };
  for (let i = 0; i < captures.length; i++) {
    const capture = captures[i]!;
    const day = utcDay(capture.capturedAt);
    // Only the day's last capture counts.
    if (i + 1 < captures.length && utcDay(captures[i + 1]!.capturedAt) === day) continue;
    const gain = {} as Counters;
    for (const counter of COUNTERS) gain[counter] = capture[counter] - previous[counter];
    out.set(day, gain);
    previous = capture;
  }
  return out;
}

/** The (campaign, creator) pairs these posts count towards (posts without a campaign count towards none). */
export function rollupGroupsOfPosts(db: Db, postIds: readonly number[]): RollupGroup[] {
  if (postIds.length === 0) return [];
  return db.$client
    .prepare(
      `SELECT DISTINCT p.campaign_id AS campaignId, a.influencer_id AS influencerId
       FROM posts p JOIN social_accounts a ON a.id = p.account_id
       WHERE p.id IN (SELECT value FROM json_each(?)) AND p.campaign_id IS NOT NULL`,
    )
    .all(JSON.stringify(postIds)) as RollupGroup[];
}

/** Recomputes the daily rows of each (campaign, creator) pair from its campaign posts and their captures. */
export function recomputeRollups(db: Db, groups: Iterable<RollupGroup>): void {
  const client = db.$client;
  const remove = client.prepare("DELETE FROM campaign_creator_daily WHERE campaign_id = ? AND influencer_id = ?");
  const removeTotals = client.prepare("DELETE FROM campaign_creator_totals WHERE campaign_id = ? AND influencer_id = ?");
  const insertTotals = client.prepare(
    `INSERT INTO campaign_creator_totals (campaign_id, influencer_id, posts_published, likes, comments, shares, saves, views, reach, impressions)
     SELECT campaign_id, influencer_id, ${SUM_OF_GAINS}
     FROM campaign_creator_daily WHERE campaign_id = ? AND influencer_id = ? GROUP BY campaign_id, influencer_id`,
  );
  const postsOf = client.prepare(
    `SELECT p.id, p.published_at FROM posts p JOIN social_accounts a ON a.id = p.account_id
     WHERE p.campaign_id = ? AND a.influencer_id = ?`,
  );
  const capturesOf = client.prepare(
    `SELECT captured_at AS capturedAt, likes, comments, shares, saves, views, reach, impressions
     FROM post_metric_snapshots WHERE post_id = ? ORDER BY captured_at`,
  );
  const insert = client.prepare(
    `INSERT INTO campaign_creator_daily (campaign_id, influencer_id, day, posts_published, likes, comments, shares, saves, views, reach, impressions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const done = new Set<string>();
  const campaigns = new Set<number>();
  for (const { campaignId, influencerId } of groups) {
    const id = `${campaignId}:${influencerId}`;
    if (done.has(id)) continue;
    done.add(id);
    campaigns.add(campaignId);
    remove.run(campaignId, influencerId);
    const days = new Map<number, DailyCounters>();
    const row = (day: number) => {
      let r = days.get(day);
      if (!r) days.set(day, (r = emptyCounters()));
      return r;
    };
    for (const post of postsOf.all(campaignId, influencerId) as { id: number; published_at: number }[]) {
      row(utcDay(post.published_at)).postsPublished++;
      for (const [day, gain] of dailyGains(capturesOf.all(post.id) as ({ capturedAt: number } & Counters)[])) {
        const r = row(day);
        for (const counter of COUNTERS) r[counter] += gain[counter];
      }
    }
    for (const [day, r] of days) {
      insert.run(campaignId, influencerId, day, r.postsPublished, r.likes, r.comments, r.shares, r.saves, r.views, r.reach, r.impressions);
    }
    removeTotals.run(campaignId, influencerId);
    insertTotals.run(campaignId, influencerId);
  }
  // The campaigns' daily totals over all creators, from the rows just written (one indexed range per campaign).
  const removeDaily = client.prepare("DELETE FROM campaign_daily WHERE campaign_id = ?");
  const insertDaily = client.prepare(
    `INSERT INTO campaign_daily (campaign_id, day, posts_published, likes, comments, shares, saves, views, reach, impressions)
     SELECT campaign_id, day, ${SUM_OF_GAINS}
     FROM campaign_creator_daily WHERE campaign_id = ? GROUP BY day`,
  );
  for (const campaignId of campaigns) {
    removeDaily.run(campaignId);
    insertDaily.run(campaignId);
  }
}

/** Rebuilds every roll-up (after a bulk load that bypassed the ingest service, such as the seed); returns its rows. */
export function rebuildAllRollups(db: Db): number {
  const groups = db.$client
    .prepare(
      `SELECT DISTINCT p.campaign_id AS campaignId, a.influencer_id AS influencerId
       FROM posts p JOIN social_accounts a ON a.id = p.account_id WHERE p.campaign_id IS NOT NULL`,
    )
    .all() as RollupGroup[];
  db.$client.transaction(() => {
    db.$client.prepare("DELETE FROM campaign_creator_daily").run();
    db.$client.prepare("DELETE FROM campaign_daily").run();
    db.$client.prepare("DELETE FROM campaign_creator_totals").run();
    recomputeRollups(db, groups);
  })();
  return db.$client.prepare("SELECT count(*) FROM campaign_creator_daily").pluck().get() as number;
}

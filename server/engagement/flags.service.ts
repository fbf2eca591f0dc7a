/**
 * Reads of suspicious-engagement flags. The flags themselves are derived data: the feature refresh
 * (server/discovery/features.ts) detects them (anomalies.ts) and replaces the whole table each time.
 */
import { asc, desc, inArray, lte, sql, getTableColumns } from "drizzle-orm";

import { engagementFlags } from "../../schema/tables.js";
import type { Db } from "../db.js";

export type EngagementFlagRow = typeof engagementFlags.$inferSelect;

export class FlagService {
  constructor(readonly db: Db) {}

  /** The `limit` newest flags of each account (by observedAt, then id), newest first, in one statement. */
  flagsOfAccounts(accountIds: readonly number[], limit: number): EngagementFlagRow[] {
    const ranked = this.db
      .select({
        ...getTableColumns(engagementFlags),
        rank: sql<number>`row_number() over (partition by ${engagementFlags.accountId} order by ${engagementFlags.observedAt} desc, ${engagementFlags.id} desc)`.as(
          "rank",
        ),
      })
      .from(engagementFlags)
      .where(inArray(engagementFlags.accountId, [...accountIds]))
      .as("ranked");
    const rows = this.db.select().from(ranked).where(lte(ranked.rank, limit)).orderBy(asc(ranked.accountId), asc(ranked.rank)).all();
    return rows.map(({ rank: _rank, ...flag }) => flag);
  }

  /** The flags of each post, newest first. */
  flagsOfPosts(postIds: readonly number[]): EngagementFlagRow[] {
    return this.db
      .select()
      .from(engagementFlags)
      .where(inArray(engagementFlags.postId, [...postIds]))
      .orderBy(desc(engagementFlags.observedAt), desc(engagementFlags.id))
      .all();
  }
}

/**
 * The reason of each account's strongest flag, for the discovery explanations (one statement). The refresh writes
 * an account's flags strongest first (anomalies.ts `strongestFirst`), so that is its flag with the lowest id.
 */
export function strongestFlagReasons(db: Db, accountIds: readonly number[]): Map<number, string> {
  const reasons = new Map<number, string>();
  if (accountIds.length === 0) return reasons;
  const rows = db.$client
    .prepare(
      `SELECT f.account_id, f.reason FROM engagement_flags f
       WHERE f.id IN (SELECT min(id) FROM engagement_flags WHERE account_id IN (SELECT value FROM json_each(?)) GROUP BY account_id)`,
    )
    .raw()
    .all(JSON.stringify(accountIds)) as [number, string][];
  for (const [accountId, reason] of rows) reasons.set(accountId, reason);
  return reasons;
}

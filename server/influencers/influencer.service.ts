/** The influencer catalogue: lookups and the filtered, keyset-paginated list. */
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";

import { audienceShares, accountSnapshots, influencerCategories, influencers, socialAccounts } from "../../schema/tables.js";
import type { Platform } from "../../schema/enums.js";
import { idList, inIdList, type Db } from "../db.js";
import { decodeCursor, toConnection, type ConnectionShape, type CursorKey } from "../common/connection.js";
import { BadUserInputError, NotFoundError } from "../errors.js";
import { InfluencerOrder, type InfluencerFilter } from "./influencer.types.js";

export type InfluencerRow = typeof influencers.$inferSelect;
export type AccountRow = typeof socialAccounts.$inferSelect;
export type AudienceShareRow = typeof audienceShares.$inferSelect;
export type AccountSnapshotRow = typeof accountSnapshots.$inferSelect;

const DAY_MS = 86_400_000;

/** Escapes LIKE wildcards so user text matches literally. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class InfluencerService {
  constructor(readonly db: Db) {}

  getById(id: number): InfluencerRow {
    const row = this.db.select().from(influencers).where(eq(influencers.id, id)).get();
    if (!row) throw new NotFoundError("Influencer", id);
    return row;
  }

  getAccount(platform: Platform, handle: string): AccountRow {
    const normalised = handle.trim().replace(/^@/, "").toLowerCase();
    const row = this.db
      .select()
      .from(socialAccounts)
      .where(and(eq(socialAccounts.platform, platform), eq(socialAccounts.handle, normalised)))
      .get();
    if (!row) throw new NotFoundError(`${platform} account`, `@${normalised}`, "handle");
    return row;
  }

  list(filter: InfluencerFilter | undefined, order: InfluencerOrder, first: number, after: string | undefined): ConnectionShape<InfluencerRow> {
    const where = this.filterConditions(filter ?? {});
    const sort = SORTS[order];
    const list = `influencers:${order}`;
    const conditions = after ? [...where, sort.after(decodeCursor(after, list))] : where;
    const rows = this.db
      .select()
      .from(influencers)
      .where(and(...conditions))
      .orderBy(...sort.orderBy)
      .limit(first + 1)
      .all();
    return toConnection(list, rows, first, sort.key, Boolean(after), () => {
      const result = this.db.select({ n: count() }).from(influencers).where(and(...where)).get();
      return result?.n ?? 0;
    });
  }

  private filterConditions(filter: InfluencerFilter): SQL[] {
    const conditions: SQL[] = [];
    const { minFollowers, maxFollowers } = filter;
    if (minFollowers !== undefined && minFollowers !== null && maxFollowers !== undefined && maxFollowers !== null && minFollowers > maxFollowers) {
      throw new BadUserInputError("filter.maxFollowers", "`maxFollowers` must not be below `minFollowers`.");
    }
    const accountConditions: SQL[] = [];
    if (filter.platforms?.length) accountConditions.push(inArray(socialAccounts.platform, filter.platforms));
    if (minFollowers != null) accountConditions.push(gte(socialAccounts.followers, minFollowers));
    if (maxFollowers != null) accountConditions.push(lte(socialAccounts.followers, maxFollowers));
    if (accountConditions.length) {
      conditions.push(
        sql`exists (select 1 from ${socialAccounts} where ${socialAccounts.influencerId} = ${influencers.id} and ${and(...accountConditions)})`,
      );
    }
    if (filter.countries?.length) {
      conditions.push(inArray(influencers.country, filter.countries.map((c) => c.toUpperCase())));
    }
    if (filter.categories?.length) {
      conditions.push(
        sql`exists (select 1 from ${influencerCategories} where ${influencerCategories.influencerId} = ${influencers.id} and ${inArray(influencerCategories.category, filter.categories)})`,
      );
    }
    const search = filter.search?.trim().replace(/^@/, "");
    if (search) {
      const pattern = likeContains(search.toLowerCase());
      conditions.push(
        or(
          sql`lower(${influencers.name}) like ${pattern} escape '\\'`,
          sql`exists (select 1 from ${socialAccounts} where ${socialAccounts.influencerId} = ${influencers.id} and ${socialAccounts.handle} like ${pattern} escape '\\')`,
        )!,
      );
    }
    return conditions;
  }

  // Batch lookups behind the per-request loaders, prepared once (the id list is one bound JSON array).
  private readonly byIdsQuery = this.db.select().from(influencers).where(inIdList(influencers.id)).prepare();
  private readonly categoriesQuery = this.db
    .select()
    .from(influencerCategories)
    .where(inIdList(influencerCategories.influencerId))
    .orderBy(asc(influencerCategories.category))
    .prepare();
  private readonly accountsQuery = this.db
    .select()
    .from(socialAccounts)
    .where(inIdList(socialAccounts.influencerId))
    .orderBy(desc(socialAccounts.followers), asc(socialAccounts.id))
    .prepare();
  private readonly accountsByIdsQuery = this.db.select().from(socialAccounts).where(inIdList(socialAccounts.id)).prepare();
  private readonly audienceQuery = this.db
    .select()
    .from(audienceShares)
    .where(inIdList(audienceShares.accountId))
    .orderBy(asc(audienceShares.dimension), desc(audienceShares.share), asc(audienceShares.key))
    .prepare();

  byIds(ids: readonly number[]): InfluencerRow[] {
    return this.byIdsQuery.all(idList(ids));
  }

  categoriesOf(influencerIds: readonly number[]) {
    return this.categoriesQuery.all(idList(influencerIds));
  }

  accountsOf(influencerIds: readonly number[]): AccountRow[] {
    return this.accountsQuery.all(idList(influencerIds));
  }

  accountsByIds(ids: readonly number[]): AccountRow[] {
    return this.accountsByIdsQuery.all(idList(ids));
  }

  audienceOf(accountIds: readonly number[]): AudienceShareRow[] {
    return this.audienceQuery.all(idList(accountIds));
  }

  /**
   * Follower history covering the `days` days up to each account's latest capture, oldest first. Anchoring at
   * the latest capture (not at "now") keeps the window meaningful for accounts that are captured irregularly.
   */
  snapshotsOf(accountIds: readonly number[], days: number): AccountSnapshotRow[] {
    const latest = sql`(select max(s2.captured_at) from ${accountSnapshots} s2 where s2.account_id = ${accountSnapshots.accountId})`;
    return this.db
      .select()
      .from(accountSnapshots)
      .where(
        and(
          inArray(accountSnapshots.accountId, [...accountIds]),
          sql`${accountSnapshots.capturedAt} > ${latest} - ${days * DAY_MS}`,
        ),
      )
      .orderBy(asc(accountSnapshots.accountId), asc(accountSnapshots.capturedAt))
      .all();
  }
}

interface Sort {
  orderBy: SQL[];
  key: (row: InfluencerRow) => CursorKey;
  after: (cursor: CursorKey) => SQL;
}

function numberKey(cursor: CursorKey): number {
  if (typeof cursor[0] !== "number") throw new BadUserInputError("after", "The cursor is not valid for this order.");
  return cursor[0];
}

function stringKey(cursor: CursorKey): string {
  if (typeof cursor[0] !== "string") throw new BadUserInputError("after", "The cursor is not valid for this order.");
  return cursor[0];
}

/** Keyset orders: every sort ends with the id, so cursors are unique and pages never skip or repeat rows. */
const SORTS: Record<InfluencerOrder, Sort> = {
  [InfluencerOrder.FOLLOWERS_DESC]: {
    orderBy: [desc(influencers.totalFollowers), desc(influencers.id)],
    key: (row) => [row.totalFollowers, row.id],
    after: (cursor) => {
      const followers = numberKey(cursor);
      return or(
        lt(influencers.totalFollowers, followers),
        and(eq(influencers.totalFollowers, followers), lt(influencers.id, cursor[1])),
      )!;
    },
  },
  [InfluencerOrder.NAME_ASC]: {
    orderBy: [asc(influencers.name), asc(influencers.id)],
    key: (row) => [row.name, row.id],
    after: (cursor) => {
      const name = stringKey(cursor);
      return or(gt(influencers.name, name), and(eq(influencers.name, name), gt(influencers.id, cursor[1])))!;
    },
  },
  [InfluencerOrder.NEWEST]: {
    orderBy: [desc(influencers.id)],
    key: (row) => [null, row.id],
    after: (cursor) => lt(influencers.id, cursor[1]),
  },
};

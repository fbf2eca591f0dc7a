/**
 * Ingestion: idempotent upserts of the seven row types by their natural keys, for the NDJSON/CSV importer and the
 * batched GraphQL mutations.
 *
 * | row              | natural key                          | a repeated row                                        |
 * |------------------|--------------------------------------|-------------------------------------------------------|
 * | influencer       | `ref` (influencers.external_ref)     | updates name, bio, country, language, categories      |
 * | account          | (platform, handle)                   | updates influencer, counters (until snapshots exist), verified |
 * | audience         | (platform, handle, dimension)        | replaces the dimension's shares                       |
 * | account_snapshot | (account, capturedAt)                | updates the counters                                  |
 * | post             | (platform, externalId)               | updates account, kind, time, caption, hashtags, url, campaign |
 * | post_metrics     | (post, capturedAt)                   | updates the counters                                  |
 * | conversion       | (promoCode, at)                      | updates orders, revenue, currency, collaboration      |
 *
 * Every row counts as inserted, updated (something differed) or unchanged (nothing did, and nothing was written:
 * `updated_at` moves only with a real change, so importing a file twice leaves the database byte for byte as the
 * first import did). A row that names something missing (an account of an unknown influencer `ref`, metrics of an
 * unknown post) is refused with a reason, never an exception.
 *
 * Derived data is kept in step inside the caller's transaction: `influencers.total_followers` (the sum of its
 * accounts' followers), an account's counters from its latest snapshot, and the campaign roll-ups of the posts
 * written (rollups.ts), recomputed for the (campaign, creator) pairs the posts counted towards before and after.
 *
 * The writer does not open transactions: the importer commits one per batch, the mutations one per call.
 */
import type Database from "better-sqlite3";

import { PLATFORMS, type Platform } from "../../schema/enums.js";
import type { Actor } from "../access/actor.js";
import type { AuditService } from "../access/audit.service.js";
import type { Db } from "../db.js";
import { BadUserInputError } from "../errors.js";
import { Transactional } from "../transaction.js";
import {
  createMetricsSink,
  METRIC_COUNTERS,
  ROW_TYPES,
  validateRow,
  writeMetricsRow,
  type AccountRow,
  type AccountSnapshotRow,
  type AudienceRow,
  type ConversionRow,
  type InfluencerRow,
  type IngestRow,
  type MetricsSink,
  type PostMetricsRow,
  type PostRow,
  type RowProblem,
  type RowType,
} from "./ingest.rows.js";
import { recomputeRollups, type RollupGroup } from "./rollups.js";

export interface IngestCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export type CountsByType = Record<RowType, IngestCounts>;

export const emptyCounts = (): CountsByType =>
  Object.fromEntries(ROW_TYPES.map((type) => [type, { inserted: 0, updated: 0, unchanged: 0, rejected: 0 }])) as CountsByType;

/** Sums counts over row types. */
export function totalCounts(byType: CountsByType): IngestCounts {
  const total = { inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const type of ROW_TYPES) {
    const c = byType[type];
    total.inserted += c.inserted;
    total.updated += c.updated;
    total.unchanged += c.unchanged;
    total.rejected += c.rejected;
  }
  return total;
}

/** What the writer knows of a post, enough for metrics: its id, publication time and roll-up group. */
interface PostEntry {
  id: number;
  publishedAt: number;
  campaignId: number | null;
  influencerId: number;
}

interface AccountEntry {
  id: number;
  influencerId: number;
}

/** applyMetrics sorts rows by post id · SLOT_RANGE + slot: exact below 2^53 (post ids below 2^33). */
const SLOT_RANGE = 2 ** 20;
const SORTABLE_POST_ID = 2 ** 33;

/** The bulk path's memory bound: past this many cached posts the cache starts over. */
const MAX_CACHED_POSTS = 2_000_000;

const iso = (ms: number) => new Date(ms).toISOString();

type Outcome = "inserted" | "updated" | "unchanged";

/**
 * Writes validated rows. One writer serves one import (or one mutation call): it caches natural key → id lookups
 * (posts, accounts, influencers, campaigns, promo codes) and starts them over whenever another connection has
 * committed since its last batch (SQLite's `data_version`), so a cached id or campaign link is never stale.
 */
export class IngestWriter {
  readonly counts: CountsByType = emptyCounts();
  private readonly client: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private dataVersion = -1;

  private posts: Map<string, PostEntry>[] = PLATFORMS.map(() => new Map());
  private cachedPosts = 0;
  private accounts: Map<string, AccountEntry>[] = PLATFORMS.map(() => new Map());
  private influencersByRef = new Map<string, number>();
  private campaignExists = new Map<number, boolean>();
  private collaborationByPromo = new Map<string, number>();

  /** Pending for `finish()`. */
  private readonly rollupGroups = new Map<string, RollupGroup>();
  private readonly touchedInfluencers = new Set<number>();

  /** Multi-row INSERT of metric snapshots: rows are bound from one flat, reused array. */
  private readonly rowsPerStatement: number;
  private readonly metricsBuffer: unknown[];
  private pendingMetrics = 0;
  private readonly metricsInserts = new Map<number, Database.Statement>();
  /** applyMetrics' scratch: (post id, slot) sort keys and the post id of each slot. */
  private sortKeys = new Float64Array(0);
  private resolvedPosts: number[] = [];

  constructor(
    readonly db: Db,
    options: { rowsPerStatement?: number } = {},
  ) {
    this.client = db.$client;
    this.rowsPerStatement = options.rowsPerStatement ?? 100;
    this.metricsBuffer = new Array(this.rowsPerStatement * 9).fill(0);
  }

  private sql(source: string): Database.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.client.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  /** Call at the start of each transaction: drops the caches when another connection has written meanwhile. */
  begin(): void {
    const version = this.client.pragma("data_version", { simple: true }) as number;
    if (version !== this.dataVersion) {
      this.dataVersion = version;
      this.forgetCaches();
    }
  }

  private forgetCaches(): void {
    this.posts = PLATFORMS.map(() => new Map());
    this.cachedPosts = 0;
    this.accounts = PLATFORMS.map(() => new Map());
    this.influencersByRef.clear();
    this.campaignExists.clear();
    this.collaborationByPromo.clear();
  }

  /**
   * Writes what the transaction's rows leave pending: the roll-ups of the (campaign, creator) pairs touched and
   * the follower totals of the influencers touched. Call before committing.
   */
  finish(): void {
    this.flushMetrics();
    if (this.rollupGroups.size) {
      recomputeRollups(this.db, this.rollupGroups.values());
      this.rollupGroups.clear();
    }
    if (this.touchedInfluencers.size) {
      const total = this.sql(
        `UPDATE influencers SET total_followers = t.n, updated_at = ?
         FROM (SELECT coalesce(sum(followers), 0) AS n FROM social_accounts WHERE influencer_id = ?) AS t
         WHERE influencers.id = ? AND influencers.total_followers <> t.n`,
      );
      const now = Date.now();
      for (const id of this.touchedInfluencers) total.run(now, id, id);
      this.touchedInfluencers.clear();
    }
  }

  /** Forgets pending work after a rolled-back transaction. */
  abandon(): void {
    this.pendingMetrics = 0;
    this.rollupGroups.clear();
    this.touchedInfluencers.clear();
    this.forgetCaches();
    this.dataVersion = -1;
  }

  private count(type: RowType, outcome: Outcome): void {
    this.counts[type][outcome]++;
  }

  /** Records a refusal in the counts (the caller reports the reason). */
  rejected(type: RowType | null): void {
    if (type) this.counts[type].rejected++;
  }

  /** Applies one validated row; a problem when it names something missing (the row is then counted as rejected). */
  apply(row: IngestRow): RowProblem | null {
    let problem: RowProblem | null;
    switch (row.type) {
      case "influencer":
        problem = this.influencer(row);
        break;
      case "account":
        problem = this.account(row);
        break;
      case "audience":
        problem = this.audience(row);
        break;
      case "account_snapshot":
        problem = this.accountSnapshot(row);
        break;
      case "post":
        problem = this.post(row);
        break;
      case "conversion":
        problem = this.conversion(row);
        break;
      case "post_metrics": {
        const sink = metricsSinkOf([row]);
        problem = null;
        this.applyMetrics(sink, 0, 1, (_slot, p) => (problem = p));
        this.flushMetrics();
        return problem;
      }
    }
    if (problem) this.rejected(row.type);
    return problem;
  }

  // ---------------------------------------------------------------------------------------------- lookups

  private influencerIdOf(ref: string): number | undefined {
    let id = this.influencersByRef.get(ref);
    if (id === undefined) {
      id = this.sql("SELECT id FROM influencers WHERE external_ref = ?").pluck().get(ref) as number | undefined;
      if (id !== undefined) this.influencersByRef.set(ref, id);
    }
    return id;
  }

  private accountOf(platform: Platform, handle: string): AccountEntry | undefined {
    const cache = this.accounts[PLATFORMS.indexOf(platform)]!;
    let entry = cache.get(handle);
    if (!entry) {
      const row = this.sql("SELECT id, influencer_id FROM social_accounts WHERE platform = ? AND handle = ?").get(platform, handle) as
        | { id: number; influencer_id: number }
        | undefined;
      if (!row) return undefined;
      entry = { id: row.id, influencerId: row.influencer_id };
      cache.set(handle, entry);
    }
    return entry;
  }

  private missingAccount(platform: Platform, handle: string): RowProblem {
    return { field: "handle", reason: `no ${platform} account @${handle} (import its account row first)` };
  }

  private postOf(platformIndex: number, externalId: string): PostEntry | undefined {
    const cache = this.posts[platformIndex]!;
    let entry = cache.get(externalId);
    if (!entry) {
      const row = this.sql(
        `SELECT p.id, p.published_at, p.campaign_id, a.influencer_id FROM posts p JOIN social_accounts a ON a.id = p.account_id
         WHERE p.platform = ? AND p.external_id = ?`,
      )
        .raw()
        .get(PLATFORMS[platformIndex], externalId) as [number, number, number | null, number] | undefined;
      if (!row) return undefined;
      entry = { id: row[0], publishedAt: row[1], campaignId: row[2], influencerId: row[3] };
      if (this.cachedPosts >= MAX_CACHED_POSTS) {
        this.posts = PLATFORMS.map(() => new Map());
        this.cachedPosts = 0;
      }
      this.posts[platformIndex]!.set(externalId, entry);
      this.cachedPosts++;
    }
    return entry;
  }

  private addGroup(campaignId: number | null, influencerId: number): void {
    if (campaignId === null) return;
    const key = `${campaignId}:${influencerId}`;
    if (!this.rollupGroups.has(key)) this.rollupGroups.set(key, { campaignId, influencerId });
  }

  // ---------------------------------------------------------------------------------------------- the row types

  private influencer(row: InfluencerRow): null {
    const existing = this.sql("SELECT id, name, bio, country, language FROM influencers WHERE external_ref = ?").get(row.ref) as
      | { id: number; name: string; bio: string; country: string; language: string }
      | undefined;
    if (!existing) {
      const id = Number(
        this.sql("INSERT INTO influencers (name, bio, country, language, external_ref) VALUES (?, ?, ?, ?, ?)").run(
          row.name,
          row.bio,
          row.country,
          row.language,
          row.ref,
        ).lastInsertRowid,
      );
      this.insertCategories(id, row.categories);
      this.influencersByRef.set(row.ref, id);
      this.count("influencer", "inserted");
      return null;
    }
    this.influencersByRef.set(row.ref, existing.id);
    const categories = (this.sql("SELECT category FROM influencer_categories WHERE influencer_id = ? ORDER BY category").pluck().all(existing.id) as string[]);
    const sameCategories = categories.length === row.categories.length && categories.every((c, i) => c === row.categories[i]);
    const sameFields = existing.name === row.name && existing.bio === row.bio && existing.country === row.country && existing.language === row.language;
    if (sameFields && sameCategories) {
      this.count("influencer", "unchanged");
      return null;
    }
    if (!sameFields) {
      this.sql("UPDATE influencers SET name = ?, bio = ?, country = ?, language = ?, updated_at = ? WHERE id = ?").run(
        row.name,
        row.bio,
        row.country,
        row.language,
        Date.now(),
        existing.id,
      );
    } else {
      this.sql("UPDATE influencers SET updated_at = ? WHERE id = ?").run(Date.now(), existing.id);
    }
    if (!sameCategories) {
      this.sql("DELETE FROM influencer_categories WHERE influencer_id = ?").run(existing.id);
      this.insertCategories(existing.id, row.categories);
    }
    this.count("influencer", "updated");
    return null;
  }

  private insertCategories(influencerId: number, categories: readonly string[]): void {
    const insert = this.sql("INSERT INTO influencer_categories (influencer_id, category) VALUES (?, ?)");
    for (const category of categories) insert.run(influencerId, category);
  }

  private account(row: AccountRow): RowProblem | null {
    const influencerId = this.influencerIdOf(row.influencer);
    if (influencerId === undefined) {
      return { field: "influencer", reason: `no influencer with ref "${row.influencer}" (import its influencer row first)` };
    }
    const existing = this.sql(
      `SELECT id, influencer_id, followers, following, post_count, verified,
              EXISTS (SELECT 1 FROM account_snapshots s WHERE s.account_id = a.id) AS has_snapshots
       FROM social_accounts a WHERE platform = ? AND handle = ?`,
    ).get(row.platform, row.handle) as
      | { id: number; influencer_id: number; followers: number; following: number; post_count: number; verified: number; has_snapshots: number }
      | undefined;
    const verified = row.verified ? 1 : 0;
    if (!existing) {
      const id = Number(
        this.sql(
          "INSERT INTO social_accounts (influencer_id, platform, handle, followers, following, post_count, verified) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(influencerId, row.platform, row.handle, row.followers, row.following, row.posts, verified).lastInsertRowid,
      );
      this.accounts[PLATFORMS.indexOf(row.platform)]!.set(row.handle, { id, influencerId });
      this.touchedInfluencers.add(influencerId);
      this.count("account", "inserted");
      return null;
    }
    // Once an account has snapshots, its counters are its latest snapshot's: the row's would be older or equal.
    const counters = existing.has_snapshots
      ? [existing.followers, existing.following, existing.post_count]
      : [row.followers, row.following, row.posts];
    const moved = existing.influencer_id !== influencerId;
    const same =
      !moved &&
      existing.followers === counters[0] &&
      existing.following === counters[1] &&
      existing.post_count === counters[2] &&
      existing.verified === verified;
    this.accounts[PLATFORMS.indexOf(row.platform)]!.set(row.handle, { id: existing.id, influencerId });
    if (same) {
      this.count("account", "unchanged");
      return null;
    }
    if (moved) {
      // The account's campaign posts now count towards another creator: recompute both creators' roll-ups.
      const campaignIds = this.sql("SELECT DISTINCT campaign_id FROM posts WHERE account_id = ? AND campaign_id IS NOT NULL")
        .pluck()
        .all(existing.id) as number[];
      for (const campaignId of campaignIds) {
        this.addGroup(campaignId, existing.influencer_id);
        this.addGroup(campaignId, influencerId);
      }
      this.posts = PLATFORMS.map(() => new Map()); // cached posts carry the old creator
      this.cachedPosts = 0;
      this.touchedInfluencers.add(existing.influencer_id);
    }
    this.sql(
      "UPDATE social_accounts SET influencer_id = ?, followers = ?, following = ?, post_count = ?, verified = ?, updated_at = ? WHERE id = ?",
    ).run(influencerId, counters[0], counters[1], counters[2], verified, Date.now(), existing.id);
    this.touchedInfluencers.add(influencerId);
    this.count("account", "updated");
    return null;
  }

  private audience(row: AudienceRow): RowProblem | null {
    const account = this.accountOf(row.platform, row.handle);
    if (!account) return this.missingAccount(row.platform, row.handle);
    const existing = this.sql("SELECT key, share FROM audience_shares WHERE account_id = ? AND dimension = ? ORDER BY key")
      .raw()
      .all(account.id, row.dimension) as [string, number][];
    const same =
      existing.length === row.shares.length && existing.every(([key, share], i) => key === row.shares[i]![0] && share === row.shares[i]![1]);
    if (same) {
      this.count("audience", "unchanged");
      return null;
    }
    this.sql("DELETE FROM audience_shares WHERE account_id = ? AND dimension = ?").run(account.id, row.dimension);
    const insert = this.sql("INSERT INTO audience_shares (account_id, dimension, key, share) VALUES (?, ?, ?, ?)");
    for (const [key, share] of row.shares) insert.run(account.id, row.dimension, key, share);
    this.count("audience", existing.length === 0 ? "inserted" : "updated");
    return null;
  }

  private accountSnapshot(row: AccountSnapshotRow): RowProblem | null {
    const account = this.accountOf(row.platform, row.handle);
    if (!account) return this.missingAccount(row.platform, row.handle);
    const existing = this.sql("SELECT followers, following, post_count FROM account_snapshots WHERE account_id = ? AND captured_at = ?").get(
      account.id,
      row.capturedAt,
    ) as { followers: number; following: number; post_count: number } | undefined;
    if (!existing) {
      this.sql("INSERT INTO account_snapshots (account_id, captured_at, followers, following, post_count) VALUES (?, ?, ?, ?, ?)").run(
        account.id,
        row.capturedAt,
        row.followers,
        row.following,
        row.posts,
      );
      this.count("account_snapshot", "inserted");
    } else if (existing.followers !== row.followers || existing.following !== row.following || existing.post_count !== row.posts) {
      this.sql("UPDATE account_snapshots SET followers = ?, following = ?, post_count = ? WHERE account_id = ? AND captured_at = ?").run(
        row.followers,
        row.following,
        row.posts,
        account.id,
        row.capturedAt,
      );
      this.count("account_snapshot", "updated");
    } else {
      this.count("account_snapshot", "unchanged");
    }
    // The latest snapshot is the account's current state (applied even when the snapshot itself was unchanged, so a
    // re-import that passes through older account rows ends where the first import ended).
    const latest = this.sql("SELECT max(captured_at) FROM account_snapshots WHERE account_id = ?").pluck().get(account.id) as number;
    if (row.capturedAt >= latest) {
      const changed = this.sql(
        `UPDATE social_accounts SET followers = ?, following = ?, post_count = ?, updated_at = ?
         WHERE id = ? AND (followers, following, post_count) IS NOT (?, ?, ?)`,
      ).run(row.followers, row.following, row.posts, Date.now(), account.id, row.followers, row.following, row.posts).changes;
      if (changed) this.touchedInfluencers.add(account.influencerId);
    }
    return null;
  }

  private post(row: PostRow): RowProblem | null {
    const account = this.accountOf(row.platform, row.handle);
    if (!account) return this.missingAccount(row.platform, row.handle);
    if (row.campaignId !== null && !this.campaignExistsWithId(row.campaignId)) {
      return { field: "campaignId", reason: `no campaign with id ${row.campaignId}` };
    }
    const hashtags = JSON.stringify(row.hashtags);
    const existing = this.sql(
      `SELECT p.id, p.account_id, p.kind, p.published_at, p.caption, p.hashtags, p.url, p.campaign_id, a.influencer_id
       FROM posts p JOIN social_accounts a ON a.id = p.account_id WHERE p.platform = ? AND p.external_id = ?`,
    ).get(row.platform, row.externalId) as
      | {
          id: number;
          account_id: number;
          kind: string;
          published_at: number;
          caption: string;
          hashtags: string;
          url: string | null;
          campaign_id: number | null;
          influencer_id: number;
        }
      | undefined;
    const platformIndex = PLATFORMS.indexOf(row.platform);
    if (!existing) {
      const id = Number(
        this.sql(
          `INSERT INTO posts (account_id, platform, external_id, kind, published_at, caption, hashtags, url, campaign_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(account.id, row.platform, row.externalId, row.kind, row.publishedAt, row.caption, hashtags, row.url, row.campaignId).lastInsertRowid,
      );
      this.posts[platformIndex]!.set(row.externalId, { id, publishedAt: row.publishedAt, campaignId: row.campaignId, influencerId: account.influencerId });
      this.cachedPosts++;
      this.addGroup(row.campaignId, account.influencerId);
      this.count("post", "inserted");
      return null;
    }
    this.posts[platformIndex]!.set(row.externalId, {
      id: existing.id,
      publishedAt: row.publishedAt,
      campaignId: row.campaignId,
      influencerId: account.influencerId,
    });
    const same =
      existing.account_id === account.id &&
      existing.kind === row.kind &&
      existing.published_at === row.publishedAt &&
      existing.caption === row.caption &&
      existing.hashtags === hashtags &&
      existing.url === row.url &&
      existing.campaign_id === row.campaignId;
    if (same) {
      this.count("post", "unchanged");
      return null;
    }
    this.addGroup(existing.campaign_id, existing.influencer_id);
    this.addGroup(row.campaignId, account.influencerId);
    this.sql(
      "UPDATE posts SET account_id = ?, kind = ?, published_at = ?, caption = ?, hashtags = ?, url = ?, campaign_id = ? WHERE id = ?",
    ).run(account.id, row.kind, row.publishedAt, row.caption, hashtags, row.url, row.campaignId, existing.id);
    this.count("post", "updated");
    return null;
  }

  private campaignExistsWithId(id: number): boolean {
    let exists = this.campaignExists.get(id);
    if (exists === undefined) {
      exists = this.sql("SELECT 1 FROM campaigns WHERE id = ?").pluck().get(id) !== undefined;
      this.campaignExists.set(id, exists);
    }
    return exists;
  }

  private conversion(row: ConversionRow): RowProblem | null {
    let collaborationId = this.collaborationByPromo.get(row.promoCode);
    if (collaborationId === undefined) {
      collaborationId = this.sql("SELECT id FROM collaborations WHERE promo_code = ?").pluck().get(row.promoCode) as number | undefined;
      if (collaborationId === undefined) return { field: "promoCode", reason: `no collaboration has promo code ${row.promoCode}` };
      this.collaborationByPromo.set(row.promoCode, collaborationId);
    }
    const existing = this.sql(
      "SELECT id, collaboration_id, orders, revenue_amount, currency FROM conversions WHERE promo_code = ? AND occurred_at = ?",
    ).get(row.promoCode, row.at) as { id: number; collaboration_id: number | null; orders: number; revenue_amount: number; currency: string } | undefined;
    if (!existing) {
      this.sql(
        "INSERT INTO conversions (collaboration_id, promo_code, occurred_at, orders, revenue_amount, currency) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(collaborationId, row.promoCode, row.at, row.orders, row.revenue, row.currency);
      this.count("conversion", "inserted");
    } else if (
      existing.collaboration_id !== collaborationId ||
      existing.orders !== row.orders ||
      existing.revenue_amount !== row.revenue ||
      existing.currency !== row.currency
    ) {
      this.sql("UPDATE conversions SET collaboration_id = ?, orders = ?, revenue_amount = ?, currency = ? WHERE id = ?").run(
        collaborationId,
        row.orders,
        row.revenue,
        row.currency,
        existing.id,
      );
      this.count("conversion", "updated");
    } else {
      this.count("conversion", "unchanged");
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------- the bulk path

  /**
   * Applies the post_metrics rows in `sink` slots [start, end): each is resolved to its post through the cache and
   * checked against the post's publication time; then the rows are written in (post, file order) order, so the
   * inserts walk the (post_id, captured_at) index in key order instead of jumping across it, through a multi-row
   * INSERT OR IGNORE. A statement that inserts fewer rows than it carried met existing captures: those rows are then
   * updated where they differ (rows of one key keep their file order, so the last one wins).
   */
  applyMetrics(sink: MetricsSink, start: number, end: number, reject: (slot: number, problem: RowProblem) => void): void {
    if (end - start > SLOT_RANGE) {
      for (let from = start; from < end; from += SLOT_RANGE) this.applyMetrics(sink, from, Math.min(end, from + SLOT_RANGE), reject);
      return;
    }
    const counts = this.counts.post_metrics;
    if (this.sortKeys.length < end - start) this.sortKeys = new Float64Array(Math.max(end - start, this.sortKeys.length * 2));
    const keys = this.sortKeys;
    const resolved = this.resolvedPosts;
    let n = 0;
    let sortable = true;
    for (let slot = start; slot < end; slot++) {
      const platformIndex = sink.platform[slot]!;
      const externalId = sink.externalId[slot]!;
      const post = this.posts[platformIndex]!.get(externalId) ?? this.postOf(platformIndex, externalId);
      if (post === undefined) {
        counts.rejected++;
        reject(slot, {
          field: "externalId",
          reason: `no ${PLATFORMS[platformIndex]} post with externalId "${externalId}" (import its post row first)`,
        });
        continue;
      }
      const capturedAt = sink.capturedAt[slot]!;
      if (capturedAt < post.publishedAt) {
        counts.rejected++;
        reject(slot, { field: "capturedAt", reason: `capturedAt ${iso(capturedAt)} is before the post was published (${iso(post.publishedAt)})` });
        continue;
      }
      if (post.campaignId !== null) this.addGroup(post.campaignId, post.influencerId);
      resolved[slot - start] = post.id;
      if (post.id >= SORTABLE_POST_ID) sortable = false;
      keys[n++] = slot - start;
    }
    const order = keys.subarray(0, n);
    if (sortable) {
      for (let i = 0; i < n; i++) order[i] = resolved[order[i]!]! * SLOT_RANGE + order[i]!;
      order.sort();
    }
    const buffer = this.metricsBuffer;
    const counters = sink.counters;
    for (let i = 0; i < n; i++) {
      const offset = sortable ? order[i]! % SLOT_RANGE : order[i]!;
      const slot = start + offset;
      let o = this.pendingMetrics * 9;
      const c = slot * 7;
      buffer[o++] = resolved[offset];
      buffer[o++] = sink.capturedAt[slot];
      buffer[o++] = counters[c];
      buffer[o++] = counters[c + 1];
      buffer[o++] = counters[c + 2];
      buffer[o++] = counters[c + 3];
      buffer[o++] = counters[c + 4];
      buffer[o++] = counters[c + 5];
      buffer[o] = counters[c + 6];
      if (++this.pendingMetrics === this.rowsPerStatement) this.flushMetrics();
    }
  }

  private metricsInsert(rows: number): Database.Statement {
    let statement = this.metricsInserts.get(rows);
    if (!statement) {
      const tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
      statement = this.client.prepare(
        `INSERT OR IGNORE INTO post_metric_snapshots (post_id, captured_at, ${METRIC_COUNTERS.join(", ")}) VALUES ${Array.from({ length: rows }, () => tuple).join(", ")}`,
      );
      this.metricsInserts.set(rows, statement);
    }
    return statement;
  }

  private flushMetrics(): void {
    const rows = this.pendingMetrics;
    if (rows === 0) return;
    this.pendingMetrics = 0;
    const buffer = this.metricsBuffer;
    const inserted = this.metricsInsert(rows).run(rows === this.rowsPerStatement ? buffer : buffer.slice(0, rows * 9)).changes;
    const counts = this.counts.post_metrics;
    counts.inserted += inserted;
    if (inserted === rows) return;
    // Some captures existed: update those that differ (rows inserted just now compare equal and stay unchanged).
    const update = this.sql(
      `UPDATE post_metric_snapshots SET likes = ?, comments = ?, shares = ?, saves = ?, views = ?, reach = ?, impressions = ?
       WHERE post_id = ? AND captured_at = ? AND (likes, comments, shares, saves, views, reach, impressions) IS NOT (?, ?, ?, ?, ?, ?, ?)`,
    );
    let updated = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * 9;
      const values = buffer.slice(o + 2, o + 9);
      updated += update.run(...values, buffer[o], buffer[o + 1], ...values).changes;
    }
    counts.updated += updated;
    counts.unchanged += rows - inserted - updated;
  }
}

/** Post metrics rows in the flat form `applyMetrics` reads. */
export function metricsSinkOf(rows: readonly PostMetricsRow[]): MetricsSink {
  const sink = createMetricsSink(rows.length);
  rows.forEach((row, i) => writeMetricsRow(sink, i, row));
  return sink;
}

/** What a batched mutation reports. */
export interface IngestResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** The most rows one batched mutation takes. */
export const MAX_ROWS_PER_CALL = 1_000;

/** The batched mutations' service: all or nothing per call, with every row's problems reported at once. */
export class IngestService {
  constructor(
    readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  @Transactional()
  recordPostMetrics(actor: Actor, rows: readonly object[]): IngestResult {
    return this.record(actor, "post_metrics", rows, { action: "postMetrics.record", entityType: "PostMetrics" });
  }

  @Transactional()
  recordAccountSnapshots(actor: Actor, rows: readonly object[]): IngestResult {
    return this.record(actor, "account_snapshot", rows, { action: "accountSnapshots.record", entityType: "AccountSnapshots" });
  }

  /** Of these rows' posts, those linked to a campaign of another organization, as "PLATFORM\0externalId". */
  private postsOfOtherOrganizations(actor: Actor, rows: readonly PostMetricsRow[]): Set<string> {
    const keys = JSON.stringify(rows.map((r) => [r.platform, r.externalId]));
    const found = this.db.$client
      .prepare(
        `SELECT p.platform, p.external_id FROM posts p JOIN campaigns c ON c.id = p.campaign_id
         WHERE c.organization_id <> ? AND (p.platform, p.external_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`,
      )
      .raw()
      .all(actor.organizationId, keys) as [string, string][];
    return new Set(found.map(([platform, externalId]) => `${platform}\u0000${externalId}`));
  }

  private record(actor: Actor, type: "post_metrics" | "account_snapshot", rows: readonly object[], audit: { action: string; entityType: string }): IngestResult {
    if (rows.length === 0) throw new BadUserInputError("input.rows", "`input.rows` must hold at least one row.");
    if (rows.length > MAX_ROWS_PER_CALL) {
      throw new BadUserInputError(
        "input.rows",
        `\`input.rows\` holds ${rows.length.toLocaleString("en")} rows; at most ${MAX_ROWS_PER_CALL.toLocaleString("en")} are taken per call: split them over several calls (or use \`npm run import\` for files).`,
      );
    }
    const problems: RowProblem[] = [];
    const at = (i: number, p: RowProblem): RowProblem => ({ field: p.field ? `input.rows.${i}.${p.field}` : `input.rows.${i}`, reason: p.reason });
    const valid: IngestRow[] = [];
    rows.forEach((input, i) => {
      const result = validateRow({ ...input }, type);
      if (result.ok) valid[i] = result.row;
      else for (const p of result.problems) problems.push(at(i, p));
    });
    // The catalogue is shared, but a post made for a campaign is that organization's record of the campaign: other
    // organizations cannot write its metrics, and the post answers them as if it did not exist.
    if (problems.length === 0 && type === "post_metrics") {
      const foreign = this.postsOfOtherOrganizations(actor, valid as PostMetricsRow[]);
      (valid as PostMetricsRow[]).forEach((row, i) => {
        if (foreign.has(`${row.platform}\u0000${row.externalId}`)) {
          problems.push(at(i, { field: "externalId", reason: `no ${row.platform} post with externalId "${row.externalId}" (import its post row first)` }));
        }
      });
    }
    if (problems.length === 0) {
      const writer = new IngestWriter(this.db);
      if (type === "post_metrics") {
        writer.applyMetrics(metricsSinkOf(valid as PostMetricsRow[]), 0, valid.length, (slot, p) => problems.push(at(slot, p)));
      } else {
        valid.forEach((row, i) => {
          const problem = writer.apply(row);
          if (problem) problems.push(at(i, problem));
        });
      }
      writer.finish();
      if (problems.length === 0) {
        const c = writer.counts[type];
        const result = { rows: rows.length, inserted: c.inserted, updated: c.updated, unchanged: c.unchanged };
        this.audit.record(actor, audit.action, { type: audit.entityType, id: 0 }, null, result);
        return result;
      }
    }
    // Thrown inside the transaction: whatever the valid rows wrote rolls back.
    throw rowsError(rows.length, problems);
  }
}

/**
 * One BAD_USER_INPUT error for a refused call: `field` is the first problem's path, `problems` lists every
 * problem ({ field, message }) in row order, and the message names the first few.
 */
export function rowsError(rowCount: number, problems: readonly RowProblem[]): BadUserInputError {
  const rowsWithProblems = new Set(problems.map((p) => /^input\.rows\.(\d+)/.exec(p.field)?.[1])).size;
  const shown = problems.slice(0, 5).map((p) => `${p.field}: ${p.reason}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more (see extensions.problems)` : "";
  return new BadUserInputError(
    problems[0]!.field,
    `${rowsWithProblems} of ${rowCount} row${rowCount === 1 ? "" : "s"} ${rowsWithProblems === 1 ? "is" : "are"} invalid, so nothing was written: ${shown.join("; ")}${more}`,
    { problems: problems.map((p) => ({ field: p.field, message: p.reason })) },
  );
}

/**
 * InfluenceGraph's data model: the single source of truth for every table.
 *
 * drizzle-kit generates the SQL migrations in `schema/migrations/` from this file; the server applies them at
 * start. Timestamps are integer milliseconds since the epoch (UTC); money is integer minor units plus an
 * ISO 4217 currency code; shares are fractions in [0, 1].
 */
import { sql } from "drizzle-orm";
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

import {
  API_KEY_ROLES,
  AUDIENCE_DIMENSIONS,
  CAMPAIGN_OBJECTIVES,
  CAMPAIGN_STATUSES,
  COLLABORATION_STATUSES,
  DELIVERABLE_STATUSES,
  FLAG_KINDS,
  FRAUD_KINDS,
  ORGANIZATION_KINDS,
  PLATFORMS,
  POST_KINDS,
} from "./enums.js";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);
const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

/** Tenants: agencies and brands. Campaigns and everything under them belong to one organization. */
export const organizations = sqliteTable(
  "organizations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    kind: text("kind", { enum: ORGANIZATION_KINDS }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("organizations_slug_uq").on(t.slug)],
);

/** API keys: only a SHA-256 hash of the key is stored; `prefix` identifies a key in listings and logs. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    role: text("role", { enum: API_KEY_ROLES }).notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("api_keys_key_hash_uq").on(t.keyHash),
    uniqueIndex("api_keys_prefix_uq").on(t.prefix),
    index("api_keys_organization_idx").on(t.organizationId),
  ],
);

/** A creator: a person or brand persona with one or more social accounts. */
export const influencers = sqliteTable(
  "influencers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    bio: text("bio").notNull().default(""),
    /** ISO 3166-1 alpha-2, upper case. */
    country: text("country").notNull(),
    /** ISO 639-1, lower case. */
    language: text("language").notNull(),
    contactEmail: text("contact_email"),
    /** The importer's own key for this creator (`ref` in NDJSON imports): re-imports update instead of duplicating. */
    externalRef: text("external_ref"),
    /** Sum of followers over the influencer's accounts; kept in step by whoever writes accounts. */
    totalFollowers: integer("total_followers").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("influencers_country_idx").on(t.country, t.id),
    index("influencers_total_followers_idx").on(t.totalFollowers, t.id),
    index("influencers_name_idx").on(t.name, t.id),
    uniqueIndex("influencers_external_ref_uq").on(t.externalRef),
  ],
);

/** Content categories / interests of an influencer (many per influencer). */
export const influencerCategories = sqliteTable(
  "influencer_categories",
  {
    influencerId: integer("influencer_id")
      .notNull()
      .references(() => influencers.id, { onDelete: "cascade" }),
    category: text("category").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.influencerId, t.category] }),
    index("influencer_categories_category_idx").on(t.category, t.influencerId),
  ],
);

/** One account of an influencer on one platform. */
export const socialAccounts = sqliteTable(
  "social_accounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    influencerId: integer("influencer_id")
      .notNull()
      .references(() => influencers.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    /** Lower-case handle without the leading @. */
    handle: text("handle").notNull(),
    followers: integer("followers").notNull().default(0),
    following: integer("following").notNull().default(0),
    postCount: integer("post_count").notNull().default(0),
    verified: integer("verified", { mode: "boolean" }).notNull().default(false),
    averageLikes: real("average_likes").notNull().default(0),
    averageComments: real("average_comments").notNull().default(0),
    averageViews: real("average_views").notNull().default(0),
    /** (average likes + average comments) / followers over recent posts, a fraction. */
    engagementRate: real("engagement_rate").notNull().default(0),
    /** Estimated share of real, reachable people in the audience, in [0, 1]. */
    audienceCredibility: real("audience_credibility").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("social_accounts_platform_handle_uq").on(t.platform, t.handle),
    index("social_accounts_influencer_idx").on(t.influencerId),
    index("social_accounts_platform_followers_idx").on(t.platform, t.followers),
    check("social_accounts_followers_nonneg", sql`${t.followers} >= 0`),
  ],
);

/** Audience make-up of an account: one row per (dimension, key), e.g. (COUNTRY, US) = 0.42. */
export const audienceShares = sqliteTable(
  "audience_shares",
  {
    accountId: integer("account_id")
      .notNull()
      .references(() => socialAccounts.id, { onDelete: "cascade" }),
    dimension: text("dimension", { enum: AUDIENCE_DIMENSIONS }).notNull(),
    key: text("key").notNull(),
    share: real("share").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.dimension, t.key] }),
    index("audience_shares_dimension_key_idx").on(t.dimension, t.key, t.share),
    check("audience_shares_share_range", sql`${t.share} >= 0 and ${t.share} <= 1`),
  ],
);

/**
 * Signals the discovery ranking needs that are too costly to derive per query: computed from follower history,
 * post snapshots and posts by `npm run discovery:refresh` (and after seeding). One row per account.
 */
export const accountFeatures = sqliteTable("account_features", {
  accountId: integer("account_id")
    .primaryKey()
    .references(() => socialAccounts.id, { onDelete: "cascade" }),
  /** Median daily relative follower change × 30: robust to a one-day jump of bought followers. */
  followerGrowth30d: real("follower_growth_30d").notNull().default(0),
  /** Largest day-over-day relative follower increase in the history (bought followers show as a jump). */
  largestFollowerJump: real("largest_follower_jump").notNull().default(0),
  /** Largest day-over-day rise of likes per view on any post with at least 5 likes (bought likes show as a rise). */
  likesPerViewRise: real("likes_per_view_rise").notNull().default(1),
  /** Posts published in the 30 days before the refresh's reference time. */
  postsLast30d: integer("posts_last_30d").notNull().default(0),
  lastPostAt: integer("last_post_at", { mode: "timestamp_ms" }),
  computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull(),
  /**
   * The account's audience shares packed for the discovery index, which reads a million of these in a second or
   * two where reading `audience_shares` itself (20 rows per account) takes half a minute. Entries of 6 bytes, little
   * endian: an `audience_keys.id` (uint16) and the share (float32). Derived data: rebuilt by every refresh.
   */
  audienceProfile: blob("audience_profile", { mode: "buffer" }),
  /** (likes + comments) / followers over the posts of the 30 days before the refresh, from their latest capture. */
  engagementRate30d: real("engagement_rate_30d"),
  /** The strongest suspicious-engagement flag of the account as a suspicion in [0, 1] (engagement/anomalies.ts). */
  flagSuspicion: real("flag_suspicion").notNull().default(0),
});

/** Audience (dimension, key) pairs numbered for audience profiles. Append-only, so an id never changes meaning. */
export const audienceKeys = sqliteTable(
  "audience_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    dimension: text("dimension", { enum: AUDIENCE_DIMENSIONS }).notNull(),
    key: text("key").notNull(),
  },
  (t) => [uniqueIndex("audience_keys_dimension_key_uq").on(t.dimension, t.key)],
);

/** Hashtags numbered for account hashtag lists (account_hashtags). Append-only, so an id never changes meaning. */
export const hashtagKeys = sqliteTable(
  "hashtag_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Lower case, without "#". */
    tag: text("tag").notNull(),
  },
  (t) => [uniqueIndex("hashtag_keys_tag_uq").on(t.tag)],
);

/**
 * The distinct hashtags of each account's search document (its recent posts), as ascending hashtag_keys ids packed
 * in 32-bit little-endian integers: written with the keyword index (server/discovery/keyword-search.ts), read whole
 * by the discovery index, so lookalikes compare hashtags in memory.
 */
export const accountHashtags = sqliteTable("account_hashtags", {
  accountId: integer("account_id")
    .primaryKey()
    .references(() => socialAccounts.id, { onDelete: "cascade" }),
  tags: blob("tags", { mode: "buffer" }).notNull(),
});

/** One row per completed feature refresh; the discovery index rebuilds when a newer one exists. */
export const featureRefreshes = sqliteTable("feature_refreshes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** The reference time of activity and growth (the demo data's `asOf`, or now). */
  asOf: integer("as_of", { mode: "timestamp_ms" }).notNull(),
  accounts: integer("accounts").notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }).notNull(),
});

/** Campaigns owned by an organization. */
export const campaigns = sqliteTable(
  "campaigns",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    objective: text("objective", { enum: CAMPAIGN_OBJECTIVES }).notNull(),
    status: text("status", { enum: CAMPAIGN_STATUSES }).notNull().default("DRAFT"),
    budgetAmount: integer("budget_amount").notNull(),
    currency: text("currency").notNull(),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }),
    targetCountries: text("target_countries", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    categories: text("categories", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Audience targets: at least `minShare` of the audience in (dimension, key). */
    audienceTargets: text("audience_targets", { mode: "json" })
      .$type<{ dimension: string; key: string; minShare: number }[]>()
      .notNull()
      .default(sql`'[]'`),
    keywords: text("keywords", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    brief: text("brief").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("campaigns_organization_idx").on(t.organizationId, t.id),
    index("campaigns_organization_status_idx").on(t.organizationId, t.status, t.id),
    check("campaigns_budget_nonneg", sql`${t.budgetAmount} >= 0`),
  ],
);

/** A campaign × influencer engagement moving through COLLABORATION_STATUSES. */
export const collaborations = sqliteTable(
  "collaborations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    influencerId: integer("influencer_id")
      .notNull()
      .references(() => influencers.id, { onDelete: "restrict" }),
    status: text("status", { enum: COLLABORATION_STATUSES }).notNull().default("SHORTLISTED"),
    feeAmount: integer("fee_amount"),
    feeCurrency: text("fee_currency"),
    promoCode: text("promo_code"),
    trackingUrl: text("tracking_url"),
    notes: text("notes").notNull().default(""),
    statusChangedAt: integer("status_changed_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("collaborations_campaign_influencer_uq").on(t.campaignId, t.influencerId),
    uniqueIndex("collaborations_promo_code_uq").on(t.promoCode),
    index("collaborations_influencer_idx").on(t.influencerId),
    index("collaborations_campaign_status_idx").on(t.campaignId, t.status),
  ],
);

/** A piece of content a collaboration owes, optionally linked to the post that fulfilled it. */
export const deliverables = sqliteTable(
  "deliverables",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    collaborationId: integer("collaboration_id")
      .notNull()
      .references(() => collaborations.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    kind: text("kind", { enum: POST_KINDS }).notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: DELIVERABLE_STATUSES }).notNull().default("PENDING"),
    dueAt: integer("due_at", { mode: "timestamp_ms" }),
    postId: integer("post_id").references(() => posts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("deliverables_collaboration_idx").on(t.collaborationId, t.id),
    index("deliverables_post_idx").on(t.postId),
  ],
);

/** A published piece of content; `campaignId` links sponsored posts to their campaign. */
export const posts = sqliteTable(
  "posts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => socialAccounts.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    externalId: text("external_id").notNull(),
    kind: text("kind", { enum: POST_KINDS }).notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }).notNull(),
    caption: text("caption").notNull().default(""),
    hashtags: text("hashtags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    url: text("url"),
    campaignId: integer("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("posts_platform_external_id_uq").on(t.platform, t.externalId),
    index("posts_account_published_idx").on(t.accountId, t.publishedAt),
    // Partial: most posts are organic (no campaign), and only campaign posts are ever looked up by campaign.
    index("posts_campaign_published_idx").on(t.campaignId, t.publishedAt).where(sql`${t.campaignId} is not null`),
  ],
);

/** A post's counters as captured at one moment; the series gives the post's metrics history. */
export const postMetricSnapshots = sqliteTable(
  "post_metric_snapshots",
  {
    postId: integer("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    capturedAt: integer("captured_at", { mode: "timestamp_ms" }).notNull(),
    likes: integer("likes").notNull().default(0),
    comments: integer("comments").notNull().default(0),
    shares: integer("shares").notNull().default(0),
    saves: integer("saves").notNull().default(0),
    views: integer("views").notNull().default(0),
    reach: integer("reach").notNull().default(0),
    impressions: integer("impressions").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.postId, t.capturedAt] })],
);

/** An account's counters as captured at one moment; the series gives follower growth. */
export const accountSnapshots = sqliteTable(
  "account_snapshots",
  {
    accountId: integer("account_id")
      .notNull()
      .references(() => socialAccounts.id, { onDelete: "cascade" }),
    capturedAt: integer("captured_at", { mode: "timestamp_ms" }).notNull(),
    followers: integer("followers").notNull(),
    following: integer("following").notNull(),
    postCount: integer("post_count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.capturedAt] })],
);

/** Orders attributed to a collaboration through its promo code. */
export const conversions = sqliteTable(
  "conversions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    collaborationId: integer("collaboration_id").references(() => collaborations.id, { onDelete: "set null" }),
    promoCode: text("promo_code").notNull(),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
    orders: integer("orders").notNull(),
    revenueAmount: integer("revenue_amount").notNull(),
    currency: text("currency").notNull(),
  },
  (t) => [
    uniqueIndex("conversions_promo_code_occurred_uq").on(t.promoCode, t.occurredAt),
    index("conversions_collaboration_idx").on(t.collaborationId, t.occurredAt),
  ],
);

/** The counters of a daily roll-up row: posts published that day and what posts gained (rollups.ts). */
const dailyGains = () => ({
  postsPublished: integer("posts_published").notNull().default(0),
  likes: integer("likes").notNull().default(0),
  comments: integer("comments").notNull().default(0),
  shares: integer("shares").notNull().default(0),
  saves: integer("saves").notNull().default(0),
  views: integer("views").notNull().default(0),
  reach: integer("reach").notNull().default(0),
  impressions: integer("impressions").notNull().default(0),
});

/**
 * Roll-up of campaign performance: per campaign, creator and UTC day, how much the creator's campaign posts gained
 * that day (counters are cumulative per post, so a day's gain is the latest capture of the day minus the latest
 * before it). Kept current as metrics arrive (server/engagement/rollups.ts), so a report never rescans snapshots.
 */
export const campaignCreatorDaily = sqliteTable(
  "campaign_creator_daily",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    influencerId: integer("influencer_id")
      .notNull()
      .references(() => influencers.id, { onDelete: "cascade" }),
    /** Start of the UTC day. */
    day: integer("day", { mode: "timestamp_ms" }).notNull(),
    ...dailyGains(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.influencerId, t.day] }),
    index("campaign_creator_daily_influencer_idx").on(t.influencerId),
  ],
);

/** Roll-up of the roll-up: each creator's whole-campaign gains (the report's per-creator totals without a period). */
export const campaignCreatorTotals = sqliteTable(
  "campaign_creator_totals",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    influencerId: integer("influencer_id")
      .notNull()
      .references(() => influencers.id, { onDelete: "cascade" }),
    ...dailyGains(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.influencerId] }), index("campaign_creator_totals_influencer_idx").on(t.influencerId)],
);

/** Roll-up of the roll-up: a campaign's daily gains over all its creators (the report's daily series). */
export const campaignDaily = sqliteTable(
  "campaign_daily",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    /** Start of the UTC day. */
    day: integer("day", { mode: "timestamp_ms" }).notNull(),
    ...dailyGains(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.day] })],
);

/** The counters of a sales roll-up row: promo-code conversions summed (kept by triggers, migration 0007). */
const salesSums = () => ({
  /** How many conversion rows are summed here; the row is removed when it reaches 0. */
  conversions: integer("conversions").notNull().default(0),
  orders: integer("orders").notNull().default(0),
  /** Revenue in minor units of `currency`. */
  revenue: integer("revenue").notNull().default(0),
});

/**
 * Roll-up of conversions: per collaboration and currency, every order attributed through its promo code (the
 * report's per-creator sales without a period). Conversions only add up, so triggers on `conversions` keep it exact
 * on every insert, update and delete, whichever path writes them (import, seed, a cascading delete).
 */
export const collaborationSales = sqliteTable(
  "collaboration_sales",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    collaborationId: integer("collaboration_id")
      .notNull()
      .references(() => collaborations.id, { onDelete: "cascade" }),
    currency: text("currency").notNull(),
    ...salesSums(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.collaborationId, t.currency] }),
    index("collaboration_sales_collaboration_idx").on(t.collaborationId),
  ],
);

/** Roll-up of conversions: per campaign, UTC day and currency (the report's daily orders and revenue). */
export const campaignDailySales = sqliteTable(
  "campaign_daily_sales",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    /** Start of the UTC day of the conversions. */
    day: integer("day", { mode: "timestamp_ms" }).notNull(),
    currency: text("currency").notNull(),
    ...salesSums(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.day, t.currency] })],
);

/** A suspicious-engagement finding on an account (and, for engagement findings, on one post). */
export const engagementFlags = sqliteTable(
  "engagement_flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => socialAccounts.id, { onDelete: "cascade" }),
    postId: integer("post_id").references(() => posts.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: FLAG_KINDS }).notNull(),
    /** When the anomaly happened (the capture or the post). */
    observedAt: integer("observed_at", { mode: "timestamp_ms" }).notNull(),
    /** How far out it is, in robust standard deviations (|x − median| / (1.4826 · MAD)). */
    score: real("score").notNull(),
    /** A sentence for people: "followers +48% in a day; the usual day is +0.2% ± 0.1%". */
    reason: text("reason").notNull(),
    detectedAt: integer("detected_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("engagement_flags_account_idx").on(t.accountId, t.observedAt), index("engagement_flags_post_idx").on(t.postId)],
);

/** Who changed what, when: one row per mutation, with the entity before and after. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organizationId: integer("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    apiKeyId: integer("api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: integer("entity_id").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    at: integer("at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [
    index("audit_log_organization_idx").on(t.organizationId, t.at),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_api_key_idx").on(t.apiKeyId),
  ],
);

/**
 * One row per `npm run import` run: its progress as of the last committed batch (written in that batch's own
 * transaction, so it never runs ahead of the data) and how it ended. The server's metrics read it, since the
 * importer runs in a process of its own. A run killed mid-way stays `RUNNING` with a stale `updated_at`.
 */
export const importRuns = sqliteTable(
  "import_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The file's absolute path. */
    file: text("file").notNull(),
    format: text("format", { enum: ["ndjson", "csv"] }).notNull(),
    status: text("status", { enum: ["RUNNING", "FINISHED", "FAILED"] }).notNull(),
    totalBytes: integer("total_bytes").notNull(),
    bytesCommitted: integer("bytes_committed").notNull().default(0),
    rowsRead: integer("rows_read").notNull().default(0),
    inserted: integer("inserted").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    batches: integer("batches").notNull().default(0),
    /** Why a FAILED run stopped. */
    error: text("error"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("import_runs_file_idx").on(t.file, t.id)],
);

/**
 * Ground truth written only by the demo/benchmark generator (`seeds/`): the quality it gave each account and
 * the fraud pattern it planted, so tests can check the ranking and the fraud detection against it.
 */
export const seedTruth = sqliteTable("seed_truth", {
  accountId: integer("account_id")
    .primaryKey()
    .references(() => socialAccounts.id, { onDelete: "cascade" }),
  quality: real("quality").notNull(),
  fraud: text("fraud", { enum: FRAUD_KINDS }),
});

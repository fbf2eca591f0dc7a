/** Small factories: each inserts just the rows a test needs, with sensible defaults it can override. */
import type { ApiKeyRole, AudienceDimension, Category, Platform, PostKind } from "../../schema/enums.js";
import {
  accountSnapshots,
  apiKeys,
  audienceShares,
  campaigns,
  influencerCategories,
  influencers,
  organizations,
  postMetricSnapshots,
  posts,
  socialAccounts,
} from "../../schema/tables.js";
import { generateApiKey } from "../../server/access/api-keys.js";
import type { Db } from "../../server/db.js";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export function createOrganization(db: Db, name = `Org ${unique()}`) {
  return db
    .insert(organizations)
    .values({ name, slug: `org-${unique()}`, kind: "AGENCY" })
    .returning()
    .get();
}

/** Creates an API key and returns the plain key to send as a bearer token. */
export function createApiKey(db: Db, organizationId: number, role: ApiKeyRole = "ADMIN"): string {
  const issued = generateApiKey();
  db.insert(apiKeys)
    .values({ organizationId, name: `test ${role}`, prefix: issued.prefix, keyHash: issued.keyHash, role })
    .run();
  return issued.key;
}

/** An organization with an API key of the given role. */
export function createTenant(db: Db, role: ApiKeyRole = "ADMIN") {
  const organization = createOrganization(db);
  return { organization, key: createApiKey(db, organization.id, role) };
}

export interface AccountSpec {
  platform?: Platform;
  handle?: string;
  followers?: number;
  engagementRate?: number;
  verified?: boolean;
  audienceCredibility?: number;
  audience?: Partial<Record<AudienceDimension, Record<string, number>>>;
}

export function createInfluencer(
  db: Db,
  spec: { name?: string; bio?: string; country?: string; language?: string; categories?: Category[]; contactEmail?: string | null; accounts?: AccountSpec[] } = {},
) {
  const accounts = spec.accounts ?? [{}];
  const total = accounts.reduce((sum, a) => sum + (a.followers ?? 10_000), 0);
  const influencer = db
    .insert(influencers)
    .values({
      name: spec.name ?? `Creator ${unique()}`,
      bio: spec.bio ?? "Test creator",
      country: spec.country ?? "US",
      language: spec.language ?? "en",
      contactEmail: spec.contactEmail === undefined ? "hello@example.com" : spec.contactEmail,
      totalFollowers: total,
    })
    .returning()
    .get();
  for (const category of spec.categories ?? ["FITNESS"]) {
    db.insert(influencerCategories).values({ influencerId: influencer.id, category }).run();
  }
  const created = accounts.map((a, i) => {
    const followers = a.followers ?? 10_000;
    const account = db
      .insert(socialAccounts)
      .values({
        influencerId: influencer.id,
        platform: a.platform ?? (["INSTAGRAM", "TIKTOK", "YOUTUBE"] as const)[i % 3]!,
        handle: a.handle ?? `creator_${unique()}`,
        followers,
        following: 300,
        postCount: 120,
        averageLikes: followers * (a.engagementRate ?? 0.03),
        averageComments: followers * 0.001,
        engagementRate: a.engagementRate ?? 0.031,
        verified: a.verified ?? false,
        audienceCredibility: a.audienceCredibility ?? 0.9,
      })
      .returning()
      .get();
    const audience = a.audience ?? { COUNTRY: { US: 0.6, CA: 0.4 }, GENDER: { FEMALE: 0.7, MALE: 0.3 } };
    for (const [dimension, shares] of Object.entries(audience)) {
      for (const [key, share] of Object.entries(shares ?? {})) {
        db.insert(audienceShares)
          .values({ accountId: account.id, dimension: dimension as AudienceDimension, key, share })
          .run();
      }
    }
    return account;
  });
  return { influencer, accounts: created };
}

export function createPost(
  db: Db,
  account: { id: number; platform: Platform },
  spec: { publishedAt?: Date; kind?: PostKind; caption?: string; hashtags?: string[]; campaignId?: number; metrics?: { at: Date; likes: number; comments: number; views?: number }[] } = {},
) {
  const post = db
    .insert(posts)
    .values({
      accountId: account.id,
      platform: account.platform,
      externalId: `ext_${unique()}`,
      kind: spec.kind ?? "PHOTO",
      publishedAt: spec.publishedAt ?? new Date("2026-10-01T12:00:00Z"),
      caption: spec.caption ?? "A test post #fitness",
      hashtags: spec.hashtags ?? ["fitness"],
      url: null,
      campaignId: spec.campaignId ?? null,
    })
    .returning()
    .get();
  for (const m of spec.metrics ?? []) {
    db.insert(postMetricSnapshots)
      .values({ postId: post.id, capturedAt: m.at, likes: m.likes, comments: m.comments, views: m.views ?? 0, reach: 0, impressions: 0 })
      .run();
  }
  return post;
}

export function createAccountSnapshot(db: Db, accountId: number, capturedAt: Date, followers: number) {
  db.insert(accountSnapshots).values({ accountId, capturedAt, followers, following: 300, postCount: 100 }).run();
}

export function createCampaign(db: Db, organizationId: number, spec: { name?: string; currency?: string; archived?: boolean } = {}) {
  return db
    .insert(campaigns)
    .values({
      organizationId,
      name: spec.name ?? `Campaign ${unique()}`,
      objective: "AWARENESS",
      budgetAmount: 5_000_000,
      currency: spec.currency ?? "USD",
      status: spec.archived ? "ARCHIVED" : "ACTIVE",
      archivedAt: spec.archived ? new Date() : null,
    })
    .returning()
    .get();
}

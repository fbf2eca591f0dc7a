/**
 * The tenant side of the demo data: organizations with one ADMIN API key each, their campaigns, and the
 * collaborations with already-seeded influencers, with deliverables, sponsored posts and promo-code conversions.
 * Runs after the influencers are written (it reads their accounts and posts back), in one transaction.
 *
 * Collaboration statuses follow the flow SHORTLISTED → INVITED → NEGOTIATING → CONTRACTED → CONTENT_SUBMITTED →
 * APPROVED → PUBLISHED → PAID, with DECLINED and CANCELLED exits, and fit the campaign's own status and dates.
 */
import type Database from "better-sqlite3";

import {
  CATEGORIES,
  type AudienceDimension,
  type CampaignObjective,
  type CampaignStatus,
  type Category,
  type CollaborationStatus,
  type DeliverableStatus,
  type OrganizationKind,
  type Platform,
  type PostKind,
} from "../schema/enums.js";
import { apiKeyFromBytes, type IssuedApiKey } from "../server/access/api-keys.js";
import { DAY_MS, PLATFORM_PROFILES } from "./generator.js";
import { COUNTRIES, toSlug } from "./locales.js";
import { Prng } from "./prng.js";

/** Compact facts about every seeded influencer (index = id − 1), kept in memory to pick campaign candidates. */
export interface InfluencerDirectory {
  count: number;
  /** Index into COUNTRIES. */
  country: Uint8Array;
  /** Bit i set when the influencer has CATEGORIES[i]. */
  categoryMask: Uint32Array;
  totalFollowers: Float64Array;
}

export interface CampaignSummary {
  organizations: number;
  apiKeys: number;
  campaigns: number;
  collaborations: number;
  deliverables: number;
  conversions: number;
}

interface OrganizationSpec {
  slug: string;
  name: string;
  kind: OrganizationKind;
  campaigns: readonly CampaignSpec[];
}

interface CampaignSpec {
  name: string;
  objective: CampaignObjective;
  currency: "USD" | "EUR" | "GBP";
  countries: readonly string[];
  categories: readonly Category[];
  audienceTargets: readonly { dimension: AudienceDimension; key: string; minShare: number }[];
  keywords: readonly string[];
  /** What the campaign is about, completing "… creators to …". */
  pitch: string;
}

const spec = (
  name: string,
  objective: CampaignObjective,
  currency: CampaignSpec["currency"],
  countries: string,
  categories: string,
  targets: string,
  keywords: string,
  pitch: string,
): CampaignSpec => ({
  name,
  objective,
  currency,
  countries: countries.split(" "),
  categories: categories.split(" ") as Category[],
  audienceTargets: targets
    .split(";")
    .filter(Boolean)
    .map((t) => {
      const [dimension = "", key = "", minShare = "0"] = t.trim().split(" ");
      return { dimension: dimension as AudienceDimension, key, minShare: Number(minShare) };
    }),
  keywords: keywords.split(",").map((k) => k.trim()),
  pitch,
});

/** The demo tenants. `demo` is the organization the README and the demo API key use. */
export const ORGANIZATIONS: readonly OrganizationSpec[] = [
  {
    slug: "demo",
    name: "Northwind Agency",
    kind: "AGENCY",
    campaigns: [
      spec("Glow Serum Launch", "AWARENESS", "USD", "US GB CA", "BEAUTY", "GENDER FEMALE 0.6; AGE 25-34 0.25",
        "vitamin c serum, skincare routine, glow", "introduce a vitamin C serum in a morning-routine video"),
      spec("Trailhead Summer Gear", "CONVERSION", "USD", "US CA AU", "TRAVEL SPORTS FITNESS", "AGE 25-34 0.25; COUNTRY US 0.3",
        "hiking, outdoor gear, camping", "take a lightweight tent and pack on a weekend trail"),
      spec("Pixel Pro Phone Unboxing", "ENGAGEMENT", "USD", "US GB DE IN", "TECH", "INTEREST TECH 0.3",
        "smartphone, camera test, unboxing", "unbox the phone and test its night camera"),
      spec("Café Lumière Holiday Menu", "AWARENESS", "EUR", "FR CA", "FOOD", "LANGUAGE fr 0.5",
        "holiday menu, pastry, coffee", "taste the holiday menu and share a favourite"),
      spec("Kinder Learning App", "CONVERSION", "USD", "US GB AU", "EDUCATION PARENTING", "AGE 25-34 0.3",
        "learning app, homeschool, kids", "show a week of learning games with their kids"),
      spec("Tokyo Streetwear Drop", "AWARENESS", "USD", "JP KR TW", "FASHION", "COUNTRY JP 0.4",
        "streetwear, sneakers, ootd", "style three looks from the winter drop"),
    ],
  },
  {
    slug: "bluebird-cosmetics",
    name: "Bluebird Cosmetics",
    kind: "BRAND",
    campaigns: [
      spec("Lip Tint Spring Edit", "AWARENESS", "GBP", "GB FR DE ES IT", "BEAUTY FASHION", "GENDER FEMALE 0.7",
        "lip tint, spring makeup, natural look", "create a spring look around the new lip tints"),
      spec("SPF Every Day", "ENGAGEMENT", "GBP", "GB AU ZA", "BEAUTY HEALTH", "AGE 25-34 0.25",
        "spf, sunscreen, skin health", "explain why they wear SPF every day"),
      spec("Clean Beauty Creators", "CONVERSION", "GBP", "GB US", "BEAUTY LIFESTYLE", "GENDER FEMALE 0.6",
        "clean beauty, vegan makeup, cruelty free", "share their clean-beauty routine with a promo code"),
      spec("Bluebird x K-Beauty", "AWARENESS", "GBP", "KR JP US", "BEAUTY", "INTEREST BEAUTY 0.4",
        "k-beauty, glass skin, serum", "review the K-beauty collaboration set"),
      spec("Men's Skincare Basics", "ENGAGEMENT", "GBP", "GB US AE", "BEAUTY FITNESS", "GENDER MALE 0.5",
        "mens skincare, moisturiser, grooming", "show a three-step routine after training"),
      spec("Festival Glitter Kit", "CONVERSION", "GBP", "GB ES DE", "BEAUTY MUSIC", "AGE 18-24 0.35",
        "festival makeup, glitter, summer", "get festival-ready with the glitter kit"),
    ],
  },
  {
    slug: "lumen-media",
    name: "Lumen Media Group",
    kind: "AGENCY",
    campaigns: [
      spec("Nebula Quest Launch", "AWARENESS", "USD", "US DE BR JP", "GAMING", "AGE 18-24 0.35; GENDER MALE 0.5",
        "nebula quest, new game, gameplay", "stream the first hours of the game at launch"),
      spec("Headset Pro Review Wave", "ENGAGEMENT", "EUR", "DE FR ES IT", "GAMING TECH", "INTEREST GAMING 0.3",
        "gaming headset, review, setup", "review the headset in their streaming setup"),
      spec("Indie Music Fest Live", "AWARENESS", "EUR", "DE GB FR", "MUSIC LIFESTYLE", "AGE 18-24 0.3",
        "music festival, live music, lineup", "cover the festival weekend live"),
      spec("Budget Builder PC", "CONVERSION", "USD", "US IN ID PH", "TECH GAMING", "INTEREST TECH 0.25",
        "pc build, budget gaming, components", "build a budget gaming PC with the partner store"),
      spec("Esports Cup Watch Party", "ENGAGEMENT", "USD", "BR MX ES", "GAMING SPORTS", "LANGUAGE pt 0.3",
        "esports, watch party, finals", "host a watch party for the cup finals"),
      spec("Smart Home Week", "CONVERSION", "EUR", "DE GB US", "TECH HOME", "AGE 25-34 0.25",
        "smart home, automation, gadgets", "automate one room with the starter kit"),
    ],
  },
  {
    slug: "harvest-table",
    name: "Harvest Table Foods",
    kind: "BRAND",
    campaigns: [
      spec("Weeknight Pasta Challenge", "ENGAGEMENT", "USD", "US CA", "FOOD PARENTING", "AGE 25-34 0.25",
        "pasta, weeknight dinner, family recipes", "cook a 20-minute family pasta dinner"),
      spec("Plant Protein Swap", "CONVERSION", "USD", "US GB AU", "FOOD FITNESS HEALTH", "INTEREST FITNESS 0.2",
        "plant protein, meal prep, high protein", "swap meat for plant protein in a week of meal prep"),
      spec("Street Food Stories", "AWARENESS", "USD", "MX ID PH IN", "FOOD TRAVEL", "INTEREST FOOD 0.3",
        "street food, local eats, food tour", "tell the story of a favourite street-food stall"),
      spec("Spice Route Sauces", "CONVERSION", "USD", "IN AE GB", "FOOD", "COUNTRY IN 0.3",
        "spices, curry, sauces", "cook a family recipe with the new sauces"),
      spec("Family Breakfast Club", "ENGAGEMENT", "USD", "US BR MX", "FOOD PARENTING", "GENDER FEMALE 0.5",
        "breakfast, family, healthy kids", "share a week of quick family breakfasts"),
      spec("Harvest Matcha Latte", "AWARENESS", "USD", "JP TW CN US", "FOOD LIFESTYLE", "AGE 18-24 0.25",
        "matcha, latte, cafe at home", "make a café-style matcha latte at home"),
    ],
  },
];

/** Rough conversion of a USD amount into the campaign currency (assumed rates, demo data only). */
const USD_RATE: Readonly<Record<CampaignSpec["currency"], number>> = { USD: 1, EUR: 0.92, GBP: 0.79 };

/**
 * The demo organization's ADMIN API key, derived from the seed (36 bytes of the "api-key/demo" stream), so the
 * server can recompute and print it. Anyone who knows the seed knows the key: demo databases only.
 */
export function demoApiKey(seed: number): IssuedApiKey {
  return organizationApiKey(seed, "demo");
}

function organizationApiKey(seed: number, slug: string): IssuedApiKey {
  return apiKeyFromBytes(new Prng(seed).fork("api-key").fork(slug).bytes(36));
}

export interface CampaignSeedOptions {
  seed: number;
  asOf: number;
  directory: InfluencerDirectory;
}

/** Writes organizations, keys, campaigns, collaborations, deliverables and conversions (one transaction). */
export function seedOrganizationsAndCampaigns(client: Database.Database, options: CampaignSeedOptions): CampaignSummary {
  const writer = new CampaignWriter(client, options);
  client.exec("BEGIN");
  try {
    for (const org of ORGANIZATIONS) writer.organization(org);
    client.exec("COMMIT");
  } catch (error) {
    if (client.inTransaction) client.exec("ROLLBACK");
    throw error;
  }
  return writer.summary;
}

// ---------------------------------------------------------------------------------------------------------------

interface AccountRow {
  id: number;
  platform: Platform;
  handle: string;
  followers: number;
  quality: number;
}

interface FreePost {
  id: number;
  platform: Platform;
  kind: PostKind;
  publishedAt: number;
}

interface CampaignPlan {
  id: number;
  spec: CampaignSpec;
  status: CampaignStatus;
  startsAt: number | null;
  endsAt: number | null;
  createdAt: number;
  archivedAt: number | null;
  slug: string;
}

const FLOW: readonly CollaborationStatus[] = [
  "SHORTLISTED", "INVITED", "NEGOTIATING", "CONTRACTED", "CONTENT_SUBMITTED", "APPROVED", "PUBLISHED", "PAID",
];
const CONTRACTED_STEP = FLOW.indexOf("CONTRACTED");

/** Collaboration status mix by campaign status: a draft has only a shortlist, a finished one mostly paid work. */
const STATUS_MIX: Readonly<Record<CampaignStatus, readonly (readonly [CollaborationStatus, number])[]>> = {
  DRAFT: [["SHORTLISTED", 0.8], ["INVITED", 0.2]],
  ACTIVE: [
    ["SHORTLISTED", 0.12], ["INVITED", 0.12], ["NEGOTIATING", 0.1], ["CONTRACTED", 0.12], ["CONTENT_SUBMITTED", 0.1],
    ["APPROVED", 0.08], ["PUBLISHED", 0.16], ["PAID", 0.08], ["DECLINED", 0.08], ["CANCELLED", 0.04],
  ],
  PAUSED: [
    ["SHORTLISTED", 0.2], ["INVITED", 0.2], ["NEGOTIATING", 0.2], ["CONTRACTED", 0.2], ["DECLINED", 0.1],
    ["CANCELLED", 0.1],
  ],
  COMPLETED: [["PUBLISHED", 0.15], ["PAID", 0.55], ["DECLINED", 0.18], ["CANCELLED", 0.12]],
  ARCHIVED: [["PUBLISHED", 0.1], ["PAID", 0.6], ["DECLINED", 0.18], ["CANCELLED", 0.12]],
};

const NOTES = [
  "Prefers video over static posts.",
  "Asked for 3 months of usage rights in the quote.",
  "Manager in copy on all e-mails.",
  "Great fit: audience matches the brief closely.",
  "Needs product samples two weeks before posting.",
  "Rate card received; negotiating a bundle.",
];

const PLATFORM_LABEL: Readonly<Record<Platform, string>> = {
  INSTAGRAM: "Instagram", TIKTOK: "TikTok", YOUTUBE: "YouTube", X: "X", TWITCH: "Twitch",
};

class CampaignWriter {
  readonly summary: CampaignSummary = {
    organizations: 0, apiKeys: 0, campaigns: 0, collaborations: 0, deliverables: 0, conversions: 0,
  };
  private readonly rng: Prng;
  private readonly asOf: number;
  private readonly ids = { organization: 0, apiKey: 0, campaign: 0, collaboration: 0, deliverable: 0, conversion: 0 };
  private readonly statements;

  constructor(
    client: Database.Database,
    private readonly options: CampaignSeedOptions,
  ) {
    this.rng = new Prng(options.seed).fork("campaigns");
    this.asOf = options.asOf;
    this.statements = {
      organization: client.prepare("INSERT INTO organizations (id, name, slug, kind, created_at) VALUES (?, ?, ?, ?, ?)"),
      apiKey: client.prepare(
        "INSERT INTO api_keys (id, organization_id, name, prefix, key_hash, role, created_at) VALUES (?, ?, ?, ?, ?, 'ADMIN', ?)",
      ),
      campaign: client.prepare(
        `INSERT INTO campaigns (id, organization_id, name, objective, status, budget_amount, currency, starts_at, ends_at,
          target_countries, categories, audience_targets, keywords, brief, created_at, updated_at, archived_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      collaboration: client.prepare(
        `INSERT INTO collaborations (id, campaign_id, influencer_id, status, fee_amount, fee_currency, promo_code,
          tracking_url, notes, status_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deliverable: client.prepare(
        `INSERT INTO deliverables (id, collaboration_id, platform, kind, description, status, due_at, post_id, created_at,
          updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      conversion: client.prepare(
        `INSERT INTO conversions (id, collaboration_id, promo_code, occurred_at, orders, revenue_amount, currency)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      accounts: client.prepare(
        `SELECT a.id, a.platform, a.handle, a.followers, t.quality FROM social_accounts a
         JOIN seed_truth t ON t.account_id = a.id WHERE a.influencer_id = ? ORDER BY a.id`,
      ),
      // `+p.campaign_id` keeps the planner off posts_campaign_published_idx: "campaign_id IS NULL" matches
      // almost every post, while the influencer's accounts have only a handful.
      freePosts: client.prepare(
        `SELECT p.id, p.platform, p.kind, p.published_at AS publishedAt FROM social_accounts a
         JOIN posts p ON p.account_id = a.id
         WHERE a.influencer_id = ? AND +p.campaign_id IS NULL ORDER BY p.published_at, p.id`,
      ),
      sponsorPost: client.prepare(
        `UPDATE posts SET campaign_id = ?, caption = caption || ' #ad', hashtags = json_insert(hashtags, '$[#]', 'ad')
         WHERE id = ?`,
      ),
    };
  }

  organization(org: OrganizationSpec): void {
    const rng = this.rng.fork(org.slug);
    const organizationId = ++this.ids.organization;
    const createdAt = this.asOf - rng.int(200, 900) * DAY_MS;
    this.statements.organization.run(organizationId, org.name, org.slug, org.kind, createdAt);
    this.summary.organizations++;

    const key = org.slug === "demo" ? demoApiKey(this.options.seed) : organizationApiKey(this.options.seed, org.slug);
    this.statements.apiKey.run(++this.ids.apiKey, organizationId, "Seed admin key", key.prefix, key.keyHash, createdAt);
    this.summary.apiKeys++;

    for (const campaign of rng.sample(org.campaigns, rng.int(3, 6))) this.campaign(rng.fork(campaign.name), organizationId, campaign);
  }

  private campaign(rng: Prng, organizationId: number, spec: CampaignSpec): void {
    const plan = this.planCampaign(rng, spec);
    const influencers = this.pickInfluencers(rng, spec, Math.min(rng.int(5, 40), this.options.directory.count));
    // Collaborations are planned first: the budget covers their fees with some headroom.
    const collaborations = influencers.map((index) => this.planCollaboration(rng, plan, index));
    const plannedFees = collaborations.reduce((sum, c) => sum + c.expectedFee, 0);
    const budget = Math.max(5_000, Math.ceil((plannedFees * (1.15 + 0.4 * rng.float())) / 1_000) * 1_000) * 100;

    this.statements.campaign.run(
      plan.id, organizationId, spec.name, spec.objective, plan.status, budget, spec.currency, plan.startsAt, plan.endsAt,
      JSON.stringify(spec.countries), JSON.stringify(spec.categories), JSON.stringify(spec.audienceTargets),
      JSON.stringify(spec.keywords), this.brief(spec), plan.createdAt, plan.archivedAt ?? plan.createdAt, plan.archivedAt,
    );
    this.summary.campaigns++;
    for (const c of collaborations) this.writeCollaboration(rng, plan, c);
  }

  private planCampaign(rng: Prng, spec: CampaignSpec): CampaignPlan {
    const status = rng.weighted<CampaignStatus>(
      ["ACTIVE", "COMPLETED", "DRAFT", "PAUSED", "ARCHIVED"],
      [0.4, 0.25, 0.15, 0.1, 0.1],
    );
    const day = (min: number, max: number) => this.asOf + rng.int(min, max) * DAY_MS;
    let startsAt: number | null;
    let endsAt: number | null;
    let archivedAt: number | null = null;
    // Finished campaigns fall inside the 60-day post window so their published work links to real posts.
    switch (status) {
      case "DRAFT":
        startsAt = rng.chance(0.3) ? null : day(10, 60);
        endsAt = startsAt === null ? null : startsAt + rng.int(30, 90) * DAY_MS;
        break;
      case "ACTIVE":
        startsAt = day(-50, -15);
        endsAt = day(10, 60);
        break;
      case "PAUSED":
        startsAt = day(-50, -20);
        endsAt = day(5, 40);
        break;
      case "COMPLETED":
        startsAt = day(-58, -50);
        endsAt = day(-20, -3);
        break;
      case "ARCHIVED":
        startsAt = day(-59, -55);
        endsAt = day(-30, -20);
        archivedAt = Math.min(this.asOf, endsAt + rng.int(5, 15) * DAY_MS);
        break;
    }
    // Created a week to a month before the start, and never after asOf (drafts may start in the future).
    const createdAt = Math.min(this.asOf - rng.int(1, 20) * DAY_MS, (startsAt ?? this.asOf) - rng.int(7, 30) * DAY_MS);
    const id = ++this.ids.campaign;
    return { id, spec, status, startsAt, endsAt, createdAt, archivedAt, slug: toSlug(spec.name) };
  }

  private brief(spec: CampaignSpec): string {
    const countries = spec.countries.join(", ");
    const categories = spec.categories.map((c) => c.toLowerCase()).join(", ");
    const goal = { AWARENESS: "reach new audiences", ENGAGEMENT: "start conversations", CONVERSION: "drive sales" }[spec.objective];
    return `We are looking for ${categories} creators with audiences in ${countries} to ${spec.pitch}. ` +
      `Goal: ${goal}. Keywords: ${spec.keywords.join(", ")}. Disclose the partnership with #ad.`;
  }

  /**
   * Influencers for a campaign, by random probing of the directory: first those in a target country with a
   * matching category, then category matches anywhere, then anyone (small demo databases).
   */
  private pickInfluencers(rng: Prng, spec: CampaignSpec, wanted: number): number[] {
    const { directory } = this.options;
    const countryIndexes = new Set(spec.countries.map((code) => COUNTRIES.findIndex((c) => c.code === code)));
    let mask = 0;
    for (const c of spec.categories) mask |= 1 << CATEGORIES.indexOf(c);
    const chosen = new Set<number>();
    const tests: ((i: number) => boolean)[] = [
      (i) => countryIndexes.has(directory.country[i] as number) && ((directory.categoryMask[i] as number) & mask) !== 0,
      (i) => ((directory.categoryMask[i] as number) & mask) !== 0,
      () => true,
    ];
    for (const test of tests) {
      for (let probe = 0; probe < 2_000 + wanted * 200 && chosen.size < wanted; probe++) {
        const i = rng.int(0, directory.count - 1);
        if (!chosen.has(i) && test(i)) chosen.add(i);
      }
    }
    return [...chosen];
  }

  private planCollaboration(rng: Prng, plan: CampaignPlan, index: number) {
    const status = rng.weighted(
      STATUS_MIX[plan.status].map((s) => s[0]),
      STATUS_MIX[plan.status].map((s) => s[1]),
    );
    // Rule of thumb ~USD 10 per 1,000 followers per post, with wide spread; at least USD 50.
    const followers = this.options.directory.totalFollowers[index] as number;
    const usd = Math.min(250_000, Math.max(50, (followers / 1000) * 10 * rng.logNormal(0, 0.35)));
    const fee = Math.round((usd * USD_RATE[plan.spec.currency]) / 5) * 5;
    return { index, status, fee, expectedFee: status === "DECLINED" ? 0 : fee };
  }

  private writeCollaboration(
    rng: Prng,
    plan: CampaignPlan,
    planned: { index: number; status: CollaborationStatus; fee: number },
  ): void {
    const influencerId = planned.index + 1;
    const collaborationId = ++this.ids.collaboration;
    const accounts = this.statements.accounts.all(influencerId) as AccountRow[];
    const start = plan.startsAt ?? this.asOf;
    const createdAt = Math.min(this.asOf, plan.createdAt + rng.int(0, 10) * DAY_MS);
    let status = planned.status;

    // Published work needs real posts inside the campaign window; without one, the work stops at APPROVED.
    let sponsored: FreePost[] = [];
    if (status === "PUBLISHED" || status === "PAID") {
      const windowEnd = Math.min(this.asOf, plan.endsAt ?? this.asOf);
      const free = (this.statements.freePosts.all(influencerId) as FreePost[]).filter(
        (p) => p.publishedAt >= start && p.publishedAt <= windowEnd,
      );
      sponsored = rng.sample(free, rng.int(1, 2));
      if (sponsored.length === 0) status = "APPROVED";
    }
    sponsored.sort((a, b) => a.publishedAt - b.publishedAt || a.id - b.id);

    const step = FLOW.indexOf(status);
    const contracted = step >= CONTRACTED_STEP;
    const firstPost = sponsored[0];
    let statusChangedAt: number;
    if (firstPost && status === "PAID") {
      statusChangedAt = Math.min(this.asOf, firstPost.publishedAt + rng.int(7, 25) * DAY_MS);
    } else if (firstPost) {
      statusChangedAt = (sponsored[sponsored.length - 1] as FreePost).publishedAt;
    } else {
      statusChangedAt = Math.min(this.asOf, Math.max(createdAt, start) + rng.int(0, 20) * DAY_MS);
    }
    const created = Math.min(createdAt, statusChangedAt, firstPost ? firstPost.publishedAt - 5 * DAY_MS : createdAt);

    const handle = accounts[0]?.handle ?? `creator${influencerId}`;
    const promoCode = contracted
      ? `${handle.replace(/[^a-z]/g, "").slice(0, 8).toUpperCase() || "CREATOR"}${rng.pick([10, 15, 20, 25])}-${collaborationId.toString(36).toUpperCase()}`
      : null;
    const trackingUrl = promoCode
      ? `https://shop.example.com/?utm_source=influencegraph&utm_medium=creator&utm_campaign=${plan.slug}&utm_content=${promoCode.toLowerCase()}`
      : null;
    this.statements.collaboration.run(
      collaborationId, plan.id, influencerId, status, contracted ? planned.fee * 100 : null,
      contracted ? plan.spec.currency : null, promoCode, trackingUrl, rng.chance(0.3) ? rng.pick(NOTES) : "",
      statusChangedAt, created, statusChangedAt,
    );
    this.summary.collaborations++;

    if (!contracted) return;
    this.writeDeliverables(rng, plan, collaborationId, status, accounts, sponsored, created, statusChangedAt);
    if (firstPost && promoCode) {
      const reach = accounts.reduce((sum, a) => sum + a.followers, 0);
      const quality = accounts.reduce((sum, a) => sum + a.quality, 0) / Math.max(1, accounts.length);
      this.writeConversions(rng, plan, collaborationId, promoCode, firstPost.publishedAt, reach, quality);
    }
  }

  private writeDeliverables(
    rng: Prng,
    plan: CampaignPlan,
    collaborationId: number,
    status: CollaborationStatus,
    accounts: readonly AccountRow[],
    sponsored: readonly FreePost[],
    createdAt: number,
    statusChangedAt: number,
  ): void {
    const insert = (platform: Platform, kind: PostKind, deliverableStatus: DeliverableStatus, dueAt: number, postId: number | null) => {
      const description = `1 ${PLATFORM_LABEL[platform]} ${kind.toLowerCase().replace("_", " ")} for "${plan.spec.name}", tagged #ad`;
      this.statements.deliverable.run(
        ++this.ids.deliverable, collaborationId, platform, kind, description, deliverableStatus, dueAt, postId, createdAt,
        statusChangedAt,
      );
      this.summary.deliverables++;
    };
    if (sponsored.length > 0) {
      for (const post of sponsored) {
        this.statements.sponsorPost.run(plan.id, post.id);
        insert(post.platform, post.kind, "PUBLISHED", post.publishedAt + rng.int(0, 3) * DAY_MS, post.id);
      }
      return;
    }
    const deliverableStatus: DeliverableStatus =
      status === "CONTENT_SUBMITTED" ? "SUBMITTED" : status === "APPROVED" ? "APPROVED" : "PENDING";
    for (const account of rng.sample(accounts, rng.int(1, 2))) {
      const profile = PLATFORM_PROFILES[account.platform];
      const kind = rng.weighted(profile.kinds, profile.kindWeights);
      insert(account.platform, kind, deliverableStatus, statusChangedAt + rng.int(5, 20) * DAY_MS, null);
    }
  }

  /**
   * Daily promo-code orders from the first sponsored post until the campaign ends (at most 30 days): Poisson
   * around 0.4 orders a day per 10,000 followers at launch (×2 for conversion campaigns, scaled by quality),
   * decaying with a 4-day time constant. Days without orders get no row.
   */
  private writeConversions(
    rng: Prng,
    plan: CampaignPlan,
    collaborationId: number,
    promoCode: string,
    from: number,
    followers: number,
    quality: number,
  ): void {
    const last = Math.min(this.asOf, plan.endsAt ?? this.asOf, from + 30 * DAY_MS);
    const launchRate =
      Math.min(400, (followers / 10_000) * 0.4) * (plan.spec.objective === "CONVERSION" ? 2 : 1) * (0.3 + 1.4 * quality);
    const averageOrder = { USD: 55, EUR: 50, GBP: 45 }[plan.spec.currency] * rng.logNormal(0, 0.25);
    const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
    for (let day = firstDay, n = 0; day <= last; day += DAY_MS, n++) {
      const orders = poisson(rng, launchRate * Math.exp(-n / 4));
      if (orders === 0) continue;
      const revenue = Math.round(orders * averageOrder * rng.logNormal(0, 0.1) * 100);
      this.statements.conversion.run(++this.ids.conversion, collaborationId, promoCode, day, orders, revenue, plan.spec.currency);
      this.summary.conversions++;
    }
  }
}

/** Poisson draw: Knuth's product method for small means, a rounded normal approximation for large ones. */
function poisson(rng: Prng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k++;
    p *= rng.float();
  }
  return k;
}

/**
 * Pure generation of one influencer: profile, social accounts, audience make-up, posts with their metric
 * snapshots, follower history, and the hidden truth (quality, planted fraud). No I/O: `seed.ts` writes the rows.
 *
 * Determinism: influencer i is drawn from `Prng(seed).fork("influencer").fork(i)` and each concern (profile,
 * each account, its posts, its history) from its own named sub-stream, so (seed, i, asOf, options) fixes the
 * output, independent of batch sizes, and changing e.g. `postsPerAccount` does not reshuffle names or followers.
 *
 * Model, in short (numbers that are not cited are assumptions for demo data, marked as such):
 * - Followers: the primary account's tier is drawn from TIER_WEIGHTS, then followers within the tier from a
 *   truncated power law (most accounts sit near the bottom of their tier, as follower counts do).
 * - Engagement: a per-account hidden `quality` in [0, 1] scales the tier/platform benchmark midpoint
 *   (`benchmarkEngagementRate`, cited in benchmarks.ts): rate = midpoint × 2^(2.4 × (quality − 0.5)), i.e.
 *   0.44× at quality 0, 1× at 0.5, 2.3× at 1. Each post varies around it (log-normal, σ = 0.25), and the
 *   account's averages are computed from its own posts' latest snapshots, so they are consistent by construction.
 * - Post counters grow as 1 − e^(−age/τ) (most interactions arrive in the first day or two) and saturate.
 * - FAKE_FOLLOWERS: bought followers appear as a one-day jump of +50–150 % inside the follower history; they do
 *   not engage, so the engagement rate by followers falls far below the benchmark; audience credibility
 *   0.25–0.55; audience over-represents bot-farm countries; `following` is close to or above `followers` (or
 *   maxed at the platform's cap) from follow-for-follow schemes.
 * - BOUGHT_ENGAGEMENT: on most posts a block of 2–5× the organic likes lands within one day, between the first
 *   and the fourth day after publication, when organic growth has flattened, with no matching views or
 *   comments: likes/comments and likes/views far above normal, and an engagement rate above the benchmark.
 * - Clean accounts grow smoothly (daily follower change within −0.8 %…+1.2 %), keep likes/comments and
 *   likes/views near their platform's norm, and have no late like spikes.
 */
import type { AudienceDimension, Category, FraudKind, Platform, PostKind } from "../schema/enums.js";
import { AGE_BANDS, CATEGORIES, GENDERS } from "../schema/enums.js";
import { benchmarkEngagementRate, engagementBasis, TIER_BOUNDS, TIERS, tierOf, type Tier } from "../server/discovery/benchmarks.js";
import {
  BIO_TEMPLATES,
  BOT_FARM_COUNTRIES,
  CAPTION_TEMPLATES,
  CATEGORY_EMOJI,
  CATEGORY_HASHTAGS,
  CATEGORY_WEIGHTS,
  CATEGORY_WORDS,
  COUNTRIES,
  NAME_POOLS,
  PERSONA_SUFFIX,
  RELATED_CATEGORIES,
  TOPIC_SEPARATOR,
  languageOf,
  type CountryProfile,
  type Locale,
  type NameEntry,
} from "./locales.js";
import { accountAverages, RECENT_POSTS } from "../server/engagement/metrics.js";
import { Prng } from "./prng.js";

export const DAY_MS = 86_400_000;
/** Posts are spread over this many days before `asOf`. */
export const POST_WINDOW_DAYS = 60;

export interface GeneratorOptions {
  /** Posts generated per account (the most recent ones; `postCount` is the lifetime total). */
  postsPerAccount: number;
  /** Daily metric snapshots per post, from one day after publication. */
  snapshotDays: number;
  /** Daily follower snapshots per account, ending at `asOf`. */
  historyDays: number;
  /** Share of accounts with each planted fraud kind (so 2 × fraudShare are fraudulent). */
  fraudShare: number;
}

export const DEFAULT_GENERATOR_OPTIONS: Readonly<GeneratorOptions> = {
  postsPerAccount: 6,
  snapshotDays: 7,
  historyDays: 30,
  fraudShare: 0.05,
};

// ---------------------------------------------------------------------------------------------------------------
// Output shapes: plain rows without database ids (seed.ts assigns them).

export interface PostMetrics {
  capturedAt: number;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  views: number;
  reach: number;
  impressions: number;
}

export interface GeneratedPost {
  externalId: string;
  kind: PostKind;
  publishedAt: number;
  caption: string;
  /** Lower case, without the '#'. */
  hashtags: string[];
  url: string;
  /** Cumulative counters, oldest first; never empty (a post younger than a day has one snapshot at `asOf`). */
  snapshots: PostMetrics[];
}

export interface AccountHistoryPoint {
  capturedAt: number;
  followers: number;
  following: number;
  postCount: number;
}

export interface AudienceShareRow {
  dimension: AudienceDimension;
  key: string;
  share: number;
}

export interface GeneratedAccount {
  platform: Platform;
  handle: string;
  followers: number;
  following: number;
  postCount: number;
  verified: boolean;
  averageLikes: number;
  averageComments: number;
  averageViews: number;
  /** (averageLikes + averageComments) / followers, as `social_accounts.engagement_rate` defines it. */
  engagementRate: number;
  audienceCredibility: number;
  /** Hidden truth: how good the account really is, in [0, 1]. */
  quality: number;
  /** Hidden truth: the planted fraud pattern, if any. */
  fraud: FraudKind | null;
  audience: AudienceShareRow[];
  posts: GeneratedPost[];
  /** Oldest first; the last point is at `asOf` and equals the account's current counters. */
  history: AccountHistoryPoint[];
}

export interface GeneratedInfluencer {
  index: number;
  name: string;
  bio: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** ISO 639-1. */
  language: string;
  contactEmail: string | null;
  categories: Category[];
  /** Sum of the accounts' followers. */
  totalFollowers: number;
  createdAt: number;
  updatedAt: number;
  accounts: GeneratedAccount[];
}

// ---------------------------------------------------------------------------------------------------------------
// Distributions (assumptions for demo data unless a source is named).

/**
 * Share of primary accounts per tier. HypeAuditor's 2026 State of Influencer Marketing (via eMarketer) counts
 * 81.5 % of Instagram creators as nano, 14.4 % micro and 0.1 % over 1M; we flatten that so a demo of a few
 * thousand creators still shows every tier and enough large accounts to search among.
 */
export const TIER_WEIGHTS: Readonly<Record<Tier, number>> = { NANO: 0.58, MICRO: 0.25, MID: 0.13, MACRO: 0.024, MEGA: 0.016 };

/** Largest follower count drawn for MEGA (the tier is open-ended). */
const MEGA_MAX_FOLLOWERS = 60_000_000;

interface PlatformProfile {
  /** Relative share of creators' primary accounts (assumption). */
  weight: number;
  kinds: readonly PostKind[];
  kindWeights: readonly number[];
  /** Median views per post relative to followers, per tier (assumption; untapper notes Instagram feed reach of
   * 10–20 % of followers and TikTok reach "100%+ due to the FYP algorithm"; Reels and videos reach further). */
  viewsPerFollower: Readonly<Record<Tier, number>>;
  /** Median comments per like (assumption). */
  commentsPerLike: number;
  sharesPerLike: number;
  savesPerLike: number;
  /** Time constant of the interaction curve, days (assumption: feeds front-load, YouTube has a long tail). */
  tauDays: number;
  /** Most accounts one may follow (approximate platform limits). */
  followingCap: number;
  /** Median lifetime post count. */
  postCountMedian: number;
}

export const PLATFORM_PROFILES: Readonly<Record<Platform, PlatformProfile>> = {
  INSTAGRAM: {
    weight: 0.38, kinds: ["PHOTO", "CAROUSEL", "REEL", "STORY"], kindWeights: [0.3, 0.25, 0.38, 0.07],
    viewsPerFollower: { NANO: 0.45, MICRO: 0.35, MID: 0.28, MACRO: 0.22, MEGA: 0.18 },
    commentsPerLike: 0.025, sharesPerLike: 0.03, savesPerLike: 0.04, tauDays: 0.7, followingCap: 7_500,
    postCountMedian: 350,
  },
  TIKTOK: {
    weight: 0.27, kinds: ["VIDEO", "PHOTO", "LIVE"], kindWeights: [0.88, 0.08, 0.04],
    viewsPerFollower: { NANO: 1.6, MICRO: 1.0, MID: 0.6, MACRO: 0.35, MEGA: 0.2 },
    commentsPerLike: 0.012, sharesPerLike: 0.08, savesPerLike: 0.06, tauDays: 1.2, followingCap: 10_000,
    postCountMedian: 220,
  },
  YOUTUBE: {
    weight: 0.18, kinds: ["VIDEO", "SHORT", "LIVE"], kindWeights: [0.55, 0.4, 0.05],
    viewsPerFollower: { NANO: 0.5, MICRO: 0.3, MID: 0.2, MACRO: 0.12, MEGA: 0.08 },
    commentsPerLike: 0.04, sharesPerLike: 0.02, savesPerLike: 0.01, tauDays: 2, followingCap: 10_000,
    postCountMedian: 160,
  },
  X: {
    weight: 0.09, kinds: ["TEXT", "PHOTO", "VIDEO"], kindWeights: [0.6, 0.25, 0.15],
    viewsPerFollower: { NANO: 0.3, MICRO: 0.2, MID: 0.12, MACRO: 0.08, MEGA: 0.05 },
    commentsPerLike: 0.08, sharesPerLike: 0.15, savesPerLike: 0.03, tauDays: 0.35, followingCap: 5_000,
    postCountMedian: 2_500,
  },
  TWITCH: {
    weight: 0.08, kinds: ["LIVE", "VIDEO"], kindWeights: [0.7, 0.3],
    viewsPerFollower: { NANO: 0.5, MICRO: 0.3, MID: 0.2, MACRO: 0.12, MEGA: 0.08 },
    commentsPerLike: 0.15, sharesPerLike: 0.01, savesPerLike: 0, tauDays: 1, followingCap: 2_000,
    postCountMedian: 400,
  },
};

const PLATFORM_LIST = Object.keys(PLATFORM_PROFILES) as Platform[];

/** Views of a kind relative to the platform's median post (Reels and Shorts travel further, Stories less). */
const KIND_VIEW_FACTOR: Readonly<Record<PostKind, number>> = {
  PHOTO: 0.8, CAROUSEL: 0.9, REEL: 1.6, STORY: 0.5, VIDEO: 1, SHORT: 1.5, LIVE: 0.4, TEXT: 1,
};

/** Interaction curve speed of a kind relative to the platform (Stories vanish after 24 h). */
const KIND_TAU_FACTOR: Readonly<Record<PostKind, number>> = {
  PHOTO: 1, CAROUSEL: 1, REEL: 1.2, STORY: 0.3, VIDEO: 1, SHORT: 0.8, LIVE: 0.6, TEXT: 1,
};

/** Platform-mix nudges by category (gaming lives on Twitch and YouTube, explainers on YouTube, and so on). */
const PLATFORM_AFFINITY: Partial<Record<Category, Partial<Record<Platform, number>>>> = {
  GAMING: { TWITCH: 6, YOUTUBE: 1.6, INSTAGRAM: 0.6 },
  TECH: { YOUTUBE: 1.8, X: 1.6 },
  EDUCATION: { YOUTUBE: 1.8, TIKTOK: 1.2 },
  FINANCE: { YOUTUBE: 1.6, X: 2 },
  BEAUTY: { INSTAGRAM: 1.3, TIKTOK: 1.2, X: 0.5 },
  FASHION: { INSTAGRAM: 1.4, X: 0.5 },
  COMEDY: { TIKTOK: 1.6 },
  MUSIC: { TIKTOK: 1.3, YOUTUBE: 1.3 },
  SPORTS: { X: 1.5 },
};

/** Audience age mix per platform, over AGE_BANDS (assumption, shaped like the platforms' published demographics). */
const AGE_BASE: Readonly<Record<Platform, readonly number[]>> = {
  INSTAGRAM: [0.06, 0.3, 0.32, 0.17, 0.09, 0.06],
  TIKTOK: [0.15, 0.38, 0.26, 0.12, 0.06, 0.03],
  YOUTUBE: [0.07, 0.22, 0.28, 0.2, 0.13, 0.1],
  X: [0.03, 0.2, 0.32, 0.22, 0.13, 0.1],
  TWITCH: [0.12, 0.42, 0.3, 0.1, 0.04, 0.02],
};

/** Multipliers on AGE_BANDS by category. */
const AGE_TILT: Partial<Record<Category, readonly number[]>> = {
  PARENTING: [0.2, 0.6, 1.6, 1.6, 0.9, 0.6],
  FINANCE: [0.3, 1, 1.3, 1.4, 1.3, 1],
  GAMING: [1.6, 1.3, 1, 0.7, 0.5, 0.4],
  AUTOMOTIVE: [0.6, 0.9, 1.1, 1.3, 1.3, 1.1],
  HOME: [0.4, 0.8, 1.2, 1.3, 1.2, 1],
  HEALTH: [0.5, 0.9, 1.1, 1.2, 1.2, 1.2],
  COMEDY: [1.4, 1.3, 1, 0.8, 0.7, 0.6],
};

/** Multipliers on GENDERS (FEMALE, MALE, OTHER) by category. */
const GENDER_TILT: Partial<Record<Category, readonly [number, number, number]>> = {
  BEAUTY: [3, 1, 1], FASHION: [2, 1, 1], PARENTING: [2.5, 1, 1], HOME: [1.5, 1, 1],
  GAMING: [1, 2.5, 1], AUTOMOTIVE: [1, 3, 1], TECH: [1, 2, 1], SPORTS: [1, 1.8, 1], FINANCE: [1, 1.4, 1],
};

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.

function clamp(x: number, min: number, max: number): number {
  return x < min ? min : x > max ? max : x;
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Templates split once into literal text (even indexes) and placeholder names (odd indexes). */
const compiledTemplates = new Map<string, string[]>();

/** Replaces {name} placeholders (a plain `replace` with a callback was a tenth of the generation time). */
function fill(template: string, values: Record<string, string>): string {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiledTemplates.set(template, parts);
  }
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) out += (values[parts[i] as string] ?? "") + (parts[i + 1] as string);
  return out;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE64URL = `${BASE62}-_`;

function randomChars(rng: Prng, alphabet: string, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += alphabet[Math.floor(rng.float() * alphabet.length)];
  return out;
}

function randomDigits(rng: Prng, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(Math.floor(rng.float() * 10));
  return out;
}

/**
 * Shares that sum to exactly 1 after rounding to 4 decimals: the rounding remainder goes to the largest share.
 * Keys with a share that rounds to 0 are dropped.
 */
function normalizedShares(dimension: AudienceDimension, keys: readonly string[], weights: readonly number[]): AudienceShareRow[] {
  let total = 0;
  for (const w of weights) total += w;
  const rows: AudienceShareRow[] = [];
  let sum = 0;
  let largest = -1;
  for (let i = 0; i < keys.length; i++) {
    const share = round((weights[i] as number) / total, 4);
    if (share <= 0) continue;
    rows.push({ dimension, key: keys[i] as string, share });
    sum += share;
    if (largest < 0 || share > (rows[largest] as AudienceShareRow).share) largest = rows.length - 1;
  }
  const top = rows[largest];
  if (top) top.share = round(top.share + (1 - sum), 4);
  return rows;
}

const TIER_WEIGHT_LIST = TIERS.map((t) => TIER_WEIGHTS[t]);
const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);
const CATEGORY_WEIGHT_LIST = CATEGORIES.map((c) => CATEGORY_WEIGHTS[c]);

// ---------------------------------------------------------------------------------------------------------------
// The influencer.

/** Everything an account generator needs to know about its influencer. */
interface InfluencerContext {
  index: number;
  asOf: number;
  options: GeneratorOptions;
  country: CountryProfile;
  locale: Locale;
  city: string;
  categories: Category[];
  baseQuality: number;
}

/**
 * A generator bound to (seed, asOf, options): call it with an index. Prefer this over `generateInfluencer` in
 * loops: it derives the root stream once.
 */
export function createInfluencerGenerator(
  seed: number,
  asOf: Date | number,
  options: Partial<GeneratorOptions> = {},
): (index: number) => GeneratedInfluencer {
  const opts: GeneratorOptions = { ...DEFAULT_GENERATOR_OPTIONS, ...options };
  validateGeneratorOptions(opts);
  const asOfMs = typeof asOf === "number" ? asOf : asOf.getTime();
  const root = new Prng(seed).fork("influencer");
  return (index) => buildInfluencer(root.fork(index), index, asOfMs, opts);
}

/** One influencer from (seed, index, asOf, options): pure and deterministic. */
export function generateInfluencer(
  seed: number,
  index: number,
  asOf: Date | number,
  options: Partial<GeneratorOptions> = {},
): GeneratedInfluencer {
  return createInfluencerGenerator(seed, asOf, options)(index);
}

export function validateGeneratorOptions(o: GeneratorOptions): void {
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(message);
  };
  check(Number.isInteger(o.postsPerAccount) && o.postsPerAccount >= 0 && o.postsPerAccount <= 50,
    "postsPerAccount must be an integer from 0 to 50");
  check(Number.isInteger(o.snapshotDays) && o.snapshotDays >= 1 && o.snapshotDays <= 30,
    "snapshotDays must be an integer from 1 to 30");
  check(Number.isInteger(o.historyDays) && o.historyDays >= 1 && o.historyDays <= 365,
    "historyDays must be an integer from 1 to 365");
  check(o.fraudShare >= 0 && o.fraudShare <= 0.5, "fraudShare must be between 0 and 0.5");
}

function buildInfluencer(rng: Prng, index: number, asOf: number, options: GeneratorOptions): GeneratedInfluencer {
  const profile = rng.fork("profile");
  const country = profile.weighted(COUNTRIES, COUNTRY_WEIGHTS);
  const locale = profile.weighted(
    country.locales.map((l) => l[0]),
    country.locales.map((l) => l[1]),
  );
  const categories = drawCategories(profile);
  const cities = country.cities[locale] ?? country.cities.default;
  const city = profile.pick(cities);
  const pool = NAME_POOLS[country.names[locale] ?? country.names.default];
  const given = profile.pick(pool.given);
  const family = profile.pick(pool.family);
  const primaryCategory = categories[0] as Category;
  const name = displayName(profile, pool.order, given, family, locale, primaryCategory);
  const bio = makeBio(profile, locale, categories, city);
  const suffix = index.toString(36);
  const handleBase = makeHandleBase(profile, given, family, primaryCategory);
  const separator = profile.chance(0.5) ? "_" : ".";
  const contactEmail = profile.chance(0.6) ? makeEmail(profile, given, family, suffix) : null;
  // Quality is mostly a trait of the creator, with some spread between their accounts.
  const baseQuality = clamp(0.5 + 0.18 * profile.normal(), 0.02, 0.98);
  const createdAt = asOf - (options.historyDays + profile.int(0, 365)) * DAY_MS - profile.int(0, DAY_MS - 1);

  const ctx: InfluencerContext = { index, asOf, options, country, locale, city, categories, baseQuality };
  const platforms = drawPlatforms(profile, categories);
  const primaryFollowers = drawFollowers(profile, profile.weighted(TIERS, TIER_WEIGHT_LIST));

  const accounts: GeneratedAccount[] = [];
  let totalFollowers = 0;
  for (let i = 0; i < platforms.length; i++) {
    const platform = platforms[i] as Platform;
    const accountRng = rng.fork(platform);
    // Secondary accounts are usually smaller than the primary one, sometimes larger.
    const followers =
      i === 0 ? primaryFollowers : Math.max(1_000, Math.round(primaryFollowers * accountRng.logNormal(Math.log(0.3), 1)));
    const handle = `${handleBase}${separator}${suffix}`;
    const account = buildAccount(accountRng, ctx, platform, followers, platformHandle(platform, handle));
    accounts.push(account);
    totalFollowers += account.followers;
  }

  return {
    index,
    name,
    bio,
    country: country.code,
    language: languageOf(locale),
    contactEmail,
    categories,
    totalFollowers,
    createdAt,
    updatedAt: asOf,
    accounts,
  };
}

/** 1–3 distinct categories, popular ones likelier. */
function drawCategories(rng: Prng): Category[] {
  const count = rng.weighted([1, 2, 3], [0.4, 0.4, 0.2]);
  const chosen: Category[] = [];
  const weights = CATEGORY_WEIGHT_LIST.slice();
  while (chosen.length < count) {
    const category = rng.weighted(CATEGORIES, weights);
    chosen.push(category);
    weights[CATEGORIES.indexOf(category)] = 0;
  }
  return chosen;
}

/** 1–3 distinct platforms; the first is the primary account. */
function drawPlatforms(rng: Prng, categories: readonly Category[]): Platform[] {
  const weights = PLATFORM_LIST.map((p) => {
    let w = PLATFORM_PROFILES[p].weight;
    for (const c of categories) w *= PLATFORM_AFFINITY[c]?.[p] ?? 1;
    return w;
  });
  const count = rng.weighted([1, 2, 3], [0.45, 0.35, 0.2]);
  const chosen: Platform[] = [];
  while (chosen.length < count) {
    const platform = rng.weighted(PLATFORM_LIST, weights);
    chosen.push(platform);
    weights[PLATFORM_LIST.indexOf(platform)] = 0;
  }
  return chosen;
}

/**
 * Followers inside a tier: u^1.6 leans towards the bottom of the tier on a log scale (a truncated power law,
 * the usual shape of follower counts).
 */
function drawFollowers(rng: Prng, tier: Tier): number {
  const { min } = TIER_BOUNDS[tier];
  const max = tier === "MEGA" ? MEGA_MAX_FOLLOWERS : TIER_BOUNDS[tier].max;
  const u = rng.float() ** (tier === "MEGA" ? 2.5 : 1.6);
  return Math.min(max - 1, Math.round(min * (max / min) ** u));
}

function displayName(
  rng: Prng,
  order: "given-family" | "family-given" | "familygiven",
  given: NameEntry,
  family: NameEntry,
  locale: Locale,
  category: Category,
): string {
  if (order === "family-given") return `${family[0]} ${given[0]}`;
  if (order === "familygiven") return `${family[0]}${given[0]}`;
  // Some English-speaking creators go by a persona ("Maya Eats").
  if (locale === "en" && rng.chance(0.07)) return `${given[0]} ${PERSONA_SUFFIX[category]}`;
  return `${given[0]} ${family[0]}`;
}

function makeBio(rng: Prng, locale: Locale, categories: readonly Category[], city: string): string {
  const words = CATEGORY_WORDS[locale];
  const first = categories[0] as Category;
  return fill(rng.pick(BIO_TEMPLATES[locale]), {
    topics: categories.map((c) => words[c]).join(TOPIC_SEPARATOR[locale]),
    topic: words[first],
    city,
    emoji: CATEGORY_EMOJI[first],
  });
}

/** The part of a handle before the unique suffix: at most 10 characters of [a-z0-9._]. */
function makeHandleBase(rng: Prng, given: NameEntry, family: NameEntry, category: Category): string {
  const g = given[1];
  const f = family[1];
  const styles = [
    () => `${g}${f}`,
    () => `${g}.${f}`,
    () => `${g}_${f}`,
    () => `${f}${g}`,
    () => `${g}${CATEGORY_WORDS.en[category].replace(/[^a-z]/g, "")}`,
    () => `its${g}`,
    () => `${g}.${f.slice(0, 1)}`,
  ];
  const base = (rng.pick(styles)() || "creator").slice(0, 10).replace(/[._]+$/, "");
  return base.length >= 2 ? base : `${base}creator`.slice(0, 10);
}

/**
 * Handles are unique per platform by construction: `<base><sep><index in base 36>`, and base 36 has neither '.'
 * nor '_', so the text after the last separator names the influencer. X and Twitch allow no dots.
 */
function platformHandle(platform: Platform, handle: string): string {
  return platform === "X" || platform === "TWITCH" ? handle.replace(/\./g, "_") : handle;
}

const EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mgmt.example.com", "talent.example.net"];

function makeEmail(rng: Prng, given: NameEntry, family: NameEntry, suffix: string): string {
  const local = rng.chance(0.5) ? `${given[1]}.${family[1]}` : `${given[1]}${family[1]}`;
  return `${local || "creator"}.${suffix}@${rng.pick(EMAIL_DOMAINS)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// An account.

interface FraudPlan {
  kind: FraudKind | null;
  /** FAKE_FOLLOWERS: bought followers as a fraction of the real ones (0.5–1.5). */
  fakeRatio: number;
}

function buildAccount(
  rng: Prng,
  ctx: InfluencerContext,
  platform: Platform,
  followers: number,
  handle: string,
): GeneratedAccount {
  const profile = PLATFORM_PROFILES[platform];
  const fraud = drawFraud(rng.fork("fraud"), ctx.options.fraudShare);
  const traits = rng.fork("traits");
  // Fraudulent accounts are low quality by definition; the ranking should put them last.
  const quality = round(
    fraud.kind ? 0.05 + 0.3 * traits.float() : clamp(ctx.baseQuality + 0.07 * traits.normal(), 0, 1),
    4,
  );
  const tier = tierOf(followers);
  // Only real followers see and engage with posts.
  const realFollowers = followers / (1 + fraud.fakeRatio);

  const verifiedOdds = { NANO: 0.01, MICRO: 0.05, MID: 0.2, MACRO: 0.55, MEGA: 0.85 }[tier];
  const verified = traits.chance(verifiedOdds * (0.6 + 0.8 * quality) * (fraud.kind === "FAKE_FOLLOWERS" ? 0.3 : 1));
  const following = drawFollowing(traits, profile, followers, fraud.kind);
  const tierIndex = TIERS.indexOf(tier);
  const postCount = Math.max(
    ctx.options.postsPerAccount + 1,
    Math.round(traits.logNormal(Math.log(profile.postCountMedian), 0.7) * (1 + tierIndex) ** 0.3),
  );
  const audienceCredibility = round(
    fraud.kind === "FAKE_FOLLOWERS"
      ? 0.25 + 0.3 * traits.float()
      : fraud.kind === "BOUGHT_ENGAGEMENT"
        ? 0.55 + 0.25 * traits.float()
        : clamp(0.62 + 0.3 * quality + 0.04 * traits.normal(), 0.58, 0.98),
    4,
  );

  // Engagement target on the benchmark's basis, scaled by quality (see the file comment).
  const targetRate = benchmarkEngagementRate(platform, tier) * 2 ** (2.4 * (quality - 0.5));
  const posts = buildPosts(rng.fork("posts"), ctx, platform, handle, tier, realFollowers, targetRate, fraud.kind);

  // The catalogue averages as the feature refresh derives them: the latest captures of the recent posts.
  const recent = posts.filter((post) => post.snapshots.length > 0).sort((a, b) => b.publishedAt - a.publishedAt).slice(0, RECENT_POSTS);
  const { averageLikes, averageComments, averageViews, engagementRate } = accountAverages(
    recent.map((post) => post.snapshots[post.snapshots.length - 1] as PostMetrics),
    followers,
  );

  return {
    platform,
    handle,
    followers,
    following,
    postCount,
    verified,
    averageLikes,
    averageComments,
    averageViews,
    engagementRate,
    audienceCredibility,
    quality,
    fraud: fraud.kind,
    audience: buildAudience(rng.fork("audience"), ctx, platform, fraud.kind),
    posts,
    history: buildHistory(rng.fork("history"), ctx, tier, quality, followers, following, postCount, posts, fraud),
  };
}

function drawFraud(rng: Prng, share: number): FraudPlan {
  const u = rng.float();
  const kind: FraudKind | null = u < share ? "FAKE_FOLLOWERS" : u < 2 * share ? "BOUGHT_ENGAGEMENT" : null;
  return { kind, fakeRatio: kind === "FAKE_FOLLOWERS" ? 0.5 + rng.float() : 0 };
}

/**
 * Real creators follow a few hundred accounts whatever their size (log-normal around 450, at most half their
 * followers). Follow-for-follow schemes behind fake followers follow about as many accounts as follow them, up
 * to the platform's cap.
 */
function drawFollowing(rng: Prng, profile: PlatformProfile, followers: number, fraud: FraudKind | null): number {
  if (fraud === "FAKE_FOLLOWERS") return Math.round(Math.min(profile.followingCap, followers * (0.7 + 0.5 * rng.float())));
  const drawn = rng.logNormal(Math.log(450), 0.8);
  return Math.round(Math.min(drawn, profile.followingCap * 0.9, followers * 0.5));
}

// ---------------------------------------------------------------------------------------------------------------
// Posts and their metric snapshots.

function buildPosts(
  rng: Prng,
  ctx: InfluencerContext,
  platform: Platform,
  handle: string,
  tier: Tier,
  realFollowers: number,
  targetRate: number,
  fraud: FraudKind | null,
): GeneratedPost[] {
  const profile = PLATFORM_PROFILES[platform];
  const { postsPerAccount, snapshotDays } = ctx.options;
  const byViews = engagementBasis(platform) === "VIEWS";
  // Account-level habits: how chatty the audience is, how far posts travel.
  const commentsPerLike = profile.commentsPerLike * rng.logNormal(0, 0.3);
  const viewsPerFollower = profile.viewsPerFollower[tier] * rng.logNormal(0, 0.25);
  const reachPerView = 0.6 + 0.25 * rng.float();
  const impressionsPerView = 1.1 + 0.3 * rng.float();
  const slot = (POST_WINDOW_DAYS * DAY_MS) / Math.max(1, postsPerAccount);
  const windowStart = ctx.asOf - POST_WINDOW_DAYS * DAY_MS;

  const posts: GeneratedPost[] = [];
  for (let p = 0; p < postsPerAccount; p++) {
    // Stratified over the window so every account has recent posts; whole seconds, like platform timestamps.
    const publishedAt = Math.floor((windowStart + (p + 0.1 + 0.8 * rng.float()) * slot) / 1000) * 1000;
    const kind = rng.weighted(profile.kinds, profile.kindWeights);
    const views = realFollowers * viewsPerFollower * KIND_VIEW_FACTOR[kind] * rng.logNormal(0, 0.35);
    const interactions = targetRate * rng.logNormal(0, 0.25) * (byViews ? views : realFollowers);
    const cpl = commentsPerLike * rng.logNormal(0, 0.2);
    const likes = interactions / (1 + cpl);
    const final: FinalCounters = {
      likes,
      comments: interactions - likes,
      shares: likes * profile.sharesPerLike * rng.logNormal(0, 0.3),
      saves: likes * profile.savesPerLike * rng.logNormal(0, 0.3),
      views,
      reachPerView,
      impressionsPerView,
      tau: profile.tauDays * KIND_TAU_FACTOR[kind] * rng.logNormal(0, 0.2),
      // Bought likes: 2–5× the organic ones, delivered within one day between days 1 and 4 (on 4 posts in 5).
      boughtLikes: fraud === "BOUGHT_ENGAGEMENT" && rng.chance(0.8) ? likes * (2 + 3 * rng.float()) : 0,
      boughtDay: snapshotDays >= 2 ? rng.int(2, Math.min(4, snapshotDays)) : 1,
    };
    const identity = postIdentity(rng, ctx, platform, handle, kind, p);
    posts.push({
      externalId: identity.externalId,
      kind,
      publishedAt,
      caption: identity.caption,
      hashtags: identity.hashtags,
      url: identity.url,
      snapshots: buildSnapshots(publishedAt, ctx.asOf, snapshotDays, final),
    });
  }
  return posts;
}

interface FinalCounters {
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  views: number;
  reachPerView: number;
  impressionsPerView: number;
  tau: number;
  boughtLikes: number;
  boughtDay: number;
}

/**
 * Cumulative counters at publication + 1, 2, … `days` days (stopping at `asOf`; a post younger than a day gets a
 * single snapshot at `asOf`). Interactions follow 1 − e^(−age/τ); views a slower curve (τ × 1.5), because views
 * keep coming from search and recommendations after likes have settled.
 */
function buildSnapshots(publishedAt: number, asOf: number, days: number, f: FinalCounters): PostMetrics[] {
  const snapshots: PostMetrics[] = [];
  for (let d = 1; d <= days; d++) {
    let capturedAt = publishedAt + d * DAY_MS;
    if (capturedAt > asOf) {
      if (d > 1) break;
      capturedAt = asOf;
    }
    const age = (capturedAt - publishedAt) / DAY_MS;
    const grown = 1 - Math.exp(-age / f.tau);
    const viewed = 1 - Math.exp(-age / (f.tau * 1.5));
    const views = Math.round(f.views * viewed);
    snapshots.push({
      capturedAt,
      likes: Math.round(f.likes * grown + (d >= f.boughtDay && age >= 1 ? f.boughtLikes : 0)),
      comments: Math.round(f.comments * grown),
      shares: Math.round(f.shares * grown),
      saves: Math.round(f.saves * grown),
      views,
      reach: Math.round(views * f.reachPerView),
      impressions: Math.round(views * f.impressionsPerView),
    });
  }
  return snapshots;
}

/** External id, URL, caption and hashtags of a post. External ids embed the influencer index: unique per platform. */
function postIdentity(
  rng: Prng,
  ctx: InfluencerContext,
  platform: Platform,
  handle: string,
  kind: PostKind,
  postNumber: number,
): Pick<GeneratedPost, "externalId" | "url" | "caption" | "hashtags"> {
  const idx36 = ctx.index.toString(36).padStart(5, "0");
  const post36 = postNumber.toString(36).padStart(2, "0");
  const idx10 = String(ctx.index).padStart(9, "0");
  const post10 = String(postNumber).padStart(2, "0");
  let externalId: string;
  let url: string;
  switch (platform) {
    case "INSTAGRAM":
      // Shortcode-like: 11 characters.
      externalId = `C${idx36}${post36}${randomChars(rng, BASE64URL, 3)}`;
      url = `https://www.instagram.com/${kind === "REEL" ? "reel" : "p"}/${externalId}/`;
      break;
    case "TIKTOK":
      // 19-digit numeric id.
      externalId = `7${idx10}${post10}${randomDigits(rng, 7)}`;
      url = `https://www.tiktok.com/@${handle}/${kind === "PHOTO" ? "photo" : "video"}/${externalId}`;
      break;
    case "YOUTUBE":
      // Video-id-like: 11 characters.
      externalId = `${randomChars(rng, BASE64URL, 2)}${idx36}${post36}${randomChars(rng, BASE64URL, 2)}`;
      url = kind === "SHORT" ? `https://www.youtube.com/shorts/${externalId}` : `https://www.youtube.com/watch?v=${externalId}`;
      break;
    case "X":
      externalId = `18${idx10}${post10}${randomDigits(rng, 6)}`;
      url = `https://x.com/${handle}/status/${externalId}`;
      break;
    case "TWITCH":
      externalId = `2${idx10}${post10}`;
      url = `https://www.twitch.tv/videos/${externalId}`;
      break;
  }
  const { caption, hashtags } = makeCaption(rng, ctx);
  return { externalId, url, caption, hashtags };
}

function makeCaption(rng: Prng, ctx: InfluencerContext): { caption: string; hashtags: string[] } {
  const category = rng.pick(ctx.categories);
  const text = fill(rng.pick(CAPTION_TEMPLATES[ctx.locale]), {
    topic: CATEGORY_WORDS[ctx.locale][category],
    city: ctx.city,
    emoji: CATEGORY_EMOJI[category],
  });
  const hashtags = rng.sample(CATEGORY_HASHTAGS[category], rng.int(2, 4));
  const other = ctx.categories.length > 1 ? rng.pick(ctx.categories) : null;
  const extra: string[] = [];
  if (other && other !== category) extra.push(CATEGORY_HASHTAGS[other][0] as string);
  // Creators writing in another language often add the local word as a tag too.
  if (ctx.locale !== "en" && rng.chance(0.6)) extra.push(CATEGORY_WORDS[ctx.locale][category].toLowerCase());
  for (const tag of extra) if (!hashtags.includes(tag)) hashtags.push(tag);
  return { caption: `${text} ${hashtags.map((h) => `#${h}`).join(" ")}`, hashtags };
}

// ---------------------------------------------------------------------------------------------------------------
// Audience make-up.

function buildAudience(rng: Prng, ctx: InfluencerContext, platform: Platform, fraud: FraudKind | null): AudienceShareRow[] {
  return [
    ...countryShares(rng, ctx, fraud),
    ...ageShares(rng, ctx, platform),
    ...genderShares(rng, ctx),
    ...languageShares(rng, ctx),
    ...interestShares(rng, ctx),
  ];
}

/**
 * 3–6 countries, the creator's own the largest (45–80 %). Fake followers dilute it (30–40 %) with bot-farm
 * countries; the other keys then share the rest evenly enough that none overtakes the home country.
 */
function countryShares(rng: Prng, ctx: InfluencerContext, fraud: FraudKind | null): AudienceShareRow[] {
  const home = ctx.country.code;
  if (fraud === "FAKE_FOLLOWERS") {
    const bots: string[] = rng.sample(BOT_FARM_COUNTRIES.filter((c) => c !== home), 3);
    const neighbor = rng.pick(ctx.country.audienceNeighbors.filter((c) => !bots.includes(c)));
    const keys = [home, ...bots, neighbor];
    const homeShare = 0.3 + 0.1 * rng.float();
    // 4 others share 60–70 %: each gets at most 0.7 × 1 / (1 + 3 × 0.6) = 25 % < 30 %.
    const weights = keys.slice(1).map(() => 0.6 + 0.4 * rng.float());
    const restTotal = weights.reduce((a, b) => a + b, 0);
    return normalizedShares("COUNTRY", keys, [homeShare, ...weights.map((w) => ((1 - homeShare) * w) / restTotal)]);
  }
  const others = rng.sample(ctx.country.audienceNeighbors, rng.int(2, 5));
  const homeShare = 0.45 + 0.35 * rng.float();
  // Decreasing weights; the first other gets at most ~55 % of the rest, i.e. < 0.55 × 0.55 ≈ 30 % < 45 %.
  const weights = others.map((_, i) => (1 / (i + 1.2)) * (0.7 + 0.6 * rng.float()));
  const restTotal = weights.reduce((a, b) => a + b, 0);
  return normalizedShares("COUNTRY", [home, ...others], [homeShare, ...weights.map((w) => ((1 - homeShare) * w) / restTotal)]);
}

function ageShares(rng: Prng, ctx: InfluencerContext, platform: Platform): AudienceShareRow[] {
  const weights = AGE_BASE[platform].map((base, band) => {
    let w = base;
    for (const c of ctx.categories) w *= AGE_TILT[c]?.[band] ?? 1;
    return w * rng.logNormal(0, 0.2);
  });
  return normalizedShares("AGE", AGE_BANDS, weights);
}

function genderShares(rng: Prng, ctx: InfluencerContext): AudienceShareRow[] {
  const weights = [0.5, 0.48, 0.02].map((base, g) => {
    let w = base;
    for (const c of ctx.categories) w *= GENDER_TILT[c]?.[g] ?? 1;
    return w * rng.logNormal(0, 0.15);
  });
  return normalizedShares("GENDER", GENDERS, weights);
}

/** The creator's language first (50–85 %), then English (when it is not already first) and one more. */
function languageShares(rng: Prng, ctx: InfluencerContext): AudienceShareRow[] {
  const own = languageOf(ctx.locale);
  const keys = [own];
  const weights = [0.5 + 0.35 * rng.float()];
  if (own !== "en") {
    keys.push("en");
    weights.push(0.1 + 0.25 * rng.float());
  }
  const extra = rng.pick(["es", "pt", "fr", "de", "hi", "ar", "ja", "zh", "id", "ko", "it"].filter((l) => !keys.includes(l)));
  keys.push(extra);
  weights.push(0.02 + 0.08 * rng.float());
  return normalizedShares("LANGUAGE", keys, weights);
}

/** The creator's categories dominate; 2–3 related categories follow. */
function interestShares(rng: Prng, ctx: InfluencerContext): AudienceShareRow[] {
  const keys: string[] = [];
  const weights: number[] = [];
  for (const c of ctx.categories) {
    keys.push(c);
    weights.push(0.8 + 0.4 * rng.float());
  }
  const related = new Set<string>();
  for (const c of ctx.categories) for (const r of RELATED_CATEGORIES[c]) if (!ctx.categories.includes(r)) related.add(r);
  for (const r of rng.sample([...related].sort(), rng.int(2, 3))) {
    keys.push(r);
    weights.push(0.15 + 0.25 * rng.float());
  }
  return normalizedShares("INTEREST", keys, weights);
}

// ---------------------------------------------------------------------------------------------------------------
// Follower history.

/**
 * Daily snapshots at asOf − k days (k = historyDays − 1 … 0), built backwards from today's counters. Clean
 * accounts grow at a quality-dependent rate (−0.05 %…+0.35 % a day, half that for MACRO/MEGA) with small daily
 * noise; fake-follower accounts show one day where followers jump by the bought share, and a slow purge after.
 */
function buildHistory(
  rng: Prng,
  ctx: InfluencerContext,
  tier: Tier,
  quality: number,
  followers: number,
  following: number,
  postCount: number,
  posts: readonly GeneratedPost[],
  fraud: FraudPlan,
): AccountHistoryPoint[] {
  const days = ctx.options.historyDays;
  const bigAccount = tier === "MACRO" || tier === "MEGA";
  const trend = (-0.0005 + 0.004 * quality) * (bigAccount ? 0.5 : 1);
  // FAKE_FOLLOWERS: the jump happens between day `jumpAgo` and the day after (counted back from asOf).
  const jumpAgo = fraud.kind === "FAKE_FOLLOWERS" ? Math.max(1, Math.min(days - 1, rng.int(3, Math.max(3, days - 3)))) : -1;
  const followDrift = 1.5 * rng.float();
  const history: AccountHistoryPoint[] = new Array(days);
  let current = followers;
  for (let k = 0; k < days; k++) {
    const capturedAt = ctx.asOf - k * DAY_MS;
    let published = 0;
    for (const post of posts) if (post.publishedAt > capturedAt) published++;
    history[days - 1 - k] = {
      capturedAt,
      followers: Math.round(current),
      following: Math.max(0, Math.round(following - followDrift * k)),
      postCount: postCount - published,
    };
    // Step one day back.
    if (k + 1 === jumpAgo) current /= 1 + fraud.fakeRatio;
    else {
      const rate = fraud.kind === "FAKE_FOLLOWERS" && k + 1 < jumpAgo ? -0.002 : clamp(trend + 0.0012 * rng.normal(), -0.008, 0.012);
      current /= 1 + rate;
    }
  }
  return history;
}

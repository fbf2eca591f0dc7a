/**
 * Follower tiers and published engagement-rate benchmarks. Pure data and pure functions: the demo generator
 * draws accounts around these numbers, and the discovery engine compares real accounts against them.
 *
 * Sources (checked 2026-11):
 * - [UNTAPPER] "Influencer Marketing Benchmarks & KPIs (2026)", https://untapper.com/influencer-marketing-benchmarks
 *   — tier bounds (the Mediakix/STIM tiers) and the "Average ER" column per tier for Instagram (by followers) and
 *   TikTok ("ER is typically measured against views rather than followers").
 * - [HYPEAUDITOR-2023] HypeAuditor, via Statista ("Engagement rate of Instagram influencers worldwide in 2023, by
 *   number of followers"): nano (1k–10k) 2.19 %, all studied influencers 1.85 %, lowest for mid-tier. HypeAuditor
 *   averages every account in a tier, untapper quotes a typical range, hence the lower figures; we keep untapper's
 *   ranges as the benchmark and HypeAuditor's as a cross-check (a "bad but real" floor).
 * - YouTube, X and Twitch: NO published benchmark was checked. The ranges below are ASSUMPTIONS derived from
 *   Instagram's and labelled `assumption: true`; replace them when a source is checked.
 */
import type { Platform } from "../../schema/enums.js";

export const TIERS = ["NANO", "MICRO", "MID", "MACRO", "MEGA"] as const;
export type Tier = (typeof TIERS)[number];

/**
 * Follower bounds per tier, [min, max) — [UNTAPPER]: Nano 1K–10K, Micro 10K–50K, Mid-Tier 50K–500K, Macro
 * 500K–1M, Mega 1M+. Accounts under 1,000 followers are not "influencers" in any of the sources; `tierOf`
 * counts them as NANO so every account has a tier.
 */
export const TIER_BOUNDS: Readonly<Record<Tier, { readonly min: number; readonly max: number }>> = {
  NANO: { min: 1_000, max: 10_000 },
  MICRO: { min: 10_000, max: 50_000 },
  MID: { min: 50_000, max: 500_000 },
  MACRO: { min: 500_000, max: 1_000_000 },
  MEGA: { min: 1_000_000, max: Number.POSITIVE_INFINITY },
};

/** The follower tier of an account (pure). Below 1,000 followers is NANO too. */
export function tierOf(followers: number): Tier {
  if (followers < TIER_BOUNDS.MICRO.min) return "NANO";
  if (followers < TIER_BOUNDS.MID.min) return "MICRO";
  if (followers < TIER_BOUNDS.MACRO.min) return "MID";
  if (followers < TIER_BOUNDS.MEGA.min) return "MACRO";
  return "MEGA";
}

/**
 * What an engagement rate is divided by. FOLLOWERS: (likes + comments) / followers, the definition stored in
 * `social_accounts.engagement_rate`. VIEWS: (likes + comments) / views, how TikTok (and here YouTube) are
 * benchmarked, because their feeds show content to non-followers.
 */
export type EngagementBasis = "FOLLOWERS" | "VIEWS";

export interface EngagementRange {
  /** Fractions, not percent: 0.03 is 3 %. */
  readonly low: number;
  readonly high: number;
}

export interface PlatformBenchmark {
  readonly basis: EngagementBasis;
  /** True when the numbers are our assumption, not a published benchmark. */
  readonly assumption: boolean;
  readonly source: string;
  readonly tiers: Readonly<Record<Tier, EngagementRange>>;
}

/** [UNTAPPER], "Instagram engagement rate benchmarks by tier", column "Average ER". */
const INSTAGRAM: Record<Tier, EngagementRange> = {
  NANO: { low: 0.03, high: 0.05 },
  MICRO: { low: 0.02, high: 0.035 },
  MID: { low: 0.015, high: 0.025 },
  MACRO: { low: 0.01, high: 0.018 },
  MEGA: { low: 0.007, high: 0.012 },
};

/** [UNTAPPER], "TikTok engagement rate benchmarks by tier", column "Average ER" (measured against views). */
const TIKTOK: Record<Tier, EngagementRange> = {
  NANO: { low: 0.06, high: 0.1 },
  MICRO: { low: 0.04, high: 0.07 },
  MID: { low: 0.03, high: 0.05 },
  MACRO: { low: 0.02, high: 0.035 },
  MEGA: { low: 0.01, high: 0.02 },
};

function scaled(base: Record<Tier, EngagementRange>, factor: number): Record<Tier, EngagementRange> {
  const out = {} as Record<Tier, EngagementRange>;
  for (const tier of TIERS) out[tier] = { low: base[tier].low * factor, high: base[tier].high * factor };
  return out;
}

export const ENGAGEMENT_BENCHMARKS: Readonly<Record<Platform, PlatformBenchmark>> = {
  INSTAGRAM: { basis: "FOLLOWERS", assumption: false, source: "untapper.com/influencer-marketing-benchmarks (2026)", tiers: INSTAGRAM },
  TIKTOK: { basis: "VIEWS", assumption: false, source: "untapper.com/influencer-marketing-benchmarks (2026)", tiers: TIKTOK },
  // ASSUMPTION: YouTube ≈ Instagram × 0.9, measured against views (long-form viewers like and comment a little
  // less per view than Instagram followers per follower). No source checked.
  YOUTUBE: { basis: "VIEWS", assumption: true, source: "assumption: Instagram × 0.9, by views", tiers: scaled(INSTAGRAM, 0.9) },
  // ASSUMPTION: X ≈ Instagram × 0.4, by followers (text timelines get far fewer likes per follower). No source checked.
  X: { basis: "FOLLOWERS", assumption: true, source: "assumption: Instagram × 0.4, by followers", tiers: scaled(INSTAGRAM, 0.4) },
  // ASSUMPTION: Twitch ≈ Instagram × 0.8, by followers (likes = clip/VOD reactions, comments = chat). No source checked.
  TWITCH: { basis: "FOLLOWERS", assumption: true, source: "assumption: Instagram × 0.8, by followers", tiers: scaled(INSTAGRAM, 0.8) },
};

/** [HYPEAUDITOR-2023] Instagram cross-check figures (means over all accounts in the tier). */
export const HYPEAUDITOR_2023_INSTAGRAM = { nano: 0.0219, allTiers: 0.0185 } as const;

/** The benchmark range (fractions) for a platform and tier (pure). */
export function benchmarkEngagementRange(platform: Platform, tier: Tier): EngagementRange {
  return ENGAGEMENT_BENCHMARKS[platform].tiers[tier];
}

/**
 * The benchmark engagement rate for a platform and tier: the midpoint of the published "average" range, as a
 * fraction (0.04 = 4 %), on the platform's `engagementBasis` (pure).
 */
export function benchmarkEngagementRate(platform: Platform, tier: Tier): number {
  const { low, high } = benchmarkEngagementRange(platform, tier);
  return (low + high) / 2;
}

/** What the platform's benchmark divides by (pure). */
export function engagementBasis(platform: Platform): EngagementBasis {
  return ENGAGEMENT_BENCHMARKS[platform].basis;
}

export interface AccountAverages {
  followers: number;
  averageLikes: number;
  averageComments: number;
  averageViews: number;
}

/**
 * An account's engagement rate on the same basis as its platform's benchmark (pure): (likes + comments) divided by
 * followers, or by views for VIEWS platforms. 0 when the divisor is 0. Compare it with `benchmarkEngagementRate`;
 * do not compare `social_accounts.engagement_rate` (always by followers) with a VIEWS benchmark.
 */
export function engagementRateOnBasis(platform: Platform, account: AccountAverages): number {
  const divisor = engagementBasis(platform) === "VIEWS" ? account.averageViews : account.followers;
  return divisor > 0 ? (account.averageLikes + account.averageComments) / divisor : 0;
}

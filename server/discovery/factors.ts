/**
 * The discovery ranking's factors and how they combine: pure functions, each factor normalised to [0, 1] with a
 * short human reason. The formulas are described in site/src/content/docs/ranking.md; change both together.
 *
 * score = trust × Σ wᵢ·vᵢ / Σ wᵢ, over the factors that apply to the account (keyword relevance only with
 * keywords, audience fit only with audience targets, cost efficiency only where your organization knows a fee),
 * so an account is never rewarded or punished for a factor the brief does not ask about or the data cannot tell.
 * trust = 1 − 0.8 × suspicion multiplies the whole score: a bought audience must not be outweighed by reach.
 */
import type { Platform } from "../../schema/enums.js";
import type { Tier } from "./benchmarks.js";

export const FACTORS = [
  "KEYWORD_RELEVANCE",
  "ENGAGEMENT",
  "AUDIENCE_FIT",
  "AUTHENTICITY",
  "REACH",
  "GROWTH",
  "ACTIVITY",
  "COST_EFFICIENCY",
] as const;
export type Factor = (typeof FACTORS)[number];

export const OBJECTIVES = ["AWARENESS", "ENGAGEMENT", "CONVERSION"] as const;
export type Objective = (typeof OBJECTIVES)[number];

export type Weights = Record<Factor, number>;

/** The GraphQL weight fields (`FactorWeightsInput`) and the factor each one weighs. */
export const WEIGHT_FIELDS = {
  keywordRelevance: "KEYWORD_RELEVANCE",
  engagement: "ENGAGEMENT",
  audienceFit: "AUDIENCE_FIT",
  authenticity: "AUTHENTICITY",
  reach: "REACH",
  growth: "GROWTH",
  activity: "ACTIVITY",
  costEfficiency: "COST_EFFICIENCY",
} as const satisfies Record<string, Factor>;
export type WeightField = keyof typeof WEIGHT_FIELDS;

/**
 * Default weights per objective (our choice, stated on the ranking page): awareness buys reach and the right
 * audience; engagement buys interaction; conversion buys the right audience at a good price.
 */
export const PRESET_WEIGHTS: Readonly<Record<Objective, Readonly<Weights>>> = {
  AWARENESS: { KEYWORD_RELEVANCE: 0.1, ENGAGEMENT: 0.1, AUDIENCE_FIT: 0.2, AUTHENTICITY: 0.15, REACH: 0.3, GROWTH: 0.05, ACTIVITY: 0.05, COST_EFFICIENCY: 0.05 },
  ENGAGEMENT: { KEYWORD_RELEVANCE: 0.15, ENGAGEMENT: 0.3, AUDIENCE_FIT: 0.15, AUTHENTICITY: 0.2, REACH: 0.05, GROWTH: 0.05, ACTIVITY: 0.1, COST_EFFICIENCY: 0 },
  CONVERSION: { KEYWORD_RELEVANCE: 0.15, ENGAGEMENT: 0.15, AUDIENCE_FIT: 0.25, AUTHENTICITY: 0.2, REACH: 0.05, GROWTH: 0, ACTIVITY: 0.05, COST_EFFICIENCY: 0.15 },
};

export const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : Number.isNaN(x) ? 0 : x);

const PLATFORM_NAME: Record<Platform, string> = { INSTAGRAM: "Instagram", TIKTOK: "TikTok", YOUTUBE: "YouTube", X: "X", TWITCH: "Twitch" };
const TIER_NAME: Record<Tier, string> = { NANO: "nano", MICRO: "micro", MID: "mid-tier", MACRO: "macro", MEGA: "mega" };

const pct = (x: number, digits = 0) => `${(x * 100).toFixed(digits)}%`;
const signedPct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}%`;
const times = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;

export function compactNumber(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(Math.round(n));
}

/**
 * Engagement relative to peers: r = rate ÷ median rate of accounts on the same platform and follower tier (on the
 * platform's basis: by views for TikTok and YouTube, by followers elsewhere, as the cited benchmarks measure it).
 * v = 0.5 + log₂(r) / 4: the median scores 0.5, 4× the median 1, a quarter of it 0 (a log scale, because engagement
 * rates spread multiplicatively).
 */
export function engagementValue(rate: number, peerMedian: number): number {
  if (!(peerMedian > 0) || !(rate > 0)) return 0;
  return clamp01(0.5 + Math.log2(rate / peerMedian) / 4);
}

export function engagementReason(rate: number, peerMedian: number, platform: Platform, tier: Tier): string {
  const ratio = peerMedian > 0 ? rate / peerMedian : 0;
  return `engagement ${times(ratio)} the median for ${PLATFORM_NAME[platform]} ${TIER_NAME[tier]} creators`;
}

/**
 * Reach: v = (log₁₀ followers − 3) / 4, so 1,000 followers (the smallest tier's floor) scores 0 and 10 million 1;
 * logarithmic because each tier spans about ten times the followers of the one below.
 */
export function reachValue(followers: number): number {
  return followers > 0 ? clamp01((Math.log10(followers) - 3) / 4) : 0;
}

export const reachReason = (followers: number) => `${compactNumber(followers)} followers`;

/** Growth over 30 days g (median daily change × 30): v = 0.5 + g / 0.2, so −10 % scores 0 and +10 % scores 1. */
export function growthValue(growth30d: number): number {
  return clamp01(0.5 + growth30d / 0.2);
}

export const growthReason = (growth30d: number) => `${signedPct(growth30d)} followers in 30 days (median daily change)`;

/**
 * Activity: half cadence, half recency. cadence = posts in 30 days ÷ 12 (three a week or more scores 1);
 * recency = e^(−days since the last post ÷ 14) (a post today 1, two weeks ago 0.37).
 */
export function activityValue(postsLast30d: number, daysSinceLastPost: number | null): number {
  const cadence = Math.min(1, postsLast30d / 12);
  const recency = daysSinceLastPost === null ? 0 : Math.exp(-Math.max(0, daysSinceLastPost) / 14);
  return clamp01(0.5 * cadence + 0.5 * recency);
}

export function activityReason(postsLast30d: number, daysSinceLastPost: number | null): string {
  if (daysSinceLastPost === null) return "no posts on record";
  const last = daysSinceLastPost < 1 ? "today" : `${Math.round(daysSinceLastPost)} day${Math.round(daysSinceLastPost) === 1 ? "" : "s"} ago`;
  return `${postsLast30d} post${postsLast30d === 1 ? "" : "s"} in 30 days, the last ${last}`;
}

/**
 * Suspicion in [0, 1] from the two patterns of bought reach (see server/discovery/features.ts): a one-day follower
 * jump (more than 5 % is unusual, 30 % or more is damning) and a late rise of likes per view on a post (1.3× is
 * unusual, 2× or more damning), and from the account's strongest suspicious-engagement flag (its suspicion,
 * `account_features.flag_suspicion`, server/engagement/anomalies.ts). The largest counts.
 */
export function suspicion(largestFollowerJump: number, likesPerViewRise: number, flagSuspicion = 0): number {
  return Math.max(clamp01((largestFollowerJump - 0.05) / 0.25), clamp01((likesPerViewRise - 1.3) / 0.7), clamp01(flagSuspicion));
}

/** Whether the account's strongest engagement flag, not the jump or the rise, is what sets its suspicion. */
export function flagDrivesSuspicion(largestFollowerJump: number, likesPerViewRise: number, flagSuspicion: number): boolean {
  return clamp01(flagSuspicion) > suspicion(largestFollowerJump, likesPerViewRise);
}

/** The score multiplier: 1 for a clean account, 0.2 for a certainly bought one. */
export const trustOf = (suspicionValue: number) => 1 - 0.8 * clamp01(suspicionValue);

/** Authenticity: audience credibility (share of real, reachable followers) × (1 − suspicion). */
export function authenticityValue(credibility: number, suspicionValue: number): number {
  return clamp01(credibility * (1 - clamp01(suspicionValue)));
}

/**
 * `flagReason`: the reason of the account's strongest engagement flag, given when that flag is what sets the
 * suspicion (flagDrivesSuspicion); it then leads the explanation.
 */
export function authenticityReason(credibility: number, largestFollowerJump: number, likesPerViewRise: number, flagReason: string | null = null): string {
  const parts = [`audience credibility ${pct(credibility)}`];
  if (flagReason) parts.push(`engagement flag: ${flagReason}`);
  if (largestFollowerJump > 0.05) parts.push(`a one-day follower jump of ${signedPct(largestFollowerJump)}`);
  if (likesPerViewRise > 1.3) parts.push(`likes per view rose ${times(likesPerViewRise)} in a day on a post`);
  if (parts.length === 1) parts.push("no suspicious patterns");
  return parts.join("; ");
}

export function trustReason(largestFollowerJump: number, likesPerViewRise: number, multiplier: number, flagReason: string | null = null): string {
  const why = [];
  if (flagReason) why.push(`engagement flag: ${flagReason}`);
  if (largestFollowerJump > 0.05) why.push(`one-day follower jump of ${signedPct(largestFollowerJump)}`);
  if (likesPerViewRise > 1.3) why.push(`likes per view rose ${times(likesPerViewRise)} in a day`);
  return `score × ${multiplier.toFixed(2)}: ${why.join(" and ")}`;
}

/**
 * One audience target: at least `minShare` (and at most `maxShare`, when given) of the audience in any of `keys` of
 * `dimension`; the shares of the keys are summed.
 */
export interface AudienceTarget {
  dimension: string;
  keys: string[];
  minShare: number;
  maxShare?: number;
}

/**
 * Audience fit: the mean over targets of min(1, share ÷ minShare), times maxShare ÷ share when the share is above
 * the cap: meeting a target scores 1 for it, half of it 0.5. NaN without targets (the factor does not apply).
 */
export function audienceFitValue(shares: readonly number[], targets: readonly AudienceTarget[]): number {
  if (targets.length === 0) return Number.NaN;
  let sum = 0;
  for (let k = 0; k < targets.length; k++) {
    const t = targets[k]!;
    const s = shares[k] ?? 0;
    let fit = t.minShare > 0 ? Math.min(1, s / t.minShare) : 1;
    if (t.maxShare !== undefined && s > t.maxShare) fit *= t.maxShare / s;
    sum += fit;
  }
  return clamp01(sum / targets.length);
}

export function audienceFitReason(shares: readonly number[], targets: readonly AudienceTarget[]): string {
  return targets
    .map((t, i) => {
      const bounds = [t.minShare > 0 ? `≥ ${pct(t.minShare)}` : null, t.maxShare !== undefined ? `≤ ${pct(t.maxShare)}` : null].filter(Boolean);
      return `${pct(shares[i] ?? 0)} of the audience in ${t.keys.join(" or ")}${bounds.length ? ` (target ${bounds.join(", ")})` : ""}`;
    })
    .join("; ");
}

/**
 * Cost efficiency where your organization has agreed a fee with the creator: cost per 1,000 followers (CPM on
 * followers) compared with the median of your own fees in that currency. v = 0.5 + log₂(median ÷ cpm) / 4: the
 * median scores 0.5, four times cheaper 1, four times dearer 0.
 */
export function costEfficiencyValue(cpm: number, medianCpm: number): number {
  if (!(cpm > 0) || !(medianCpm > 0)) return 0.5;
  return clamp01(0.5 + Math.log2(medianCpm / cpm) / 4);
}

/** Minor units per major unit of an ISO 4217 currency (100 for EUR, 1 for JPY), from the runtime's ICU data. */
function minorUnits(currency: string): number {
  try {
    return 10 ** (new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2);
  } catch {
    return 100;
  }
}

export function costEfficiencyReason(cpmMinor: number, medianCpmMinor: number, currency: string): string {
  const units = minorUnits(currency);
  const amount = (cpmMinor / units).toFixed(units === 1 ? 0 : 2);
  return `${amount} ${currency} per 1,000 followers, ${times(medianCpmMinor > 0 ? cpmMinor / medianCpmMinor : 1)} your median`;
}

/** Keyword relevance is computed by the search (normalised bm25, server/discovery/keyword-search.ts). */
export const relevanceReason = (matched: readonly string[]) => `matches ${matched.map((m) => `“${m}”`).join(", ")}`;

/**
 * Combines factor values (NaN = does not apply) with weights into a score in [0, 1]. Also returns each factor's
 * contribution wᵢ·vᵢ / Σ wᵢ × trust, so the contributions of an explanation add up to the score.
 */
export function combine(
  values: Readonly<Record<Factor, number>>,
  weights: Readonly<Weights>,
  trust: number,
): { score: number; contributions: Record<Factor, number>; applied: Record<Factor, number> } {
  let total = 0;
  let weighted = 0;
  for (const factor of FACTORS) {
    const v = values[factor];
    if (Number.isNaN(v)) continue;
    total += weights[factor];
    weighted += weights[factor] * v;
  }
  const contributions = {} as Record<Factor, number>;
  const applied = {} as Record<Factor, number>;
  for (const factor of FACTORS) {
    const v = values[factor];
    const applies = !Number.isNaN(v) && total > 0;
    applied[factor] = applies ? weights[factor] / total : 0;
    contributions[factor] = applies ? (trust * weights[factor] * v) / total : 0;
  }
  return { score: total > 0 ? clamp01((trust * weighted) / total) : 0, contributions, applied };
}

/**
 * The weights of a brief: the objective's preset, with explicit weights replacing single entries. Each must be a
 * finite non-negative number; they are relative (normalised over the factors that apply), and not all may be 0.
 * Returns the problem as [factor, message] instead of throwing, so the caller names the field.
 */
export function resolveWeights(objective: Objective, explicit: Partial<Record<Factor, number>> | undefined): Weights | [Factor | null, string] {
  const weights: Weights = { ...PRESET_WEIGHTS[objective] };
  for (const [factor, w] of Object.entries(explicit ?? {}) as [Factor, number | undefined][]) {
    if (w === undefined || w === null) continue;
    if (!Number.isFinite(w) || w < 0) return [factor, `The weight of ${factor} must be a finite number ≥ 0.`];
    if (w > 1000) return [factor, `The weight of ${factor} must be at most 1000 (weights are relative).`];
    weights[factor] = w;
  }
  if (FACTORS.every((f) => weights[f] === 0)) return [null, "At least one weight must be above 0."];
  return weights;
}

/**
 * Suspicious-engagement detectors: pure functions over one account's follower captures, one post's metric captures,
 * or the latest captures of an account's posts. No I/O: the feature refresh (server/discovery/features.ts) feeds
 * them while it streams the tables, and writes what they find to `engagement_flags`.
 *
 * Every detector compares an observation with the account's (or the post's) own usual behaviour through a robust
 * z-score, z = (x − median) / (1.4826 · MAD): the median and the median absolute deviation are not dragged along
 * by the outliers they are looking for (breakdown point 50 %; Rousseeuw & Croux, "Alternatives to the Median
 * Absolute Deviation", JASA 1993). 1.4826 makes 1.4826 · MAD estimate the standard deviation of normal data; an
 * observation is an outlier from |z| > 3.5, Iglewicz & Hoaglin's threshold for their modified z-score ("How to
 * Detect and Handle Outliers", ASQC 1993). Guards make the score behave on real, small series:
 * - the scale never goes below a floor per detector (a perfectly smooth series has MAD 0, and any wobble would
 *   be "infinitely" unusual), and counting noise is added per observation: a ratio of small counts moves by
 *   chance (the variance of the log of a Poisson count λ is about 1/λ, the delta method);
 * - a detector needs a minimum number of observations for a baseline, and a finding must also be large in
 *   absolute terms (a 5 % follower jump, likes per view up 1.3×, a ratio twice the usual), so a statistically
 *   odd but harmless wiggle of a very regular account is not a flag;
 * - a post's likes-to-comments or likes-to-views outlier must be corroborated by its other ratio (ratioOutliers).
 * Only excess is flagged (more followers, more likes than usual): deficits are not what buying looks like.
 *
 * Each finding carries a suspicion in [0, 1] from its size, on the same scale as the discovery ranking's trust
 * (server/discovery/factors.ts): 0 at the "unusual" size, 1 at the "damning" one.
 */
import type { FlagKind } from "../../schema/enums.js";

const DAY_MS = 86_400_000;

/** Makes 1.4826 · MAD a consistent estimate of the standard deviation of normal data (Rousseeuw & Croux 1993). */
export const MAD_TO_SD = 1.4826;
/** |z| above this is an outlier (Iglewicz & Hoaglin 1993, modified z-score). */
export const Z_THRESHOLD = 3.5;

/** FOLLOWER_SPIKE: at least this many intervals between captures for a baseline (a week of daily captures). */
export const MIN_FOLLOWER_INTERVALS = 7;
/** FOLLOWER_SPIKE: smallest scale of daily follower change (0.2 % a day), whatever a steady account's MAD says. */
export const FOLLOWER_SCALE_FLOOR = 0.002;
/** FOLLOWER_SPIKE: a rise is flagged from +5 % in a day (suspicion 0) and is damning from +30 % (suspicion 1). */
export const FOLLOWER_SPIKE_UNUSUAL = 0.05;
export const FOLLOWER_SPIKE_DAMNING = 0.3;

/** ENGAGEMENT_SPIKE: a post's own baseline needs this many intervals; with fewer, "no change" is the baseline. */
export const MIN_POST_INTERVALS = 3;
/** ENGAGEMENT_SPIKE: likes below this are too few for a ratio to mean anything. */
export const MIN_LIKES_FOR_RATIO = 5;
/** ENGAGEMENT_SPIKE: smallest scale of the change of log likes-per-view between captures (±5 %). */
export const SPIKE_SCALE_FLOOR = 0.05;
/** ENGAGEMENT_SPIKE: likes per view (or per comment) rising 1.3× between captures is unusual, 2× damning. */
export const ENGAGEMENT_SPIKE_UNUSUAL = 1.3;
export const ENGAGEMENT_SPIKE_DAMNING = 2;

/** LIKES_TO_COMMENTS, LIKES_TO_VIEWS: at least this many posts for the account's baseline. */
export const MIN_POSTS_FOR_RATIOS = 5;
/** Smallest scale of a log ratio across an account's posts: ±25 % likes per comment, ±35 % likes per view (reach varies more). */
export const COMMENT_RATIO_SCALE_FLOOR = 0.25;
export const VIEW_RATIO_SCALE_FLOOR = 0.35;
/** A post's ratio at twice the account's usual is unusual (suspicion 0), five times damning (suspicion 1). */
export const RATIO_UNUSUAL = 2;
export const RATIO_DAMNING = 5;
/**
 * A ratio outlier needs the post's other ratio (where it has one) above its usual too: at least 1.5× and 2 robust
 * standard deviations (counting noise included), so that a handful of comments cannot corroborate by chance.
 */
export const RATIO_CORROBORATION = 1.5;
export const RATIO_CORROBORATION_Z = 2;

/** One follower capture. */
export interface FollowerCapture {
  /** Milliseconds since the epoch. */
  at: number;
  followers: number;
}

/** One capture of a post's cumulative counters. */
export interface PostCapture {
  at: number;
  likes: number;
  comments: number;
  views: number;
}

/** A post's latest capture, for the comparisons between an account's posts. */
export interface PostSummary extends PostCapture {
  postId: number;
}

export type RatioKind = "LIKES_TO_COMMENTS" | "LIKES_TO_VIEWS";

export interface Finding {
  kind: FlagKind;
  /** The post it concerns; null for account-level findings (follower spikes). */
  postId: number | null;
  /** When it happened: the capture that shows it. */
  observedAt: number;
  /** The robust z-score, in robust standard deviations. */
  score: number;
  /** A sentence for people. */
  reason: string;
  /** How strongly it suggests bought reach, in [0, 1]. */
  suspicion: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Robust statistics.

/** The median (of a copy: the input is not reordered); NaN for no values. */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median absolute deviation from `center` (by default the median); NaN for no values. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** A robust location and scale: the median, and 1.4826 · MAD with a small-sample correction, at least `floor`. */
export interface Baseline {
  median: number;
  scale: number;
  n: number;
}

/**
 * The baseline of a sample. MAD underestimates the spread of small samples; n / (n − 0.8) is Croux & Rousseeuw's
 * small-sample correction ("Time-efficient algorithms for two highly robust estimators of scale", 1992). The
 * scale is never below `floor` (a constant series has MAD 0).
 */
export function baseline(values: readonly number[], floor: number): Baseline {
  const n = values.length;
  const center = median(values);
  const raw = n > 1 ? MAD_TO_SD * mad(values, center) * (n / (n - 0.8)) : 0;
  return { median: center, scale: Math.max(floor, raw), n };
}

/**
 * The robust z-score of x against a baseline: (x − median) / √(scale² + noise²), where `noise` is the
 * observation's own counting noise (0 when exact).
 */
export function robustZ(x: number, base: Baseline, noise = 0): number {
  return (x - base.median) / Math.sqrt(base.scale * base.scale + noise * noise);
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : Number.isNaN(x) ? 0 : x);
/** Suspicion from a size: 0 at `unusual`, 1 at `damning`, linear between. */
const grade = (size: number, unusual: number, damning: number) => clamp01((size - unusual) / (damning - unusual));
const round2 = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------------------------------
// Wording.

/** "+48%", "+0.2%", "−1.5%": whole percents from 10 %, one decimal below (two when one would read 0.0). */
export function signedPercent(x: number): string {
  const abs = Math.abs(x * 100);
  const digits = abs >= 10 ? 0 : abs >= 0.05 || abs === 0 ? 1 : 2;
  const text = abs.toFixed(digits);
  const zero = Number(text) === 0;
  return `${zero ? "±" : x > 0 ? "+" : "−"}${text}%`;
}

const count = (n: number) => Math.round(n).toLocaleString("en");
const times = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;
/** A ratio with about three significant digits: 42, 4.2, 0.31, 0.086. */
function ratio(x: number): string {
  if (!(x > 0)) return "0";
  if (x >= 100) return x.toFixed(0);
  return Number(x.toPrecision(2)).toString();
}

/** "in one day", "in 3 days", "in 6 hours". */
function span(ms: number): string {
  if (ms < DAY_MS * 0.75) {
    const hours = Math.max(1, Math.round(ms / 3_600_000));
    return `in ${hours === 1 ? "one hour" : `${hours} hours`}`;
  }
  const days = Math.round(ms / DAY_MS);
  return days <= 1 ? "in one day" : `in ${days} days`;
}

// ---------------------------------------------------------------------------------------------------------------
// FOLLOWER_SPIKE.

/**
 * Follower spikes in one account's captures (oldest first). The statistic is the relative change per day between
 * consecutive captures, (after / before)^(1 / days) − 1 (captures less than a day apart count as a day); the
 * baseline is the account's own changes. Flagged: z ≥ 3.5 and at least +5 % a day. Counting noise of a change
 * of Δ followers: √(|Δ| + 1) / before.
 */
export function followerSpikes(captures: readonly FollowerCapture[]): Finding[] {
  // Cheap test first (the refresh runs this for every account): a per-day rate is at most the interval's change.
  let largestChange = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < captures.length; i++) {
    const change = captures[i]!.followers / captures[i - 1]!.followers;
    if (change > largestChange) largestChange = change;
  }
  if (!(largestChange - 1 >= FOLLOWER_SPIKE_UNUSUAL)) return [];
  const rates: number[] = [];
  const at: number[] = [];
  let largest = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < captures.length; i++) {
    const before = captures[i - 1]!;
    const after = captures[i]!;
    if (!(before.followers > 0) || !(after.followers >= 0) || !(after.at > before.at)) continue;
    const days = Math.max(1, (after.at - before.at) / DAY_MS);
    const rate = days === 1 ? after.followers / before.followers - 1 : (after.followers / before.followers) ** (1 / days) - 1;
    rates.push(rate);
    at.push(i);
    if (rate > largest) largest = rate;
  }
  if (rates.length < MIN_FOLLOWER_INTERVALS || largest < FOLLOWER_SPIKE_UNUSUAL) return [];
  const base = baseline(rates, FOLLOWER_SCALE_FLOOR);
  const findings: Finding[] = [];
  for (let k = 0; k < rates.length; k++) {
    const rate = rates[k]!;
    if (rate < FOLLOWER_SPIKE_UNUSUAL) continue;
    const before = captures[at[k]! - 1]!;
    const after = captures[at[k]!]!;
    const days = Math.max(1, (after.at - before.at) / DAY_MS);
    const noise = Math.sqrt(Math.abs(after.followers - before.followers) + 1) / before.followers / days;
    const z = robustZ(rate, base, noise);
    if (z < Z_THRESHOLD) continue;
    const total = after.followers / before.followers - 1;
    const pace = days >= 1.5 ? ` (${signedPercent(rate)} a day)` : "";
    findings.push({
      kind: "FOLLOWER_SPIKE",
      postId: null,
      observedAt: after.at,
      score: round2(z),
      reason:
        `followers ${signedPercent(total)} ${span(after.at - before.at)} (${count(before.followers)} → ${count(after.followers)})${pace}; ` +
        `a usual day is ${signedPercent(base.median)}`,
      suspicion: grade(rate, FOLLOWER_SPIKE_UNUSUAL, FOLLOWER_SPIKE_DAMNING),
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------------
// ENGAGEMENT_SPIKE.

/**
 * An engagement spike in one post's capture history (oldest first; only the first `length` captures count, so a
 * caller may reuse one array): likes rising much faster than views between
 * two captures. Organically both grow along the same decaying curve, views a little later, so likes per view
 * drifts down as a post ages; a block of bought likes lands without the views (or comments) to go with it. The
 * statistic is the change of log(likes / views) between consecutive captures (likes per comment when the post
 * has no views), from a capture with at least 5 likes; the baseline is the post's other intervals (with fewer
 * than 3, "no change"). Counting noise of an interval: √(|Δlikes| + 1) / likes and the same for the denominator.
 * Flagged: z ≥ 3.5 and a rise of at least 1.3×; one finding per post, its largest rise.
 */
export function engagementSpike(postId: number | null, captures: readonly PostCapture[], length = captures.length): Finding | null {
  if (length < 2) return null;
  const byViews = captures[length - 1]!.views > 0;
  const denominator = (c: PostCapture) => (byViews ? c.views : c.comments);
  // Cheap test first (the refresh runs this for every post): does likes per view ever rise 1.3× between captures?
  let rises = false;
  for (let i = 1; i < length && !rises; i++) {
    const a = captures[i - 1]!;
    const b = captures[i]!;
    rises = a.likes >= MIN_LIKES_FOR_RATIO && b.likes * denominator(a) >= ENGAGEMENT_SPIKE_UNUSUAL * a.likes * denominator(b);
  }
  if (!rises) return null;
  const changes: number[] = [];
  const ends: number[] = [];
  let largest = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < length; i++) {
    const a = captures[i - 1]!;
    const b = captures[i]!;
    const da = denominator(a);
    const db = denominator(b);
    if (a.likes < MIN_LIKES_FOR_RATIO || !(b.likes > 0) || !(da > 0) || !(db > 0)) continue;
    const change = Math.log(b.likes / db) - Math.log(a.likes / da);
    changes.push(change);
    ends.push(i);
    if (change > largest) largest = change;
  }
  if (changes.length === 0 || largest < Math.log(ENGAGEMENT_SPIKE_UNUSUAL)) return null;
  const base: Baseline = changes.length >= MIN_POST_INTERVALS ? baseline(changes, SPIKE_SCALE_FLOOR) : { median: 0, scale: SPIKE_SCALE_FLOOR, n: 0 };
  let best: { z: number; k: number } | null = null;
  for (let k = 0; k < changes.length; k++) {
    const change = changes[k]!;
    if (change < Math.log(ENGAGEMENT_SPIKE_UNUSUAL)) continue;
    const a = captures[ends[k]! - 1]!;
    const b = captures[ends[k]!]!;
    const noise = Math.hypot(
      Math.sqrt(Math.abs(b.likes - a.likes) + 1) / b.likes,
      Math.sqrt(Math.abs(denominator(b) - denominator(a)) + 1) / denominator(b),
    );
    const z = robustZ(change, base, noise);
    if (z >= Z_THRESHOLD && (!best || z > best.z)) best = { z, k };
  }
  if (!best) return null;
  const a = captures[ends[best.k]! - 1]!;
  const b = captures[ends[best.k]!]!;
  const rise = Math.exp(changes[best.k]!);
  const per = byViews ? "view" : "comment";
  const others = byViews ? `views ${count(a.views)} → ${count(b.views)}` : `comments ${count(a.comments)} → ${count(b.comments)}`;
  const usual =
    base.n > 0
      ? `between the post's other captures it moved ${signedPercent(Math.exp(base.median) - 1)}`
      : `likes per ${per} does not usually rise as a post ages`;
  return {
    kind: "ENGAGEMENT_SPIKE",
    postId,
    observedAt: b.at,
    score: round2(best.z),
    reason: `likes per ${per} rose ${times(rise)} ${span(b.at - a.at)} (likes ${count(a.likes)} → ${count(b.likes)}, ${others}); ${usual}`,
    suspicion: grade(rise, ENGAGEMENT_SPIKE_UNUSUAL, ENGAGEMENT_SPIKE_DAMNING),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// LIKES_TO_COMMENTS, LIKES_TO_VIEWS.

interface RatioSpec {
  kind: RatioKind;
  per: "comment" | "view";
  denominator: (p: PostSummary) => number;
  /** Whether a post takes part (a post without views says nothing about likes per view). */
  eligible: (p: PostSummary) => boolean;
  floor: number;
}

const RATIO_SPECS: readonly RatioSpec[] = [
  { kind: "LIKES_TO_COMMENTS", per: "comment", denominator: (p) => p.comments, eligible: (p) => p.likes + p.comments > 0, floor: COMMENT_RATIO_SCALE_FLOOR },
  { kind: "LIKES_TO_VIEWS", per: "view", denominator: (p) => p.views, eligible: (p) => p.views > 0, floor: VIEW_RATIO_SCALE_FLOOR },
];

const logRatio = (spec: RatioSpec, p: PostSummary) => Math.log((p.likes + 0.5) / (spec.denominator(p) + 0.5));

/** An account's posts under one ratio: their log ratios and the baseline. */
interface RatioSample {
  spec: RatioSpec;
  posts: PostSummary[];
  logs: number[];
  base: Baseline;
  /** postId → index in `posts`. */
  index: Map<number, number>;
}

function ratioSample(spec: RatioSpec, posts: readonly PostSummary[]): RatioSample | null {
  const sample = posts.filter(spec.eligible);
  if (sample.length < MIN_POSTS_FOR_RATIOS) return null;
  const logs = sample.map((p) => logRatio(spec, p));
  return { spec, posts: sample, logs, base: baseline(logs, spec.floor), index: new Map(sample.map((p, i) => [p.postId, i])) };
}

/**
 * Posts whose likes-to-comments or likes-to-views ratio is far above the account's own posts: bought likes come
 * without the comments and views real likes bring. The statistic is log((likes + ½) / (comments + ½)) (likewise
 * for views) of each post's latest capture (the ½ keeps posts without comments finite); the baseline is the
 * account's posts (at least 5). Counting noise: √(1 / (likes + ½) + 1 / (comments + ½)). Flagged: z ≥ 3.5, at least
 * twice the account's usual ratio, and corroborated: where the post has the other ratio too, that one is at least
 * 1.5× its usual and 2 robust standard deviations above it. Bought likes lack both views and
 * comments; a post few people happened to see (or a format that travels less, a story) has few views but its
 * comments in line with its likes, and a live stream's chat brings comments, not likes: one ratio alone is not
 * enough.
 * When most of an account's posts carry bought likes the baseline is bought too: the capture-history spike
 * (engagementSpike) is the detector for that case.
 */
export function ratioOutliers(posts: readonly PostSummary[]): Finding[] {
  const findings: Finding[] = [];
  const samples = new Map<RatioKind, RatioSample | null>();
  const sampleOf = (spec: RatioSpec) => {
    if (!samples.has(spec.kind)) samples.set(spec.kind, ratioSample(spec, posts));
    return samples.get(spec.kind)!;
  };
  for (const spec of RATIO_SPECS) {
    const eligible = posts.filter(spec.eligible);
    if (eligible.length < MIN_POSTS_FOR_RATIOS) continue;
    // Cheap test first: most accounts have no post twice their usual, and need no baseline.
    const raw = eligible.map((p) => logRatio(spec, p));
    let largest = Number.NEGATIVE_INFINITY;
    for (const x of raw) if (x > largest) largest = x;
    if (largest - median(raw) < Math.log(RATIO_UNUSUAL)) continue;
    const own = sampleOf(spec)!;
    const other = sampleOf(RATIO_SPECS.find((s) => s !== spec)!);
    const { base, logs } = own;
    for (let i = 0; i < own.posts.length; i++) {
      const multiple = Math.exp(logs[i]! - base.median);
      if (multiple < RATIO_UNUSUAL) continue;
      const p = own.posts[i]!;
      const z = robustZ(logs[i]!, base, Math.sqrt(1 / (p.likes + 0.5) + 1 / (spec.denominator(p) + 0.5)));
      if (z < Z_THRESHOLD) continue;
      const j = other?.index.get(p.postId);
      let otherMultiple = Number.NaN;
      if (other && j !== undefined) {
        otherMultiple = Math.exp(other.logs[j]! - other.base.median);
        const otherNoise = Math.sqrt(1 / (p.likes + 0.5) + 1 / (other.spec.denominator(p) + 0.5));
        const otherZ = robustZ(other.logs[j]!, other.base, otherNoise);
        if (otherMultiple < RATIO_CORROBORATION || otherZ < RATIO_CORROBORATION_Z) continue;
      }
      const d = spec.denominator(p);
      const observed =
        d > 0
          ? `${ratio(p.likes / d)} likes per ${spec.per} (${count(p.likes)} likes, ${count(d)} ${spec.per}s)`
          : `${count(p.likes)} likes and no ${spec.per}s`;
      const expected = Math.exp(base.median);
      const corroborated = Number.isNaN(otherMultiple) ? "" : `; likes per ${other!.spec.per} ${times(otherMultiple)} its usual too`;
      findings.push({
        kind: spec.kind,
        postId: p.postId,
        observedAt: p.at,
        score: round2(z),
        reason:
          `${observed}: ${times(multiple)} the account's usual ${ratio(expected)} ` +
          `(median of ${own.posts.length} posts)${corroborated}`,
        suspicion: grade(multiple, RATIO_UNUSUAL, RATIO_DAMNING),
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------------
// An account's findings.

/** Strongest first: by suspicion, then score. The refresh writes an account's flags in this order. */
export function strongestFirst(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => b.suspicion - a.suspicion || b.score - a.score || a.observedAt - b.observedAt);
}

/** The account's suspicion from its findings: the strongest one's (0 without findings). */
export function flagSuspicion(findings: readonly Finding[]): number {
  let s = 0;
  for (const f of findings) if (f.suspicion > s) s = f.suspicion;
  return s;
}

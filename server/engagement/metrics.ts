/**
 * Campaign performance metrics: one definition each, pure functions over counters, used by the campaign report
 * (report.service.ts) and documented on the site's metrics page. A ratio whose denominator is 0 is null ("not
 * measurable yet"), never 0 or Infinity. Money stays in minor units of the campaign's currency.
 */

/** Counters of posts over a period: sums of the posts' daily gains (rollups.ts). */
export interface Counters {
  postsPublished: number;
  likes: number;
  comments: number;
  shares: number;
  saves: number;
  views: number;
  reach: number;
  impressions: number;
}

export const emptyCounters = (): Counters => ({ postsPublished: 0, likes: 0, comments: 0, shares: 0, saves: 0, views: 0, reach: 0, impressions: 0 });

/**
 * The counters alone, as a fresh object of one fixed shape. Spreading a row (`{ ...row, more }`) makes V8 build a
 * slow dictionary-mode object: in the campaign report that cost 23 µs per creator, in the service and again in
 * every field GraphQL read from it.
 */
export const copyCounters = (c: Counters): Counters => ({
  postsPublished: c.postsPublished,
  likes: c.likes,
  comments: c.comments,
  shares: c.shares,
  saves: c.saves,
  views: c.views,
  reach: c.reach,
  impressions: c.impressions,
});

export function addCounters(into: Counters, more: Counters): Counters {
  into.postsPublished += more.postsPublished;
  into.likes += more.likes;
  into.comments += more.comments;
  into.shares += more.shares;
  into.saves += more.saves;
  into.views += more.views;
  into.reach += more.reach;
  into.impressions += more.impressions;
  return into;
}

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

/** Engagements: likes + comments + shares + saves (Meta's "interactions" on Instagram; TikTok counts the same four). */
export const engagements = (c: Counters): number => c.likes + c.comments + c.shares + c.saves;

/**
 * Engagement rate by followers, per post: (likes + comments) / followers, averaged over the posts: the industry's
 * usual definition (HypeAuditor, Influencer Marketing Hub benchmarks), as `SocialAccount.engagementRate` uses it.
 */
export const engagementRateByFollowers = (c: Counters, followers: number): number | null =>
  c.postsPublished > 0 ? ratio(c.likes + c.comments, followers * c.postsPublished) : null;

/** Engagement rate by reach: engagements / reach (the share of people reached who interacted). */
export const engagementRateByReach = (c: Counters): number | null => ratio(engagements(c), c.reach);

/** Engagement rate by views: engagements / views (TikTok's and YouTube's basis). */
export const engagementRateByViews = (c: Counters): number | null => ratio(engagements(c), c.views);

/** Cost per engagement: spend / engagements, in minor units. */
export const costPerEngagement = (spendMinor: number, c: Counters): number | null => ratio(spendMinor, engagements(c));

/** Cost per mille: spend per 1,000 impressions, in minor units. */
export const costPerMille = (spendMinor: number, c: Counters): number | null => ratio(spendMinor * 1000, c.impressions);

/** Cost per view: spend / views, in minor units. */
export const costPerView = (spendMinor: number, c: Counters): number | null => ratio(spendMinor, c.views);

/** Return on ad spend: attributed revenue / spend (same currency). */
export const returnOnAdSpend = (revenueMinor: number, spendMinor: number): number | null => ratio(revenueMinor, spendMinor);

/**
 * Earned media value: what the engagement and exposure would have cost as paid media, Σ count × value per action.
 * There is no standard rate card (each vendor publishes its own), so the values are the caller's; these defaults,
 * in minor units of the campaign's currency, are our assumption in the range vendors publish for Instagram.
 */
export interface EmvValues {
  like: number;
  comment: number;
  share: number;
  save: number;
  view: number;
  /** Per 1,000 impressions. */
  thousandImpressions: number;
}

export const DEFAULT_EMV_VALUES: Readonly<EmvValues> = { like: 8, comment: 50, share: 60, save: 50, view: 2, thousandImpressions: 500 };

export function earnedMediaValue(c: Counters, values: EmvValues): number {
  return Math.round(
    c.likes * values.like +
      c.comments * values.comment +
      c.shares * values.share +
      c.saves * values.save +
      c.views * values.view +
      (c.impressions / 1000) * values.thousandImpressions,
  );
}

/** A post's engagement from its latest capture and its account's followers (`Post.engagement`). */
export function postEngagement(
  latest: { likes: number; comments: number; shares: number; saves: number; views: number; reach: number },
  followers: number,
): { engagements: number; rateByFollowers: number | null; rateByReach: number | null; rateByViews: number | null } {
  const counters = { ...emptyCounters(), ...latest, postsPublished: 1 };
  return {
    engagements: engagements(counters),
    rateByFollowers: engagementRateByFollowers(counters, followers),
    rateByReach: engagementRateByReach(counters),
    rateByViews: engagementRateByViews(counters),
  };
}

/**
 * How many of an account's latest posts its averages cover: engagement-rate calculators and creator-analytics
 * tools average over an account's recent posts, commonly the last 12; ours to tune.
 */
export const RECENT_POSTS = 12;

export interface AccountAverages {
  averageLikes: number;
  averageComments: number;
  averageViews: number;
  /** (averageLikes + averageComments) / followers: `SocialAccount.engagementRate`. */
  engagementRate: number;
}

/**
 * An account's catalogue averages from the latest captures of its recent posts (the caller picks the RECENT_POSTS
 * latest): per-post means rounded to cents of a like, the rate to 6 decimals, as platforms and tools display them.
 * The feature refresh derives them for every account with captured posts; the seed generator uses the same.
 */
export function accountAverages(latest: readonly { likes: number; comments: number; views: number }[], followers: number): AccountAverages {
  let likes = 0;
  let comments = 0;
  let views = 0;
  for (const capture of latest) {
    likes += capture.likes;
    comments += capture.comments;
    views += capture.views;
  }
  const n = Math.max(1, latest.length);
  const averageLikes = roundTo(likes / n, 2);
  const averageComments = roundTo(comments / n, 2);
  return {
    averageLikes,
    averageComments,
    averageViews: roundTo(views / n, 2),
    engagementRate: followers > 0 ? roundTo((averageLikes + averageComments) / followers, 6) : 0,
  };
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Posting cadence: posts in the last 30 days as posts per week. */
export const postsPerWeek = (postsLast30d: number): number => (postsLast30d * 7) / 30;

/**
 * Feature refresh: derives the per-account signals of `account_features` from follower history, posts and post
 * snapshots, in one streaming pass over each table (no per-account queries), and replaces the table in one
 * transaction. Run after seeding, by `npm run discovery:refresh`, and after imports.
 *
 * The signals are the ones the generator's tests show to separate planted fraud from clean accounts
 * (test/seeds/generator.test.ts): a one-day follower jump (bought followers) and a late rise of likes per view
 * (bought likes). Growth uses the median daily change, so a bought jump does not pass for growth.
 */
import { accountFeatures, featureRefreshes } from "../../schema/tables.js";
import type { Db } from "../db.js";
import { encodeAudienceProfile } from "./audience-profile.js";
import { rebuildKeywordIndex } from "./keyword-search.js";

const DAY_MS = 86_400_000;
/** Likes below this are too few for a ratio to mean anything (rounding noise). */
const MIN_LIKES_FOR_RATIO = 5;
const INSERT_BATCH = 500;

export type RefreshPhase = "follower history" | "posts" | "post snapshots" | "audiences" | "writing" | "search index";

export interface RefreshOptions {
  /** Reference time for "last 30 days"; defaults to the latest follower capture (so demo data stays stable). */
  asOf?: Date;
  /** The time recorded as `computedAt` (default: now). The seed passes its `asOf`, so its output is deterministic. */
  now?: Date;
  onProgress?: (phase: RefreshPhase, done: number, total: number) => void;
}

export interface RefreshSummary {
  accounts: number;
  asOf: Date;
  ms: number;
}

/** Median of a small array (sorted in place). */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/**
 * Per-account follower signals from one account's captures, oldest first (pure). Growth is the median change
 * between consecutive captures inside (since, until], scaled to 30 days by the time between them; the largest jump
 * looks at the whole recorded history up to `until` (bought followers stay suspicious after a month).
 */
export function followerSignals(
  captures: readonly { at: number; followers: number }[],
  since = Number.NEGATIVE_INFINITY,
  until = Number.POSITIVE_INFINITY,
): { growth30d: number; largestJump: number } {
  const monthlyChanges: number[] = [];
  let largestJump = 0;
  for (let i = 1; i < captures.length; i++) {
    const before = captures[i - 1]!;
    const after = captures[i]!;
    if (after.at > until) break;
    if (before.followers <= 0) continue;
    const change = after.followers / before.followers - 1;
    if (change > largestJump) largestJump = change;
    const days = (after.at - before.at) / DAY_MS;
    if (before.at >= since && days > 0) monthlyChanges.push((change / days) * 30);
  }
  return { growth30d: median(monthlyChanges), largestJump };
}

export function refreshAccountFeatures(db: Db, options: RefreshOptions = {}): RefreshSummary {
  const started = performance.now();
  const client = db.$client;
  const progress = options.onProgress ?? (() => {});
  const accountIds = client.prepare("SELECT id FROM social_accounts ORDER BY id").pluck().all() as number[];
  const maxAccountId = accountIds.length ? accountIds[accountIds.length - 1]! : 0;
  const slot = new Int32Array(maxAccountId + 1).fill(-1);
  accountIds.forEach((id, i) => (slot[id] = i));
  const n = accountIds.length;

  const growth = new Float64Array(n);
  const jump = new Float64Array(n);
  const rise = new Float64Array(n).fill(1);
  const recentPosts = new Int32Array(n);
  const lastPost = new Float64Array(n).fill(Number.NaN);

  const latestCapture = client.prepare("SELECT max(captured_at) FROM account_snapshots").pluck().get() as number | null;
  const asOf = options.asOf ?? new Date(latestCapture ?? Date.now());
  const since = asOf.getTime() - 30 * DAY_MS;

  // 1. Follower history, in primary-key order: one account's captures arrive together, oldest first.
  const totalSnapshots = (client.prepare("SELECT count(*) FROM account_snapshots").pluck().get() as number) || 0;
  let current = -1;
  let series: { at: number; followers: number }[] = [];
  let seen = 0;
  const flushSeries = () => {
    if (current >= 0 && current < slot.length && slot[current]! >= 0) {
      const signals = followerSignals(series, since, asOf.getTime());
      growth[slot[current]!] = signals.growth30d;
      jump[slot[current]!] = signals.largestJump;
    }
    series = [];
  };
  for (const [accountId, at, followers] of client
    .prepare("SELECT account_id, captured_at, followers FROM account_snapshots ORDER BY account_id, captured_at")
    .raw()
    .iterate() as IterableIterator<[number, number, number]>) {
    if (accountId !== current) {
      flushSeries();
      current = accountId;
    }
    series.push({ at, followers });
    if (++seen % 1_000_000 === 0) progress("follower history", seen, totalSnapshots);
  }
  flushSeries();
  progress("follower history", totalSnapshots, totalSnapshots);

  // 2. Posts: cadence and recency; remember each post's account for the snapshots pass.
  const maxPostId = (client.prepare("SELECT max(id) FROM posts").pluck().get() as number | null) ?? 0;
  const postSlot = new Int32Array(maxPostId + 1).fill(-1);
  const totalPosts = (client.prepare("SELECT count(*) FROM posts").pluck().get() as number) || 0;
  seen = 0;
  for (const [postId, accountId, publishedAt] of client
    .prepare("SELECT id, account_id, published_at FROM posts")
    .raw()
    .iterate() as IterableIterator<[number, number, number]>) {
    const i = accountId < slot.length ? slot[accountId]! : -1;
    if (i < 0) continue;
    postSlot[postId] = i;
    if (publishedAt <= asOf.getTime()) {
      if (publishedAt > since) recentPosts[i]!++;
      if (!(lastPost[i]! >= publishedAt)) lastPost[i] = publishedAt;
    }
    if (++seen % 1_000_000 === 0) progress("posts", seen, totalPosts);
  }
  progress("posts", totalPosts, totalPosts);

  // 3. Post snapshots in key order (post, then time): the largest day-over-day rise of likes per view.
  const totalPostSnapshots = (client.prepare("SELECT count(*) FROM post_metric_snapshots").pluck().get() as number) || 0;
  seen = 0;
  let post = -1;
  let previousRatio = Number.NaN;
  for (const [postId, likes, views] of client
    .prepare("SELECT post_id, likes, views FROM post_metric_snapshots ORDER BY post_id, captured_at")
    .raw()
    .iterate() as IterableIterator<[number, number, number]>) {
    if (postId !== post) {
      post = postId;
      previousRatio = Number.NaN;
    }
    const i = postId < postSlot.length ? postSlot[postId]! : -1;
    if (i >= 0 && views > 0) {
      const ratio = likes / views;
      if (previousRatio > 0 && ratio / previousRatio > rise[i]!) rise[i] = ratio / previousRatio;
      previousRatio = likes >= MIN_LIKES_FOR_RATIO ? ratio : Number.NaN;
    } else {
      previousRatio = Number.NaN;
    }
    if (++seen % 1_000_000 === 0) progress("post snapshots", seen, totalPostSnapshots);
  }
  progress("post snapshots", totalPostSnapshots, totalPostSnapshots);

  // 4. Audience profiles (audience-profile.ts): each account's shares in key order, packed. New (dimension, key)
  //    pairs are numbered first; numbers are never reused, so an older index still reads its profiles right.
  client.prepare("INSERT OR IGNORE INTO audience_keys (dimension, key) SELECT DISTINCT dimension, key FROM audience_shares").run();
  const totalShares = (client.prepare("SELECT count(*) FROM audience_shares").pluck().get() as number) || 0;
  const profiles: (Buffer | null)[] = new Array<Buffer | null>(n).fill(null);
  let owner = -1;
  let keyIds: number[] = [];
  let shares: number[] = [];
  const flushProfile = () => {
    const i = owner >= 0 && owner < slot.length ? slot[owner]! : -1;
    if (i >= 0) profiles[i] = encodeAudienceProfile(keyIds, shares);
    keyIds = [];
    shares = [];
  };
  seen = 0;
  for (const [accountId, keyId, share] of client
    .prepare(
      `SELECT s.account_id, k.id, s.share FROM audience_shares s
       JOIN audience_keys k ON k.dimension = s.dimension AND k.key = s.key
       ORDER BY s.account_id`,
    )
    .raw()
    .iterate() as IterableIterator<[number, number, number]>) {
    if (accountId !== owner) {
      flushProfile();
      owner = accountId;
    }
    keyIds.push(keyId);
    shares.push(share);
    if (++seen % 1_000_000 === 0) progress("audiences", seen, totalShares);
  }
  flushProfile();
  progress("audiences", totalShares, totalShares);

  // 5. Replace the table in one transaction: readers see the old features or the new, never a mix. The keyword
  //    index (bios, categories, recent captions) is rebuilt in the same transaction, before the refresh is recorded.
  const computedAt = options.now ?? new Date();
  client
    .transaction(() => {
      db.delete(accountFeatures).run();
      for (let start = 0; start < n; start += INSERT_BATCH) {
        const rows = [];
        for (let i = start; i < Math.min(n, start + INSERT_BATCH); i++) {
          rows.push({
            accountId: accountIds[i]!,
            followerGrowth30d: growth[i]!,
            largestFollowerJump: jump[i]!,
            likesPerViewRise: rise[i]!,
            postsLast30d: recentPosts[i]!,
            lastPostAt: Number.isNaN(lastPost[i]!) ? null : new Date(lastPost[i]!),
            computedAt,
            audienceProfile: profiles[i] ?? null,
          });
        }
        db.insert(accountFeatures).values(rows).run();
        progress("writing", Math.min(n, start + INSERT_BATCH), n);
      }
      rebuildKeywordIndex(db, (done, total) => progress("search index", done, total));
      db.insert(featureRefreshes).values({ asOf, accounts: n, finishedAt: options.now ?? new Date() }).run();
    })
    .immediate();
  return { accounts: n, asOf, ms: performance.now() - started };
}

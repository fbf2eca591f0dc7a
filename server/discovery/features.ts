/**
 * Feature refresh: derives the per-account signals of `account_features` from follower history, posts and post
 * snapshots, in one streaming pass over each table (no per-account queries), and replaces the table in one
 * transaction. Run after seeding, by `npm run discovery:refresh`, and after imports.
 *
 * The signals are the ones the generator's tests show to separate planted fraud from clean accounts
 * (test/seeds/generator.test.ts): a one-day follower jump (bought followers) and a late rise of likes per view
 * (bought likes). Growth uses the median daily change, so a bought jump does not pass for growth.
 *
 * The same passes feed the suspicious-engagement detectors (server/engagement/anomalies.ts): follower spikes per
 * account during the follower pass, engagement spikes per post during the snapshot pass, and the ratio outliers
 * between an account's posts afterwards, from each post's latest capture kept in memory. Their findings replace
 * `engagement_flags` in the transaction that replaces the features; `flag_suspicion` is the strongest one's.
 */
import { accountFeatures, featureRefreshes } from "../../schema/tables.js";
import type { Db } from "../db.js";
import {
  engagementSpike,
  flagSuspicion,
  followerSpikes,
  ratioOutliers,
  strongestFirst,
  type Finding,
  type PostCapture,
  type PostSummary,
} from "../engagement/anomalies.js";
import { encodeAudienceProfile } from "./audience-profile.js";
import { rebuildKeywordIndex } from "./keyword-search.js";
import { accountAverages, RECENT_POSTS, type AccountAverages } from "../engagement/metrics.js";

const DAY_MS = 86_400_000;
/** Likes below this are too few for a ratio to mean anything (rounding noise). */
const MIN_LIKES_FOR_RATIO = 5;
const INSERT_BATCH = 500;
/** Flags per multi-row INSERT (7 values each). */
const FLAG_BATCH = 100;

export type RefreshPhase =
  | "follower history"
  | "posts"
  | "post snapshots"
  | "engagement flags"
  | "audiences"
  | "writing"
  | "search index";

export interface RefreshOptions {
  /**
   * Reference time for "last 30 days", and the last capture the flags and the 30-day engagement rate look at;
   * defaults to the latest follower capture (so demo data stays stable).
   */
  asOf?: Date;
  /** The time recorded as `computedAt` (default: now). The seed passes its `asOf`, so its output is deterministic. */
  now?: Date;
  onProgress?: (phase: RefreshPhase, done: number, total: number) => void;
}

export interface RefreshSummary {
  accounts: number;
  /** Suspicious-engagement flags written (engagement_flags). */
  flags: number;
  /** Accounts whose catalogue averages (likes, comments, views, engagement rate) changed. */
  averagesUpdated: number;
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
  const accounts = client
    .prepare("SELECT id, followers, average_likes, average_comments, average_views, engagement_rate FROM social_accounts ORDER BY id")
    .raw()
    .all() as [id: number, followers: number, averageLikes: number, averageComments: number, averageViews: number, engagementRate: number][];
  const accountIds = accounts.map((a) => a[0]);
  const maxAccountId = accountIds.length ? accountIds[accountIds.length - 1]! : 0;
  const slot = new Int32Array(maxAccountId + 1).fill(-1);
  accountIds.forEach((id, i) => (slot[id] = i));
  const n = accountIds.length;
  /** Followers at asOf: the latest capture up to it, else the account's current count. */
  const followersAtAsOf = Float64Array.from(accounts, (a) => a[1]);
  /** Each account's findings (anomalies.ts), undefined for most. */
  const findings: (Finding[] | undefined)[] = new Array<Finding[] | undefined>(n);
  const addFindings = (i: number, found: readonly Finding[]) => {
    if (found.length === 0) return;
    const list = findings[i];
    if (list) list.push(...found);
    else findings[i] = [...found];
  };

  const growth = new Float64Array(n);
  const jump = new Float64Array(n);
  const rise = new Float64Array(n).fill(1);
  const recentPosts = new Int32Array(n);
  const lastPost = new Float64Array(n).fill(Number.NaN);

  const latestCapture = client.prepare("SELECT max(captured_at) FROM account_snapshots").pluck().get() as number | null;
  const asOf = options.asOf ?? new Date(latestCapture ?? Date.now());
  const asOfMs = asOf.getTime();
  const since = asOfMs - 30 * DAY_MS;

  // 1. Follower history, in primary-key order: one account's captures arrive together, oldest first.
  const totalSnapshots = (client.prepare("SELECT count(*) FROM account_snapshots").pluck().get() as number) || 0;
  let current = -1;
  let series: { at: number; followers: number }[] = [];
  let seen = 0;
  const flushSeries = () => {
    if (current >= 0 && current < slot.length && slot[current]! >= 0) {
      const i = slot[current]!;
      const signals = followerSignals(series, since, asOfMs);
      growth[i] = signals.growth30d;
      jump[i] = signals.largestJump;
      let end = series.length;
      while (end > 0 && series[end - 1]!.at > asOfMs) end--;
      if (end > 0) followersAtAsOf[i] = series[end - 1]!.followers;
      addFindings(i, followerSpikes(end === series.length ? series : series.slice(0, end)));
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

  // 2. Posts: cadence and recency; remember each post's account for the snapshots pass, and whether it counts for
  //    the 30-day engagement rate.
  const maxPostId = (client.prepare("SELECT max(id) FROM posts").pluck().get() as number | null) ?? 0;
  const postSlot = new Int32Array(maxPostId + 1).fill(-1);
  const postRecent = new Uint8Array(maxPostId + 1);
  const postPublishedAt = new Float64Array(maxPostId + 1);
  const totalPosts = (client.prepare("SELECT count(*) FROM posts").pluck().get() as number) || 0;
  seen = 0;
  for (const [postId, accountId, publishedAt] of client
    .prepare("SELECT id, account_id, published_at FROM posts")
    .raw()
    .iterate() as IterableIterator<[number, number, number]>) {
    const i = accountId < slot.length ? slot[accountId]! : -1;
    if (i < 0) continue;
    postSlot[postId] = i;
    postPublishedAt[postId] = publishedAt;
    if (publishedAt <= asOfMs) {
      if (publishedAt > since) {
        recentPosts[i]!++;
        postRecent[postId] = 1;
      }
      if (!(lastPost[i]! >= publishedAt)) lastPost[i] = publishedAt;
    }
    if (++seen % 1_000_000 === 0) progress("posts", seen, totalPosts);
  }
  progress("posts", totalPosts, totalPosts);
  // Each account's posts (a counting sort by account), for the comparisons between an account's posts.
  const postStart = new Int32Array(n + 1);
  for (let p = 0; p <= maxPostId; p++) if (postSlot[p]! >= 0) postStart[postSlot[p]! + 1]!++;
  for (let i = 0; i < n; i++) postStart[i + 1]! += postStart[i]!;
  const postsByAccount = new Int32Array(postStart[n]!);
  const nextPost = postStart.slice(0, n);
  for (let p = 0; p <= maxPostId; p++) if (postSlot[p]! >= 0) postsByAccount[nextPost[postSlot[p]!]!++] = p;

  // 3. Post snapshots in key order (post, then time): the largest day-over-day rise of likes per view; each post's
  //    engagement spikes (its captures up to asOf) and its latest capture up to asOf.
  const lastAt = new Float64Array(maxPostId + 1).fill(Number.NaN);
  const lastLikes = new Float64Array(maxPostId + 1);
  const lastComments = new Float64Array(maxPostId + 1);
  const lastViews = new Float64Array(maxPostId + 1);
  // One post's captures up to asOf, in objects reused from post to post (about 76 M at a million creators).
  const captures: PostCapture[] = [];
  let captured = 0;
  const flushPost = (postId: number) => {
    const i = postId >= 0 && postId < postSlot.length ? postSlot[postId]! : -1;
    if (i >= 0 && captured > 0) {
      const last = captures[captured - 1]!;
      lastAt[postId] = last.at;
      lastLikes[postId] = last.likes;
      lastComments[postId] = last.comments;
      lastViews[postId] = last.views;
      const spike = engagementSpike(postId, captures, captured);
      if (spike) addFindings(i, [spike]);
    }
    captured = 0;
  };
  const totalPostSnapshots = (client.prepare("SELECT count(*) FROM post_metric_snapshots").pluck().get() as number) || 0;
  seen = 0;
  let post = -1;
  let previousRatio = Number.NaN;
  for (const [postId, capturedAt, likes, comments, views] of client
    .prepare("SELECT post_id, captured_at, likes, comments, views FROM post_metric_snapshots ORDER BY post_id, captured_at")
    .raw()
    .iterate() as IterableIterator<[number, number, number, number, number]>) {
    if (postId !== post) {
      flushPost(post);
      post = postId;
      previousRatio = Number.NaN;
    }
    if (capturedAt <= asOfMs) {
      const capture = (captures[captured++] ??= { at: 0, likes: 0, comments: 0, views: 0 });
      capture.at = capturedAt;
      capture.likes = likes;
      capture.comments = comments;
      capture.views = views;
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
  flushPost(post);
  progress("post snapshots", totalPostSnapshots, totalPostSnapshots);

  // 3b. Per account, from its posts' latest captures: the ratio outliers between its posts and the 30-day
  //     engagement rate; then its findings strongest first (the order they are written in) and its flag suspicion.
  const summaries: PostSummary[] = [];
  const newestFirst = (a: PostSummary, b: PostSummary) => postPublishedAt[b.postId]! - postPublishedAt[a.postId]! || b.postId - a.postId;
  const summarize = (i: number) => {
    summaries.length = 0;
    for (let k = postStart[i]!; k < postStart[i + 1]!; k++) {
      const p = postsByAccount[k]!;
      if (Number.isNaN(lastAt[p]!)) continue;
      summaries.push({ postId: p, at: lastAt[p]!, likes: lastLikes[p]!, comments: lastComments[p]!, views: lastViews[p]! });
    }
    return summaries;
  };
  const engagementRate30d = new Float64Array(n).fill(Number.NaN);
  // The catalogue averages (SocialAccount.averageLikes … engagementRate) from the latest captures of the account's
  // RECENT_POSTS latest posts; only the accounts whose stored figures differ are written.
  const averagesChanged: [id: number, averages: AccountAverages][] = [];
  const suspicionOfFlags = new Float64Array(n);
  let totalFlags = 0;
  for (let i = 0; i < n; i++) {
    let rateSum = 0;
    let rated = 0;
    const followers = followersAtAsOf[i]!;
    for (const post of summarize(i)) {
      if (postRecent[post.postId] && followers > 0) {
        rateSum += (post.likes + post.comments) / followers;
        rated++;
      }
    }
    if (rated > 0) engagementRate30d[i] = rateSum / rated;
    if (summaries.length > 0) {
      const recent = summaries.length <= RECENT_POSTS ? summaries : [...summaries].sort(newestFirst).slice(0, RECENT_POSTS);
      const averages = accountAverages(recent, accounts[i]![1]);
      const [, , likes, comments, views, rate] = accounts[i]!;
      if (averages.averageLikes !== likes || averages.averageComments !== comments || averages.averageViews !== views || averages.engagementRate !== rate) {
        averagesChanged.push([accountIds[i]!, averages]);
      }
    }
    addFindings(i, ratioOutliers(summaries));
    const found = findings[i];
    if (found) {
      strongestFirst(found);
      suspicionOfFlags[i] = flagSuspicion(found);
      totalFlags += found.length;
    }
    if ((i + 1) % 100_000 === 0) progress("engagement flags", i + 1, n);
  }
  progress("engagement flags", n, n);

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
  const flagValues = "(?, ?, ?, ?, ?, ?, ?)";
  const flagSql = (rows: number) =>
    `INSERT INTO engagement_flags (account_id, post_id, kind, observed_at, score, reason, detected_at) VALUES ${new Array(rows).fill(flagValues).join(", ")}`;
  const insertFlags = client.prepare(flagSql(FLAG_BATCH));
  const writeTotal = n + totalFlags;
  client
    .transaction(() => {
      db.delete(accountFeatures).run();
      client.prepare("DELETE FROM engagement_flags").run();
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
            engagementRate30d: Number.isNaN(engagementRate30d[i]!) ? null : engagementRate30d[i]!,
            flagSuspicion: suspicionOfFlags[i]!,
          });
        }
        db.insert(accountFeatures).values(rows).run();
        progress("writing", Math.min(n, start + INSERT_BATCH), writeTotal);
      }
      // Each account's flags strongest first, so its first flag by id is the one behind its flag_suspicion.
      const detectedAt = computedAt.getTime();
      let batch: unknown[] = [];
      let written = 0;
      const flushFlags = (force: boolean) => {
        const rows = batch.length / 7;
        if (rows === FLAG_BATCH) insertFlags.run(batch);
        else if (force && rows > 0) client.prepare(flagSql(rows)).run(batch);
        else return;
        written += rows;
        batch = [];
        progress("writing", n + written, writeTotal);
      };
      for (let i = 0; i < n; i++) {
        for (const f of findings[i] ?? []) {
          batch.push(accountIds[i]!, f.postId, f.kind, f.observedAt, f.score, f.reason, detectedAt);
          flushFlags(false);
        }
      }
      flushFlags(true);
      const updateAverages = client.prepare(
        "UPDATE social_accounts SET average_likes = ?, average_comments = ?, average_views = ?, engagement_rate = ? WHERE id = ?",
      );
      for (const [id, a] of averagesChanged) updateAverages.run(a.averageLikes, a.averageComments, a.averageViews, a.engagementRate, id);
      rebuildKeywordIndex(db, (done, total) => progress("search index", done, total));
      db.insert(featureRefreshes).values({ asOf, accounts: n, finishedAt: options.now ?? new Date() }).run();
    })
    .immediate();
  return { accounts: n, flags: totalFlags, averagesUpdated: averagesChanged.length, asOf, ms: performance.now() - started };
}

/**
 * The discovery index: every account's ranking inputs in typed arrays (one slot per account), built from the
 * database in three streaming reads, so a brief is answered by one scan over memory instead of a query that joins
 * a million rows. Brief-independent factor values (engagement, authenticity, reach, growth, activity, trust) are
 * computed once here. Audiences come packed per account (audience-profile.ts) into compressed rows; a dense column
 * per (dimension, key) is made from them on first use and kept.
 *
 * Filterable values (engagement rate, credibility, growth) are kept in 64 bits, so a threshold compares exactly as
 * the API shows the value; factor values need only 32. Memory: about 100 bytes per account plus 4 bytes per account for each audience key in use (≈ 90 MB + 4 MB per key
 * at a million accounts). The index is rebuilt when a newer feature refresh exists (see DiscoveryService).
 */
import { CATEGORIES, PLATFORMS, type Category, type Platform } from "../../schema/enums.js";
import { indexOfSorted } from "../common/sorted.js";
import type { Db } from "../db.js";
import { engagementRateOnBasis, TIERS, tierOf, type Tier } from "./benchmarks.js";
import { activityValue, authenticityValue, engagementValue, growthValue, reachValue, suspicion, trustOf } from "./factors.js";
import { forEachProfileEntry } from "./audience-profile.js";
import { median } from "./features.js";

const DAY_MS = 86_400_000;

export const CATEGORY_BIT: Readonly<Record<Category, number>> = Object.fromEntries(CATEGORIES.map((c, i) => [c, 1 << i])) as Record<
  Category,
  number
>;

/** Interns short strings (country and language codes) as small integers. */
class Codes {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  id(code: string): number {
    let id = this.ids.get(code);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(code, id);
      this.list.push(code);
    }
    return id;
  }
  lookup(code: string): number | undefined {
    return this.ids.get(code);
  }
}

export class DiscoveryIndex {
  readonly size: number;
  readonly accountId: Int32Array;
  readonly influencerId: Int32Array;
  readonly platform: Uint8Array;
  readonly tier: Uint8Array;
  readonly followers: Float64Array;
  /** Stored engagement rate (by followers), as `SocialAccount.engagementRate` shows it: the brief filters on it. */
  readonly engagementRate: Float64Array;
  /** Engagement on the platform's benchmark basis (views for TikTok and YouTube), compared with peers. */
  readonly basisEngagementRate: Float32Array;
  readonly credibility: Float64Array;
  readonly verified: Uint8Array;
  readonly hasContact: Uint8Array;
  readonly country: Uint16Array;
  readonly language: Uint16Array;
  readonly categories: Uint32Array;
  readonly growth30d: Float64Array;
  readonly largestFollowerJump: Float32Array;
  readonly likesPerViewRise: Float32Array;
  /** The suspicion of the account's strongest suspicious-engagement flag (account_features.flag_suspicion). */
  readonly flagSuspicion: Float32Array;
  readonly postsLast30d: Uint16Array;
  /** Days between the last post and the refresh's reference time; NaN without posts. */
  readonly daysSinceLastPost: Float32Array;
  readonly vEngagement: Float32Array;
  readonly vAuthenticity: Float32Array;
  readonly vReach: Float32Array;
  readonly vGrowth: Float32Array;
  readonly vActivity: Float32Array;
  readonly trust: Float32Array;
  /** Median basis engagement rate per (platform, tier): `peerMedian[platformIndex * TIERS.length + tierIndex]`. */
  readonly peerMedian: Float64Array;
  readonly countries = new Codes();
  readonly languages = new Codes();
  /**
   * Posting lists: the slots of each platform, country and language (ascending), and every slot ordered by
   * followers, so a selective brief walks only its candidates instead of the whole catalogue.
   */
  readonly slotsByPlatform: Int32Array[] = [];
  readonly slotsByCountry: Int32Array[] = [];
  readonly slotsByLanguage: Int32Array[] = [];
  readonly slotsByFollowers: Int32Array;
  /** How many creators have at least one account in the index. */
  readonly influencerCount: number;
  /**
   * Every account's audience (audience-profile.ts) in compressed-row form: the entries of slot k are
   * `audienceStart[k] … audienceStart[k + 1] - 1` of `audienceKey` (an audience key id) and `audienceShare`.
   */
  readonly audienceStart: Int32Array;
  audienceKey: Uint16Array;
  audienceShare: Float32Array;
  /** Audience key id → its dimension and key, and the id of a (dimension, key). */
  readonly audienceKeys: ({ dimension: string; key: string } | undefined)[] = [];
  private readonly audienceKeyIds = new Map<string, number>();
  private readonly audienceColumns = new Map<number, Float32Array>();
  private readonly shareOrders = new Map<number, Int32Array>();
  private blocks: AudienceBlocks | undefined;
  private tags: AccountHashtags | null | undefined;

  constructor(
    private readonly db: Db,
    /** The feature refresh this index was built from (0: none yet). */
    readonly version: number,
    readonly asOf: Date,
  ) {
    const client = db.$client;
    const n = (client.prepare("SELECT count(*) FROM social_accounts").pluck().get() as number) ?? 0;
    this.size = n;
    this.accountId = new Int32Array(n);
    this.influencerId = new Int32Array(n);
    this.platform = new Uint8Array(n);
    this.tier = new Uint8Array(n);
    this.followers = new Float64Array(n);
    this.engagementRate = new Float64Array(n);
    this.basisEngagementRate = new Float32Array(n);
    this.credibility = new Float64Array(n);
    this.verified = new Uint8Array(n);
    this.hasContact = new Uint8Array(n);
    this.country = new Uint16Array(n);
    this.language = new Uint16Array(n);
    this.categories = new Uint32Array(n);
    this.growth30d = new Float64Array(n);
    this.largestFollowerJump = new Float32Array(n);
    this.likesPerViewRise = new Float32Array(n).fill(1);
    this.flagSuspicion = new Float32Array(n);
    this.postsLast30d = new Uint16Array(n);
    this.daysSinceLastPost = new Float32Array(n).fill(Number.NaN);
    this.vEngagement = new Float32Array(n);
    this.vAuthenticity = new Float32Array(n);
    this.vReach = new Float32Array(n);
    this.vGrowth = new Float32Array(n);
    this.vActivity = new Float32Array(n);
    this.trust = new Float32Array(n);
    this.peerMedian = new Float64Array(PLATFORMS.length * TIERS.length);
    this.audienceStart = new Int32Array(n + 1);
    // About 20 audience entries per account; grown when needed.
    this.audienceKey = new Uint16Array(n * 24);
    this.audienceShare = new Float32Array(n * 24);
    for (const [id, dimension, key] of client.prepare("SELECT id, dimension, key FROM audience_keys").raw().iterate() as IterableIterator<[number, string, string]>) {
      this.audienceKeys[id] = { dimension, key };
      this.audienceKeyIds.set(`${dimension}\u0000${key}`, id);
    }

    // Categories per influencer, as bit masks.
    const masks = new Map<number, number>();
    for (const [influencerId, category] of client
      .prepare("SELECT influencer_id, category FROM influencer_categories")
      .raw()
      .iterate() as IterableIterator<[number, Category]>) {
      masks.set(influencerId, (masks.get(influencerId) ?? 0) | (CATEGORY_BIT[category] ?? 0));
    }

    const rows = client
      .prepare(
        `SELECT a.id, a.influencer_id, a.platform, a.followers, a.engagement_rate, a.average_likes, a.average_comments,
                a.average_views, a.audience_credibility, a.verified, i.country, i.language,
                i.contact_email IS NOT NULL AND i.contact_email <> '',
                f.follower_growth_30d, f.largest_follower_jump, f.likes_per_view_rise, f.posts_last_30d, f.last_post_at,
                f.audience_profile, f.flag_suspicion
         FROM social_accounts a
         JOIN influencers i ON i.id = a.influencer_id
         LEFT JOIN account_features f ON f.account_id = a.id
         ORDER BY a.id`,
      )
      .raw()
      .iterate() as IterableIterator<
      [number, number, Platform, number, number, number, number, number, number, number, string, string, number, number | null, number | null, number | null, number | null, number | null, Buffer | null, number | null]
    >;
    const platformIndex = new Map(PLATFORMS.map((p, i) => [p, i]));
    const tierIndex = new Map(TIERS.map((t, i) => [t, i]));
    let i = 0;
    let profiles = 0;
    for (const r of rows) {
      if (i >= n) break; // an account inserted between the count and this read waits for the next rebuild
      const [id, influencerId, platform, followers, rate, likes, comments, views, credibility, verified, country, language, contact] = r;
      this.accountId[i] = id;
      this.influencerId[i] = influencerId;
      this.platform[i] = platformIndex.get(platform) ?? 0;
      this.tier[i] = tierIndex.get(tierOf(followers)) ?? 0;
      this.followers[i] = followers;
      this.engagementRate[i] = rate;
      this.basisEngagementRate[i] = engagementRateOnBasis(platform, { followers, averageLikes: likes, averageComments: comments, averageViews: views });
      this.credibility[i] = credibility;
      this.verified[i] = verified ? 1 : 0;
      this.hasContact[i] = contact ? 1 : 0;
      this.country[i] = this.countries.id(country);
      this.language[i] = this.languages.id(language);
      this.categories[i] = masks.get(influencerId) ?? 0;
      this.growth30d[i] = r[13] ?? 0;
      this.largestFollowerJump[i] = r[14] ?? 0;
      this.likesPerViewRise[i] = r[15] ?? 1;
      this.flagSuspicion[i] = r[19] ?? 0;
      this.postsLast30d[i] = Math.min(65_535, r[16] ?? 0);
      this.daysSinceLastPost[i] = r[17] === null || r[17] === undefined ? Number.NaN : (asOf.getTime() - r[17]) / DAY_MS;
      if (r[18]) {
        profiles++;
        forEachProfileEntry(r[18], this.pushAudience);
      }
      i++;
      this.audienceStart[i] = this.audienceEntries;
    }
    if (i < n) this.size = i;
    // Features refreshed before audience profiles existed (an older database): read the shares themselves, slower.
    if (profiles === 0 && this.size > 0 && client.prepare("SELECT 1 FROM audience_shares LIMIT 1").get()) this.readAudienceShares();

    // Peer medians per (platform, tier), then the brief-independent factor values.
    const groups = new Map<number, number[]>();
    for (let k = 0; k < this.size; k++) {
      const group = this.platform[k]! * TIERS.length + this.tier[k]!;
      let list = groups.get(group);
      if (!list) groups.set(group, (list = []));
      if (this.basisEngagementRate[k]! > 0) list.push(this.basisEngagementRate[k]!);
    }
    for (const [group, list] of groups) this.peerMedian[group] = median(list);
    for (let k = 0; k < this.size; k++) {
      const s = suspicion(this.largestFollowerJump[k]!, this.likesPerViewRise[k]!, this.flagSuspicion[k]!);
      this.vEngagement[k] = engagementValue(this.basisEngagementRate[k]!, this.peerMedianOf(k));
      this.vAuthenticity[k] = authenticityValue(this.credibility[k]!, s);
      this.vReach[k] = reachValue(this.followers[k]!);
      this.vGrowth[k] = growthValue(this.growth30d[k]!);
      const days = this.daysSinceLastPost[k]!;
      this.vActivity[k] = activityValue(this.postsLast30d[k]!, Number.isNaN(days) ? null : days);
      this.trust[k] = trustOf(s);
    }
    this.slotsByPlatform = postingLists(this.platform, PLATFORMS.length, this.size);
    this.slotsByCountry = postingLists(this.country, this.countries.list.length, this.size);
    this.slotsByLanguage = postingLists(this.language, this.languages.list.length, this.size);
    const byFollowers = Int32Array.from({ length: this.size }, (_, k) => k);
    byFollowers.sort((a, b) => this.followers[a]! - this.followers[b]! || a - b);
    this.slotsByFollowers = byFollowers;
    this.influencerCount = new Set(this.influencerId.subarray(0, this.size)).size;
  }

  /** Slots whose followers lie in [min, max], in follower order (binary search over slotsByFollowers). */
  slotsWithFollowers(min: number, max: number): Int32Array {
    const order = this.slotsByFollowers;
    const lowerBound = (value: number, strict: boolean) => {
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const f = this.followers[order[mid]!]!;
        if (f < value || (strict && f === value)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return order.subarray(lowerBound(min, false), lowerBound(max, true));
  }

  peerMedianOf(slot: number): number {
    return this.peerMedian[this.platform[slot]! * TIERS.length + this.tier[slot]!]!;
  }

  platformOf(slot: number): Platform {
    return PLATFORMS[this.platform[slot]!]!;
  }

  tierOf(slot: number): Tier {
    return TIERS[this.tier[slot]!]!;
  }

  /** The slot of an account (slots are in account id order: a binary search). */
  slotOf(accountId: number): number | undefined {
    const slot = indexOfSorted(this.accountId, accountId, this.size);
    return slot < 0 ? undefined : slot;
  }

  /**
   * The slots of ascending account ids, ascending (ids the index does not hold are left out). Each search starts
   * where the previous one ended and first tries the slot the id would have if ids had no gaps from there (they
   * mostly have none: accounts are numbered in order and seldom deleted), then gallops and bisects.
   */
  slotsOfSorted(accountIds: Int32Array): Int32Array {
    const out = new Int32Array(accountIds.length);
    const ids = this.accountId;
    const size = this.size;
    let n = 0;
    let lo = 0;
    for (let i = 0; i < accountIds.length && lo < size; i++) {
      const want = accountIds[i]!;
      // The first slot ≥ lo whose id is ≥ want.
      let guess = lo + (want - ids[lo]!);
      if (guess < lo) guess = lo;
      if (guess >= size) guess = size - 1;
      if (ids[guess] === want) {
        out[n++] = guess;
        lo = guess + 1;
        continue;
      }
      let hi: number;
      if (ids[guess]! > want) {
        hi = guess;
      } else {
        // Gallop forward from the guess until past `want`.
        let step = 1;
        lo = guess + 1;
        hi = lo;
        while (hi < size && ids[hi]! < want) {
          lo = hi + 1;
          hi += step;
          step *= 2;
        }
        if (hi >= size) hi = size;
      }
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[mid]! < want) lo = mid + 1;
        else hi = mid;
      }
      if (lo < size && ids[lo] === want) out[n++] = lo++;
    }
    return n === out.length ? out : out.slice(0, n);
  }

  /** Every account's share of the audience in (dimension, key): 0 where the account has none. Cached. */
  audienceColumn(dimension: string, key: string): Float32Array {
    const id = this.audienceKeyId(dimension, key) ?? -1;
    let column = this.audienceColumns.get(id);
    if (!column) {
      column = new Float32Array(this.size);
      const { audienceStart: start, audienceKey: keys, audienceShare: shares } = this;
      if (id >= 0) {
        for (let slot = 0; slot < this.size; slot++) {
          for (let e = start[slot]!, end = start[slot + 1]!; e < end; e++) {
            if (keys[e] === id) {
              column[slot] = shares[e]!;
              break;
            }
          }
        }
      }
      this.audienceColumns.set(id, column);
    }
    return column;
  }

  /**
   * Slots whose share of the audience in (dimension, key) is at least `min` (> 0), largest share first: a prefix
   * of the column's slots ordered by share, made on first use and kept.
   */
  slotsWithShare(dimension: string, key: string, min: number): Int32Array {
    const id = this.audienceKeyId(dimension, key) ?? -1;
    const column = this.audienceColumn(dimension, key);
    let order = this.shareOrders.get(id);
    if (!order) {
      let count = 0;
      for (let slot = 0; slot < this.size; slot++) if (column[slot]! > 0) count++;
      order = new Int32Array(count);
      for (let slot = 0, at = 0; slot < this.size; slot++) if (column[slot]! > 0) order[at++] = slot;
      order.sort((a, b) => column[b]! - column[a]! || a - b);
      this.shareOrders.set(id, order);
    }
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (column[order[mid]!]! >= min) lo = mid + 1;
      else hi = mid;
    }
    return order.subarray(0, lo);
  }

  /**
   * The accounts in blocks of similar audiences and categories, each with an upper bound of its members' shares per
   * audience key and the union of their categories: a lookalike scan skips a block whose bound cannot reach its
   * candidates (block-max pruning, as in Ding & Suel, "Faster top-k document retrieval using block-max indexes",
   * SIGIR 2011). Made on first use and kept (about 6 MB at a million accounts).
   */
  audienceBlocks(): AudienceBlocks {
    this.blocks ??= buildAudienceBlocks(this);
    return this.blocks;
  }

  /**
   * Every account's hashtags (account_hashtags) in compressed-row form, for lookalikes; null for a database whose
   * keyword index was built before account_hashtags existed (lookalikes then read the search documents). Read on
   * first use and kept (about 4 bytes per hashtag of every account).
   */
  accountHashtags(): AccountHashtags | null {
    if (this.tags === undefined) this.tags = readAccountHashtags(this.db, this);
    return this.tags;
  }

  audienceKeyId(dimension: string, key: string): number | undefined {
    return this.audienceKeyIds.get(`${dimension}\u0000${key}`);
  }

  private audienceEntries = 0;

  /** Appends an entry to the audience of the slot being read (growing the arrays when full). */
  private readonly pushAudience = (keyId: number, share: number): void => {
    if (this.audienceEntries === this.audienceKey.length) {
      const capacity = Math.max(1024, Math.ceil(this.audienceKey.length * 1.5));
      const keys = new Uint16Array(capacity);
      keys.set(this.audienceKey);
      const shares = new Float32Array(capacity);
      shares.set(this.audienceShare);
      this.audienceKey = keys;
      this.audienceShare = shares;
    }
    this.audienceKey[this.audienceEntries] = keyId;
    this.audienceShare[this.audienceEntries++] = share;
  };

  /** The audiences from `audience_shares` (share rows in key order), for features without audience profiles. */
  private readAudienceShares(): void {
    const perSlot: [number, number][][] = Array.from({ length: this.size }, () => []);
    let nextId = this.audienceKeys.length || 1;
    for (const [accountId, dimension, key, share] of this.db.$client
      .prepare("SELECT account_id, dimension, key, share FROM audience_shares")
      .raw()
      .iterate() as IterableIterator<[number, string, string, number]>) {
      const slot = this.slotOf(accountId);
      if (slot === undefined) continue;
      let id = this.audienceKeyId(dimension, key);
      if (id === undefined) {
        // Numbered here only: an older database has no audience_keys rows yet.
        id = nextId++;
        this.audienceKeys[id] = { dimension, key };
        this.audienceKeyIds.set(`${dimension}\u0000${key}`, id);
      }
      perSlot[slot]!.push([id, share]);
    }
    this.audienceEntries = 0;
    for (let slot = 0; slot < this.size; slot++) {
      this.audienceStart[slot] = this.audienceEntries;
      for (const [id, share] of perSlot[slot]!) this.pushAudience(id, share);
    }
    this.audienceStart[this.size] = this.audienceEntries;
  }

}

export interface AccountHashtags {
  /** The hashtag ids of slot k (ascending): `ids[start[k] … start[k + 1] - 1]`. */
  start: Int32Array;
  ids: Int32Array;
  /** Hashtag id → the tag (lower case, without "#"). */
  names: string[];
}

function readAccountHashtags(db: Db, index: DiscoveryIndex): AccountHashtags | null {
  const client = db.$client;
  const rows = (client.prepare("SELECT count(*) FROM account_hashtags").pluck().get() as number) ?? 0;
  if (rows === 0 && client.prepare("SELECT 1 FROM account_search_docs LIMIT 1").get()) return null;
  const names: string[] = [];
  for (const [id, tag] of client.prepare("SELECT id, tag FROM hashtag_keys").raw().iterate() as IterableIterator<[number, string]>) names[id] = tag;
  const perSlot = new Array<Buffer | undefined>(index.size);
  let total = 0;
  for (const [accountId, tags] of client.prepare("SELECT account_id, tags FROM account_hashtags").raw().iterate() as IterableIterator<[number, Buffer]>) {
    const slot = index.slotOf(accountId);
    if (slot === undefined) continue;
    perSlot[slot] = tags;
    total += tags.length >> 2;
  }
  const start = new Int32Array(index.size + 1);
  const ids = new Int32Array(total);
  let at = 0;
  for (let slot = 0; slot < index.size; slot++) {
    start[slot] = at;
    const tags = perSlot[slot];
    if (tags) for (let offset = 0; offset + 4 <= tags.length; offset += 4) ids[at++] = tags.readInt32LE(offset);
  }
  start[index.size] = at;
  return { start, ids, names };
}

/** Accounts per block of `AudienceBlocks`: small enough for tight bounds, large enough to bound few blocks. */
export const AUDIENCE_BLOCK = 64;

export interface AudienceBlocks {
  /** Every slot, similar accounts next to each other; block b is `order[b * AUDIENCE_BLOCK …]`. */
  order: Int32Array;
  count: number;
  /** Largest share of each audience key in each block: `maxShare[b * keys + keyId]`. */
  maxShare: Float32Array;
  keys: number;
  /** Union and intersection of the block's category masks. */
  categoriesAny: Uint32Array;
  categoriesAll: Uint32Array;
}

/**
 * Orders the accounts by their categories, then by their largest audience key per dimension (what a lookalike's
 * score weighs), so that a block's bounds stay close to each of its members: most blocks hold one category set.
 */
function buildAudienceBlocks(index: DiscoveryIndex): AudienceBlocks {
  const { size, audienceStart: start, audienceKey: keyOf, audienceShare: shareOf, audienceKeys, categories } = index;
  const keys = audienceKeys.length;
  const dimensionOrder = ["COUNTRY", "INTEREST", "AGE", "LANGUAGE", "GENDER"];
  const dimensionOfKey = Int8Array.from({ length: keys }, (_, id) => (audienceKeys[id] ? dimensionOrder.indexOf(audienceKeys[id]!.dimension) : -1));
  // Rank of each key within its dimension (0 = none) and of each category set, so the sort key packs into few bits.
  const rankOfKey = new Int32Array(keys);
  const ranks = new Array<number>(dimensionOrder.length).fill(0);
  for (let id = 0; id < keys; id++) if (dimensionOfKey[id]! >= 0) rankOfKey[id] = ++ranks[dimensionOfKey[id]!]!;
  const masks = [...new Set(categories.subarray(0, size))].sort((a, b) => a - b);
  const rankOfMask = new Map(masks.map((mask, i) => [mask, i]));
  const bitsOf = (n: number) => Math.max(1, Math.ceil(Math.log2(n + 1)));
  const bits = ranks.map(bitsOf);
  const maskBits = bitsOf(masks.length);
  const slotBits = bitsOf(size);
  // Dimensions that do not fit in a double's 52 exact bits beside the category set and the slot are left out.
  let used = dimensionOrder.length;
  while (used > 0 && maskBits + slotBits + bits.slice(0, used).reduce((a, b) => a + b, 0) > 52) used--;
  const sortKeys = new Float64Array(size);
  const top = new Int32Array(dimensionOrder.length);
  const topShare = new Float64Array(dimensionOrder.length);
  for (let slot = 0; slot < size; slot++) {
    top.fill(0);
    topShare.fill(-1);
    for (let e = start[slot]!, end = start[slot + 1]!; e < end; e++) {
      const d = dimensionOfKey[keyOf[e]!]!;
      if (d >= 0 && shareOf[e]! > topShare[d]!) {
        topShare[d] = shareOf[e]!;
        top[d] = rankOfKey[keyOf[e]!]!;
      }
    }
    let key = rankOfMask.get(categories[slot]!)!;
    for (let d = 0; d < used; d++) key = key * 2 ** bits[d]! + top[d]!;
    sortKeys[slot] = key * 2 ** slotBits + slot;
  }
  if (maskBits + slotBits <= 52) sortKeys.sort();
  else for (let slot = 0; slot < size; slot++) sortKeys[slot] = slot;
  const order = new Int32Array(size);
  const slotMod = 2 ** slotBits;
  for (let i = 0; i < size; i++) order[i] = maskBits + slotBits <= 52 ? sortKeys[i]! % slotMod : i;

  const count = Math.ceil(size / AUDIENCE_BLOCK);
  const maxShare = new Float32Array(count * keys);
  const categoriesAny = new Uint32Array(count);
  const categoriesAll = new Uint32Array(count).fill(0xffffffff);
  for (let b = 0; b < count; b++) {
    const base = b * keys;
    for (let i = b * AUDIENCE_BLOCK, end = Math.min(size, i + AUDIENCE_BLOCK); i < end; i++) {
      const slot = order[i]!;
      categoriesAny[b]! |= categories[slot]!;
      categoriesAll[b]! &= categories[slot]!;
      for (let e = start[slot]!, last = start[slot + 1]!; e < last; e++) {
        const at = base + keyOf[e]!;
        if (shareOf[e]! > maxShare[at]!) maxShare[at] = shareOf[e]!;
      }
    }
  }
  return { order, count, maxShare, keys, categoriesAny, categoriesAll };
}

/** For each code, the ascending slots having it (a counting sort). */
function postingLists(codes: Uint8Array | Uint16Array, distinct: number, size: number): Int32Array[] {
  const counts = new Int32Array(distinct);
  for (let k = 0; k < size; k++) counts[codes[k]!]!++;
  const lists = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(distinct);
  for (let k = 0; k < size; k++) {
    const code = codes[k]!;
    lists[code]![fill[code]!++] = k;
  }
  return lists;
}

/** The latest feature refresh: its id is the index version, its `asOf` the reference time of activity. */
export function latestRefresh(db: Db): { version: number; asOf: Date } {
  const row = db.$client.prepare("SELECT id, as_of FROM feature_refreshes ORDER BY id DESC LIMIT 1").raw().get() as [number, number] | undefined;
  return row ? { version: row[0], asOf: new Date(row[1]) } : { version: 0, asOf: new Date() };
}

/**
 * The ranking scan: one pass over the discovery index applies the brief's filters, scores every remaining account
 * (factors.ts) and keeps the best page in a bounded heap, so a brief costs O(accounts × log page) with no sort of
 * the whole catalogue. Order: score descending, then account id ascending (deterministic ties, stable cursors).
 * Diversity re-ranks the top window greedily. No I/O of its own: the engine resolves audience columns and fees,
 * and passes keyword matches whose relevance it computes on demand (KeywordRelevance), for the few matches that
 * can still reach the page.
 */
import { audienceFitValue, type AudienceTarget, type Factor, type Weights } from "./factors.js";
import type { DiscoveryIndex } from "./discovery-index.js";

const SHARE_TOLERANCE = 1e-6;

export interface RankFilters {
  platforms?: ReadonlySet<number>;
  minFollowers?: number;
  maxFollowers?: number;
  minEngagementRate?: number;
  maxEngagementRate?: number;
  countries?: ReadonlySet<number>;
  languages?: ReadonlySet<number>;
  /** Any of these category bits. */
  categoryMask?: number;
  minCredibility?: number;
  verifiedOnly?: boolean;
  minGrowth30d?: number;
  hasContact?: boolean;
  excludeInfluencers?: ReadonlySet<number>;
  excludeAccounts?: ReadonlySet<number>;
}

export interface AudienceCriterion {
  target: AudienceTarget;
  /** One audience column per key of the target (shares are summed). */
  columns: Float32Array[];
  /** A filter as well as a factor: accounts outside [minShare, maxShare] are left out. */
  required: boolean;
}

export interface Diversity {
  by: "CATEGORY" | "COUNTRY";
  /** At most this share of the window from one group. */
  maxShare: number;
  /** How many top results the rule covers. */
  window: number;
}

export type PagePosition = { kind: "keyset"; score: number; accountId: number } | { kind: "offset"; offset: number } | null;

/** A keyword query's matches by slot; when present, only these accounts are candidates. */
export interface KeywordRelevance {
  /** The matching slots, ascending. */
  readonly slots: Int32Array;
  /** 1 at every matching slot. */
  readonly matches: Uint8Array;
  /** Relevance in [0, 1] of the given matching slots (may read the keyword index; answers are kept). */
  relevance(slots: Int32Array): Float64Array;
}

export interface RankQuery {
  filters: RankFilters;
  keywords?: KeywordRelevance;
  audience: AudienceCriterion[];
  weights: Weights;
  /** Cost efficiency value by influencer id, where the caller's organization knows a fee. */
  costValue?: ReadonlyMap<number, number>;
  diversity?: Diversity;
  first: number;
  after: PagePosition;
}

export interface RankedEntry {
  slot: number;
  score: number;
  rank: number;
}

export interface RankResult {
  entries: RankedEntry[];
  hasNextPage: boolean;
  /** Accounts that pass every filter. */
  totalCount: number;
}

/** A bounded heap keeping the `capacity` best (slot, score) pairs; the worst kept is at the root. */
export class TopK {
  private readonly slots: Int32Array;
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  size = 0;
  constructor(readonly capacity: number) {
    this.slots = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }
  /** True when (sa, ia) ranks after (sb, ib). */
  private static worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }
  offer(slot: number, score: number, id: number): void {
    if (this.capacity === 0) return;
    if (this.size < this.capacity) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopK.worse(score, id, this.scores[parent]!, this.ids[parent]!)) break;
        this.move(parent, i);
        i = parent;
      }
      this.set(i, slot, score, id);
      return;
    }
    if (!TopK.worse(this.scores[0]!, this.ids[0]!, score, id)) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      let worst = left;
      if (right < this.size && TopK.worse(this.scores[right]!, this.ids[right]!, this.scores[left]!, this.ids[left]!)) worst = right;
      if (!TopK.worse(this.scores[worst]!, this.ids[worst]!, score, id)) break;
      this.move(worst, i);
      i = worst;
    }
    this.set(i, slot, score, id);
  }
  private move(from: number, to: number) {
    this.slots[to] = this.slots[from]!;
    this.scores[to] = this.scores[from]!;
    this.ids[to] = this.ids[from]!;
  }
  private set(i: number, slot: number, score: number, id: number) {
    this.slots[i] = slot;
    this.scores[i] = score;
    this.ids[i] = id;
  }
  /** The score an offer must beat once the heap is full (-Infinity before). */
  get threshold(): number {
    return this.size < this.capacity ? Number.NEGATIVE_INFINITY : this.scores[0]!;
  }
  /** Best first. */
  sorted(): { slot: number; score: number; id: number }[] {
    const out = [];
    for (let i = 0; i < this.size; i++) out.push({ slot: this.slots[i]!, score: this.scores[i]!, id: this.ids[i]! });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

/** Audience shares of one slot, one per criterion (pure helper, also used by explanations). */
export function audienceSharesOf(criteria: readonly AudienceCriterion[], slot: number): number[] {
  return criteria.map((c) => {
    let s = 0;
    for (const column of c.columns) s += column[slot]!;
    return s;
  });
}

/** The factor values of one slot for a query (NaN: does not apply). */
export function factorValuesOf(index: DiscoveryIndex, query: RankQuery, slot: number, shares?: readonly number[]): Record<Factor, number> {
  const cost = query.costValue?.get(index.influencerId[slot]!);
  return {
    KEYWORD_RELEVANCE: query.keywords ? query.keywords.relevance(Int32Array.of(slot))[0]! : Number.NaN,
    ENGAGEMENT: index.vEngagement[slot]!,
    AUDIENCE_FIT: audienceFitValue(shares ?? audienceSharesOf(query.audience, slot), query.audience.map((c) => c.target)),
    AUTHENTICITY: index.vAuthenticity[slot]!,
    REACH: index.vReach[slot]!,
    GROWTH: index.vGrowth[slot]!,
    ACTIVITY: index.vActivity[slot]!,
    COST_EFFICIENCY: cost ?? Number.NaN,
  };
}

/** A 0/1 lookup table for a set of small codes (platform, country, language ids). */
function lookup(set: ReadonlySet<number> | undefined, size: number): Uint8Array | null {
  if (!set) return null;
  const table = new Uint8Array(Math.max(size, 1));
  for (const code of set) if (code >= 0 && code < size) table[code] = 1;
  return table;
}

/** The concatenated posting lists of the given codes (each slot has one code, so they do not overlap). */
function union(lists: readonly Int32Array[], codes: ReadonlySet<number>): Int32Array {
  let n = 0;
  for (const code of codes) n += lists[code]?.length ?? 0;
  const out = new Int32Array(n);
  let at = 0;
  for (const code of codes) {
    const list = lists[code];
    if (list) {
      out.set(list, at);
      at += list.length;
    }
  }
  return out;
}

/** The distinct slots of several lists, ascending. */
function sortedUnion(lists: readonly Int32Array[], size: number): Int32Array {
  if (lists.length === 1) return Int32Array.from(lists[0]!).sort();
  const seen = new Uint8Array(size);
  let count = 0;
  for (const list of lists) for (const slot of list) if (!seen[slot]) (seen[slot] = 1), count++;
  const out = new Int32Array(count);
  for (let slot = 0, at = 0; slot < size; slot++) if (seen[slot]) out[at++] = slot;
  return out;
}

/**
 * The slots worth looking at: the smallest of the keyword matches, the posting lists of the brief's platforms,
 * countries or languages, the follower range, and the accounts that can meet a required audience share; the whole catalogue when the brief narrows none of them.
 */
function candidates(index: DiscoveryIndex, query: RankQuery): Int32Array | null {
  const f = query.filters;
  const options: (() => Int32Array)[] = [];
  const sizes: number[] = [];
  const consider = (size: number, make: () => Int32Array) => {
    sizes.push(size);
    options.push(make);
  };
  // In slot order, so the scan reads memory forwards.
  if (query.keywords) consider(query.keywords.slots.length, () => query.keywords!.slots);
  const count = (lists: readonly Int32Array[], codes: ReadonlySet<number>) => [...codes].reduce((n, c) => n + (lists[c]?.length ?? 0), 0);
  if (f.platforms) consider(count(index.slotsByPlatform, f.platforms), () => union(index.slotsByPlatform, f.platforms!));
  if (f.countries) consider(count(index.slotsByCountry, f.countries), () => union(index.slotsByCountry, f.countries!));
  if (f.languages) consider(count(index.slotsByLanguage, f.languages), () => union(index.slotsByLanguage, f.languages!));
  if (f.minFollowers !== undefined || f.maxFollowers !== undefined) {
    const range = index.slotsWithFollowers(f.minFollowers ?? Number.NEGATIVE_INFINITY, f.maxFollowers ?? Number.POSITIVE_INFINITY);
    // Follower order jumps around memory (a cache miss per array per account); the other lists run in slot
    // order. Measured at a million accounts, a range walk costs about three times as much per account.
    consider(range.length * 3, () => range);
  }
  // A required audience share: an account with at least minShare over k keys has at least minShare / k in one of
  // them, so the union of those keys' share-ordered prefixes holds every account that can pass.
  for (const criterion of query.audience) {
    const { dimension, keys, minShare } = criterion.target;
    if (!criterion.required || !(minShare > SHARE_TOLERANCE)) continue;
    const lists = keys.map((key) => index.slotsWithShare(dimension, key, minShare / keys.length - SHARE_TOLERANCE));
    const total = lists.reduce((n, list) => n + list.length, 0);
    // Made into slot order (a sort), then scanned forwards.
    consider(total * 1.5, () => sortedUnion(lists, index.size));
  }
  if (options.length === 0) return null;
  let best = 0;
  for (let i = 1; i < sizes.length; i++) if (sizes[i]! < sizes[best]!) best = i;
  // No narrower than the catalogue: the plain scan is cheaper.
  return sizes[best]! < index.size ? options[best]!() : null;
}

/** Everything the scan needs, resolved once per query. */
interface ScanParams {
  platforms: Uint8Array | null;
  countries: Uint8Array | null;
  languages: Uint8Array | null;
  byFollowers: boolean;
  minFollowers: number;
  maxFollowers: number;
  byRate: boolean;
  minRate: number;
  maxRate: number;
  categoryMask: number;
  byCredibility: boolean;
  minCredibility: number;
  byGrowth: boolean;
  minGrowth: number;
  verifiedOnly: boolean;
  contact: number;
  excludeInfluencers: ReadonlySet<number> | null;
  excludeAccounts: ReadonlySet<number> | null;
  criteria: { columns: Float32Array[]; required: boolean; min: number; max: number }[];
  targets: AudienceTarget[];
  keywords: Uint8Array | null;
  feeFlags: Uint8Array | null;
  costValue: ReadonlyMap<number, number> | null;
  weights: Weights;
  baseWeight: number;
  keywordWeight: number;
  audienceWeight: number;
  keyset: { score: number; accountId: number } | null;
}

export function rank(index: DiscoveryIndex, query: RankQuery): RankResult {
  const f = query.filters;
  const w = query.weights;
  const after = query.after;
  const window = query.diversity ? Math.max(query.diversity.window, 0) : 0;
  const offset = after?.kind === "offset" ? after.offset : 0;
  // Diversity may have to reach far below the window to fill it from other groups: keep a deeper list.
  const capacity = query.diversity
    ? Math.min(Math.max(index.size, 1), Math.max(window * 20, offset + query.first + 1))
    : offset + query.first + 1;
  const top = new TopK(capacity);
  const costValue = query.costValue?.size ? query.costValue : null;
  // Few creators have a fee: a flag per influencer id keeps the per-account test to one array read.
  let feeFlags: Uint8Array | null = null;
  if (costValue) {
    let maxId = 0;
    for (const id of costValue.keys()) if (id > maxId) maxId = id;
    feeFlags = new Uint8Array(maxId + 1);
    for (const id of costValue.keys()) feeFlags[id] = 1;
  }
  const params: ScanParams = {
    platforms: lookup(f.platforms, 256),
    countries: lookup(f.countries, index.countries.list.length),
    languages: lookup(f.languages, index.languages.list.length),
    // Each filter reads its array only when the brief sets it.
    byFollowers: f.minFollowers !== undefined || f.maxFollowers !== undefined,
    minFollowers: f.minFollowers ?? Number.NEGATIVE_INFINITY,
    maxFollowers: f.maxFollowers ?? Number.POSITIVE_INFINITY,
    byRate: f.minEngagementRate !== undefined || f.maxEngagementRate !== undefined,
    minRate: f.minEngagementRate ?? Number.NEGATIVE_INFINITY,
    maxRate: f.maxEngagementRate ?? Number.POSITIVE_INFINITY,
    categoryMask: f.categoryMask ?? -1,
    byCredibility: f.minCredibility !== undefined,
    minCredibility: f.minCredibility ?? Number.NEGATIVE_INFINITY,
    byGrowth: f.minGrowth30d !== undefined,
    minGrowth: f.minGrowth30d ?? Number.NEGATIVE_INFINITY,
    verifiedOnly: Boolean(f.verifiedOnly),
    contact: f.hasContact === undefined ? -1 : f.hasContact ? 1 : 0,
    excludeInfluencers: f.excludeInfluencers?.size ? f.excludeInfluencers : null,
    excludeAccounts: f.excludeAccounts?.size ? f.excludeAccounts : null,
    criteria: query.audience.map((c) => ({
      columns: c.columns,
      required: c.required,
      // Shares are kept in 32 bits: a tolerance of 1e-6 keeps 0.4 from reading as above a cap of 0.4.
      min: c.target.minShare - SHARE_TOLERANCE,
      max: c.target.maxShare === undefined ? Number.POSITIVE_INFINITY : c.target.maxShare + SHARE_TOLERANCE,
    })),
    targets: query.audience.map((c) => c.target),
    // Set below when another list than the matches drives the scan.
    keywords: null,
    feeFlags,
    costValue,
    weights: w,
    // The always-applicable part of Σ w: each account adds the weights of the factors that apply to it.
    baseWeight: w.ENGAGEMENT + w.AUTHENTICITY + w.REACH + w.GROWTH + w.ACTIVITY,
    keywordWeight: query.keywords ? w.KEYWORD_RELEVANCE : 0,
    audienceWeight: query.audience.length ? w.AUDIENCE_FIT : 0,
    keyset: after?.kind === "keyset" ? after : null,
  };
  const anyFilter =
    params.platforms !== null || params.countries !== null || params.languages !== null || params.categoryMask !== -1 ||
    params.byFollowers || params.byRate || params.byCredibility || params.byGrowth || params.verifiedOnly || params.contact >= 0 ||
    params.excludeInfluencers !== null || params.excludeAccounts !== null || params.criteria.length > 0;

  let total: number;
  let before = 0;
  const driver = candidates(index, query);
  if (!driver && !anyFilter && !query.keywords && !params.audienceWeight && !params.keyset) {
    scanBroad(index, w, params.baseWeight, feeFlags, costValue, top);
    total = index.size;
  } else if (query.keywords) {
    if (driver !== query.keywords.slots) params.keywords = query.keywords.matches;
    const bounds = new KeywordBounds(driver ? driver.length : index.size, capacity, params.keyset);
    ({ total } = scan(index, driver, params, top, bounds));
    before = bounds.refine(query.keywords, top);
  } else {
    ({ total, before } = scan(index, driver, params, top, null));
  }

  let ordered = top.sorted();
  if (query.diversity) ordered = diversify(index, ordered, query.diversity);
  const start = params.keyset ? 0 : offset;
  const page = ordered.slice(start, start + query.first);
  const firstRank = (params.keyset ? before : offset) + 1;
  return {
    entries: page.map((e, i) => ({ slot: e.slot, score: e.score, rank: firstRank + i })),
    hasNextPage: ordered.length > start + query.first,
    totalCount: total,
  };
}

/**
 * The general scan: the brief's filters, then the score, over `driver` (candidate slots) or every slot. A plain
 * function with its parameters in locals and no closure, so V8 compiles the loop tightly.
 */
function scan(index: DiscoveryIndex, driver: Int32Array | null, p: ScanParams, top: TopK, bounds: KeywordBounds | null): { total: number; before: number } {
  const { platform, followers, engagementRate, country, language, categories, credibility, verified, growth30d, hasContact } = index;
  const { influencerId, accountId, vEngagement, vAuthenticity, vReach, vGrowth, vActivity, trust } = index;
  const { platforms, countries, languages, byFollowers, minFollowers, maxFollowers, byRate, minRate, maxRate, categoryMask } = p;
  const { byCredibility, minCredibility, byGrowth, minGrowth, verifiedOnly, contact, excludeInfluencers, excludeAccounts } = p;
  const { criteria, targets, keywords, feeFlags, costValue, baseWeight, keywordWeight, audienceWeight, keyset } = p;
  const wE = p.weights.ENGAGEMENT;
  const wA = p.weights.AUTHENTICITY;
  const wR = p.weights.REACH;
  const wG = p.weights.GROWTH;
  const wAct = p.weights.ACTIVITY;
  const wCost = p.weights.COST_EFFICIENCY;
  const feeLimit = feeFlags ? feeFlags.length : 0;
  const shares = new Array<number>(criteria.length).fill(0);
  const n = driver ? driver.length : index.size;
  let total = 0;
  let before = 0;
  let threshold = top.threshold;
  outer: for (let i = 0; i < n; i++) {
    const slot = driver ? driver[i]! : i;
    if (platforms !== null && platforms[platform[slot]!] === 0) continue;
    if (byFollowers) {
      const fl = followers[slot]!;
      if (fl < minFollowers || fl > maxFollowers) continue;
    }
    if (byRate) {
      const rate = engagementRate[slot]!;
      if (rate < minRate || rate > maxRate) continue;
    }
    if (countries !== null && countries[country[slot]!] === 0) continue;
    if (languages !== null && languages[language[slot]!] === 0) continue;
    if (categoryMask !== -1 && (categories[slot]! & categoryMask) === 0) continue;
    if (byCredibility && credibility[slot]! < minCredibility) continue;
    if (byGrowth && growth30d[slot]! < minGrowth) continue;
    if (verifiedOnly && verified[slot] === 0) continue;
    if (contact >= 0 && hasContact[slot] !== contact) continue;
    if (excludeInfluencers !== null && excludeInfluencers.has(influencerId[slot]!)) continue;
    if (excludeAccounts !== null && excludeAccounts.has(accountId[slot]!)) continue;
    for (let k = 0; k < criteria.length; k++) {
      const c = criteria[k]!;
      let sh = 0;
      for (let j = 0; j < c.columns.length; j++) sh += c.columns[j]![slot]!;
      if (c.required && (sh < c.min || sh > c.max)) continue outer;
      shares[k] = sh;
    }

    // A keyword brief keeps to the matches, also when a narrower list than theirs drives the scan.
    if (keywords !== null && keywords[slot] === 0) continue;

    let weight = baseWeight + keywordWeight + audienceWeight;
    let sum = wE * vEngagement[slot]! + wA * vAuthenticity[slot]! + wR * vReach[slot]! + wG * vGrowth[slot]! + wAct * vActivity[slot]!;
    if (audienceWeight !== 0) sum += audienceWeight * audienceFitValue(shares, targets);
    if (feeLimit !== 0) {
      const owner = influencerId[slot]!;
      if (owner < feeLimit && feeFlags![owner] === 1) {
        weight += wCost;
        sum += wCost * costValue!.get(owner)!;
      }
    }
    total++;
    const id = accountId[slot]!;
    if (bounds !== null) {
      // Relevance is not known yet: the score lies between relevance 0 and relevance 1.
      const factor = weight > 0 ? trust[slot]! / weight : 0;
      bounds.add(slot, id, factor * sum, factor * (sum + keywordWeight));
      continue;
    }
    const score = weight > 0 ? (trust[slot]! * sum) / weight : 0;
    if (keyset !== null && beforeCursor(score, id, keyset)) {
      before++;
      continue;
    }
    if (score < threshold) continue;
    top.offer(slot, score, id);
    threshold = top.threshold;
  }
  return { total, before };
}

/** Whether (score, id) ranks before a keyset cursor, or is the cursor (score descending, then account id ascending). */
function beforeCursor(score: number, id: number, keyset: { score: number; accountId: number }): boolean {
  return score > keyset.score || (score === keyset.score && id <= keyset.accountId);
}

/**
 * Relevance is asked for in batches (one read of the keyword documents each): first enough to fill the page, then
 * this many at a time, so that the walk stops within a few documents of where it can.
 */
const RELEVANCE_BATCH = 16;

/**
 * A keyword brief's candidates between two bounds: the score with relevance 0 (`low`) and with relevance 1 (`high`);
 * the exact score is low + (high − low) × relevance. `refine` computes relevance best bound first and stops as soon
 * as no remaining candidate can reach the page (or, with a keyset cursor, sort before it), so a brief matching
 * 100,000 accounts reads the relevance of a few hundred. Which candidates need it, as a test of the bounds:
 * - a candidate whose `high` is below the k-th best `low` of the candidates known to rank after the cursor can
 *   never make the page: it is dropped at once;
 * - the others are visited by `high`, descending, and the walk ends when the next `high` is below both the page's
 *   current threshold and the cursor's score.
 */
class KeywordBounds {
  private readonly slots: Int32Array;
  private readonly ids: Int32Array;
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private size = 0;
  /** The best `low`s of candidates surely after the cursor: the page's threshold is at least the k-th of them. */
  private readonly lows: TopK;
  private lowThreshold = Number.NEGATIVE_INFINITY;

  constructor(
    limit: number,
    capacity: number,
    private readonly keyset: { score: number; accountId: number } | null,
  ) {
    this.slots = new Int32Array(limit);
    this.ids = new Int32Array(limit);
    this.low = new Float64Array(limit);
    this.high = new Float64Array(limit);
    this.lows = new TopK(capacity);
  }

  add(slot: number, id: number, low: number, high: number): void {
    const i = this.size++;
    this.slots[i] = slot;
    this.ids[i] = id;
    this.low[i] = low;
    this.high[i] = high;
    if (low >= this.lowThreshold && (this.keyset === null || !beforeCursor(high, id, this.keyset))) {
      this.lows.offer(slot, low, id);
      this.lowThreshold = this.lows.threshold;
    }
  }

  /** Offers the exact scores that matter to `top`; returns how many candidates rank before the cursor. */
  refine(keywords: KeywordRelevance, top: TopK): number {
    const keyset = this.keyset;
    const floor = this.lows.threshold;
    let before = 0;
    const open: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (this.high[i]! < floor) continue;
      if (keyset !== null && beforeCursor(this.low[i]!, this.ids[i]!, keyset)) {
        // Before the cursor whatever the relevance.
        before++;
        continue;
      }
      open.push(i);
    }
    open.sort((a, b) => this.high[b]! - this.high[a]! || this.ids[a]! - this.ids[b]!);
    for (let start = 0; start < open.length; ) {
      const next = open[start]!;
      const beyondPage = this.high[next]! < top.threshold;
      const beyondCursor = keyset === null || !beforeCursor(this.high[next]!, this.ids[next]!, keyset);
      if (beyondPage && beyondCursor) break;
      const batch = open.slice(start, start + (start === 0 ? top.capacity + RELEVANCE_BATCH : RELEVANCE_BATCH));
      start += batch.length;
      const relevance = keywords.relevance(Int32Array.from(batch, (i) => this.slots[i]!));
      batch.forEach((i, k) => {
        const score = this.low[i]! + (this.high[i]! - this.low[i]!) * relevance[k]!;
        if (keyset !== null && beforeCursor(score, this.ids[i]!, keyset)) before++;
        else top.offer(this.slots[i]!, score, this.ids[i]!);
      });
    }
    return before;
  }
}

/**
 * A broad brief: the arithmetic of `rank`'s `consider` for the always-applicable factors (and fees), in a small
 * function of its own so V8 optimises the loop like a plain typed-array scan.
 */
function scanBroad(
  index: DiscoveryIndex,
  w: Weights,
  baseWeight: number,
  feeFlags: Uint8Array | null,
  costValue: ReadonlyMap<number, number> | null,
  top: TopK,
): void {
  const { vEngagement, vAuthenticity, vReach, vGrowth, vActivity, trust, accountId, influencerId } = index;
  const wE = w.ENGAGEMENT;
  const wA = w.AUTHENTICITY;
  const wR = w.REACH;
  const wG = w.GROWTH;
  const wAct = w.ACTIVITY;
  const wCost = w.COST_EFFICIENCY;
  const feeLimit = feeFlags ? feeFlags.length : 0;
  const size = index.size;
  let threshold = top.threshold;
  for (let slot = 0; slot < size; slot++) {
    let weight = baseWeight;
    let sum = wE * vEngagement[slot]! + wA * vAuthenticity[slot]! + wR * vReach[slot]! + wG * vGrowth[slot]! + wAct * vActivity[slot]!;
    if (feeLimit) {
      const owner = influencerId[slot]!;
      if (owner < feeLimit && feeFlags![owner] === 1) {
        weight += wCost;
        sum += wCost * costValue!.get(owner)!;
      }
    }
    const score = weight > 0 ? (trust[slot]! * sum) / weight : 0;
    // Most accounts fall below the page: test against the heap's threshold here rather than in a call.
    if (score < threshold) continue;
    top.offer(slot, score, accountId[slot]!);
    threshold = top.threshold;
  }
}

/**
 * Greedy re-ranking: walk the list best first and fill the top `window` positions, skipping an account while one of
 * its groups already holds `max(1, ⌊maxShare × window⌋)` of them; skipped accounts follow the window in score order.
 * (Maximal marginal relevance in its simplest form: Carbonell & Goldstein, SIGIR 1998.)
 */
export function diversify<T extends { slot: number }>(index: DiscoveryIndex, ordered: readonly T[], diversity: Diversity): T[] {
  const cap = Math.max(1, Math.floor(diversity.maxShare * diversity.window));
  const counts = new Map<number, number>();
  const groupsOf = (slot: number): number[] => {
    if (diversity.by === "COUNTRY") return [index.country[slot]!];
    const mask = index.categories[slot]!;
    const groups = [];
    for (let bit = 0; bit < 32; bit++) if (mask & (1 << bit)) groups.push(bit);
    return groups;
  };
  const head: T[] = [];
  const deferred: T[] = [];
  for (const entry of ordered) {
    if (head.length >= diversity.window) {
      deferred.push(entry);
      continue;
    }
    const groups = groupsOf(entry.slot);
    if (groups.some((g) => (counts.get(g) ?? 0) >= cap)) {
      deferred.push(entry);
      continue;
    }
    for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
    head.push(entry);
  }
  return [...head, ...deferred];
}

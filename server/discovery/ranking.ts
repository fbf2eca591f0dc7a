/**
 * The ranking scan: one pass over the discovery index applies the brief's filters, scores every remaining account
 * (factors.ts) and keeps the best page in a bounded heap, so a brief costs O(accounts × log page) with no sort of
 * the whole catalogue. Order: score descending, then account id ascending (deterministic ties, stable cursors).
 * Diversity re-ranks the top window greedily. No I/O: the service resolves keywords, audience columns and fees.
 */
import type { AudienceTarget, Factor, Weights } from "./factors.js";
import type { DiscoveryIndex } from "./discovery-index.js";

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
  /** A filter as well as a factor: accounts below `minShare` are left out. */
  required: boolean;
  /** Upper bound on the share (e.g. at most 40 % male); a filter when required, a penalty in the fit otherwise. */
  maxShare?: number;
}

export interface KeywordHit {
  relevance: number;
  matched: string[];
  snippet: string;
}

export interface Diversity {
  by: "CATEGORY" | "COUNTRY";
  /** At most this share of the window from one group. */
  maxShare: number;
  /** How many top results the rule covers. */
  window: number;
}

export type PagePosition = { kind: "keyset"; score: number; accountId: number } | { kind: "offset"; offset: number } | null;

export interface RankQuery {
  filters: RankFilters;
  /** Keyword matches by slot; when present, only these accounts are candidates. */
  keywords?: ReadonlyMap<number, KeywordHit>;
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
class TopK {
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

/** Audience fit of one slot: mean over criteria of min(1, share / minShare), times maxShare / share above a cap. */
export function audienceFitOf(criteria: readonly AudienceCriterion[], shares: readonly number[]): number {
  if (criteria.length === 0) return Number.NaN;
  let sum = 0;
  criteria.forEach((c, k) => {
    const s = shares[k]!;
    let fit = c.target.minShare > 0 ? Math.min(1, s / c.target.minShare) : 1;
    if (c.maxShare !== undefined && s > c.maxShare) fit *= c.maxShare / s;
    sum += fit;
  });
  return sum / criteria.length;
}

/** The factor values of one slot for a query (NaN: does not apply). */
export function factorValuesOf(index: DiscoveryIndex, query: RankQuery, slot: number, shares?: readonly number[]): Record<Factor, number> {
  const hit = query.keywords?.get(slot);
  const cost = query.costValue?.get(index.influencerId[slot]!);
  return {
    KEYWORD_RELEVANCE: query.keywords ? (hit?.relevance ?? 0) : Number.NaN,
    ENGAGEMENT: index.vEngagement[slot]!,
    AUDIENCE_FIT: audienceFitOf(query.audience, shares ?? audienceSharesOf(query.audience, slot)),
    AUTHENTICITY: index.vAuthenticity[slot]!,
    REACH: index.vReach[slot]!,
    GROWTH: index.vGrowth[slot]!,
    ACTIVITY: index.vActivity[slot]!,
    COST_EFFICIENCY: cost ?? Number.NaN,
  };
}

export function rank(index: DiscoveryIndex, query: RankQuery): RankResult {
  const f = query.filters;
  const w = query.weights;
  // The always-applicable part of Σ w: each account adds the weights of the factors that apply to it.
  const baseWeight = w.ENGAGEMENT + w.AUTHENTICITY + w.REACH + w.GROWTH + w.ACTIVITY;
  const keywordWeight = query.keywords ? w.KEYWORD_RELEVANCE : 0;
  const audienceWeight = query.audience.length ? w.AUDIENCE_FIT : 0;
  const after = query.after;
  const window = query.diversity ? Math.max(query.diversity.window, 0) : 0;
  const offset = after?.kind === "offset" ? after.offset : 0;
  // Diversity may have to reach far below the window to fill it from other groups: keep a deeper list.
  const capacity = query.diversity
    ? Math.min(Math.max(index.size, 1), Math.max(window * 20, offset + query.first + 1))
    : offset + query.first + 1;
  const top = new TopK(capacity);
  const shares = new Array<number>(query.audience.length).fill(0);
  let total = 0;
  let before = 0;

  const consider = (slot: number) => {
    if (f.platforms && !f.platforms.has(index.platform[slot]!)) return;
    const followers = index.followers[slot]!;
    if (f.minFollowers !== undefined && followers < f.minFollowers) return;
    if (f.maxFollowers !== undefined && followers > f.maxFollowers) return;
    const rate = index.engagementRate[slot]!;
    if (f.minEngagementRate !== undefined && rate < f.minEngagementRate) return;
    if (f.maxEngagementRate !== undefined && rate > f.maxEngagementRate) return;
    if (f.countries && !f.countries.has(index.country[slot]!)) return;
    if (f.languages && !f.languages.has(index.language[slot]!)) return;
    if (f.categoryMask !== undefined && (index.categories[slot]! & f.categoryMask) === 0) return;
    if (f.minCredibility !== undefined && index.credibility[slot]! < f.minCredibility) return;
    if (f.verifiedOnly && !index.verified[slot]) return;
    if (f.minGrowth30d !== undefined && index.growth30d[slot]! < f.minGrowth30d) return;
    if (f.hasContact !== undefined && Boolean(index.hasContact[slot]) !== f.hasContact) return;
    if (f.excludeInfluencers?.has(index.influencerId[slot]!)) return;
    if (f.excludeAccounts?.has(index.accountId[slot]!)) return;
    for (let k = 0; k < query.audience.length; k++) {
      const c = query.audience[k]!;
      let s = 0;
      for (const column of c.columns) s += column[slot]!;
      if (c.required && (s < c.target.minShare || (c.maxShare !== undefined && s > c.maxShare))) return;
      shares[k] = s;
    }

    let weight = baseWeight + keywordWeight + audienceWeight;
    let sum = w.ENGAGEMENT * index.vEngagement[slot]! + w.AUTHENTICITY * index.vAuthenticity[slot]! + w.REACH * index.vReach[slot]!;
    sum += w.GROWTH * index.vGrowth[slot]! + w.ACTIVITY * index.vActivity[slot]!;
    if (query.keywords) sum += keywordWeight * (query.keywords.get(slot)?.relevance ?? 0);
    if (audienceWeight) sum += audienceWeight * audienceFitOf(query.audience, shares);
    const cost = query.costValue?.get(index.influencerId[slot]!);
    if (cost !== undefined) {
      weight += w.COST_EFFICIENCY;
      sum += w.COST_EFFICIENCY * cost;
    }
    const score = weight > 0 ? (index.trust[slot]! * sum) / weight : 0;
    total++;
    const id = index.accountId[slot]!;
    if (after?.kind === "keyset") {
      if (score > after.score || (score === after.score && id <= after.accountId)) {
        before++;
        return;
      }
    }
    top.offer(slot, score, id);
  };

  if (query.keywords) for (const slot of query.keywords.keys()) consider(slot);
  else for (let slot = 0; slot < index.size; slot++) consider(slot);

  let ordered = top.sorted();
  if (query.diversity) ordered = diversify(index, ordered, query.diversity);
  const start = after?.kind === "keyset" ? 0 : offset;
  const page = ordered.slice(start, start + query.first);
  const firstRank = (after?.kind === "keyset" ? before : offset) + 1;
  return {
    entries: page.map((e, i) => ({ slot: e.slot, score: e.score, rank: firstRank + i })),
    hasNextPage: ordered.length > start + query.first,
    totalCount: total,
  };
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

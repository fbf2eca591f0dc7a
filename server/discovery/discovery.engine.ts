/**
 * The discovery engine: answers briefs and lookalike requests from the in-memory index (ranking.ts) and the
 * keyword index (keyword-search.ts, SQLite FTS5), and explains the page it returns. It runs in the discovery worker
 * (discovery.worker.ts), off the event loop that serves the rest of the API, on a read-only connection of its own.
 * Requests and answers are plain data: whatever is tenant-scoped (campaign exclusions, your fees) the service on
 * the main thread resolves first and sends along.
 */
import { createHash } from "node:crypto";

import { desc, eq } from "drizzle-orm";

import { socialAccounts } from "../../schema/tables.js";
import { PLATFORMS, type AudienceDimension, type CampaignObjective, type Category, type Platform } from "../../schema/enums.js";
import { parseId } from "../common/ids.js";
import { AUDIENCE_KEYS } from "../common/audience.js";
import { decodeCursor, encodeCursor, type PageInfo } from "../common/connection.js";
import type { Db } from "../db.js";
import { strongestFlagReasons } from "../engagement/flags.service.js";
import { BadUserInputError, NotFoundError } from "../errors.js";
import { AUDIENCE_BLOCK, CATEGORY_BIT, type DiscoveryIndex } from "./discovery-index.js";
import {
  activityReason,
  audienceFitReason,
  authenticityReason,
  combine,
  costEfficiencyReason,
  engagementReason,
  FACTORS,
  flagDrivesSuspicion,
  growthReason,
  reachReason,
  relevanceReason,
  resolveWeights,
  trustReason,
  WEIGHT_FIELDS,
  type Factor,
  type WeightField,
} from "./factors.js";
import { describeKeywordHits, hashtagsOfAccounts, matchKeywords } from "./keyword-search.js";
import { bitCount, categoriesOf, jaccard, similarityOf, SIMILARITY_ASPECTS, SIMILARITY_WEIGHTS, type SimilarityAspect } from "./similarity.js";
import {
  audienceSharesOf,
  factorValuesOf,
  rank,
  TopK,
  type AudienceCriterion,
  type KeywordRelevance,
  type PagePosition,
  type RankFilters,
  type RankQuery,
} from "./ranking.js";

/** A brief as plain data: the fields of the GraphQL `DiscoveryBrief` input (discovery.types.ts). */
export interface BriefShape {
  objective: CampaignObjective;
  keywords?: string | null;
  platforms?: Platform[] | null;
  minFollowers?: number | null;
  maxFollowers?: number | null;
  minEngagementRate?: number | null;
  maxEngagementRate?: number | null;
  creatorCountries?: string[] | null;
  creatorLanguages?: string[] | null;
  categories?: Category[] | null;
  audience?: { dimension: AudienceDimension; keys: string[]; minShare: number; maxShare?: number | null; required: boolean }[] | null;
  minAudienceCredibility?: number | null;
  verifiedOnly: boolean;
  minFollowerGrowth?: number | null;
  hasContact?: boolean | null;
  excludeInfluencerIds?: string[] | null;
  excludeCampaignId?: string | null;
  weights?: Partial<Record<WeightField, number | null>> | null;
  diversity?: { by: "CATEGORY" | "COUNTRY"; maxShare: number; window: number } | null;
}

/** What your organization's fees say about a creator's cost (cost efficiency). */
export interface CostInfo {
  value: number;
  cpmMinor: number;
  medianMinor: number;
  currency: string;
}

export interface DiscoverRequest {
  brief: BriefShape;
  /** Influencers of the campaign named by `brief.excludeCampaignId`, resolved for the caller's organization. */
  campaignInfluencerIds: number[];
  /** Cost details by influencer id, from the caller's organization's fees. */
  costs: [number, CostInfo][];
  first: number;
  after?: string;
}

export interface SimilarRequest {
  influencerId: number;
  first: number;
  after?: string;
  field: string;
}

export interface FactorExplanationShape {
  factor: Factor;
  value: number | null;
  weight: number;
  contribution: number;
  reason: string;
}

export interface DiscoveryEdgeShape {
  cursor: string;
  accountId: number;
  influencerId: number;
  rank: number;
  score: number;
  explanation: {
    factors: FactorExplanationShape[];
    trust: number;
    trustReason: string | null;
    matchedKeywords: string[];
    snippet: string | null;
  };
}

export interface DiscoveryPage {
  edges: DiscoveryEdgeShape[];
  pageInfo: PageInfo;
  totalCount: number;
}

export interface SimilarPage {
  edges: {
    cursor: string;
    influencerId: number;
    accountId: number;
    rank: number;
    similarity: number;
    explanation: { aspect: SimilarityAspect; value: number; weight: number; contribution: number; reason: string }[];
  }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Lookalike candidates rescored with hashtags (phase 2 of `similarInfluencers`). */
const LOOKALIKE_CANDIDATES = 500;

/** The reference side of a lookalike: per dimension, its five largest audience keys and their shares. */
export interface ReferenceAudience {
  /** Dimension names, in the order of `perDimension` values. */
  dimensions: string[];
  /** Share of the reference by audience key id (0 for keys not compared). */
  share: Float32Array;
  /** Index into `dimensions` by audience key id (-1 for keys not compared). */
  dimensionOf: Int8Array;
}

export function referenceAudience(index: DiscoveryIndex, slot: number): ReferenceAudience {
  const byDimension = new Map<string, { id: number; key: string; share: number }[]>();
  for (let e = index.audienceStart[slot]!; e < index.audienceStart[slot + 1]!; e++) {
    const id = index.audienceKey[e]!;
    const info = index.audienceKeys[id]!;
    const list = byDimension.get(info.dimension) ?? [];
    list.push({ id, key: info.key, share: index.audienceShare[e]! });
    byDimension.set(info.dimension, list);
  }
  const dimensions = [...byDimension.keys()].sort();
  const share = new Float32Array(index.audienceKeys.length);
  const dimensionOf = new Int8Array(index.audienceKeys.length).fill(-1);
  dimensions.forEach((dimension, d) => {
    const top = byDimension.get(dimension)!.sort((a, b) => b.share - a.share || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, 5);
    for (const entry of top) {
      share[entry.id] = entry.share;
      dimensionOf[entry.id] = d;
    }
  });
  return { dimensions, share, dimensionOf };
}

/** Histogram intersection with the reference per dimension (each capped at 1), for the page's explanations. */
export function audienceOverlap(index: DiscoveryIndex, reference: ReferenceAudience, slot: number): number[] {
  const overlap = new Array<number>(reference.dimensions.length).fill(0);
  for (let e = index.audienceStart[slot]!; e < index.audienceStart[slot + 1]!; e++) {
    const id = index.audienceKey[e]!;
    const d = reference.dimensionOf[id]!;
    if (d >= 0) overlap[d]! += Math.min(index.audienceShare[e]!, reference.share[id]!);
  }
  return overlap.map((x) => Math.min(1, x));
}

/**
 * Phase 1 of lookalikes: audience overlap (as audienceOverlap) and shared categories, best `capacity` kept,
 * exactly. Accounts are visited by blocks of similar ones (DiscoveryIndex.audienceBlocks), best block bound first; a
 * block whose bound (its members' largest shares and their categories) falls below the candidates' threshold ends
 * the scan, so most of the catalogue is never scored. A plain function with locals only, so the loops compile
 * tightly.
 */
export function lookalikeScan(index: DiscoveryIndex, exclude: number, reference: ReferenceAudience, referenceCategories: number, capacity: number): { slot: number; score: number; id: number }[] {
  const top = new TopK(capacity);
  const { influencerId: owners, categories, accountId, audienceStart: start, audienceKey: keys, audienceShare: shares } = index;
  const { share: referenceShare, dimensionOf } = reference;
  const dimensions = reference.dimensions.length;
  const wAudience = SIMILARITY_WEIGHTS.AUDIENCE / Math.max(dimensions, 1);
  const wCategories = SIMILARITY_WEIGHTS.CATEGORIES;
  const blocks = index.audienceBlocks();
  const { order, maxShare, keys: keyCount } = blocks;

  // A dimension's overlap is capped at 1, but it is Σ min(share, reference share) over the compared keys, at most
  // the reference's shares of them: when those sum to 1 or less in every dimension (shares of a dimension sum to 1),
  // the cap never applies and the overlap is one sum over the account's entries (reference share 0 for the keys not
  // compared). Otherwise each dimension is summed and capped apart.
  const compared: number[] = [];
  const referenceSum = new Float64Array(Math.max(dimensions, 1));
  for (let k = 0; k < dimensionOf.length; k++) {
    if (dimensionOf[k]! >= 0) {
      compared.push(k);
      referenceSum[dimensionOf[k]!]! += referenceShare[k]!;
    }
  }
  const uncapped = referenceSum.every((sum) => sum <= 1);
  const overlap = new Float64Array(Math.max(dimensions, 1));
  const audienceOf = (slot: number): number => {
    let audience = 0;
    if (uncapped) {
      for (let e = start[slot]!, last = start[slot + 1]!; e < last; e++) {
        const s = shares[e]!;
        const r = referenceShare[keys[e]!]!;
        audience += s < r ? s : r;
      }
      return audience;
    }
    overlap.fill(0);
    for (let e = start[slot]!, last = start[slot + 1]!; e < last; e++) {
      const d = dimensionOf[keys[e]!]!;
      if (d >= 0) {
        const s = shares[e]!;
        const r = referenceShare[keys[e]!]!;
        overlap[d]! += s < r ? s : r;
      }
    }
    for (let d = 0; d < dimensions; d++) audience += overlap[d]! > 1 ? 1 : overlap[d]!;
    return audience;
  };

  // Each block's bound: its largest share of each compared key, capped by the reference's (an upper bound of every
  // member's overlap, capped or not), and the categories it could share: for every member B, |A ∩ B| ≤ |A ∩ any| and
  // |A ∪ B| ≥ |A ∪ all|, so Jaccard ≤ their ratio. The epsilon covers summing in another order than the exact scores.
  // Blocks are taken by levels of that category bound, highest first; a level's blocks by their whole bound. A level
  // whose category bound plus the largest audience overlap there can be cannot beat the candidates ends the scan, so
  // the audience bounds of most blocks (those sharing little with the reference) are never computed.
  // Sorting is native, over doubles: a bound rounded up to 2⁻²⁴ (still an upper bound), then the block.
  const scale = 2 ** 24;
  const blockBits = 2 ** Math.max(1, Math.ceil(Math.log2(blocks.count + 1)));
  const roundedUp = (bound: number) => Math.ceil(Math.min(bound, 1) * scale);
  let audienceMost = 0;
  for (let d = 0; d < dimensions; d++) audienceMost += Math.min(1, referenceSum[d]!);
  const byCategories = new Float64Array(blocks.count);
  for (let b = 0; b < blocks.count; b++) {
    const union = bitCount(blocks.categoriesAll[b]! | referenceCategories);
    const shared = union === 0 ? 0 : Math.min(1, bitCount(blocks.categoriesAny[b]! & referenceCategories) / union);
    byCategories[b] = (scale - roundedUp(shared)) * blockBits + b;
  }
  byCategories.sort();
  const level = new Float64Array(blocks.count);

  for (let i = 0; i < blocks.count; ) {
    const levelKey = Math.floor(byCategories[i]! / blockBits);
    const categoryScore = (wCategories * (scale - levelKey)) / scale;
    // Strictly below: an equal score could still enter on a smaller account id.
    if (wAudience * audienceMost + categoryScore + 1e-9 < top.threshold) break;
    let n = 0;
    for (; i < blocks.count && Math.floor(byCategories[i]! / blockBits) === levelKey; i++) {
      const b = byCategories[i]! % blockBits;
      const base = b * keyCount;
      let audience = 0;
      for (let c = 0; c < compared.length; c++) {
        const k = compared[c]!;
        const m = maxShare[base + k]!;
        const r = referenceShare[k]!;
        audience += m < r ? m : r;
      }
      level[n++] = (scale - roundedUp(wAudience * audience + categoryScore + 1e-9)) * blockBits + b;
    }
    const ordered = level.subarray(0, n).sort();
    for (let t = 0; t < n; t++) {
      const b = ordered[t]! % blockBits;
      if ((scale - Math.floor(ordered[t]! / blockBits)) / scale < top.threshold) break;
      for (let at = b * AUDIENCE_BLOCK, end = Math.min(index.size, at + AUDIENCE_BLOCK); at < end; at++) {
        const slot = order[at]!;
        if (owners[slot] === exclude) continue;
        const score = wCategories * jaccard(referenceCategories, categories[slot]!);
        if (SIMILARITY_WEIGHTS.AUDIENCE + score < top.threshold) continue;
        top.offer(slot, wAudience * audienceOf(slot) + score, accountId[slot]!);
      }
    }
  }
  return top.sorted();
}

/** Jaccard index of two sorted, duplicate-free tag lists; 0 when both are empty. */
function sortedJaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const common = sharedHashtags(a, b).length;
  return common / (a.length + b.length - common);
}

/** The tags two sorted, duplicate-free lists have in common, sorted. */
function sharedHashtags(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out.push(a[i]!);
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return out;
}

/** Deeper pages than this with diversity (offset-based) are refused: ask a narrower brief instead. */
const MAX_DIVERSE_OFFSET = 1_000;

/** Keyword results kept per engine (one index version): briefs refined with the same keywords skip FTS5. */
const KEYWORD_CACHE_SIZE = 64;

export class DiscoveryEngine {
  private readonly keywordCache = new Map<string, KeywordRelevance>();

  constructor(
    readonly db: Db,
    readonly index: DiscoveryIndex,
  ) {}


  /** One page of a brief's ranking, each entry explained. */
  discover(request: DiscoverRequest): DiscoveryPage {
    const { brief, first, after } = request;
    const index = this.index;
    const list = `discover:${briefHash(brief)}:${index.version}`;
    const costs = new Map(request.costs);
    const query = this.toRankQuery(brief, request.campaignInfluencerIds, costs, first, after ? decodePosition(after, list, Boolean(brief.diversity)) : null);
    const result = rank(index, query);
    // Matched terms and snippets only for the page shown (they cost far more than relevance per hit).
    const details =
      query.keywords && brief.keywords
        ? describeKeywordHits(this.db, brief.keywords, result.entries.map((e) => index.accountId[e.slot]!), "brief.keywords")
        : new Map<number, { matched: string[]; snippet: string }>();
    // Where an engagement flag is what lowers trust, its reason explains it (one statement for the page).
    const flagged = new Set(
      result.entries
        .filter((e) => flagDrivesSuspicion(index.largestFollowerJump[e.slot]!, index.likesPerViewRise[e.slot]!, index.flagSuspicion[e.slot]!))
        .map((e) => index.accountId[e.slot]!),
    );
    const flagReasons = strongestFlagReasons(this.db, [...flagged]);
    const edges = result.entries.map((entry) => {
      const slot = entry.slot;
      const accountId = index.accountId[slot]!;
      const cursorKey: [number, number] = brief.diversity ? [entry.rank, accountId] : [entry.score, accountId];
      return {
        cursor: encodeCursor(list, cursorKey),
        accountId,
        influencerId: index.influencerId[slot]!,
        rank: entry.rank,
        score: entry.score,
        explanation: explain(index, query, slot, costs, details.get(accountId), flagged.has(accountId) ? flagReason(flagReasons, accountId) : null),
      };
    });
    return {
      edges,
      pageInfo: {
        hasNextPage: result.hasNextPage,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: result.totalCount,
    };
  }

  /** The brief as a ranking query; BAD_USER_INPUT naming the field for anything invalid. */
  private toRankQuery(
    brief: BriefShape,
    campaignInfluencerIds: readonly number[],
    costs: ReadonlyMap<number, CostInfo>,
    first: number,
    after: PagePosition,
  ): RankQuery {
    const index = this.index;
    const filters: RankFilters = {};
    const range = (field: string, value: number | undefined | null, min: number, max: number) => {
      if (value === undefined || value === null) return undefined;
      if (!Number.isFinite(value) || value < min || value > max) {
        throw new BadUserInputError(`brief.${field}`, `\`${field}\` must be between ${min} and ${max}.`);
      }
      return value;
    };
    filters.minFollowers = range("minFollowers", brief.minFollowers, 0, Number.MAX_SAFE_INTEGER);
    filters.maxFollowers = range("maxFollowers", brief.maxFollowers, 0, Number.MAX_SAFE_INTEGER);
    if (filters.minFollowers !== undefined && filters.maxFollowers !== undefined && filters.minFollowers > filters.maxFollowers) {
      throw new BadUserInputError("brief.maxFollowers", "`maxFollowers` must not be below `minFollowers`.");
    }
    filters.minEngagementRate = range("minEngagementRate", brief.minEngagementRate, 0, 10);
    filters.maxEngagementRate = range("maxEngagementRate", brief.maxEngagementRate, 0, 10);
    if (
      filters.minEngagementRate !== undefined &&
      filters.maxEngagementRate !== undefined &&
      filters.minEngagementRate > filters.maxEngagementRate
    ) {
      throw new BadUserInputError("brief.maxEngagementRate", "`maxEngagementRate` must not be below `minEngagementRate`.");
    }
    filters.minCredibility = range("minAudienceCredibility", brief.minAudienceCredibility, 0, 1);
    filters.minGrowth30d = range("minFollowerGrowth", brief.minFollowerGrowth, -1, 100);
    if (brief.platforms?.length) filters.platforms = new Set(brief.platforms.map((p) => PLATFORMS.indexOf(p)));
    if (brief.creatorCountries?.length) {
      filters.countries = codeSet(brief.creatorCountries, /^[A-Z]{2}$/, "brief.creatorCountries", "an ISO 3166-1 alpha-2 code such as US", (c) =>
        index.countries.lookup(c),
      );
    }
    if (brief.creatorLanguages?.length) {
      filters.languages = codeSet(brief.creatorLanguages, /^[a-z]{2}$/, "brief.creatorLanguages", "an ISO 639-1 code such as en", (c) =>
        index.languages.lookup(c),
      );
    }
    if (brief.categories?.length) filters.categoryMask = brief.categories.reduce((mask, c) => mask | CATEGORY_BIT[c], 0);
    if (brief.verifiedOnly) filters.verifiedOnly = true;
    if (brief.hasContact !== undefined && brief.hasContact !== null) filters.hasContact = brief.hasContact;
    const excluded = new Set((brief.excludeInfluencerIds ?? []).map((id, i) => parseId(id, `brief.excludeInfluencerIds.${i}`)));
    for (const id of campaignInfluencerIds) excluded.add(id);
    if (excluded.size) filters.excludeInfluencers = excluded;

    const audience: AudienceCriterion[] = (brief.audience ?? []).map((criterion, i) => {
      const field = `brief.audience.${i}`;
      if (criterion.keys.length === 0) throw new BadUserInputError(`${field}.keys`, "Give at least one key.");
      criterion.keys.forEach((key, k) => {
        if (!AUDIENCE_KEYS[criterion.dimension](key)) {
          throw new BadUserInputError(`${field}.keys.${k}`, `"${key}" is not a valid ${criterion.dimension} key.`);
        }
      });
      const minShare = range(`audience.${i}.minShare`, criterion.minShare, 0, 1) ?? 0;
      const maxShare = range(`audience.${i}.maxShare`, criterion.maxShare, 0, 1);
      if (maxShare !== undefined && maxShare < minShare) {
        throw new BadUserInputError(`${field}.maxShare`, "`maxShare` must not be below `minShare`.");
      }
      const keys = [...new Set(criterion.keys)];
      return {
        target: { dimension: criterion.dimension, keys, minShare, ...(maxShare !== undefined && { maxShare }) },
        columns: keys.map((key) => index.audienceColumn(criterion.dimension, key)),
        required: criterion.required,
      };
    });

    const explicit: Partial<Record<Factor, number>> = {};
    for (const [name, factor] of Object.entries(WEIGHT_FIELDS) as [WeightField, Factor][]) {
      const w = brief.weights?.[name];
      if (w !== undefined && w !== null) explicit[factor] = w;
    }
    const weights = resolveWeights(brief.objective, explicit);
    if (Array.isArray(weights)) {
      const [factor, message] = weights;
      const name = factor ? Object.entries(WEIGHT_FIELDS).find(([, f]) => f === factor)![0] : null;
      throw new BadUserInputError(name ? `brief.weights.${name}` : "brief.weights", message);
    }

    const keywords = brief.keywords !== undefined && brief.keywords !== null && brief.keywords.trim() !== "" ? this.keywordRelevance(brief.keywords) : undefined;

    if (brief.diversity) {
      range("diversity.maxShare", brief.diversity.maxShare, 0, 1);
      if (!(brief.diversity.maxShare > 0)) throw new BadUserInputError("brief.diversity.maxShare", "`maxShare` must be above 0.");
      if (after?.kind === "offset" && after.offset > MAX_DIVERSE_OFFSET) {
        throw new BadUserInputError("after", `With diversity, results go ${MAX_DIVERSE_OFFSET} deep at most.`);
      }
    }

    const applicable =
      weights.ENGAGEMENT + weights.AUTHENTICITY + weights.REACH + weights.GROWTH + weights.ACTIVITY +
      (keywords ? weights.KEYWORD_RELEVANCE : 0) + (audience.length ? weights.AUDIENCE_FIT : 0);
    if (applicable === 0) {
      throw new BadUserInputError(
        "brief.weights",
        "Every weight that applies to this brief is 0 (keyword relevance needs keywords, audience fit audience criteria, and cost efficiency alone would rank only creators you have fees for).",
      );
    }
    const costValue = new Map([...costs].map(([id, info]) => [id, info.value]));
    const query: RankQuery = {
      filters,
      ...(keywords && { keywords }),
      audience,
      weights,
      ...(costValue.size && { costValue }),
      ...(brief.diversity && { diversity: { by: brief.diversity.by, maxShare: brief.diversity.maxShare, window: brief.diversity.window } }),
      first,
      after,
    };
    return query;
  }

  /**
   * Keyword relevance by slot: FTS5's best matches (keyword-search.ts), cached per keywords text. bm25 over every
   * match of a common word is most of a keyword brief's time, and agencies refine a brief (platform, country,
   * weights) or page through it with the same keywords. The cache lives as long as this index version.
   */
  private keywordRelevance(keywords: string): KeywordRelevance {
    const cached = this.keywordCache.get(keywords);
    if (cached) {
      // Most recently used last: Map keeps insertion order, so the first key is the one to evict.
      this.keywordCache.delete(keywords);
      this.keywordCache.set(keywords, cached);
      return cached;
    }
    const found = matchKeywords(this.db, keywords, "brief.keywords");
    const index = this.index;
    const sorted = index.slotsOfSorted(found.accountIds);
    const relevance: KeywordRelevance = {
      slots: sorted,
      // A byte per account of the catalogue, made for the query that asks (a filter narrower than the matches drives
      // its scan) and not kept: the cache holds 64 keyword texts.
      get matches() {
        const matches = new Uint8Array(index.size);
        for (const slot of sorted) matches[slot] = 1;
        return matches;
      },
      relevance: (of) => found.relevance(Array.from(of, (slot) => index.accountId[slot]!)),
    };
    if (this.keywordCache.size >= KEYWORD_CACHE_SIZE) this.keywordCache.delete(this.keywordCache.keys().next().value!);
    this.keywordCache.set(keywords, relevance);
    return relevance;
  }

  /**
   * Creators like a given one (similarity.ts): every other creator's best account, most similar first, each with
   * its similarity per aspect explained. Pages by rank (the list is fixed for a given index version).
   */
  similar({ influencerId, first, after, field }: SimilarRequest): SimilarPage {
    const index = this.index;
    const accounts = this.db
      .select({ id: socialAccounts.id })
      .from(socialAccounts)
      .where(eq(socialAccounts.influencerId, influencerId))
      .orderBy(desc(socialAccounts.followers), socialAccounts.id)
      .all();
    const referenceSlot = accounts.map((a) => index.slotOf(a.id)).find((slot) => slot !== undefined);
    if (referenceSlot === undefined) throw new NotFoundError("Influencer", influencerId, field);
    const list = `similar:${influencerId}:${index.version}`;
    const offset = after ? decodeOffset(after, list) : 0;
    if (offset > MAX_DIVERSE_OFFSET) throw new BadUserInputError("after", `Lookalikes go ${MAX_DIVERSE_OFFSET} deep at most.`);

    const reference = referenceAudience(index, referenceSlot);
    const referenceCategories = index.categories[referenceSlot]!;
    const { influencerId: owners, categories, accountId } = index;
    const needed = offset + first + 1;
    const capacity = Math.min(Math.max(index.size, 1), Math.max(LOOKALIKE_CANDIDATES, needed * PLATFORMS.length));
    // Every other creator is compared.
    const total = index.influencerCount - 1;
    const partial = lookalikeScan(index, influencerId, reference, referenceCategories, capacity);

    // Phase 2, the candidates only: hashtags in common (Jaccard) re-rank them (a re-ranking stage, as retrieval
    // systems do: an account outside them would need a near-perfect hashtag match to overtake, and is not looked
    // at), then the best account per creator.
    const hashtags = this.hashtagsOf(referenceSlot, partial.map((e) => e.slot));
    const referenceTags = hashtags.get(referenceSlot) ?? [];
    const scored = partial.map((e) => {
      const content = sortedJaccard(referenceTags, hashtags.get(e.slot) ?? []);
      return { slot: e.slot, id: e.id, score: e.score + SIMILARITY_WEIGHTS.CONTENT * content, content };
    });
    scored.sort((x, y) => y.score - x.score || x.id - y.id);
    const seen = new Set<number>();
    const ordered = scored.filter((e) => !seen.has(owners[e.slot]!) && (seen.add(owners[e.slot]!), true));
    const page = ordered.slice(offset, offset + first);
    const edges = page.map((entry, i) => {
      const rank = offset + i + 1;
      const slot = entry.slot;
      const perDimension = audienceOverlap(index, reference, slot);
      const audience = perDimension.length ? perDimension.reduce((a, b) => a + b, 0) / perDimension.length : 0;
      const values: Record<SimilarityAspect, number> = {
        AUDIENCE: audience,
        CATEGORIES: jaccard(referenceCategories, categories[slot]!),
        CONTENT: entry.content,
      };
      const common = categoriesOf(referenceCategories & categories[slot]!);
      const sharedTags = sharedHashtags(referenceTags, hashtags.get(slot) ?? []).slice(0, 5);
      return {
        cursor: encodeCursor(list, [rank, accountId[slot]!]),
        influencerId: owners[slot]!,
        accountId: accountId[slot]!,
        rank,
        similarity: similarityOf(values),
        explanation: SIMILARITY_ASPECTS.map((aspect) => ({
          aspect,
          value: values[aspect],
          weight: SIMILARITY_WEIGHTS[aspect],
          contribution: SIMILARITY_WEIGHTS[aspect] * values[aspect],
          reason:
            aspect === "AUDIENCE"
              ? `audience overlap ${Math.round(audience * 100)}% (${reference.dimensions.map((name, k) => `${name.toLowerCase()} ${Math.round(perDimension[k]! * 100)}%`).join(", ")})`
              : aspect === "CATEGORIES"
                ? common.length
                  ? `shares ${common.join(", ")} (${common.length} of ${categoriesOf(referenceCategories | categories[slot]!).length} categories)`
                  : "no categories in common"
                : sharedTags.length
                  ? `also uses ${sharedTags.map((t) => `#${t}`).join(", ")}`
                  : referenceTags.length
                    ? "no hashtags in common"
                    : "the reference has no hashtags",
        })),
      };
    });
    return {
      edges,
      pageInfo: {
        hasNextPage: ordered.length > offset + first,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      totalCount: total,
    };
  }

  /**
   * The hashtags of the reference and the candidates, sorted, by slot: from the index's account hashtags, or, for a
   * database indexed before those existed, from the search documents.
   */
  private hashtagsOf(referenceSlot: number, slots: readonly number[]): Map<number, string[]> {
    const index = this.index;
    const out = new Map<number, string[]>();
    const all = [referenceSlot, ...slots];
    const tags = index.accountHashtags();
    if (tags) {
      for (const slot of all) {
        const names: string[] = [];
        for (let e = tags.start[slot]!; e < tags.start[slot + 1]!; e++) names.push(tags.names[tags.ids[e]!]!);
        out.set(slot, names.sort());
      }
      return out;
    }
    const byAccount = hashtagsOfAccounts(this.db, all.map((slot) => index.accountId[slot]!));
    for (const slot of all) out.set(slot, [...(byAccount.get(index.accountId[slot]!) ?? [])].sort());
    return out;
  }

}


function codeSet(codes: string[], pattern: RegExp, field: string, what: string, lookup: (code: string) => number | undefined): Set<number> {
  const set = new Set<number>();
  codes.forEach((code, i) => {
    if (!pattern.test(code)) throw new BadUserInputError(`${field}.${i}`, `"${code.slice(0, 20)}" is not ${what}.`);
    const id = lookup(code);
    // A code no creator has matches nothing, rather than being an error.
    if (id !== undefined) set.add(id);
  });
  return set.size ? set : new Set([-1]);
}

/** A short, stable hash of the brief: a cursor of one brief is refused by another. */
function briefHash(brief: BriefShape): string {
  const canonical = JSON.stringify(brief, (_key, value) =>
    value && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort()) : value,
  );
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 12);
}

/** A campaign keyword or hashtag as one literal term of the keyword query language: a plain word as is, else quoted. */
function quoteTerm(term: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(term) && term !== "OR" ? term : `"${term.replaceAll('"', " ")}"`;
}

function decodeOffset(cursor: string, list: string): number {
  const [key] = decodeCursor(cursor, list);
  if (typeof key !== "number" || !Number.isInteger(key) || key < 0) throw new BadUserInputError("after", "The cursor is not valid for this list.");
  return key;
}

function decodePosition(cursor: string, list: string, diverse: boolean): PagePosition {
  const [key, accountId] = decodeCursor(cursor, list);
  if (typeof key !== "number") throw new BadUserInputError("after", "The cursor is not valid for this brief.");
  return diverse ? { kind: "offset", offset: key } : { kind: "keyset", score: key, accountId };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A flag's reason; the flags may have been refreshed since the index was built, hence the fallback. */
function flagReason(reasons: ReadonlyMap<number, string>, accountId: number): string {
  return reasons.get(accountId) ?? "suspicious engagement (see the account's flags)";
}

function explain(
  index: DiscoveryIndex,
  query: RankQuery,
  slot: number,
  costs: ReadonlyMap<number, CostInfo>,
  hit: { matched: string[]; snippet: string } | undefined,
  /** The reason of the account's strongest engagement flag, when that flag sets its suspicion. */
  flag: string | null,
): DiscoveryEdgeShape["explanation"] {
  const shares = audienceSharesOf(query.audience, slot);
  const values = factorValuesOf(index, query, slot, shares);
  const trust = index.trust[slot]!;
  const { contributions, applied } = combine(values, query.weights, trust);
  const platform = index.platformOf(slot);
  const days = index.daysSinceLastPost[slot]!;
  const cost = costs.get(index.influencerId[slot]!);
  const reasons: Record<Factor, string> = {
    KEYWORD_RELEVANCE: query.keywords ? relevanceReason(hit?.matched ?? []) : "no keywords in the brief",
    ENGAGEMENT: engagementReason(index.basisEngagementRate[slot]!, index.peerMedianOf(slot), platform, index.tierOf(slot)),
    AUDIENCE_FIT: query.audience.length ? audienceFitReason(shares, query.audience.map((c) => c.target)) : "no audience criteria in the brief",
    AUTHENTICITY: authenticityReason(index.credibility[slot]!, index.largestFollowerJump[slot]!, index.likesPerViewRise[slot]!, flag),
    REACH: reachReason(index.followers[slot]!),
    GROWTH: growthReason(index.growth30d[slot]!),
    ACTIVITY: activityReason(index.postsLast30d[slot]!, Number.isNaN(days) ? null : days),
    COST_EFFICIENCY: cost ? costEfficiencyReason(cost.cpmMinor, cost.medianMinor, cost.currency) : "no fee agreed with your organization",
  };
  return {
    factors: FACTORS.map((factor) => ({
      factor,
      value: Number.isNaN(values[factor]) ? null : round6(values[factor]),
      weight: round6(applied[factor]),
      contribution: contributions[factor],
      reason: reasons[factor],
    })),
    // Values are stored as 32-bit floats: shown to 6 decimals, so 0.2 reads 0.2, not 0.2000000029.
    trust: round6(trust),
    trustReason: trust < 1 ? trustReason(index.largestFollowerJump[slot]!, index.likesPerViewRise[slot]!, trust, flag) : null,
    matchedKeywords: hit?.matched ?? [],
    snippet: hit ? hit.snippet : null,
  };
}

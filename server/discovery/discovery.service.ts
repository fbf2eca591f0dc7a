/**
 * Discovery: validates a brief, turns it into a ranking query over the in-memory index (ranking.ts), and explains
 * the page it returns. SQL here is limited to what is tenant-scoped (campaign exclusions, your fees) and to
 * keeping the index current; the keyword search has its own module (keyword-search.ts, SQLite FTS5).
 */
import { createHash } from "node:crypto";

import { and, desc, eq, isNotNull } from "drizzle-orm";

import { PLATFORMS, type AudienceDimension } from "../../schema/enums.js";
import { audienceShares, campaigns, collaborations, influencers, socialAccounts } from "../../schema/tables.js";
import type { Actor } from "../access/actor.js";
import { AUDIENCE_KEYS } from "../common/audience.js";
import { decodeCursor, encodeCursor, type PageInfo } from "../common/connection.js";
import { parseId } from "../common/ids.js";
import type { Db } from "../db.js";
import { BadUserInputError, NotFoundError } from "../errors.js";
import { CATEGORY_BIT, DiscoveryIndex, latestRefresh } from "./discovery-index.js";
import type { CampaignRow } from "../campaigns/campaign.service.js";
import { DiscoveryBrief, WEIGHT_FIELDS } from "./discovery.types.js";
import {
  activityReason,
  audienceFitReason,
  authenticityReason,
  combine,
  costEfficiencyReason,
  costEfficiencyValue,
  engagementReason,
  FACTORS,
  growthReason,
  reachReason,
  relevanceReason,
  resolveWeights,
  trustReason,
  type Factor,
} from "./factors.js";
import { median } from "./features.js";
import { describeKeywordHits, hashtagsOfAccounts, searchKeywords } from "./keyword-search.js";
import { categoriesOf, jaccard, similarityOf, SIMILARITY_ASPECTS, SIMILARITY_WEIGHTS, type SimilarityAspect } from "./similarity.js";
import {
  audienceSharesOf,
  factorValuesOf,
  rank,
  TopK,
  type AudienceCriterion,
  type KeywordHit,
  type PagePosition,
  type RankFilters,
  type RankQuery,
} from "./ranking.js";

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
const LOOKALIKE_CANDIDATES = 2_000;

/**
 * Phase 1 of lookalikes over every account: audience overlap (histogram intersection per dimension) and shared
 * categories, kept in a bounded heap. A plain function with locals only, so the loop compiles tightly.
 */
function lookalikeScan(
  index: DiscoveryIndex,
  exclude: number,
  columns: Float32Array[],
  reference: number[],
  dimensionEnds: Int32Array,
  wAudience: number,
  referenceCategories: number,
  capacity: number,
): { slot: number; score: number; id: number }[] {
  const top = new TopK(capacity);
  const { influencerId: owners, categories, accountId } = index;
  const wCategories = SIMILARITY_WEIGHTS.CATEGORIES;
  const dimensions = dimensionEnds.length;
  const size = index.size;
  for (let slot = 0; slot < size; slot++) {
    if (owners[slot] === exclude) continue;
    let audience = 0;
    let k = 0;
    for (let d = 0; d < dimensions; d++) {
      let overlap = 0;
      const endOfDimension = dimensionEnds[d]!;
      for (; k < endOfDimension; k++) {
        const share = columns[k]![slot]!;
        const ref = reference[k]!;
        overlap += share < ref ? share : ref;
      }
      audience += overlap > 1 ? 1 : overlap;
    }
    top.offer(slot, wAudience * audience + wCategories * jaccard(referenceCategories, categories[slot]!), accountId[slot]!);
  }
  return top.sorted();
}

/** Jaccard index of two tag sets; 0 when both are empty or one is missing. */
function setJaccard(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): number {
  if (!b || (a.size === 0 && b.size === 0)) return 0;
  let common = 0;
  for (const tag of a) if (b.has(tag)) common++;
  return common / (a.size + b.size - common);
}

/** A campaign's target countries become a soft criterion: at least this share of the audience in them. */
const CAMPAIGN_COUNTRY_SHARE = 0.3;

interface CostInfo {
  value: number;
  cpmMinor: number;
  medianMinor: number;
  currency: string;
}

/** Deeper pages than this with diversity (offset-based) are refused: ask a narrower brief instead. */
const MAX_DIVERSE_OFFSET = 1_000;

export class DiscoveryService {
  private index: DiscoveryIndex | null = null;

  constructor(readonly db: Db) {}

  /** The index for the latest feature refresh; rebuilt when a newer refresh exists. */
  currentIndex(): DiscoveryIndex {
    const latest = latestRefresh(this.db);
    if (!this.index || this.index.version !== latest.version) this.index = new DiscoveryIndex(this.db, latest.version, latest.asOf);
    return this.index;
  }

  discover(actor: Actor, brief: DiscoveryBrief, first: number, after: string | undefined): DiscoveryPage {
    const index = this.currentIndex();
    const list = `discover:${briefHash(brief)}:${index.version}`;
    const { query, costs, keywordHits } = this.toRankQuery(actor, index, brief, first, after ? decodePosition(after, list, Boolean(brief.diversity)) : null);
    const result = rank(index, query);
    if (keywordHits && brief.keywords) {
      // Matched terms and snippets only for the page shown.
      const details = describeKeywordHits(this.db, brief.keywords, result.entries.map((e) => index.accountId[e.slot]!), "brief.keywords");
      for (const entry of result.entries) {
        const hit = keywordHits.get(entry.slot);
        const found = details.get(index.accountId[entry.slot]!);
        if (hit && found) keywordHits.set(entry.slot, { ...hit, matched: found.matched, snippet: found.snippet });
      }
    }
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
        explanation: explain(index, query, slot, costs),
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

  /** The brief as a ranking query, with the cost details its explanations quote. */
  private toRankQuery(
    actor: Actor,
    index: DiscoveryIndex,
    brief: DiscoveryBrief,
    first: number,
    after: PagePosition,
  ): { query: RankQuery; costs: Map<number, CostInfo>; keywordHits: Map<number, KeywordHit> | undefined } {
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
    if (brief.excludeCampaignId !== undefined && brief.excludeCampaignId !== null) {
      for (const id of this.influencersInCampaign(actor, parseId(brief.excludeCampaignId, "brief.excludeCampaignId"), "brief.excludeCampaignId")) {
        excluded.add(id);
      }
    }
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
    for (const [name, factor] of Object.entries(WEIGHT_FIELDS) as [keyof typeof WEIGHT_FIELDS, Factor][]) {
      const w = brief.weights?.[name];
      if (w !== undefined && w !== null) explicit[factor] = w;
    }
    const weights = resolveWeights(brief.objective, explicit);
    if (Array.isArray(weights)) {
      const [factor, message] = weights;
      const name = factor ? Object.entries(WEIGHT_FIELDS).find(([, f]) => f === factor)![0] : null;
      throw new BadUserInputError(name ? `brief.weights.${name}` : "brief.weights", message);
    }

    let keywords: Map<number, KeywordHit> | undefined;
    if (brief.keywords !== undefined && brief.keywords !== null && brief.keywords.trim() !== "") {
      keywords = new Map();
      for (const hit of searchKeywords(this.db, brief.keywords, { field: "brief.keywords", details: false })) {
        const slot = index.slotOf(hit.accountId);
        if (slot !== undefined) keywords.set(slot, { relevance: hit.relevance, matched: hit.matched, snippet: hit.snippet });
      }
    }

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
    const costs = this.costInfo(actor);
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
    return { query, costs, keywordHits: keywords };
  }

  /**
   * Creators like a given one (similarity.ts): every other creator's best account, most similar first, each with
   * its similarity per aspect explained. Pages by rank (the list is fixed for a given index version).
   */
  similarInfluencers(influencerId: number, first: number, after: string | undefined, field = "influencerId"): SimilarPage {
    const index = this.currentIndex();
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

    // The reference audience: per dimension, its five largest keys and their shares.
    const shares = this.db
      .select({ dimension: audienceShares.dimension, key: audienceShares.key, share: audienceShares.share })
      .from(audienceShares)
      .where(eq(audienceShares.accountId, index.accountId[referenceSlot]!))
      .orderBy(audienceShares.dimension, desc(audienceShares.share), audienceShares.key)
      .all();
    const dimensions = new Map<string, { keys: string[]; reference: number[]; columns: Float32Array[] }>();
    for (const row of shares) {
      const d = dimensions.get(row.dimension) ?? { keys: [], reference: [], columns: [] };
      if (d.keys.length >= 5) continue;
      d.keys.push(row.key);
      d.reference.push(row.share);
      d.columns.push(index.audienceColumn(row.dimension, row.key));
      dimensions.set(row.dimension, d);
    }
    const dims = [...dimensions.entries()];

    const referenceCategories = index.categories[referenceSlot]!;
    const referenceTags = hashtagsOfAccounts(this.db, [index.accountId[referenceSlot]!]).get(index.accountId[referenceSlot]!) ?? new Set<string>();
    const audienceOf = (slot: number) => {
      const perDimension = dims.map(([, d]) => Math.min(1, d.columns.reduce((sum, column, k) => sum + Math.min(d.reference[k]!, column[slot]!), 0)));
      return { audience: dims.length ? perDimension.reduce((a, b) => a + b, 0) / dims.length : 0, perDimension };
    };

    // Phase 1, every account: audience and categories (80 % of the similarity), from memory, no allocation.
    const columns = dims.flatMap(([, d]) => d.columns);
    const reference = dims.flatMap(([, d]) => d.reference);
    const dimensionEnds: number[] = [];
    let end = 0;
    for (const [, d] of dims) dimensionEnds.push((end += d.columns.length));
    const { influencerId: owners, categories, accountId } = index;
    const wAudience = SIMILARITY_WEIGHTS.AUDIENCE / Math.max(dims.length, 1);
    const needed = offset + first + 1;
    const capacity = Math.min(Math.max(index.size, 1), Math.max(LOOKALIKE_CANDIDATES, needed * PLATFORMS.length));
    // Every other creator is compared.
    const total = index.influencerCount - 1;
    const partial = lookalikeScan(index, influencerId, columns, reference, Int32Array.from(dimensionEnds), wAudience, referenceCategories, capacity);

    // Phase 2, the candidates only: hashtags in common (Jaccard) re-rank them (a re-ranking stage, as retrieval
    // systems do: an account outside them would need a near-perfect hashtag match to overtake, and is not looked
    // at), then the best account per creator.
    const tags = hashtagsOfAccounts(this.db, partial.map((e) => e.id));
    const scored = partial.map((e) => {
      const content = setJaccard(referenceTags, tags.get(e.id));
      return { slot: e.slot, id: e.id, score: e.score + SIMILARITY_WEIGHTS.CONTENT * content, content };
    });
    scored.sort((x, y) => y.score - x.score || x.id - y.id);
    const seen = new Set<number>();
    const ordered = scored.filter((e) => !seen.has(owners[e.slot]!) && (seen.add(owners[e.slot]!), true));
    const page = ordered.slice(offset, offset + first);
    const edges = page.map((entry, i) => {
      const rank = offset + i + 1;
      const slot = entry.slot;
      const { audience, perDimension } = audienceOf(slot);
      const values: Record<SimilarityAspect, number> = {
        AUDIENCE: audience,
        CATEGORIES: jaccard(referenceCategories, categories[slot]!),
        CONTENT: entry.content,
      };
      const common = categoriesOf(referenceCategories & categories[slot]!);
      const sharedTags = [...(tags.get(entry.id) ?? [])].filter((tag) => referenceTags.has(tag)).sort().slice(0, 5);
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
              ? `audience overlap ${Math.round(audience * 100)}% (${dims.map(([name], k) => `${name.toLowerCase()} ${Math.round(perDimension[k]! * 100)}%`).join(", ")})`
              : aspect === "CATEGORIES"
                ? common.length
                  ? `shares ${common.join(", ")} (${common.length} of ${categoriesOf(referenceCategories | categories[slot]!).length} categories)`
                  : "no categories in common"
                : sharedTags.length
                  ? `also uses ${sharedTags.map((t) => `#${t}`).join(", ")}`
                  : referenceTags.size
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
   * The brief a campaign implies: its objective, categories, keywords (any of them), audience targets and target
   * countries as soft audience criteria, leaving out creators already in it.
   */
  campaignBrief(campaign: CampaignRow): DiscoveryBrief {
    const audience = campaign.audienceTargets.map((t) => ({ dimension: t.dimension as AudienceDimension, keys: [t.key], minShare: t.minShare, required: false }));
    if (campaign.targetCountries.length) {
      audience.push({ dimension: "COUNTRY", keys: [...campaign.targetCountries], minShare: CAMPAIGN_COUNTRY_SHARE, required: false });
    }
    const brief = new DiscoveryBrief();
    Object.assign(brief, {
      objective: campaign.objective,
      verifiedOnly: false,
      excludeCampaignId: String(campaign.id),
      ...(campaign.categories.length && { categories: campaign.categories }),
      ...(campaign.keywords.length && { keywords: campaign.keywords.map(quoteTerm).join(" OR ") }),
      ...(audience.length && { audience }),
    });
    return brief;
  }

  /** Influencers already in a campaign of the caller's organization; another organization's campaign is NOT_FOUND. */
  influencersInCampaign(actor: Actor, campaignId: number, field: string): number[] {
    const campaign = this.db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.organizationId, actor.organizationId)))
      .get();
    if (!campaign) throw new NotFoundError("Campaign", campaignId, field);
    return this.db
      .select({ id: collaborations.influencerId })
      .from(collaborations)
      .where(eq(collaborations.campaignId, campaignId))
      .all()
      .map((r) => r.id);
  }

  /**
   * Cost per 1,000 followers from the fees your organization agreed (the latest per creator), valued against your
   * median in the same currency. Other organizations' fees never count: they are theirs.
   */
  private costInfo(actor: Actor): Map<number, CostInfo> {
    const rows = this.db
      .select({
        influencerId: collaborations.influencerId,
        fee: collaborations.feeAmount,
        currency: collaborations.feeCurrency,
        followers: influencers.totalFollowers,
      })
      .from(collaborations)
      .innerJoin(campaigns, eq(campaigns.id, collaborations.campaignId))
      .innerJoin(influencers, eq(influencers.id, collaborations.influencerId))
      .where(and(eq(campaigns.organizationId, actor.organizationId), isNotNull(collaborations.feeAmount), isNotNull(collaborations.feeCurrency)))
      .orderBy(desc(collaborations.id))
      .all();
    const latest = new Map<number, { cpm: number; currency: string }>();
    for (const row of rows) {
      if (latest.has(row.influencerId) || !row.fee || !row.currency || row.followers <= 0) continue;
      latest.set(row.influencerId, { cpm: row.fee / (row.followers / 1000), currency: row.currency });
    }
    const byCurrency = new Map<string, number[]>();
    for (const { cpm, currency } of latest.values()) {
      const list = byCurrency.get(currency) ?? [];
      list.push(cpm);
      byCurrency.set(currency, list);
    }
    const medians = new Map([...byCurrency].map(([currency, list]) => [currency, median(list)]));
    const out = new Map<number, CostInfo>();
    for (const [influencerId, { cpm, currency }] of latest) {
      const medianMinor = medians.get(currency)!;
      out.set(influencerId, { value: costEfficiencyValue(cpm, medianMinor), cpmMinor: cpm, medianMinor, currency });
    }
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
function briefHash(brief: DiscoveryBrief): string {
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

function explain(index: DiscoveryIndex, query: RankQuery, slot: number, costs: Map<number, CostInfo>): DiscoveryEdgeShape["explanation"] {
  const shares = audienceSharesOf(query.audience, slot);
  const values = factorValuesOf(index, query, slot, shares);
  const trust = index.trust[slot]!;
  const { contributions, applied } = combine(values, query.weights, trust);
  const platform = index.platformOf(slot);
  const days = index.daysSinceLastPost[slot]!;
  const hit = query.keywords?.get(slot);
  const cost = costs.get(index.influencerId[slot]!);
  const reasons: Record<Factor, string> = {
    KEYWORD_RELEVANCE: query.keywords ? relevanceReason(hit?.matched ?? []) : "no keywords in the brief",
    ENGAGEMENT: engagementReason(index.basisEngagementRate[slot]!, index.peerMedianOf(slot), platform, index.tierOf(slot)),
    AUDIENCE_FIT: query.audience.length ? audienceFitReason(shares, query.audience.map((c) => c.target)) : "no audience criteria in the brief",
    AUTHENTICITY: authenticityReason(index.credibility[slot]!, index.largestFollowerJump[slot]!, index.likesPerViewRise[slot]!),
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
    trustReason: trust < 1 ? trustReason(index.largestFollowerJump[slot]!, index.likesPerViewRise[slot]!, trust) : null,
    matchedKeywords: hit?.matched ?? [],
    snippet: hit?.snippet ?? null,
  };
}

/**
 * Discovery on the main thread: resolves what is tenant-scoped (a campaign's creators to leave out, your
 * organization's fees) and hands the brief to the discovery engine, which runs in a worker thread
 * (discovery.workers.ts) so a scan over a million accounts never blocks the rest of the API.
 */
import { and, desc, eq, isNotNull } from "drizzle-orm";

import type { AudienceDimension } from "../../schema/enums.js";
import { campaigns, collaborations, influencers } from "../../schema/tables.js";
import type { Actor } from "../access/actor.js";
import type { CampaignRow } from "../campaigns/campaign.service.js";
import { parseId } from "../common/ids.js";
import type { Db } from "../db.js";
import { NotFoundError } from "../errors.js";
import { latestRefresh } from "./discovery-index.js";
import type { BriefShape, CostInfo, DiscoveryPage, SimilarPage } from "./discovery.engine.js";
import { DiscoveryBrief } from "./discovery.types.js";
import { DiscoveryWorkers } from "./discovery.workers.js";
import { costEfficiencyValue } from "./factors.js";
import { median } from "./features.js";

/** A campaign's target countries become a soft criterion: at least this share of the audience in them. */
const CAMPAIGN_COUNTRY_SHARE = 0.3;

export class DiscoveryService {
  readonly workers: DiscoveryWorkers;

  constructor(readonly db: Db) {
    this.workers = new DiscoveryWorkers(db.$client.name, () => latestRefresh(db).version);
  }

  /** One page of the ranking for a brief, each entry explained (discovery.engine.ts). */
  async discover(actor: Actor, brief: BriefShape, first: number, after: string | undefined): Promise<DiscoveryPage> {
    const campaignInfluencerIds =
      brief.excludeCampaignId === undefined || brief.excludeCampaignId === null
        ? []
        : this.influencersInCampaign(actor, parseId(brief.excludeCampaignId, "brief.excludeCampaignId"), "brief.excludeCampaignId");
    return this.workers.call("discover", { brief, campaignInfluencerIds, costs: [...this.costInfo(actor)], first, ...(after !== undefined && { after }) });
  }

  /** Creators like a given one, most similar first, each aspect explained (discovery.engine.ts). */
  async similarInfluencers(influencerId: number, first: number, after: string | undefined, field = "influencerId"): Promise<SimilarPage> {
    return this.workers.call("similar", { influencerId, first, field, ...(after !== undefined && { after }) });
  }

  /** Waits until discovery answers from the latest feature refresh (a refresh swaps the index in the background). */
  sync() {
    return this.workers.sync();
  }

  /** The index being served (null before the first is built, or after its worker failed): for `/ready`. */
  indexStatus() {
    return this.workers.status;
  }

  close(): Promise<void> {
    return this.workers.close();
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

/** A campaign keyword or hashtag as one literal term of the keyword query language: a plain word as is, else quoted. */
function quoteTerm(term: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(term) && term !== "OR" ? term : `"${term.replaceAll('"', " ")}"`;
}

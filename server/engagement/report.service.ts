/**
 * The campaign report: what a campaign's money bought, in total, per creator and per day, from the roll-ups
 * (rollups.ts: a few rows per creator and day) plus fees and promo-code conversions. Formulas: metrics.ts.
 */
import type { Statement } from "better-sqlite3";

import type { Platform } from "../../schema/enums.js";
import type { Db } from "../db.js";
import { benchmarkEngagementRate, engagementBasis, tierOf, type EngagementBasis, type Tier } from "../discovery/benchmarks.js";
import { BadUserInputError } from "../errors.js";
import {
  addCounters,
  copyCounters,
  costPerEngagement,
  costPerMille,
  costPerView,
  earnedMediaValue,
  emptyCounters,
  engagementRateByFollowers,
  engagementRateByReach,
  engagementRateByViews,
  engagements,
  returnOnAdSpend,
  DEFAULT_EMV_VALUES,
  type Counters,
  type EmvValues,
} from "./metrics.js";
import { COUNTER_COLUMNS, countersAt, DAY_MS, SUM_OF_GAINS, utcDay } from "./rollups.js";

/** Collaboration statuses whose agreed fee is money committed: spend. */
export const SPEND_STATUSES = ["CONTRACTED", "CONTENT_SUBMITTED", "APPROVED", "PUBLISHED", "PAID"] as const;

export interface ReportCampaign {
  id: number;
  currency: string;
}

export interface ReportOptions {
  /** First UTC day counted (inclusive); default: the first day with data. */
  from?: Date | null;
  /** Last UTC day counted (inclusive); default: the last day with data. */
  to?: Date | null;
  emvValues?: Partial<EmvValues> | null;
}

/** Orders and revenue summed under a key (a collaboration or a day). */
interface Sales {
  orders: number;
  revenue: number;
}
const NO_SALES: Sales = { orders: 0, revenue: 0 };

/** [key, orders, revenue] rows by key. */
function salesByKey(rows: unknown[][]): Map<number, Sales> {
  return new Map((rows as [number, number, number][]).map(([key, orders, revenue]) => [key, { orders, revenue }]));
}

interface Amount {
  amountMinor: number;
  currency: string;
}

export interface PerformanceMetrics extends Counters {
  engagements: number;
  engagementRateByReach: number | null;
  engagementRateByViews: number | null;
  spend: Amount;
  costPerEngagementMinor: number | null;
  costPerMilleMinor: number | null;
  costPerViewMinor: number | null;
  earnedMediaValue: Amount;
  orders: number;
  revenue: Amount;
  returnOnAdSpend: number | null;
}

export interface CreatorBenchmark {
  platform: Platform;
  tier: Tier;
  basis: EngagementBasis;
  benchmarkRate: number;
  creatorRate: number | null;
  /** creatorRate / benchmarkRate. */
  ratio: number | null;
}

/** What a creator's own daily series needs from its report: the campaign and the period. */
export interface ReportScope {
  campaignId: number;
  currency: string;
  /** UTC days, inclusive; the safe-integer bounds when unlimited. */
  from: number;
  to: number;
}

export interface CreatorPerformance {
  influencerId: number;
  collaborationId: string;
  /** Shared by the report's creators; not a GraphQL field (the `daily` resolver reads it). */
  scope: ReportScope;
  followers: number;
  engagementRateByFollowers: number | null;
  metrics: PerformanceMetrics;
  benchmark: CreatorBenchmark | null;
}

export interface DailyPerformance extends Counters {
  day: Date;
  engagements: number;
  orders: number;
  revenue: Amount;
}

export interface CampaignPerformance {
  currency: string;
  from: Date | null;
  to: Date | null;
  emvValues: EmvValues;
  totals: PerformanceMetrics;
  creators: CreatorPerformance[];
  daily: DailyPerformance[];
}


export class CampaignReportService {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Db) {}

  /** The rows of a statement as arrays, prepared once per SQL text (compiling them cost more than running some). */
  private rows(sql: string, ...params: unknown[]): unknown[][] {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.$client.prepare(sql).raw()));
    return statement.all(...params) as unknown[][];
  }

  report(campaign: ReportCampaign, options: ReportOptions = {}): CampaignPerformance {
    const from = options.from ? utcDay(options.from.getTime()) : Number.MIN_SAFE_INTEGER;
    const to = options.to ? utcDay(options.to.getTime()) : Number.MAX_SAFE_INTEGER;
    if (from > to) throw new BadUserInputError("to", "`to` must not be before `from`.");
    const emvValues = { ...DEFAULT_EMV_VALUES, ...stripNulls(options.emvValues ?? {}) };
    for (const [name, value] of Object.entries(emvValues)) {
      if (!Number.isFinite(value) || value < 0) throw new BadUserInputError(`emvValues.${name}`, `\`${name}\` must be a non-negative amount.`);
    }

    // Rows come as arrays (raw): building named-key objects for 500 creators costs more than reading them.
    const collaborations = this.rows(
      "SELECT id, influencer_id, fee_amount, fee_currency, status FROM collaborations WHERE campaign_id = ? ORDER BY id",
      campaign.id,
    ) as [id: number, influencerId: number, feeAmount: number | null, feeCurrency: string | null, status: string][];
    const spendOf = ([, , feeAmount, feeCurrency, status]: (typeof collaborations)[number]) =>
      (SPEND_STATUSES as readonly string[]).includes(status) && feeAmount !== null && feeCurrency === campaign.currency ? feeAmount : 0;

    const byCreator = new Map<number, Counters>();
    // Without a period, the whole-campaign totals are rolled up already; with one, the period's days are summed.
    const creatorRows =
      options.from || options.to
        ? this.rows(`SELECT influencer_id, ${SUM_OF_GAINS} FROM campaign_creator_daily WHERE campaign_id = ? AND day BETWEEN ? AND ? GROUP BY influencer_id`, campaign.id, from, to)
        : this.rows(`SELECT influencer_id, ${COUNTER_COLUMNS} FROM campaign_creator_totals WHERE campaign_id = ?`, campaign.id);
    for (const row of creatorRows as number[][]) byCreator.set(row[0]!, countersAt(row, 1));
    const daily = this.rows(`SELECT day, ${COUNTER_COLUMNS} FROM campaign_daily WHERE campaign_id = ? AND day BETWEEN ? AND ? ORDER BY day`, campaign.id, from, to) as number[][];

    // Promo-code orders and revenue (in the campaign's currency only) per collaboration and per day, from the sales
    // roll-ups (migration 0007); a period's per-collaboration sums come from the conversions themselves.
    const revenueIn = "sum(CASE WHEN currency = ? THEN revenue ELSE 0 END)";
    const sales = salesByKey(
      options.from || options.to
        ? this.rows(
            `SELECT v.collaboration_id, sum(v.orders), sum(CASE WHEN v.currency = ? THEN v.revenue_amount ELSE 0 END)
             FROM conversions v JOIN collaborations c ON c.id = v.collaboration_id
             WHERE c.campaign_id = ? AND v.occurred_at >= ? AND v.occurred_at < ? GROUP BY 1`,
            campaign.currency,
            campaign.id,
            from,
            to === Number.MAX_SAFE_INTEGER ? to : to + DAY_MS,
          )
        : this.rows(`SELECT collaboration_id, sum(orders), ${revenueIn} FROM collaboration_sales WHERE campaign_id = ? GROUP BY 1`, campaign.currency, campaign.id),
    );
    const salesByDay = salesByKey(
      this.rows(`SELECT day, sum(orders), ${revenueIn} FROM campaign_daily_sales WHERE campaign_id = ? AND day BETWEEN ? AND ? GROUP BY 1`, campaign.currency, campaign.id, from, to),
    );

    // The accounts a creator published the campaign's posts from: their followers and the benchmark of the largest.
    const accounts = new Map<number, { followers: number; largest: { platform: Platform; followers: number } }>();
    const accountRows = this.rows(
      "SELECT influencer_id, platform, followers FROM social_accounts WHERE id IN (SELECT DISTINCT account_id FROM posts WHERE campaign_id = ?)",
      campaign.id,
    ) as [influencerId: number, platform: Platform, followers: number][];
    for (const [influencerId, platform, followers] of accountRows) {
      const entry = accounts.get(influencerId);
      if (!entry) accounts.set(influencerId, { followers, largest: { platform, followers } });
      else {
        entry.followers += followers;
        if (followers > entry.largest.followers) entry.largest = { platform, followers };
      }
    }

    const amount = (amountMinor: number): Amount => ({ amountMinor, currency: campaign.currency });
    const metrics = (counters: Counters, spendMinor: number, orders: number, revenueMinor: number): PerformanceMetrics =>
      Object.assign(copyCounters(counters), {
      engagements: engagements(counters),
      engagementRateByReach: engagementRateByReach(counters),
      engagementRateByViews: engagementRateByViews(counters),
      spend: amount(spendMinor),
      costPerEngagementMinor: costPerEngagement(spendMinor, counters),
      costPerMilleMinor: costPerMille(spendMinor, counters),
      costPerViewMinor: costPerView(spendMinor, counters),
      earnedMediaValue: amount(earnedMediaValue(counters, emvValues)),
      orders,
      revenue: amount(revenueMinor),
      returnOnAdSpend: returnOnAdSpend(revenueMinor, spendMinor),
      });

    const total = emptyCounters();
    let totalSpend = 0;
    let totalOrders = 0;
    let totalRevenue = 0;
    const scope: ReportScope = { campaignId: campaign.id, currency: campaign.currency, from, to };
    const creators = collaborations.map((collaboration): CreatorPerformance => {
      const [id, influencerId] = collaboration;
      const counters = byCreator.get(influencerId) ?? emptyCounters();
      const spend = spendOf(collaboration);
      const sold = sales.get(id) ?? NO_SALES;
      addCounters(total, counters);
      totalSpend += spend;
      totalOrders += sold.orders;
      totalRevenue += sold.revenue;
      const account = accounts.get(influencerId);
      const followers = account?.followers ?? 0;
      return {
        influencerId,
        collaborationId: String(id),
        scope,
        followers,
        engagementRateByFollowers: engagementRateByFollowers(counters, followers),
        metrics: metrics(counters, spend, sold.orders, sold.revenue),
        benchmark: account ? benchmarkOf(account.largest.platform, account.largest.followers, counters, followers) : null,
      };
    });

    return {
      currency: campaign.currency,
      from: options.from ? new Date(from) : null,
      to: options.to ? new Date(to) : null,
      emvValues,
      totals: metrics(total, totalSpend, totalOrders, totalRevenue),
      creators,
      daily: mergeDays(daily, salesByDay, campaign.currency),
    };
  }

  /**
   * Each creator's own daily series in a campaign report, in the order given: the creator's posts' gains per UTC day
   * (campaign_creator_daily) and its collaboration's orders per day, within the report's period.
   */
  creatorDaily(scope: ReportScope, creators: readonly { influencerId: number; collaborationId: string }[]): DailyPerformance[][] {
    const influencerIds = JSON.stringify(creators.map((c) => c.influencerId));
    const collaborationIds = JSON.stringify(creators.map((c) => Number(c.collaborationId)));
    const gains = this.rows(
      `SELECT influencer_id, day, ${COUNTER_COLUMNS} FROM campaign_creator_daily
       WHERE campaign_id = ? AND influencer_id IN (SELECT value FROM json_each(?)) AND day BETWEEN ? AND ? ORDER BY influencer_id, day`,
      scope.campaignId,
      influencerIds,
      scope.from,
      scope.to,
    ) as number[][];
    const sold = this.rows(
      `SELECT collaboration_id, occurred_at / ${DAY_MS} * ${DAY_MS}, sum(orders), sum(CASE WHEN currency = ? THEN revenue_amount ELSE 0 END)
       FROM conversions WHERE collaboration_id IN (SELECT value FROM json_each(?)) AND occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2`,
      scope.currency,
      collaborationIds,
      scope.from,
      scope.to === Number.MAX_SAFE_INTEGER ? scope.to : scope.to + DAY_MS,
    ) as [collaborationId: number, day: number, orders: number, revenue: number][];
    const gainsOf = new Map<number, number[][]>();
    for (const row of gains) {
      const list = gainsOf.get(row[0]!);
      if (list) list.push(row.slice(1));
      else gainsOf.set(row[0]!, [row.slice(1)]);
    }
    const salesOf = new Map<number, Map<number, Sales>>();
    for (const [collaborationId, day, orders, revenue] of sold) {
      let days = salesOf.get(collaborationId);
      if (!days) salesOf.set(collaborationId, (days = new Map()));
      days.set(day, { orders, revenue });
    }
    return creators.map((c) => mergeDays(gainsOf.get(c.influencerId) ?? [], salesOf.get(Number(c.collaborationId)) ?? new Map(), scope.currency));
  }
}

/** The creator's rate on the platform's benchmark basis, next to the benchmark for the platform and tier. */
function benchmarkOf(platform: Platform, largestFollowers: number, counters: Counters, followers: number): CreatorBenchmark {
  const tier = tierOf(largestFollowers);
  const basis = engagementBasis(platform);
  const benchmarkRate = benchmarkEngagementRate(platform, tier);
  const creatorRate =
    basis === "VIEWS" ? (counters.views > 0 ? (counters.likes + counters.comments) / counters.views : null) : engagementRateByFollowers(counters, followers);
  return { platform, tier, basis, benchmarkRate, creatorRate, ratio: creatorRate === null ? null : creatorRate / benchmarkRate };
}

/** Days with metrics or sales, in order. */
function mergeDays(rows: number[][], sales: Map<number, Sales>, currency: string): DailyPerformance[] {
  const days = new Map<number, DailyPerformance>();
  const dayOf = (day: number, counters: Counters): DailyPerformance =>
    Object.assign(counters, { day: new Date(day), engagements: engagements(counters), orders: 0, revenue: { amountMinor: 0, currency } });
  for (const row of rows) days.set(row[0]!, dayOf(row[0]!, countersAt(row, 1)));
  for (const [day, s] of sales) {
    const entry = days.get(day) ?? dayOf(day, emptyCounters());
    entry.orders += s.orders;
    entry.revenue.amountMinor += s.revenue;
    days.set(day, entry);
  }
  return [...days.values()].sort((a, b) => a.day.getTime() - b.day.getTime());
}

function stripNulls<T extends object>(values: T): { [K in keyof T]: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined)) as never;
}

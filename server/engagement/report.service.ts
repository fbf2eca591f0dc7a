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
import { DAY_MS, SUM_OF_GAINS, utcDay } from "./rollups.js";

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
  k: number;
  orders: number;
  revenue: number;
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

export interface CreatorPerformance {
  influencerId: number;
  collaborationId: string;
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

  /** Prepared once per SQL text: compiling the report's statements cost more than running some of them. */
  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.$client.prepare(sql)));
    return statement;
  }

  report(campaign: ReportCampaign, options: ReportOptions = {}): CampaignPerformance {
    const from = options.from ? utcDay(options.from.getTime()) : Number.MIN_SAFE_INTEGER;
    const to = options.to ? utcDay(options.to.getTime()) : Number.MAX_SAFE_INTEGER;
    if (from > to) throw new BadUserInputError("to", "`to` must not be before `from`.");
    const emvValues = { ...DEFAULT_EMV_VALUES, ...stripNulls(options.emvValues ?? {}) };
    for (const [name, value] of Object.entries(emvValues)) {
      if (!Number.isFinite(value) || value < 0) throw new BadUserInputError(`emvValues.${name}`, `\`${name}\` must be a non-negative amount.`);
    }

    const collaborations = this.statement(
        `SELECT id, influencer_id AS influencerId, fee_amount AS feeAmount, fee_currency AS feeCurrency, status
         FROM collaborations WHERE campaign_id = ? ORDER BY id`,
      )
      .all(campaign.id) as { id: number; influencerId: number; feeAmount: number | null; feeCurrency: string | null; status: string }[];
    const spendOf = (c: (typeof collaborations)[number]) =>
      (SPEND_STATUSES as readonly string[]).includes(c.status) && c.feeAmount !== null && c.feeCurrency === campaign.currency ? c.feeAmount : 0;

    const byCreator = new Map<number, Counters>();
    // Without a period, the whole-campaign totals are rolled up already; with one, the period's days are summed.
    const creatorRows = (
      options.from || options.to
        ? this.statement(`SELECT influencer_id AS influencerId, ${SUM_OF_GAINS} FROM campaign_creator_daily WHERE campaign_id = ? AND day BETWEEN ? AND ? GROUP BY influencer_id`).all(campaign.id, from, to)
        : this.statement(
            `SELECT influencer_id AS influencerId, posts_published AS postsPublished, likes, comments, shares, saves, views, reach, impressions
             FROM campaign_creator_totals WHERE campaign_id = ?`,
          ).all(campaign.id)
    ) as ({ influencerId: number } & Counters)[];
    for (const row of creatorRows) byCreator.set(row.influencerId, copyCounters(row));
    const daily = this.statement(
        `SELECT day, posts_published AS postsPublished, likes, comments, shares, saves, views, reach, impressions
         FROM campaign_daily WHERE campaign_id = ? AND day BETWEEN ? AND ? ORDER BY day`,
      )
      .all(campaign.id, from, to) as ({ day: number } & Counters)[];

    // Promo-code orders and revenue (in the campaign's currency only) per collaboration and per day, from the sales
    // roll-ups (migration 0007); a period's per-collaboration sums come from the conversions themselves.
    const revenueIn = "sum(CASE WHEN currency = ? THEN revenue ELSE 0 END)";
    const salesRows = (
      options.from || options.to
        ? this.statement(
            `SELECT v.collaboration_id AS k, sum(v.orders) AS orders, sum(CASE WHEN v.currency = ? THEN v.revenue_amount ELSE 0 END) AS revenue
             FROM conversions v JOIN collaborations c ON c.id = v.collaboration_id
             WHERE c.campaign_id = ? AND v.occurred_at >= ? AND v.occurred_at < ? GROUP BY k`,
          ).all(campaign.currency, campaign.id, from, to === Number.MAX_SAFE_INTEGER ? to : to + DAY_MS)
        : this.statement(`SELECT collaboration_id AS k, sum(orders) AS orders, ${revenueIn} AS revenue FROM collaboration_sales WHERE campaign_id = ? GROUP BY k`).all(
            campaign.currency,
            campaign.id,
          )
    ) as Sales[];
    const sales = new Map(salesRows.map((r) => [r.k, r]));
    const salesByDay = new Map(
      (
        this.statement(
          `SELECT day AS k, sum(orders) AS orders, ${revenueIn} AS revenue FROM campaign_daily_sales WHERE campaign_id = ? AND day BETWEEN ? AND ? GROUP BY k`,
        ).all(campaign.currency, campaign.id, from, to) as Sales[]
      ).map((r) => [r.k, r]),
    );

    // The accounts a creator published the campaign's posts from: their followers and the benchmark of the largest.
    const accounts = new Map<number, { followers: number; largest: { platform: Platform; followers: number } }>();
    for (const a of this.statement(
        `SELECT influencer_id AS influencerId, platform, followers FROM social_accounts
         WHERE id IN (SELECT DISTINCT account_id FROM posts WHERE campaign_id = ?)`,
      )
      .all(campaign.id) as { influencerId: number; platform: Platform; followers: number }[]) {
      const entry = accounts.get(a.influencerId);
      if (!entry) accounts.set(a.influencerId, { followers: a.followers, largest: { platform: a.platform, followers: a.followers } });
      else {
        entry.followers += a.followers;
        if (a.followers > entry.largest.followers) entry.largest = { platform: a.platform, followers: a.followers };
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
    const creators = collaborations.map((collaboration): CreatorPerformance => {
      const counters = byCreator.get(collaboration.influencerId) ?? emptyCounters();
      const spend = spendOf(collaboration);
      const sold = sales.get(collaboration.id) ?? { orders: 0, revenue: 0 };
      addCounters(total, counters);
      totalSpend += spend;
      totalOrders += sold.orders;
      totalRevenue += sold.revenue;
      const account = accounts.get(collaboration.influencerId);
      const followers = account?.followers ?? 0;
      return {
        influencerId: collaboration.influencerId,
        collaborationId: String(collaboration.id),
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
function mergeDays(rows: ({ day: number } & Counters)[], sales: Map<number, { orders: number; revenue: number }>, currency: string): DailyPerformance[] {
  const days = new Map<number, DailyPerformance>();
  const dayOf = (day: number, counters: Counters): DailyPerformance =>
    Object.assign(copyCounters(counters), { day: new Date(day), engagements: engagements(counters), orders: 0, revenue: { amountMinor: 0, currency } });
  for (const row of rows) days.set(row.day, dayOf(row.day, row));
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

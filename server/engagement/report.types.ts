/** GraphQL types of the campaign report (report.service.ts; formulas in metrics.ts). */
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";

import { TIERS } from "../discovery/benchmarks.js";
import { PlatformEnum, register } from "../common/enums.js";
import { DateTime, Money, SafeInt } from "../common/scalars.js";
import { Influencer } from "../influencers/influencer.types.js";
import type { Platform } from "../../schema/enums.js";
import type { ReportScope } from "./report.service.js";

export const CreatorTierEnum = register(TIERS, "CreatorTier", "Follower tier of an account, as benchmarks group them.", {
  NANO: "Under 10,000 followers.",
  MICRO: "10,000 to 49,999 followers.",
  MID: "50,000 to 499,999 followers.",
  MACRO: "500,000 to 999,999 followers.",
  MEGA: "1,000,000 followers or more.",
});

export const ENGAGEMENT_BASES = ["FOLLOWERS", "VIEWS"] as const;
export const EngagementBasisEnum = register(ENGAGEMENT_BASES, "EngagementBasis", "What an engagement rate divides by.", {
  FOLLOWERS: "(likes + comments) / followers, per post: Instagram's, X's and Twitch's benchmarks.",
  VIEWS: "(likes + comments) / views: TikTok's and YouTube's benchmarks.",
});

@InputType({ description: "Value of each action for earned media value, in minor units of the campaign's currency; omitted ones keep their defaults." })
export class EmvValuesInput {
  @Field(() => Float, { nullable: true, description: "Per like (default 8)." })
  like?: number;
  @Field(() => Float, { nullable: true, description: "Per comment (default 50)." })
  comment?: number;
  @Field(() => Float, { nullable: true, description: "Per share (default 60)." })
  share?: number;
  @Field(() => Float, { nullable: true, description: "Per save (default 50)." })
  save?: number;
  @Field(() => Float, { nullable: true, description: "Per view (default 2)." })
  view?: number;
  @Field(() => Float, { nullable: true, description: "Per 1,000 impressions (default 500)." })
  thousandImpressions?: number;
}

@ObjectType({ description: "The values per action an earned media value was computed with, in minor units of the report's currency.", simpleResolvers: true })
export class EmvValues {
  @Field(() => Float, { description: "Per like." })
  like: number;
  @Field(() => Float, { description: "Per comment." })
  comment: number;
  @Field(() => Float, { description: "Per share." })
  share: number;
  @Field(() => Float, { description: "Per save." })
  save: number;
  @Field(() => Float, { description: "Per view." })
  view: number;
  @Field(() => Float, { description: "Per 1,000 impressions." })
  thousandImpressions: number;
}

@ObjectType({ description: "What posts gained over a period: sums of their daily gains.", simpleResolvers: true })
export class PerformanceCounters {
  @Field(() => Int, { description: "Posts published in the period." })
  postsPublished: number;
  @Field(() => SafeInt, { description: "Likes gained." })
  likes: number;
  @Field(() => SafeInt, { description: "Comments gained." })
  comments: number;
  @Field(() => SafeInt, { description: "Shares gained." })
  shares: number;
  @Field(() => SafeInt, { description: "Saves gained." })
  saves: number;
  @Field(() => SafeInt, { description: "Views gained." })
  views: number;
  @Field(() => SafeInt, { description: "Reach gained (sum over posts: people reached by two posts count twice)." })
  reach: number;
  @Field(() => SafeInt, { description: "Impressions gained." })
  impressions: number;
  @Field(() => SafeInt, { description: "Engagements: likes + comments + shares + saves." })
  engagements: number;
}

@ObjectType({ description: "A campaign's (or one creator's) performance over the report's period; ratios are null when their denominator is 0.", simpleResolvers: true })
export class PerformanceMetrics extends PerformanceCounters {
  @Field(() => Float, { nullable: true, description: "Engagements / reach." })
  engagementRateByReach: number | null;
  @Field(() => Float, { nullable: true, description: "Engagements / views." })
  engagementRateByViews: number | null;
  @Field(() => Money, { description: "Fees of collaborations contracted or later, in the campaign's currency (not limited to the period)." })
  spend: Money;
  @Field(() => Float, { nullable: true, description: "Cost per engagement: spend / engagements, in minor units of the currency." })
  costPerEngagementMinor: number | null;
  @Field(() => Float, { nullable: true, description: "Cost per 1,000 impressions, in minor units." })
  costPerMilleMinor: number | null;
  @Field(() => Float, { nullable: true, description: "Cost per view: spend / views, in minor units." })
  costPerViewMinor: number | null;
  @Field(() => Money, { description: "Earned media value: Σ actions × value per action (see `emvValues`)." })
  earnedMediaValue: Money;
  @Field(() => Int, { description: "Orders attributed through the collaborations' promo codes." })
  orders: number;
  @Field(() => Money, { description: "Revenue of those orders in the campaign's currency (orders in other currencies add no revenue)." })
  revenue: Money;
  @Field(() => Float, { nullable: true, description: "Return on ad spend: revenue / spend." })
  returnOnAdSpend: number | null;
}

@ObjectType({ description: "A creator's campaign engagement rate next to the published benchmark for its platform and tier.", simpleResolvers: true })
export class CreatorBenchmark {
  @Field(() => PlatformEnum, { description: "Platform of the creator's largest account used in the campaign." })
  platform: Platform;
  @Field(() => CreatorTierEnum, { description: "Follower tier of that account." })
  tier: (typeof TIERS)[number];
  @Field(() => EngagementBasisEnum, { description: "What the platform's benchmark divides by." })
  basis: (typeof ENGAGEMENT_BASES)[number];
  @Field(() => Float, { description: "The benchmark engagement rate (server/discovery/benchmarks.ts, with sources)." })
  benchmarkRate: number;
  @Field(() => Float, { nullable: true, description: "The creator's campaign posts on the same basis." })
  creatorRate: number | null;
  @Field(() => Float, { nullable: true, description: "creatorRate / benchmarkRate: 1.5 means 50% above the benchmark." })
  ratio: number | null;
}

@ObjectType({ description: "One creator's part in a campaign.", simpleResolvers: true })
export class CreatorPerformance {
  influencerId: number;
  /** The report's campaign and period, for `daily` (not a GraphQL field). */
  scope: ReportScope;
  @Field(() => Influencer, { description: "The creator." })
  influencer: Influencer;
  @Field(() => ID, { description: "The collaboration." })
  collaborationId: string;
  @Field(() => SafeInt, { description: "Followers of the accounts the creator posted the campaign's content from." })
  followers: number;
  @Field(() => Float, { nullable: true, description: "(likes + comments) / followers per campaign post, averaged." })
  engagementRateByFollowers: number | null;
  @Field(() => PerformanceMetrics, { description: "The creator's metrics." })
  metrics: PerformanceMetrics;
  @Field(() => CreatorBenchmark, { nullable: true, description: "Comparison with the benchmark; null before the creator has posted." })
  benchmark: CreatorBenchmark | null;
}

@ObjectType({ description: "What a campaign's posts gained on one UTC day, and the orders of that day.", simpleResolvers: true })
export class DailyPerformance extends PerformanceCounters {
  @Field(() => DateTime, { description: "Start of the UTC day." })
  day: Date;
  @Field(() => Int, { description: "Orders attributed that day." })
  orders: number;
  @Field(() => Money, { description: "Revenue of those orders in the campaign's currency." })
  revenue: Money;
}

@ObjectType({ description: "What a campaign's money bought: totals, per creator, per day. Kept current as metrics arrive (roll-ups).", simpleResolvers: true })
export class CampaignPerformance {
  @Field(() => String, { description: "Currency of every amount in the report (the campaign's)." })
  currency: string;
  @Field(() => DateTime, { nullable: true, description: "First day counted, when limited." })
  from: Date | null;
  @Field(() => DateTime, { nullable: true, description: "Last day counted, when limited." })
  to: Date | null;
  @Field(() => EmvValues, { description: "The values per action used for earned media value." })
  emvValues: EmvValues;
  @Field(() => PerformanceMetrics, { description: "The whole campaign." })
  totals: PerformanceMetrics;
  @Field(() => [CreatorPerformance], { description: "Every collaboration's creator, in the order they joined." })
  creators: CreatorPerformance[];
  @Field(() => [DailyPerformance], { description: "One entry per day with posts' gains or orders, oldest first." })
  daily: DailyPerformance[];
}

/** GraphQL types of discovery: the brief, ranked results, and the explanation of every score. */
import { ArrayMaxSize, IsOptional, Length, Max, Min, ValidateNested } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";

import type { AudienceDimension, CampaignObjective, Category, Platform } from "../../schema/enums.js";
import { PageInfo } from "../common/connection.js";
import { AudienceDimensionEnum, CampaignObjectiveEnum, CategoryEnum, PlatformEnum, register } from "../common/enums.js";
import { SafeInt } from "../common/scalars.js";
import { FACTORS, type Factor, type WeightField } from "./factors.js";
import { SIMILARITY_ASPECTS, type SimilarityAspect } from "./similarity.js";

export const RankingFactorEnum = register(FACTORS, "RankingFactor", "A factor of the discovery score; each is normalised to [0, 1].", {
  KEYWORD_RELEVANCE: "How well the bio, categories, recent captions and hashtags match the keywords (normalised bm25).",
  ENGAGEMENT: "Engagement rate relative to the median of the same platform and follower tier.",
  AUDIENCE_FIT: "How close the audience comes to the brief's audience targets.",
  AUTHENTICITY: "Audience credibility, reduced by suspicious follower or like patterns.",
  REACH: "Followers, on a log scale from 1,000 (0) to 10 million (1).",
  GROWTH: "Follower growth over 30 days (median daily change).",
  ACTIVITY: "Posting cadence over 30 days and recency of the last post.",
  COST_EFFICIENCY: "Fee per 1,000 followers against your organization's median, where you know a fee.",
});

export const DIVERSITY_DIMENSIONS = ["CATEGORY", "COUNTRY"] as const;
export const DiversityDimensionEnum = register(DIVERSITY_DIMENSIONS, "DiversityDimension", "What diversity spreads the top results over.", {
  CATEGORY: "The creator's content categories (a creator counts in each of its categories).",
  COUNTRY: "The creator's country.",
});

@InputType({ description: "Relative weights of the ranking factors; given ones replace the objective's defaults." })
export class FactorWeightsInput implements Partial<Record<WeightField, number>> {
  @Field(() => Float, { nullable: true, description: "Weight of keyword relevance." })
  keywordRelevance?: number;
  @Field(() => Float, { nullable: true, description: "Weight of engagement relative to peers." })
  engagement?: number;
  @Field(() => Float, { nullable: true, description: "Weight of audience fit." })
  audienceFit?: number;
  @Field(() => Float, { nullable: true, description: "Weight of authenticity." })
  authenticity?: number;
  @Field(() => Float, { nullable: true, description: "Weight of reach." })
  reach?: number;
  @Field(() => Float, { nullable: true, description: "Weight of follower growth." })
  growth?: number;
  @Field(() => Float, { nullable: true, description: "Weight of posting activity." })
  activity?: number;
  @Field(() => Float, { nullable: true, description: "Weight of cost efficiency." })
  costEfficiency?: number;
}

@InputType({ description: "An audience criterion: at least `minShare` (and at most `maxShare`) of the audience in any of `keys`." })
export class AudienceCriterionInput {
  @Field(() => AudienceDimensionEnum, { description: "The audience dimension." })
  dimension: AudienceDimension;

  @Field(() => [String], { description: "Keys of the dimension whose shares are summed, e.g. `[\"US\", \"CA\"]` or `[\"18-24\", \"25-34\"]`." })
  @ArrayMaxSize(50)
  keys: string[];

  @Field(() => Float, { defaultValue: 0, description: "The least share wanted, from 0 to 1." })
  minShare: number;

  @Field(() => Float, { nullable: true, description: "The largest share accepted, from 0 to 1 (e.g. a gender split)." })
  maxShare?: number;

  @Field(() => Boolean, { defaultValue: false, description: "Leave out accounts that miss the criterion; otherwise it only scores audience fit." })
  required: boolean;
}

@InputType({ description: "Spread the top results: at most `maxShare` of the first `window` results from one group." })
export class DiversityInput {
  @Field(() => DiversityDimensionEnum, { description: "What to spread over." })
  by: (typeof DIVERSITY_DIMENSIONS)[number];

  @Field(() => Float, { description: "The largest share of the window one group may take, from 0 to 1 (at least one result each)." })
  maxShare: number;

  @Field(() => Int, { defaultValue: 50, description: "How many top results the rule covers (at most 500)." })
  @Min(1)
  @Max(500)
  window: number;
}

@InputType({ description: "What an agency is looking for. Every given filter must hold; keywords also score relevance." })
export class DiscoveryBrief {
  @Field(() => CampaignObjectiveEnum, { defaultValue: "AWARENESS", description: "Sets the default weights of the factors." })
  objective: CampaignObjective;

  @Field(() => String, {
    nullable: true,
    description: 'Full-text keywords over bio, categories, recent captions and hashtags: words (all must match), "phrases", prefix*, OR, -excluded.',
  })
  @IsOptional()
  @Length(0, 200)
  keywords?: string;

  @Field(() => [PlatformEnum], { nullable: true, description: "Only accounts on these platforms." })
  @IsOptional()
  @ArrayMaxSize(10)
  platforms?: Platform[];

  @Field(() => SafeInt, { nullable: true, description: "At least this many followers." })
  minFollowers?: number;

  @Field(() => SafeInt, { nullable: true, description: "At most this many followers." })
  maxFollowers?: number;

  @Field(() => Float, { nullable: true, description: "At least this engagement rate (a fraction, 0.03 = 3 %, by followers)." })
  minEngagementRate?: number;

  @Field(() => Float, { nullable: true, description: "At most this engagement rate (a fraction, by followers)." })
  maxEngagementRate?: number;

  @Field(() => [String], { nullable: true, description: "Only creators based in these countries (ISO 3166-1 alpha-2)." })
  @IsOptional()
  @ArrayMaxSize(250)
  creatorCountries?: string[];

  @Field(() => [String], { nullable: true, description: "Only creators writing in these languages (ISO 639-1)." })
  @IsOptional()
  @ArrayMaxSize(200)
  creatorLanguages?: string[];

  @Field(() => [CategoryEnum], { nullable: true, description: "Only creators in any of these categories." })
  @IsOptional()
  @ArrayMaxSize(50)
  categories?: Category[];

  @Field(() => [AudienceCriterionInput], { nullable: true, description: "Audience criteria: they score audience fit, and filter when `required`." })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested()
  audience?: AudienceCriterionInput[];

  @Field(() => Float, { nullable: true, description: "At least this audience credibility (0 to 1)." })
  minAudienceCredibility?: number;

  @Field(() => Boolean, { defaultValue: false, description: "Only verified accounts." })
  verifiedOnly: boolean;

  @Field(() => Float, { nullable: true, description: "At least this follower growth over 30 days (a fraction, 0.02 = +2 %)." })
  minFollowerGrowth?: number;

  @Field(() => Boolean, { nullable: true, description: "Only creators with (true) or without (false) a contact e-mail." })
  hasContact?: boolean;

  @Field(() => [ID], { nullable: true, description: "Leave out these influencers." })
  @IsOptional()
  @ArrayMaxSize(1000)
  excludeInfluencerIds?: string[];

  @Field(() => ID, { nullable: true, description: "Leave out creators already in this campaign of your organization." })
  excludeCampaignId?: string;

  @Field(() => FactorWeightsInput, { nullable: true, description: "Explicit weights; non-negative, not all zero." })
  @IsOptional()
  @ValidateNested()
  weights?: FactorWeightsInput;

  @Field(() => DiversityInput, { nullable: true, description: "Spread the top results over categories or countries." })
  @IsOptional()
  @ValidateNested()
  diversity?: DiversityInput;
}

@ObjectType({ description: "One factor's part in a score." })
export class FactorExplanation {
  @Field(() => RankingFactorEnum, { description: "The factor." })
  factor: Factor;

  @Field(() => Float, { nullable: true, description: "The account's normalised value, 0 to 1; null when the factor does not apply." })
  value: number | null;

  @Field(() => Float, { description: "The factor's share of the weights that apply to this account (they sum to 1)." })
  weight: number;

  @Field(() => Float, { description: "What the factor adds to the score: weight × value × trust. Contributions sum to the score." })
  contribution: number;

  @Field(() => String, { description: "Why, in words, e.g. “engagement 2.1× the median for Instagram micro creators”." })
  reason: string;
}

@ObjectType({ description: "Why an account got its score." })
export class ScoreExplanation {
  @Field(() => [FactorExplanation], { description: "Every factor, in a fixed order." })
  factors: FactorExplanation[];

  @Field(() => Float, { description: "The trust multiplier, 1 for a clean account, down to 0.2 for bought reach." })
  trust: number;

  @Field(() => String, { nullable: true, description: "Why the trust multiplier is below 1, if it is." })
  trustReason: string | null;

  @Field(() => [String], { description: "The keywords of the brief this account matched." })
  matchedKeywords: string[];

  @Field(() => String, { nullable: true, description: "Text around the first match, matches wrapped in «»." })
  snippet: string | null;
}

@ObjectType({ description: "A ranked account with its score and explanation." })
export class DiscoveryEdge {
  @Field(() => String, { description: "Opaque cursor of this result; pass it as `after` to continue after it." })
  cursor: string;

  accountId: number;
  influencerId: number;

  @Field(() => Int, { description: "Position in the ranking, from 1." })
  rank: number;

  @Field(() => Float, { description: "The score, from 0 to 1." })
  score: number;

  @Field(() => ScoreExplanation, { description: "Why the account got this score." })
  explanation: ScoreExplanation;
}

@ObjectType({ description: "A page of ranked accounts." })
export class DiscoveryConnection {
  @Field(() => [DiscoveryEdge], { description: "The results of this page, best first." })
  edges: DiscoveryEdge[];

  @Field(() => PageInfo, { description: "Whether more results follow, and the cursors to fetch them." })
  pageInfo: PageInfo;

  @Field(() => Int, { description: "How many accounts pass every filter of the brief." })
  totalCount: number;
}

export const SimilarityAspectEnum = register(SIMILARITY_ASPECTS, "SimilarityAspect", "An aspect of lookalike similarity.", {
  AUDIENCE: "Overlap of the audience make-up (histogram intersection per dimension).",
  CATEGORIES: "Categories in common (Jaccard index).",
  CONTENT: "Hashtags in common in recent posts (Jaccard index).",
});

@ObjectType({ description: "One aspect's part in a similarity." })
export class SimilarityComponent {
  @Field(() => SimilarityAspectEnum, { description: "The aspect." })
  aspect: SimilarityAspect;

  @Field(() => Float, { description: "How similar in this aspect, 0 to 1." })
  value: number;

  @Field(() => Float, { description: "The aspect's weight (the weights sum to 1)." })
  weight: number;

  @Field(() => Float, { description: "weight × value; the contributions sum to the similarity." })
  contribution: number;

  @Field(() => String, { description: "Why, in words, e.g. “shares FITNESS, HEALTH (2 of 3 categories)”." })
  reason: string;
}

@ObjectType({ description: "A creator similar to the reference, with its closest account and why it is similar." })
export class SimilarInfluencerEdge {
  @Field(() => String, { description: "Opaque cursor; pass it as `after` to continue after it." })
  cursor: string;

  influencerId: number;
  accountId: number;

  @Field(() => Int, { description: "Position in the list, from 1." })
  rank: number;

  @Field(() => Float, { description: "Similarity from 0 to 1." })
  similarity: number;

  @Field(() => [SimilarityComponent], { description: "The similarity per aspect." })
  explanation: SimilarityComponent[];
}

@ObjectType({ description: "A page of lookalike creators, most similar first." })
export class SimilarInfluencerConnection {
  @Field(() => [SimilarInfluencerEdge], { description: "The creators of this page." })
  edges: SimilarInfluencerEdge[];

  @Field(() => PageInfo, { description: "Whether more follow, and the cursors to fetch them." })
  pageInfo: PageInfo;

  @Field(() => Int, { description: "How many other creators were compared." })
  totalCount: number;
}

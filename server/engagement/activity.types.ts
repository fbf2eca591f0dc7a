/** GraphQL types of derived engagement: a post's engagement rates and an account's recent activity (metrics.ts). */
import { Field, Float, Int, ObjectType } from "type-graphql";

import { DateTime, SafeInt } from "../common/scalars.js";

@ObjectType({ description: "A post's engagement from its latest capture; rates are null when their denominator is 0.", simpleResolvers: true })
export class PostEngagement {
  @Field(() => SafeInt, { description: "Likes + comments + shares + saves." })
  engagements: number;
  @Field(() => Float, { nullable: true, description: "(likes + comments) / the account's followers." })
  rateByFollowers: number | null;
  @Field(() => Float, { nullable: true, description: "Engagements / reach." })
  rateByReach: number | null;
  @Field(() => Float, { nullable: true, description: "Engagements / views." })
  rateByViews: number | null;
  @Field(() => DateTime, { description: "When the capture these figures come from was taken." })
  capturedAt: Date;
}

@ObjectType({ description: "An account's recent activity, as of the latest feature refresh (`npm run discovery:refresh`; the seed runs one, an import asks for one).", simpleResolvers: true })
export class AccountActivity {
  @Field(() => Float, { nullable: true, description: "(likes + comments) / followers over the posts of the 30 days before the refresh, averaged; null without posts." })
  engagementRate30d: number | null;
  @Field(() => Float, { description: "Follower growth over 30 days: median daily relative change × 30 (a one-day jump barely moves it)." })
  followerGrowth30d: number;
  @Field(() => Int, { description: "Posts published in the 30 days before the refresh." })
  postsLast30d: number;
  @Field(() => Float, { description: "Posting cadence: posts per week over those 30 days." })
  postsPerWeek: number;
  @Field(() => DateTime, { nullable: true, description: "The latest post." })
  lastPostAt: Date | null;
  @Field(() => DateTime, { description: "When these figures were computed." })
  computedAt: Date;
}

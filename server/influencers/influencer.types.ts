/** GraphQL types of the influencer catalogue: influencers, their social accounts and audiences. */
import { ArrayMaxSize, IsOptional, Length, Matches, Min } from "class-validator";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

import type { AudienceDimension, Category, Platform } from "../../schema/enums.js";
import { Connection } from "../common/connection.js";
import { AudienceDimensionEnum, CategoryEnum, PlatformEnum } from "../common/enums.js";
import { DateTime, SafeInt } from "../common/scalars.js";

@ObjectType({ description: "A creator, with one or more social accounts." })
export class Influencer {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  @Field(() => String, { description: "Display name." })
  name: string;

  @Field(() => String, { description: "Short self-description, in the creator's language." })
  bio: string;

  @Field(() => String, { description: "Country the creator lives in (ISO 3166-1 alpha-2)." })
  country: string;

  @Field(() => String, { description: "Main language of the creator's content (ISO 639-1)." })
  language: string;

  @Field(() => String, { nullable: true, description: "Business contact e-mail, when the creator published one." })
  contactEmail: string | null;

  @Field(() => SafeInt, { description: "Followers summed over all the creator's accounts." })
  totalFollowers: number;

  @Field(() => DateTime, { description: "When the creator entered the catalogue." })
  createdAt: Date;

  @Field(() => DateTime, { description: "When the creator's profile last changed." })
  updatedAt: Date;
}

@ObjectType({ description: "One account of an influencer on one platform, with its audience and content." })
export class SocialAccount {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  influencerId: number;

  @Field(() => PlatformEnum, { description: "The platform the account lives on." })
  platform: Platform;

  @Field(() => String, { description: "Handle on the platform, lower case, without the leading @." })
  handle: string;

  @Field(() => SafeInt, { description: "Followers (subscribers on YouTube) at the last capture." })
  followers: number;

  @Field(() => SafeInt, { description: "Accounts this account follows." })
  following: number;

  @Field(() => SafeInt, { description: "Posts published, as the platform counts them." })
  postCount: number;

  @Field(() => Boolean, { description: "Whether the platform verified the account." })
  verified: boolean;

  @Field(() => Float, { description: "Average likes per post over the account's 12 latest posts with metrics (their latest captures), as of the latest feature refresh." })
  averageLikes: number;

  @Field(() => Float, { description: "Average comments per post over the same posts as `averageLikes`." })
  averageComments: number;

  @Field(() => Float, { description: "Average views per post over the same posts (0 where the platform shows none)." })
  averageViews: number;

  @Field(() => Float, {
    description: "(averageLikes + averageComments) / followers, as a fraction (0.035 = 3.5%).",
  })
  engagementRate: number;

  @Field(() => Float, { description: "Estimated share of real, reachable people in the audience, from 0 to 1." })
  audienceCredibility: number;

  @Field(() => DateTime, { description: "When the account's counters last changed." })
  updatedAt: Date;
}

@ObjectType({ description: "The share of an account's audience that falls in one key of one dimension." })
export class AudienceShare {
  accountId: number;

  @Field(() => AudienceDimensionEnum, { description: "The dimension of the breakdown." })
  dimension: AudienceDimension;

  @Field(() => String, { description: "The key within the dimension, e.g. US, 18-24, FEMALE, en, FITNESS." })
  key: string;

  @Field(() => Float, { description: "Share of the audience in this key, from 0 to 1." })
  share: number;
}

@ObjectType({ description: "An account's counters captured at one moment: its follower history." })
export class AccountSnapshot {
  accountId: number;

  @Field(() => DateTime, { description: "When the counters were captured." })
  capturedAt: Date;

  @Field(() => SafeInt, { description: "Followers at that moment." })
  followers: number;

  @Field(() => SafeInt, { description: "Accounts followed at that moment." })
  following: number;

  @Field(() => SafeInt, { description: "Posts published by that moment." })
  postCount: number;
}

export const InfluencerConnection = Connection(Influencer, "Influencer");

/** Sort orders of `influencers`. */
export enum InfluencerOrder {
  FOLLOWERS_DESC = "FOLLOWERS_DESC",
  NAME_ASC = "NAME_ASC",
  NEWEST = "NEWEST",
}
registerEnumType(InfluencerOrder, {
  name: "InfluencerOrder",
  description: "How `influencers` sorts its results.",
  valuesConfig: {
    FOLLOWERS_DESC: { description: "Most followers (summed over accounts) first." },
    NAME_ASC: { description: "By name, A to Z." },
    NEWEST: { description: "Most recently added first." },
  },
});

@InputType({ description: "Filters for `influencers`; all given filters must hold." })
export class InfluencerFilter {
  @Field(() => [PlatformEnum], {
    nullable: true,
    description: "Only creators with an account on one of these platforms (the follower range applies to it).",
  })
  @IsOptional()
  @ArrayMaxSize(5)
  platforms?: Platform[];

  @Field(() => Int, { nullable: true, description: "At least this many followers on one qualifying account." })
  @IsOptional()
  @Min(0)
  minFollowers?: number;

  @Field(() => Int, { nullable: true, description: "At most this many followers on that same account." })
  @IsOptional()
  @Min(0)
  maxFollowers?: number;

  @Field(() => [String], { nullable: true, description: "Creator country in any of these (ISO 3166-1 alpha-2)." })
  @IsOptional()
  @ArrayMaxSize(250)
  @Matches(/^[A-Za-z]{2}$/, { each: true, message: "each country must be an ISO 3166-1 alpha-2 code such as US" })
  countries?: string[];

  @Field(() => [CategoryEnum], { nullable: true, description: "Creators in any of these categories." })
  @IsOptional()
  @ArrayMaxSize(18)
  categories?: Category[];

  @Field(() => String, {
    nullable: true,
    description: "Case-insensitive text that the name or one of the handles contains (a leading @ is ignored).",
  })
  @IsOptional()
  @Length(1, 100)
  search?: string;
}

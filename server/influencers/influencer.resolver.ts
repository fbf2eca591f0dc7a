/** Queries of the influencer catalogue and the relations of Influencer and SocialAccount. */
import { IsOptional, Max, Min, ValidateNested } from "class-validator";
import { Arg, Args, ArgsType, Authorized, Ctx, Extensions, Field, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";

import type { AudienceDimension, Category, Platform } from "../../schema/enums.js";
import { PageArgs, pageSize } from "../common/connection.js";
import { AudienceDimensionEnum, CategoryEnum, PlatformEnum } from "../common/enums.js";
import { parseId } from "../common/ids.js";
import type { Context } from "../context.js";
import { Post } from "../engagement/post.types.js";
import {
  AccountSnapshot,
  AudienceShare,
  Influencer,
  InfluencerConnection,
  InfluencerFilter,
  InfluencerOrder,
  SocialAccount,
} from "./influencer.types.js";

@ArgsType()
class InfluencersArgs extends PageArgs {
  @Field(() => InfluencerFilter, { nullable: true, description: "Filters; all given ones must hold." })
  @IsOptional()
  @ValidateNested()
  filter?: InfluencerFilter;

  @Field(() => InfluencerOrder, { defaultValue: InfluencerOrder.FOLLOWERS_DESC, description: "Sort order." })
  orderBy: InfluencerOrder;
}

@ArgsType()
class RecentPostsArgs {
  @Field(() => Int, { defaultValue: 10, description: "How many posts, newest first (at most 50)." })
  @Min(0)
  @Max(50)
  first: number;
}

@ArgsType()
class HistoryArgs {
  @Field(() => Int, { defaultValue: 30, description: "How many days of history, up to the latest capture (at most 365)." })
  @Min(1)
  @Max(365)
  days: number;
}

@ArgsType()
class AudienceArgs {
  @Field(() => AudienceDimensionEnum, { nullable: true, description: "Only this dimension (all when omitted)." })
  @IsOptional()
  dimension?: AudienceDimension;
}

@Resolver(() => Influencer)
export class InfluencerResolver {
  @Authorized()
  @Query(() => Influencer, { description: "One influencer by id; NOT_FOUND when there is none." })
  influencer(@Arg("id", () => ID, { description: "The influencer's id." }) id: string, @Ctx() ctx: Context) {
    return ctx.services.influencers.getById(parseId(id, "id"));
  }

  @Authorized()
  @Query(() => InfluencerConnection, { description: "The influencer catalogue, filtered and paginated." })
  influencers(@Args(() => InfluencersArgs) args: InfluencersArgs, @Ctx() ctx: Context) {
    const first = pageSize(args.first, ctx.config.maxPageSize);
    return ctx.services.influencers.list(args.filter, args.orderBy, first, args.after);
  }

  @Authorized()
  @Query(() => SocialAccount, { description: "One social account by platform and handle; NOT_FOUND when there is none." })
  account(
    @Arg("platform", () => PlatformEnum, { description: "The platform." }) platform: Platform,
    @Arg("handle", () => String, { description: "The handle, with or without a leading @ (case-insensitive)." })
    handle: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.influencers.getAccount(platform, handle);
  }

  @FieldResolver(() => [CategoryEnum], { description: "Content categories of the creator." })
  async categories(@Root() influencer: Influencer, @Ctx() ctx: Context): Promise<Category[]> {
    const rows = await ctx.loaders.influencers.categoriesByInfluencerId.load(influencer.id);
    return rows.map((row) => row.category as Category);
  }

  @FieldResolver(() => Boolean, { description: "Whether a business contact is available." })
  hasContact(@Root() influencer: Influencer): boolean {
    return influencer.contactEmail !== null && influencer.contactEmail !== "";
  }

  @Extensions({ listSize: 5 })
  @FieldResolver(() => [SocialAccount], { description: "The creator's accounts, largest first." })
  accounts(@Root() influencer: Influencer, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.accountsByInfluencerId.load(influencer.id);
  }
}

@Resolver(() => SocialAccount)
export class SocialAccountResolver {
  @FieldResolver(() => Influencer, { description: "The creator who owns the account." })
  async influencer(@Root() account: SocialAccount, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.influencerById.load(account.influencerId);
  }

  @FieldResolver(() => String, { description: "Public profile URL." })
  url(@Root() account: SocialAccount): string {
    return profileUrl(account.platform, account.handle);
  }

  @Extensions({ listSize: 40 })
  @FieldResolver(() => [AudienceShare], {
    description: "Audience breakdown: shares by country, age band, gender, language and interest, largest first.",
  })
  async audience(@Root() account: SocialAccount, @Args(() => AudienceArgs) args: AudienceArgs, @Ctx() ctx: Context) {
    const shares = await ctx.loaders.influencers.audienceByAccountId.load(account.id);
    return args.dimension ? shares.filter((s) => s.dimension === args.dimension) : shares;
  }

  @FieldResolver(() => [Post], { description: "The account's most recent posts, newest first." })
  recentPosts(@Root() account: SocialAccount, @Args(() => RecentPostsArgs) args: RecentPostsArgs, @Ctx() ctx: Context) {
    return ctx.loaders.engagement.recentPostsByAccountId(args.first).load(account.id);
  }

  @Extensions({ listSize: "days" })
  @FieldResolver(() => [AccountSnapshot], { description: "Follower history (daily captures), oldest first." })
  followerHistory(@Root() account: SocialAccount, @Args(() => HistoryArgs) args: HistoryArgs, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.followerHistoryByAccountId(args.days).load(account.id);
  }
}

const PROFILE_URLS: Record<Platform, (handle: string) => string> = {
  INSTAGRAM: (h) => `https://www.instagram.com/${h}/`,
  TIKTOK: (h) => `https://www.tiktok.com/@${h}`,
  YOUTUBE: (h) => `https://www.youtube.com/@${h}`,
  X: (h) => `https://x.com/${h}`,
  TWITCH: (h) => `https://www.twitch.tv/${h}`,
};

function profileUrl(platform: Platform, handle: string): string {
  return PROFILE_URLS[platform](encodeURIComponent(handle));
}

/** Discovery queries; thin: the brief in, the service's ranked page out. */
import { Max, Min, ValidateNested } from "class-validator";
import { Arg, Args, ArgsType, Authorized, Ctx, Extensions, Field, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";

import type { Actor } from "../access/actor.js";
import { PageArgs, pageSize } from "../common/connection.js";
import { CurrentActor, type Context } from "../context.js";
import { Influencer, SocialAccount } from "../influencers/influencer.types.js";
import { parseId } from "../common/ids.js";
import { Campaign } from "../campaigns/campaign.types.js";
import { DiscoveryBrief, DiscoveryConnection, DiscoveryEdge, SimilarInfluencerConnection, SimilarInfluencerEdge } from "./discovery.types.js";

@ArgsType()
class RankedPageArgs {
  @Field(() => Int, { nullable: true, description: "How many results (default 20, at most the maximum page size)." })
  @Min(0)
  @Max(1000)
  first?: number;

  @Field(() => String, { nullable: true, description: "Continue after this cursor." })
  after?: string;
}

@ArgsType()
class DiscoverArgs extends PageArgs {
  @Field(() => DiscoveryBrief, { description: "What you are looking for." })
  @ValidateNested()
  brief: DiscoveryBrief;
}

@Resolver(() => DiscoveryEdge)
export class DiscoveryResolver {
  @Authorized()
  // A brief scans the whole catalogue in memory: it costs more than the objects it returns.
  @Extensions({ baseCost: 50 })
  @Query(() => DiscoveryConnection, {
    description: "Ranks accounts for a brief, best first, with the score and its explanation per result.",
  })
  discover(@Args(() => DiscoverArgs) args: DiscoverArgs, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    return ctx.services.discovery.discover(actor, args.brief, pageSize(args.first, ctx.config.maxPageSize), args.after ?? undefined);
  }

  @Authorized()
  @Extensions({ baseCost: 50 })
  @Query(() => SimilarInfluencerConnection, {
    description: "Creators like the given one (lookalikes) by audience make-up, categories and content, most similar first.",
  })
  similarInfluencers(
    @Arg("influencerId", () => ID, { description: "The reference creator." }) influencerId: string,
    @Args(() => RankedPageArgs) args: RankedPageArgs,
    @Ctx() ctx: Context,
  ) {
    const first = pageSize(args.first, ctx.config.maxPageSize);
    return ctx.services.discovery.similarInfluencers(parseId(influencerId, "influencerId"), first, args.after ?? undefined);
  }

  @FieldResolver(() => SocialAccount, { description: "The account." })
  node(@Root() edge: DiscoveryEdge, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.accountById.load(edge.accountId);
  }

  @FieldResolver(() => Influencer, { description: "The creator who owns the account." })
  influencer(@Root() edge: DiscoveryEdge, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.influencerById.load(edge.influencerId);
  }
}

@Resolver(() => SimilarInfluencerEdge)
export class SimilarInfluencerEdgeResolver {
  @FieldResolver(() => Influencer, { description: "The similar creator." })
  node(@Root() edge: SimilarInfluencerEdge, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.influencerById.load(edge.influencerId);
  }

  @FieldResolver(() => SocialAccount, { description: "The creator's account closest to the reference." })
  account(@Root() edge: SimilarInfluencerEdge, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.accountById.load(edge.accountId);
  }
}

@Resolver(() => Campaign)
export class CampaignRecommendationsResolver {
  @Extensions({ baseCost: 50 })
  @FieldResolver(() => DiscoveryConnection, {
    description:
      "Creators ranked for this campaign's own targeting (objective, categories, keywords, audience targets and countries), leaving out those already in it.",
  })
  recommendedInfluencers(@Root() campaign: Campaign, @Args(() => RankedPageArgs) args: RankedPageArgs, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    const brief = ctx.services.discovery.campaignBrief(campaign);
    return ctx.services.discovery.discover(actor, brief, pageSize(args.first, ctx.config.maxPageSize), args.after ?? undefined);
  }
}

/** `Campaign.performance`: the campaign report; thin: arguments in, service call, result out. */
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from "type-graphql";

import { Campaign } from "../campaigns/campaign.types.js";
import { DateTime } from "../common/scalars.js";
import type { Context } from "../context.js";
import { Influencer } from "../influencers/influencer.types.js";
import { CampaignPerformance, CreatorPerformance, EmvValuesInput } from "./report.types.js";

@Resolver(() => Campaign)
export class CampaignPerformanceResolver {
  @Authorized()
  @FieldResolver(() => CampaignPerformance, {
    description: "What the campaign's money bought: totals, per creator and per UTC day, from roll-ups kept current as metrics arrive.",
  })
  performance(
    @Root() campaign: Campaign,
    @Ctx() ctx: Context,
    @Arg("from", () => DateTime, { nullable: true, description: "First UTC day to count (inclusive)." }) from?: Date,
    @Arg("to", () => DateTime, { nullable: true, description: "Last UTC day to count (inclusive)." }) to?: Date,
    @Arg("emvValues", () => EmvValuesInput, { nullable: true, description: "Values per action for earned media value." }) emvValues?: EmvValuesInput,
  ) {
    return ctx.services.campaignReports.report({ id: Number(campaign.id), currency: campaign.currency }, { from, to, emvValues });
  }
}

@Resolver(() => CreatorPerformance)
export class CreatorPerformanceResolver {
  @FieldResolver(() => Influencer, { description: "The creator." })
  influencer(@Root() creator: CreatorPerformance, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.influencerById.load(creator.influencerId);
  }
}

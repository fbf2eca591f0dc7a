/** `Campaign.performance`: the campaign report; thin: arguments in, service call, result out. */
import { Arg, Authorized, Ctx, Extensions, FieldResolver, Resolver, Root } from "type-graphql";

import { Campaign } from "../campaigns/campaign.types.js";
import { DateTime } from "../common/scalars.js";
import type { Context } from "../context.js";
import type { Influencer } from "../influencers/influencer.types.js";
import { CampaignPerformance, CreatorPerformance, DailyPerformance, EmvValuesInput } from "./report.types.js";

@Resolver(() => Campaign)
export class CampaignPerformanceResolver {
  @Authorized()
  @FieldResolver(() => CampaignPerformance, {
    description: "What the campaign's money bought: totals, per creator and per UTC day, from roll-ups kept current as metrics arrive.",
  })
  async performance(
    @Root() campaign: Campaign,
    @Ctx() ctx: Context,
    @Arg("from", () => DateTime, { nullable: true, description: "First UTC day to count (inclusive)." }) from?: Date,
    @Arg("to", () => DateTime, { nullable: true, description: "Last UTC day to count (inclusive)." }) to?: Date,
    @Arg("emvValues", () => EmvValuesInput, { nullable: true, description: "Values per action for earned media value." }) emvValues?: EmvValuesInput,
  ): Promise<CampaignPerformance> {
    const report = ctx.services.campaignReports.report({ id: Number(campaign.id), currency: campaign.currency }, { from, to, emvValues });
    // The creators' influencers in one batch before GraphQL walks the creators: resolved per creator, each of 500
    // creators (and the list) would wait on its own promise, 8 ms of CPU in a 40 ms report.
    const influencers = await ctx.loaders.influencers.influencerById.loadMany(report.creators.map((creator) => creator.influencerId));
    return { ...report, creators: report.creators.map((creator, i) => Object.assign(creator, { influencer: present(influencers[i]) })) };
  }
}

@Resolver(() => CreatorPerformance)
export class CreatorPerformanceResolver {
  @FieldResolver(() => [DailyPerformance], {
    description: "The creator's own daily series over the report's period: its campaign posts' gains and its promo code's orders per UTC day, oldest first.",
  })
  @Extensions({ listSize: 90 })
  daily(@Root() creator: CreatorPerformance, @Ctx() ctx: Context) {
    return ctx.loaders.engagement.creatorDailyByCollaboration(creator.scope).load(creator);
  }
}

/** A creator's influencer row: collaborations reference influencers by foreign key, so a miss is a broken database. */
function present(row: Influencer | Error | null | undefined): Influencer {
  if (row instanceof Error) throw row;
  if (!row) throw new Error("A collaboration's influencer is missing.");
  return row;
}

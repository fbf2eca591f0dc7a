/** Campaign queries and mutations; thin: arguments in, service call, result out. */
import { ArrayMaxSize, IsOptional, Max, Min, ValidateNested } from "class-validator";
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";

import type { CollaborationStatus } from "../../schema/enums.js";
import type { Actor } from "../access/actor.js";
import { decodeCursor, PageArgs, pageSize, toConnection } from "../common/connection.js";
import { CollaborationStatusEnum } from "../common/enums.js";
import { parseId } from "../common/ids.js";
import { Money } from "../common/scalars.js";
import { CurrentActor, type Context } from "../context.js";
import { Post } from "../engagement/post.types.js";
import {
  ArchiveCampaignInput,
  Campaign,
  CampaignConnection,
  CampaignFilter,
  CollaborationConnection,
  CreateCampaignInput,
  UpdateCampaignInput,
} from "./campaign.types.js";

@ArgsType()
class CampaignsArgs extends PageArgs {
  @Field(() => CampaignFilter, { nullable: true, description: "Filters; all given ones must hold." })
  @IsOptional()
  @ValidateNested()
  filter?: CampaignFilter;
}

@ArgsType()
class CampaignCollaborationsArgs extends PageArgs {
  @Field(() => [CollaborationStatusEnum], { nullable: true, description: "Only collaborations in these statuses." })
  @IsOptional()
  @ArrayMaxSize(10)
  statuses?: CollaborationStatus[];
}

@ArgsType()
class CampaignPostsArgs {
  @Field(() => Int, { defaultValue: 50, description: "How many posts, newest first (at most 200)." })
  @Min(0)
  @Max(200)
  first: number;
}

@Resolver(() => Campaign)
export class CampaignResolver {
  @Authorized()
  @Query(() => Campaign, { description: "One campaign of your organization; NOT_FOUND otherwise." })
  campaign(@Arg("id", () => ID, { description: "The campaign's id." }) id: string, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    return ctx.services.campaigns.get(actor, parseId(id, "id"));
  }

  @Authorized()
  @Query(() => CampaignConnection, { description: "Your organization's campaigns, newest first." })
  campaigns(@Args(() => CampaignsArgs) args: CampaignsArgs, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    return ctx.services.campaigns.list(actor, args.filter, pageSize(args.first, ctx.config.maxPageSize), args.after);
  }

  @Authorized("MANAGER")
  @Mutation(() => Campaign, { description: "Creates a campaign in your organization." })
  createCampaign(
    @Arg("input", () => CreateCampaignInput, { description: "The new campaign." }) input: CreateCampaignInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.campaigns.create(actor, input);
  }

  @Authorized("MANAGER")
  @Mutation(() => Campaign, { description: "Changes a campaign; omitted fields stay as they are." })
  updateCampaign(
    @Arg("input", () => UpdateCampaignInput, { description: "The changes." }) input: UpdateCampaignInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.campaigns.update(actor, parseId(input.id, "input.id"), input);
  }

  @Authorized("MANAGER")
  @Mutation(() => Campaign, { description: "Archives a campaign: it becomes read-only and leaves default lists." })
  archiveCampaign(
    @Arg("input", () => ArchiveCampaignInput, { description: "The campaign to archive." }) input: ArchiveCampaignInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.campaigns.archive(actor, parseId(input.id, "input.id"));
  }

  @FieldResolver(() => Money, { description: "Total budget." })
  budget(@Root() campaign: Campaign): Money {
    return { amountMinor: campaign.budgetAmount, currency: campaign.currency };
  }

  @FieldResolver(() => CollaborationConnection, { description: "The campaign's collaborations, oldest first." })
  async collaborations(@Root() campaign: Campaign, @Args(() => CampaignCollaborationsArgs) args: CampaignCollaborationsArgs, @Ctx() ctx: Context) {
    const first = pageSize(args.first, ctx.config.maxPageSize);
    const statuses = args.statuses?.length ? [...new Set(args.statuses)].sort() : null;
    const afterId = args.after ? decodeCursor(args.after, "collaborations")[1] : null;
    const { campaigns } = ctx.loaders;
    const rows = await campaigns.collaborationPageByCampaignId({ first, afterId, statuses }).load(campaign.id);
    return toConnection("collaborations", rows, first, (row) => [null, row.id], afterId !== null, () =>
      campaigns.collaborationCountByCampaignId(statuses).load(campaign.id),
    );
  }

  @FieldResolver(() => [Post], { description: "Posts published for the campaign, newest first." })
  async posts(@Root() campaign: Campaign, @Args(() => CampaignPostsArgs) args: CampaignPostsArgs, @Ctx() ctx: Context) {
    const rows = await ctx.loaders.engagement.postsByCampaignId.load(campaign.id);
    return rows.slice(0, args.first);
  }
}

@Resolver(() => Post)
export class PostCampaignResolver {
  @FieldResolver(() => Campaign, {
    nullable: true,
    description: "The campaign the post was made for, when it belongs to your organization.",
  })
  campaign(@Root() post: Post, @Ctx() ctx: Context) {
    return post.campaignId === null ? null : ctx.loaders.campaigns.campaignById.load(post.campaignId);
  }
}


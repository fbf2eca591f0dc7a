/** Collaboration and deliverable queries and mutations. */
import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";

import type { Actor } from "../access/actor.js";
import { CollaborationStatusEnum } from "../common/enums.js";
import { parseId } from "../common/ids.js";
import { money, Money } from "../common/scalars.js";
import { CurrentActor, type Context } from "../context.js";
import { Post } from "../engagement/post.types.js";
import { Influencer } from "../influencers/influencer.types.js";
import {
  AddInfluencerToCampaignInput,
  Campaign,
  Collaboration,
  Deliverable,
  RecordDeliverableInput,
  TransitionCollaborationInput,
} from "./campaign.types.js";
import { allowedNextStatuses } from "./collaboration-status.js";

@Resolver(() => Collaboration)
export class CollaborationResolver {
  @Authorized()
  @Query(() => Collaboration, { description: "One collaboration of your organization; NOT_FOUND otherwise." })
  collaboration(@Arg("id", () => ID, { description: "The collaboration's id." }) id: string, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    return ctx.services.collaborations.get(actor, parseId(id, "id"), "id").collaboration;
  }

  @Authorized("MANAGER")
  @Mutation(() => Collaboration, { description: "Adds an influencer to a campaign, as SHORTLISTED." })
  addInfluencerToCampaign(
    @Arg("input", () => AddInfluencerToCampaignInput, { description: "Who joins which campaign, on what terms." })
    input: AddInfluencerToCampaignInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    const campaignId = parseId(input.campaignId, "input.campaignId");
    const influencerId = parseId(input.influencerId, "input.influencerId");
    return ctx.services.collaborations.add(actor, campaignId, influencerId, input);
  }

  @Authorized("MANAGER")
  @Mutation(() => Collaboration, {
    description: "Moves a collaboration to another status; an illegal move is BAD_USER_INPUT naming the allowed ones.",
  })
  transitionCollaboration(
    @Arg("input", () => TransitionCollaborationInput, { description: "The collaboration and its new status." })
    input: TransitionCollaborationInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    const id = parseId(input.collaborationId, "input.collaborationId");
    return ctx.services.collaborations.transition(actor, id, input.to, input.fee, input.note);
  }

  @Authorized("MANAGER")
  @Mutation(() => Deliverable, { description: "Records a deliverable of a collaboration, optionally with its post." })
  recordDeliverable(
    @Arg("input", () => RecordDeliverableInput, { description: "The deliverable." }) input: RecordDeliverableInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: Context,
  ) {
    const collaborationId = parseId(input.collaborationId, "input.collaborationId");
    const postId = input.postId === undefined || input.postId === null ? null : parseId(input.postId, "input.postId");
    return ctx.services.collaborations.recordDeliverable(actor, collaborationId, input, postId);
  }

  @FieldResolver(() => Money, { nullable: true, description: "The fee, once proposed or agreed." })
  fee(@Root() collaboration: Collaboration): Money | null {
    return money(collaboration.feeAmount, collaboration.feeCurrency);
  }

  @FieldResolver(() => [CollaborationStatusEnum], { description: "The statuses this collaboration may move to next." })
  allowedNextStatuses(@Root() collaboration: Collaboration) {
    return allowedNextStatuses(collaboration.status);
  }

  @FieldResolver(() => Campaign, { description: "The campaign." })
  async campaign(@Root() collaboration: Collaboration, @Ctx() ctx: Context) {
    return ctx.loaders.campaigns.campaignById.load(collaboration.campaignId);
  }

  @FieldResolver(() => Influencer, { description: "The influencer." })
  async influencer(@Root() collaboration: Collaboration, @Ctx() ctx: Context) {
    return ctx.loaders.influencers.influencerById.load(collaboration.influencerId);
  }

  @Extensions({ listSize: 5 })
  @FieldResolver(() => [Deliverable], { description: "What the collaboration owes, in the order recorded." })
  deliverables(@Root() collaboration: Collaboration, @Ctx() ctx: Context) {
    return ctx.loaders.campaigns.deliverablesByCollaborationId.load(collaboration.id);
  }

  @Extensions({ listSize: 10 })
  @FieldResolver(() => [Post], { description: "Posts the influencer published for the campaign, newest first." })
  posts(@Root() collaboration: Collaboration, @Ctx() ctx: Context) {
    return ctx.loaders.engagement.postsByCollaboration.load(`${collaboration.campaignId}:${collaboration.influencerId}`);
  }
}

@Resolver(() => Deliverable)
export class DeliverableResolver {
  @FieldResolver(() => Post, { nullable: true, description: "The post that fulfilled it, once linked." })
  post(@Root() deliverable: Deliverable, @Ctx() ctx: Context) {
    return deliverable.postId === null ? null : ctx.loaders.engagement.postById.load(deliverable.postId);
  }
}

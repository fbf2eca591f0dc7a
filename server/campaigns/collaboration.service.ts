/** Collaborations and deliverables: adding creators to campaigns, moving deals through their states. */
import { and, asc, count, eq, gt, inArray, sql } from "drizzle-orm";

import type { CollaborationStatus } from "../../schema/enums.js";
import { campaigns, collaborations, deliverables, influencers, posts, socialAccounts } from "../../schema/tables.js";
import type { Actor } from "../access/actor.js";
import type { AuditService } from "../access/audit.service.js";
import type { Db } from "../db.js";
import { BadUserInputError, ConflictError, NotFoundError } from "../errors.js";
import { Transactional } from "../transaction.js";
import { assertNotArchived, type CampaignRow } from "./campaign.service.js";
import type { AddInfluencerToCampaignInput, MoneyInput, RecordDeliverableInput } from "./campaign.types.js";
import { allowedNextStatuses, canTransition, FEE_REQUIRED_FROM } from "./collaboration-status.js";
import { recomputeRollups, rollupGroupsOfPosts } from "../engagement/rollups.js";

export type CollaborationRow = typeof collaborations.$inferSelect;
export type DeliverableRow = typeof deliverables.$inferSelect;

export interface CollaborationPageQuery {
  first: number;
  afterId: number | null;
  statuses: CollaborationStatus[] | null;
}

export class CollaborationService {
  constructor(
    readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** A collaboration of the caller's organization, with its campaign; otherwise NOT_FOUND. */
  get(actor: Actor, id: number, field: string): { collaboration: CollaborationRow; campaign: CampaignRow } {
    const row = this.db
      .select({ collaboration: collaborations, campaign: campaigns })
      .from(collaborations)
      .innerJoin(campaigns, eq(campaigns.id, collaborations.campaignId))
      .where(and(eq(collaborations.id, id), eq(campaigns.organizationId, actor.organizationId)))
      .get();
    if (!row) throw new NotFoundError("Collaboration", id, field);
    return row;
  }

  @Transactional()
  add(actor: Actor, campaignId: number, influencerId: number, input: AddInfluencerToCampaignInput): CollaborationRow {
    const campaign = this.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.organizationId, actor.organizationId)))
      .get();
    if (!campaign) throw new NotFoundError("Campaign", campaignId, "input.campaignId");
    assertNotArchived(campaign, "input.campaignId");
    const influencer = this.db.select({ id: influencers.id }).from(influencers).where(eq(influencers.id, influencerId)).get();
    if (!influencer) throw new NotFoundError("Influencer", influencerId, "input.influencerId");
    const existing = this.db
      .select({ id: collaborations.id })
      .from(collaborations)
      .where(and(eq(collaborations.campaignId, campaignId), eq(collaborations.influencerId, influencerId)))
      .get();
    if (existing) {
      throw new ConflictError(
        "input.influencerId",
        `Influencer ${influencerId} is already in campaign ${campaignId} (collaboration ${existing.id}).`,
      );
    }
    if (input.fee) checkFeeCurrency(input.fee, campaign, "input.fee.currency");
    const promoCode = input.promoCode ? input.promoCode.toUpperCase() : null;
    if (promoCode) this.assertPromoCodeFree(promoCode, "input.promoCode");
    const row = this.db
      .insert(collaborations)
      .values({
        campaignId,
        influencerId,
        status: "SHORTLISTED",
        feeAmount: input.fee?.amountMinor ?? null,
        feeCurrency: input.fee?.currency ?? null,
        promoCode,
        trackingUrl: input.trackingUrl ?? null,
        notes: input.notes ?? "",
      })
      .returning()
      .get();
    this.audit.record(actor, "collaboration.create", { type: "Collaboration", id: row.id }, null, row);
    return row;
  }

  /**
   * Moves a collaboration to `to`. An illegal move is BAD_USER_INPUT on `input.to`, naming the allowed next
   * statuses; CONTRACTED and later need a fee.
   */
  @Transactional()
  transition(actor: Actor, id: number, to: CollaborationStatus, fee: MoneyInput | undefined, note: string | undefined): CollaborationRow {
    const { collaboration: before, campaign } = this.get(actor, id, "input.collaborationId");
    assertNotArchived(campaign, "input.collaborationId");
    if (!canTransition(before.status, to)) {
      const allowed = allowedNextStatuses(before.status);
      throw new BadUserInputError(
        "input.to",
        allowed.length
          ? `A ${before.status} collaboration cannot move to ${to}; allowed next statuses: ${allowed.join(", ")}.`
          : `A ${before.status} collaboration is final and cannot move to ${to}.`,
        { from: before.status, to, allowedNextStatuses: allowed },
      );
    }
    if (fee) checkFeeCurrency(fee, campaign, "input.fee.currency");
    const feeAmount = fee?.amountMinor ?? before.feeAmount;
    if (FEE_REQUIRED_FROM.includes(to) && feeAmount === null) {
      throw new BadUserInputError("input.fee", `Moving to ${to} needs the agreed fee: pass \`fee\`.`);
    }
    const now = new Date();
    const after = this.db
      .update(collaborations)
      .set({
        status: to,
        statusChangedAt: now,
        updatedAt: now,
        ...(fee && { feeAmount: fee.amountMinor, feeCurrency: fee.currency }),
      })
      .where(eq(collaborations.id, id))
      .returning()
      .get();
    if (!after) throw new NotFoundError("Collaboration", id, "input.collaborationId");
    this.audit.record(
      actor,
      "collaboration.transition",
      { type: "Collaboration", id },
      before,
      note ? { ...after, note } : after,
    );
    return after;
  }

  @Transactional()
  recordDeliverable(actor: Actor, collaborationId: number, input: RecordDeliverableInput, postId: number | null): DeliverableRow {
    const { collaboration, campaign } = this.get(actor, collaborationId, "input.collaborationId");
    assertNotArchived(campaign, "input.collaborationId");
    if (collaboration.status === "DECLINED" || collaboration.status === "CANCELLED") {
      throw new BadUserInputError(
        "input.collaborationId",
        `Collaboration ${collaborationId} is ${collaboration.status}; it has no deliverables to record.`,
      );
    }
    if (postId !== null) this.linkPost(postId, collaboration, input);
    const row = this.db
      .insert(deliverables)
      .values({
        collaborationId,
        platform: input.platform,
        kind: input.kind,
        description: input.description ?? "",
        status: input.status ?? (postId !== null ? "PUBLISHED" : "PENDING"),
        dueAt: input.dueAt ?? null,
        postId,
      })
      .returning()
      .get();
    this.audit.record(actor, "deliverable.create", { type: "Deliverable", id: row.id }, null, row);
    return row;
  }

  /** A deliverable's post must be the influencer's own, on the same platform, and not another campaign's. */
  private linkPost(postId: number, collaboration: CollaborationRow, input: RecordDeliverableInput): void {
    const found = this.db
      .select({ post: posts, influencerId: socialAccounts.influencerId })
      .from(posts)
      .innerJoin(socialAccounts, eq(socialAccounts.id, posts.accountId))
      .where(eq(posts.id, postId))
      .get();
    if (!found || found.influencerId !== collaboration.influencerId) {
      throw new BadUserInputError("input.postId", `Post ${postId} is not a post of this collaboration's influencer.`);
    }
    if (found.post.platform !== input.platform) {
      throw new BadUserInputError("input.platform", `Post ${postId} is on ${found.post.platform}, not ${input.platform}.`);
    }
    if (found.post.campaignId !== null && found.post.campaignId !== collaboration.campaignId) {
      throw new BadUserInputError("input.postId", `Post ${postId} already belongs to another campaign.`);
    }
    if (found.post.campaignId === null) {
      this.db.update(posts).set({ campaignId: collaboration.campaignId }).where(eq(posts.id, postId)).run();
      // The post now counts in the campaign's report.
      recomputeRollups(this.db, rollupGroupsOfPosts(this.db, [postId]));
    }
  }

  private assertPromoCodeFree(promoCode: string, field: string): void {
    const taken = this.db
      .select({ id: collaborations.id })
      .from(collaborations)
      .where(eq(collaborations.promoCode, promoCode))
      .get();
    if (taken) throw new ConflictError(field, `Promo code ${promoCode} is already in use.`);
  }

  // Batch reads behind the per-request loaders.

  /** One page of collaborations for each campaign (ordered by id), in one statement. */
  pagesOf(campaignIds: readonly number[], query: CollaborationPageQuery): CollaborationRow[] {
    const conditions = [inArray(collaborations.campaignId, [...campaignIds])];
    if (query.afterId !== null) conditions.push(gt(collaborations.id, query.afterId));
    if (query.statuses?.length) conditions.push(inArray(collaborations.status, query.statuses));
    const ranked = this.db
      .select({
        id: collaborations.id,
        rank: sql<number>`row_number() over (partition by ${collaborations.campaignId} order by ${collaborations.id})`.as("rank"),
      })
      .from(collaborations)
      .where(and(...conditions))
      .as("ranked");
    return this.db
      .select({ collaboration: collaborations })
      .from(ranked)
      .innerJoin(collaborations, eq(collaborations.id, ranked.id))
      .where(sql`${ranked.rank} <= ${query.first + 1}`)
      .orderBy(asc(collaborations.campaignId), asc(collaborations.id))
      .all()
      .map((row) => row.collaboration);
  }

  countsOf(campaignIds: readonly number[], statuses: CollaborationStatus[] | null) {
    const conditions = [inArray(collaborations.campaignId, [...campaignIds])];
    if (statuses?.length) conditions.push(inArray(collaborations.status, statuses));
    return this.db
      .select({ campaignId: collaborations.campaignId, n: count() })
      .from(collaborations)
      .where(and(...conditions))
      .groupBy(collaborations.campaignId)
      .all();
  }

  deliverablesOf(collaborationIds: readonly number[]): DeliverableRow[] {
    return this.db
      .select()
      .from(deliverables)
      .where(inArray(deliverables.collaborationId, [...collaborationIds]))
      .orderBy(asc(deliverables.collaborationId), asc(deliverables.id))
      .all();
  }
}

function checkFeeCurrency(fee: MoneyInput, campaign: CampaignRow, field: string): void {
  if (fee.currency !== campaign.currency) {
    throw new BadUserInputError(field, `Fees are kept in the campaign's currency, ${campaign.currency}.`);
  }
}

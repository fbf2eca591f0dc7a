/** Campaigns: tenant-scoped reads and the create / update / archive rules. */
import { and, count, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";

import { campaigns, collaborations } from "../../schema/tables.js";
import type { Actor } from "../access/actor.js";
import type { AuditService } from "../access/audit.service.js";
import { AUDIENCE_KEYS } from "../common/audience.js";
import { pageByIdDesc, type ConnectionShape } from "../common/connection.js";
import type { Db } from "../db.js";
import { BadUserInputError, NotFoundError } from "../errors.js";
import { Transactional } from "../transaction.js";
import type {
  AudienceTargetInput,
  CampaignFilter,
  CreateCampaignInput,
  UpdateCampaignInput,
} from "./campaign.types.js";

export type CampaignRow = typeof campaigns.$inferSelect;


export class CampaignService {
  constructor(
    readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** A campaign of the caller's organization; another organization's id is NOT_FOUND, like a missing one. */
  get(actor: Actor, id: number, field = "id"): CampaignRow {
    const row = this.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, id), eq(campaigns.organizationId, actor.organizationId)))
      .get();
    if (!row) throw new NotFoundError("Campaign", id, field);
    return row;
  }

  byIds(organizationId: number, ids: readonly number[]): CampaignRow[] {
    return this.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.organizationId, organizationId), inArray(campaigns.id, [...ids])))
      .all();
  }

  list(actor: Actor, filter: CampaignFilter | undefined, first: number, after: string | undefined): ConnectionShape<CampaignRow> {
    const where: SQL[] = [eq(campaigns.organizationId, actor.organizationId)];
    if (!filter?.includeArchived) where.push(isNull(campaigns.archivedAt));
    if (filter?.statuses?.length) where.push(inArray(campaigns.status, [...new Set(filter.statuses)]));
    if (filter?.objective) where.push(eq(campaigns.objective, filter.objective));
    if (filter?.search) {
      where.push(sql`instr(lower(${campaigns.name}), ${filter.search.toLowerCase()}) > 0`);
    }
    return pageByIdDesc(this.db, campaigns, "campaigns", where, first, after);
  }

  @Transactional()
  create(actor: Actor, input: CreateCampaignInput): CampaignRow {
    checkDates(input.startsAt ?? null, input.endsAt ?? null);
    checkAudienceTargets(input.audienceTargets);
    const row = this.db
      .insert(campaigns)
      .values({
        organizationId: actor.organizationId,
        name: input.name.trim(),
        objective: input.objective,
        status: input.status ?? "DRAFT",
        budgetAmount: input.budget.amountMinor,
        currency: input.budget.currency,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        targetCountries: dedupe(input.targetCountries ?? []),
        categories: dedupe(input.categories ?? []),
        audienceTargets: (input.audienceTargets ?? []).map(toTarget),
        keywords: dedupe((input.keywords ?? []).map((k) => k.trim()).filter(Boolean)),
        brief: input.brief ?? "",
      })
      .returning()
      .get();
    this.audit.record(actor, "campaign.create", { type: "Campaign", id: row.id }, null, row);
    return row;
  }

  @Transactional()
  update(actor: Actor, id: number, input: UpdateCampaignInput): CampaignRow {
    const before = this.get(actor, id, "input.id");
    assertNotArchived(before, "input.id");
    const startsAt = input.startsAt === undefined ? before.startsAt : input.startsAt;
    const endsAt = input.endsAt === undefined ? before.endsAt : input.endsAt;
    checkDates(startsAt, endsAt);
    checkAudienceTargets(input.audienceTargets);
    if (input.budget && input.budget.currency !== before.currency) this.assertNoFeesIn(before, "input.budget.currency");
    const changes: Partial<typeof campaigns.$inferInsert> = {
      ...(input.name !== undefined && input.name !== null && { name: input.name.trim() }),
      ...(input.objective && { objective: input.objective }),
      ...(input.status && { status: input.status }),
      ...(input.budget && { budgetAmount: input.budget.amountMinor, currency: input.budget.currency }),
      ...(input.startsAt !== undefined && { startsAt }),
      ...(input.endsAt !== undefined && { endsAt }),
      ...(input.targetCountries && { targetCountries: dedupe(input.targetCountries) }),
      ...(input.categories && { categories: dedupe(input.categories) }),
      ...(input.audienceTargets && { audienceTargets: input.audienceTargets.map(toTarget) }),
      ...(input.keywords && { keywords: dedupe(input.keywords.map((k) => k.trim()).filter(Boolean)) }),
      ...(input.brief !== undefined && input.brief !== null && { brief: input.brief }),
    };
    const after = this.db
      .update(campaigns)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(campaigns.id, id))
      .returning()
      .get();
    if (!after) throw new NotFoundError("Campaign", id, "input.id");
    this.audit.record(actor, "campaign.update", { type: "Campaign", id }, before, after);
    return after;
  }

  @Transactional()
  archive(actor: Actor, id: number): CampaignRow {
    const before = this.get(actor, id, "input.id");
    assertNotArchived(before, "input.id");
    const now = new Date();
    const after = this.db
      .update(campaigns)
      .set({ status: "ARCHIVED", archivedAt: now, updatedAt: now })
      .where(eq(campaigns.id, id))
      .returning()
      .get();
    if (!after) throw new NotFoundError("Campaign", id, "input.id");
    this.audit.record(actor, "campaign.archive", { type: "Campaign", id }, before, after);
    return after;
  }

  /** Fees are kept in the campaign's currency; switching it once fees exist would mix currencies. */
  private assertNoFeesIn(campaign: CampaignRow, field: string): void {
    const withFee = this.db
      .select({ n: count() })
      .from(collaborations)
      .where(and(eq(collaborations.campaignId, campaign.id), sql`${collaborations.feeAmount} is not null`))
      .get();
    if ((withFee?.n ?? 0) > 0) {
      throw new BadUserInputError(
        field,
        `The campaign already has fees in ${campaign.currency}; its budget must stay in ${campaign.currency}.`,
      );
    }
  }
}

export function assertNotArchived(campaign: CampaignRow, field: string): void {
  if (campaign.archivedAt) {
    throw new BadUserInputError(field, `Campaign ${campaign.id} is archived and can no longer be changed.`);
  }
}

function checkDates(startsAt: Date | null, endsAt: Date | null): void {
  if (startsAt && endsAt && endsAt.getTime() < startsAt.getTime()) {
    throw new BadUserInputError("input.endsAt", "`endsAt` must not be before `startsAt`.");
  }
}

function checkAudienceTargets(targets: AudienceTargetInput[] | undefined | null): void {
  const seen = new Set<string>();
  (targets ?? []).forEach((target, index) => {
    const field = `input.audienceTargets.${index}.key`;
    if (!AUDIENCE_KEYS[target.dimension](target.key)) {
      throw new BadUserInputError(field, `"${target.key}" is not a valid ${target.dimension} key.`);
    }
    const id = `${target.dimension}:${target.key}`;
    if (seen.has(id)) throw new BadUserInputError(field, `${target.dimension} ${target.key} is targeted twice.`);
    seen.add(id);
  });
}

function toTarget(target: AudienceTargetInput) {
  return { dimension: target.dimension, key: target.key, minShare: target.minShare };
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}

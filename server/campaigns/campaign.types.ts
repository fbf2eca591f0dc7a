/** GraphQL types of campaigns, collaborations and deliverables, and the inputs of their mutations. */
import {
  ArrayMaxSize,
  IsIn,
  IsOptional,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from "class-validator";
import { Field, Float, ID, InputType, ObjectType } from "type-graphql";

import type {
  AudienceDimension,
  CampaignObjective,
  CampaignStatus,
  Category,
  CollaborationStatus,
  DeliverableStatus,
  Platform,
  PostKind,
} from "../../schema/enums.js";
import { Connection } from "../common/connection.js";
import {
  AudienceDimensionEnum,
  CampaignObjectiveEnum,
  CampaignStatusEnum,
  CategoryEnum,
  CollaborationStatusEnum,
  DeliverableStatusEnum,
  PlatformEnum,
  PostKindEnum,
} from "../common/enums.js";
import { DateTime, SafeInt } from "../common/scalars.js";

@ObjectType({ description: "A target the campaign's audience should meet: at least `minShare` in `key` of `dimension`." })
export class AudienceTarget {
  @Field(() => AudienceDimensionEnum, { description: "The audience dimension." })
  dimension: AudienceDimension;

  @Field(() => String, { description: "The key within the dimension (US, 18-24, FEMALE, en, FITNESS...)." })
  key: string;

  @Field(() => Float, { description: "The minimum share of the audience in that key, from 0 to 1." })
  minShare: number;
}

@ObjectType({ description: "A marketing campaign run by an organization with influencers." })
export class Campaign {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  organizationId: number;

  @Field(() => String, { description: "Campaign name." })
  name: string;

  @Field(() => CampaignObjectiveEnum, { description: "What the campaign is for." })
  objective: CampaignObjective;

  @Field(() => CampaignStatusEnum, { description: "Where the campaign is in its life." })
  status: CampaignStatus;

  budgetAmount: number;
  currency: string;

  @Field(() => DateTime, { nullable: true, description: "When the campaign starts." })
  startsAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When the campaign ends." })
  endsAt: Date | null;

  @Field(() => [String], { description: "Countries the campaign targets (ISO 3166-1 alpha-2)." })
  targetCountries: string[];

  @Field(() => [CategoryEnum], { description: "Content categories the campaign looks for." })
  categories: Category[];

  @Field(() => [AudienceTarget], { description: "Audience make-up the campaign wants from its creators." })
  audienceTargets: AudienceTarget[];

  @Field(() => [String], { description: "Keywords describing the content wanted." })
  keywords: string[];

  @Field(() => String, { description: "The brief given to creators." })
  brief: string;

  @Field(() => DateTime, { description: "When the campaign was created." })
  createdAt: Date;

  @Field(() => DateTime, { description: "When the campaign last changed." })
  updatedAt: Date;

  @Field(() => DateTime, { nullable: true, description: "When the campaign was archived, if it was." })
  archivedAt: Date | null;
}

@ObjectType({ description: "An influencer's part in a campaign, from shortlist to payment." })
export class Collaboration {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  campaignId: number;
  influencerId: number;
  feeAmount: number | null;
  feeCurrency: string | null;

  @Field(() => CollaborationStatusEnum, { description: "Where the collaboration is." })
  status: CollaborationStatus;

  @Field(() => String, { nullable: true, description: "Promo code attributed to the influencer (unique)." })
  promoCode: string | null;

  @Field(() => String, { nullable: true, description: "Tracking link given to the influencer." })
  trackingUrl: string | null;

  @Field(() => String, { description: "Free-form notes of the campaign team." })
  notes: string;

  @Field(() => DateTime, { description: "When the status last changed." })
  statusChangedAt: Date;

  @Field(() => DateTime, { description: "When the influencer was added to the campaign." })
  createdAt: Date;

  @Field(() => DateTime, { description: "When the collaboration last changed." })
  updatedAt: Date;
}

@ObjectType({ description: "A piece of content a collaboration owes, linked to its post once published." })
export class Deliverable {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  collaborationId: number;
  postId: number | null;

  @Field(() => PlatformEnum, { description: "Where the content is to be published." })
  platform: Platform;

  @Field(() => PostKindEnum, { description: "The format of the content." })
  kind: PostKind;

  @Field(() => String, { description: "What is to be delivered." })
  description: string;

  @Field(() => DeliverableStatusEnum, { description: "Where the deliverable is." })
  status: DeliverableStatus;

  @Field(() => DateTime, { nullable: true, description: "When it is due." })
  dueAt: Date | null;

  @Field(() => DateTime, { description: "When it was recorded." })
  createdAt: Date;
}

export const CampaignConnection = Connection(Campaign, "Campaign");
export const CollaborationConnection = Connection(Collaboration, "Collaboration");

// ---------------------------------------------------------------------------------------------- inputs

const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;

@InputType({ description: "An amount of money in minor units and its currency." })
export class MoneyInput {
  @Field(() => SafeInt, { description: "The amount in the currency's minor unit (cents), not negative." })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @Field(() => String, { description: "ISO 4217 currency code, upper case (USD, EUR...)." })
  @Matches(CURRENCY, { message: "currency must be an ISO 4217 code in upper case, such as USD" })
  currency: string;
}

@InputType({ description: "An audience target: at least `minShare` of the audience in `key` of `dimension`." })
export class AudienceTargetInput {
  @Field(() => AudienceDimensionEnum, { description: "The audience dimension." })
  dimension: AudienceDimension;

  @Field(() => String, { description: "The key within the dimension (US, 18-24, FEMALE, en, FITNESS...)." })
  @Length(1, 20)
  key: string;

  @Field(() => Float, { description: "The minimum share, from 0 to 1." })
  @Min(0)
  @Max(1)
  minShare: number;
}

@InputType({ description: "The targeting fields shared by campaign creation and update." })
abstract class CampaignFieldsInput {
  @Field(() => DateTime, { nullable: true, description: "When the campaign starts." })
  @IsOptional()
  startsAt?: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When the campaign ends (not before it starts)." })
  @IsOptional()
  endsAt?: Date | null;

  @Field(() => [String], { nullable: true, description: "Target countries (ISO 3166-1 alpha-2, upper case)." })
  @IsOptional()
  @ArrayMaxSize(250)
  @Matches(COUNTRY, { each: true, message: "each country must be an ISO 3166-1 alpha-2 code in upper case, such as US" })
  targetCountries?: string[];

  @Field(() => [CategoryEnum], { nullable: true, description: "Content categories the campaign looks for." })
  @IsOptional()
  @ArrayMaxSize(18)
  categories?: Category[];

  @Field(() => [AudienceTargetInput], { nullable: true, description: "Audience make-up wanted from creators." })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  audienceTargets?: AudienceTargetInput[];

  @Field(() => [String], { nullable: true, description: "Keywords describing the content wanted (at most 50)." })
  @IsOptional()
  @ArrayMaxSize(50)
  @Length(1, 100, { each: true })
  keywords?: string[];

  @Field(() => String, { nullable: true, description: "The brief given to creators (at most 10,000 characters)." })
  @IsOptional()
  @MaxLength(10_000)
  brief?: string;
}

@InputType({ description: "A new campaign." })
export class CreateCampaignInput extends CampaignFieldsInput {
  @Field(() => String, { description: "Campaign name (1 to 200 characters, not only spaces)." })
  @Length(1, 200)
  @Matches(/\S/, { message: "name must not be blank" })
  name: string;

  @Field(() => CampaignObjectiveEnum, { description: "What the campaign is for." })
  objective: CampaignObjective;

  @Field(() => MoneyInput, { description: "Total budget." })
  @ValidateNested()
  budget: MoneyInput;

  @Field(() => CampaignStatusEnum, { nullable: true, description: "DRAFT (default) or ACTIVE." })
  @IsOptional()
  @IsIn(["DRAFT", "ACTIVE"], { message: "a new campaign starts as DRAFT or ACTIVE" })
  status?: CampaignStatus;
}

@InputType({ description: "Changes to a campaign; omitted fields stay as they are." })
export class UpdateCampaignInput extends CampaignFieldsInput {
  @Field(() => ID, { description: "The campaign to change." })
  id: string;

  @Field(() => String, { nullable: true, description: "New name (1 to 200 characters, not only spaces)." })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, { message: "name must not be blank" })
  name?: string;

  @Field(() => CampaignObjectiveEnum, { nullable: true, description: "New objective." })
  @IsOptional()
  objective?: CampaignObjective;

  @Field(() => MoneyInput, { nullable: true, description: "New budget; its currency must match the fees agreed so far." })
  @IsOptional()
  @ValidateNested()
  budget?: MoneyInput;

  @Field(() => CampaignStatusEnum, {
    nullable: true,
    description: "New status: DRAFT, ACTIVE, PAUSED or COMPLETED (use `archiveCampaign` to archive).",
  })
  @IsOptional()
  @IsIn(["DRAFT", "ACTIVE", "PAUSED", "COMPLETED"], { message: "status must be DRAFT, ACTIVE, PAUSED or COMPLETED" })
  status?: CampaignStatus;
}

@InputType({ description: "The campaign to archive." })
export class ArchiveCampaignInput {
  @Field(() => ID, { description: "The campaign to archive." })
  id: string;
}

@InputType({ description: "Adds an influencer to a campaign as SHORTLISTED." })
export class AddInfluencerToCampaignInput {
  @Field(() => ID, { description: "The campaign." })
  campaignId: string;

  @Field(() => ID, { description: "The influencer." })
  influencerId: string;

  @Field(() => MoneyInput, { nullable: true, description: "Proposed fee, in the campaign's currency." })
  @IsOptional()
  @ValidateNested()
  fee?: MoneyInput;

  @Field(() => String, { nullable: true, description: "Promo code for the influencer (letters, digits, - and _)." })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{3,40}$/, { message: "promoCode must be 3 to 40 letters, digits, - or _" })
  promoCode?: string;

  @Field(() => String, { nullable: true, description: "Tracking link (http or https URL)." })
  @IsOptional()
  @IsUrl({ protocols: ["http", "https"], require_protocol: true }, { message: "trackingUrl must be an http(s) URL" })
  @MaxLength(2000)
  trackingUrl?: string;

  @Field(() => String, { nullable: true, description: "Notes for the campaign team." })
  @IsOptional()
  @MaxLength(5000)
  notes?: string;
}

@InputType({ description: "Moves a collaboration to another status." })
export class TransitionCollaborationInput {
  @Field(() => ID, { description: "The collaboration." })
  collaborationId: string;

  @Field(() => CollaborationStatusEnum, { description: "The status to move to; see `allowedNextStatuses`." })
  to: CollaborationStatus;

  @Field(() => MoneyInput, {
    nullable: true,
    description: "The agreed fee; required when moving to CONTRACTED unless one was already set.",
  })
  @IsOptional()
  @ValidateNested()
  fee?: MoneyInput;

  @Field(() => String, { nullable: true, description: "A note kept with the change in the audit log." })
  @IsOptional()
  @MaxLength(2000)
  note?: string;
}

@InputType({ description: "Records a deliverable of a collaboration." })
export class RecordDeliverableInput {
  @Field(() => ID, { description: "The collaboration that owes it." })
  collaborationId: string;

  @Field(() => PlatformEnum, { description: "Where it is to be published." })
  platform: Platform;

  @Field(() => PostKindEnum, { description: "The format." })
  kind: PostKind;

  @Field(() => String, { nullable: true, description: "What is to be delivered." })
  @IsOptional()
  @MaxLength(5000)
  description?: string;

  @Field(() => DateTime, { nullable: true, description: "When it is due." })
  @IsOptional()
  dueAt?: Date;

  @Field(() => DeliverableStatusEnum, {
    nullable: true,
    description: "Its status (PENDING by default, PUBLISHED when a post is given).",
  })
  @IsOptional()
  status?: DeliverableStatus;

  @Field(() => ID, {
    nullable: true,
    description: "The post that fulfils it: one of the influencer's posts on that platform; it gets linked to the campaign.",
  })
  @IsOptional()
  postId?: string;
}

@InputType({ description: "Filters for `campaigns`." })
export class CampaignFilter {
  @Field(() => [CampaignStatusEnum], { nullable: true, description: "Only campaigns in these statuses." })
  @IsOptional()
  @ArrayMaxSize(5)
  statuses?: CampaignStatus[];

  @Field(() => CampaignObjectiveEnum, { nullable: true, description: "Only campaigns with this objective." })
  @IsOptional()
  objective?: CampaignObjective;

  @Field(() => String, { nullable: true, description: "Case-insensitive text the name contains." })
  @IsOptional()
  @Length(1, 200)
  search?: string;

  @Field(() => Boolean, { nullable: true, description: "Include archived campaigns (default false)." })
  @IsOptional()
  includeArchived?: boolean;
}

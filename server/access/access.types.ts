/** GraphQL types of access: who is calling, API keys, and the audit trail. */
import { ArrayMaxSize, IsOptional, Length, Matches } from "class-validator";
import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, InputType, ObjectType } from "type-graphql";

import type { ApiKeyRole, OrganizationKind } from "../../schema/enums.js";
import { Connection } from "../common/connection.js";
import { ApiKeyRoleEnum, OrganizationKindEnum } from "../common/enums.js";
import { DateTime } from "../common/scalars.js";

@ObjectType({ description: "A tenant: an agency or a brand. Campaigns and everything under them belong to one." })
export class Organization {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  @Field(() => String, { description: "Display name." })
  name: string;

  @Field(() => String, { description: "Unique, URL-safe short name." })
  slug: string;

  @Field(() => OrganizationKindEnum, { description: "Agency or brand." })
  kind: OrganizationKind;
}

@ObjectType({ description: "An API key of your organization. The key itself is shown only once, when it is created." })
export class ApiKey {
  @Field(() => ID, { description: "Stable identifier." })
  id: number;

  @Field(() => String, { description: "What or who the key is for." })
  name: string;

  @Field(() => String, { description: "The key's public part (`ig_<prefix>_…`): names it in listings and logs." })
  prefix: string;

  @Field(() => ApiKeyRoleEnum, { description: "What the key may do." })
  role: ApiKeyRole;

  @Field(() => DateTime, { description: "When the key was created (UTC)." })
  createdAt: Date;

  @Field(() => DateTime, { nullable: true, description: "When the key was last used, to the minute (UTC); null if never." })
  lastUsedAt: Date | null;

  @Field(() => DateTime, { nullable: true, description: "When the key was revoked (UTC); null while it is active." })
  revokedAt: Date | null;
}

export const ApiKeyConnection = Connection(ApiKey, "ApiKey");

@ObjectType({ description: "The caller: the API key that authenticated the request and its organization." })
export class Viewer {
  @Field(() => Organization, { description: "The organization the key belongs to." })
  organization: Organization;

  @Field(() => ApiKey, { description: "The key used for this request." })
  apiKey: ApiKey;
}

@InputType({ description: "A new API key for your organization." })
export class CreateApiKeyInput {
  @Field(() => String, { description: "What or who the key is for (1 to 100 characters), e.g. `reporting dashboard`." })
  @Length(1, 100)
  name: string;

  @Field(() => ApiKeyRoleEnum, { description: "What the key may do." })
  role: ApiKeyRole;
}

@ObjectType({ description: "A newly created API key. `key` is shown only in this response: store it now." })
export class CreateApiKeyPayload {
  @Field(() => String, { description: "The secret key to send as `Authorization: Bearer <key>`. It cannot be shown again." })
  key: string;

  @Field(() => ApiKey, { description: "The key's record." })
  apiKey: ApiKey;
}

@InputType({ description: "Which API key to revoke." })
export class RevokeApiKeyInput {
  @Field(() => ID, { description: "The key's id. The organization's last active ADMIN key cannot be revoked." })
  id: string;
}

@ObjectType({ description: "One change in your organization's audit trail: who did what, when, before and after." })
export class AuditEntry {
  @Field(() => ID, { description: "Stable identifier; entries are numbered in the order they were written." })
  id: number;

  @Field(() => String, { description: "What was done, as `entity.verb`, e.g. `campaign.update` or `apiKey.revoke`." })
  action: string;

  @Field(() => String, { description: "The kind of entity changed, e.g. `Campaign`, `Collaboration`, `ApiKey`." })
  entityType: string;

  @Field(() => ID, { description: "The changed entity's id." })
  entityId: number;

  @Field(() => DateTime, { description: "When the change committed (UTC)." })
  at: Date;

  apiKeyId: number | null;

  @Field(() => GraphQLJSON, { nullable: true, description: "The entity before the change; null when it was created." })
  before: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: "The entity after the change." })
  after: unknown;
}

export const AuditEntryConnection = Connection(AuditEntry, "AuditEntry");

@InputType({ description: "Filters for the audit trail; all given ones must hold." })
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: "Only entries about this kind of entity, e.g. `Campaign`." })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,40}$/)
  entityType?: string;

  @Field(() => ID, { nullable: true, description: "Only entries about this entity id (with `entityType`)." })
  entityId?: string;

  @Field(() => [String], { nullable: true, description: "Only these actions, e.g. `[\"campaign.create\"]` (at most 20)." })
  @IsOptional()
  @ArrayMaxSize(20)
  actions?: string[];

  @Field(() => ID, { nullable: true, description: "Only changes made with this API key." })
  apiKeyId?: string;

  @Field(() => DateTime, { nullable: true, description: "Only entries at or after this instant (UTC)." })
  since?: Date;

  @Field(() => DateTime, { nullable: true, description: "Only entries at or before this instant (UTC)." })
  until?: Date;
}

/** Who am I, API keys and the audit trail. Keys and the audit trail are for ADMIN keys only. */
import { IsOptional, ValidateNested } from "class-validator";
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";

import { PageArgs, pageSize } from "../common/connection.js";
import { parseId } from "../common/ids.js";
import { CurrentActor, type Context } from "../context.js";
import type { Actor } from "./actor.js";
import {
  ApiKey,
  ApiKeyConnection,
  AuditEntry,
  AuditEntryConnection,
  AuditLogFilter,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  RevokeApiKeyInput,
  Viewer,
} from "./access.types.js";

@ArgsType()
class ApiKeysArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false, description: "Include revoked keys." })
  includeRevoked: boolean;
}

@ArgsType()
class AuditLogArgs extends PageArgs {
  @Field(() => AuditLogFilter, { nullable: true, description: "Filters; all given ones must hold." })
  @IsOptional()
  @ValidateNested()
  filter?: AuditLogFilter;
}

@Resolver()
export class AccessResolver {
  @Authorized()
  @Query(() => Viewer, { description: "The caller: the API key of this request, its role and its organization." })
  viewer(@CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.viewer(actor);
  }

  @Authorized("ADMIN")
  @Query(() => ApiKeyConnection, { description: "Your organization's API keys, newest first (ADMIN only)." })
  apiKeys(@Args(() => ApiKeysArgs) args: ApiKeysArgs, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    const first = pageSize(args.first, ctx.config.maxPageSize);
    return ctx.services.apiKeys.page(actor.organizationId, { includeRevoked: args.includeRevoked }, first, args.after);
  }

  @Authorized("ADMIN")
  @Query(() => AuditEntryConnection, { description: "Your organization's audit trail, newest first (ADMIN only)." })
  auditLog(@Args(() => AuditLogArgs) args: AuditLogArgs, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    const f = args.filter;
    const filter = {
      entityType: f?.entityType,
      entityId: f?.entityId === undefined || f.entityId === null ? undefined : parseId(f.entityId, "filter.entityId"),
      actions: f?.actions,
      apiKeyId: f?.apiKeyId === undefined || f.apiKeyId === null ? undefined : parseId(f.apiKeyId, "filter.apiKeyId"),
      since: f?.since,
      until: f?.until,
    };
    return ctx.services.audit.page(actor.organizationId, filter, pageSize(args.first, ctx.config.maxPageSize), args.after);
  }

  @Authorized("ADMIN")
  @Mutation(() => CreateApiKeyPayload, { description: "Creates an API key for your organization (ADMIN only); the key is shown once." })
  createApiKey(@Arg("input", () => CreateApiKeyInput, { description: "The new key." }) input: CreateApiKeyInput, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.create(actor, input, { name: "input.name", role: "input.role" });
  }

  @Authorized("ADMIN")
  @Mutation(() => ApiKey, { description: "Revokes an API key of your organization at once (ADMIN only)." })
  revokeApiKey(@Arg("input", () => RevokeApiKeyInput, { description: "The key to revoke." }) input: RevokeApiKeyInput, @CurrentActor() actor: Actor, @Ctx() ctx: Context) {
    return ctx.services.apiKeys.revoke(actor, { id: parseId(input.id, "input.id") }, "input.id");
  }
}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @FieldResolver(() => ApiKey, { nullable: true, description: "The key that made the change; null when made with the `npm run keys` command line." })
  apiKey(@Root() entry: AuditEntry, @Ctx() ctx: Context) {
    return entry.apiKeyId === null ? null : ctx.loaders.access.apiKeyById.load(entry.apiKeyId);
  }
}

/** Builds the executable GraphQL schema from the resolver classes (code first). */
import "reflect-metadata";

import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchemaSync } from "type-graphql";

import { AccessResolver, AuditEntryResolver } from "./access/access.resolver.js";
import { authChecker } from "./access/auth-checker.js";
import { CampaignResolver, PostCampaignResolver } from "./campaigns/campaign.resolver.js";
import { CollaborationResolver, DeliverableResolver } from "./campaigns/collaboration.resolver.js";
import { CampaignRecommendationsResolver, DiscoveryResolver, SimilarInfluencerEdgeResolver } from "./discovery/discovery.resolver.js";
import { EngagementFlagResolver, PostFlagsResolver, SocialAccountFlagsResolver } from "./engagement/flags.resolver.js";
import { IngestResolver } from "./engagement/ingest.resolver.js";
import { PostResolver } from "./engagement/post.resolver.js";
import { AccountActivityResolver, PostEngagementResolver } from "./engagement/activity.resolver.js";
import { CampaignPerformanceResolver, CreatorPerformanceResolver } from "./engagement/report.resolver.js";
import { InfluencerResolver, SocialAccountResolver } from "./influencers/influencer.resolver.js";
import { validateArgument } from "./validation.js";

export const RESOLVERS = [
  InfluencerResolver,
  SocialAccountResolver,
  PostResolver,
  SocialAccountFlagsResolver,
  PostFlagsResolver,
  EngagementFlagResolver,
  CampaignResolver,
  PostCampaignResolver,
  CollaborationResolver,
  DeliverableResolver,
  AccessResolver,
  AuditEntryResolver,
  DiscoveryResolver,
  SimilarInfluencerEdgeResolver,
  CampaignRecommendationsResolver,
  CampaignPerformanceResolver,
  CreatorPerformanceResolver,
  PostEngagementResolver,
  AccountActivityResolver,
  IngestResolver,
] as const;

let schema: GraphQLSchema | undefined;

/** The schema is built once per process: type-graphql's metadata is global. */
export function getSchema(): GraphQLSchema {
  if (!schema) {
    schema = buildSchemaSync({ resolvers: RESOLVERS, authChecker, validateFn: validateArgument });
    // type-graphql has no option for the root types' descriptions; they become the reference's entry points.
    const query = schema.getQueryType();
    if (query) query.description = "Reads: the influencer catalogue (any API key), your organization's campaigns, and (ADMIN) its keys and audit trail.";
    const mutation = schema.getMutationType();
    if (mutation) mutation.description = "Writes: each mutation is one transaction and leaves an audit entry.";
  }
  return schema;
}

const HEADER = `# InfluenceGraph GraphQL schema.
# Emitted from the code by \`npm run schema:emit\` (server/emit-schema.ts); do not edit by hand.
# test/schema/schema-drift.test.ts fails when this file and the code disagree.
`;

/** The SDL as checked in at schema/schema.graphql: sorted, with descriptions, and a do-not-edit header. */
export function printSchemaSdl(): string {
  return `${HEADER}\n${printSchema(lexicographicSortSchema(getSchema()))}\n`;
}

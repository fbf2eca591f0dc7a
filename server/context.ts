/**
 * The per-request GraphQL context: who is calling, the services, and DataLoaders created fresh for this request
 * (their caches never outlive it, and tenant-scoped loaders carry the caller's organization).
 */
import { createParameterDecorator } from "type-graphql";

import type { Actor } from "./access/actor.js";
import { createCampaignLoaders } from "./campaigns/campaign.loaders.js";
import type { Config } from "./config.js";
import { createEngagementLoaders } from "./engagement/engagement.loaders.js";
import { UnauthenticatedError } from "./errors.js";
import { createInfluencerLoaders } from "./influencers/influencer.loaders.js";
import type { Services } from "./services.js";

export interface Context {
  actor: Actor | null;
  /** Why a presented key was refused (null when no key was sent). */
  authProblem: string | null;
  services: Services;
  loaders: Loaders;
  config: Config;
}

export function createLoaders(services: Services, actor: Actor | null) {
  return {
    influencers: createInfluencerLoaders(services.influencers),
    engagement: createEngagementLoaders(services.engagement),
    campaigns: createCampaignLoaders(services.campaigns, services.collaborations, actor),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export function createContext(services: Services, config: Config, authorization: string | undefined): Context {
  const auth = services.access.authenticate(authorization);
  const actor = auth.actor;
  return {
    actor,
    authProblem: auth.actor ? null : auth.problem,
    services,
    loaders: createLoaders(services, actor),
    config,
  };
}

/** Injects the authenticated caller; use on resolvers guarded by `@Authorized`. */
export function CurrentActor() {
  return createParameterDecorator<Context>(({ context }) => {
    if (!context.actor) throw new UnauthenticatedError(context.authProblem ?? undefined);
    return context.actor;
  });
}

/**
 * The per-request GraphQL context: who is calling, the services, and DataLoaders created fresh for this request
 * (their caches never outlive it, and tenant-scoped loaders carry the caller's organization).
 */
import { createParameterDecorator } from "type-graphql";

import { createAccessLoaders } from "./access/access.loaders.js";
import type { Actor } from "./access/actor.js";
import type { RateLimits, RateLimitState } from "./access/rate-limits.js";
import { createCampaignLoaders } from "./campaigns/campaign.loaders.js";
import type { Config } from "./config.js";
import { withTypedDatabaseErrors } from "./database-errors.js";
import { createEngagementLoaders } from "./engagement/engagement.loaders.js";
import { createFlagLoaders } from "./engagement/flags.loaders.js";
import { UnauthenticatedError } from "./errors.js";
import { createInfluencerLoaders } from "./influencers/influencer.loaders.js";
import type { RequestRecord } from "./ops/request-record.js";
import type { Services } from "./services.js";

export interface Context {
  actor: Actor | null;
  /** Why a presented key was refused (null when no key was sent). */
  authProblem: string | null;
  services: Services;
  loaders: Loaders;
  config: Config;
  /** The requesting socket's address: rate limits for requests without a valid key are kept per address. */
  clientAddress: string;
  /** The operation's cost (query-limits.ts), once known. */
  queryCost: number | null;
  /** The caller's remaining request budget, reported in the response headers. */
  rateLimit: RateLimitState | null;
  /** The caller's remaining cost budget, once the operation is charged. */
  costLimit: RateLimitState | null;
  /** What this request did, for its log line and metrics (server/ops/request-record.ts). */
  request: RequestRecord;
}

/**
 * The request's loaders, each feature's made on first use: most operations touch one or two features, and making
 * all thirty-odd DataLoaders up front cost every request, `{ __typename }` included.
 */
export class Loaders {
  #access?: ReturnType<typeof createAccessLoaders>;
  #influencers?: ReturnType<typeof createInfluencerLoaders>;
  #engagement?: ReturnType<typeof createEngagementLoaders>;
  #flags?: ReturnType<typeof createFlagLoaders>;
  #campaigns?: ReturnType<typeof createCampaignLoaders>;

  constructor(
    private readonly services: Services,
    private readonly actor: Actor | null,
  ) {}

  get access() {
    return (this.#access ??= createAccessLoaders(this.services.apiKeys, this.actor));
  }
  get influencers() {
    return (this.#influencers ??= createInfluencerLoaders(this.services.influencers));
  }
  get engagement() {
    return (this.#engagement ??= createEngagementLoaders(this.services.engagement, this.services.campaignReports));
  }
  get flags() {
    return (this.#flags ??= createFlagLoaders(this.services.flags));
  }
  get campaigns() {
    return (this.#campaigns ??= createCampaignLoaders(this.services.campaigns, this.services.collaborations, this.actor));
  }
}

export interface RequestInfo {
  authorization: string | undefined;
  clientAddress: string;
  record: RequestRecord;
}

/** Authenticates the request and counts it against its rate limit (RATE_LIMITED when spent). */
export async function createContext(services: Services, config: Config, rateLimits: RateLimits, request: RequestInfo): Promise<Context> {
  // A database busy past its timeout (or full, or read-only) answers its typed code and HTTP status, not a 500.
  const auth = withTypedDatabaseErrors(() => services.access.authenticate(request.authorization));
  const actor = auth.actor;
  const rateLimit = await rateLimits.takeRequest(actor, request.clientAddress);
  return {
    actor,
    authProblem: auth.actor ? null : auth.problem,
    services,
    loaders: new Loaders(services, actor),
    config,
    clientAddress: request.clientAddress,
    queryCost: null,
    rateLimit: actor ? rateLimit : null,
    costLimit: null,
    request: request.record,
  };
}

/** Injects the authenticated caller; use on resolvers guarded by `@Authorized`. */
export function CurrentActor() {
  return createParameterDecorator<Context>(({ context }) => {
    if (!context.actor) throw new UnauthenticatedError(context.authProblem ?? undefined);
    return context.actor;
  });
}

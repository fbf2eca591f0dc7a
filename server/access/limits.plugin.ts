/**
 * The Apollo plugin that enforces query limits and charges each operation's cost to the caller's rate budget,
 * after validation and before any resolver runs. Responses report the request budget in `RateLimit-*` headers
 * (IETF draft "RateLimit header fields for HTTP") and the cost budget in `X-Cost-*` headers.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { DocumentNode, GraphQLSchema } from "graphql";

import type { Context } from "../context.js";
import { checkQueryLimits, type QueryLimits } from "./query-limits.js";
import type { RateLimits } from "./rate-limits.js";

export function limitsPlugin(limits: QueryLimits, rateLimits: RateLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request, contextValue }) {
          await chargeOperation(schema, document, operationName ?? undefined, request.variables ?? {}, limits, rateLimits, contextValue);
        },
        async willSendResponse({ response, contextValue }) {
          setLimitHeaders(contextValue, response.http.headers);
        },
      };
    },
  };
}

/** Checks the operation against the limits and charges its cost to the caller (throws the typed refusal). */
export async function chargeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  rateLimits: RateLimits,
  contextValue: Context,
): Promise<void> {
  const { cost } = checkQueryLimits(schema, document, operationName, variables, limits);
  contextValue.queryCost = cost;
  if (contextValue.actor) contextValue.costLimit = await rateLimits.takeCost(contextValue.actor, cost);
}

/** The budget headers of a response. */
export function setLimitHeaders({ rateLimit, costLimit, queryCost }: Context, headers: Map<string, string>): void {
  if (rateLimit) {
    headers.set("ratelimit-limit", String(rateLimit.limit));
    headers.set("ratelimit-remaining", String(rateLimit.remaining));
    headers.set("ratelimit-reset", String(rateLimit.resetSeconds));
  }
  if (queryCost !== null) headers.set("x-query-cost", String(queryCost));
  if (costLimit) {
    headers.set("x-cost-limit", String(costLimit.limit));
    headers.set("x-cost-remaining", String(costLimit.remaining));
    headers.set("x-cost-reset", String(costLimit.resetSeconds));
  }
}

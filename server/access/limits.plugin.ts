/**
 * The Apollo plugin that enforces query limits and charges each operation's cost to the caller's rate budget,
 * after validation and before any resolver runs, and reports the budget in `RateLimit-*` response headers
 * (IETF draft "RateLimit header fields for HTTP").
 */
import type { ApolloServerPlugin } from "@apollo/server";

import type { Context } from "../context.js";
import { checkQueryLimits, type QueryLimits } from "./query-limits.js";
import type { RateLimits } from "./rate-limits.js";

export function limitsPlugin(limits: QueryLimits, rateLimits: RateLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request, contextValue }) {
          const { cost } = checkQueryLimits(schema, document, operationName ?? undefined, request.variables ?? {}, limits);
          contextValue.queryCost = cost;
          if (contextValue.actor) contextValue.rateLimit = await rateLimits.takeCost(contextValue.actor, cost);
        },
        async willSendResponse({ response, contextValue }) {
          const state = contextValue.rateLimit;
          if (!state) return;
          response.http.headers.set("ratelimit-limit", String(state.limit));
          response.http.headers.set("ratelimit-remaining", String(state.remaining));
          response.http.headers.set("ratelimit-reset", String(state.resetSeconds));
          if (contextValue.queryCost !== null) response.http.headers.set("x-query-cost", String(contextValue.queryCost));
        },
      };
    },
  };
}

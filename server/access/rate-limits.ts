/**
 * Per-key rate limits with rate-limiter-flexible: requests per minute per API key, and query cost per minute per
 * API key (the cost of `query-limits.ts`, so one huge query weighs like many small ones). Requests without a
 * valid key are limited per client address, so nobody can hammer the key lookup.
 *
 * The counters live in this process's memory: a multi-node deployment needs the library's shared store
 * (it has PostgreSQL and Redis ones) instead of RateLimiterMemory.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

import { AppError } from "../errors.js";
import type { Actor } from "./actor.js";

export interface RateLimitConfig {
  requestsPerMinute: number;
  costPerMinute: number;
  anonymousRequestsPerMinute: number;
}

/** What the response headers report: the tighter of the budgets touched by this request. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

const WINDOW_SECONDS = 60;

function refused(what: string, limit: number, result: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  return new AppError("RATE_LIMITED", `Rate limit exceeded: at most ${limit} ${what} per minute. Retry in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
    limit,
    http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
  });
}

function stateOf(limit: number, result: RateLimiterRes): RateLimitState {
  return { limit, remaining: Math.max(0, result.remainingPoints), resetSeconds: Math.ceil(result.msBeforeNext / 1000) };
}

export class RateLimits {
  private readonly requests: RateLimiterMemory;
  private readonly cost: RateLimiterMemory;
  private readonly anonymous: RateLimiterMemory;

  constructor(private readonly config: RateLimitConfig) {
    this.requests = new RateLimiterMemory({ keyPrefix: "requests", points: config.requestsPerMinute, duration: WINDOW_SECONDS });
    this.cost = new RateLimiterMemory({ keyPrefix: "cost", points: config.costPerMinute, duration: WINDOW_SECONDS });
    this.anonymous = new RateLimiterMemory({ keyPrefix: "anonymous", points: config.anonymousRequestsPerMinute, duration: WINDOW_SECONDS });
  }

  /** Counts one request; throws RATE_LIMITED (HTTP 429, `Retry-After`) when the caller's budget is spent. */
  async takeRequest(actor: Actor | null, clientAddress: string): Promise<RateLimitState> {
    const [limiter, key, limit] = actor
      ? [this.requests, `key:${actor.apiKeyId}`, this.config.requestsPerMinute]
      : [this.anonymous, `address:${clientAddress}`, this.config.anonymousRequestsPerMinute];
    try {
      return stateOf(limit, await limiter.consume(key, 1));
    } catch (error) {
      if (error instanceof RateLimiterRes) throw refused(actor ? "requests per API key" : "requests without a valid API key", limit, error);
      throw error;
    }
  }

  /** Charges an operation's cost to the key; a refused operation is not charged. */
  async takeCost(actor: Actor, cost: number): Promise<RateLimitState> {
    const key = `key:${actor.apiKeyId}`;
    const limit = this.config.costPerMinute;
    if (cost > limit) {
      throw new AppError("QUERY_TOO_COSTLY", `The query costs ${cost}, more than the per-minute budget of ${limit}.`, {
        cost,
        http: { status: 400 },
      });
    }
    if (cost === 0) return stateOf(limit, (await this.cost.get(key)) ?? new RateLimiterRes(limit, 0, 0));
    try {
      return stateOf(limit, await this.cost.consume(key, cost));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        await this.cost.reward(key, cost);
        throw refused("query cost points", limit, error);
      }
      throw error;
    }
  }
}

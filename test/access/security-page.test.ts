/** The security page states the defaults of the limits: they must be the defaults the server really applies. */
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { loadConfig } from "../../server/config.js";

const page = readFileSync(new URL("../../site/src/content/docs/security.md", import.meta.url), "utf8");

describe("site/src/content/docs/security.md", () => {
  it("lists every limit with the default the configuration applies", () => {
    const c = loadConfig({});
    const defaults: Record<string, number> = {
      MAX_QUERY_DEPTH: c.queryLimits.maxDepth,
      MAX_ALIASES: c.queryLimits.maxAliases,
      MAX_QUERY_COST: c.queryLimits.maxCost,
      MAX_QUERY_NODES: c.queryLimits.maxNodes,
      MAX_PAGE_SIZE: c.maxPageSize,
      BODY_LIMIT_BYTES: c.bodyLimitBytes,
      REQUEST_TIMEOUT_MS: c.requestTimeoutMs,
      RATE_LIMIT_REQUESTS_PER_MINUTE: c.rateLimits.requestsPerMinute,
      RATE_LIMIT_COST_PER_MINUTE: c.rateLimits.costPerMinute,
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: c.rateLimits.anonymousRequestsPerMinute,
    };
    const stated = Object.fromEntries([...page.matchAll(/^\| `([A-Z_]+)` \| `(\d+)` \|/gm)].map((m) => [m[1], Number(m[2])]));
    expect(stated).toEqual(defaults);
  });

  it("agrees with the production defaults", () => {
    const production = loadConfig({ NODE_ENV: "production" });
    expect(production.introspection).toBe(false);
    expect(production.landingPage).toBe(false);
    expect(page).toContain("introspection is off");
    expect(page).toContain("landing page is off");
  });
});

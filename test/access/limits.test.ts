/**
 * Abuse limits over real HTTP: depth, aliases, cost and size of an operation, page size, and per-key rate limits.
 * Every refusal is a typed error with a code, and a refused operation runs no resolver.
 */
import { count } from "drizzle-orm";
import { parse } from "graphql";
import { getComplexity } from "graphql-query-complexity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditLog } from "../../schema/tables.js";
import { checkQueryLimits, fieldCost } from "../../server/access/query-limits.js";
import { loadConfig } from "../../server/config.js";
import { getSchema } from "../../server/schema.js";
import { createInfluencer, createTenant } from "../support/factories.js";
import { singleError, sqlStatements, startTestServer, type TestServer } from "../support/server.js";

const costOf = (query: string, variables: Record<string, unknown> = {}) =>
  getComplexity({ schema: getSchema(), query: parse(query), variables, estimators: [fieldCost] });

describe("query cost (pure)", () => {
  it("counts the objects a query may return: `first` per connection, declared sizes per list", () => {
    // 10 influencers × (itself + 5 accounts)
    expect(costOf(`{ influencers(first: 10) { edges { node { name accounts { handle } } } } }`)).toBe(60);
    // the default page size (20) when `first` is left out, taken from variables when given there
    expect(costOf(`{ influencers { edges { node { name } } } }`)).toBe(20);
    expect(costOf(`query($n: Int) { influencers(first: $n) { edges { node { name } } } }`, { n: 7 })).toBe(7);
    // a list bounded by an argument (`days`), and scalars are free
    expect(costOf(`{ account(platform: INSTAGRAM, handle: "x") { handle followerHistory(days: 90) { followers } } }`)).toBe(1 + 90);
    // connection plumbing costs nothing by itself; totalCount is a scalar
    expect(costOf(`{ influencers(first: 5) { totalCount pageInfo { hasNextPage } } }`)).toBe(5);
    // fragments count like the fields they stand for; introspection is free
    expect(costOf(`{ influencers(first: 10) { ...F } __schema { types { name } } } fragment F on InfluencerConnection { edges { node { accounts { handle } } } }`)).toBe(60);
  });

  it("is remembered per document and the values of the variables it reads, and equals a fresh computation", () => {
    const limits = loadConfig({}).queryLimits;
    const document = parse(`query Q($id: ID!, $n: Int, $days: Int!, $withPosts: Boolean!, $skipAll: Boolean = false) {
      influencer(id: $id) @skip(if: $skipAll) { accounts { followerHistory(days: $days) { followers }
        recentPosts(first: $n) @include(if: $withPosts) { id } } } influencers(first: $n) { totalCount } }`);
    const cases = [
      { id: "1", n: 3, days: 7, withPosts: true },
      { id: "2", n: 3, days: 7, withPosts: true }, // another id: the same cost, from the cache
      { id: "1", n: 8, days: 7, withPosts: true },
      { id: "1", n: 3, days: 30, withPosts: true },
      { id: "1", n: 3, days: 7, withPosts: false },
      { id: "1", n: 3, days: 7, withPosts: true, skipAll: true },
      { id: "1", n: 3, days: 7, withPosts: true }, // again, from the cache
    ];
    const costs = cases.map((variables) => checkQueryLimits(getSchema(), document, "Q", variables, limits).cost);
    expect(costs).toEqual(cases.map((variables) => getComplexity({ schema: getSchema(), query: document, operationName: "Q", variables, estimators: [fieldCost] })));
    expect(new Set(costs).size).toBe(5);
  });

  it("multiplies nested lists", () => {
    const q = `{ influencers(first: 2) { edges { node { accounts { recentPosts(first: 4) { latestMetrics { likes } } } } } } }`;
    // 2 × (1 + 5 × (1 + 4 × (1 + 1)))
    expect(costOf(q)).toBe(2 * (1 + 5 * (1 + 4 * 2)));
  });
});

describe("query limits over HTTP", () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer({ MAX_QUERY_DEPTH: "6", MAX_ALIASES: "3", MAX_QUERY_COST: "1000", MAX_QUERY_NODES: "200" });
    key = createTenant(server.app.db, "ADMIN").key;
    createInfluencer(server.app.db);
    await server.gql(`{ viewer { apiKey { id } } }`, {}, key); // the key's first use also records its last-used time
  });
  afterAll(() => server.close());

  const refusal = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await server.gql(query, variables, key);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    // Only the key lookup ran: no resolver touched the database.
    expect(sqlStatements(response)).toBeLessThanOrEqual(1);
    return singleError(response);
  };

  it("refuses an operation nested deeper than MAX_QUERY_DEPTH", async () => {
    // influencers > edges > node > accounts > influencer > accounts > handle: 7 levels
    const error = await refusal(`{ influencers { edges { node { accounts { influencer { accounts { handle } } } } } } }`);
    expect(error.extensions).toMatchObject({ code: "QUERY_TOO_DEEP", maxDepth: 6 });
    const ok = await server.gql(`{ influencers { edges { node { accounts { influencer { name } } } } } }`, {}, key);
    expect(ok.errors).toBeUndefined();
  });

  it("counts depth through fragments", async () => {
    const error = await refusal(
      `{ influencers { edges { ...N } } } fragment N on InfluencerEdge { node { accounts { influencer { accounts { handle } } } } }`,
    );
    expect(error.extensions?.code).toBe("QUERY_TOO_DEEP");
  });

  it("refuses more than MAX_ALIASES aliases", async () => {
    const error = await refusal(`{ a: influencers(first: 1) { totalCount } b: influencers(first: 1) { totalCount } c: viewer { apiKey { id } } d: viewer { apiKey { id } } }`);
    expect(error.extensions).toMatchObject({ code: "TOO_MANY_ALIASES", maxAliases: 3 });
  });

  it("refuses an operation whose cost is over MAX_QUERY_COST, naming the cost, and accepts a smaller page", async () => {
    const query = `query($n: Int) { influencers(first: $n) { edges { node { accounts { recentPosts(first: 10) { caption } } } } } }`;
    const error = await refusal(query, { n: 50 });
    expect(error.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", cost: 50 * (1 + 5 * (1 + 10)), maxCost: 1000 });
    expect(error.message).toContain("first");
    const ok = await server.gql(query, { n: 5 }, key);
    expect(ok.errors).toBeUndefined();
    expect(ok.headers.get("x-query-cost")).toBe(String(5 * (1 + 5 * (1 + 10))));
  });

  it("refuses an operation with more fields than MAX_QUERY_NODES", async () => {
    const error = await refusal(`{ ${"__typename ".repeat(500)} }`);
    expect(error.extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", maxNodes: 200 });
  });

  it("refuses a mutation over the limits before it writes anything", async () => {
    const before = server.app.db.select({ n: count() }).from(auditLog).get()!.n;
    const error = await refusal(
      `mutation { a: createApiKey(input: { name: "a", role: ANALYST }) { key } b: createApiKey(input: { name: "b", role: ANALYST }) { key } c: createApiKey(input: { name: "c", role: ANALYST }) { key } d: createApiKey(input: { name: "d", role: ANALYST }) { key } }`,
    );
    expect(error.extensions?.code).toBe("TOO_MANY_ALIASES");
    expect(server.app.db.select({ n: count() }).from(auditLog).get()!.n).toBe(before);
  });

  it("refuses a page larger than MAX_PAGE_SIZE, naming `first`", async () => {
    const error = singleError(await server.gql(`{ influencers(first: 101) { totalCount } }`, {}, key));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first", max: 100 });
  });
});

describe("rate limits", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      RATE_LIMIT_REQUESTS_PER_MINUTE: "3",
      RATE_LIMIT_COST_PER_MINUTE: "100",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "2",
    });
    createInfluencer(server.app.db);
  });
  afterAll(() => server.close());

  it("counts requests per key, reports the budget in RateLimit headers, then refuses with 429 and Retry-After", async () => {
    const { key } = createTenant(server.app.db, "ANALYST");
    const other = createTenant(server.app.db, "ANALYST").key;
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const ok = await server.gql(`{ viewer { apiKey { role } } }`, {}, key);
      expect(ok.errors).toBeUndefined();
      remaining.push(ok.headers.get("ratelimit-remaining"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await server.gql(`{ viewer { apiKey { role } } }`, {}, key);
    expect(refused.status).toBe(429);
    const error = singleError(refused);
    expect(error.extensions).toMatchObject({ code: "RATE_LIMITED", limit: 3 });
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(error.extensions?.retryAfterSeconds).toBe(retryAfter);
    // Another key has its own budget.
    expect((await server.gql(`{ viewer { apiKey { role } } }`, {}, other)).errors).toBeUndefined();
  });

  it("charges each operation's cost to the key's budget per minute, and does not charge a refused one", async () => {
    const { key } = createTenant(server.app.db, "ANALYST");
    const query = `{ influencers(first: 10) { edges { node { accounts { handle } } } } }`; // cost 60
    const first = await server.gql(query, {}, key);
    expect(first.errors).toBeUndefined();
    expect(first.headers.get("x-query-cost")).toBe("60");
    expect(first.headers.get("x-cost-remaining")).toBe("40");
    const second = await server.gql(query, {}, key);
    expect(second.status).toBe(429);
    expect(singleError(second).extensions).toMatchObject({ code: "RATE_LIMITED", limit: 100 });
    // The refused 60 were not charged: a cost-40 query still fits.
    const small = await server.gql(`{ influencers(first: 40) { totalCount } }`, {}, key);
    expect(small.errors).toBeUndefined();
  });

  it("refuses an operation costing more than the whole per-minute budget as too costly, not as 'retry later'", async () => {
    const { key } = createTenant(server.app.db, "ANALYST");
    const response = await server.gql(`{ influencers(first: 60) { edges { node { accounts { handle } } } } }`, {}, key);
    expect(response.status).toBe(400);
    expect(singleError(response).extensions).toMatchObject({ code: "QUERY_TOO_COSTLY", cost: 360 });
  });

  it("limits requests without a valid key per client address", async () => {
    const codes: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await server.gql(`{ influencers { totalCount } }`, {}, "ig_00000000_notarealkeynotarealkeynotarealkeynotarealk");
      codes.push(singleError(response).extensions?.code);
    }
    expect(codes).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "RATE_LIMITED"]);
  });
});

describe("configuration of the limits", () => {
  it("has defaults, and production turns the landing page and introspection off", () => {
    const config = loadConfig({});
    expect(config.queryLimits).toEqual({ maxDepth: 12, maxAliases: 50, maxCost: 50_000, maxNodes: 5_000 });
    expect(config.rateLimits).toEqual({ requestsPerMinute: 600, costPerMinute: 500_000, anonymousRequestsPerMinute: 60 });
    expect(config.landingPage).toBe(true);
    expect(loadConfig({ NODE_ENV: "production" })).toMatchObject({ landingPage: false, introspection: false });
    expect(loadConfig({ NODE_ENV: "production", LANDING_PAGE: "true" }).landingPage).toBe(true);
  });

  it("serves the landing page to a browser only when enabled", async () => {
    const browserGet = (url: string) => fetch(url, { headers: { accept: "text/html" } });
    const on = await startTestServer({ LANDING_PAGE: "true" });
    const off = await startTestServer({ LANDING_PAGE: "false" });
    try {
      const page = await browserGet(on.url);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      const refused = await browserGet(off.url);
      expect(refused.headers.get("content-type") ?? "").not.toContain("text/html");
    } finally {
      await on.close();
      await off.close();
    }
  });
});

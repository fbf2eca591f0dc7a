/**
 * The direct path (server/executor.ts) answers exactly what Apollo's pipeline answers: the same request sent with
 * `extensions: {}` goes through Apollo, without it through the direct path; status, body and headers must agree,
 * for successes and for every kind of refusal. Requests the direct path must leave alone are checked to reach Apollo.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createCampaign, createInfluencer, createTenant } from "../support/factories.js";
import { startTestServer, type TestServer } from "../support/server.js";

const HEADERS = ["content-type", "ratelimit-limit", "x-query-cost", "x-cost-limit", "retry-after"];

describe("the direct execution path", () => {
  let server: TestServer;
  let admin: string;
  let analyst: string;
  let campaignId: number;
  let influencerId: number;

  beforeAll(async () => {
    server = await startTestServer({ MAX_QUERY_DEPTH: "6", MAX_QUERY_COST: "5000" }, (db) => {
      const tenant = createTenant(db, "ADMIN");
      admin = tenant.key;
      const { influencer } = createInfluencer(db, { name: "Parity", accounts: [{ handle: "parity_one" }, { handle: "parity_two", platform: "TIKTOK" }] });
      influencerId = influencer.id;
      campaignId = createCampaign(db, tenant.organization.id, { name: "Parity campaign" }).id;
      analyst = createTenant(db, "ANALYST").key;
    });
  });
  afterAll(() => server.close());

  const send = async (body: Record<string, unknown>, key: string | null, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: await response.text(),
      headers: Object.fromEntries(HEADERS.map((name) => [name, response.headers.get(name)])),
      statements: Number(response.headers.get("x-sql-statement-count")),
    };
  };
  const paths = async () => {
    const text = await (await fetch(`${server.app.origin}/metrics`)).text();
    const count = (path: string) => Number(new RegExp(`^influencegraph_graphql_execution_path_total\\{path="${path}"\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);
    return { direct: count("direct"), apollo: count("apollo") };
  };
  /** Sends the body through both paths and checks that they agree; returns the answer. */
  const both = async (body: Record<string, unknown>, key: string | null = admin) => {
    // A key's first use in a minute also writes its last use: make that happen before the pair is compared.
    await send({ query: "{ __typename }" }, key);
    const before = await paths();
    const direct = await send(body, key);
    const middle = await paths();
    const apollo = await send({ ...body, extensions: {} }, key);
    const after = await paths();
    expect(middle.direct - before.direct, "the direct path answered").toBe(1);
    expect(after.apollo - middle.apollo, "Apollo answered the copy").toBe(1);
    // Rate-limit headers differ by the one request between them.
    const { "ratelimit-limit": _a, ...directHeaders } = direct.headers;
    const { "ratelimit-limit": _b, ...apolloHeaders } = apollo.headers;
    expect({ status: direct.status, body: direct.body, headers: directHeaders }).toEqual({ status: apollo.status, body: apollo.body, headers: apolloHeaders });
    expect(direct.statements).toBe(apollo.statements);
    return direct;
  };

  it("answers queries and mutations as Apollo does", async () => {
    const ok = await both({ query: `query One($id: ID!) { influencer(id: $id) { name accounts { handle platform } } }`, variables: { id: String(influencerId) } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).data.influencer.accounts).toHaveLength(2);
    await both({ query: "{ __typename }" });
    await both({ query: `query A { a: __typename } query B { b: __typename }`, operationName: "B" });
    const created = await both({
      query: `mutation Make($input: CreateCampaignInput!) { createCampaign(input: $input) { name status } }`,
      variables: { input: { name: "Made twice", objective: "AWARENESS", budget: { amountMinor: 100, currency: "EUR" } } },
    });
    expect(JSON.parse(created.body).data.createCampaign).toEqual({ name: "Made twice", status: "DRAFT" });
  });

  it("answers every kind of refusal as Apollo does: codes, fields, statuses", async () => {
    const notFound = await both({ query: `{ influencer(id: "999999") { name } }` });
    expect(JSON.parse(notFound.body).errors[0].extensions.code).toBe("NOT_FOUND");
    const badInput = await both({ query: `{ influencers(first: -3) { totalCount } }` });
    expect(JSON.parse(badInput.body).errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    const anonymous = await both({ query: `{ influencers(first: 1) { totalCount } }` }, null);
    expect(JSON.parse(anonymous.body).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const unknownKey = await both({ query: `{ influencers(first: 1) { totalCount } }` }, "ig_deadbeef_notakeyatall");
    expect(JSON.parse(unknownKey.body).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const forbidden = await both(
      { query: `mutation M($input: ArchiveCampaignInput!) { archiveCampaign(input: $input) { id } }`, variables: { input: { id: String(campaignId) } } },
      analyst,
    );
    expect(JSON.parse(forbidden.body).errors[0].extensions.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    const deep = await both({ query: `{ influencers(first: 1) { edges { node { accounts { influencer { accounts { influencer { name } } } } } } } }` });
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.body).errors[0].extensions.code).toBe("QUERY_TOO_DEEP");
    const costly = await both({ query: `{ influencers(first: 100) { edges { node { accounts { recentPosts(first: 50) { id } } } } } }` });
    expect(costly.status).toBe(400);
    expect(JSON.parse(costly.body).errors[0].extensions.code).toBe("QUERY_TOO_COSTLY");
  });

  it("leaves to Apollo what it does not handle, untouched", async () => {
    const cases: [string, Record<string, unknown>, Record<string, string>][] = [
      ["a syntax error", { query: "{ influencers(" }, {}],
      ["a validation error", { query: "{ noSuchField }" }, {}],
      ["variables that do not coerce", { query: `query Q($id: ID!) { influencer(id: $id) { name } }`, variables: { id: { not: "an id" } } }, {}],
      ["a missing variable", { query: `query Q($id: ID!) { influencer(id: $id) { name } }` }, {}],
      ["an ambiguous operation", { query: `query A { __typename } query B { __typename }` }, {}],
      ["the graphql-response+json media type", { query: "{ __typename }" }, { accept: "application/graphql-response+json" }],
      ["persisted-query extensions", { query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } }, {}],
    ];
    for (const [name, body, headers] of cases) {
      const before = await paths();
      const answer = await send(body, admin, headers);
      const after = await paths();
      expect({ name, direct: after.direct - before.direct, apollo: after.apollo - before.apollo }).toEqual({ name, direct: 0, apollo: 1 });
      expect(answer.status, name).toBeGreaterThanOrEqual(200);
    }
    // A document that failed once is remembered as Apollo's, and still answered with its error.
    const again = await send({ query: "{ noSuchField }" }, admin);
    expect(again.status).toBe(400);
    expect(JSON.parse(again.body).errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAccountSnapshot, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let key: string;

const LIST = /* GraphQL */ `
  query List($filter: InfluencerFilter, $first: Int, $after: String, $orderBy: InfluencerOrder) {
    influencers(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      edges { cursor node { id name country totalFollowers categories accounts { platform handle followers } } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }
`;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.app.db;
  key = createTenant(db, "ANALYST").key;
  createInfluencer(db, {
    name: "Ana Fit",
    country: "US",
    categories: ["FITNESS", "HEALTH"],
    accounts: [{ platform: "INSTAGRAM", handle: "ana.fit", followers: 45_000 }],
  });
  createInfluencer(db, {
    name: "Bruno Games",
    country: "BR",
    categories: ["GAMING"],
    accounts: [
      { platform: "TWITCH", handle: "brunogg", followers: 900_000 },
      { platform: "YOUTUBE", handle: "brunogg_yt", followers: 120_000 },
    ],
  });
  createInfluencer(db, {
    name: "Chloé Cuisine",
    country: "FR",
    categories: ["FOOD"],
    contactEmail: null,
    accounts: [{ platform: "TIKTOK", handle: "chloe_cuisine", followers: 8_000 }],
  });
  createInfluencer(db, {
    name: "佐藤 さくら",
    country: "JP",
    categories: ["BEAUTY"],
    accounts: [{ platform: "INSTAGRAM", handle: "sakura_100%", followers: 2_500_000 }],
  });
});

afterAll(() => server.close());

const names = (r: any) => r.data.influencers.edges.map((e: any) => e.node.name);

describe("influencers query", () => {
  it("lists by followers, most first, with nested accounts and categories", async () => {
    const r = await server.gql(LIST, {}, key);
    expect(r.errors).toBeUndefined();
    expect(names(r)).toEqual(["佐藤 さくら", "Bruno Games", "Ana Fit", "Chloé Cuisine"]);
    const bruno = r.data.influencers.edges[1].node;
    expect(bruno.totalFollowers).toBe(1_020_000);
    expect(bruno.accounts.map((a: any) => a.platform)).toEqual(["TWITCH", "YOUTUBE"]);
    expect(bruno.categories).toEqual(["GAMING"]);
    expect(r.data.influencers.totalCount).toBe(4);
  });

  it.each([
    [{ platforms: ["INSTAGRAM"] }, ["佐藤 さくら", "Ana Fit"]],
    [{ minFollowers: 100_000, maxFollowers: 1_000_000 }, ["Bruno Games"]],
    [{ platforms: ["YOUTUBE"], minFollowers: 200_000 }, []],
    [{ countries: ["fr", "JP"] }, ["佐藤 さくら", "Chloé Cuisine"]],
    [{ categories: ["HEALTH", "GAMING"] }, ["Bruno Games", "Ana Fit"]],
    [{ search: "@BRUNOGG_YT" }, ["Bruno Games"]],
    [{ search: "cuisine" }, ["Chloé Cuisine"]],
    [{ search: "さくら" }, ["佐藤 さくら"]],
    [{ search: "100%" }, ["佐藤 さくら"]],
    [{ search: "_" }, ["佐藤 さくら", "Bruno Games", "Chloé Cuisine"]],
  ])("filters by %j", async (filter, expected) => {
    const r = await server.gql(LIST, { filter }, key);
    expect(r.errors).toBeUndefined();
    expect(names(r)).toEqual(expected);
    expect(r.data.influencers.totalCount).toBe(expected.length);
  });

  it.each(["FOLLOWERS_DESC", "NAME_ASC", "NEWEST"])("pages through %s without gaps or repeats", async (orderBy) => {
    const all = names(await server.gql(LIST, { orderBy, first: 10 }, key));
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await server.gql(LIST, { orderBy, first: 1, after }, key);
      expect(r.errors).toBeUndefined();
      seen.push(...names(r));
      expect(r.data.influencers.pageInfo.hasPreviousPage).toBe(after !== undefined);
      if (!r.data.influencers.pageInfo.hasNextPage) break;
      after = r.data.influencers.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(4);
  });

  it("sorts by name", async () => {
    const r = await server.gql(LIST, { orderBy: "NAME_ASC" }, key);
    expect(names(r)).toEqual(["Ana Fit", "Bruno Games", "Chloé Cuisine", "佐藤 さくら"]);
  });

  it.each([
    [{ first: 101 }, "first"],
    [{ first: -1 }, "first"],
    [{ after: "not-a-cursor" }, "after"],
    [{ filter: { minFollowers: 10, maxFollowers: 5 } }, "filter.maxFollowers"],
    [{ filter: { countries: ["USA"] } }, "filter.countries"],
    [{ filter: { search: "" } }, "filter.search"],
  ])("rejects %j with BAD_USER_INPUT on %s", async (variables, field) => {
    const r = await server.gql(LIST, variables, key);
    const error = singleError(r);
    expect(error.extensions?.code).toBe("BAD_USER_INPUT");
    expect(error.extensions?.field).toBe(field);
    expect(error.extensions?.stacktrace).toBeUndefined();
  });

  it.each([
    ["NAME_ASC", "FOLLOWERS_DESC"],
    ["NAME_ASC", "NEWEST"],
    ["NEWEST", "FOLLOWERS_DESC"],
  ])("rejects a %s cursor used with %s", async (from, to) => {
    const r = await server.gql(LIST, { orderBy: from, first: 1 }, key);
    const after = r.data.influencers.pageInfo.endCursor;
    const error = singleError(await server.gql(LIST, { orderBy: to, after }, key));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("rejects a campaign cursor on the influencer list", async () => {
    const campaignCursor = Buffer.from(JSON.stringify(["campaigns", null, 1])).toString("base64url");
    const error = singleError(await server.gql(LIST, { orderBy: "NEWEST", after: campaignCursor }, key));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("pages through ties (same followers, same name) without gaps or repeats", async () => {
    const { key: own } = createTenant(server.app.db, "ANALYST");
    const twins = Array.from({ length: 5 }, () =>
      createInfluencer(server.app.db, { name: "Twin Tie", country: "NZ", accounts: [{ followers: 77_777 }] }).influencer.id,
    );
    for (const orderBy of ["FOLLOWERS_DESC", "NAME_ASC"]) {
      const ids: string[] = [];
      let after: string | undefined;
      do {
        const r: any = await server.gql(
          `query($after: String, $orderBy: InfluencerOrder) { influencers(first: 2, after: $after, orderBy: $orderBy, filter: { countries: ["NZ"] }) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after, orderBy },
          own,
        );
        ids.push(...r.data.influencers.edges.map((e: any) => e.node.id));
        after = r.data.influencers.pageInfo.hasNextPage ? r.data.influencers.pageInfo.endCursor : undefined;
      } while (after);
      const expected = twins.map(String);
      expect(ids).toEqual(orderBy === "FOLLOWERS_DESC" ? [...expected].reverse() : expected);
    }
  });

  it("searches case-insensitively beyond ASCII", async () => {
    createInfluencer(server.app.db, { name: "Émilie Été", country: "BE", accounts: [{ handle: "emilie_ete" }] });
    for (const search of ["Émilie", "émilie", "ÉTÉ"]) {
      const r = await server.gql(LIST, { filter: { search, countries: ["BE"] } }, key);
      expect(names(r), search).toEqual(["Émilie Été"]);
    }
  });
});

describe("influencer, account and nested relations", () => {
  it("answers influencer(id) with accounts, audience, recent posts, metrics and follower history", async () => {
    const db = server.app.db;
    const { influencer, accounts } = createInfluencer(db, {
      name: "Nested Nina",
      accounts: [{ platform: "INSTAGRAM", handle: "nina", followers: 20_000, audience: { COUNTRY: { US: 0.7, GB: 0.3 }, AGE: { "18-24": 1 } } }],
    });
    const account = accounts[0]!;
    for (let day = 1; day <= 12; day++) {
      createPost(db, account, {
        publishedAt: new Date(Date.UTC(2026, 9, day)),
        caption: `post ${day}`,
        metrics: [
          { at: new Date(Date.UTC(2026, 9, day, 23)), likes: 10 * day, comments: day },
          { at: new Date(Date.UTC(2026, 9, day + 1, 23)), likes: 20 * day, comments: 2 * day },
        ],
      });
    }
    for (let day = 1; day <= 40; day++) createAccountSnapshot(db, account.id, new Date(Date.UTC(2026, 8, day)), 19_000 + day * 25);

    const r = await server.gql(
      `query($id: ID!) { influencer(id: $id) { name hasContact accounts {
          handle url influencer { name }
          audience { dimension key share }
          countries: audience(dimension: COUNTRY) { key share }
          recentPosts(first: 3) { caption publishedAt account { handle } latestMetrics { likes comments } metricsHistory { capturedAt likes } }
          followerHistory(days: 7) { capturedAt followers }
      } } }`,
      { id: String(influencer.id) },
      key,
    );
    expect(r.errors).toBeUndefined();
    const a = r.data.influencer.accounts[0];
    expect(a.url).toBe("https://www.instagram.com/nina/");
    expect(a.influencer.name).toBe("Nested Nina");
    expect(a.countries).toEqual([{ key: "US", share: 0.7 }, { key: "GB", share: 0.3 }]);
    expect(a.audience).toHaveLength(3);
    expect(a.recentPosts.map((p: any) => p.caption)).toEqual(["post 12", "post 11", "post 10"]);
    expect(a.recentPosts[0].publishedAt).toBe("2026-10-12T00:00:00.000Z");
    expect(a.recentPosts[0].latestMetrics).toEqual({ likes: 240, comments: 24 });
    expect(a.recentPosts[0].metricsHistory.map((m: any) => m.likes)).toEqual([120, 240]);
    expect(a.recentPosts[0].account.handle).toBe("nina");
    // 7 days up to the latest capture (Oct 10): Oct 4..10.
    expect(a.followerHistory.map((s: any) => s.capturedAt.slice(0, 10))).toEqual([
      "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07", "2026-10-08", "2026-10-09", "2026-10-10",
    ]);
  });

  it("finds an account by platform and handle, case-insensitively and with @", async () => {
    const r = await server.gql(`{ account(platform: INSTAGRAM, handle: "@Ana.Fit") { handle followers influencer { name } } }`, {}, key);
    expect(r.data.account).toEqual({ handle: "ana.fit", followers: 45_000, influencer: { name: "Ana Fit" } });
  });

  it.each([
    [`{ influencer(id: "999999") { name } }`, "NOT_FOUND", "id"],
    [`{ influencer(id: "abc") { name } }`, "BAD_USER_INPUT", "id"],
    [`{ influencer(id: "-3") { name } }`, "BAD_USER_INPUT", "id"],
    [`{ account(platform: TIKTOK, handle: "ana.fit") { handle } }`, "NOT_FOUND", "handle"],
  ])("%s answers %s on %s", async (query, code, field) => {
    const error = singleError(await server.gql(query, {}, key));
    expect(error.extensions).toMatchObject({ code, field });
  });

  it("rejects recentPosts(first) above its maximum", async () => {
    const error = singleError(
      await server.gql(`{ influencers(first: 1) { edges { node { accounts { recentPosts(first: 51) { id } } } } } }`, {}, key),
    );
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
  });
});

/**
 * `discover(brief)` over HTTP on a small catalogue built with factories: every filter, weights, explanations,
 * trust, diversity, pagination, tenant-scoped exclusions, and BAD_USER_INPUT naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AudienceDimension, Category, Platform } from "../../schema/enums.js";
import { eq } from "drizzle-orm";

import { campaigns, collaborations } from "../../schema/tables.js";
import { refreshAccountFeatures } from "../../server/discovery/features.js";
import { createAccountSnapshot, createCampaign, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type TestServer } from "../support/server.js";

const AS_OF = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;

interface Spec {
  name: string;
  country: string;
  language: string;
  categories: Category[];
  platform: Platform;
  followers: number;
  engagementRate: number;
  verified: boolean;
  credibility: number;
  contact: boolean;
  audience: Partial<Record<AudienceDimension, Record<string, number>>>;
  /** Daily follower growth; `jump` adds a one-day jump of bought followers. */
  dailyGrowth: number;
  jump?: number;
  postsLast30d: number;
  caption: string;
}

const SPECS: Spec[] = [
  { name: "Ava Fit", caption: "Morning workout routine at the gym", country: "US", language: "en", categories: ["FITNESS"], platform: "INSTAGRAM", followers: 48_000, engagementRate: 0.06, verified: true, credibility: 0.95, contact: true, audience: { COUNTRY: { US: 0.7, CA: 0.1 }, GENDER: { FEMALE: 0.8, MALE: 0.2 } }, dailyGrowth: 0.003, postsLast30d: 12 },
  { name: "Ben Beauty", caption: "My skincare routine for dry skin", country: "GB", language: "en", categories: ["BEAUTY", "FASHION"], platform: "TIKTOK", followers: 520_000, engagementRate: 0.02, verified: false, credibility: 0.85, contact: true, audience: { COUNTRY: { GB: 0.8, US: 0.1 }, GENDER: { FEMALE: 0.6, MALE: 0.4 } }, dailyGrowth: 0.001, postsLast30d: 6 },
  { name: "Chie Food", caption: "東京のラーメン 作り方", country: "JP", language: "ja", categories: ["FOOD"], platform: "YOUTUBE", followers: 2_100_000, engagementRate: 0.01, verified: true, credibility: 0.9, contact: false, audience: { COUNTRY: { JP: 0.9 }, GENDER: { FEMALE: 0.5, MALE: 0.5 } }, dailyGrowth: 0.0005, postsLast30d: 4 },
  { name: "Dan Bought", caption: "Quick workout", country: "US", language: "en", categories: ["FITNESS"], platform: "INSTAGRAM", followers: 60_000, engagementRate: 0.012, verified: false, credibility: 0.4, contact: true, audience: { COUNTRY: { US: 0.3, IN: 0.5 }, GENDER: { FEMALE: 0.5, MALE: 0.5 } }, dailyGrowth: 0.0005, jump: 1, postsLast30d: 8 },
  { name: "Eva Travel", caption: "Viagem ao Rio de Janeiro", country: "BR", language: "pt", categories: ["TRAVEL"], platform: "X", followers: 5_000, engagementRate: 0.015, verified: false, credibility: 0.8, contact: false, audience: { COUNTRY: { BR: 0.85, US: 0.05 }, GENDER: { FEMALE: 0.3, MALE: 0.7 } }, dailyGrowth: -0.002, postsLast30d: 1 },
  { name: "Finn Fit", caption: "Protein tips after a workout", country: "CA", language: "en", categories: ["FITNESS", "HEALTH"], platform: "INSTAGRAM", followers: 150_000, engagementRate: 0.035, verified: true, credibility: 0.92, contact: true, audience: { COUNTRY: { CA: 0.5, US: 0.3 }, GENDER: { FEMALE: 0.45, MALE: 0.55 } }, dailyGrowth: 0.002, postsLast30d: 10 },
  { name: "Gia Fit", caption: "Dance workout with friends", country: "US", language: "en", categories: ["FITNESS"], platform: "TIKTOK", followers: 900_000, engagementRate: 0.05, verified: true, credibility: 0.9, contact: true, audience: { COUNTRY: { US: 0.6, MX: 0.2 }, GENDER: { FEMALE: 0.65, MALE: 0.35 } }, dailyGrowth: 0.004, postsLast30d: 15 },
];

let server: TestServer;
let key: string;
let strangerKey: string;
/** name → { influencerId, accountId } as strings (GraphQL ids). */
const ids = new Map<string, { influencer: string; account: string }>();
let campaignId: string;
let foreignCampaignId: string;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.app.db;
  const tenant = createTenant(db, "MANAGER");
  key = tenant.key;
  const stranger = createTenant(db, "MANAGER");
  strangerKey = stranger.key;
  for (const spec of SPECS) {
    const { influencer, accounts } = createInfluencer(db, {
      name: spec.name,
      country: spec.country,
      language: spec.language,
      categories: spec.categories,
      contactEmail: spec.contact ? "hi@example.com" : null,
      accounts: [
        {
          platform: spec.platform,
          followers: spec.followers,
          engagementRate: spec.engagementRate,
          verified: spec.verified,
          audienceCredibility: spec.credibility,
          audience: spec.audience,
        },
      ],
    });
    const account = accounts[0]!;
    ids.set(spec.name, { influencer: String(influencer.id), account: String(account.id) });
    // 30 days of follower history ending at AS_OF, with the bought jump 10 days ago when planted.
    let followers = spec.followers / ((1 + spec.dailyGrowth) ** 30 * (1 + (spec.jump ?? 0)));
    for (let day = 30; day >= 0; day--) {
      if (day < 30) followers *= 1 + spec.dailyGrowth;
      if (day === 10 && spec.jump) followers *= 1 + spec.jump;
      createAccountSnapshot(db, account.id, new Date(AS_OF.getTime() - day * DAY), Math.round(followers));
    }
    for (let p = 0; p < spec.postsLast30d; p++) {
      createPost(db, account, { publishedAt: new Date(AS_OF.getTime() - (1 + p * 2) * DAY), caption: spec.caption });
    }
  }
  const campaign = createCampaign(db, tenant.organization.id);
  campaignId = String(campaign.id);
  db.insert(collaborations).values({ campaignId: campaign.id, influencerId: Number(ids.get("Gia Fit")!.influencer), status: "INVITED" }).run();
  foreignCampaignId = String(createCampaign(db, stranger.organization.id).id);
  // A campaign whose own targeting drives recommendations: fitness content about workouts, a US audience.
  db.update(campaigns)
    .set({ objective: "ENGAGEMENT", categories: ["FITNESS"], keywords: ["workout"], targetCountries: ["US"] })
    .where(eq(campaigns.id, campaign.id))
    .run();
  refreshAccountFeatures(db, { asOf: AS_OF });
  // The refresh swaps a new index in behind the scenes: wait for it.
  await server.app.services.discovery.sync();
});
afterAll(() => server.close());

const DISCOVER = /* GraphQL */ `
  query($brief: DiscoveryBrief!, $first: Int, $after: String) {
    discover(brief: $brief, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges {
        cursor rank score
        node { id handle followers }
        influencer { id name }
        explanation { trust trustReason matchedKeywords snippet factors { factor value weight contribution reason } }
      }
    }
  }
`;

async function discover(brief: Record<string, unknown>, first = 50, after?: string, as = key) {
  return server.gql(DISCOVER, { brief, first, after }, as);
}

async function names(brief: Record<string, unknown>): Promise<string[]> {
  const response = await discover(brief);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.discover.edges.map((e: any) => e.influencer.name);
}

const sorted = (list: string[]) => [...list].sort();
const where = (test: (s: Spec) => boolean) => sorted(SPECS.filter(test).map((s) => s.name));

describe("a broad brief", () => {
  it("ranks every account, best first, with ranks from 1 and scores in [0, 1]", async () => {
    const response = await discover({});
    const result = response.data.discover;
    expect(result.totalCount).toBe(SPECS.length);
    expect(result.edges.map((e: any) => e.rank)).toEqual(SPECS.map((_, i) => i + 1));
    const scores = result.edges.map((e: any) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0), expect(s).toBeLessThanOrEqual(1);
    expect(result.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it("explains every score: contributions add up to it, applied weights to 1, each factor with a reason", async () => {
    const { edges } = (await discover({})).data.discover;
    for (const edge of edges) {
      const factors = edge.explanation.factors;
      expect(factors.map((f: any) => f.factor)).toEqual(["KEYWORD_RELEVANCE", "ENGAGEMENT", "AUDIENCE_FIT", "AUTHENTICITY", "REACH", "GROWTH", "ACTIVITY", "COST_EFFICIENCY"]);
      expect(factors.reduce((sum: number, f: any) => sum + f.contribution, 0)).toBeCloseTo(edge.score, 6);
      expect(factors.reduce((sum: number, f: any) => sum + f.weight, 0)).toBeCloseTo(1, 5);
      for (const f of factors) {
        expect(f.reason.length).toBeGreaterThan(5);
        if (f.value !== null) expect(f.value).toBeGreaterThanOrEqual(0), expect(f.value).toBeLessThanOrEqual(1);
      }
      // Without keywords, audience criteria or fees, those factors do not apply.
      for (const name of ["KEYWORD_RELEVANCE", "AUDIENCE_FIT", "COST_EFFICIENCY"]) {
        expect(factors.find((f: any) => f.factor === name)).toMatchObject({ value: null, weight: 0, contribution: 0 });
      }
    }
    const ava = edges.find((e: any) => e.influencer.name === "Ava Fit");
    const engagement = ava.explanation.factors.find((f: any) => f.factor === "ENGAGEMENT");
    expect(engagement.reason).toMatch(/^engagement [\d.]+× the median for Instagram micro creators$/);
    expect(ava.explanation.factors.find((f: any) => f.factor === "REACH").reason).toBe("48k followers");
  });

  it("multiplies the score of bought reach down and says why", async () => {
    const { edges } = (await discover({})).data.discover;
    const dan = edges.find((e: any) => e.influencer.name === "Dan Bought");
    expect(dan.explanation.trust).toBeLessThan(0.5);
    expect(dan.explanation.trustReason).toMatch(/one-day follower jump of \+100\.\d%/);
    expect(edges.at(-1).influencer.name).toBe("Dan Bought");
    const ava = edges.find((e: any) => e.influencer.name === "Ava Fit");
    expect(ava.explanation).toMatchObject({ trust: 1, trustReason: null });
  });
});

describe("filters", () => {
  it.each([
    ["platforms", { platforms: ["INSTAGRAM"] }, (s: Spec) => s.platform === "INSTAGRAM"],
    ["minFollowers", { minFollowers: 100_000 }, (s: Spec) => s.followers >= 100_000],
    ["maxFollowers", { maxFollowers: 100_000 }, (s: Spec) => s.followers <= 100_000],
    ["follower range", { minFollowers: 10_000, maxFollowers: 600_000 }, (s: Spec) => s.followers >= 10_000 && s.followers <= 600_000],
    ["minEngagementRate", { minEngagementRate: 0.03 }, (s: Spec) => s.engagementRate >= 0.03],
    ["maxEngagementRate", { maxEngagementRate: 0.02 }, (s: Spec) => s.engagementRate <= 0.02],
    ["creatorCountries", { creatorCountries: ["US", "CA"] }, (s: Spec) => ["US", "CA"].includes(s.country)],
    ["creatorCountries nobody has", { creatorCountries: ["FI"] }, () => false],
    ["creatorLanguages", { creatorLanguages: ["ja", "pt"] }, (s: Spec) => ["ja", "pt"].includes(s.language)],
    ["categories (any of)", { categories: ["BEAUTY", "HEALTH"] }, (s: Spec) => s.categories.some((c) => c === "BEAUTY" || c === "HEALTH")],
    ["minAudienceCredibility", { minAudienceCredibility: 0.9 }, (s: Spec) => s.credibility >= 0.9],
    ["verifiedOnly", { verifiedOnly: true }, (s: Spec) => s.verified],
    ["minFollowerGrowth", { minFollowerGrowth: 0.05 }, (s: Spec) => s.dailyGrowth * 30 >= 0.05],
    ["hasContact", { hasContact: false }, (s: Spec) => !s.contact],
    [
      "required audience share over several keys",
      { audience: [{ dimension: "COUNTRY", keys: ["US", "CA"], minShare: 0.6, required: true }] },
      (s: Spec) => (s.audience.COUNTRY?.US ?? 0) + (s.audience.COUNTRY?.CA ?? 0) >= 0.6 - 1e-6,
    ],
    [
      // Selective enough to walk the accounts with at least 0.4 in US or MX; Gia Fit passes only on the sum.
      "required audience share reached only by the sum of keys",
      { audience: [{ dimension: "COUNTRY", keys: ["US", "MX"], minShare: 0.8, required: true }] },
      (s: Spec) => (s.audience.COUNTRY?.US ?? 0) + (s.audience.COUNTRY?.MX ?? 0) >= 0.8 - 1e-6,
    ],
    [
      "required gender split (a maximum share)",
      { audience: [{ dimension: "GENDER", keys: ["MALE"], maxShare: 0.4, required: true }] },
      (s: Spec) => (s.audience.GENDER?.MALE ?? 0) <= 0.4 + 1e-6,
    ],
  ] as [string, Record<string, unknown>, (s: Spec) => boolean][])("%s", async (_name, brief, expected) => {
    expect(sorted(await names(brief))).toEqual(where(expected));
  });

  it("excludes influencers by id", async () => {
    const excluded = [ids.get("Ava Fit")!.influencer, ids.get("Ben Beauty")!.influencer];
    expect(sorted(await names({ excludeInfluencerIds: excluded }))).toEqual(where((s) => s.name !== "Ava Fit" && s.name !== "Ben Beauty"));
  });

  it("excludes creators already in one of your campaigns, and treats another organization's campaign as not found", async () => {
    expect(await names({ excludeCampaignId: campaignId })).not.toContain("Gia Fit");
    const error = singleError(await discover({ excludeCampaignId: foreignCampaignId }));
    expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field: "brief.excludeCampaignId" });
    // The campaign's owner cannot reach the stranger's campaign either way round.
    expect(singleError(await discover({ excludeCampaignId: campaignId }, 50, undefined, strangerKey)).extensions?.code).toBe("NOT_FOUND");
  });

  it("scores audience fit against soft criteria without filtering", async () => {
    const { edges, totalCount } = (await discover({ audience: [{ dimension: "COUNTRY", keys: ["US"], minShare: 0.6 }] })).data.discover;
    expect(totalCount).toBe(SPECS.length);
    const fit = (name: string) => edges.find((e: any) => e.influencer.name === name).explanation.factors.find((f: any) => f.factor === "AUDIENCE_FIT");
    expect(fit("Ava Fit").value).toBe(1);
    expect(fit("Ben Beauty").value).toBeCloseTo(0.1 / 0.6, 5);
    expect(fit("Ava Fit").reason).toBe("70% of the audience in US (target ≥ 60%)");
  });
});

describe("keywords", () => {
  it("filter to matching accounts and score relevance, with the matched keyword and a snippet", async () => {
    const { edges } = (await discover({ keywords: "workout" })).data.discover;
    expect(sorted(edges.map((e: any) => e.influencer.name))).toEqual(where((s) => s.caption.includes("workout")));
    for (const edge of edges) {
      const relevance = edge.explanation.factors.find((f: any) => f.factor === "KEYWORD_RELEVANCE");
      expect(relevance.value).toBeGreaterThan(0);
      expect(relevance.weight).toBeGreaterThan(0);
      expect(relevance.reason).toBe("matches “workout”");
      expect(edge.explanation.matchedKeywords).toEqual(["workout"]);
      expect(edge.explanation.snippet).toContain("«workout»");
    }
  });

  it("support phrases, and Japanese text", async () => {
    expect(await names({ keywords: '"workout routine"' })).toEqual(["Ava Fit"]);
    expect(await names({ keywords: "ラーメン" })).toEqual(["Chie Food"]);
    expect(await names({ keywords: "skincare OR protein" })).toEqual(expect.arrayContaining(["Ben Beauty", "Finn Fit"]));
  });

  it("keep to matching accounts when a filter narrows the catalogue further than the keywords do", async () => {
    // One JP creator and four workout accounts: the scan walks the country's list, and must still require the match.
    expect(await names({ keywords: "workout", creatorCountries: ["JP"] })).toEqual([]);
    expect(await names({ keywords: "ラーメン", creatorCountries: ["JP"] })).toEqual(["Chie Food"]);
    expect(sorted(await names({ keywords: "workout", creatorCountries: ["CA"] }))).toEqual(["Finn Fit"]);
  });

  it("refuse a malformed query, naming the field", async () => {
    const error = singleError(await discover({ keywords: '"unbalanced' }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "brief.keywords" });
  });
});

describe("weights", () => {
  it("rank by the factors asked for: reach alone orders clean accounts by followers", async () => {
    const weights = { keywordRelevance: 0, engagement: 0, audienceFit: 0, authenticity: 0, reach: 1, growth: 0, activity: 0, costEfficiency: 0 };
    const ranked = await names({ weights, minAudienceCredibility: 0.8 });
    const expected = SPECS.filter((s) => s.credibility >= 0.8)
      .sort((a, b) => b.followers - a.followers)
      .map((s) => s.name);
    expect(ranked).toEqual(expected);
  });

  it("use the objective's preset by default", async () => {
    const { edges } = (await discover({ objective: "ENGAGEMENT" })).data.discover;
    const weightOf = (edge: any, factor: string) => edge.explanation.factors.find((f: any) => f.factor === factor).weight;
    // ENGAGEMENT's preset: engagement 0.3 of the 0.7 that applies without keywords, audience or fees.
    expect(weightOf(edges[0], "ENGAGEMENT")).toBeCloseTo(0.3 / 0.7, 6);
  });
});

describe("pagination", () => {
  it("pages with cursors: no overlap, ranks continue, the same order as one big page", async () => {
    const all = (await discover({}, 50)).data.discover.edges.map((e: any) => e.node.id);
    const seen: string[] = [];
    let after: string | undefined;
    let expectedRank = 1;
    for (;;) {
      const page = (await discover({}, 3, after)).data.discover;
      for (const edge of page.edges) {
        expect(edge.rank).toBe(expectedRank++);
        seen.push(edge.node.id);
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it("refuses a cursor of another brief", async () => {
    const cursor = (await discover({}, 2)).data.discover.pageInfo.endCursor;
    const error = singleError(await discover({ verifiedOnly: true }, 2, cursor));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});

describe("diversity", () => {
  it("keeps any one country to its share of the top window, then continues in score order", async () => {
    const plain = await names({});
    const diverse = (await discover({ diversity: { by: "COUNTRY", maxShare: 0.34, window: 3 } })).data.discover.edges;
    const countryOf = (name: string) => SPECS.find((s) => s.name === name)!.country;
    const top = diverse.slice(0, 3).map((e: any) => countryOf(e.influencer.name));
    expect(new Set(top).size).toBe(3);
    expect(sorted(diverse.map((e: any) => e.influencer.name))).toEqual(sorted(plain));
    // Pages of a diversified ranking follow each other too.
    const first = (await discover({ diversity: { by: "COUNTRY", maxShare: 0.34, window: 3 } }, 2)).data.discover;
    const second = (await discover({ diversity: { by: "COUNTRY", maxShare: 0.34, window: 3 } }, 2, first.pageInfo.endCursor)).data.discover;
    expect([...first.edges, ...second.edges].map((e: any) => e.node.id)).toEqual(diverse.slice(0, 4).map((e: any) => e.node.id));
    expect(second.edges.map((e: any) => e.rank)).toEqual([3, 4]);
  });
});

describe("invalid briefs", () => {
  it.each([
    [{ minFollowers: 1000, maxFollowers: 10 }, "brief.maxFollowers"],
    [{ minEngagementRate: -0.1 }, "brief.minEngagementRate"],
    [{ creatorCountries: ["usa"] }, "brief.creatorCountries.0"],
    [{ creatorLanguages: ["en", "EN"] }, "brief.creatorLanguages.1"],
    [{ audience: [{ dimension: "AGE", keys: ["18-99"], minShare: 0.5 }] }, "brief.audience.0.keys.0"],
    [{ audience: [{ dimension: "COUNTRY", keys: [], minShare: 0.5 }] }, "brief.audience.0.keys"],
    [{ audience: [{ dimension: "COUNTRY", keys: ["US"], minShare: 1.5 }] }, "brief.audience.0.minShare"],
    [{ audience: [{ dimension: "COUNTRY", keys: ["US"], minShare: 0.5, maxShare: 0.2 }] }, "brief.audience.0.maxShare"],
    [{ minAudienceCredibility: 2 }, "brief.minAudienceCredibility"],
    [{ weights: { reach: -1 } }, "brief.weights.reach"],
    [{ weights: { keywordRelevance: 0, engagement: 0, audienceFit: 0, authenticity: 0, reach: 0, growth: 0, activity: 0, costEfficiency: 0 } }, "brief.weights"],
    [{ diversity: { by: "COUNTRY", maxShare: 0 } }, "brief.diversity.maxShare"],
    [{ excludeInfluencerIds: ["abc"] }, "brief.excludeInfluencerIds.0"],
  ])("%j is BAD_USER_INPUT on %s", async (brief, field) => {
    const error = singleError(await discover(brief));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("refuses a page over the maximum and an unknown enum, naming the field", async () => {
    expect(singleError(await discover({}, 101)).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    expect(singleError(await discover({ platforms: ["MYSPACE"] })).extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("needs an API key", async () => {
    expect(singleError(await server.gql(DISCOVER, { brief: {} })).extensions?.code).toBe("UNAUTHENTICATED");
  });
});

const SIMILAR = /* GraphQL */ `
  query($id: ID!, $first: Int, $after: String) {
    similarInfluencers(influencerId: $id, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor rank similarity node { name } account { id } explanation { aspect value weight contribution reason } }
    }
  }
`;

describe("similarInfluencers", () => {
  it("ranks other creators by audience, categories and content, each aspect explained", async () => {
    const response = await server.gql(SIMILAR, { id: ids.get("Ava Fit")!.influencer, first: 10 }, key);
    const result = response.data.similarInfluencers;
    expect(result.totalCount).toBe(SPECS.length - 1);
    const order = result.edges.map((e: any) => e.node.name);
    expect(order).not.toContain("Ava Fit");
    // Gia: same country, category and a close audience; Dan: same category, weaker audience overlap.
    expect(order.slice(0, 2)).toEqual(["Gia Fit", "Dan Bought"]);
    for (const edge of result.edges) {
      expect(edge.explanation.map((c: any) => c.aspect)).toEqual(["AUDIENCE", "CATEGORIES", "CONTENT"]);
      expect(edge.explanation.reduce((sum: number, c: any) => sum + c.contribution, 0)).toBeCloseTo(edge.similarity, 9);
    }
    const gia = result.edges[0];
    expect(gia.explanation[1].reason).toBe("shares FITNESS (1 of 1 categories)");
    expect(gia.explanation[0].reason).toMatch(/^audience overlap \d+% \(/);
    expect(gia.account.id).toBe(ids.get("Gia Fit")!.account);
  });

  it("pages by rank", async () => {
    const id = ids.get("Ava Fit")!.influencer;
    const all = (await server.gql(SIMILAR, { id, first: 10 }, key)).data.similarInfluencers.edges.map((e: any) => e.node.name);
    const first = (await server.gql(SIMILAR, { id, first: 4 }, key)).data.similarInfluencers;
    const second = (await server.gql(SIMILAR, { id, first: 4, after: first.pageInfo.endCursor }, key)).data.similarInfluencers;
    expect([...first.edges, ...second.edges].map((e: any) => e.node.name)).toEqual(all);
    expect(second.edges[0].rank).toBe(5);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("answers NOT_FOUND for an unknown creator and BAD_USER_INPUT for a malformed id", async () => {
    expect(singleError(await server.gql(SIMILAR, { id: "999999" }, key)).extensions).toMatchObject({ code: "NOT_FOUND", field: "influencerId" });
    expect(singleError(await server.gql(SIMILAR, { id: "x" }, key)).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "influencerId" });
  });
});

describe("Campaign.recommendedInfluencers", () => {
  const RECOMMENDED = `query($id: ID!) { campaign(id: $id) { recommendedInfluencers(first: 10) { totalCount edges { rank score influencer { name } explanation { matchedKeywords factors { factor value weight } } } } } }`;

  it("ranks with the campaign's own targeting and leaves out creators already in it", async () => {
    const result = (await server.gql(RECOMMENDED, { id: campaignId }, key)).data.campaign.recommendedInfluencers;
    const found = sorted(result.edges.map((e: any) => e.influencer.name));
    // FITNESS creators posting about workouts, without Gia (already in the campaign).
    expect(found).toEqual(where((s) => s.categories.includes("FITNESS") && s.caption.includes("workout") && s.name !== "Gia Fit"));
    for (const edge of result.edges) {
      expect(edge.explanation.matchedKeywords).toEqual(["workout"]);
      const fit = edge.explanation.factors.find((f: any) => f.factor === "AUDIENCE_FIT");
      expect(fit.value).not.toBeNull();
      // The campaign's objective (ENGAGEMENT) sets the weights.
      expect(edge.explanation.factors.find((f: any) => f.factor === "COST_EFFICIENCY").weight).toBe(0);
    }
  });

  it("is reachable only through the owning organization", async () => {
    expect(singleError(await server.gql(RECOMMENDED, { id: campaignId }, strangerKey)).extensions?.code).toBe("NOT_FOUND");
  });
});

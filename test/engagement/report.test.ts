/**
 * `Campaign.performance` over HTTP on a hand-built campaign whose every figure is computed by hand below: totals,
 * per creator with the benchmark comparison, the daily series, the period filter, EMV values, and refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collaborations, conversions, postMetricSnapshots } from "../../schema/tables.js";
import type { Db } from "../../server/db.js";
import { benchmarkEngagementRate } from "../../server/discovery/benchmarks.js";
import { rebuildAllRollups } from "../../server/engagement/rollups.js";
import { createCampaign, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { singleError, sqlStatements, startTestServer, type TestServer } from "../support/server.js";

const D0 = Date.UTC(2026, 9, 5);
const D1 = D0 + 86_400_000;
const at = (day: number, hour: number) => new Date(day + hour * 3_600_000);

let server: TestServer;
let key: string;
let strangerKey: string;
let campaignId: string;
let emptyCampaignId: string;

type Counters = { likes: number; comments: number; shares: number; saves: number; views: number; reach: number; impressions: number };
function capture(db: Db, postId: number, when: Date, c: Counters) {
  db.insert(postMetricSnapshots).values({ postId, capturedAt: when, ...c }).run();
}

beforeAll(async () => {
  server = await startTestServer({}, (db) => {
    const tenant = createTenant(db, "ANALYST");
    key = tenant.key;
    strangerKey = createTenant(db, "ANALYST").key;
    const campaign = createCampaign(db, tenant.organization.id, { currency: "USD" });
    campaignId = String(campaign.id);
    emptyCampaignId = String(createCampaign(db, tenant.organization.id).id);
    const ana = createInfluencer(db, { name: "Ana", accounts: [{ platform: "INSTAGRAM", followers: 10_000 }] });
    const bo = createInfluencer(db, { name: "Bo", accounts: [{ platform: "TIKTOK", followers: 200_000 }] });
    const cy = createInfluencer(db, { name: "Cy", accounts: [{ platform: "YOUTUBE", followers: 5_000 }] });
    db.insert(collaborations)
      .values([
        { campaignId: campaign.id, influencerId: ana.influencer.id, status: "CONTRACTED", feeAmount: 100_000, feeCurrency: "USD", promoCode: "ANA10" },
        { campaignId: campaign.id, influencerId: bo.influencer.id, status: "PUBLISHED", feeAmount: 50_000, feeCurrency: "USD" },
        // Invited only: its proposed fee is not spend yet.
        { campaignId: campaign.id, influencerId: cy.influencer.id, status: "INVITED", feeAmount: 70_000, feeCurrency: "USD" },
      ])
      .run();
    const anaPost = createPost(db, ana.accounts[0]!, { publishedAt: at(D0, 10), campaignId: campaign.id });
    capture(db, anaPost.id, at(D0, 12), { likes: 100, comments: 10, shares: 5, saves: 5, views: 0, reach: 2000, impressions: 3000 });
    capture(db, anaPost.id, at(D0, 20), { likes: 150, comments: 12, shares: 6, saves: 8, views: 0, reach: 2500, impressions: 4000 });
    capture(db, anaPost.id, at(D1, 9), { likes: 200, comments: 20, shares: 10, saves: 10, views: 0, reach: 3000, impressions: 5000 });
    const boPost = createPost(db, bo.accounts[0]!, { publishedAt: at(D1, 8), campaignId: campaign.id });
    capture(db, boPost.id, at(D1, 18), { likes: 1000, comments: 100, shares: 50, saves: 20, views: 20_000, reach: 15_000, impressions: 25_000 });
    // Organic: not the campaign's.
    const organic = createPost(db, ana.accounts[0]!, { publishedAt: at(D0, 9) });
    capture(db, organic.id, at(D0, 23), { likes: 9999, comments: 999, shares: 0, saves: 0, views: 0, reach: 9999, impressions: 9999 });
    db.insert(conversions)
      .values([
        { promoCode: "ANA10", occurredAt: at(D1, 15), orders: 3, revenueAmount: 4500, currency: "USD" },
        // Another currency: the orders count, the revenue does not.
        { promoCode: "ANA10", occurredAt: at(D1, 16), orders: 1, revenueAmount: 1000, currency: "EUR" },
      ])
      .run();
    db.$client.prepare("UPDATE conversions SET collaboration_id = (SELECT id FROM collaborations WHERE promo_code = 'ANA10')").run();
    rebuildAllRollups(db);
  });
});
afterAll(() => server.close());

const REPORT = /* GraphQL */ `
  query($id: ID!, $from: DateTime, $to: DateTime, $emv: EmvValuesInput) {
    campaign(id: $id) {
      performance(from: $from, to: $to, emvValues: $emv) {
        currency from to
        emvValues { like comment share save view thousandImpressions }
        totals { ...M }
        creators {
          influencer { name }
          followers engagementRateByFollowers
          metrics { ...M }
          benchmark { platform tier basis benchmarkRate creatorRate ratio }
          daily { ...Day }
        }
        daily { ...Day }
      }
    }
  }
  fragment Day on DailyPerformance { day postsPublished likes comments shares saves views reach impressions engagements orders revenue { amountMinor currency } }
  fragment M on PerformanceMetrics {
    postsPublished likes comments shares saves views reach impressions engagements
    engagementRateByReach engagementRateByViews
    spend { amountMinor currency } costPerEngagementMinor costPerMilleMinor costPerViewMinor
    earnedMediaValue { amountMinor currency } orders revenue { amountMinor currency } returnOnAdSpend
  }
`;

async function report(variables: Record<string, unknown> = {}, as = key) {
  const response = await server.gql(REPORT, { id: campaignId, ...variables }, as);
  return response;
}

describe("Campaign.performance", () => {
  it("totals the campaign's posts, fees and promo-code orders", async () => {
    const { data, errors } = await report();
    expect(errors).toBeUndefined();
    const t = data.campaign.performance.totals;
    // Ana's post gained 200 likes, 20 comments, 10 shares, 10 saves, reach 3,000, impressions 5,000 (its last
    // capture); Bo's 1,000 / 100 / 50 / 20, 20,000 views, reach 15,000, impressions 25,000. The organic post is not counted.
    expect(t).toMatchObject({ postsPublished: 2, likes: 1200, comments: 120, shares: 60, saves: 30, views: 20_000, reach: 18_000, impressions: 30_000 });
    expect(t.engagements).toBe(1410);
    expect(t.engagementRateByReach).toBeCloseTo(1410 / 18_000, 12);
    expect(t.engagementRateByViews).toBeCloseTo(1410 / 20_000, 12);
    // Spend: contracted (100,000) + published (50,000); the invited creator's proposed fee is not spent.
    expect(t.spend).toEqual({ amountMinor: 150_000, currency: "USD" });
    expect(t.costPerEngagementMinor).toBeCloseTo(150_000 / 1410, 9);
    expect(t.costPerMilleMinor).toBeCloseTo((150_000 * 1000) / 30_000, 9);
    expect(t.costPerViewMinor).toBeCloseTo(150_000 / 20_000, 12);
    // 1,200×8 + 120×50 + 60×60 + 30×50 + 20,000×2 + 30×500 (per 1,000 impressions).
    expect(t.earnedMediaValue).toEqual({ amountMinor: 9600 + 6000 + 3600 + 1500 + 40_000 + 15_000, currency: "USD" });
    expect(t.orders).toBe(4);
    expect(t.revenue).toEqual({ amountMinor: 4500, currency: "USD" });
    expect(t.returnOnAdSpend).toBeCloseTo(4500 / 150_000, 12);
  });

  it("gives every creator its metrics and its engagement rate against the platform and tier benchmark", async () => {
    const { data } = await report();
    const [ana, bo, cy] = data.campaign.performance.creators;
    expect(ana.influencer.name).toBe("Ana");
    expect(ana.followers).toBe(10_000);
    expect(ana.engagementRateByFollowers).toBeCloseTo(220 / 10_000, 12);
    expect(ana.metrics).toMatchObject({ postsPublished: 1, likes: 200, spend: { amountMinor: 100_000 }, orders: 4, revenue: { amountMinor: 4500 } });
    const instagramMicro = benchmarkEngagementRate("INSTAGRAM", "MICRO");
    expect(ana.benchmark).toMatchObject({ platform: "INSTAGRAM", tier: "MICRO", basis: "FOLLOWERS" });
    expect(ana.benchmark.benchmarkRate).toBeCloseTo(instagramMicro, 12);
    expect(ana.benchmark.ratio).toBeCloseTo(220 / 10_000 / instagramMicro, 9);
    // TikTok's benchmark divides by views.
    expect(bo.benchmark).toMatchObject({ platform: "TIKTOK", tier: "MID", basis: "VIEWS" });
    expect(bo.benchmark.creatorRate).toBeCloseTo(1100 / 20_000, 12);
    expect(bo.metrics.returnOnAdSpend).toBe(0);
    // No post yet: zeros, null ratios, no benchmark.
    expect(cy.metrics).toMatchObject({ postsPublished: 0, engagements: 0, engagementRateByReach: null, costPerEngagementMinor: null, spend: { amountMinor: 0 } });
    expect(cy.benchmark).toBeNull();
    expect(cy.engagementRateByFollowers).toBeNull();
  });

  it("has a daily series: the day's last capture minus the previous day's, and the day's orders", async () => {
    const { data } = await report();
    expect(data.campaign.performance.daily).toEqual([
      { day: new Date(D0).toISOString(), postsPublished: 1, likes: 150, comments: 12, shares: 6, saves: 8, views: 0, reach: 2500, impressions: 4000, engagements: 176, orders: 0, revenue: { amountMinor: 0, currency: "USD" } },
      { day: new Date(D1).toISOString(), postsPublished: 1, likes: 1050, comments: 108, shares: 54, saves: 22, views: 20_000, reach: 15_500, impressions: 26_000, engagements: 1234, orders: 4, revenue: { amountMinor: 4500, currency: "USD" } },
    ]);
  });

  it("has a daily series per creator, and the creators' series add up to the campaign's", async () => {
    const { data, errors } = await report();
    expect(errors).toBeUndefined();
    const { creators, daily } = data.campaign.performance;
    const [ana, bo, cy] = creators;
    // Ana: day 0 gains 150 likes (the day's last capture), day 1 the remaining 50, and her promo code's 4 orders.
    expect(ana.daily.map((d: any) => [d.day, d.postsPublished, d.likes, d.orders, d.revenue.amountMinor])).toEqual([
      [new Date(D0).toISOString(), 1, 150, 0, 0],
      [new Date(D1).toISOString(), 0, 50, 4, 4500],
    ]);
    expect(bo.daily.map((d: any) => [d.day, d.postsPublished, d.likes, d.views])).toEqual([[new Date(D1).toISOString(), 1, 1000, 20_000]]);
    expect(cy.daily).toEqual([]);
    for (const day of daily) {
      const sum = (field: string) => creators.reduce((total: number, c: any) => total + (c.daily.find((d: any) => d.day === day.day)?.[field] ?? 0), 0);
      for (const field of ["postsPublished", "likes", "comments", "shares", "saves", "views", "reach", "impressions", "engagements", "orders"]) {
        expect(sum(field), `${field} on ${day.day}`).toBe(day[field]);
      }
    }
  });

  it("loads every creator's daily series in a fixed number of statements", async () => {
    const statements = async (query: string) => sqlStatements(await server.gql(`{ campaign(id: "${campaignId}") { performance { ${query} } } }`, {}, key));
    const without = await statements("creators { collaborationId }");
    const withDaily = await statements("creators { collaborationId daily { day likes } }");
    // Two statements for any number of creators: the gains and the orders.
    expect(withDaily - without).toBe(2);
  });

  it("limits to a period and takes the caller's EMV values", async () => {
    const { data } = await report({ from: new Date(D1 + 3_600_000).toISOString(), to: new Date(D1).toISOString(), emv: { like: 1, comment: 0, share: 0, save: 0, view: 0, thousandImpressions: 0 } });
    const p = data.campaign.performance;
    expect(p.from).toBe(new Date(D1).toISOString());
    expect(p.daily.map((d: { day: string }) => d.day)).toEqual([new Date(D1).toISOString()]);
    // The creators' own series keep to the period too.
    expect(p.creators[0].daily.map((d: { day: string; likes: number }) => [d.day, d.likes])).toEqual([[new Date(D1).toISOString(), 50]]);
    expect(p.totals).toMatchObject({ postsPublished: 1, likes: 1050, orders: 4, earnedMediaValue: { amountMinor: 1050 } });
    expect(p.emvValues).toEqual({ like: 1, comment: 0, share: 0, save: 0, view: 0, thousandImpressions: 0 });
  });

  it("is empty, not an error, for a campaign without collaborations", async () => {
    const { data, errors } = await server.gql(REPORT, { id: emptyCampaignId }, key);
    expect(errors).toBeUndefined();
    expect(data.campaign.performance).toMatchObject({ creators: [], daily: [], totals: { postsPublished: 0, spend: { amountMinor: 0 }, returnOnAdSpend: null } });
  });

  it("refuses a reversed period and negative EMV values, naming the argument", async () => {
    expect(singleError(await report({ from: new Date(D1).toISOString(), to: new Date(D0).toISOString() })).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
    expect(singleError(await report({ emv: { like: -1 } })).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "emvValues.like" });
  });

  it("is another organization's: NOT_FOUND", async () => {
    expect(singleError(await report({}, strangerKey)).extensions).toMatchObject({ code: "NOT_FOUND" });
  });
});

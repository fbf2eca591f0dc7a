/** `Post.engagement` and `SocialAccount.activity` over HTTP, on hand-computed numbers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { postMetricSnapshots } from "../../schema/tables.js";
import { refreshAccountFeatures } from "../../server/discovery/features.js";
import { createInfluencer, createPost, createTenant } from "../support/factories.js";
import { startTestServer, type TestServer } from "../support/server.js";

const AS_OF = new Date("2026-11-01T00:00:00Z");
const DAY = 86_400_000;
let server: TestServer;
let key: string;
let influencerId: string;

beforeAll(async () => {
  server = await startTestServer({}, (db) => {
    key = createTenant(db, "ANALYST").key;
    const { influencer, accounts } = createInfluencer(db, { accounts: [{ platform: "INSTAGRAM", followers: 10_000 }] });
    influencerId = String(influencer.id);
    const account = accounts[0]!;
    // Three posts in the 30 days before AS_OF, one before them; a capture each, before AS_OF.
    const likes = [300, 100, 200, 5000];
    [2, 10, 20, 45].forEach((daysAgo, i) => {
      const post = createPost(db, account, { publishedAt: new Date(AS_OF.getTime() - daysAgo * DAY) });
      db.insert(postMetricSnapshots)
        .values({ postId: post.id, capturedAt: new Date(AS_OF.getTime() - daysAgo * DAY + DAY), likes: likes[i]!, comments: 20, shares: 10, saves: 5, views: 4000, reach: 2500, impressions: 3000 })
        .run();
    });
    createPost(db, account, { publishedAt: new Date(AS_OF.getTime() - DAY / 2) }); // no capture yet
    refreshAccountFeatures(db, { asOf: AS_OF });
  });
});
afterAll(() => server.close());

const QUERY = `query($id: ID!) { influencer(id: $id) { accounts { activity { engagementRate30d followerGrowth30d postsLast30d postsPerWeek lastPostAt computedAt }
  recentPosts(first: 2) { engagement { engagements rateByFollowers rateByReach rateByViews capturedAt } } } } }`;

describe("derived engagement", () => {
  it("gives each post its engagement rates from the latest capture, null before any capture", async () => {
    const { data, errors } = await server.gql(QUERY, { id: influencerId }, key);
    expect(errors).toBeUndefined();
    const [uncaptured, latest] = data.influencer.accounts[0].recentPosts;
    expect(uncaptured.engagement).toBeNull();
    // 300 likes + 20 comments + 10 shares + 5 saves; 10,000 followers, reach 2,500, 4,000 views.
    expect(latest.engagement).toEqual({
      engagements: 335,
      rateByFollowers: 320 / 10_000,
      rateByReach: 335 / 2500,
      rateByViews: 335 / 4000,
      capturedAt: new Date(AS_OF.getTime() - DAY).toISOString(),
    });
  });

  it("gives each account its 30-day engagement rate and posting cadence as of the refresh", async () => {
    const { data } = await server.gql(QUERY, { id: influencerId }, key);
    const activity = data.influencer.accounts[0].activity;
    // Four posts in the 30 days (the uncaptured one counts for cadence); the three captured ones average
    // ((300 + 20) + (100 + 20) + (200 + 20)) / 3 / 10,000.
    expect(activity.postsLast30d).toBe(4);
    expect(activity.postsPerWeek).toBeCloseTo((4 * 7) / 30, 12);
    expect(activity.engagementRate30d).toBeCloseTo((320 + 120 + 220) / 3 / 10_000, 12);
    expect(activity.lastPostAt).toBe(new Date(AS_OF.getTime() - DAY / 2).toISOString());
  });
});

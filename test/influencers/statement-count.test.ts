import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAccountSnapshot, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { sqlStatements, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let key: string;

// Every relation the foundation exposes under an influencer, several levels deep.
const DEEP = /* GraphQL */ `
  query($first: Int) {
    influencers(first: $first) {
      edges { node {
        name categories hasContact
        accounts {
          handle url
          influencer { name }
          audience { dimension key share }
          recentPosts(first: 3) { caption latestMetrics { likes } metricsHistory { likes } account { handle } }
          followerHistory(days: 30) { followers }
        }
      } }
    }
  }
`;

async function statementsFor(first: number) {
  const response = await server.gql(DEEP, { first }, key);
  expect(response.errors).toBeUndefined();
  return { statements: sqlStatements(response), edges: response.data.influencers.edges };
}

beforeAll(async () => {
  // The deepest query at 100 influencers is over the default cost limit; this suite is about batching.
  server = await startTestServer({ MAX_QUERY_COST: "1000000" });
  const db = server.app.db;
  key = createTenant(db, "ANALYST").key;
  for (let i = 0; i < 60; i++) {
    const { accounts } = createInfluencer(db, {
      accounts: [
        { platform: "INSTAGRAM", followers: 10_000 + i },
        { platform: "TIKTOK", followers: 5_000 + i },
      ],
    });
    for (const account of accounts) {
      for (let p = 0; p < 4; p++) {
        createPost(db, account, {
          publishedAt: new Date(Date.UTC(2026, 9, 1 + p)),
          metrics: [{ at: new Date(Date.UTC(2026, 9, 2 + p)), likes: 100 + p, comments: 5 }],
        });
      }
      createAccountSnapshot(db, account.id, new Date(Date.UTC(2026, 9, 1)), 9_000);
    }
  }
});

afterAll(() => server.close());

describe("SQL statements per request", () => {
  it("stay constant whatever the page size (DataLoader batching, no N+1)", async () => {
    await statementsFor(1); // the key's first use also records its last-used time
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.edges).toHaveLength(5);
    expect(large.edges).toHaveLength(50);
    // the 50-influencer page really carries the nested data the statements fetched
    const accounts = large.edges.flatMap((e: any) => e.node.accounts);
    expect(accounts).toHaveLength(100);
    expect(accounts.every((a: any) => a.recentPosts.length === 3 && a.audience.length > 0 && a.followerHistory.length === 1)).toBe(true);
    expect(large.statements).toBe(small.statements);
    // key lookup + page + one per relation: categories, accounts, influencer, audience, posts, latest, history, follower history
    expect(large.statements).toBeLessThanOrEqual(11);
  });
});

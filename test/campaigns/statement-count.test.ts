import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { collaborations, deliverables } from "../../schema/tables.js";
import { createCampaign, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { sqlStatements, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let key: string;

const DEEP = /* GraphQL */ `
  query($first: Int) {
    campaigns(first: $first) {
      edges { node {
        name budget { amountMinor }
        posts { id latestMetrics { likes } }
        collaborations(first: 10) {
          totalCount
          edges { node {
            status fee { amountMinor } allowedNextStatuses
            campaign { name }
            influencer { name accounts { handle } }
            deliverables { status post { id } }
            posts { id account { handle } }
          } }
        }
      } }
    }
  }
`;

async function statementsFor(first: number) {
  const response = await server.gql(DEEP, { first }, key);
  expect(response.errors).toBeUndefined();
  return { statements: sqlStatements(response), edges: response.data.campaigns.edges };
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.app.db;
  const tenant = createTenant(db, "ANALYST");
  key = tenant.key;
  for (let c = 0; c < 8; c++) {
    const campaign = createCampaign(db, tenant.organization.id);
    for (let i = 0; i < 4; i++) {
      const { influencer, accounts } = createInfluencer(db, { accounts: [{ platform: "INSTAGRAM" }] });
      const post = createPost(db, accounts[0]!, { campaignId: campaign.id, metrics: [{ at: new Date(), likes: 5, comments: 1 }] });
      const collaboration = db
        .insert(collaborations)
        .values({ campaignId: campaign.id, influencerId: influencer.id, status: "PUBLISHED", feeAmount: 1000, feeCurrency: "USD" })
        .returning()
        .get();
      db.insert(deliverables).values({ collaborationId: collaboration.id, platform: "INSTAGRAM", kind: "PHOTO", status: "PUBLISHED", postId: post.id }).run();
    }
  }
});

afterAll(() => server.close());

describe("SQL statements per campaign request", () => {
  it("stay constant from 2 to 8 campaigns with collaborations, influencers, deliverables and posts", async () => {
    await statementsFor(1);
    const small = await statementsFor(2);
    const large = await statementsFor(8);
    expect(large.edges).toHaveLength(8);
    const collaborationsSeen = large.edges.flatMap((e: any) => e.node.collaborations.edges);
    expect(collaborationsSeen).toHaveLength(32);
    expect(collaborationsSeen.every((c: any) => c.node.deliverables[0].post && c.node.posts.length === 1)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });
});

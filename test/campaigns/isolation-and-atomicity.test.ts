/**
 * Another organization's ids behave as if they did not exist, through every campaign-side query, nested field and
 * mutation; and a mutation that fails after it has written leaves nothing behind.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditLog, campaigns, collaborations, deliverables } from "../../schema/tables.js";
import { createCampaign, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let owner: { key: string; organization: { id: number } };
let stranger: string;
let campaignId: string;
let collaborationId: string;
let postId: string;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.app.db;
  owner = createTenant(db, "MANAGER");
  stranger = createTenant(db, "ADMIN").key;
  const campaign = createCampaign(db, owner.organization.id);
  const { influencer, accounts } = createInfluencer(db, { accounts: [{ platform: "INSTAGRAM" }] });
  const post = createPost(db, accounts[0]!, { campaignId: campaign.id });
  const collaboration = db
    .insert(collaborations)
    .values({ campaignId: campaign.id, influencerId: influencer.id, status: "INVITED" })
    .returning()
    .get();
  campaignId = String(campaign.id);
  collaborationId = String(collaboration.id);
  postId = String(post.id);
});

afterAll(() => server.close());

describe("tenant isolation", () => {
  it.each([
    ["campaign", `query($c: ID!) { campaign(id: $c) { id } }`, "id"],
    ["collaboration", `query($k: ID!) { collaboration(id: $k) { id } }`, "id"],
    ["updateCampaign", `mutation($c: ID!) { updateCampaign(input: { id: $c, name: "x" }) { id } }`, "input.id"],
    ["archiveCampaign", `mutation($c: ID!) { archiveCampaign(input: { id: $c }) { id } }`, "input.id"],
    ["transitionCollaboration", `mutation($k: ID!) { transitionCollaboration(input: { collaborationId: $k, to: NEGOTIATING }) { id } }`, "input.collaborationId"],
    ["recordDeliverable", `mutation($k: ID!) { recordDeliverable(input: { collaborationId: $k, platform: INSTAGRAM, kind: PHOTO }) { id } }`, "input.collaborationId"],
  ])("%s with another organization's id is NOT_FOUND and changes nothing", async (_name, query, field) => {
    const auditBefore = server.app.db.select({ n: count() }).from(auditLog).get()!.n;
    const variables = query.includes("$c:") ? { c: campaignId } : { k: collaborationId };
    const error = singleError(await server.gql(query, variables, stranger));
    expect(error.extensions).toMatchObject({ code: "NOT_FOUND", field });
    const campaign = server.app.db.select().from(campaigns).where(eq(campaigns.id, Number(campaignId))).get()!;
    expect(campaign.archivedAt).toBeNull();
    expect(campaign.name).not.toBe("x");
    expect(server.app.db.select().from(collaborations).where(eq(collaborations.id, Number(collaborationId))).get()!.status).toBe("INVITED");
    expect(server.app.db.select({ n: count() }).from(deliverables).get()!.n).toBe(0);
    expect(server.app.db.select({ n: count() }).from(auditLog).get()!.n).toBe(auditBefore);
  });

  it("shows a post's campaign only to the campaign's organization", async () => {
    const query = `{ influencers(first: 100) { edges { node { accounts { recentPosts { id campaign { id name } } } } } } }`;
    const postsSeenBy = async (key: string) =>
      (await server.gql(query, {}, key)).data.influencers.edges
        .flatMap((e: any) => e.node.accounts)
        .flatMap((a: any) => a.recentPosts)
        .filter((p: any) => p.id === postId);
    expect((await postsSeenBy(owner.key))[0].campaign).toMatchObject({ id: campaignId });
    expect((await postsSeenBy(stranger))[0].campaign).toBeNull();
  });
});

describe("atomic mutations", () => {
  it("roll back every write when a step after the first write fails, and mask the internal error", async () => {
    const audit = server.app.services.audit;
    const record = audit.record;
    audit.record = () => {
      throw new Error("disk on fire at /var/lib/secret.db");
    };
    try {
      const campaignsBefore = server.app.db.select({ n: count() }).from(campaigns).get()!.n;
      const created = await server.gql(
        `mutation { createCampaign(input: { name: "Never", objective: AWARENESS, budget: { amountMinor: 100, currency: "USD" } }) { id } }`,
        {},
        owner.key,
      );
      const error = singleError(created);
      expect(error).toMatchObject({ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } });
      expect(JSON.stringify(created)).not.toContain("secret");
      expect(server.app.db.select({ n: count() }).from(campaigns).get()!.n).toBe(campaignsBefore);

      const moved = await server.gql(
        `mutation($k: ID!) { transitionCollaboration(input: { collaborationId: $k, to: NEGOTIATING }) { id } }`,
        { k: collaborationId },
        owner.key,
      );
      expect(singleError(moved).extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(server.app.db.select().from(collaborations).where(eq(collaborations.id, Number(collaborationId))).get()!.status).toBe("INVITED");
    } finally {
      audit.record = record;
    }
  });
});

import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditLog, campaigns } from "../../schema/tables.js";
import { createApiKey, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let manager: string;
let analyst: string;
let other: string;

const CREATE = /* GraphQL */ `
  mutation($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      id name objective status budget { amountMinor currency } startsAt endsAt
      targetCountries categories audienceTargets { dimension key minShare } keywords brief archivedAt
    }
  }
`;

const validInput = {
  name: "Spring running shoes",
  objective: "CONVERSION",
  budget: { amountMinor: 2_500_000_00, currency: "USD" },
  startsAt: "2027-03-01T00:00:00Z",
  endsAt: "2027-04-30T23:59:59Z",
  targetCountries: ["US", "CA"],
  categories: ["FITNESS", "SPORTS"],
  audienceTargets: [{ dimension: "AGE", key: "18-24", minShare: 0.3 }],
  keywords: ["running", "marathon"],
  brief: "Show the shoe on a real run.",
};

function campaignCount() {
  return server.app.db.select({ n: count() }).from(campaigns).get()!.n;
}

beforeAll(async () => {
  server = await startTestServer();
  const db = server.app.db;
  const tenant = createTenant(db, "MANAGER");
  manager = tenant.key;
  analyst = createApiKey(db, tenant.organization.id, "ANALYST"); // same organization, weaker role
  other = createTenant(db, "ADMIN").key; // another organization
});

afterAll(() => server.close());

describe("createCampaign", () => {
  it("creates a campaign with money in minor units and UTC dates, and audits it", async () => {
    const r = await server.gql(CREATE, { input: validInput }, manager);
    expect(r.errors).toBeUndefined();
    const c = r.data.createCampaign;
    expect(c).toMatchObject({
      name: "Spring running shoes",
      status: "DRAFT",
      budget: { amountMinor: 250_000_000, currency: "USD" },
      startsAt: "2027-03-01T00:00:00.000Z",
      endsAt: "2027-04-30T23:59:59.000Z",
      audienceTargets: [{ dimension: "AGE", key: "18-24", minShare: 0.3 }],
      archivedAt: null,
    });
    const entries = server.app.db.select().from(auditLog).where(eq(auditLog.entityId, Number(c.id))).all();
    expect(entries.map((e) => e.action)).toEqual(["campaign.create"]);
    expect(entries[0]!.before).toBeNull();
    expect((entries[0]!.after as { name: string }).name).toBe("Spring running shoes");
  });

  it("accepts a budget beyond 32-bit integers", async () => {
    const r = await server.gql(CREATE, { input: { ...validInput, budget: { amountMinor: 9_000_000_000_00, currency: "EUR" } } }, manager);
    expect(r.data.createCampaign.budget).toEqual({ amountMinor: 900_000_000_000, currency: "EUR" });
  });

  it.each([
    [{ name: "" }, "input.name"],
    [{ name: "   " }, "input.name"],
    [{ budget: { amountMinor: -1, currency: "USD" } }, "input.budget.amountMinor"],
    [{ budget: { amountMinor: 100, currency: "usd" } }, "input.budget.currency"],
    [{ endsAt: "2027-02-01T00:00:00Z" }, "input.endsAt"],
    [{ targetCountries: ["USA"] }, "input.targetCountries"],
    [{ audienceTargets: [{ dimension: "AGE", key: "18-99", minShare: 0.3 }] }, "input.audienceTargets.0.key"],
    [{ audienceTargets: [{ dimension: "COUNTRY", key: "US", minShare: 1.5 }] }, "input.audienceTargets.0.minShare"],
    [{ status: "COMPLETED" }, "input.status"],
    [{ brief: "x".repeat(10_001) }, "input.brief"],
  ])("rejects %j with BAD_USER_INPUT on %s and writes nothing", async (change, field) => {
    const before = campaignCount();
    const error = singleError(await server.gql(CREATE, { input: { ...validInput, ...change } }, manager));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(error.extensions?.stacktrace).toBeUndefined();
    expect(campaignCount()).toBe(before);
  });

  it("rejects a malformed DateTime before the resolver runs", async () => {
    const r = await server.gql(CREATE, { input: { ...validInput, startsAt: "next tuesday" } }, manager);
    expect(singleError(r).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.startsAt" });
    const missing = await server.gql(CREATE, {}, manager);
    expect(singleError(missing).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input" });
    for (const startsAt of ["2026-02-30T00:00:00Z", "2027-03-01", "2027-03-01T24:00:00Z", "2027-03-01T10:00:00"]) {
      const impossible = await server.gql(CREATE, { input: { ...validInput, startsAt } }, manager);
      expect(singleError(impossible).extensions, startsAt).toMatchObject({ code: "BAD_USER_INPUT", field: "input.startsAt" });
    }
    const offset = await server.gql(CREATE, { input: { ...validInput, startsAt: "2027-03-01T09:00:00+02:00" } }, manager);
    expect(offset.data.createCampaign.startsAt).toBe("2027-03-01T07:00:00.000Z");
    const badEnum = await server.gql(CREATE, { input: { ...validInput, objective: "FAME" } }, manager);
    expect(singleError(badEnum).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.objective" });
  });

  it("needs a key, and the MANAGER role", async () => {
    expect(singleError(await server.gql(CREATE, { input: validInput })).extensions?.code).toBe("UNAUTHENTICATED");
    expect(singleError(await server.gql(CREATE, { input: validInput }, "ig_00000000_" + "A".repeat(43))).extensions?.code).toBe(
      "UNAUTHENTICATED",
    );
    expect(singleError(await server.gql(CREATE, { input: validInput }, analyst)).extensions?.code).toBe("FORBIDDEN");
  });
});

describe("campaign, campaigns, updateCampaign and archiveCampaign", () => {
  it("reads a campaign only from its own organization", async () => {
    const id = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const mine = await server.gql(`query($id: ID!) { campaign(id: $id) { name } }`, { id }, analyst);
    expect(mine.data.campaign.name).toBe("Spring running shoes");
    const theirs = singleError(await server.gql(`query($id: ID!) { campaign(id: $id) { name } }`, { id }, other));
    expect(theirs.extensions).toMatchObject({ code: "NOT_FOUND", field: "id" });
    const list = await server.gql(`{ campaigns { totalCount } }`, {}, other);
    expect(list.data.campaigns.totalCount).toBe(0);
  });

  it("updates only the given fields and records before and after", async () => {
    const id = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const r = await server.gql(
      `mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { name status brief keywords budget { amountMinor } } }`,
      { input: { id, status: "ACTIVE", keywords: ["trail"] } },
      manager,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.updateCampaign).toEqual({
      name: "Spring running shoes",
      status: "ACTIVE",
      brief: "Show the shoe on a real run.",
      keywords: ["trail"],
      budget: { amountMinor: 250_000_000 },
    });
    const entry = server.app.db.select().from(auditLog).where(eq(auditLog.action, "campaign.update")).all().at(-1)!;
    expect((entry.before as { status: string }).status).toBe("DRAFT");
    expect((entry.after as { status: string }).status).toBe("ACTIVE");
  });

  it("rejects an update whose end date falls before the stored start", async () => {
    const id = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const error = singleError(
      await server.gql(`mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { id } }`, { input: { id, endsAt: "2026-01-01T00:00:00Z" } }, manager),
    );
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.endsAt" });
  });

  it("archives: read-only afterwards and hidden from the default list", async () => {
    const id = (await server.gql(CREATE, { input: { ...validInput, name: "To archive" } }, manager)).data.createCampaign.id;
    const archived = await server.gql(`mutation($id: ID!) { archiveCampaign(input: { id: $id }) { status archivedAt } }`, { id }, manager);
    expect(archived.data.archiveCampaign.status).toBe("ARCHIVED");
    expect(archived.data.archiveCampaign.archivedAt).toMatch(/Z$/);
    const update = singleError(
      await server.gql(`mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { id } }`, { input: { id, name: "x" } }, manager),
    );
    expect(update.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.id" });
    const names = async (includeArchived: boolean) =>
      (await server.gql(`query($f: CampaignFilter) { campaigns(filter: $f, first: 100) { edges { node { name } } } }`, { f: { includeArchived } }, manager)).data.campaigns.edges.map(
        (e: any) => e.node.name,
      );
    expect(await names(false)).not.toContain("To archive");
    expect(await names(true)).toContain("To archive");
  });

  it("cannot update or archive another organization's campaign", async () => {
    const id = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const update = singleError(
      await server.gql(`mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { id } }`, { input: { id, name: "stolen" } }, other),
    );
    expect(update.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.id" });
    const archive = singleError(await server.gql(`mutation($id: ID!) { archiveCampaign(input: { id: $id }) { id } }`, { id }, other));
    expect(archive.extensions?.code).toBe("NOT_FOUND");
    const stored = server.app.db.select().from(campaigns).where(eq(campaigns.id, Number(id))).get()!;
    expect(stored.name).toBe("Spring running shoes");
    expect(stored.archivedAt).toBeNull();
  });

  it("refuses oversized status lists with BAD_USER_INPUT", async () => {
    const statuses = Array.from({ length: 40_000 }, () => "DRAFT");
    const error = singleError(await server.gql(`query($f: CampaignFilter) { campaigns(filter: $f) { totalCount } }`, { f: { statuses } }, manager));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.statuses" });
  });

  it("pages campaigns newest first with stable cursors", async () => {
    const { key } = createTenant(server.app.db, "MANAGER");
    for (let i = 0; i < 5; i++) await server.gql(CREATE, { input: { ...validInput, name: `C${i}` } }, key);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: any = await server.gql(`query($after: String) { campaigns(first: 2, after: $after) { edges { node { name } } pageInfo { hasNextPage endCursor } } }`, { after }, key);
      seen.push(...r.data.campaigns.edges.map((e: any) => e.node.name));
      after = r.data.campaigns.pageInfo.hasNextPage ? r.data.campaigns.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(["C4", "C3", "C2", "C1", "C0"]);
  });
});

describe("collaborations and deliverables", () => {
  const ADD = `mutation($input: AddInfluencerToCampaignInput!) { addInfluencerToCampaign(input: $input) { id status allowedNextStatuses fee { amountMinor currency } promoCode influencer { name } campaign { name } } }`;
  const MOVE = `mutation($input: TransitionCollaborationInput!) { transitionCollaboration(input: $input) { id status allowedNextStatuses fee { amountMinor currency } statusChangedAt } }`;

  it("adds an influencer once, with a unique promo code in the campaign's currency", async () => {
    const { influencer } = createInfluencer(server.app.db, { name: "Runner Rae" });
    const campaignId = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const input = { campaignId, influencerId: String(influencer.id), promoCode: "rae10", fee: { amountMinor: 150_000, currency: "USD" } };
    const r = await server.gql(ADD, { input }, manager);
    expect(r.errors).toBeUndefined();
    expect(r.data.addInfluencerToCampaign).toMatchObject({
      status: "SHORTLISTED",
      allowedNextStatuses: ["INVITED", "CANCELLED"],
      promoCode: "RAE10",
      influencer: { name: "Runner Rae" },
      campaign: { name: "Spring running shoes" },
    });
    const again = singleError(await server.gql(ADD, { input: { ...input, promoCode: undefined } }, manager));
    expect(again.extensions).toMatchObject({ code: "CONFLICT", field: "input.influencerId" });
    const { influencer: second } = createInfluencer(server.app.db);
    const taken = singleError(await server.gql(ADD, { input: { campaignId, influencerId: String(second.id), promoCode: "RAE10" } }, manager));
    expect(taken.extensions).toMatchObject({ code: "CONFLICT", field: "input.promoCode" });
    const euro = singleError(
      await server.gql(ADD, { input: { campaignId, influencerId: String(second.id), fee: { amountMinor: 1, currency: "EUR" } } }, manager),
    );
    expect(euro.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.fee.currency" });
    const missing = singleError(await server.gql(ADD, { input: { campaignId, influencerId: "987654" } }, manager));
    expect(missing.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.influencerId" });
    const foreign = singleError(await server.gql(ADD, { input: { campaignId, influencerId: String(second.id) } }, other));
    expect(foreign.extensions).toMatchObject({ code: "NOT_FOUND", field: "input.campaignId" });
  });

  it("walks the whole happy path, then refuses to leave PAID", async () => {
    const { influencer } = createInfluencer(server.app.db, { accounts: [{ platform: "INSTAGRAM" }] });
    const campaignId = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const id = (await server.gql(ADD, { input: { campaignId, influencerId: String(influencer.id) } }, manager)).data.addInfluencerToCampaign.id;
    const path = ["INVITED", "NEGOTIATING", "CONTRACTED", "CONTENT_SUBMITTED", "APPROVED", "PUBLISHED", "PAID"];
    for (const to of path) {
      const fee = to === "CONTRACTED" ? { amountMinor: 200_000, currency: "USD" } : undefined;
      const r = await server.gql(MOVE, { input: { collaborationId: id, to, fee } }, manager);
      expect(r.errors, to).toBeUndefined();
      expect(r.data.transitionCollaboration.status).toBe(to);
    }
    const error = singleError(await server.gql(MOVE, { input: { collaborationId: id, to: "CANCELLED" } }, manager));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.to", allowedNextStatuses: [] });
    const history = server.app.db.select().from(auditLog).where(eq(auditLog.entityId, Number(id))).all();
    expect(history.filter((e) => e.action === "collaboration.transition")).toHaveLength(path.length);
  });

  it("rejects an illegal move naming the allowed next statuses, and changes nothing", async () => {
    const { influencer } = createInfluencer(server.app.db);
    const campaignId = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const id = (await server.gql(ADD, { input: { campaignId, influencerId: String(influencer.id) } }, manager)).data.addInfluencerToCampaign.id;
    const auditBefore = server.app.db.select({ n: count() }).from(auditLog).get()!.n;
    const error = singleError(await server.gql(MOVE, { input: { collaborationId: id, to: "PUBLISHED" } }, manager));
    expect(error.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.to",
      from: "SHORTLISTED",
      allowedNextStatuses: ["INVITED", "CANCELLED"],
    });
    expect(error.message).toContain("INVITED, CANCELLED");
    await server.gql(MOVE, { input: { collaborationId: id, to: "INVITED" } }, manager);
    const noFee = singleError(await server.gql(MOVE, { input: { collaborationId: id, to: "CONTRACTED" } }, manager));
    expect(noFee.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.fee" });
    const state = await server.gql(`query($id: ID!) { collaboration(id: $id) { status fee { amountMinor } } }`, { id }, manager);
    expect(state.data.collaboration).toEqual({ status: "INVITED", fee: null });
    expect(server.app.db.select({ n: count() }).from(auditLog).get()!.n).toBe(auditBefore + 1);
  });

  it("records deliverables and links a published post to the campaign", async () => {
    const db = server.app.db;
    const { influencer, accounts } = createInfluencer(db, { accounts: [{ platform: "TIKTOK" }] });
    const post = createPost(db, accounts[0]!, { kind: "SHORT" });
    const stranger = createInfluencer(db, { accounts: [{ platform: "TIKTOK" }] });
    const strangersPost = createPost(db, stranger.accounts[0]!, { kind: "SHORT" });
    const campaignId = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const collaborationId = (await server.gql(ADD, { input: { campaignId, influencerId: String(influencer.id) } }, manager)).data
      .addInfluencerToCampaign.id;
    const RECORD = `mutation($input: RecordDeliverableInput!) { recordDeliverable(input: $input) { id status kind platform dueAt post { id campaign { id } } } }`;
    const pending = await server.gql(RECORD, { input: { collaborationId, platform: "TIKTOK", kind: "SHORT", dueAt: "2027-03-15T00:00:00Z" } }, manager);
    expect(pending.data.recordDeliverable).toMatchObject({ status: "PENDING", dueAt: "2027-03-15T00:00:00.000Z", post: null });
    const published = await server.gql(RECORD, { input: { collaborationId, platform: "TIKTOK", kind: "SHORT", postId: String(post.id) } }, manager);
    expect(published.errors).toBeUndefined();
    expect(published.data.recordDeliverable).toMatchObject({ status: "PUBLISHED", post: { id: String(post.id), campaign: { id: campaignId } } });
    // The linked post now counts in the campaign's report.
    const report = await server.gql(`query($id: ID!) { campaign(id: $id) { performance { totals { postsPublished } } } }`, { id: campaignId }, manager);
    expect(report.data.campaign.performance.totals.postsPublished).toBe(1);
    const wrongOwner = singleError(
      await server.gql(RECORD, { input: { collaborationId, platform: "TIKTOK", kind: "SHORT", postId: String(strangersPost.id) } }, manager),
    );
    expect(wrongOwner.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.postId" });
    const wrongPlatform = singleError(
      await server.gql(RECORD, { input: { collaborationId, platform: "YOUTUBE", kind: "VIDEO", postId: String(post.id) } }, manager),
    );
    expect(wrongPlatform.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.platform" });

    const view = await server.gql(
      `query($id: ID!) { campaign(id: $id) { posts { id } collaborations { totalCount edges { node { deliverables { status } posts { id } } } } } }`,
      { id: campaignId },
      manager,
    );
    expect(view.errors).toBeUndefined();
    expect(view.data.campaign.posts).toEqual([{ id: String(post.id) }]);
    expect(view.data.campaign.collaborations.totalCount).toBe(1);
    expect(view.data.campaign.collaborations.edges[0].node).toEqual({
      deliverables: [{ status: "PENDING" }, { status: "PUBLISHED" }],
      posts: [{ id: String(post.id) }],
    });
  });

  it("filters and pages a campaign's collaborations", async () => {
    const campaignId = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { influencer } = createInfluencer(server.app.db);
      ids.push((await server.gql(ADD, { input: { campaignId, influencerId: String(influencer.id) } }, manager)).data.addInfluencerToCampaign.id);
    }
    await server.gql(MOVE, { input: { collaborationId: ids[1], to: "INVITED" } }, manager);
    await server.gql(MOVE, { input: { collaborationId: ids[3], to: "INVITED" } }, manager);
    const Q = `query($id: ID!, $after: String, $statuses: [CollaborationStatus!]) { campaign(id: $id) { collaborations(first: 2, after: $after, statuses: $statuses) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
    const page1 = (await server.gql(Q, { id: campaignId }, manager)).data.campaign.collaborations;
    expect(page1.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 2));
    expect(page1.totalCount).toBe(5);
    const page2 = (await server.gql(Q, { id: campaignId, after: page1.pageInfo.endCursor }, manager)).data.campaign.collaborations;
    expect(page2.edges.map((e: any) => e.node.id)).toEqual(ids.slice(2, 4));
    const invited = (await server.gql(Q, { id: campaignId, statuses: ["INVITED"] }, manager)).data.campaign.collaborations;
    expect(invited.edges.map((e: any) => e.node.id)).toEqual([ids[1], ids[3]]);
    expect(invited.totalCount).toBe(2);
    expect(invited.pageInfo.hasNextPage).toBe(false);
  });

  it("refuses changes to collaborations of archived campaigns", async () => {
    const { influencer } = createInfluencer(server.app.db);
    const campaignId = (await server.gql(CREATE, { input: validInput }, manager)).data.createCampaign.id;
    const id = (await server.gql(ADD, { input: { campaignId, influencerId: String(influencer.id) } }, manager)).data.addInfluencerToCampaign.id;
    await server.gql(`mutation($id: ID!) { archiveCampaign(input: { id: $id }) { id } }`, { id: campaignId }, manager);
    const error = singleError(await server.gql(MOVE, { input: { collaborationId: id, to: "INVITED" } }, manager));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.collaborationId" });
  });
});

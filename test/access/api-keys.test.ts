/** API keys and the audit trail through GraphQL: ADMIN manages keys, sees who changed what; others may not. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { apiKeys } from "../../schema/tables.js";
import { hashApiKey } from "../../server/access/api-keys.js";
import { createApiKey, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let admin: { key: string; organization: { id: number; slug: string } };

beforeAll(async () => {
  server = await startTestServer();
  admin = createTenant(server.app.db, "ADMIN");
});
afterAll(() => server.close());

const CREATE = `mutation($name: String!, $role: ApiKeyRole!) { createApiKey(input: { name: $name, role: $role }) { key apiKey { id name prefix role createdAt lastUsedAt revokedAt } } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(input: { id: $id }) { id revokedAt } }`;

describe("viewer", () => {
  it("tells any key who it is", async () => {
    const analyst = createApiKey(server.app.db, admin.organization.id, "ANALYST");
    const response = await server.gql(`{ viewer { organization { id slug } apiKey { role prefix } } }`, {}, analyst);
    expect(response.data.viewer).toEqual({
      organization: { id: String(admin.organization.id), slug: admin.organization.slug },
      apiKey: { role: "ANALYST", prefix: analyst.slice(3, 11) },
    });
  });
});

describe("API keys through GraphQL", () => {
  it("lets an ADMIN create a key, shown once and stored only as a hash, that works at once", async () => {
    const created = (await server.gql(CREATE, { name: "  dashboard  ", role: "ANALYST" }, admin.key)).data.createApiKey;
    expect(created.key).toMatch(/^ig_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({ name: "dashboard", role: "ANALYST", lastUsedAt: null, revokedAt: null });
    const row = server.app.db.select().from(apiKeys).where(eq(apiKeys.id, Number(created.apiKey.id))).get()!;
    expect(row.keyHash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
    const viewer = await server.gql(`{ viewer { apiKey { id role } } }`, {}, created.key);
    expect(viewer.data.viewer.apiKey).toEqual({ id: created.apiKey.id, role: "ANALYST" });
    const listed = await server.gql(`{ apiKeys(first: 100) { edges { node { id prefix lastUsedAt } } totalCount } }`, {}, admin.key);
    const node = listed.data.apiKeys.edges.map((e: any) => e.node).find((n: any) => n.id === created.apiKey.id);
    expect(node.prefix).toBe(created.apiKey.prefix);
    expect(node.lastUsedAt).not.toBeNull();
  });

  it("revokes a key at once; revoked keys are listed only on request", async () => {
    const created = (await server.gql(CREATE, { name: "temp", role: "MANAGER" }, admin.key)).data.createApiKey;
    const revoked = (await server.gql(REVOKE, { id: created.apiKey.id }, admin.key)).data.revokeApiKey;
    expect(revoked.revokedAt).not.toBeNull();
    const refused = singleError(await server.gql(`{ viewer { apiKey { id } } }`, {}, created.key));
    expect(refused.extensions?.code).toBe("UNAUTHENTICATED");
    expect(refused.message).toContain("revoked");
    const ids = async (includeRevoked: boolean) =>
      (await server.gql(`query($r: Boolean!) { apiKeys(first: 100, includeRevoked: $r) { edges { node { id } } } }`, { r: includeRevoked }, admin.key)).data.apiKeys.edges.map(
        (e: any) => e.node.id,
      );
    expect(await ids(false)).not.toContain(created.apiKey.id);
    expect(await ids(true)).toContain(created.apiKey.id);
    const again = singleError(await server.gql(REVOKE, { id: created.apiKey.id }, admin.key));
    expect(again.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.id" });
  });

  it("refuses to revoke the organization's last active ADMIN key", async () => {
    const lone = createTenant(server.app.db, "ADMIN");
    const me = (await server.gql(`{ viewer { apiKey { id } } }`, {}, lone.key)).data.viewer.apiKey.id;
    const error = singleError(await server.gql(REVOKE, { id: me }, lone.key));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.id" });
    expect(error.message).toContain("last active ADMIN key");
    // With a second ADMIN key, rotation works: the old one can go.
    const second = (await server.gql(CREATE, { name: "rotated", role: "ADMIN" }, lone.key)).data.createApiKey;
    expect((await server.gql(REVOKE, { id: me }, second.key)).data.revokeApiKey.revokedAt).not.toBeNull();
  });

  it("validates the input and names the field", async () => {
    expect(singleError(await server.gql(CREATE, { name: "", role: "ANALYST" }, admin.key)).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.name",
    });
    expect(singleError(await server.gql(CREATE, { name: "x", role: "ROOT" }, admin.key)).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "role",
    });
    expect(singleError(await server.gql(REVOKE, { id: "abc" }, admin.key)).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.id",
    });
  });

  it.each(["MANAGER", "ANALYST"] as const)("is ADMIN-only: a %s key gets FORBIDDEN", async (role) => {
    const key = createApiKey(server.app.db, admin.organization.id, role);
    for (const query of [`{ apiKeys { totalCount } }`, `{ auditLog { totalCount } }`]) {
      expect(singleError(await server.gql(query, {}, key)).extensions?.code).toBe("FORBIDDEN");
    }
    expect(singleError(await server.gql(CREATE, { name: "x", role: "ADMIN" }, key)).extensions?.code).toBe("FORBIDDEN");
  });
});

describe("audit trail", () => {
  it("records who did what, before and after, readable by ADMIN, newest first, filterable", async () => {
    const tenant = createTenant(server.app.db, "ADMIN");
    const manager = (await server.gql(CREATE, { name: "campaign manager", role: "MANAGER" }, tenant.key)).data.createApiKey;
    const campaign = (
      await server.gql(
        `mutation { createCampaign(input: { name: "Spring", objective: AWARENESS, budget: { amountMinor: 100000, currency: "EUR" } }) { id } }`,
        {},
        manager.key,
      )
    ).data.createCampaign;
    await server.gql(`mutation($id: ID!) { updateCampaign(input: { id: $id, name: "Spring launch" }) { id } }`, { id: campaign.id }, manager.key);

    const entries = (
      await server.gql(
        `{ auditLog(first: 10) { totalCount edges { node { action entityType entityId at before after apiKey { name role prefix } } } } }`,
        {},
        tenant.key,
      )
    ).data.auditLog;
    expect(entries.totalCount).toBe(3);
    const nodes = entries.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.action)).toEqual(["campaign.update", "campaign.create", "apiKey.create"]);
    expect(nodes[0]).toMatchObject({ entityType: "Campaign", entityId: campaign.id, apiKey: { name: "campaign manager", role: "MANAGER" } });
    expect(nodes[0].before.name).toBe("Spring");
    expect(nodes[0].after.name).toBe("Spring launch");
    expect(nodes[1].before).toBeNull();
    expect(nodes[2].after).toMatchObject({ name: "campaign manager", role: "MANAGER" });
    expect(JSON.stringify(nodes[2])).not.toMatch(/keyHash|key_hash/);
    expect(Date.parse(nodes[0].at)).toBeGreaterThanOrEqual(Date.parse(nodes[1].at));

    const filtered = await server.gql(
      `query($id: ID!) { auditLog(filter: { entityType: "Campaign", entityId: $id, actions: ["campaign.update"] }) { totalCount } }`,
      { id: campaign.id },
      tenant.key,
    );
    expect(filtered.data.auditLog.totalCount).toBe(1);

    // Pages follow each other without overlap.
    const page1 = (await server.gql(`{ auditLog(first: 2) { edges { node { id } } pageInfo { endCursor hasNextPage } } }`, {}, tenant.key)).data.auditLog;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await server.gql(`query($after: String) { auditLog(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }`, { after: page1.pageInfo.endCursor }, tenant.key)
    ).data.auditLog;
    expect(page2.edges).toHaveLength(1);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    // Another organization's ADMIN sees none of it.
    const stranger = await server.gql(`query($id: ID!) { auditLog(filter: { entityId: $id, entityType: "Campaign" }) { totalCount } }`, { id: campaign.id }, admin.key);
    expect(stranger.data.auditLog.totalCount).toBe(0);
  });
});

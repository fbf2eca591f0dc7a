/**
 * The tenant-isolation matrix: every organization-scoped query, nested field and mutation, tried by
 *   (a) another organization's ADMIN key (so the role never explains a refusal),
 *   (b) no key,
 *   (c) a revoked ADMIN key of the owning organization,
 *   (d) each weaker role of the owning organization, where the operation needs more than ANALYST.
 * Every attempt must be refused with the right `extensions.code` (NOT_FOUND with the right `field` and no
 * existence leak for (a) on id-taking operations; lists show the stranger only its own organization) and must change
 * nothing: the whole database is fingerprinted before and after each attempt. Positive controls (the owner's key of
 * the weakest sufficient role succeeds) keep the matrix from passing vacuously; mutation controls run last, on fresh
 * fixtures.
 *
 * Completeness: the real schema is introspected, and every Query and Mutation field, every object type and every
 * field crossing between the catalogue and organization data must be classified here: a field added later without
 * a classification fails this file.
 */
import { createHash } from "node:crypto";

import {
  getNamedType,
  isObjectType,
  Kind,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type FieldNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ApiKeyRole, Platform } from "../../schema/enums.js";
import { refreshAccountFeatures } from "../../server/discovery/features.js";
import { getSchema } from "../../server/schema.js";
import { createInfluencer, createPost, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type GraphQLResponse, type TestServer } from "../support/server.js";

/** Written into every free-text field of the owner's data: no response to anybody else may contain it. */
const MARK = "OWNERSECRET";
/** An id no row has: a foreign id must be answered exactly like this one. */
const MISSING_ID = "999999999";

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

/** One campaign of the owner with everything under it, built through the API (so the audit trail is real). */
interface CampaignFixture {
  campaignId: string;
  collaborationId: string;
  deliverableId: string;
  /** The collaboration's influencer (catalogue), its account, and two of its posts. */
  influencerId: string;
  influencerName: string;
  account: { platform: Platform; handle: string };
  /** Linked to the campaign through the deliverable. */
  linkedPostId: string;
  /** Not linked to any campaign: `recordDeliverable` could link it. */
  freePostId: string;
  /** An influencer not in the campaign: `addInfluencerToCampaign` could add it. */
  spareInfluencerId: string;
  /** A MANAGER key of the owner that `revokeApiKey` could revoke. */
  victimKeyId: string;
}

interface World {
  owner: {
    organizationId: string;
    admin: string;
    manager: string;
    analyst: string;
    /** An ADMIN key of the owner, revoked. */
    revoked: string;
    keyIds: { admin: string; manager: string; analyst: string; revoked: string };
  };
  /** The shared target of every refusal. */
  t0: CampaignFixture;
  /** Another organization, ADMIN, with a campaign of its own on the same (catalogue) influencer as t0. */
  stranger: {
    organizationId: string;
    key: string;
    keyId: string;
    campaignId: string;
    collaborationId: string;
    deliverableId: string;
    auditEntryId: string;
  };
}

let server: TestServer;
let world: World;

/** A setup request that must succeed. */
async function ok<T = any>(query: string, variables: Record<string, unknown>, key: string): Promise<T> {
  const response = await server.gql<T>(query, variables, key);
  if (response.errors) throw new Error(`setup request failed: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

let fixtureCount = 0;

async function buildCampaignFixture(keys: { admin: string; manager: string }): Promise<CampaignFixture> {
  const db = server.app.db;
  const label = `${++fixtureCount}x${Date.now().toString(36)}`;
  const influencerName = `Matrix creator ${label}`;
  const { influencer, accounts } = createInfluencer(db, { name: influencerName, accounts: [{ platform: "INSTAGRAM" }] });
  const account = accounts[0]!;
  const spare = createInfluencer(db, { name: `Matrix spare ${label}` }).influencer;
  const linkedPost = createPost(db, account, { publishedAt: new Date("2026-10-02T12:00:00Z") });
  const freePost = createPost(db, account, { publishedAt: new Date("2026-10-01T12:00:00Z") });

  const { createCampaign: campaign } = await ok(
    `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
    {
      input: {
        name: `${MARK} campaign ${label}`,
        brief: `${MARK} brief`,
        keywords: [MARK],
        objective: "AWARENESS",
        status: "ACTIVE",
        budget: { amountMinor: 5_000_000, currency: "USD" },
      },
    },
    keys.manager,
  );
  const { addInfluencerToCampaign: collaboration } = await ok(
    `mutation($input: AddInfluencerToCampaignInput!) { addInfluencerToCampaign(input: $input) { id } }`,
    {
      input: {
        campaignId: campaign.id,
        influencerId: String(influencer.id),
        notes: `${MARK} notes`,
        promoCode: `${MARK}-${label}`,
        trackingUrl: `https://example.com/${MARK}`,
        fee: { amountMinor: 100_000, currency: "USD" },
      },
    },
    keys.manager,
  );
  await ok(
    `mutation($input: TransitionCollaborationInput!) { transitionCollaboration(input: $input) { id } }`,
    { input: { collaborationId: collaboration.id, to: "INVITED", note: `${MARK} note` } },
    keys.manager,
  );
  const { recordDeliverable: deliverable } = await ok(
    `mutation($input: RecordDeliverableInput!) { recordDeliverable(input: $input) { id } }`,
    {
      input: {
        collaborationId: collaboration.id,
        platform: "INSTAGRAM",
        kind: "PHOTO",
        description: `${MARK} deliverable`,
        postId: String(linkedPost.id),
      },
    },
    keys.manager,
  );
  const { createApiKey: victim } = await ok(
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }`,
    { input: { name: `${MARK} victim ${label}`, role: "MANAGER" } },
    keys.admin,
  );
  return {
    campaignId: campaign.id,
    collaborationId: collaboration.id,
    deliverableId: deliverable.id,
    influencerId: String(influencer.id),
    influencerName,
    account: { platform: account.platform, handle: account.handle },
    linkedPostId: String(linkedPost.id),
    freePostId: String(freePost.id),
    spareInfluencerId: String(spare.id),
    victimKeyId: victim.apiKey.id,
  };
}

async function createKey(admin: string, name: string, role: ApiKeyRole): Promise<{ key: string; id: string }> {
  const { createApiKey } = await ok(
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`,
    { input: { name, role } },
    admin,
  );
  return { key: createApiKey.key, id: createApiKey.apiKey.id };
}

async function buildWorld(): Promise<World> {
  const db = server.app.db;

  // The owner: an ADMIN key from the factory, the other keys issued through the API.
  const ownerTenant = createTenant(db, "ADMIN");
  const admin = ownerTenant.key;
  const adminId = (await ok(`{ viewer { apiKey { id } } }`, {}, admin)).viewer.apiKey.id as string;
  const manager = await createKey(admin, `${MARK} manager`, "MANAGER");
  const analyst = await createKey(admin, `${MARK} analyst`, "ANALYST");
  const revoked = await createKey(admin, `${MARK} revoked admin`, "ADMIN");
  await ok(`mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id } }`, { input: { id: revoked.id } }, admin);

  const t0 = await buildCampaignFixture({ admin, manager: manager.key });

  // The stranger: its own campaign, on the same catalogue influencer as t0, with a deliverable of its own.
  const strangerTenant = createTenant(db, "ADMIN");
  const stranger = strangerTenant.key;
  const strangerKeyId = (await ok(`{ viewer { apiKey { id } } }`, {}, stranger)).viewer.apiKey.id as string;
  const { createCampaign: campaign } = await ok(
    `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
    { input: { name: "Stranger campaign", objective: "ENGAGEMENT", budget: { amountMinor: 1_000, currency: "EUR" } } },
    stranger,
  );
  const { addInfluencerToCampaign: collaboration } = await ok(
    `mutation($input: AddInfluencerToCampaignInput!) { addInfluencerToCampaign(input: $input) { id } }`,
    { input: { campaignId: campaign.id, influencerId: t0.influencerId } },
    stranger,
  );
  const { recordDeliverable: deliverable } = await ok(
    `mutation($input: RecordDeliverableInput!) { recordDeliverable(input: $input) { id } }`,
    { input: { collaborationId: collaboration.id, platform: "INSTAGRAM", kind: "REEL", description: "stranger deliverable" } },
    stranger,
  );
  const auditEntry = db.$client
    .prepare(`select id from audit_log where organization_id = ? order by id limit 1`)
    .get(strangerTenant.organization.id) as { id: number };

  return {
    owner: {
      organizationId: String(ownerTenant.organization.id),
      admin,
      manager: manager.key,
      analyst: analyst.key,
      revoked: revoked.key,
      keyIds: { admin: adminId, manager: manager.id, analyst: analyst.id, revoked: revoked.id },
    },
    t0,
    stranger: {
      organizationId: String(strangerTenant.organization.id),
      key: stranger,
      keyId: strangerKeyId,
      campaignId: campaign.id,
      collaborationId: collaboration.id,
      deliverableId: deliverable.id,
      auditEntryId: String(auditEntry.id),
    },
  };
}

beforeAll(async () => {
  server = await startTestServer();
  world = await buildWorld();
  // New accounts become discoverable with a feature refresh (as after an import).
  refreshAccountFeatures(server.app.db);
  await server.app.services.discovery.sync();
});

afterAll(() => server?.close());

// ---------------------------------------------------------------------------------------------------------------
// Database fingerprints

/** Columns that may change without anybody changing anything: authentication stamps `last_used_at`. */
const VOLATILE_COLUMNS: Record<string, string[]> = { api_keys: ["last_used_at"] };

function hashRows(rows: Record<string, unknown>[], volatile: string[] = []): string {
  const lines = rows
    .map((row) => {
      const kept = Object.fromEntries(Object.entries(row).filter(([column]) => !volatile.includes(column)));
      return JSON.stringify(kept, (_key, value) => (Buffer.isBuffer(value) ? value.toString("hex") : value));
    })
    .sort();
  return `${rows.length} rows, sha256 ${createHash("sha256").update(lines.join("\n")).digest("hex")}`;
}

/** Row count and a hash of every row of every table (sqlite_sequence included), per table. */
function fingerprint(): Record<string, string> {
  const sqlite = server.app.db.$client;
  const tables = sqlite.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      hashRows(sqlite.prepare(`select * from "${name.replace(/"/g, '""')}"`).all() as Record<string, unknown>[], VOLATILE_COLUMNS[name]),
    ]),
  );
}

/** The owner organization's own rows only: what another organization's writes must never touch. */
function ownerFingerprint(): Record<string, string> {
  const sqlite = server.app.db.$client;
  const org = Number(world.owner.organizationId);
  const campaignsOf = `select id from campaigns where organization_id = ?`;
  const collaborationsOf = `select id from collaborations where campaign_id in (${campaignsOf})`;
  const parts: Record<string, [string, string]> = {
    organizations: [`select * from organizations where id = ?`, ""],
    campaigns: [`select * from campaigns where organization_id = ?`, ""],
    collaborations: [`select * from collaborations where campaign_id in (${campaignsOf})`, ""],
    deliverables: [`select * from deliverables where collaboration_id in (${collaborationsOf})`, ""],
    posts: [`select * from posts where campaign_id in (${campaignsOf})`, ""],
    api_keys: [`select * from api_keys where organization_id = ?`, "api_keys"],
    audit_log: [`select * from audit_log where organization_id = ?`, ""],
  };
  return Object.fromEntries(
    Object.entries(parts).map(([name, [query, volatileOf]]) => [
      name,
      hashRows(sqlite.prepare(query).all(org) as Record<string, unknown>[], VOLATILE_COLUMNS[volatileOf]),
    ]),
  );
}

/** Every organization-scoped entity of the owner, as `Type:id` (the GraphQL __typename and id). */
function ownerTypedIds(): Set<string> {
  const sqlite = server.app.db.$client;
  const org = Number(world.owner.organizationId);
  const ids = (type: string, query: string) =>
    (sqlite.prepare(query).all(org) as { id: number }[]).map((row) => `${type}:${row.id}`);
  return new Set([
    `Organization:${org}`,
    ...ids("Campaign", `select id from campaigns where organization_id = ?`),
    ...ids(
      "Collaboration",
      `select c.id from collaborations c join campaigns k on k.id = c.campaign_id where k.organization_id = ?`,
    ),
    ...ids(
      "Deliverable",
      `select d.id from deliverables d join collaborations c on c.id = d.collaboration_id join campaigns k on k.id = c.campaign_id where k.organization_id = ?`,
    ),
    ...ids("ApiKey", `select id from api_keys where organization_id = ?`),
    ...ids("AuditEntry", `select id from audit_log where organization_id = ?`),
  ]);
}

/** Every `Type:id` in a response (documents are sent with `__typename` on every object). */
function typedIds(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) typedIds(item, out);
  else if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (typeof object.__typename === "string" && object.id !== undefined && object.id !== null) {
      out.add(`${object.__typename}:${String(object.id)}`);
    }
    for (const nested of Object.values(object)) typedIds(nested, out);
  }
  return out;
}

const body = (response: GraphQLResponse) => JSON.stringify({ data: response.data ?? null, errors: response.errors ?? null });

// ---------------------------------------------------------------------------------------------------------------
// The operations

type Role = ApiKeyRole;
const RANK: Record<Role, number> = { ANALYST: 1, MANAGER: 2, ADMIN: 3 };
const ROLES: Role[] = ["ANALYST", "MANAGER", "ADMIN"];

type StrangerOutcome =
  /** An id-taking operation: NOT_FOUND on this argument path, exactly like an id that does not exist. */
  | { notFound: string }
  /**
   * A reference by natural key inside a batch (a post's externalId): BAD_USER_INPUT on `field`, exactly like a key
   * nobody has (the value at `path` in the variables replaced by one).
   */
  | { unknownReference: { field: string; path: string } }
  /**
   * A list or catalogue read (or a create with no id to aim at): it succeeds, but shows only the stranger's own
   * organization: `sees` (its own data, so the check is not vacuous) and none of the owner's entities.
   */
  | {
      sees: (w: World) => string[];
      /** Catalogue entities that must not appear through this path either. */
      hides?: (w: World) => string[];
      /** A create: it writes, but only into the stranger's organization. */
      writesOwnOrganization?: boolean;
      check?: (data: any, w: World) => void;
    };

interface Operation {
  /** `Type.field` of the root, plus what the document reaches. */
  name: string;
  document: string;
  needs: Role;
  /** Aimed at the owner's data; `fx` is t0 for refusals, a fresh fixture for mutation controls. */
  variables: (fx: CampaignFixture, w: World) => Record<string, unknown>;
  stranger: StrangerOutcome;
  /** What the owner, with a key of the `needs` role, must see: `Type:id`s. */
  ownerSees: (fx: CampaignFixture, w: World) => string[];
  ownerCheck?: (data: any, fx: CampaignFixture, w: World) => void;
}

const sqliteRow = (query: string, ...params: unknown[]) =>
  server.app.db.$client.prepare(query).get(...params) as Record<string, unknown> | undefined;

const externalIdOf = (postId: string) => sqliteRow(`select external_id from posts where id = ?`, Number(postId))!.external_id as string;

const lastAuditOrganization = (action: string) =>
  sqliteRow(`select organization_id from audit_log where action = ? order by id desc limit 1`, action)?.organization_id;

const ownerAuditEntryOf = (campaignId: string) =>
  `AuditEntry:${sqliteRow(`select id from audit_log where entity_type = 'Campaign' and entity_id = ? and action = 'campaign.create'`, Number(campaignId))!.id}`;

const OPERATIONS: Operation[] = [
  // Root queries.
  {
    name: "Query.campaign",
    document: `query($id: ID!) { campaign(id: $id) { id name brief keywords budget { amountMinor currency } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.campaignId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`],
  },
  {
    name: "Query.campaigns",
    document: `query { campaigns(first: 100, filter: { includeArchived: true }) { totalCount edges { node { id name brief } } } }`,
    needs: "ANALYST",
    variables: () => ({}),
    stranger: { sees: (w) => [`Campaign:${w.stranger.campaignId}`] },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`],
  },
  {
    name: "Query.campaigns (searching the owner's campaign name)",
    document: `query($search: String!) { campaigns(first: 100, filter: { includeArchived: true, search: $search }) { totalCount edges { node { id name } } } }`,
    needs: "ANALYST",
    variables: () => ({ search: MARK }),
    stranger: { sees: () => [], check: (data) => expect(data.campaigns.totalCount).toBe(0) },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`],
  },
  {
    name: "Query.collaboration",
    document: `query($id: ID!) { collaboration(id: $id) { id status notes promoCode trackingUrl fee { amountMinor currency } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.collaborationId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Collaboration:${fx.collaborationId}`],
  },
  {
    name: "Query.apiKeys",
    document: `query { apiKeys(first: 100, includeRevoked: true) { totalCount edges { node { id name prefix role revokedAt } } } }`,
    needs: "ADMIN",
    variables: () => ({}),
    stranger: { sees: (w) => [`ApiKey:${w.stranger.keyId}`] },
    ownerSees: (fx, w) => [
      ...Object.values(w.owner.keyIds).map((id) => `ApiKey:${id}`),
      `ApiKey:${fx.victimKeyId}`,
    ],
  },
  {
    name: "Query.auditLog",
    document: `query { auditLog(first: 100) { totalCount edges { node { id action entityType entityId before after apiKey { id name prefix } } } } }`,
    needs: "ADMIN",
    variables: () => ({}),
    stranger: { sees: (w) => [`AuditEntry:${w.stranger.auditEntryId}`, `ApiKey:${w.stranger.keyId}`] },
    ownerSees: (fx, w) => [ownerAuditEntryOf(fx.campaignId), `ApiKey:${w.owner.keyIds.manager}`],
  },
  {
    name: "Query.auditLog (filtered on the owner's campaign)",
    document: `query($entityId: ID!) { auditLog(first: 100, filter: { entityType: "Campaign", entityId: $entityId }) { totalCount edges { node { id action entityId after } } } }`,
    needs: "ADMIN",
    variables: (fx) => ({ entityId: fx.campaignId }),
    stranger: { sees: () => [], check: (data) => expect(data.auditLog.totalCount).toBe(0) },
    ownerSees: (fx) => [ownerAuditEntryOf(fx.campaignId)],
  },
  {
    name: "Query.auditLog (filtered on the owner's API key)",
    document: `query($apiKeyId: ID!) { auditLog(first: 100, filter: { apiKeyId: $apiKeyId }) { totalCount edges { node { id action entityId after apiKey { id } } } } }`,
    needs: "ADMIN",
    variables: (_fx, w) => ({ apiKeyId: w.owner.keyIds.manager }),
    stranger: { sees: () => [], check: (data) => expect(data.auditLog.totalCount).toBe(0) },
    ownerSees: (fx, w) => [ownerAuditEntryOf(fx.campaignId), `ApiKey:${w.owner.keyIds.manager}`],
  },
  {
    name: "Query.viewer",
    document: `query { viewer { apiKey { id name role prefix } organization { id name slug kind } } }`,
    needs: "ANALYST",
    variables: () => ({}),
    stranger: { sees: (w) => [`ApiKey:${w.stranger.keyId}`, `Organization:${w.stranger.organizationId}`] },
    ownerSees: (_fx, w) => [`ApiKey:${w.owner.keyIds.analyst}`, `Organization:${w.owner.organizationId}`],
  },

  {
    name: "Query.discover (leaving out the owner's campaign)",
    document: `query($brief: DiscoveryBrief!) { discover(brief: $brief, first: 100) { totalCount edges { rank score node { id } influencer { id } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ brief: { excludeCampaignId: fx.campaignId } }),
    stranger: { notFound: "brief.excludeCampaignId" },
    ownerSees: (fx) => [`Influencer:${fx.spareInfluencerId}`],
  },

  // Nested fields, through the owner's ids.
  {
    name: "Campaign.recommendedInfluencers (via campaign)",
    document: `query($id: ID!) { campaign(id: $id) { id recommendedInfluencers(first: 100) { totalCount edges { score node { id } influencer { id } } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.campaignId }),
    stranger: { notFound: "id" },
    // The fixture campaign's keyword is the secret marker, which no catalogue text contains: nothing to recommend,
    // but the field resolves for the owner.
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`],
    ownerCheck: (data) => expect(data.campaign.recommendedInfluencers).toMatchObject({ totalCount: 0, edges: [] }),
  },
  {
    name: "Campaign.performance (via campaign)",
    document: `query($id: ID!) { campaign(id: $id) { id performance { currency totals { postsPublished spend { amountMinor } } creators { collaborationId influencer { id } metrics { likes } daily { day } } daily { day } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.campaignId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`],
  },
  {
    name: "Campaign.collaborations (via campaign)",
    document: `query($id: ID!) { campaign(id: $id) { id collaborations(first: 50) { totalCount edges { node { id notes } } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.campaignId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Collaboration:${fx.collaborationId}`],
  },
  {
    name: "Campaign.posts (via campaign)",
    document: `query($id: ID!) { campaign(id: $id) { id posts { id caption campaign { id } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.campaignId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Post:${fx.linkedPostId}`, `Campaign:${fx.campaignId}`],
  },
  {
    name: "Collaboration.deliverables → Deliverable.post (via collaboration)",
    document: `query($id: ID!) { collaboration(id: $id) { id deliverables { id description post { id campaign { id } } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.collaborationId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Deliverable:${fx.deliverableId}`, `Post:${fx.linkedPostId}`, `Campaign:${fx.campaignId}`],
  },
  {
    name: "Collaboration.posts (via collaboration)",
    document: `query($id: ID!) { collaboration(id: $id) { id posts { id campaign { id } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.collaborationId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Post:${fx.linkedPostId}`],
  },
  {
    name: "Collaboration.campaign and Collaboration.influencer (via collaboration)",
    document: `query($id: ID!) { collaboration(id: $id) { id campaign { id name } influencer { id name } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.collaborationId }),
    stranger: { notFound: "id" },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`, `Influencer:${fx.influencerId}`],
  },
  {
    name: "every nested campaign field (via campaigns, each caller's own tree)",
    document: `query {
      campaigns(first: 10, filter: { includeArchived: true }) { edges { node {
        id name
        posts(first: 5) { id campaign { id } }
        collaborations(first: 5) { edges { node {
          id notes
          campaign { id }
          influencer { id }
          posts { id campaign { id } }
          deliverables { id description post { id campaign { id } } }
        } } }
      } } }
    }`,
    needs: "ANALYST",
    variables: () => ({}),
    stranger: {
      // The stranger's collaboration is on the same influencer as the owner's: its posts must not include the
      // post the influencer made for the owner's campaign.
      sees: (w) => [
        `Campaign:${w.stranger.campaignId}`,
        `Collaboration:${w.stranger.collaborationId}`,
        `Deliverable:${w.stranger.deliverableId}`,
        `Influencer:${w.t0.influencerId}`,
      ],
      hides: (w) => [`Post:${w.t0.linkedPostId}`],
    },
    ownerSees: (fx) => [
      `Campaign:${fx.campaignId}`,
      `Collaboration:${fx.collaborationId}`,
      `Deliverable:${fx.deliverableId}`,
      `Post:${fx.linkedPostId}`,
    ],
  },

  // Post.campaign, from every catalogue entry point: null for another organization's campaign.
  {
    name: "Post.campaign (via influencers → accounts → recentPosts)",
    document: `query($search: String!) { influencers(first: 10, filter: { search: $search }) { edges { node { id accounts { id recentPosts(first: 50) { id campaign { id name } } } } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ search: fx.influencerName }),
    stranger: { sees: (w) => [`Post:${w.t0.linkedPostId}`, `Post:${w.t0.freePostId}`] },
    ownerSees: (fx) => [`Post:${fx.linkedPostId}`, `Campaign:${fx.campaignId}`],
  },
  {
    name: "Post.campaign (via influencer → accounts → recentPosts)",
    document: `query($id: ID!) { influencer(id: $id) { id accounts { id recentPosts { id campaign { id name } } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ id: fx.influencerId }),
    stranger: { sees: (w) => [`Post:${w.t0.linkedPostId}`] },
    ownerSees: (fx) => [`Post:${fx.linkedPostId}`, `Campaign:${fx.campaignId}`],
  },
  {
    name: "Post.campaign (via account → recentPosts, and back through Post.account)",
    document: `query($platform: Platform!, $handle: String!) { account(platform: $platform, handle: $handle) { id recentPosts { id campaign { id name } account { id recentPosts { id campaign { id } } } } } }`,
    needs: "ANALYST",
    variables: (fx) => ({ platform: fx.account.platform, handle: fx.account.handle }),
    stranger: { sees: (w) => [`Post:${w.t0.linkedPostId}`] },
    ownerSees: (fx) => [`Post:${fx.linkedPostId}`, `Campaign:${fx.campaignId}`],
  },

  // Mutations.
  {
    name: "Mutation.createCampaign",
    document: `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id name collaborations { totalCount } posts { id } } }`,
    needs: "MANAGER",
    variables: () => ({ input: { name: "Matrix campaign", objective: "CONVERSION", budget: { amountMinor: 1_000, currency: "USD" } } }),
    stranger: {
      sees: () => [],
      writesOwnOrganization: true,
      check: (data, w) =>
        expect(sqliteRow(`select organization_id from campaigns where id = ?`, Number(data.createCampaign.id))).toEqual({
          organization_id: Number(w.stranger.organizationId),
        }),
    },
    ownerSees: () => [],
    ownerCheck: (data, _fx, w) =>
      expect(sqliteRow(`select organization_id from campaigns where id = ?`, Number(data.createCampaign.id))).toEqual({
        organization_id: Number(w.owner.organizationId),
      }),
  },
  {
    name: "Mutation.updateCampaign",
    document: `mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { id name collaborations { edges { node { id } } } posts { id } } }`,
    needs: "MANAGER",
    variables: (fx) => ({ input: { id: fx.campaignId, name: "Renamed by the matrix", status: "PAUSED" } }),
    stranger: { notFound: "input.id" },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`, `Collaboration:${fx.collaborationId}`],
    ownerCheck: (data) => expect(data.updateCampaign.name).toBe("Renamed by the matrix"),
  },
  {
    name: "Mutation.archiveCampaign",
    document: `mutation($input: ArchiveCampaignInput!) { archiveCampaign(input: $input) { id status archivedAt collaborations { edges { node { id } } } } }`,
    needs: "MANAGER",
    variables: (fx) => ({ input: { id: fx.campaignId } }),
    stranger: { notFound: "input.id" },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`],
    ownerCheck: (data) => expect(data.archiveCampaign).toMatchObject({ status: "ARCHIVED", archivedAt: expect.any(String) }),
  },
  {
    name: "Mutation.addInfluencerToCampaign",
    document: `mutation($input: AddInfluencerToCampaignInput!) { addInfluencerToCampaign(input: $input) { id status campaign { id name } influencer { id } } }`,
    needs: "MANAGER",
    variables: (fx) => ({ input: { campaignId: fx.campaignId, influencerId: fx.spareInfluencerId, notes: "added by the matrix" } }),
    stranger: { notFound: "input.campaignId" },
    ownerSees: (fx) => [`Campaign:${fx.campaignId}`, `Influencer:${fx.spareInfluencerId}`],
    ownerCheck: (data) => expect(data.addInfluencerToCampaign.status).toBe("SHORTLISTED"),
  },
  {
    name: "Mutation.transitionCollaboration",
    document: `mutation($input: TransitionCollaborationInput!) { transitionCollaboration(input: $input) { id status campaign { id } deliverables { id } } }`,
    needs: "MANAGER",
    variables: (fx) => ({ input: { collaborationId: fx.collaborationId, to: "NEGOTIATING", note: "moved by the matrix" } }),
    stranger: { notFound: "input.collaborationId" },
    ownerSees: (fx) => [`Collaboration:${fx.collaborationId}`, `Campaign:${fx.campaignId}`, `Deliverable:${fx.deliverableId}`],
    ownerCheck: (data) => expect(data.transitionCollaboration.status).toBe("NEGOTIATING"),
  },
  {
    name: "Mutation.recordDeliverable",
    document: `mutation($input: RecordDeliverableInput!) { recordDeliverable(input: $input) { id status post { id campaign { id } } } }`,
    needs: "MANAGER",
    variables: (fx) => ({
      input: { collaborationId: fx.collaborationId, platform: "INSTAGRAM", kind: "PHOTO", description: "recorded by the matrix", postId: fx.freePostId },
    }),
    stranger: { notFound: "input.collaborationId" },
    ownerSees: (fx) => [`Post:${fx.freePostId}`, `Campaign:${fx.campaignId}`],
    ownerCheck: (data, fx) => {
      expect(data.recordDeliverable.status).toBe("PUBLISHED");
      expect(sqliteRow(`select campaign_id from posts where id = ?`, Number(fx.freePostId))).toEqual({ campaign_id: Number(fx.campaignId) });
    },
  },
  {
    name: "Mutation.createApiKey",
    document: `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name role } } }`,
    needs: "ADMIN",
    variables: () => ({ input: { name: "matrix key", role: "ANALYST" } }),
    stranger: {
      sees: () => [],
      writesOwnOrganization: true,
      check: (data, w) =>
        expect(sqliteRow(`select organization_id from api_keys where id = ?`, Number(data.createApiKey.apiKey.id))).toEqual({
          organization_id: Number(w.stranger.organizationId),
        }),
    },
    ownerSees: () => [],
    ownerCheck: (data, _fx, w) =>
      expect(sqliteRow(`select organization_id from api_keys where id = ?`, Number(data.createApiKey.apiKey.id))).toEqual({
        organization_id: Number(w.owner.organizationId),
      }),
  },
  {
    name: "Mutation.revokeApiKey",
    document: `mutation($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { id name revokedAt } }`,
    needs: "ADMIN",
    variables: (fx) => ({ input: { id: fx.victimKeyId } }),
    stranger: { notFound: "input.id" },
    ownerSees: (fx) => [`ApiKey:${fx.victimKeyId}`],
    ownerCheck: (data) => expect(data.revokeApiKey.revokedAt).toEqual(expect.any(String)),
  },
  // Batched ingestion writes catalogue data (captures of public posts and accounts), which any organization's MANAGER
  // may record, with its audit entry in its own organization; but not the captures of a post made for another
  // organization's campaign, which feed that campaign's report.
  {
    name: "Mutation.recordPostMetrics",
    document: `mutation($input: RecordPostMetricsInput!) { recordPostMetrics(input: $input) { rows inserted updated unchanged } }`,
    needs: "MANAGER",
    variables: (fx) => ({
      input: { rows: [{ platform: fx.account.platform, externalId: externalIdOf(fx.linkedPostId), capturedAt: "2026-10-05T00:00:00Z", likes: 120, comments: 8 }] },
    }),
    // A post made for the owner's campaign is the owner's record of it: the stranger is answered as if it did not exist.
    stranger: { unknownReference: { field: "input.rows.0.externalId", path: "input.rows.0.externalId" } },
    ownerSees: () => [],
    ownerCheck: (data, _fx, w) => {
      expect(data.recordPostMetrics).toMatchObject({ rows: 1, inserted: 1, updated: 0, unchanged: 0 });
      expect(lastAuditOrganization("postMetrics.record")).toBe(Number(w.owner.organizationId));
    },
  },
  {
    name: "Mutation.recordAccountSnapshots",
    document: `mutation($input: RecordAccountSnapshotsInput!) { recordAccountSnapshots(input: $input) { rows inserted updated unchanged } }`,
    needs: "MANAGER",
    variables: (fx) => ({
      input: { rows: [{ platform: fx.account.platform, handle: fx.account.handle, capturedAt: "2026-10-05T00:00:00Z", followers: 12_345, following: 300, posts: 100 }] },
    }),
    stranger: {
      sees: () => [],
      writesOwnOrganization: true,
      check: (data, w) => {
        expect(data.recordAccountSnapshots.rows).toBe(1);
        expect(lastAuditOrganization("accountSnapshots.record")).toBe(Number(w.stranger.organizationId));
      },
    },
    ownerSees: () => [],
    ownerCheck: (data, _fx, w) => {
      expect(data.recordAccountSnapshots).toMatchObject({ rows: 1, inserted: 1, updated: 0, unchanged: 0 });
      expect(lastAuditOrganization("accountSnapshots.record")).toBe(Number(w.owner.organizationId));
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Classification of the schema (completeness)

type RootClass = { scope: "org" } | { scope: "self" | "catalogue"; reason: string };

const QUERY_FIELDS: Record<string, RootClass> = {
  campaign: { scope: "org" },
  campaigns: { scope: "org" },
  collaboration: { scope: "org" },
  apiKeys: { scope: "org" },
  auditLog: { scope: "org" },
  viewer: { scope: "self", reason: "shows the calling key and its own organization only; in the matrix all the same" },
  influencers: { scope: "catalogue", reason: "the influencer catalogue is shared by every organization (any authenticated key)" },
  influencer: { scope: "catalogue", reason: "the influencer catalogue is shared by every organization (any authenticated key)" },
  account: { scope: "catalogue", reason: "social accounts belong to the shared catalogue (any authenticated key)" },
  discover: { scope: "org" },
  similarInfluencers: { scope: "catalogue", reason: "lookalikes compare catalogue creators only (audience, categories, hashtags)" },
};

/** Every mutation writes organization data, or (batched ingestion) catalogue data audited in the caller's organization. */
const MUTATION_FIELDS = [
  "createCampaign",
  "updateCampaign",
  "archiveCampaign",
  "addInfluencerToCampaign",
  "transitionCollaboration",
  "recordDeliverable",
  "createApiKey",
  "revokeApiKey",
  "recordPostMetrics",
  "recordAccountSnapshots",
];

/** Object types: organization data, shared catalogue, or plain values with no identity of their own. */
const OBJECT_TYPES: Record<string, "org" | "catalogue" | "value"> = {
  Campaign: "org",
  CampaignConnection: "org",
  CampaignEdge: "org",
  Collaboration: "org",
  CollaborationConnection: "org",
  CollaborationEdge: "org",
  Deliverable: "org",
  ApiKey: "org",
  ApiKeyConnection: "org",
  ApiKeyEdge: "org",
  AuditEntry: "org",
  AuditEntryConnection: "org",
  AuditEntryEdge: "org",
  Organization: "org",
  Viewer: "org",
  CreateApiKeyPayload: "org",
  Influencer: "catalogue",
  InfluencerConnection: "catalogue",
  InfluencerEdge: "catalogue",
  SocialAccount: "catalogue",
  Post: "catalogue",
  PostMetricSnapshot: "catalogue",
  // Derived from catalogue data (SocialAccount.flags, Post.flags, EngagementFlag.post): readable by any valid key.
  EngagementFlag: "catalogue",
  PostEngagement: "value",
  AccountActivity: "value",
  AccountSnapshot: "catalogue",
  AudienceShare: "catalogue",
  DiscoveryConnection: "catalogue",
  DiscoveryEdge: "catalogue",
  SimilarInfluencerConnection: "catalogue",
  SimilarInfluencerEdge: "catalogue",
  ScoreExplanation: "value",
  FactorExplanation: "value",
  SimilarityComponent: "value",
  Money: "value",
  PageInfo: "value",
  IngestResult: "value",
  AudienceTarget: "value",
  CampaignPerformance: "org",
  CreatorPerformance: "org",
  PerformanceMetrics: "org",
  DailyPerformance: "org",
  CreatorBenchmark: "value",
  EmvValues: "value",
};

/** Fields by which the catalogue side reaches organization data. */
const CATALOGUE_TO_ORG_FIELDS: Record<string, string> = {
  "Post.campaign": "null unless the campaign belongs to the caller's organization",
};

/** Relations out of organization data: reachable only through a root that already checked the organization. */
const ORG_NESTED_FIELDS: Record<string, string> = {
  "Campaign.collaborations": "the campaign's own collaborations",
  "Campaign.posts": "posts linked to the campaign",
  "Campaign.recommendedInfluencers": "catalogue accounts ranked for the campaign's targeting, minus its own creators",
  "Campaign.performance": "the campaign's own report: its collaborations, posts and conversions",
  "CampaignPerformance.creators": "the campaign's own collaborations",
  "CampaignPerformance.totals": "the campaign's own totals",
  "CampaignPerformance.daily": "the campaign's own days",
  "CreatorPerformance.metrics": "the collaboration's own metrics",
  "CreatorPerformance.influencer": "catalogue",
  "CreatorPerformance.daily": "the collaboration's own days, in the campaign the report checked",
  "Collaboration.campaign": "the collaboration's own campaign",
  "Collaboration.deliverables": "the collaboration's own deliverables",
  "Collaboration.posts": "posts of this campaign × influencer only",
  "Collaboration.influencer": "catalogue",
  "Deliverable.post": "catalogue post (its campaign through Post.campaign)",
  "AuditEntry.apiKey": "a key of the entry's (the caller's) organization",
  "Viewer.apiKey": "the calling key",
  "Viewer.organization": "the calling key's organization",
  "CreateApiKeyPayload.apiKey": "the key just created in the caller's organization",
};

/** `__typename` on every object selection (not on the operation's root), so responses name their entities. */
function withTypenames(document: string): string {
  const typename: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } };
  const edited = visit(parse(document), {
    SelectionSet: {
      leave(node: SelectionSetNode, _key, parent) {
        if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "__typename")) return undefined;
        return { ...node, selections: [...node.selections, typename] };
      },
    },
  });
  return print(edited);
}

/** The `Type.field`s a document selects. */
function fieldsOf(schema: GraphQLSchema, document: string): Set<string> {
  const typeInfo = new TypeInfo(schema);
  const used = new Set<string>();
  visit(
    parse(document),
    visitWithTypeInfo(typeInfo, {
      Field() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field) used.add(`${parent.name}.${field.name}`);
      },
    }),
  );
  return used;
}

describe("the matrix covers the whole schema", () => {
  const schema = getSchema();
  const covered = new Set(OPERATIONS.flatMap((op) => [...fieldsOf(schema, op.document)]));

  it("every operation document is valid against the schema", () => {
    for (const op of OPERATIONS) {
      expect(validate(schema, parse(withTypenames(op.document))).map((e) => `${op.name}: ${e.message}`)).toEqual([]);
    }
  });

  it("every Query field is classified, and every organization-scoped one is in the matrix", () => {
    const fields = Object.keys(schema.getQueryType()!.getFields()).sort();
    expect(fields, "classify new Query fields in QUERY_FIELDS").toEqual(Object.keys(QUERY_FIELDS).sort());
    for (const [name, cls] of Object.entries(QUERY_FIELDS)) {
      if (cls.scope !== "org") expect(cls.reason.length, `Query.${name} needs a reason`).toBeGreaterThan(10);
      if (cls.scope !== "catalogue") expect(covered.has(`Query.${name}`), `Query.${name} is not in the matrix`).toBe(true);
    }
  });

  it("every Mutation field is classified and in the matrix", () => {
    const fields = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(fields, "classify new Mutation fields in MUTATION_FIELDS").toEqual([...MUTATION_FIELDS].sort());
    for (const name of MUTATION_FIELDS) expect(covered.has(`Mutation.${name}`), `Mutation.${name} is not in the matrix`).toBe(true);
  });

  it("every object type is classified as organization data, catalogue or value", () => {
    const types = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && !type.name.startsWith("__"))
      .map((type) => type.name)
      .filter((name) => name !== "Query" && name !== "Mutation")
      .sort();
    expect(types, "classify new object types in OBJECT_TYPES").toEqual(Object.keys(OBJECT_TYPES).sort());
  });

  it("every field crossing into or out of organization data is listed explicitly and in the matrix", () => {
    const crossing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__") || type.name === "Query" || type.name === "Mutation") continue;
      // Connection plumbing (edges, node, pageInfo): the connection field itself is what gets classified.
      if (type.name.endsWith("Connection") || type.name.endsWith("Edge")) continue;
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type);
        if (!isObjectType(target) || OBJECT_TYPES[target.name] === "value") continue;
        if (OBJECT_TYPES[type.name] === "org" || OBJECT_TYPES[target.name] === "org") crossing.push(`${type.name}.${field.name}`);
      }
    }
    expect(crossing.sort(), "list new fields in CATALOGUE_TO_ORG_FIELDS or ORG_NESTED_FIELDS").toEqual(
      [...Object.keys(CATALOGUE_TO_ORG_FIELDS), ...Object.keys(ORG_NESTED_FIELDS)].sort(),
    );
    for (const name of crossing) expect(covered.has(name), `${name} is not in the matrix`).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Refusals

type Attacker = "stranger" | "anonymous" | "revoked" | "ANALYST" | "MANAGER";

interface RefusalCase {
  name: string;
  op: Operation;
  attacker: Attacker;
}

function expectedOutcome(op: Operation, attacker: Attacker): string {
  if (attacker === "anonymous" || attacker === "revoked") return "UNAUTHENTICATED";
  if (attacker !== "stranger") return "FORBIDDEN";
  if ("notFound" in op.stranger) return `NOT_FOUND on ${op.stranger.notFound}, like a missing id`;
  if ("unknownReference" in op.stranger) return `BAD_USER_INPUT on ${op.stranger.unknownReference.field}, like a missing reference`;
  return op.stranger.writesOwnOrganization ? "writes only its own organization" : "sees only its own organization";
}

const ATTACKER_LABEL: Record<Attacker, string> = {
  stranger: "another organization's ADMIN key",
  anonymous: "no key",
  revoked: "the owner's revoked ADMIN key",
  ANALYST: "the owner's ANALYST key",
  MANAGER: "the owner's MANAGER key",
};

const REFUSALS: RefusalCase[] = OPERATIONS.flatMap((op) => {
  const weaker = ROLES.filter((role) => RANK[role] < RANK[op.needs]) as Attacker[];
  return (["stranger", "anonymous", "revoked", ...weaker] as Attacker[]).map((attacker) => ({
    name: `${op.name} × ${ATTACKER_LABEL[attacker]} → ${expectedOutcome(op, attacker)}`,
    op,
    attacker,
  }));
});

function keyOf(attacker: Attacker): string | undefined {
  switch (attacker) {
    case "stranger":
      return world.stranger.key;
    case "anonymous":
      return undefined;
    case "revoked":
      return world.owner.revoked;
    case "ANALYST":
      return world.owner.analyst;
    case "MANAGER":
      return world.owner.manager;
  }
}

function setPath(variables: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(variables);
  const parts = path.split(".");
  let node = copy as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  const last = parts.at(-1)!;
  expect(node[last], `the variables carry ${path}`).toBeDefined();
  node[last] = value;
  return copy;
}

function getPath(variables: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], variables);
}

function expectRefused(response: GraphQLResponse, code: string) {
  const error = singleError(response);
  expect(error.extensions?.code, error.message).toBe(code);
  expect(response.data ?? null).toBeNull();
  expect(body(response)).not.toContain(MARK);
  return error;
}

describe("every attempt on another organization's data, without a valid key or with a weaker role is refused and changes nothing", () => {
  it.each(REFUSALS)("$name", async ({ op, attacker }) => {
    const document = withTypenames(op.document);
    const variables = op.variables(world.t0, world);
    const before = fingerprint();
    const ownerBefore = ownerFingerprint();
    const response = await server.gql(document, variables, keyOf(attacker));

    if (attacker === "anonymous" || attacker === "revoked") {
      const error = expectRefused(response, "UNAUTHENTICATED");
      if (attacker === "revoked") expect(error.message).toMatch(/revoked/);
      expect(fingerprint()).toEqual(before);
      return;
    }
    if (attacker !== "stranger") {
      const error = expectRefused(response, "FORBIDDEN");
      expect(error.message).toContain(op.needs);
      expect(fingerprint()).toEqual(before);
      return;
    }

    const outcome = op.stranger;
    if ("notFound" in outcome) {
      const error = expectRefused(response, "NOT_FOUND");
      expect(error.extensions?.field).toBe(outcome.notFound);
      expect(fingerprint()).toEqual(before);
      // No existence leak: the answer is the one for an id nobody has, but for the id itself.
      const ownerId = String(getPath(variables, outcome.notFound));
      const missing = await server.gql(document, setPath(variables, outcome.notFound, MISSING_ID), world.stranger.key);
      const missingError = expectRefused(missing, "NOT_FOUND");
      expect(error.extensions).toEqual(missingError.extensions);
      expect(error.message.replaceAll(ownerId, "<id>")).toBe(missingError.message.replaceAll(MISSING_ID, "<id>"));
      expect(fingerprint()).toEqual(before);
      return;
    }

    if ("unknownReference" in outcome) {
      const { field, path } = outcome.unknownReference;
      const error = expectRefused(response, "BAD_USER_INPUT");
      expect(error.extensions?.field).toBe(field);
      expect(fingerprint()).toEqual(before);
      const ownerValue = String(getPath(variables, path));
      const missing = await server.gql(document, setPath(variables, path, "nobody_has_this"), world.stranger.key);
      const missingError = expectRefused(missing, "BAD_USER_INPUT");
      expect(JSON.stringify(error.extensions).replaceAll(ownerValue, "<ref>")).toBe(JSON.stringify(missingError.extensions).replaceAll("nobody_has_this", "<ref>"));
      expect(error.message.replaceAll(ownerValue, "<ref>")).toBe(missingError.message.replaceAll("nobody_has_this", "<ref>"));
      expect(fingerprint()).toEqual(before);
      return;
    }

    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const seen = typedIds(response.data);
    const owners = ownerTypedIds();
    expect([...seen].filter((id) => owners.has(id)), "the owner's entities in the stranger's response").toEqual([]);
    expect(body(response)).not.toContain(MARK);
    for (const id of outcome.sees(world)) expect(seen, `the stranger sees its own ${id}`).toContain(id);
    for (const id of outcome.hides?.(world) ?? []) expect(seen, `${id} must not show here`).not.toContain(id);
    outcome.check?.(response.data, world);
    expect(ownerFingerprint()).toEqual(ownerBefore);
    if (!outcome.writesOwnOrganization) expect(fingerprint()).toEqual(before);
  });

  it("the stranger cannot link a post of the owner's campaign to its own collaboration", async () => {
    // A cross-tenant reference inside the stranger's own input: its own collaboration (same influencer), the
    // owner's campaign post. The catalogue shows the post, but its campaign is the owner's.
    const before = fingerprint();
    const response = await server.gql(
      withTypenames(`mutation($input: RecordDeliverableInput!) { recordDeliverable(input: $input) { id post { id campaign { id } } } }`),
      {
        input: { collaborationId: world.stranger.collaborationId, platform: "INSTAGRAM", kind: "PHOTO", postId: world.t0.linkedPostId },
      },
      world.stranger.key,
    );
    const error = singleError(response);
    expect(["BAD_USER_INPUT", "NOT_FOUND"]).toContain(error.extensions?.code);
    expect(error.extensions?.field).toBe("input.postId");
    expect(response.data ?? null).toBeNull();
    expect(body(response)).not.toContain(MARK);
    expect(error.message).not.toContain(`ampaign ${world.t0.campaignId}`);
    expect(fingerprint()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Positive controls

describe("the owner's key with the weakest sufficient role succeeds (so the refusals are not vacuous)", () => {
  // Reads first (on t0, unchanged by every refusal); mutations on fresh fixtures, after every refusal.
  const controls = [...OPERATIONS]
    .sort((a, b) => Number(a.document.trimStart().startsWith("mutation")) - Number(b.document.trimStart().startsWith("mutation")))
    .map((op) => ({ name: `${op.name} × the owner's ${op.needs} key → succeeds`, op }));

  it.each(controls)("$name", async ({ op }) => {
    const isMutation = op.document.trimStart().startsWith("mutation");
    const fx = isMutation ? await buildCampaignFixture({ admin: world.owner.admin, manager: world.owner.manager }) : world.t0;
    const key = { ADMIN: world.owner.admin, MANAGER: world.owner.manager, ANALYST: world.owner.analyst }[op.needs];
    const before = fingerprint();
    const response = await server.gql(withTypenames(op.document), op.variables(fx, world), key);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const seen = typedIds(response.data);
    for (const id of op.ownerSees(fx, world)) expect(seen, `the owner sees ${id}`).toContain(id);
    op.ownerCheck?.(response.data, fx, world);
    if (isMutation) expect(fingerprint()).not.toEqual(before);
    else expect(fingerprint()).toEqual(before);
  });
});

/**
 * The batched ingestion mutations over HTTP: counts, all-or-nothing with every row's problems, limits, role, audit,
 * and the same rules as the importer (natural keys, account counters from the latest capture, campaign roll-ups).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { rebuildAllRollups } from "../../server/engagement/rollups.js";
import { createAccountSnapshot, createApiKey, createCampaign, createInfluencer, createPost, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type TestServer } from "../support/server.js";
import { fingerprint } from "./ingest-support.js";

let server: TestServer;
let manager: string;
let analyst: string;
let organizationId: number;
let account: { id: number; platform: "INSTAGRAM"; handle: string };
let posts: { id: number; externalId: string }[];
let campaignPost: { id: number; externalId: string };
let campaignId: number;
let influencerId: number;

const RECORD_METRICS = `mutation($input: RecordPostMetricsInput!) { recordPostMetrics(input: $input) { rows inserted updated unchanged } }`;
const RECORD_SNAPSHOTS = `mutation($input: RecordAccountSnapshotsInput!) { recordAccountSnapshots(input: $input) { rows inserted updated unchanged } }`;

beforeAll(async () => {
  server = await startTestServer();
  const db = server.app.db;
  const tenant = createTenant(db, "ADMIN");
  organizationId = tenant.organization.id;
  manager = createApiKey(db, organizationId, "MANAGER");
  analyst = createApiKey(db, organizationId, "ANALYST");
  const created = createInfluencer(db, { accounts: [{ platform: "INSTAGRAM", handle: "mila.moves", followers: 20_000 }] });
  influencerId = created.influencer.id;
  account = created.accounts[0] as typeof account;
  posts = [0, 1, 2].map(() => createPost(db, account, { publishedAt: new Date("2026-10-01T12:00:00Z") }));
  campaignId = createCampaign(db, organizationId).id;
  campaignPost = createPost(db, account, { publishedAt: new Date("2026-10-03T09:00:00Z"), campaignId });
});

afterAll(() => server?.close());

const capture = (post: { externalId: string }, capturedAt: string, likes: unknown, extra: Record<string, unknown> = {}) => ({
  platform: "INSTAGRAM",
  externalId: post.externalId,
  capturedAt,
  likes,
  comments: 3,
  ...extra,
});

/** The database, less the bookkeeping every authenticated request writes (`api_keys.last_used_at`). */
const state = () => fingerprint(server.app.db, ["last_used_at"]);

const auditEntries = (action: string) =>
  server.app.db.$client.prepare("SELECT organization_id, api_key_id, entity_type, entity_id, after FROM audit_log WHERE action = ? ORDER BY id").all(action) as {
    organization_id: number;
    api_key_id: number;
    entity_type: string;
    entity_id: number;
    after: string;
  }[];

describe("recordPostMetrics", () => {
  it("records captures and reports inserted, updated and unchanged rows; one audit entry per call", async () => {
    const rows = [capture(posts[0]!, "2026-10-02T00:00:00Z", 100), capture(posts[1]!, "2026-10-02T00:00:00Z", 200, { views: 5_000 })];
    const first = await server.gql(RECORD_METRICS, { input: { rows } }, manager);
    expect(first.errors).toBeUndefined();
    expect(first.data.recordPostMetrics).toEqual({ rows: 2, inserted: 2, updated: 0, unchanged: 0 });

    const second = await server.gql(RECORD_METRICS, { input: { rows: [rows[0], { ...rows[1], likes: 250 }, capture(posts[2]!, "2026-10-02T00:00:00Z", 1)] } }, manager);
    expect(second.data.recordPostMetrics).toEqual({ rows: 3, inserted: 1, updated: 1, unchanged: 1 });

    const entries = auditEntries("postMetrics.record");
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ organization_id: organizationId, entity_type: "PostMetrics", entity_id: 0 });
    expect(JSON.parse(entries[1]!.after)).toEqual({ rows: 3, inserted: 1, updated: 1, unchanged: 1 });
    expect(server.app.db.$client.prepare("SELECT likes, views FROM post_metric_snapshots WHERE post_id = ?").get(posts[1]!.id)).toEqual({ likes: 250, views: 5_000 });
  });

  it("is all or nothing: one invalid row writes nothing, and every problem is named by row and field", async () => {
    const before = state();
    const rows = [
      capture(posts[0]!, "2026-10-05T00:00:00Z", 1), // valid
      capture(posts[0]!, "2026-10-05T01:00:00Z", -4), // 1: negative likes
      capture({ externalId: "no-such-post" }, "2026-10-05T00:00:00Z", 1), // 2: unknown post
      capture(posts[1]!, "2026-09-01T00:00:00Z", 1), // 3: before publication
      capture(posts[2]!, "2099-01-01T00:00:00Z", 1, { comments: -1 }), // 4: future, negative comments
    ];
    const response = await server.gql(RECORD_METRICS, { input: { rows } }, manager);
    const error = singleError(response);
    expect(response.data ?? null).toBeNull();
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.rows.1.likes" });
    expect(error.extensions?.problems).toEqual([
      { field: "input.rows.1.likes", message: "likes must not be negative (got -4)" },
      { field: "input.rows.4.capturedAt", message: expect.stringMatching(/^capturedAt must be from 2000-01-01 to tomorrow/) },
      { field: "input.rows.4.comments", message: "comments must not be negative (got -1)" },
    ]);
    expect(error.message).toMatch(/^2 of 5 rows are invalid, so nothing was written: input\.rows\.1\.likes: likes must not be negative/);
    expect(state()).toEqual(before);

    // Once every row is well formed, the rows naming what does not exist are reported, and still nothing is written.
    const references = await server.gql(RECORD_METRICS, { input: { rows: [rows[0], rows[2], rows[3]] } }, manager);
    expect(singleError(references).extensions?.problems).toEqual([
      { field: "input.rows.1.externalId", message: 'no INSTAGRAM post with externalId "no-such-post" (import its post row first)' },
      { field: "input.rows.2.capturedAt", message: "capturedAt 2026-09-01T00:00:00.000Z is before the post was published (2026-10-01T12:00:00.000Z)" },
    ]);
    expect(state()).toEqual(before);
  });

  it("names a value of the wrong type by its row too (dotted path)", async () => {
    const response = await server.gql(RECORD_METRICS, { input: { rows: [capture(posts[0]!, "2026-10-05T00:00:00Z", 1), capture(posts[0]!, "2026-10-05T00:00:00Z", "many")] } }, manager);
    const error = singleError(response);
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.rows.1.likes" });
  });

  it("takes 1 to 1,000 rows a call", async () => {
    const row = capture(posts[0]!, "2026-10-06T00:00:00Z", 1);
    for (const rows of [[], Array.from({ length: 1_001 }, () => row)]) {
      const error = singleError(await server.gql(RECORD_METRICS, { input: { rows } }, manager));
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.rows" });
      expect(error.message).toMatch(/from 1 to 1,000 rows per call/);
    }
    const rows = Array.from({ length: 1_000 }, (_, i) => capture(posts[i % 3]!, new Date(Date.UTC(2026, 9, 10) + i * 60_000).toISOString(), i));
    const response = await server.gql(RECORD_METRICS, { input: { rows } }, manager);
    expect(response.errors).toBeUndefined();
    expect(response.data.recordPostMetrics).toEqual({ rows: 1_000, inserted: 1_000, updated: 0, unchanged: 0 });
  });

  it("needs the MANAGER role", async () => {
    const before = state();
    const error = singleError(await server.gql(RECORD_METRICS, { input: { rows: [capture(posts[0]!, "2026-10-07T00:00:00Z", 1)] } }, analyst));
    expect(error.extensions?.code).toBe("FORBIDDEN");
    expect(singleError(await server.gql(RECORD_METRICS, { input: { rows: [capture(posts[0]!, "2026-10-07T00:00:00Z", 1)] } })).extensions?.code).toBe("UNAUTHENTICATED");
    expect(state()).toEqual(before);
  });

  it("keeps the campaign roll-ups of a campaign post current", async () => {
    const response = await server.gql(
      RECORD_METRICS,
      { input: { rows: [capture(campaignPost, "2026-10-03T20:00:00Z", 40), capture(campaignPost, "2026-10-04T20:00:00Z", 90)] } },
      manager,
    );
    expect(response.errors).toBeUndefined();
    const db = server.app.db;
    expect(db.$client.prepare("SELECT day, likes FROM campaign_creator_daily WHERE campaign_id = ? AND influencer_id = ? ORDER BY day").all(campaignId, influencerId)).toEqual([
      { day: Date.UTC(2026, 9, 3), likes: 40 },
      { day: Date.UTC(2026, 9, 4), likes: 50 },
    ]);
    const kept = fingerprint(db);
    db.$client.exec("SAVEPOINT rebuild");
    rebuildAllRollups(db);
    expect(fingerprint(db)).toEqual(kept);
    db.$client.exec("ROLLBACK TO rebuild; RELEASE rebuild");
  });

  it("answers another organization as if its campaign posts did not exist, and writes nothing", async () => {
    const stranger = createApiKey(server.app.db, createTenant(server.app.db).organization.id, "MANAGER");
    const before = state();
    const error = singleError(await server.gql(RECORD_METRICS, { input: { rows: [capture(posts[0]!, "2026-10-06T00:00:00Z", 1), capture(campaignPost, "2026-10-06T00:00:00Z", 999)] } }, stranger));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.rows.1.externalId" });
    expect(error.message).toContain(`no INSTAGRAM post with externalId "${campaignPost.externalId}"`);
    expect(state()).toEqual(before);
  });
});

describe("recordAccountSnapshots", () => {
  it("records captures by account and time; the latest becomes the account's counters and its creator's total", async () => {
    const db = server.app.db;
    createAccountSnapshot(db, account.id, new Date("2026-10-01T00:00:00Z"), 19_000);
    const rows = [
      { platform: "INSTAGRAM", handle: "@Mila.Moves", capturedAt: "2026-10-02T00:00:00Z", followers: 21_000, following: 310, posts: 130 },
      { platform: "INSTAGRAM", handle: "mila.moves", capturedAt: "2026-09-30T00:00:00Z", followers: 18_000, following: 300, posts: 120 },
    ];
    const response = await server.gql(RECORD_SNAPSHOTS, { input: { rows } }, manager);
    expect(response.errors).toBeUndefined();
    expect(response.data.recordAccountSnapshots).toEqual({ rows: 2, inserted: 2, updated: 0, unchanged: 0 });
    expect(db.$client.prepare("SELECT followers, following, post_count FROM social_accounts WHERE id = ?").get(account.id)).toEqual({
      followers: 21_000,
      following: 310,
      post_count: 130,
    });
    expect(db.$client.prepare("SELECT total_followers FROM influencers WHERE id = ?").pluck().get(influencerId)).toBe(21_000);
    const again = await server.gql(RECORD_SNAPSHOTS, { input: { rows } }, manager);
    expect(again.data.recordAccountSnapshots).toEqual({ rows: 2, inserted: 0, updated: 0, unchanged: 2 });
    expect(auditEntries("accountSnapshots.record").map((e) => [e.entity_type, JSON.parse(e.after)])).toEqual([
      ["AccountSnapshots", { rows: 2, inserted: 2, updated: 0, unchanged: 0 }],
      ["AccountSnapshots", { rows: 2, inserted: 0, updated: 0, unchanged: 2 }],
    ]);
  });

  it("refuses rows of accounts it does not know, naming each, and writes nothing", async () => {
    const before = state();
    const rows = [
      { platform: "INSTAGRAM", handle: "mila.moves", capturedAt: "2026-10-08T00:00:00Z", followers: 1, following: 1, posts: 1 },
      { platform: "TIKTOK", handle: "mila.moves", capturedAt: "2026-10-08T00:00:00Z", followers: 1, following: 1, posts: 1 },
      { platform: "INSTAGRAM", handle: "a b", capturedAt: "2026-10-08T00:00:00Z", followers: 1, following: 1, posts: 1 },
    ];
    const error = singleError(await server.gql(RECORD_SNAPSHOTS, { input: { rows } }, manager));
    expect(error.extensions?.problems).toEqual([{ field: "input.rows.2.handle", message: 'handle must not contain spaces, control characters or a second @ (got "a b")' }]);
    const unknown = singleError(await server.gql(RECORD_SNAPSHOTS, { input: { rows: rows.slice(0, 2) } }, manager));
    expect(unknown.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.rows.1.handle",
      problems: [{ field: "input.rows.1.handle", message: "no TIKTOK account @mila.moves (import its account row first)" }],
    });
    expect(state()).toEqual(before);
  });
});

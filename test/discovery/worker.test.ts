/**
 * The discovery worker (server/discovery/discovery.workers.ts), through the real server: a feature refresh builds
 * the next index in a second worker while the current one answers; errors raised in the worker reach the client
 * typed; the worker stops with the server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { refreshAccountFeatures } from "../../server/discovery/features.js";
import { createInfluencer, createTenant } from "../support/factories.js";
import { singleError, startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let key: string;

const NAMES = `query { discover(brief: {}, first: 50) { totalCount edges { influencer { name } } } }`;
const names = async () => {
  const response = await server.gql(NAMES, undefined, key);
  expect(response.errors).toBeUndefined();
  return (response.data.discover.edges as { influencer: { name: string } }[]).map((e) => e.influencer.name).sort();
};

beforeAll(async () => {
  server = await startTestServer({}, (db) => {
    key = createTenant(db, "ANALYST").key;
    for (const name of ["Ada", "Bo"]) createInfluencer(db, { name, accounts: [{ platform: "INSTAGRAM", followers: 10_000 }] });
    refreshAccountFeatures(db);
  });
});
afterAll(() => server.close());

describe("the discovery worker", () => {
  it("builds the index before the server answers", async () => {
    expect(server.app.services.discovery.workers.status).toMatchObject({ accounts: 2 });
    expect(await names()).toEqual(["Ada", "Bo"]);
  });

  it("answers from the current index while the next one builds, then swaps it in", async () => {
    const before = server.app.services.discovery.workers.status!.version;
    createInfluencer(server.app.db, { name: "Cy", accounts: [{ platform: "TIKTOK", followers: 20_000 }] });
    refreshAccountFeatures(server.app.db);
    // This request starts the rebuild and is answered by the index of the previous refresh.
    expect(await names()).toEqual(["Ada", "Bo"]);
    const status = await server.app.services.discovery.sync();
    expect(status.version).toBeGreaterThan(before);
    expect(status.accounts).toBe(3);
    expect(await names()).toEqual(["Ada", "Bo", "Cy"]);
  });

  it("passes typed errors back from the worker: code, field and message", async () => {
    const error = singleError(await server.gql(`query { discover(brief: { keywords: "\\"unclosed" }) { totalCount } }`, undefined, key));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "brief.keywords" });
    expect(error.message).not.toMatch(/discovery worker|at .*\.ts/);
  });

  it("answers many briefs at once, each with its own result", async () => {
    const responses = await Promise.all(
      ["INSTAGRAM", "TIKTOK", "INSTAGRAM", "TIKTOK"].map((platform) =>
        server.gql(`query { discover(brief: { platforms: [${platform}] }, first: 10) { totalCount } }`, undefined, key),
      ),
    );
    expect(responses.map((r) => r.data?.discover.totalCount)).toEqual([2, 1, 2, 1]);
  });

  it("stops with the server and refuses work afterwards", async () => {
    const other = await startTestServer();
    const workers = other.app.services.discovery.workers;
    expect(workers.status).not.toBeNull();
    await other.close();
    expect(workers.status).toBeNull();
    await expect(workers.call("similar", { influencerId: 1, first: 1, field: "influencerId" })).rejects.toThrow(/shut down/);
  });
});

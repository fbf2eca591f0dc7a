/**
 * Ranking quality on seeded data, where the generator recorded each account's true quality and planted fraud
 * (seed_truth): no fraudulent account in the top 50 of broad briefs, and our order agrees with the true quality.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_AS_OF, seedDatabase } from "../../seeds/seed.js";
import { createTenant } from "../support/factories.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let key: string;
let truth: Map<string, { quality: number; fraud: string | null }>;

beforeAll(async () => {
  server = await startTestServer({ MAX_QUERY_COST: "1000000" }, (db) => seedDatabase(db, { influencers: 3000, seed: 11, asOf: DEFAULT_AS_OF }));
  key = createTenant(server.app.db, "ANALYST").key;
  const rows = server.app.db.$client.prepare("SELECT account_id, quality, fraud FROM seed_truth").all() as {
    account_id: number;
    quality: number;
    fraud: string | null;
  }[];
  truth = new Map(rows.map((r) => [String(r.account_id), { quality: r.quality, fraud: r.fraud }]));
}, 120_000);
afterAll(() => server.close());

async function top(brief: Record<string, unknown>, first: number): Promise<string[]> {
  const response = await server.gql(
    `query($brief: DiscoveryBrief!, $first: Int) { discover(brief: $brief, first: $first) { edges { node { id } } } }`,
    { brief, first },
    key,
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.discover.edges.map((e: any) => e.node.id);
}

/** Normalised discounted cumulative gain at k, with the true quality as the gain (Järvelin & Kekäläinen, 2002). */
function ndcgAt(k: number, ranked: string[], candidates: string[]): number {
  const gain = (id: string) => truth.get(id)!.quality;
  const dcg = (ids: string[]) => ids.slice(0, k).reduce((sum, id, i) => sum + gain(id) / Math.log2(i + 2), 0);
  const ideal = [...candidates].sort((a, b) => gain(b) - gain(a));
  return dcg(ranked) / dcg(ideal);
}

/** Spearman's rank correlation between two orderings of the same items (no ties: our ranking is total). */
function spearman(ours: string[], byTruth: string[]): number {
  const position = new Map(byTruth.map((id, i) => [id, i]));
  const n = ours.length;
  const d2 = ours.reduce((sum, id, i) => sum + (i - position.get(id)!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe("ranking quality against the generator's truth", () => {
  it.each(["AWARENESS", "ENGAGEMENT", "CONVERSION"])("puts no fraudulent account in the top 50 of a broad %s brief", async (objective) => {
    const ids = await top({ objective }, 50);
    expect(ids).toHaveLength(50);
    const fraudulent = ids.filter((id) => truth.get(id)!.fraud !== null);
    expect(fraudulent).toEqual([]);
  });

  it("orders creators of one platform and tier by their true quality (NDCG@50 and Spearman)", async () => {
    // Within one platform and tier, reach hardly differs, so quality is what the engagement brief should find.
    const brief = { objective: "ENGAGEMENT", platforms: ["INSTAGRAM"], minFollowers: 10_000, maxFollowers: 49_999 };
    const all: string[] = [];
    let after: string | undefined;
    for (;;) {
      const response = await server.gql(
        `query($brief: DiscoveryBrief!, $after: String) { discover(brief: $brief, first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { brief, after },
        key,
      );
      const page = response.data.discover;
      all.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(all.length).toBeGreaterThan(200);
    const byTruth = [...all].sort((a, b) => truth.get(b)!.quality - truth.get(a)!.quality || Number(a) - Number(b));
    const ndcg = ndcgAt(50, all, all);
    const rho = spearman(all, byTruth);
    // Measured on this seed: NDCG@50 0.987, ρ 0.967 over 378 accounts. Firm floors with a margin, not ranges.
    expect(ndcg).toBeGreaterThan(0.95);
    expect(rho).toBeGreaterThan(0.9);
  });
});

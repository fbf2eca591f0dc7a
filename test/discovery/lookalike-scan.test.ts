/**
 * The lookalike scan's block pruning (DiscoveryIndex.audienceBlocks, lookalikeScan) is exact: on a seeded catalogue
 * it keeps the same candidates, in the same order, as scoring every account.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { AUDIENCE_BLOCK, DiscoveryIndex, latestRefresh } from "../../server/discovery/discovery-index.js";
import { audienceOverlap, DiscoveryEngine, lookalikeScan, referenceAudience } from "../../server/discovery/discovery.engine.js";
import { TopK } from "../../server/discovery/ranking.js";
import { jaccard, SIMILARITY_WEIGHTS } from "../../server/discovery/similarity.js";
import { DEFAULT_AS_OF, seedDatabase } from "../../seeds/seed.js";
import { refreshAccountFeatures } from "../../server/discovery/features.js";
import { createInfluencer } from "../support/factories.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-lookalike-"));
let db: Db;
let index: DiscoveryIndex;

beforeAll(() => {
  db = openDatabase({ path: join(dir, "l.db") });
  seedDatabase(db, { influencers: 2_500, seed: 5, asOf: DEFAULT_AS_OF });
  const { version, asOf } = latestRefresh(db);
  index = new DiscoveryIndex(db, version, asOf);
});
afterAll(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

/** Every account scored, the definition the scan must reproduce. */
function exhaustive(referenceSlot: number, capacity: number) {
  const reference = referenceAudience(index, referenceSlot);
  const referenceCategories = index.categories[referenceSlot]!;
  const exclude = index.influencerId[referenceSlot]!;
  const dimensions = Math.max(reference.dimensions.length, 1);
  const top = new TopK(capacity);
  for (let slot = 0; slot < index.size; slot++) {
    if (index.influencerId[slot] === exclude) continue;
    const audience = audienceOverlap(index, reference, slot).reduce((a, b) => a + b, 0);
    const score = (SIMILARITY_WEIGHTS.AUDIENCE / dimensions) * audience + SIMILARITY_WEIGHTS.CATEGORIES * jaccard(referenceCategories, index.categories[slot]!);
    top.offer(slot, score, index.accountId[slot]!);
  }
  return { reference, referenceCategories, exclude, top: top.sorted() };
}

describe("lookalike scan", () => {
  it("visits blocks of AUDIENCE_BLOCK accounts that cover every slot once", () => {
    const blocks = index.audienceBlocks();
    expect(blocks.count).toBe(Math.ceil(index.size / AUDIENCE_BLOCK));
    expect([...blocks.order].sort((a, b) => a - b)).toEqual(Array.from({ length: index.size }, (_, k) => k));
  });

  it("keeps exactly the candidates an exhaustive scan keeps, for references of every kind", () => {
    expect(index.size).toBeGreaterThan(4_000);
    // Spread over the catalogue: references with rare and common categories, and a few without an audience.
    for (let k = 0; k < 40; k++) {
      const slot = Math.floor((k * index.size) / 40);
      for (const capacity of [20, 500]) {
        const expected = exhaustive(slot, capacity);
        const actual = lookalikeScan(index, expected.exclude, expected.reference, expected.referenceCategories, capacity);
        expect(actual.map((e) => e.id), `reference slot ${slot}, ${capacity} candidates`).toEqual(expected.top.map((e) => e.id));
        actual.forEach((e, i) => expect(e.score).toBeCloseTo(expected.top[i]!.score, 12));
      }
    }
  });
});

describe("lookalike hashtags", () => {
  it("compare the same hashtags from the index's account hashtags as from the search documents of an older database", () => {
    const references = [0, 0.25, 0.5, 0.75].map((f) => index.influencerId[Math.floor(f * index.size)]!);
    const pages = (engine: DiscoveryEngine) =>
      references.map((influencerId) => engine.similar({ influencerId, first: 20, field: "influencerId" }).edges.map((e) => [e.accountId, e.similarity, e.explanation[2]!.reason]));
    expect(index.accountHashtags()).not.toBeNull();
    const fromIndex = pages(new DiscoveryEngine(db, index));
    expect(fromIndex.flat().some(([, , reason]) => String(reason).startsWith("also uses #"))).toBe(true);
    // An older database: search documents, no account_hashtags rows yet.
    db.$client.exec("DELETE FROM account_hashtags");
    const older = new DiscoveryIndex(db, index.version, index.asOf);
    expect(older.accountHashtags()).toBeNull();
    expect(pages(new DiscoveryEngine(db, older))).toEqual(fromIndex);
  });
});

describe("lookalike scan over shares that add up to more than 1", () => {
  it("caps each dimension's overlap at 1, as the exhaustive scan does", () => {
    const small = openDatabase({ path: join(dir, "capped.db") });
    try {
      // Imported audiences need not add up to 1: the reference's compared US + GB shares reach 1.5.
      const shapes: Partial<Record<"COUNTRY" | "GENDER", Record<string, number>>>[] = [
        { COUNTRY: { US: 0.9, GB: 0.6 }, GENDER: { FEMALE: 0.7, MALE: 0.3 } },
        { COUNTRY: { US: 1, GB: 1 }, GENDER: { FEMALE: 0.5, MALE: 0.5 } },
        { COUNTRY: { US: 0.95 }, GENDER: { FEMALE: 0.9 } },
        { COUNTRY: { GB: 0.9, DE: 0.3 }, GENDER: { MALE: 0.8 } },
      ];
      for (let i = 0; i < 300; i++) createInfluencer(small, { categories: i % 3 ? ["FITNESS"] : ["TRAVEL", "FOOD"], accounts: [{ audience: shapes[i % shapes.length]! }] });
      refreshAccountFeatures(small);
      const { version, asOf } = latestRefresh(small);
      const capped = new DiscoveryIndex(small, version, asOf);
      const saved = index;
      index = capped;
      try {
        for (const slot of [0, 1, 2, 3, 7]) {
          const expected = exhaustive(slot, 25);
          const actual = lookalikeScan(capped, expected.exclude, expected.reference, expected.referenceCategories, 25);
          expect(actual.map((e) => e.id)).toEqual(expected.top.map((e) => e.id));
          actual.forEach((e, i) => expect(e.score).toBeCloseTo(expected.top[i]!.score, 12));
        }
      } finally {
        index = saved;
      }
    } finally {
      closeDatabase(small);
    }
  });
});

/**
 * Keyword briefs rank with relevance computed on demand (ranking.ts, KeywordBounds): only the matches whose score
 * bounds can still reach the page get their relevance read. These tests hold that to the ranking that reads every
 * match's relevance first, on seeded data, for pages, cursors, offsets, filters and diversity, and check that it
 * reads far fewer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { DiscoveryIndex, latestRefresh } from "../../server/discovery/discovery-index.js";
import { PRESET_WEIGHTS } from "../../server/discovery/factors.js";
import { matchKeywords, SCORE_ALL_AFTER } from "../../server/discovery/keyword-search.js";
import { diversify, rank, type KeywordRelevance, type PagePosition, type RankQuery } from "../../server/discovery/ranking.js";
import { DEFAULT_AS_OF, seedDatabase } from "../../seeds/seed.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-keyword-ranking-"));
let db: Db;
let index: DiscoveryIndex;
let common: string;
let selective: string;

beforeAll(() => {
  db = openDatabase({ path: join(dir, "k.db") });
  seedDatabase(db, { influencers: 3_000, seed: 7, asOf: DEFAULT_AS_OF });
  // Gaps in the account ids, as deletions leave them (slots are found by id).
  db.$client.exec("DELETE FROM social_accounts WHERE id % 7 = 3 OR id BETWEEN 1000 AND 1200");
  const latest = latestRefresh(db);
  index = new DiscoveryIndex(db, latest.version, latest.asOf);
  db.$client.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, account_search, row)");
  const word = (min: number, max: number) =>
    db.$client.prepare("SELECT term FROM temp.vocab WHERE doc BETWEEN ? AND ? AND term GLOB '[a-z][a-z][a-z][a-z]*' ORDER BY doc DESC, term LIMIT 1").pluck().get(min, max) as string;
  common = word(1_000, 1_000_000);
  selective = word(40, 200);
}, 120_000);

afterAll(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

/** A query's matches by slot, counting the relevance lookups; `eager` reads every match's relevance up front. */
function keywordsFor(text: string, eager = false): KeywordRelevance & { lookups: number } {
  const found = matchKeywords(db, text, "brief.keywords");
  const slots = Int32Array.from(found.accountIds, (id) => index.slotOf(id)!).sort();
  const matches = new Uint8Array(index.size);
  for (const slot of slots) matches[slot] = 1;
  const all = eager ? new Map([...slots].map((slot, i) => [slot, found.relevance([index.accountId[slot]!])[0]!] as const)) : null;
  const keywords = {
    slots,
    matches,
    lookups: 0,
    relevance(of: Int32Array) {
      keywords.lookups += of.length;
      return all ? Float64Array.from(of, (slot) => all.get(slot)!) : found.relevance(Array.from(of, (slot) => index.accountId[slot]!));
    },
  };
  return keywords;
}

const entries = (q: RankQuery) => rank(index, q).entries.map((e) => ({ id: index.accountId[e.slot]!, score: e.score, rank: e.rank }));

function query(keywords: KeywordRelevance, fields: Partial<RankQuery> = {}): RankQuery {
  return { filters: {}, keywords, audience: [], weights: PRESET_WEIGHTS.ENGAGEMENT, first: 20, after: null, ...fields };
}

describe("keyword briefs with relevance on demand", () => {
  it("picked a common and a selective word from the seeded index", () => {
    expect(keywordsFor(common).slots.length).toBeGreaterThan(1_000);
    expect(keywordsFor(selective).slots.length).toBeLessThan(250);
  });

  it.each(["common", "selective"] as const)("gives the %s word's pages, by cursor and by offset, exactly as scoring every match", (which) => {
    const text = which === "common" ? common : selective;
    const everything = keywordsFor(text, true);
    const full = entries(query(everything, { first: everything.slots.length }));
    expect(full).toHaveLength(everything.slots.length);
    for (const weights of [PRESET_WEIGHTS.ENGAGEMENT, PRESET_WEIGHTS.AWARENESS, { ...PRESET_WEIGHTS.AWARENESS, KEYWORD_RELEVANCE: 5 }]) {
      const reference = entries(query(keywordsFor(text, true), { weights, first: everything.slots.length }));
      const lazy = keywordsFor(text);
      expect(entries(query(lazy, { weights }))).toEqual(reference.slice(0, 20));
      // Page 2 by keyset cursor (the 20th entry), page 3 by offset.
      const cursor = reference[19]!;
      const after: PagePosition = { kind: "keyset", score: cursor.score, accountId: cursor.id };
      expect(entries(query(lazy, { weights, after }))).toEqual(reference.slice(20, 40));
      expect(entries(query(lazy, { weights, after: { kind: "offset", offset: 40 } }))).toEqual(reference.slice(40, 60));
    }
  });

  it("ranks by relevance also when every account matches (no narrower list, no filter)", () => {
    const all = Int32Array.from({ length: index.size }, (_, slot) => slot);
    const relevanceOf = (slot: number) => ((slot * 7919) % 1000) / 1000;
    const keywords: KeywordRelevance = {
      slots: all,
      matches: new Uint8Array(index.size).fill(1),
      relevance: (of) => Float64Array.from(of, relevanceOf),
    };
    const w = PRESET_WEIGHTS.ENGAGEMENT;
    const base = w.ENGAGEMENT + w.AUTHENTICITY + w.REACH + w.GROWTH + w.ACTIVITY;
    const expected = [...all]
      .map((slot) => {
        const sum = w.ENGAGEMENT * index.vEngagement[slot]! + w.AUTHENTICITY * index.vAuthenticity[slot]! + w.REACH * index.vReach[slot]! + w.GROWTH * index.vGrowth[slot]! + w.ACTIVITY * index.vActivity[slot]!;
        return { id: index.accountId[slot]!, score: (index.trust[slot]! * (sum + w.KEYWORD_RELEVANCE * relevanceOf(slot))) / (base + w.KEYWORD_RELEVANCE) };
      })
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, 20);
    const page = entries(query(keywords));
    expect(page.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    page.forEach((e, i) => expect(e.score).toBeCloseTo(expected[i]!.score, 12));
  });

  it("keeps to the same entries under filters and diversity", () => {
    const country = index.country[keywordsFor(common).slots[0]!]!;
    for (const fields of [
      { filters: { countries: new Set([country]) } },
      { filters: { minFollowers: 50_000 } },
      { diversity: { by: "CATEGORY" as const, maxShare: 0.2, window: 20 } },
    ] satisfies Partial<RankQuery>[]) {
      const all = keywordsFor(common, true);
      const { diversity, ...rest } = fields as Partial<RankQuery>;
      const ordered = rank(index, query(all, { ...rest, first: all.slots.length })).entries;
      expect(ordered.length).toBeGreaterThan(20);
      // Diversity re-ranks the whole ordered list here, and the lazy ranking's deeper window there.
      const reference = (diversity ? diversify(index, ordered, diversity) : ordered)
        .slice(0, 20)
        .map((e) => ({ id: index.accountId[e.slot]!, score: e.score }));
      const lazy = entries(query(keywordsFor(common), fields)).map(({ id, score }) => ({ id, score }));
      expect(lazy).toEqual(reference);
    }
  });

  it("scores every match with FTS5 past SCORE_ALL_AFTER lookups, to the same doubles as counting in the documents", () => {
    const most = db.$client.prepare("SELECT term FROM temp.vocab WHERE term GLOB '[a-z][a-z][a-z]*' ORDER BY doc DESC, term LIMIT 1").pluck().get() as string;
    const counted = matchKeywords(db, most, "brief.keywords");
    expect(counted.accountIds.length).toBeGreaterThan(SCORE_ALL_AFTER);
    const ids = Array.from(counted.accountIds);
    // In small batches, each counted in the documents until the threshold; the rest from one bm25() pass.
    const inBatches = ids.slice(0, SCORE_ALL_AFTER - 16).flatMap((_, i, all) => (i % 16 === 0 ? [...counted.relevance(all.slice(i, i + 16))] : []));
    const scoredAll = matchKeywords(db, most, "brief.keywords").relevance(ids);
    expect(inBatches).toEqual([...scoredAll.slice(0, inBatches.length)]);
    expect([...counted.relevance(ids)]).toEqual([...scoredAll]);
    expect(Math.min(...scoredAll)).toBeGreaterThan(0);
  });

  it("finds the slots of ascending account ids, with gaps and ids the index does not hold", () => {
    const ids = Array.from(index.accountId.subarray(0, index.size));
    const max = ids[ids.length - 1]!;
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const density of [0.001, 0.05, 0.5, 1]) {
      const wanted = Int32Array.from(Array.from({ length: max + 10 }, (_, i) => i).filter(() => random() < density));
      const expected = Array.from(wanted, (id) => index.slotOf(id)).filter((slot) => slot !== undefined);
      expect([...index.slotsOfSorted(wanted)], String(density)).toEqual(expected);
    }
    expect(index.slotOf(3)).toBeUndefined();
  });

  it("reads the relevance of a small share of a common word's matches for a page", () => {
    const lazy = keywordsFor(common);
    rank(index, query(lazy));
    expect(lazy.lookups).toBeGreaterThanOrEqual(20);
    expect(lazy.lookups).toBeLessThan(lazy.slots.length / 3);
  });
});

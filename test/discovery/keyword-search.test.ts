/** Keyword search: the query parser (pure), documents, and FTS5 search over a small multilingual database. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Category } from "../../schema/enums.js";
import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { refreshAccountFeatures } from "../../server/discovery/features.js";
import {
  buildSearchDocument,
  buildSnippet,
  cjkDocument,
  parseKeywords,
  documentHashtags,
  rebuildKeywordIndex,
  reindexKeywordAccounts,
  describeKeywordHits,
  matchKeywords,
  searchKeywords,
  shortCjkScores,
  type KeywordHit,
} from "../../server/discovery/keyword-search.js";
import { BadUserInputError } from "../../server/errors.js";
import { createInfluencer, createPost } from "../support/factories.js";

const FIELD = "brief.keywords";

/** Expects BAD_USER_INPUT on `field`. */
function expectBadInput(fn: () => unknown, field = FIELD): BadUserInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    const e = error as BadUserInputError;
    expect(e.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    return e;
  }
  throw new Error("expected a BadUserInputError");
}

describe("parseKeywords (pure)", () => {
  it("ANDs words, groups OR alternatives and collects exclusions", () => {
    const q = parseKeywords('vegan "morning routine" skin* matcha OR ramen -sponsored -"paid post"');
    expect(q.groups.map((g) => g.map((t) => t.text))).toEqual([["vegan"], ['"morning routine"'], ["skin*"], ["matcha", "ramen"]]);
    expect(q.excluded.map((t) => t.text)).toEqual(["sponsored", '"paid post"']);
    expect(q.groups[1]![0]!.atoms).toEqual([{ kind: "words", tokens: ["morning", "routine"], prefix: false }]);
    expect(q.groups[2]![0]!.atoms).toEqual([{ kind: "words", tokens: ["skin"], prefix: true }]);
  });

  it("splits CJK runs from other scripts, and keeps CJK runs of one word together", () => {
    expect(parseKeywords("美妆blogger").groups[0]![0]!.atoms).toEqual([
      { kind: "cjk", text: "美妆", runs: ["美妆"] },
      { kind: "words", tokens: ["blogger"], prefix: false },
    ]);
    expect(parseKeywords('"여행 브이로그"').groups[0]![0]!.atoms).toEqual([
      { kind: "cjk", text: "여행 브이로그", runs: ["여행", "브이로그"] },
    ]);
    expect(parseKeywords("ゲーム").groups[0]![0]!.atoms).toEqual([{ kind: "cjk", text: "ゲーム", runs: ["ゲーム"] }]);
  });

  it("treats FTS5 syntax as literal text: punctuation separates words, AND/NOT/NEAR are words", () => {
    expect(parseKeywords("col:term").groups[0]![0]!.atoms).toEqual([{ kind: "words", tokens: ["col", "term"], prefix: false }]);
    expect(parseKeywords("NEAR(a b)").groups.map((g) => g[0]!.atoms[0])).toEqual([
      { kind: "words", tokens: ["NEAR", "a"], prefix: false },
      { kind: "words", tokens: ["b"], prefix: false },
    ]);
    expect(parseKeywords("^beauty AND NOT").groups.map((g) => g[0]!.text)).toEqual(["^beauty", "AND", "NOT"]);
    expect(parseKeywords("beauty ^ ( ) : + {}").groups.map((g) => g[0]!.text)).toEqual(["beauty"]);
    expect(parseKeywords("or beauty").groups).toHaveLength(2); // lower-case "or" is a word
  });

  it("drops repeated terms", () => {
    const q = parseKeywords("beauty Beauty beauty -x -x");
    expect(q.groups).toHaveLength(1);
    expect(q.excluded).toHaveLength(1);
  });

  it.each([
    ['"unbalanced', /Unbalanced quote/],
    ['beauty "morning routine', /Unbalanced quote/],
    ["OR", /OR must stand between/],
    ["OR beauty", /OR must stand between/],
    ["beauty OR", /OR must stand between/],
    ["beauty OR OR fashion", /OR must stand between/],
    ["beauty OR -fashion", /OR must stand between/],
    ["-beauty", /not excluded/],
    ["-beauty -fashion", /not excluded/],
    ["", /no word/],
    ["   ", /no word/],
    ["^ ( ) * - :", /no word/],
    ['""', /contains no words/],
    ['" ^ "', /contains no words/],
    ["美妆*", /prefix \(\*\) cannot follow/],
    ["beauty ラーメン*", /prefix \(\*\) cannot follow/],
    ["b*", /at least 2 characters/],
    ["a b c d e f g h i j k", /at most 10 terms/],
    ["x".repeat(201), /at most 200 characters/],
  ])("refuses %j", (input, message) => {
    const error = expectBadInput(() => parseKeywords(input, FIELD));
    expect(error.message).toMatch(message);
  });

  it("accepts 200 characters and 10 terms", () => {
    expect(() => parseKeywords("x".repeat(200), FIELD)).not.toThrow();
    expect(parseKeywords("a b c d e f g h i -j", FIELD).groups).toHaveLength(9);
  });
});

describe("search documents (pure)", () => {
  it("moves a caption's trailing hashtags to the hashtags column, keeps 10 posts, and marks script boundaries", () => {
    const posts = Array.from({ length: 12 }, (_, i) => ({ caption: `post ${i} #tag${i} #Common`, hashtags: [`tag${i}`, "extra"] }));
    const doc = buildSearchDocument("Bio", ["BEAUTY", "FOOD"], posts);
    expect(doc.categories).toBe("beauty food");
    expect(doc.captions.split("\n")).toEqual(Array.from({ length: 10 }, (_, i) => `post ${i}`));
    expect(doc.hashtags.startsWith("#tag0 #extra #Common #tag1 #extra #Common")).toBe(true);
    const cjk = buildSearchDocument("分享OOTD穿搭", [], [{ caption: "I love C# #coding", hashtags: [] }]);
    expect(cjk.bio).toBe("分享\u200BOOTD\u200B穿搭");
    expect(cjk.captions).toBe("I love C#");
    expect(cjkDocument(cjk)).toEqual({ bio: "分享 穿搭  ", captions: "", hashtags: "" });
    expect(cjkDocument(buildSearchDocument("plain", [], []))).toBeNull();
  });

  it("builds a snippet of about 12 words around the first match", () => {
    const text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";
    const at = text.indexOf("seven");
    expect(buildSnippet(text, [{ start: at, end: at + 5 }])).toBe("…three four five six «seven» eight nine ten eleven twelve thirteen fourteen…");
    expect(buildSnippet("«Bonjour» café", [{ start: 10, end: 14 }])).toBe("‹Bonjour› «café»");
  });
});

describe("keyword search over a multilingual database", () => {
  const dir = mkdtempSync(join(tmpdir(), "influencegraph-keywords-"));
  let db: Db;
  const ids: Record<string, number> = {};
  const day = (d: number) => new Date(Date.UTC(2026, 9, d, 12));

  function account(key: string, bio: string, captions: string[], spec: { categories?: Category[]; hashtags?: string[][] } = {}) {
    const { accounts } = createInfluencer(db, { bio, categories: spec.categories ?? ["LIFESTYLE"] });
    const a = accounts[0]!;
    captions.forEach((caption, i) => createPost(db, a, { caption, hashtags: spec.hashtags?.[i] ?? [], publishedAt: day(i + 1) }));
    ids[key] = a.id;
    return a;
  }

  const search = (q: string, limit?: number) => searchKeywords(db, q, { field: FIELD, limit });
  /**
   * The relevance FTS5's numbers give a hit: −bm25 ÷ ((k1 + 1) × Σ IDF), IDF = ln((N − n + 0.5) / (n + 0.5)) for each
   * phrase (n documents of the N of its index contain it), k1 = 1.2: the ceiling no document can reach.
   */
  const expectedRelevance = (bm25: number, phrases: { index: "account_search" | "account_search_cjk"; hits: number }[]) => {
    const idf = phrases.reduce((sum, { index, hits }) => {
      const rows = db.$client.prepare(`SELECT count(*) FROM ${index}_docsize`).pluck().get() as number;
      return sum + Math.max(1e-6, Math.log((rows - hits + 0.5) / (hits + 0.5)));
    }, 0);
    return -bm25 / (2.2 * idf);
  };
  const accountsOf = (hits: KeywordHit[]) => hits.map((h) => h.accountId);
  const keysOf = (hits: KeywordHit[]) =>
    hits.map((h) => Object.entries(ids).find(([, id]) => id === h.accountId)?.[0] ?? `#${h.accountId}`).sort();

  beforeAll(() => {
    db = openDatabase({ path: join(dir, "k.db") });
    account("en", "Vegan food blogger sharing plant-based recipes from Portland", [
      "Morning routine with a matcha latte",
      "Best vegan ramen in town #vegan #ramen",
      "Weekend hike, no filter",
    ], { categories: ["FOOD", "HEALTH"] });
    account("en2", "Skincare nerd. Evening routine enthusiast", [
      "My evening routine, I am never a morning person #skincareroutine",
      "Sunscreen every day",
    ], { categories: ["BEAUTY"] });
    account("es", "Amante del café y la música en Bogotá", ["Un café con leche en la Candelaria ☕", "Música en vivo el sábado"], {
      categories: ["MUSIC"],
    });
    account("zhHans", "坐标上海，分享美妆日常💄", ["最近爱用的美妆好物 #美妆", "分享OOTD穿搭"], { categories: ["BEAUTY"] });
    account("zhHant", "在台北分享美妝日常", ["新的旅行分享來囉✈️", "台北的週末"], { categories: ["TRAVEL"] });
    account("ja", "東京在住。旅行について発信しています", ["東京のラーメン屋さん巡り #ramen", "週末は京都へ旅行"], {
      categories: ["FOOD", "TRAVEL"],
    });
    account("ko", "서울에서 여행 이야기를 나눠요", ["부산 여행을 다녀왔어요", "오늘의 브이로그"], { categories: ["TRAVEL"] });
    account("hi", "मुंबई से फिटनेस की बातें", ["आज का वर्कआउट"], { categories: ["FITNESS"] });
    account("protein5", "Gym life", ["protein shake", "more protein today", "protein pancakes", "high protein lunch", "protein bars"]);
    account("protein1", "Gym life", ["protein shake", "leg day", "rest day", "cardio", "stretching"]);
    account("twinA", "Identical twin knitting", ["Knitting socks"]);
    account("twinB", "Identical twin knitting", ["Knitting socks"]);
    // Eleven posts: the oldest falls out of the 10 that make up the document.
    account("old", "Archivist", Array.from({ length: 11 }, (_, i) => (i === 0 ? "ancientword here" : `recent post ${i}`)));
    rebuildKeywordIndex(db);
  });
  afterAll(() => {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds a word, case-insensitively, with its snippet", () => {
    const hits = search("MATCHA");
    expect(keysOf(hits)).toEqual(["en"]);
    expect(hits[0]).toMatchObject({ matched: ["MATCHA"] });
    expect(hits[0]!.bm25).toBeLessThan(0);
    expect(hits[0]!.relevance).toBeCloseTo(expectedRelevance(hits[0]!.bm25, [{ index: "account_search", hits: 1 }]), 12);
    expect(hits[0]!.relevance).toBeGreaterThan(0);
    expect(hits[0]!.relevance).toBeLessThan(1);
    expect(hits[0]!.snippet).toBe("Morning routine with a «matcha» latte");
  });

  it("ignores diacritics: cafe finds café, musica finds música", () => {
    expect(keysOf(search("cafe"))).toEqual(["es"]);
    expect(keysOf(search("musica bogota"))).toEqual(["es"]);
    expect(search("café")[0]!.snippet).toContain("«café»");
  });

  it("matches a phrase only where its words are adjacent", () => {
    expect(keysOf(search('"morning routine"'))).toEqual(["en"]);
    expect(keysOf(search("morning routine"))).toEqual(["en", "en2"]);
  });

  it("matches prefixes, also in hashtags", () => {
    const hits = search("skinc*");
    expect(keysOf(hits)).toEqual(["en2"]);
    expect(hits[0]!.matched).toEqual(["skinc*"]);
    expect(hits[0]!.snippet).toContain("«Skincare»");
    expect(keysOf(search("sunscr*"))).toEqual(["en2"]);
  });

  it("combines alternatives with OR and reports which matched", () => {
    const hits = search("matcha OR sunscreen");
    expect(keysOf(hits)).toEqual(["en", "en2"]);
    expect(hits.find((h) => h.accountId === ids.en)!.matched).toEqual(["matcha"]);
    expect(hits.find((h) => h.accountId === ids.en2)!.matched).toEqual(["sunscreen"]);
  });

  it("excludes terms", () => {
    expect(keysOf(search("routine -matcha"))).toEqual(["en2"]);
    expect(keysOf(search('routine -"matcha latte"'))).toEqual(["en2"]);
    expect(keysOf(search("旅行 -ラーメン"))).toEqual(["zhHant"]);
    expect(keysOf(search("旅行 -台北"))).toEqual(["ja"]);
    expect(keysOf(search("旅行 -ramen"))).toEqual(["zhHant"]); // a word excluded from a CJK-only query
    expect(keysOf(search("ramen -東京"))).toEqual(["en"]);
  });

  it("finds CJK terms of 3+ characters as substrings", () => {
    expect(keysOf(search("美妆好物"))).toEqual(["zhHans"]);
    expect(keysOf(search("分享來囉"))).toEqual(["zhHant"]);
    const ramen = search("ラーメン");
    expect(keysOf(ramen)).toEqual(["ja"]);
    expect(ramen[0]!.snippet).toContain("«ラーメン»");
    expect(keysOf(search("브이로그"))).toEqual(["ko"]);
  });

  it("finds CJK terms of 1–2 characters, Simplified and Traditional apart", () => {
    expect(keysOf(search("美妆"))).toEqual(["zhHans"]);
    expect(keysOf(search("美妝"))).toEqual(["zhHant"]);
    expect(keysOf(search("旅行"))).toEqual(["ja", "zhHant"]);
    expect(keysOf(search("여행"))).toEqual(["ko"]); // also inside 여행을
    expect(keysOf(search("京"))).toEqual(["ja"]);
    const hits = search("发信 OR 発信");
    expect(keysOf(hits)).toEqual(["ja"]);
    expect(hits[0]!.matched).toEqual(["発信"]);
    expect(hits[0]!.snippet).toContain("«発信»");
    // Two phrases of the CJK index: 发信 (in no document) and 発信 (in one).
    const cjk = [{ index: "account_search_cjk" as const, hits: 0 }, { index: "account_search_cjk" as const, hits: 1 }];
    expect(hits[0]!.relevance).toBeCloseTo(expectedRelevance(hits[0]!.bm25, cjk), 12);
  });

  it("ranks a 2-character CJK term by occurrences like bm25 (two mentions beat one)", () => {
    const hits = search("旅行");
    expect(accountsOf(hits)).toEqual([ids.ja, ids.zhHant]); // ja: bio + caption; zhHant: one caption
    expect(hits[1]!.relevance).toBeGreaterThan(0);
    expect(hits[1]!.relevance).toBeLessThan(1);
  });

  it("scores terms found through the trigram vocabulary exactly as FTS5's bm25() does", () => {
    for (const term of ["旅行に", "東京の", "美妆好", "여행을"]) {
      const fts = db.$client
        .prepare("SELECT rowid, bm25(account_search_cjk, 2, 1, 1) FROM account_search_cjk WHERE account_search_cjk MATCH ?")
        .raw()
        .all(`"${term}"`) as [number, number][];
      const ours = shortCjkScores(db.$client, term);
      expect(fts.length).toBeGreaterThan(0);
      expect(ours.size).toBe(fts.length);
      for (const [id, score] of fts) expect(ours.get(id)).toBeCloseTo(score, 12);
    }
  });

  it("intersects Latin and CJK parts of a mixed query", () => {
    expect(keysOf(search("ramen ラーメン"))).toEqual(["ja"]);
    expect(keysOf(search("ramen"))).toEqual(["en", "ja"]);
    expect(keysOf(search("ootd 穿搭"))).toEqual(["zhHans"]); // "分享OOTD穿搭": OOTD is a word of its own
    expect(keysOf(search("美妆blogger"))).toEqual([]);
    const mixed = search("ramen OR 美妆");
    expect(keysOf(mixed)).toEqual(["en", "ja", "zhHans"]);
    expect(mixed.find((h) => h.accountId === ids.zhHans)!.matched).toEqual(["美妆"]);
  });

  it("indexes Devanagari words whole", () => {
    expect(keysOf(search("फिटनेस"))).toEqual(["hi"]);
  });

  it("indexes categories as words", () => {
    expect(keysOf(search("beauty"))).toEqual(["en2", "zhHans"]);
  });

  it("ranks many caption mentions above one, with relevance in (0, 1) on an absolute scale", () => {
    const hits = search("protein");
    expect(accountsOf(hits)).toEqual([ids.protein5, ids.protein1]);
    for (const hit of hits) expect(hit.relevance).toBeCloseTo(expectedRelevance(hit.bm25, [{ index: "account_search", hits: 2 }]), 12);
    expect(hits[0]!.relevance).toBeLessThan(1);
    expect(hits[1]!.relevance).toBeGreaterThan(0);
    expect(hits[1]!.relevance).toBeLessThan(hits[0]!.relevance);
    expect(hits[0]!.bm25).toBeLessThan(hits[1]!.bm25);
  });

  it("orders ties by account id, the same every time", () => {
    const hits = search("knitting");
    expect(accountsOf(hits)).toEqual([ids.twinA, ids.twinB].sort((a, b) => a! - b!));
    expect(hits[0]!.bm25).toBe(hits[1]!.bm25);
    expect(hits[0]!.relevance).toBe(hits[1]!.relevance);
    expect(search("knitting")).toEqual(hits);
    expect(accountsOf(search("knitting", 1))).toEqual([Math.min(ids.twinA!, ids.twinB!)]);
  });

  it("matchKeywords lists every match and gives each the relevance searchKeywords does, counted without bm25()", () => {
    const queries = [
      "MATCHA", "protein", "knitting", "protein OR knitting", "routine", "rout*", '"evening routine"', '"evening rou"*',
      "routine -evening", "vegan ramen", "cafe", "musica", "MÚSICA", "beauty", "फिटनेस", "ramen", "recent",
      // Chinese, Japanese and Korean: scored whole by FTS5 (two indexes and the vocabulary).
      "美妆", "旅行", "ramen ラーメン", "여행",
    ];
    for (const q of queries) {
      const hits = searchKeywords(db, q, { field: FIELD, limit: 1_000, details: false });
      const lazy = matchKeywords(db, q, FIELD);
      expect([...lazy.accountIds], q).toEqual(accountsOf(hits).sort((a, b) => a - b));
      expect(hits.length, q).toBeGreaterThan(0);
      const relevance = lazy.relevance(accountsOf(hits));
      hits.forEach((hit, i) => expect(relevance[i], `${q} #${hit.accountId}`).toBe(hit.relevance));
    }
    expect([...matchKeywords(db, "nosuchword", FIELD).accountIds]).toEqual([]);
    expect(() => matchKeywords(db, '"unbalanced', FIELD)).toThrow(BadUserInputError);
  });

  it("gives FTS5's double where JavaScript's Math.log and C's log() differ (IDF of 7 documents in 27)", () => {
    // ln(20.5 / 7.5) is …0979 with Math.log and …0977 with C's log(), which bm25() uses.
    const fresh = openDatabase({ path: join(dir, "idf.db") });
    try {
      for (let i = 0; i < 27; i++) createInfluencer(fresh, { bio: i < 7 ? `zebra painter number ${i}` : `landscape painter number ${i}` });
      rebuildKeywordIndex(fresh);
      expect(fresh.$client.prepare("SELECT count(*) FROM account_search_docsize").pluck().get()).toBe(27);
      const hits = searchKeywords(fresh, "zebra", { field: FIELD, details: false });
      expect(hits).toHaveLength(7);
      const lazy = matchKeywords(fresh, "zebra", FIELD).relevance(accountsOf(hits));
      hits.forEach((hit, i) => expect(lazy[i]).toBe(hit.relevance));
    } finally {
      closeDatabase(fresh);
    }
  });

  it("leaves to bm25() the documents whose combining diacritics the fold keeps (Yoruba written with U+0300)", () => {
    const { accounts } = createInfluencer(db, { bio: "E\u0323\u0300ko\u0323\u0301 music lessons", categories: ["MUSIC"] });
    const { accounts: other } = createInfluencer(db, { bio: "x\u0301ylophone music and more xylophone", categories: ["MUSIC"] });
    rebuildKeywordIndex(db);
    try {
      for (const [q, id] of [["eko music", accounts[0]!.id], ["xylophone music", other[0]!.id]] as const) {
        const hits = searchKeywords(db, q, { field: FIELD, details: false });
        expect(accountsOf(hits), q).toEqual([id]);
        expect(matchKeywords(db, q, FIELD).relevance([id])[0], q).toBe(hits[0]!.relevance);
      }
    } finally {
      db.$client.prepare("DELETE FROM social_accounts WHERE id IN (?, ?)").run(accounts[0]!.id, other[0]!.id);
      rebuildKeywordIndex(db);
    }
  });

  it("counts overlapping phrase occurrences as FTS5 does", () => {
    const { accounts } = createInfluencer(db, { bio: "la la la land", categories: ["MUSIC"] });
    rebuildKeywordIndex(db);
    const hits = searchKeywords(db, '"la la"', { field: FIELD, details: false });
    expect(accountsOf(hits)).toEqual([accounts[0]!.id]);
    expect(matchKeywords(db, '"la la"', FIELD).relevance([accounts[0]!.id])[0]).toBeCloseTo(hits[0]!.relevance, 12);
    db.$client.prepare("DELETE FROM social_accounts WHERE id = ?").run(accounts[0]!.id);
    rebuildKeywordIndex(db);
  });

  it("uses only the 10 most recent posts", () => {
    expect(search("ancientword")).toEqual([]);
    expect(keysOf(search("recent"))).toEqual(["old"]);
  });

  it("can rank without details, and describe a page of hits afterwards", () => {
    const full = search("protein OR knitting");
    const bare = searchKeywords(db, "protein OR knitting", { field: FIELD, details: false });
    expect(bare.map(({ accountId, relevance, bm25 }) => ({ accountId, relevance, bm25 }))).toEqual(
      full.map(({ accountId, relevance, bm25 }) => ({ accountId, relevance, bm25 })),
    );
    expect(bare.every((h) => h.matched.length === 0 && h.snippet === "")).toBe(true);
    const page = describeKeywordHits(db, "protein OR knitting", [full[0]!.accountId, ids.twinB!], FIELD);
    expect(page.get(full[0]!.accountId)).toEqual({ matched: full[0]!.matched, snippet: full[0]!.snippet });
    expect(page.get(ids.twinB!)).toEqual({ matched: ["knitting"], snippet: "Identical twin «knitting»" });
  });

  it("treats FTS5 syntax in the input as text, never as an SQLite error", () => {
    for (const q of ["NEAR(matcha", "bio:matcha", "^matcha", "matcha AND", "matcha NOT sunscreen", "{bio}: matcha", "matcha)", "(matcha", "matcha + ramen", "*matcha"]) {
      expect(() => search(q)).not.toThrow();
    }
    expect(keysOf(search("^matcha"))).toEqual(["en"]);
    expect(keysOf(search("(matcha)"))).toEqual(["en"]);
    expect(search("bio:matcha")).toEqual([]); // the phrase "bio matcha"
    expect(search("matcha NOT sunscreen")).toEqual([]); // NOT is a word here
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom("a", "b", "美", "妆", "旅", " ", '"', "*", "-", "(", ")", ":", "^", "+", "{", "}", "OR", "AND", "NEAR", "NOT", "'", ",", "é", "\u0000"), {
            maxLength: 40,
          })
          .map((parts) => parts.join("")),
        (q) => {
          try {
            search(q);
          } catch (error) {
            if (!(error instanceof BadUserInputError)) throw error;
            expect(error.extensions.field).toBe(FIELD);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reports invalid queries as BAD_USER_INPUT on the caller's field", () => {
    expectBadInput(() => search('"matcha'));
    expectBadInput(() => searchKeywords(db, "OR", { field: "input.keywords" }), "input.keywords");
    expectBadInput(() => search("ラー*"));
  });

  it("rebuilds idempotently", () => {
    const counts = () =>
      db.$client
        .prepare(
          `SELECT (SELECT count(*) FROM account_search_docs) AS docs, (SELECT count(*) FROM account_search) AS words,
                  (SELECT count(*) FROM account_search_cjk_docsize) AS cjk`,
        )
        .get();
    const before = counts();
    const first = rebuildKeywordIndex(db);
    const second = rebuildKeywordIndex(db);
    expect(counts()).toEqual(before);
    expect(before).toEqual({ docs: Object.keys(ids).length, words: Object.keys(ids).length, cjk: 4 });
    expect(second).toEqual({ ...first, ms: second.ms });
    expect(second).toMatchObject({ accounts: Object.keys(ids).length, cjkAccounts: 4 });
    expect(() => db.$client.exec("INSERT INTO account_search (account_search) VALUES ('integrity-check')")).not.toThrow();
    expect(search("matcha")).toHaveLength(1);
  });

  it("re-indexes given accounts, and drops deleted accounts at once", () => {
    const { accounts } = createInfluencer(db, { bio: "Glassblower from Murano" });
    expect(search("glassblower")).toEqual([]);
    reindexKeywordAccounts(db, [accounts[0]!.id]);
    expect(accountsOf(search("glassblower"))).toEqual([accounts[0]!.id]);
    db.$client.prepare("UPDATE influencers SET bio = 'Potter from Murano' WHERE id = ?").run(accounts[0]!.influencerId);
    reindexKeywordAccounts(db, [accounts[0]!.id, 999_999]);
    expect(search("glassblower")).toEqual([]);
    expect(accountsOf(search("potter"))).toEqual([accounts[0]!.id]);
    db.$client.prepare("DELETE FROM influencers WHERE id = ?").run(accounts[0]!.influencerId);
    expect(search("potter murano")).toEqual([]);
    expect(db.$client.prepare("SELECT count(*) FROM account_search_docs WHERE account_id = ?").pluck().get(accounts[0]!.id)).toBe(0);
  });

  it("keeps each account's distinct hashtags, numbered, beside its search document (for lookalikes)", () => {
    const tagsOf = (accountId: number) => {
      const packed = db.$client.prepare("SELECT tags FROM account_hashtags WHERE account_id = ?").pluck().get(accountId) as Buffer | undefined;
      const ids = packed ? Array.from({ length: packed.length / 4 }, (_, i) => packed.readInt32LE(i * 4)) : [];
      const names = db.$client.prepare("SELECT id, tag FROM hashtag_keys").raw().all() as [number, string][];
      const byId = new Map(names);
      return { ids, tags: ids.map((id) => byId.get(id)!).sort() };
    };
    const documents = db.$client.prepare("SELECT account_id, hashtags FROM account_search_docs").raw().all() as [number, string][];
    expect(documents.length).toBe(db.$client.prepare("SELECT count(*) FROM account_hashtags").pluck().get());
    let tagged = 0;
    for (const [accountId, hashtags] of documents) {
      const { ids, tags } = tagsOf(accountId);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(tags).toEqual([...new Set(documentHashtags(hashtags))].sort());
      if (tags.length) tagged++;
    }
    expect(tagged).toBeGreaterThan(2);
    // Re-indexing an account replaces its hashtags; a tag keeps its number.
    const { accounts } = createInfluencer(db, { bio: "Beekeeper" });
    createPost(db, accounts[0]!, { caption: "Spring honey", hashtags: ["Honey", "bees"] });
    reindexKeywordAccounts(db, [accounts[0]!.id]);
    const first = tagsOf(accounts[0]!.id);
    expect(first.tags).toEqual(["bees", "honey"]);
    createPost(db, accounts[0]!, { caption: "Summer honey", hashtags: ["honey", "#Summer"] });
    reindexKeywordAccounts(db, [accounts[0]!.id]);
    const second = tagsOf(accounts[0]!.id);
    expect(second.tags).toEqual(["bees", "honey", "summer"]);
    expect(second.ids).toEqual(expect.arrayContaining(first.ids));
    // Deleting the account deletes its row.
    db.$client.prepare("DELETE FROM social_accounts WHERE id = ?").run(accounts[0]!.id);
    expect(tagsOf(accounts[0]!.id).ids).toEqual([]);
  });

  it("builds snippets from the first column with a match, for CJK too", () => {
    expect(search("美妆好物")[0]!.snippet).toBe("最近爱用的«美妆好物»");
    expect(search("旅行").find((h) => h.accountId === ids.ja)!.snippet).toBe("東京在住。«旅行»について発信しています");
    expect(search("ootd")[0]!.snippet).toBe("分享«OOTD»穿搭"); // the zero-width spaces are gone
    const both = search("vegan matcha");
    expect(both.map((h) => [h.matched, h.snippet])).toEqual([[["vegan", "matcha"], "«Vegan» food blogger sharing plant-based recipes from Portland"]]);
    expect(search('"evening rou"*').map((h) => h.snippet)).toEqual(["Skincare nerd. «Evening routine» enthusiast"]);
    expect(search("sunscreen")[0]!.snippet).toBe("«Sunscreen» every day");
  });

  it("falls back to highlight() when a match cannot be found again in the document, and still answers", () => {
    // An index entry the stored document does not back (only a bug could cause this): highlight() then marks the
    // word at the indexed position, and `matched` stays empty rather than guessing.
    db.$client
      .prepare("INSERT INTO account_search (rowid, bio, categories, captions, hashtags) VALUES (?, 'phantomword', '', '', '')")
      .run(ids.hi);
    const hits = search("phantomword");
    expect(hits).toEqual([
      { accountId: ids.hi, relevance: expect.any(Number), bm25: expect.any(Number), matched: [], snippet: "«मुंबई» से फिटनेस की बातें" },
    ]);
    // Counting in the stored document finds nothing there either: the lazy relevance asks bm25() instead.
    const lazy = matchKeywords(db, "phantomword", FIELD);
    expect([...lazy.accountIds]).toEqual([ids.hi]);
    expect(lazy.relevance([ids.hi!])[0]).toBeCloseTo(hits[0]!.relevance, 12);
    expect(hits[0]!.relevance).toBeGreaterThan(0);
    rebuildKeywordIndex(db);
    expect(search("phantomword")).toEqual([]);
  });

  it("makes a new post's caption searchable after refreshAccountFeatures", () => {
    const zh = db.$client.prepare("SELECT id, platform FROM social_accounts WHERE id = ?").get(ids.zhHans) as { id: number; platform: "INSTAGRAM" };
    createPost(db, zh, { caption: "Zeppelin ride over 长城风景", publishedAt: day(28) });
    expect(search("zeppelin")).toEqual([]);
    const phases = new Set<string>();
    refreshAccountFeatures(db, { onProgress: (phase) => phases.add(phase) });
    expect(phases.has("search index")).toBe(true);
    expect(accountsOf(search("zeppelin"))).toEqual([zh.id]);
    expect(accountsOf(search("长城风景"))).toEqual([zh.id]);
    expect(accountsOf(search("长城"))).toEqual([zh.id]);
  });
});

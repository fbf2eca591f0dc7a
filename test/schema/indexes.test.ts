import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { closeDatabase, openDatabase } from "../../server/db.js";

const db = openDatabase({ path: ":memory:" });
const sqlite = db.$client;
afterAll(() => closeDatabase(db));

// Ordinary tables only: FTS5's virtual tables and their shadow tables are SQLite's business (pragma table_list types).
const tables = sqlite
  .prepare("select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'")
  .pluck()
  .all() as string[];

/** The leading columns of every index of a table (the primary key counts as an index). */
function indexPrefixes(table: string): string[][] {
  const indexes = sqlite.prepare(`select name from pragma_index_list(?)`).pluck().all(table) as string[];
  const prefixes = indexes.map((index) => sqlite.prepare(`select name from pragma_index_info(?) order by seqno`).pluck().all(index) as string[]);
  const pk = (sqlite.prepare(`select name, pk from pragma_table_info(?) where pk > 0 order by pk`).all(table) as { name: string }[]).map((c) => c.name);
  if (pk.length) prefixes.push(pk);
  return prefixes;
}

describe("database access paths", () => {
  it("has the tables of the data model", () => {
    expect(tables.sort()).toEqual(
      [
        "account_snapshots", "api_keys", "audience_shares", "audit_log", "campaigns", "collaborations", "conversions",
        "deliverables", "influencer_categories", "influencers", "organizations", "post_metric_snapshots", "posts",
        "seed_truth", "social_accounts", "account_features", "feature_refreshes", "account_search_docs", "audience_keys", "campaign_creator_daily", "campaign_creator_totals", "campaign_daily", "engagement_flags",
        "collaboration_sales", "campaign_daily_sales", "hashtag_keys", "account_hashtags", "import_runs",
      ].sort(),
    );
    // The keyword index (server/discovery/keyword-search.ts): FTS5 tables, in this one named place.
    const virtual = sqlite.prepare("select name from pragma_table_list where schema = 'main' and type = 'virtual'").pluck().all();
    expect(virtual.sort()).toEqual(["account_search", "account_search_cjk", "account_search_cjk_instances"]);
  });

  it("indexes every foreign key column (no full scans on joins or cascading deletes)", () => {
    const unindexed: string[] = [];
    for (const table of tables) {
      const foreignKeys = sqlite.prepare(`select "from" as column from pragma_foreign_key_list(?)`).all(table) as { column: string }[];
      const prefixes = indexPrefixes(table);
      for (const { column } of foreignKeys) {
        if (!prefixes.some((columns) => columns[0] === column)) unindexed.push(`${table}.${column}`);
      }
    }
    expect(unindexed).toEqual([]);
  });

  it("runs a file database with foreign keys, WAL journaling and full sync", () => {
    const dir = mkdtempSync(join(tmpdir(), "influencegraph-pragma-"));
    const file = openDatabase({ path: join(dir, "nested/folder/p.db") });
    try {
      const pragma = (name: string) => file.$client.pragma(name, { simple: true });
      expect(pragma("foreign_keys")).toBe(1);
      expect(pragma("journal_mode")).toBe("wal");
      expect(pragma("synchronous")).toBe(2); // FULL
      expect(pragma("busy_timeout")).toBe(5000);
    } finally {
      closeDatabase(file);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The database writer: determinism of the whole dump, the refusal to seed a non-empty database, referential
 * integrity, and the invariants the rest of the system relies on.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hashApiKey } from "../../server/access/api-keys.js";
import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import {
  DatabaseNotEmptyError,
  DEFAULT_AS_OF,
  demoApiKey,
  seedDatabase,
  type SeedOptions,
  type SeedSummary,
} from "../../seeds/seed.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-seed-"));
let counter = 0;

function seedInto(options: Partial<SeedOptions> = {}): { db: Db; summary: SeedSummary; path: string } {
  const path = join(dir, `seed-${++counter}.db`);
  const db = openDatabase({ path });
  const summary = seedDatabase(db, { influencers: 200, seed: 42, asOf: DEFAULT_AS_OF, ...options });
  return { db, summary, path };
}

/** SHA-256 over every row of every ordinary table (FTS5 indexes are derived from one), in rowid order. */
function dumpHash(db: Db): string {
  const hash = createHash("sha256");
  const tables = db.$client
    .prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .raw()
    .all() as [string, number][];
  for (const [table, withoutRowid] of tables) {
    hash.update(`\n#${table}\n`);
    // A WITHOUT ROWID table has no rowid; its scan follows the primary key.
    for (const row of db.$client.prepare(`SELECT * FROM "${table}"${withoutRowid ? "" : " ORDER BY rowid"}`).raw().iterate()) {
      hash.update(JSON.stringify(row));
    }
  }
  return hash.digest("hex");
}

const count = (db: Db, sql: string, ...params: unknown[]) => db.$client.prepare(sql).pluck().get(...params) as number;

let main: { db: Db; summary: SeedSummary };

beforeAll(() => {
  main = seedInto();
});

afterAll(() => {
  closeDatabase(main.db);
  rmSync(dir, { recursive: true, force: true });
});

describe("seedDatabase", () => {
  it("writes the same rows for the same seed, whatever the batch size or index strategy", () => {
    const expected = dumpHash(main.db);
    const smallBatches = seedInto({ batchSize: 7 });
    const deferred = seedInto({ batchSize: 64, deferIndexes: true });
    const otherSeed = seedInto({ seed: 43 });
    try {
      expect(dumpHash(smallBatches.db)).toBe(expected);
      expect(dumpHash(deferred.db)).toBe(expected);
      expect(dumpHash(otherSeed.db)).not.toBe(expected);
      // Rebuilt indexes are exactly the migrated ones.
      const schema = (db: Db) => db.$client.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
      expect(schema(deferred.db)).toEqual(schema(main.db));
    } finally {
      for (const s of [smallBatches, deferred, otherSeed]) closeDatabase(s.db);
    }
  });

  it("refuses a database that already has data, and says what to do", () => {
    expect(() => seedDatabase(main.db, { influencers: 10, seed: 1, asOf: DEFAULT_AS_OF })).toThrow(DatabaseNotEmptyError);
    expect(() => seedDatabase(main.db, { influencers: 10, seed: 1, asOf: DEFAULT_AS_OF })).toThrow(/influencers has 200 rows.*new database/);
  });

  it("rejects invalid options", () => {
    const db = openDatabase({ path: ":memory:" });
    expect(() => seedDatabase(db, { influencers: 0, seed: 1, asOf: DEFAULT_AS_OF })).toThrow(/influencers/);
    expect(() => seedDatabase(db, { influencers: 5, seed: -1, asOf: DEFAULT_AS_OF })).toThrow(/seed/);
    expect(() => seedDatabase(db, { influencers: 5, seed: 1, asOf: DEFAULT_AS_OF, postsPerAccount: 500 })).toThrow(/postsPerAccount/);
    closeDatabase(db);
  });

  it("reports the rows it wrote", () => {
    const { db, summary } = main;
    expect(summary.influencers).toBe(200);
    expect(summary.accounts).toBe(count(db, "SELECT count(*) FROM social_accounts"));
    expect(summary.posts).toBe(count(db, "SELECT count(*) FROM posts"));
    expect(summary.postMetricSnapshots).toBe(count(db, "SELECT count(*) FROM post_metric_snapshots"));
    expect(summary.accountSnapshots).toBe(count(db, "SELECT count(*) FROM account_snapshots"));
    expect(summary.audienceShares).toBe(count(db, "SELECT count(*) FROM audience_shares"));
    expect(summary.collaborations).toBe(count(db, "SELECT count(*) FROM collaborations"));
    expect(summary.organizations).toBe(4);
    expect(summary.rowsPerSecond).toBeGreaterThan(0);
  });

  it("leaves a consistent database and the server's pragmas in place", () => {
    const { db } = main;
    expect(db.$client.pragma("foreign_key_check")).toEqual([]);
    expect(db.$client.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.$client.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(count(db, "SELECT count(*) FROM influencers WHERE created_at > updated_at")).toBe(0);
  });

  it("keeps total_followers equal to the sum of the accounts' followers", () => {
    expect(
      count(
        main.db,
        `SELECT count(*) FROM influencers i
         WHERE i.total_followers != (SELECT sum(followers) FROM social_accounts a WHERE a.influencer_id = i.id)`,
      ),
    ).toBe(0);
  });

  it("records the truth for every account", () => {
    const { db } = main;
    expect(count(db, "SELECT count(*) FROM seed_truth")).toBe(count(db, "SELECT count(*) FROM social_accounts"));
    expect(count(db, "SELECT count(*) FROM social_accounts a LEFT JOIN seed_truth t ON t.account_id = a.id WHERE t.account_id IS NULL")).toBe(0);
    expect(count(db, "SELECT count(*) FROM seed_truth WHERE quality < 0 OR quality > 1")).toBe(0);
  });

  it("stores audience shares that sum to 1 per account and dimension", () => {
    const sums = main.db.$client
      .prepare("SELECT account_id, dimension, sum(share) AS total FROM audience_shares GROUP BY account_id, dimension")
      .all() as { total: number }[];
    expect(sums.length).toBe(5 * count(main.db, "SELECT count(*) FROM social_accounts"));
    for (const s of sums) expect(Math.abs(s.total - 1)).toBeLessThan(1e-6);
  });

  it("stores the demo organization with the key demoApiKey(seed) derives", () => {
    const key = demoApiKey(42);
    const row = main.db.$client
      .prepare("SELECT k.role, k.prefix, k.key_hash AS keyHash FROM api_keys k JOIN organizations o ON o.id = k.organization_id WHERE o.slug = 'demo'")
      .get() as { role: string; prefix: string; keyHash: string };
    expect(row).toEqual({ role: "ADMIN", prefix: key.prefix, keyHash: hashApiKey(key.key) });
    expect(main.summary.demoApiKey.key).toBe(key.key);
    expect(demoApiKey(43).key).not.toBe(key.key);
    expect(count(main.db, "SELECT count(DISTINCT organization_id) FROM api_keys")).toBe(4);
  });

  it("writes collaborations that follow the status flow", () => {
    const { db } = main;
    const contracted = "('CONTRACTED','CONTENT_SUBMITTED','APPROVED','PUBLISHED','PAID')";
    expect(count(db, `SELECT count(*) FROM collaborations WHERE status IN ${contracted} AND (fee_amount IS NULL OR promo_code IS NULL)`)).toBe(0);
    expect(count(db, `SELECT count(*) FROM collaborations WHERE status NOT IN ${contracted} AND fee_amount IS NOT NULL`)).toBe(0);
    expect(count(db, "SELECT count(DISTINCT status) FROM collaborations")).toBeGreaterThanOrEqual(8);
    // Every published collaboration links at least one post of its influencer, marked with the campaign.
    expect(
      count(
        db,
        `SELECT count(*) FROM collaborations c WHERE c.status IN ('PUBLISHED','PAID') AND NOT EXISTS (
           SELECT 1 FROM deliverables d JOIN posts p ON p.id = d.post_id JOIN social_accounts a ON a.id = p.account_id
           WHERE d.collaboration_id = c.id AND d.status = 'PUBLISHED' AND p.campaign_id = c.campaign_id
             AND a.influencer_id = c.influencer_id)`,
      ),
    ).toBe(0);
    expect(count(db, "SELECT count(*) FROM deliverables d JOIN collaborations c ON c.id = d.collaboration_id WHERE c.status NOT IN " + contracted)).toBe(0);
    expect(count(db, "SELECT count(*) FROM conversions v JOIN collaborations c ON c.id = v.collaboration_id WHERE c.status NOT IN ('PUBLISHED','PAID') OR v.promo_code != c.promo_code")).toBe(0);
    expect(count(db, "SELECT count(*) FROM conversions")).toBeGreaterThan(0);
    expect(count(db, "SELECT count(*) FROM campaigns WHERE budget_amount < 500000 OR currency NOT IN ('USD','EUR','GBP')")).toBe(0);
  });
});

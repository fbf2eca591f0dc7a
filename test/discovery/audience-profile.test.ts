/**
 * Audience profiles (server/discovery/audience-profile.ts): the refresh packs each account's audience shares into
 * one blob, and the discovery index reads them back exactly as `audience_shares` holds them, including from a
 * database whose features predate the profiles.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { encodeAudienceProfile, forEachProfileEntry } from "../../server/discovery/audience-profile.js";
import { DiscoveryIndex, latestRefresh } from "../../server/discovery/discovery-index.js";
import { refreshAccountFeatures } from "../../server/discovery/features.js";
import { DEFAULT_AS_OF, seedDatabase } from "../../seeds/seed.js";

let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "influencegraph-profiles-"));
  db = openDatabase({ path: join(dir, "profiles.db") });
  seedDatabase(db, { influencers: 120, seed: 5, asOf: DEFAULT_AS_OF });
});
afterAll(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

/** Every account's audience as the index holds it: "DIMENSION:KEY" → share, by account id. */
function audiencesOfIndex(index: DiscoveryIndex): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  for (let slot = 0; slot < index.size; slot++) {
    const shares = new Map<string, number>();
    for (let e = index.audienceStart[slot]!; e < index.audienceStart[slot + 1]!; e++) {
      const { dimension, key } = index.audienceKeys[index.audienceKey[e]!]!;
      shares.set(`${dimension}:${key}`, index.audienceShare[e]!);
    }
    out.set(index.accountId[slot]!, shares);
  }
  return out;
}

function audiencesOfTable(): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  for (const id of db.$client.prepare("SELECT id FROM social_accounts").pluck().all() as number[]) out.set(id, new Map());
  for (const row of db.$client.prepare("SELECT account_id, dimension, key, share FROM audience_shares").all() as {
    account_id: number;
    dimension: string;
    key: string;
    share: number;
  }[]) {
    out.get(row.account_id)!.set(`${row.dimension}:${row.key}`, Math.fround(row.share));
  }
  return out;
}

const buildIndex = () => {
  const { version, asOf } = latestRefresh(db);
  return new DiscoveryIndex(db, version, asOf);
};

describe("audience profiles", () => {
  it("round-trip key ids and shares (as 32-bit floats)", () => {
    const entries: [number, number][] = [];
    forEachProfileEntry(encodeAudienceProfile([1, 65_535, 7], [0.5, 0.123456789, 0]), (key, share) => entries.push([key, share]));
    expect(entries).toEqual([
      [1, 0.5],
      [65_535, Math.fround(0.123456789)],
      [7, 0],
    ]);
  });

  it("give the index every account's audience exactly as audience_shares holds it", () => {
    const table = audiencesOfTable();
    expect([...table.values()].reduce((n, m) => n + m.size, 0)).toBeGreaterThan(1000);
    expect(audiencesOfIndex(buildIndex())).toEqual(table);
  });

  it("make a dense column per (dimension, key) that matches the table, 0 where an account has none", () => {
    const index = buildIndex();
    const column = index.audienceColumn("COUNTRY", "US");
    const table = audiencesOfTable();
    for (let slot = 0; slot < index.size; slot++) expect(column[slot]).toBe(table.get(index.accountId[slot]!)!.get("COUNTRY:US") ?? 0);
    expect(index.audienceColumn("COUNTRY", "AQ").every((share) => share === 0)).toBe(true);
  });

  it("follow a change of audience at the next refresh", () => {
    const accountId = db.$client.prepare("SELECT min(account_id) FROM audience_shares").pluck().get() as number;
    db.$client.prepare("UPDATE audience_shares SET share = 0.25 WHERE account_id = ? AND dimension = 'GENDER' AND key = 'FEMALE'").run(accountId);
    refreshAccountFeatures(db, { asOf: DEFAULT_AS_OF });
    expect(audiencesOfIndex(buildIndex()).get(accountId)!.get("GENDER:FEMALE")).toBe(0.25);
  });

  it("are read from audience_shares when the features predate them (an older database)", () => {
    const withProfiles = audiencesOfIndex(buildIndex());
    db.$client.exec("UPDATE account_features SET audience_profile = NULL; DELETE FROM audience_keys");
    expect(audiencesOfIndex(buildIndex())).toEqual(withProfiles);
  });
});

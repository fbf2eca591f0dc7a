/**
 * `npm run import`, the real command line in a child process: exit codes, summary, reject file, and the promise
 * that an import killed at any moment and run again loses nothing and duplicates nothing (a real SIGKILL in the
 * middle, compared with a clean one-shot import of the same file).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { collaborations } from "../../schema/tables.js";
import { closeDatabase, openDatabase } from "../../server/db.js";
import { createCampaign, createInfluencer, createOrganization } from "../support/factories.js";
import { fingerprint, WRITE_TIMES } from "./ingest-support.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-import-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLI = resolve(import.meta.dirname, "../../server/engagement/import.cli.ts");
/**
 * The command as `npm run import` runs it (tsx), in one process: the `tsx` binary would run it in a child process,
 * which a SIGKILL to the binary would leave running.
 */
const COMMAND = [process.execPath, "--import", "tsx", CLI] as const;
const envFor = (database: string) => ({ ...process.env, DATABASE_PATH: database, NODE_ENV: "test" });
const cli = (database: string, ...args: string[]) =>
  spawnSync(COMMAND[0], [...COMMAND.slice(1), ...args], { encoding: "utf8", env: envFor(database), cwd: resolve(import.meta.dirname, "../..") });

/** Campaigns 1 and 2 and the promo code SPRING10, the same in every database the tests compare. */
function prepare(path: string): void {
  const db = openDatabase({ path });
  const org = createOrganization(db, "Org");
  const a = createCampaign(db, org.id, { name: "Campaign A" });
  createCampaign(db, org.id, { name: "Campaign B" });
  const { influencer } = createInfluencer(db, { name: "Factory creator", accounts: [{ handle: "factory_creator" }] });
  db.insert(collaborations).values({ campaignId: a.id, influencerId: influencer.id, promoCode: "SPRING10" }).run();
  closeDatabase(db);
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A deterministic file of every row type, mostly post_metrics in capture-time order: `creators` creators with two
 * accounts each, audiences, 5 follower captures per account, `postsPerAccount` posts per account (every 25th in a
 * campaign), `captures` metric captures per post, a few conversions.
 */
function generate(path: string, { creators, postsPerAccount, captures }: { creators: number; postsPerAccount: number; captures: number }): number {
  const lines: string[] = [];
  const start = Date.UTC(2026, 5, 1);
  const posts: { platform: string; externalId: string }[] = [];
  for (let c = 0; c < creators; c++) {
    lines.push(JSON.stringify({ type: "influencer", ref: `c${c}`, name: `Creator ${c}`, country: "US", language: "en", categories: ["FITNESS"] }));
    for (const platform of ["INSTAGRAM", "TIKTOK"]) {
      const handle = `c${c}_${platform.toLowerCase()}`;
      lines.push(JSON.stringify({ type: "account", influencer: `c${c}`, platform, handle, followers: 1_000 + c, following: 10, posts: postsPerAccount }));
      lines.push(JSON.stringify({ type: "audience", platform, handle, dimension: "COUNTRY", shares: { US: 0.6, CA: 0.3 } }));
      for (let k = 0; k < 5; k++) {
        lines.push(JSON.stringify({ type: "account_snapshot", platform, handle, capturedAt: iso(start + k * DAY), followers: 1_000 + c + k * 7, following: 10, posts: postsPerAccount }));
      }
      for (let p = 0; p < postsPerAccount; p++) {
        const externalId = `${handle}_p${p}`;
        const campaignId = posts.length % 25 === 0 ? 1 + (posts.length % 2) : undefined;
        lines.push(JSON.stringify({ type: "post", platform, handle, externalId, publishedAt: iso(start + p * 3_600_000), kind: "PHOTO", hashtags: ["fit"], campaignId }));
        posts.push({ platform, externalId });
      }
    }
  }
  for (let k = 0; k < captures; k++) {
    for (let i = 0; i < posts.length; i++) {
      const { platform, externalId } = posts[i]!;
      const likes = (k + 1) * (10 + (i % 97));
      lines.push(JSON.stringify({ type: "post_metrics", platform, externalId, capturedAt: iso(start + DAY + k * 3_600_000), likes, comments: Math.floor(likes / 20), views: likes * 11 }));
    }
  }
  for (let k = 0; k < 5; k++) {
    lines.push(JSON.stringify({ type: "conversion", promoCode: "SPRING10", at: iso(start + k * DAY), orders: k + 1, revenue: 1_999 * (k + 1), currency: "USD" }));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return posts.length * captures;
}

describe("npm run import", () => {
  it("exits 0 with a summary when every row is imported, and 0 again (all unchanged) when run twice", () => {
    const database = join(dir, "ok.db");
    prepare(database);
    const file = join(dir, "small.ndjson");
    generate(file, { creators: 3, postsPerAccount: 2, captures: 2 });
    const first = cli(database, file);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Imported ${file} into ${database} (NDJSON, 1 batch)`);
    expect(first.stdout).toMatch(/^ {2}post_metrics +24 +24 +0 +0 +0$/m);
    expect(first.stdout).toMatch(/^ {2}total +86 +86 +0 +0 +0$/m);
    expect(first.stdout).toMatch(/86 rows in [\d.]+ s: [\d,]+ rows\/s/);
    expect(first.stdout).toContain("npm run discovery:refresh");
    expect(first.stderr).toMatch(/import: 100 % of the file, 86 rows/);
    expect(existsSync(`${file}.rejects.ndjson`)).toBe(false);

    const second = cli(database, file);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^ {2}total +86 +0 +0 +86 +0$/m);
    expect(second.stdout).not.toContain("discovery:refresh");
  });

  it("exits 2 when rows were refused, listing them in the reject file", () => {
    const database = join(dir, "rejects.db");
    prepare(database);
    const file = join(dir, "bad.ndjson");
    writeFileSync(
      file,
      [
        JSON.stringify({ type: "influencer", ref: "x", name: "X", country: "US", language: "en" }),
        JSON.stringify({ type: "post_metrics", platform: "X", externalId: "nope", capturedAt: "2026-10-01T00:00:00Z", likes: 1, comments: 1 }),
        "[]",
      ].join("\n"),
    );
    const rejects = join(dir, "refused.ndjson");
    const result = cli(database, file, "--rejects", rejects, "--batch-size", "1");
    expect(result.status, result.stderr).toBe(2);
    expect(result.stdout).toContain(`2 rows were refused: see ${rejects}`);
    expect(readFileSync(rejects, "utf8").trim().split("\n").map((line) => JSON.parse(line))).toEqual([
      { line: 2, type: "post_metrics", field: "externalId", reason: 'no X post with externalId "nope" (import its post row first)', raw: expect.stringContaining('"nope"') },
      { line: 3, type: null, field: "", reason: "a row must be a JSON object (got [])", raw: "[]" },
    ]);
  });

  it("exits 1 with what to do when it cannot run", () => {
    const database = join(dir, "fatal.db");
    const missing = cli(database, join(dir, "missing.ndjson"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/import: cannot read .*missing\.ndjson: no such file\nNothing was written\. Fix the problem and run the command again\./);
    const usage = cli(database, "--batch-size", "0", "x.ndjson");
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/^import: --batch-size must be a whole number from 1 to 10,000,000 \(got "0"\)\n\nImports rows/);
    expect(cli(database).stderr).toMatch(/^import: name the file to import/);
    expect(cli(database, "a.ndjson", "--format", "xml").stderr).toMatch(/--format must be ndjson or csv/);
    const help = cli(database, "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Imports rows into the InfluenceGraph database/);
  });

  it("killed in the middle (SIGKILL) and run again, ends exactly where a clean import ends: nothing lost, nothing twice", async () => {
    const file = join(dir, "big.ndjson");
    const metrics = generate(file, { creators: 50, postsPerAccount: 20, captures: 150 }); // 2,000 posts: 300,000 captures
    const killed = join(dir, "killed.db");
    const clean = join(dir, "clean.db");
    prepare(killed);
    prepare(clean);

    // Kill once a tenth of the captures are committed (batches of 2,000 rows).
    const child = spawn(COMMAND[0], [...COMMAND.slice(1), file, "--batch-size", "2000"], {
      env: envFor(killed),
      stdio: "ignore",
      cwd: resolve(import.meta.dirname, "../.."),
    });
    const exited = new Promise<NodeJS.Signals | number | null>((done) => child.on("exit", (code, signal) => done(signal ?? code)));
    const reader = new Database(killed, { readonly: true, fileMustExist: true });
    let committed = 0;
    try {
      const deadline = Date.now() + 60_000;
      while (committed < metrics / 10) {
        if (Date.now() > deadline) throw new Error("the import made no progress within a minute");
        await new Promise((r) => setTimeout(r, 10));
        committed = reader.prepare("SELECT count(*) FROM post_metric_snapshots").pluck().get() as number;
      }
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      committed = reader.prepare("SELECT count(*) FROM post_metric_snapshots").pluck().get() as number;
    } finally {
      reader.close();
    }
    // Killed mid-way: some captures committed, not all.
    expect(committed).toBeGreaterThanOrEqual(metrics / 10);
    expect(committed).toBeLessThan(metrics);

    const resumed = cli(killed, file, "--batch-size", "2000");
    expect(resumed.status, resumed.stderr).toBe(0);
    const total = /^ {2}post_metrics +([\d,]+) +([\d,]+) +0 +([\d,]+) +0$/m.exec(resumed.stdout);
    expect(total, resumed.stdout).not.toBeNull();
    const [read, inserted, unchanged] = total!.slice(1).map((s) => Number(s.replaceAll(",", "")));
    expect(read).toBe(metrics);
    // What the killed run committed comes out unchanged, the rest is inserted.
    expect(unchanged).toBe(committed);
    expect(inserted).toBe(metrics - committed);

    const oneShot = cli(clean, file);
    expect(oneShot.status, oneShot.stderr).toBe(0);

    const a = openDatabase({ path: killed });
    const b = openDatabase({ path: clean });
    try {
      expect(a.$client.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(a.$client.prepare("SELECT count(*) FROM post_metric_snapshots").pluck().get()).toBe(metrics);
      // Same rows, same ids, in every table (write times aside): nothing lost, nothing duplicated.
      expect(fingerprint(a, [...WRITE_TIMES, "slug"])).toEqual(fingerprint(b, [...WRITE_TIMES, "slug"]));
    } finally {
      closeDatabase(a);
      closeDatabase(b);
    }
  }, 180_000);
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { DEFAULT_DATABASE_PATH, parseCliArgs } from "../../seeds/cli.js";
import { DEFAULT_AS_OF, DEFAULT_SEED } from "../../seeds/seed.js";

const dir = mkdtempSync(join(tmpdir(), "influencegraph-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseCliArgs", () => {
  it("applies the defaults", () => {
    expect(parseCliArgs(["--influencers", "10"], {})).toEqual({
      influencers: 10,
      seed: DEFAULT_SEED,
      database: DEFAULT_DATABASE_PATH,
      "posts-per-account": 6,
      force: false,
    });
    expect(parseCliArgs(["--influencers", "10"], { DATABASE_PATH: "/tmp/x.db" }).database).toBe("/tmp/x.db");
    expect(DEFAULT_AS_OF.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("reads every option", () => {
    const args = parseCliArgs(
      ["--influencers", "5", "--seed", "7", "--database", "a.db", "--as-of", "2026-01-02", "--posts-per-account", "3", "--force"],
      {},
    );
    expect(args).toMatchObject({ influencers: 5, seed: 7, database: "a.db", "posts-per-account": 3, force: true });
    expect(args["as-of"]?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
  });

  it.each([
    [[], /--influencers is required/],
    [["--influencers", "0"], /--influencers must be from 1/],
    [["--influencers", "ten"], /--influencers must be a whole number/],
    [["--influencers", "5", "--as-of", "yesterday"], /--as-of must be a date/],
    [["--influencers", "5", "--posts-per-account", "99"], /--posts-per-account must be from 0 to 50/],
    [["--influencers", "5", "--database", ":memory:"], /--database must be a file/],
    [["--influencers", "5", "--bogus"], /Unknown option '--bogus'/],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCliArgs(argv, {})).toThrow(message);
  });
});

describe("npm run seed", () => {
  const cli = resolve(import.meta.dirname, "../../seeds/cli.ts");
  const tsx = resolve(import.meta.dirname, "../../node_modules/.bin/tsx");
  const env = { ...process.env };
  delete env.DATABASE_PATH;
  const run = (...args: string[]) => spawnSync(tsx, [cli, ...args], { encoding: "utf8", env });
  const database = join(dir, "cli.db");

  it("seeds, refuses to seed again without --force, and reseeds with it", () => {
    const first = run("--influencers", "30", "--database", database);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/influencers\s+30/);
    expect(first.stdout).toMatch(/Demo API key \(organization "demo", role ADMIN\): ig_[0-9a-f]{8}_/);
    expect(existsSync(database)).toBe(true);

    const again = run("--influencers", "30", "--database", database);
    expect(again.status).toBe(1);
    expect(again.stderr.trim().split("\n").at(-1)).toMatch(/^seed: .*already holds data.*pass --force/);

    const forced = run("--influencers", "20", "--database", database, "--force");
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/influencers\s+20/);
  }, 30_000);

  it("exits 1 with a one-line message on bad arguments", () => {
    const bad = run("--influencers", "-3");
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  }, 30_000);
});

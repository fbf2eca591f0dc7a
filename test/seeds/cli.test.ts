import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { afterAll, describe, expect, it, vi } from "vitest";

import { DEFAULT_DATABASE_PATH, parseCliArgs, runCli } from "../../seeds/cli.js";
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
  const spawn = (...args: string[]) => spawnSync(tsx, [cli, ...args], { encoding: "utf8", env });
  const database = join(dir, "cli.db");

  /** runCli in this process (a spawn costs a second or two), with its summary captured. */
  const runQuietly = (...args: string[]) => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const progress = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const summary = runCli(args);
      return { summary, stdout: write.mock.calls.map((c) => String(c[0])).join("") };
    } finally {
      write.mockRestore();
      progress.mockRestore();
    }
  };

  it("seeds, refuses to seed again without --force (exit 1, one line), and reseeds with it", () => {
    const first = runQuietly("--influencers", "30", "--database", database);
    expect(first.summary?.influencers).toBe(30);
    expect(first.stdout).toMatch(/influencers\s+30/);
    expect(first.stdout).toMatch(/Demo API key \(organization "demo", role ADMIN\): ig_[0-9a-f]{8}_/);
    expect(existsSync(database)).toBe(true);

    const again = spawn("--influencers", "30", "--database", database);
    expect(again.status).toBe(1);
    expect(again.stdout).toBe("");
    expect(again.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^seed: .*already holds data.*pass --force/)]);

    const forced = runQuietly("--influencers", "20", "--database", database, "--force");
    expect(forced.summary?.influencers).toBe(20);
  }, 30_000);

  it("prints its options with --help and writes nothing", () => {
    const help = runQuietly("--help", "--database", database + ".help");
    expect(help.summary).toBeNull();
    expect(help.stdout).toContain("--influencers N");
    expect(help.stdout).toContain("--force");
    expect(existsSync(database + ".help")).toBe(false);
  });

  it("exits 1 with a one-line message on bad arguments", () => {
    const bad = spawn("--influencers", "-3");
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  }, 30_000);
});

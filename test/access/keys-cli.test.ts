/**
 * `npm run keys`: the real script in a child process against a temporary database (the key it prints
 * authenticates, only its hash is stored, revoking it locks it out), and `runKeysCli` in-process for every command,
 * its `--json` output, its exit codes and its one-line error messages.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { hashApiKey } from "../../server/access/api-keys.js";
import { runKeysCli } from "../../server/access/keys.cli.js";
import { closeDatabase, openDatabase, type Db } from "../../server/db.js";
import { createServices, type Services } from "../../server/services.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "influencegraph-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = /ig_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/g;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real script, as `npm run keys -- ...` runs it. */
function spawnKeys(databasePath: string, ...argv: string[]): Result {
  const child = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "server/access/keys.cli.ts", ...argv], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_PATH: databasePath },
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** runKeysCli in this process (a spawn costs a second or so), with its output captured. */
function keys(databasePath: string, ...argv: string[]): Result {
  let stdout = "";
  let stderr = "";
  const code = runKeysCli(argv, {
    env: { DATABASE_PATH: databasePath },
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

function withDb<T>(databasePath: string, fn: (db: Db, services: Services) => T): T {
  const db = openDatabase({ path: databasePath });
  try {
    return fn(db, createServices(db));
  } finally {
    closeDatabase(db);
  }
}

/** The database was closed: closing SQLite's last connection checkpoints the WAL and deletes it. */
function expectClosed(databasePath: string): void {
  expect(existsSync(`${databasePath}-wal`)).toBe(false);
}

/** A refusal is one line on stderr, with no stack trace. */
function expectOneLine(result: Result, pattern: RegExp): void {
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toEqual([expect.stringMatching(pattern)]);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe("npm run keys (the real script)", () => {
  const databasePath = join(dir, "spawned.db");

  it("issues a key that authenticates, stores only its hash, and revokes it", { timeout: 90_000 }, () => {
    const org = spawnKeys(databasePath, "create-org", "--name", "Acme Agency", "--slug", "acme");
    expect(org.code).toBe(0);
    expect(org.stdout).toMatch(/Created organization acme \(id \d+, AGENCY\): Acme Agency/);

    const created = spawnKeys(databasePath, "create", "--org", "acme", "--role", "MANAGER", "--name", "CI deploy");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const printed = created.stdout.match(KEY) ?? [];
    expect(printed).toHaveLength(1); // shown once
    const key = printed[0]!;
    const prefix = key.slice(3, 11);
    expect(created.stdout).toContain("Store it now; it cannot be shown again");
    expect(created.stdout).toContain(`Created API key ${prefix} for organization acme`);
    expect(created.stdout).toContain("role MANAGER");

    withDb(databasePath, (db, services) => {
      const acme = services.apiKeys.findOrganization("acme");
      const auth = services.access.authenticate(`Bearer ${key}`);
      expect(auth.actor).toEqual({ organizationId: acme.id, apiKeyId: expect.any(Number), role: "MANAGER" });

      // Only the hash is kept: no row of any table holds the plain key.
      const row = db.$client.prepare("select prefix, key_hash from api_keys where prefix = ?").get(prefix) as { key_hash: string };
      expect(row.key_hash).toBe(hashApiKey(key));
      const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
      for (const { name } of tables) {
        const rows = JSON.stringify(db.$client.prepare(`select * from "${name}"`).all());
        expect(rows, name).not.toContain(key);
        expect(rows, name).not.toContain(key.slice(12)); // the secret part either
      }
    });
    // ...nor any byte of the database files.
    for (const file of [databasePath, `${databasePath}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(key), file).toBe(false);
    }

    const listed = keys(databasePath, "list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${prefix}\\s+acme\\s+CI deploy\\s+MANAGER\\s`, "m"));
    expect(listed.stdout).not.toContain(hashApiKey(key));
    expect(listed.stdout).not.toMatch(KEY);

    const revoked = spawnKeys(databasePath, "revoke", prefix);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key ${prefix}`);
    expect(revoked.stderr).toBe(""); // a MANAGER key: no last-ADMIN warning
    withDb(databasePath, (_db, services) => {
      expect(services.access.authenticate(`Bearer ${key}`)).toEqual({ actor: null, problem: "The API key has been revoked." });
    });

    const again = spawnKeys(databasePath, "revoke", prefix);
    expect(again.code).toBe(1);
    expectOneLine(again, /^keys: Cannot revoke API key [0-9a-f]{8}: The API key is already revoked\.$/);

    const unknown = spawnKeys(databasePath, "frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^keys: unknown command 'frobnicate'\n/);
    expect(unknown.stderr).toContain("usage: npm run keys -- <command>");
    expect(unknown.stdout).toBe("");
    expectClosed(databasePath);
  });
});

describe("runKeysCli", () => {
  const databasePath = join(dir, "in-process.db");

  it("prints the usage with examples for --help or no command, on stdout, exit 0", () => {
    for (const argv of [[], ["--help"], ["-h"], ["help"], ["create", "--help"]]) {
      const result = keys(databasePath, ...argv);
      expect(result.code, argv.join(" ")).toBe(0);
      expect(result.stdout).toContain("usage: npm run keys -- <command> [options]");
      expect(result.stdout).toContain('npm run keys -- create --org acme --role ADMIN --name "Alice (ops)"');
      expect(result.stderr).toBe("");
    }
    expect(existsSync(databasePath)).toBe(false); // the help opens no database
  });

  it.each([
    [["frobnicate"], /^keys: unknown command 'frobnicate'$/m],
    [["list", "--bogus"], /^keys: Unknown option '--bogus'/m],
    [["orgs", "--role", "ADMIN"], /^keys: orgs does not take --role$/m],
    [["create", "--org", "acme", "--name", "x"], /^keys: create needs --role$/m],
    [["create-org", "--slug", "acme"], /^keys: create-org needs --name$/m],
    [["create", "--org"], /^keys: Option '--org <value>' argument missing/m],
    [["revoke"], /^keys: revoke needs exactly one key prefix/m],
    [["revoke", "aaaaaaaa", "bbbbbbbb"], /^keys: revoke needs exactly one key prefix/m],
    [["revoke", "aaaaaaaa", "--prefix", "bbbbbbbb"], /^keys: revoke needs exactly one key prefix/m],
    [["orgs", "extra"], /^keys: unexpected argument 'extra'$/m],
    [["--json"], /^keys: a command is needed$/m],
  ])("%j is a usage error: the usage on stderr, exit 2, no database touched", (argv, message) => {
    const path = join(dir, "never-created.db");
    const result = keys(path, ...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("usage: npm run keys -- <command> [options]");
    expect(existsSync(path)).toBe(false);
  });

  it("creates and lists organizations, refusing a duplicate or malformed slug", () => {
    expect(keys(databasePath, "orgs").stdout).toMatch(/^No organizations in .*in-process\.db\. Create one: npm run keys -- create-org/);

    const acme = keys(databasePath, "create-org", "--name", "Acme Agency", "--slug", "acme");
    expect(acme.code).toBe(0);
    expect(acme.stdout).toContain("Created organization acme");
    const brand = keys(databasePath, "create-org", "--name", "Brandy", "--slug", "brandy", "--kind", "brand", "--json");
    expect(brand.code).toBe(0);
    expect(JSON.parse(brand.stdout)).toEqual({ id: expect.any(Number), slug: "brandy", name: "Brandy", kind: "BRAND", createdAt: expect.any(String) });

    const duplicate = keys(databasePath, "create-org", "--name", "Acme again", "--slug", "acme");
    expect(duplicate.code).toBe(1);
    expectOneLine(duplicate, /^keys: An organization with the slug "acme" already exists\. Choose another --slug, or run `npm run keys -- orgs`/);
    expectOneLine(keys(databasePath, "create-org", "--name", "X", "--slug", "Not A Slug"), /^keys: --slug: The slug must be lowercase/);
    expectOneLine(keys(databasePath, "create-org", "--name", "X", "--slug", "x", "--kind", "PERSON"), /^keys: --kind: The kind must be one of AGENCY, BRAND\.$/);
    expectOneLine(keys(databasePath, "create-org", "--name", "  ", "--slug", "blank"), /^keys: --name: The name must be 1 to 100 printable characters\.$/);

    const orgs = keys(databasePath, "orgs");
    expect(orgs.code).toBe(0);
    expect(orgs.stdout.split("\n")[0]).toMatch(/^ID\s+SLUG\s+NAME\s+KIND\s+ACTIVE KEYS$/);
    expect(orgs.stdout).toMatch(/^\d+\s+acme\s+Acme Agency\s+AGENCY\s+0$/m);
    expect(orgs.stdout).toMatch(/^\d+\s+brandy\s+Brandy\s+BRAND\s+0$/m);
    expect(orgs.stdout).not.toContain("blank");
    expectClosed(databasePath);
  });

  it("issues keys, printing each once (--json includes it), and refuses an unknown organization or role", () => {
    const human = keys(databasePath, "create", "--org", "acme", "--role", "ADMIN", "--name", "Alice (ops)");
    expect(human.code).toBe(0);
    expect(human.stdout.match(KEY)).toHaveLength(1);
    expect(human.stdout).toMatch(/^Created API key [0-9a-f]{8} for organization acme \("Acme Agency"\): role ADMIN, name "Alice \(ops\)"\.$/m);
    expect(human.stdout).toContain("Store it now; it cannot be shown again");

    const brandId = withDb(databasePath, (_db, services) => services.apiKeys.findOrganization("brandy").id);
    const json = keys(databasePath, "create", "--org", String(brandId), "--role", "analyst", "--name", "Dashboard", "--json");
    expect(json.code).toBe(0);
    const issued = JSON.parse(json.stdout);
    expect(issued).toEqual({
      key: expect.stringMatching(/^ig_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/),
      apiKey: {
        id: expect.any(Number),
        prefix: issued.key.slice(3, 11),
        name: "Dashboard",
        role: "ANALYST",
        organizationId: brandId,
        organization: "brandy",
        createdAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
      },
    });
    withDb(databasePath, (_db, services) => {
      expect(services.access.authenticate(`Bearer ${issued.key}`).actor).toMatchObject({ organizationId: brandId, role: "ANALYST" });
    });

    const unknownOrg = keys(databasePath, "create", "--org", "nope", "--role", "ADMIN", "--name", "x");
    expect(unknownOrg.code).toBe(1);
    expectOneLine(unknownOrg, /^keys: No organization 'nope': run `npm run keys -- orgs` to list them\.$/);
    const badRole = keys(databasePath, "create", "--org", "acme", "--role", "OWNER", "--name", "x");
    expect(badRole.code).toBe(1);
    expectOneLine(badRole, /^keys: --role: The role must be one of ADMIN, MANAGER, ANALYST\.$/);
    withDb(databasePath, (_db, services) => expect(services.apiKeys.listAll()).toHaveLength(2)); // nothing half-made
    expectClosed(databasePath);
  });

  it("lists keys (active ones unless --all, filtered by --org) without ever showing a hash", () => {
    const manager = JSON.parse(keys(databasePath, "create", "--org", "acme", "--role", "MANAGER", "--name", "Bob", "--json").stdout);
    const hashes = withDb(databasePath, (db) => (db.$client.prepare("select key_hash from api_keys").all() as { key_hash: string }[]).map((r) => r.key_hash));
    expect(keys(databasePath, "revoke", manager.apiKey.prefix).code).toBe(0);

    const active = keys(databasePath, "list");
    expect(active.code).toBe(0);
    expect(active.stdout.split("\n")[0]).toMatch(/^PREFIX\s+ORG\s+NAME\s+ROLE\s+CREATED\s+LAST USED\s+REVOKED$/);
    expect(active.stdout).toMatch(/^[0-9a-f]{8}\s+acme\s+Alice \(ops\)\s+ADMIN\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+never\s+-$/m);
    expect(active.stdout).toMatch(/^[0-9a-f]{8}\s+brandy\s+Dashboard\s+ANALYST\s+.*\d\d:\d\d:\d\d\s+-$/m); // it authenticated: last used set
    expect(active.stdout).not.toContain(manager.apiKey.prefix);

    const all = keys(databasePath, "list", "--all");
    expect(all.stdout).toMatch(new RegExp(`^${manager.apiKey.prefix}\\s+acme\\s+Bob\\s+MANAGER\\s+.*never\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`, "m"));

    const acmeOnly = JSON.parse(keys(databasePath, "list", "--org", "acme", "--all", "--json").stdout);
    expect(acmeOnly.map((k: { name: string }) => k.name)).toEqual(["Bob", "Alice (ops)"]); // newest first
    expect(acmeOnly[0]).toEqual({
      id: manager.apiKey.id,
      prefix: manager.apiKey.prefix,
      name: "Bob",
      role: "MANAGER",
      organizationId: manager.apiKey.organizationId,
      organization: "acme",
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: expect.any(String),
    });

    for (const output of [active.stdout, all.stdout, JSON.stringify(acmeOnly), keys(databasePath, "list", "--all", "--json").stdout]) {
      expect(output).not.toMatch(/hash/i);
      for (const hash of hashes) expect(output).not.toContain(hash);
    }
    expectOneLine(keys(databasePath, "list", "--org", "nope"), /^keys: No organization 'nope'/);
    expect(keys(databasePath, "list", "--org", "brandy", "--all").stdout).not.toContain("acme");

    const orgs = JSON.parse(keys(databasePath, "orgs", "--json").stdout);
    expect(orgs.map((o: { slug: string; activeKeys: number }) => [o.slug, o.activeKeys])).toEqual([["acme", 1], ["brandy", 1]]);
    expectClosed(databasePath);
  });

  it("revokes the last ADMIN key with a warning, refuses a second revocation and an unknown prefix", () => {
    const second = JSON.parse(keys(databasePath, "create", "--org", "acme", "--role", "ADMIN", "--name", "Carol", "--json").stdout);
    const [first] = JSON.parse(keys(databasePath, "list", "--org", "acme", "--json").stdout).filter(
      (k: { name: string }) => k.name === "Alice (ops)",
    );

    // Another active ADMIN key remains: no warning.
    const one = keys(databasePath, "revoke", "--prefix", first.prefix, "--json");
    expect(one.code).toBe(0);
    expect(one.stderr).toBe("");
    expect(JSON.parse(one.stdout)).toMatchObject({ apiKey: { prefix: first.prefix, revokedAt: expect.any(String) }, lastActiveAdminRevoked: false });

    // The last one: allowed through the command line, with a warning on stderr. A whole pasted key works too.
    const last = keys(databasePath, "revoke", second.key);
    expect(last.code).toBe(0);
    expect(last.stdout).toBe(`Revoked API key ${second.apiKey.prefix} ("Carol", ADMIN, organization acme).\n`);
    expect(last.stderr).toMatch(/^keys: warning: that was the last active ADMIN key of organization acme; .*npm run keys -- create --org acme --role ADMIN/);
    withDb(databasePath, (_db, services) => {
      expect(services.access.authenticate(`Bearer ${second.key}`)).toEqual({ actor: null, problem: "The API key has been revoked." });
    });

    const twice = keys(databasePath, "revoke", second.apiKey.prefix);
    expect(twice.code).toBe(1);
    expectOneLine(twice, /^keys: Cannot revoke API key [0-9a-f]{8}: The API key is already revoked\.$/);
    const unknown = keys(databasePath, "revoke", "deadbeef");
    expect(unknown.code).toBe(1);
    expectOneLine(unknown, /^keys: No API key with the prefix 'deadbeef': run `npm run keys -- list --all` to list them\.$/);
    expectClosed(databasePath);
  });

  it("audits every change with no API key as the author, and never a hash", () => {
    withDb(databasePath, (db) => {
      const entries = db.$client
        .prepare("select action, api_key_id as apiKeyId, entity_type as entityType, before, after from audit_log order by id")
        .all() as { action: string; apiKeyId: number | null; entityType: string; before: string | null; after: string | null }[];
      expect(entries.map((e) => e.action)).toEqual([
        "organization.create",
        "organization.create",
        "apiKey.create",
        "apiKey.create",
        "apiKey.create",
        "apiKey.revoke",
        "apiKey.create",
        "apiKey.revoke",
        "apiKey.revoke",
      ]);
      expect(entries.every((e) => e.apiKeyId === null)).toBe(true);
      const revoke = entries.find((e) => e.action === "apiKey.revoke")!;
      expect(JSON.parse(revoke.before!).revokedAt).toBeNull();
      expect(JSON.parse(revoke.after!).revokedAt).not.toBeNull();
      expect(JSON.stringify(entries)).not.toMatch(/keyHash|key_hash/);
    });
  });

  it("reports a database it cannot open in one line, exit 1", () => {
    const result = keys(dir, "orgs"); // a directory, not a file
    expect(result.code).toBe(1);
    expectOneLine(result, /^keys: cannot open the database /);
  });
});

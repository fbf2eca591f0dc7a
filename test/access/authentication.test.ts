/**
 * Authentication remembers a key that authenticated for AUTH_RECHECK_MS (server/access/access.service.ts): within
 * that window it reads no row; a revocation by this process is seen at once, one by another connection (another
 * process: `npm run keys`, a second server) once the window has passed. Real SQLite files, two connections.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { AUTH_RECHECK_MS } from "../../server/access/access.service.js";
import { closeDatabase, openDatabase, withQueryStats, type Db } from "../../server/db.js";
import { createServices, type Services } from "../../server/services.js";
import { createTenant } from "../support/factories.js";

describe("remembered authentications", () => {
  let dir: string;
  let db: Db;
  let other: Db;
  let services: Services;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ig-auth-"));
    db = openDatabase({ path: join(dir, "auth.db") });
    other = openDatabase({ path: join(dir, "auth.db") });
    services = createServices(db);
  });
  afterEach(() => {
    closeDatabase(other);
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Authenticates at `at` (ms), counting the SQL statements it ran. */
  const authenticate = (key: string, at: number) => {
    const stats = { statements: 0 };
    const result = withQueryStats(stats, () => services.access.authenticate(`Bearer ${key}`, new Date(at)));
    return { actor: result.actor, problem: result.actor ? null : result.problem, statements: stats.statements };
  };

  it("reads the key's row once per window, and notices another process's revocation once the window has passed", () => {
    const { key, organization } = createTenant(db, "MANAGER");
    const t0 = Date.now();
    const first = authenticate(key, t0);
    expect(first.actor).toMatchObject({ organizationId: organization.id, role: "MANAGER" });
    expect(first.statements).toBeGreaterThan(0);
    expect(authenticate(key, t0 + AUTH_RECHECK_MS - 1)).toMatchObject({ actor: first.actor, statements: 0 });

    other.$client.prepare("UPDATE api_keys SET revoked_at = ? WHERE organization_id = ?").run(t0, organization.id);
    expect(authenticate(key, t0 + AUTH_RECHECK_MS - 1).actor).toEqual(first.actor); // the documented window
    expect(authenticate(key, t0 + AUTH_RECHECK_MS)).toMatchObject({ actor: null, problem: "The API key has been revoked." });
    expect(authenticate(key, t0 + AUTH_RECHECK_MS + 1).actor).toBeNull(); // a refusal is never remembered
  });

  it("forgets a key this process revokes at once", () => {
    const admin = createTenant(db, "ADMIN");
    const t0 = Date.now();
    const actor = authenticate(admin.key, t0).actor!;
    const second = services.apiKeys.create(actor, { name: "second", role: "ADMIN" });
    expect(authenticate(second.key, t0).actor).not.toBeNull();
    services.apiKeys.revoke(actor, { id: second.apiKey.id });
    expect(authenticate(second.key, t0 + 1)).toMatchObject({ actor: null, problem: "The API key has been revoked." });
    expect(authenticate(admin.key, t0 + 1)).toMatchObject({ actor, statements: 0 }); // the others stay remembered
  });

  it("refuses an unknown key every time, reading its row each time", () => {
    const t0 = Date.now();
    const unknown = `ig_deadbeef_${"x".repeat(43)}`;
    for (const at of [t0, t0 + 1]) expect(authenticate(unknown, at)).toMatchObject({ actor: null, problem: "The API key is not known.", statements: 1 });
  });
});

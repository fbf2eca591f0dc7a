/**
 * The probes. `GET /health` (liveness): the process is up and its event loop answers. `GET /ready` (readiness): the
 * database answers a query, every checked-in migration is applied and none is unknown, the discovery index is
 * served, and the server is not shutting down; 503 with the failing checks otherwise, so a load balancer stops
 * sending traffic before a restart and while a database is being restored.
 */
import { migrationStatus, type Db } from "../db.js";
import type { DiscoveryService } from "../discovery/discovery.service.js";

export interface Check {
  ok: boolean;
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: { database: Check; migrations: Check; discovery: Check; accepting: Check };
}

export function readinessCheck(db: Db, discovery: DiscoveryService, isClosing: () => boolean): () => Readiness {
  return () => {
    const database = attempt(() => {
      db.$client.prepare("SELECT count(*) FROM sqlite_master").pluck().get();
      return { ok: true };
    });
    const migrations = database.ok
      ? attempt(() => {
          const { pending, unknown } = migrationStatus(db.$client);
          if (pending.length > 0) return { ok: false, detail: `not applied: ${pending.join(", ")}` };
          if (unknown > 0) return { ok: false, detail: `${unknown} applied migration(s) unknown to this version: the database was written by a newer InfluenceGraph` };
          return { ok: true };
        })
      : { ok: false, detail: "the database did not answer" };
    const index = discovery.indexStatus();
    const discoveryCheck: Check = index ? { ok: true, detail: `${index.accounts} accounts, index version ${index.version}` } : { ok: false, detail: "no discovery index is served yet" };
    const accepting: Check = isClosing() ? { ok: false, detail: "shutting down" } : { ok: true };
    const checks = { database, migrations, discovery: discoveryCheck, accepting };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  };
}

function attempt(check: () => Check): Check {
  try {
    return check();
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

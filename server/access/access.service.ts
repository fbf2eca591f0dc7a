/**
 * Authentication: turns a bearer API key into an Actor. Keys are looked up by hash; revoked keys are refused.
 * `last_used_at` is written at most once a minute per key so reads do not turn into writes.
 *
 * A key that authenticated is trusted again without a lookup for AUTH_RECHECK_MS: hashing the key and reading its
 * row (a read transaction: file locks, a page lookup, drizzle's row mapping) was a fifth of the server's CPU time per
 * request on small operations. A revocation through this process (`revokeApiKey`) forgets the key at once; one
 * made by another process (`npm run keys -- revoke`, a second server) takes effect within AUTH_RECHECK_MS.
 */
import { eq, sql } from "drizzle-orm";

import { apiKeys } from "../../schema/tables.js";
import type { Db } from "../db.js";
import type { Actor } from "./actor.js";
import { hashApiKey, looksLikeApiKey } from "./api-keys.js";

const LAST_USED_GRANULARITY_MS = 60_000;
/** How long a successful authentication is trusted without reading the key's row again. */
export const AUTH_RECHECK_MS = 1_000;
/** Keys remembered at once; beyond, the longest-remembered is dropped (a flood of keys cannot grow the map). */
const MAX_REMEMBERED_KEYS = 10_000;

interface Remembered {
  actor: Actor;
  checkedAt: number;
}

export type Authentication = { actor: Actor } | { actor: null; problem: string | null };

export class AccessService {
  /** Every request runs it: prepared once, it skips drizzle's query building and SQLite's parsing each time. */
  private readonly keyByHash;
  /** Authorization header → the actor it authenticated and when its row was last read (insertion order: oldest first). */
  private readonly remembered = new Map<string, Remembered>();

  constructor(private readonly db: Db) {
    this.keyByHash = db.select().from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder("hash"))).prepare();
  }

  /** Reads `Authorization: Bearer <key>`; no header is anonymous, a bad or revoked key is a problem to report. */
  authenticate(authorization: string | undefined, now = new Date()): Authentication {
    if (!authorization) return { actor: null, problem: null };
    const remembered = this.remembered.get(authorization);
    if (remembered && now.getTime() - remembered.checkedAt < AUTH_RECHECK_MS) return { actor: remembered.actor };
    const authentication = this.lookUp(authorization, now);
    this.remembered.delete(authorization);
    if (authentication.actor) {
      this.remembered.set(authorization, { actor: authentication.actor, checkedAt: now.getTime() });
      if (this.remembered.size > MAX_REMEMBERED_KEYS) this.remembered.delete(this.remembered.keys().next().value!);
    }
    return authentication;
  }

  /** Forgets a key at once (it was revoked): its next use reads its row. */
  forget(apiKeyId: number): void {
    for (const [authorization, { actor }] of this.remembered) {
      if (actor.apiKeyId === apiKeyId) this.remembered.delete(authorization);
    }
  }

  private lookUp(authorization: string, now: Date): Authentication {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) return { actor: null, problem: "The Authorization header must be `Bearer <API key>`." };
    const key = match[1];
    if (!looksLikeApiKey(key)) return { actor: null, problem: "The API key is malformed." };
    const row = this.keyByHash.get({ hash: hashApiKey(key) });
    if (!row) return { actor: null, problem: "The API key is not known." };
    if (row.revokedAt) return { actor: null, problem: "The API key has been revoked." };
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
      try {
        this.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id)).run();
      } catch {
        // Bookkeeping only: a busy or read-only database must not fail the request; the next use retries.
      }
    }
    return { actor: { organizationId: row.organizationId, apiKeyId: row.id, role: row.role } };
  }
}

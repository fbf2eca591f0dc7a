/**
 * Authentication: turns a bearer API key into an Actor. Keys are looked up by hash; revoked keys are refused.
 * `last_used_at` is written at most once a minute per key so reads do not turn into writes.
 */
import { eq, sql } from "drizzle-orm";

import { apiKeys } from "../../schema/tables.js";
import type { Db } from "../db.js";
import type { Actor } from "./actor.js";
import { hashApiKey, looksLikeApiKey } from "./api-keys.js";

const LAST_USED_GRANULARITY_MS = 60_000;

export type Authentication = { actor: Actor } | { actor: null; problem: string | null };

export class AccessService {
  /** Every request runs it: prepared once, it skips drizzle's query building and SQLite's parsing each time. */
  private readonly keyByHash;

  constructor(private readonly db: Db) {
    this.keyByHash = db.select().from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder("hash"))).prepare();
  }

  /** Reads `Authorization: Bearer <key>`; no header is anonymous, a bad or revoked key is a problem to report. */
  authenticate(authorization: string | undefined, now = new Date()): Authentication {
    if (!authorization) return { actor: null, problem: null };
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

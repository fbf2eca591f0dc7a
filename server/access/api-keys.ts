/**
 * API key format and hashing. A key is `ig_<prefix>_<secret>`: the prefix (8 hex chars) names the key in
 * listings and logs, the secret carries 256 bits of entropy. Only SHA-256 of the whole key is stored: a fast hash
 * is enough for random high-entropy secrets (no dictionary to attack), and lets a lookup use a unique index.
 */
import { createHash, randomBytes } from "node:crypto";

export interface IssuedApiKey {
  /** The full key, shown once. */
  key: string;
  prefix: string;
  keyHash: string;
}

const KEY_PATTERN = /^ig_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Builds a key from 36 bytes of randomness (4 for the prefix, 32 for the secret). */
export function apiKeyFromBytes(bytes: Uint8Array): IssuedApiKey {
  if (bytes.length !== 36) throw new Error("an API key needs 36 random bytes");
  const buffer = Buffer.from(bytes);
  const prefix = buffer.subarray(0, 4).toString("hex");
  const secret = buffer.subarray(4).toString("base64url");
  const key = `ig_${prefix}_${secret}`;
  return { key, prefix, keyHash: hashApiKey(key) };
}

export function generateApiKey(): IssuedApiKey {
  return apiKeyFromBytes(randomBytes(36));
}

/** True when the string has the shape of one of our keys (checked before any database lookup). */
export function looksLikeApiKey(candidate: string): boolean {
  return KEY_PATTERN.test(candidate);
}

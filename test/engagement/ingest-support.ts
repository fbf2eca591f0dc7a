/** Helpers of the ingestion tests: NDJSON files, database fingerprints. */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";

import type { Db } from "../../server/db.js";

/** Writes rows (objects as JSON, strings as they are) one per line. */
export function writeNdjson(path: string, rows: readonly (object | string)[]): string {
  writeFileSync(path, `${rows.map((row) => (typeof row === "string" ? row : JSON.stringify(row))).join("\n")}\n`);
  return path;
}

/**
 * Per table: the row count and a hash of every row (sorted), `sqlite_sequence` included. `without` drops columns
 * from the comparison (timestamps of when rows were written, for databases filled at different times).
 */
export function fingerprint(db: Db, without: readonly string[] = []): Record<string, string> {
  const sqlite = db.$client;
  // import_runs is the log of the import runs themselves, not imported data.
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' AND name <> 'import_runs' ORDER BY name`).pluck().all() as string[];
  return Object.fromEntries(
    tables.map((name) => {
      // The run log's own AUTOINCREMENT counter is not imported data either.
      const rows = sqlite.prepare(name === "sqlite_sequence" ? `SELECT * FROM sqlite_sequence WHERE name <> 'import_runs'` : `SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      const lines = rows
        .map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !without.includes(column)), (_k, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v)))
        .sort();
      return [name, `${rows.length} rows, sha256 ${createHash("sha256").update(lines.join("\n")).digest("hex")}`];
    }),
  );
}

/** Columns that say when a row was written, not what it holds. */
export const WRITE_TIMES = ["created_at", "updated_at", "status_changed_at", "computed_at", "detected_at", "finished_at", "at"];

export const count = (db: Db, table: string): number => db.$client.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;

/**
 * The import's progress record (`import_runs`): started before the first batch, updated inside every batch's
 * transaction just before its COMMIT (so it says exactly what is committed), closed as FINISHED or FAILED. The
 * server's Prometheus metrics read it (server/ops/metrics.ts): the importer runs in a process of its own.
 */
import { desc, eq, sql } from "drizzle-orm";

import { importRuns } from "../../schema/tables.js";
import type { Db } from "../db.js";
import type { ImportFormat } from "./import.reader.js";

export interface ImportRunProgress {
  bytesCommitted: number;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  batches: number;
}

/** A run whose last committed batch is older than this is no longer counted as running (it was killed). */
export const STALE_IMPORT_MS = 60_000;

export class ImportRunLog {
  private constructor(
    private readonly db: Db,
    readonly id: number,
  ) {}

  static start(db: Db, run: { file: string; format: ImportFormat; totalBytes: number }): ImportRunLog {
    const now = new Date();
    const row = db
      .insert(importRuns)
      .values({ ...run, status: "RUNNING", startedAt: now, updatedAt: now })
      .returning({ id: importRuns.id })
      .get();
    return new ImportRunLog(db, row.id);
  }

  /** Call inside the batch's transaction, before its COMMIT. */
  progress(progress: ImportRunProgress): void {
    this.db.update(importRuns).set({ ...progress, updatedAt: new Date() }).where(eq(importRuns.id, this.id)).run();
  }

  finish(progress: ImportRunProgress): void {
    const now = new Date();
    this.db.update(importRuns).set({ ...progress, status: "FINISHED", updatedAt: now, finishedAt: now }).where(eq(importRuns.id, this.id)).run();
  }

  /** After a failure: the counts stay those of the last committed batch. */
  fail(error: string): void {
    const now = new Date();
    this.db.update(importRuns).set({ status: "FAILED", error, updatedAt: now, finishedAt: now }).where(eq(importRuns.id, this.id)).run();
  }
}

export interface ImportRunState {
  file: string;
  running: boolean;
  updatedAt: Date;
  rows: { read: number; inserted: number; updated: number; unchanged: number; rejected: number };
}

/** The latest run of each file (at most `limit` files, most recent first) and the number of runs recorded. */
export function latestImportRuns(db: Db, limit = 20, now = Date.now()): { runs: ImportRunState[]; total: number } {
  const total = db.select({ n: sql<number>`count(*)` }).from(importRuns).get()?.n ?? 0;
  if (total === 0) return { runs: [], total };
  const latest = db
    .select()
    .from(importRuns)
    .where(sql`${importRuns.id} IN (SELECT max(id) FROM ${importRuns} GROUP BY ${importRuns.file})`)
    .orderBy(desc(importRuns.id))
    .limit(limit)
    .all();
  return {
    total,
    runs: latest.map((run) => ({
      file: run.file,
      running: run.status === "RUNNING" && now - run.updatedAt.getTime() < STALE_IMPORT_MS,
      updatedAt: run.updatedAt,
      rows: { read: run.rowsRead, inserted: run.inserted, updated: run.updated, unchanged: run.unchanged, rejected: run.rejected },
    })),
  };
}

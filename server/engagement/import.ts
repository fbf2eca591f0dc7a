/**
 * The bulk importer behind `npm run import`: streams an NDJSON file (any row type) or a CSV file (post_metrics) into
 * the database in batches, one transaction per batch, never holding the file in memory.
 *
 * Two threads: a reader (import.worker.ts) parses and validates the next batch while this thread writes the current
 * one, in file order, so a row may name rows earlier in the same file (an influencer, then its accounts, then their
 * posts and metrics). A bad row goes to the reject file as one JSON line with its line number, field, reason and
 * raw text; the good rows of its batch are committed. Every row type upserts by a natural key, so an import killed
 * at any moment and run again loses nothing and duplicates nothing: committed batches come out unchanged, the rest
 * is written.
 */
import { closeSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";

import type { Db } from "../db.js";
import { ROW_TYPES, type RowType } from "./ingest.rows.js";
import { ImportRunLog, type ImportRunProgress } from "./import-runs.js";
import { IngestWriter, totalCounts, type CountsByType } from "./ingest.service.js";
import { formatOf, ImportError, type ImportFormat, type ParsedChunk, type RejectRecord } from "./import.reader.js";
import type { ReaderData, ReaderMessage } from "./import.worker.js";

export { formatOf, ImportError, type ImportFormat, type RejectRecord } from "./import.reader.js";

/**
 * Rows per transaction. Large, because a transaction's cost is dominated by the index pages it dirties: metrics of
 * many posts captured at one time touch a page per few posts however few rows there are, so fewer, larger commits
 * write far less. Memory does not grow with it: the reader hands rows over in chunks of READ_CHUNK_ROWS (about
 * 120 bytes a row), written one after the other into the open transaction.
 */
export const DEFAULT_BATCH_SIZE = 500_000;
export const MAX_BATCH_SIZE = 10_000_000;
/** Rows the reader parses ahead in one piece (the smaller of this and the batch size). */
export const READ_CHUNK_ROWS = 50_000;

export interface ImportOptions {
  path: string;
  /** Default: `csv` for a `.csv` file, `ndjson` otherwise. */
  format?: ImportFormat;
  /** Rows per transaction (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /** Where refused rows go (default `<path>.rejects.ndjson`); written only when a row is refused. */
  rejectsPath?: string;
  /** Called after every committed batch and at the end. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  rejected: number;
  batches: number;
  elapsedMs: number;
}

export interface ImportSummary {
  path: string;
  format: ImportFormat;
  /** Rows read (blank lines are not rows). */
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Per row type; rows whose `type` is missing or unknown count only in `rejected`. */
  byType: CountsByType;
  batches: number;
  seconds: number;
  rowsPerSecond: number;
  /** The reject file, when a row was refused. */
  rejectsPath: string | null;
}

const rowTypeOf = (type: string | null): RowType | null => ((ROW_TYPES as readonly string[]).includes(type ?? "") ? (type as RowType) : null);

const BOOTSTRAP = new URL("../common/ts-worker.mjs", import.meta.url);
const MODULE = new URL("./import.worker.ts", import.meta.url).href;
/**
 * How many chunks the reader may be ahead of the writer. Both threads run at about the same rate, so a few chunks
 * of slack let one catch up while the other pauses (a commit, a collection): at 1 the writer waited on the reader
 * for 15 % of a 2,000,000-row import, at 3 for 12 %, 3 % faster overall (about 20 MB more memory).
 */
const READ_AHEAD = 3;

/** The reader thread's chunks, in order, as an async iterator; `done()` gives the reader another credit. */
function startReader(options: { path: string; format: ImportFormat; chunkRows: number; now: number }) {
  const credits = new Int32Array(new SharedArrayBuffer(4));
  credits[0] = READ_AHEAD;
  const data: ReaderData = { ...options, module: MODULE, credits: credits.buffer as SharedArrayBuffer };
  const worker = new Worker(BOOTSTRAP, { workerData: data, execArgv: [] });
  const queue: ReaderMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (message: ReaderMessage) => {
    queue.push(message);
    wake?.();
  };
  worker.on("message", push);
  worker.on("error", (error) => push({ type: "failed", message: error.message, importError: false }));
  worker.on("exit", (code) => {
    if (code !== 0) push({ type: "failed", message: `the reader thread stopped (exit code ${code})`, importError: false });
  });
  return {
    async *chunks(): AsyncGenerator<ParsedChunk> {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const message = queue.shift()!;
        if (message.type === "done") return;
        if (message.type === "failed") throw message.importError ? new ImportError(message.message) : new Error(message.message);
        yield message.chunk;
      }
    },
    /** The writer is done with a chunk: the reader may read one more. */
    done(): void {
      Atomics.add(credits, 0, 1);
      Atomics.notify(credits, 0);
    },
    async stop(): Promise<void> {
      await worker.terminate();
    },
  };
}

/**
 * Imports a file; resolves with the summary once every row is committed or rejected. Throws ImportError when it
 * cannot go on (with `committedRows`): batches committed until then stay, and running the import again is safe.
 *
 * `db` must be a connection of the import's own: a transaction stays open across the reader's chunks, and anything
 * else run on the same connection meanwhile would join it.
 */
export async function importFile(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const format = formatOf(options.path, options.format);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new ImportError(`the batch size must be a whole number from 1 to ${MAX_BATCH_SIZE.toLocaleString("en")}`);
  }
  let totalBytes: number;
  try {
    const stat = statSync(options.path);
    if (!stat.isFile()) throw new ImportError(`${options.path} is not a file`);
    totalBytes = stat.size;
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new ImportError(`cannot read ${options.path}: ${missing ? "no such file" : (error as Error).message}`);
  }
  const rejectsPath = options.rejectsPath ?? `${options.path}.rejects.ndjson`;
  // A reject file left by an earlier run of this import would be mistaken for this run's.
  rmSync(rejectsPath, { force: true });

  const started = performance.now();
  const runLog = ImportRunLog.start(db, { file: resolve(options.path), format, totalBytes });
  const writer = new IngestWriter(db);
  let rowsRead = 0;
  let rejected = 0;
  let batches = 0;
  let bytesRead = 0;
  let rejectsFd: number | null = null;
  let rawFd: number | null = null;

  /** A refused metrics row's text, read back from the file. */
  const readRaw = (offset: number, length: number): string => {
    rawFd ??= openSync(options.path, "r");
    const bytes = Buffer.allocUnsafe(length);
    readSync(rawFd, bytes, 0, length, offset);
    return bytes.toString("utf8");
  };

  const client = db.$client;
  const begin = client.prepare("BEGIN IMMEDIATE");
  const commitStatement = client.prepare("COMMIT");
  let open = false;
  let rowsInTransaction = 0;
  let pending: RejectRecord[] = [];
  let committedCounts = structuredClone(writer.counts);

  const progressRecord = (rows: number, refused: number): ImportRunProgress => {
    const { inserted, updated, unchanged } = totalCounts(writer.counts);
    return { bytesCommitted: bytesRead, rowsRead: rows, inserted, updated, unchanged, rejected: refused, batches: batches + (open ? 1 : 0) };
  };

  /** Writes a chunk into the open transaction (opening one if needed); its rejects wait for the commit. */
  const apply = (chunk: ParsedChunk) => {
    if (!open) {
      begin.run();
      open = true;
      writer.begin();
    }
    // Rows the reader refused count against their type; the writer counts those it refuses itself.
    for (const reject of chunk.rejects) writer.rejected(rowTypeOf(reject.type));
    pending.push(...chunk.rejects);
    for (const segment of chunk.segments) {
      if (segment.metrics) {
        writer.applyMetrics(chunk.sink, segment.start, segment.end, (slot, problem) => {
          const raw = chunk.raws ? chunk.raws[slot]! : readRaw(chunk.offsets[slot]!, chunk.lengths[slot]!);
          pending.push({ line: chunk.lines[slot]!, type: "post_metrics", field: problem.field, reason: problem.reason, raw });
        });
      } else {
        for (let i = segment.start; i < segment.end; i++) {
          const item = chunk.items[i]!;
          const problem = writer.apply(item.row);
          if (problem) pending.push({ line: item.line, type: item.row.type, field: problem.field, reason: problem.reason, raw: item.raw });
        }
      }
    }
    rowsInTransaction += chunk.rows;
  };

  /** Finishes and commits the open transaction, then writes its rejects (in line order). */
  const commit = () => {
    if (!open) return;
    writer.finish();
    runLog.progress(progressRecord(rowsRead + rowsInTransaction, rejected + pending.length));
    commitStatement.run();
    open = false;
    batches++;
    rowsRead += rowsInTransaction;
    rowsInTransaction = 0;
    committedCounts = structuredClone(writer.counts);
    if (pending.length) {
      pending.sort((a, b) => a.line - b.line);
      rejectsFd ??= openSync(rejectsPath, "w");
      writeSync(rejectsFd, `${pending.map((r) => JSON.stringify(r)).join("\n")}\n`);
      rejected += pending.length;
      pending = [];
    }
  };

  // Chunks of at most READ_CHUNK_ROWS rows that add up to the batch size (give or take a row per chunk).
  const chunkRows = Math.ceil(batchSize / Math.ceil(batchSize / READ_CHUNK_ROWS));
  const reader = startReader({ path: options.path, format, chunkRows, now: Date.now() });
  try {
    for await (const chunk of reader.chunks()) {
      if (chunk.rows > 0) apply(chunk);
      bytesRead = chunk.bytesRead;
      if (rowsInTransaction >= batchSize) commit();
      reader.done();
      options.onProgress?.({
        bytesRead,
        totalBytes,
        rowsRead: rowsRead + rowsInTransaction,
        rejected: rejected + pending.length,
        batches,
        elapsedMs: performance.now() - started,
      });
    }
    commit();
  } catch (error) {
    // Nothing of the open transaction stays: roll it back, and report only what was committed.
    if (client.inTransaction) client.prepare("ROLLBACK").run();
    writer.abandon();
    Object.assign(writer.counts, committedCounts);
    const failure =
      error instanceof ImportError ? error : new ImportError(`the database refused a write: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    failure.committedRows = rowsRead;
    try {
      runLog.fail(failure.message);
    } catch {
      // The database that refused the batch may refuse this too (a full disk): the run then stays RUNNING and
      // goes stale, which the metrics report as not running.
    }
    throw failure;
  } finally {
    await reader.stop();
    if (rejectsFd !== null) closeSync(rejectsFd);
    if (rawFd !== null) closeSync(rawFd);
  }

  runLog.finish(progressRecord(rowsRead, rejected));
  const seconds = (performance.now() - started) / 1000;
  const total = totalCounts(writer.counts);
  return {
    path: options.path,
    format,
    rowsRead,
    inserted: total.inserted,
    updated: total.updated,
    unchanged: total.unchanged,
    rejected,
    byType: writer.counts,
    batches,
    seconds,
    rowsPerSecond: rowsRead / Math.max(seconds, 1e-9),
    rejectsPath: rejected > 0 ? rejectsPath : null,
  };
}

/**
 * The importer's reading half: streams an NDJSON or CSV file, parses and validates each row (ingest.rows.ts) and
 * hands over chunks ready to write. It runs in a worker thread (import.worker.ts), so parsing the next chunk
 * overlaps writing the current one; it needs no database.
 *
 * A chunk carries post_metrics rows in flat typed arrays (transferred to the writer without a copy) and the other
 * row types as validated objects, in file order. Rows refused here (not JSON, not a valid row) travel with it.
 */
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { extname } from "node:path";

import { parse as parseCsv, type CsvError, type Info } from "csv-parse";

import {
  createMetricsSink,
  csvHeaderProblem,
  csvRecordToRow,
  readPostMetrics,
  ROW_TYPES,
  validateRow,
  writeMetricsRow,
  type IngestRow,
  type MetricsSink,
  type RowType,
} from "./ingest.rows.js";

export type ImportFormat = "ndjson" | "csv";

export function formatOf(path: string, format?: ImportFormat): ImportFormat {
  return format ?? (extname(path).toLowerCase() === ".csv" ? "csv" : "ndjson");
}

/** A failure that stops the import; the message says what went wrong. Batches committed before it stay committed. */
export class ImportError extends Error {
  /** Rows committed before the failure (set by the importer). */
  committedRows = 0;
}

/** A refused row, as written to the reject file. */
export interface RejectRecord {
  line: number;
  type: string | null;
  field: string;
  reason: string;
  raw: string;
}

/** A piece of the file: its rows, in file order, read and checked. */
export interface ParsedChunk {
  /** Rows read into this chunk, refused ones included. */
  rows: number;
  /** Bytes of the file consumed up to this chunk's last row. */
  bytesRead: number;
  /** post_metrics rows: slots [0, metrics) of the sink and of the arrays below. */
  metrics: number;
  sink: MetricsSink;
  /** Line number of each metrics slot. */
  lines: Float64Array;
  /** Byte range of each metrics slot's line in the file (NDJSON), read back only if the writer refuses the row. */
  offsets: Float64Array;
  lengths: Float64Array;
  /** The text of each metrics slot (CSV records, whose byte ranges csv-parse does not give). */
  raws: string[] | null;
  /** Rows of the other types. */
  items: { line: number; raw: string; row: IngestRow }[];
  /** Runs of metrics slots or items, in file order. */
  segments: { metrics: boolean; start: number; end: number }[];
  /** Rows refused while reading. */
  rejects: RejectRecord[];
}

export interface ReadOptions {
  path: string;
  format: ImportFormat;
  chunkRows: number;
  /** "Now" for the rows' time bounds. */
  now: number;
}

/** Builds chunks; `emit` receives each full chunk (and the last one) and owns it from then on. */
class ChunkBuilder {
  chunk!: ParsedChunk;

  constructor(
    private readonly capacity: number,
    private readonly keepRaw: boolean,
    private readonly now: number,
  ) {
    this.reset();
  }

  reset(): void {
    const capacity = this.capacity;
    this.chunk = {
      rows: 0,
      bytesRead: 0,
      metrics: 0,
      sink: createMetricsSink(capacity),
      lines: new Float64Array(capacity),
      offsets: new Float64Array(capacity),
      lengths: new Float64Array(capacity),
      raws: this.keepRaw ? new Array<string>(capacity) : null,
      items: [],
      segments: [],
      rejects: [],
    };
  }

  get full(): boolean {
    return this.chunk.rows >= this.capacity;
  }

  private extend(metrics: boolean, index: number): void {
    const segments = this.chunk.segments;
    const last = segments[segments.length - 1];
    if (last && last.metrics === metrics) last.end = index + 1;
    else segments.push({ metrics, start: index, end: index + 1 });
  }

  private tookMetrics(line: number, raw: string, offset: number, length: number): void {
    const b = this.chunk;
    const slot = b.metrics++;
    b.lines[slot] = line;
    b.offsets[slot] = offset;
    b.lengths[slot] = length;
    if (b.raws) b.raws[slot] = raw;
    this.extend(true, slot);
  }

  /** A parsed row (a JSON value, or a CSV record made an object) and where its text is in the file. */
  take(value: unknown, line: number, raw: string, offset: number, length: number): void {
    const b = this.chunk;
    b.rows++;
    if (
      value !== null &&
      typeof value === "object" &&
      (value as { type?: unknown }).type === "post_metrics" &&
      readPostMetrics(value as Record<string, unknown>, b.sink, b.metrics, this.now)
    ) {
      this.tookMetrics(line, raw, offset, length);
      return;
    }
    const result = validateRow(value);
    if (!result.ok) {
      b.rejects.push({ line, type: typeOf(value), field: result.problems[0]!.field, reason: result.problems.map((p) => p.reason).join("; "), raw });
      return;
    }
    if (result.row.type === "post_metrics") {
      writeMetricsRow(b.sink, b.metrics, result.row);
      this.tookMetrics(line, raw, offset, length);
    } else {
      b.items.push({ line, raw, row: result.row });
      this.extend(false, b.items.length - 1);
    }
  }

  refuse(line: number, raw: string, type: RowType | null, field: string, reason: string): void {
    this.chunk.rows++;
    this.chunk.rejects.push({ line, type, field, reason, raw });
  }
}

const typeOf = (value: unknown): RowType | null => {
  const type = value !== null && typeof value === "object" ? (value as { type?: unknown }).type : undefined;
  return typeof type === "string" && (ROW_TYPES as readonly string[]).includes(type) ? (type as RowType) : null;
};

export type Emit = (chunk: ParsedChunk) => void;

/** Reads the whole file, emitting chunks of `chunkRows` rows (the last one may be smaller, or empty). */
export async function readChunks(options: ReadOptions, emit: Emit): Promise<void> {
  const builder = new ChunkBuilder(options.chunkRows, options.format === "csv", options.now);
  const flush = (bytesRead: number) => {
    builder.chunk.bytesRead = bytesRead;
    emit(builder.chunk);
    builder.reset();
  };
  if (options.format === "ndjson") readNdjson(options.path, builder, flush);
  else await readCsv(options.path, builder, flush);
}

const CHUNK_BYTES = 4 << 20;
/** A longer line is not an NDJSON row: the file is probably not NDJSON. */
const MAX_LINE_BYTES = 256 << 20;

/**
 * NDJSON in 4 MiB chunks: lines are cut on the bytes (no string search) and decoded one by one, which is what
 * JSON.parse reads fastest. CRLF line ends and a UTF-8 byte order mark are accepted; blank lines are skipped.
 */
function readNdjson(path: string, builder: ChunkBuilder, flush: (bytesRead: number) => void): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new ImportError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry = 0;
    let consumed = 0;
    let line = 0;
    for (;;) {
      if (carry === buffer.length) {
        if (buffer.length >= MAX_LINE_BYTES) {
          throw new ImportError(`line ${line + 1} is longer than ${MAX_LINE_BYTES >> 20} MiB: is the file NDJSON (one JSON object per line)?`);
        }
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carry);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, carry, buffer.length - carry, null);
      const view = buffer.subarray(0, carry + n);
      let start = 0;
      for (;;) {
        let newline = view.indexOf(10, start);
        if (newline === -1) {
          if (n === 0 && start < view.length) newline = view.length;
          else break;
        }
        line++;
        if (line === 1 && view[start] === 0xef && view[start + 1] === 0xbb && view[start + 2] === 0xbf) start += 3;
        let stop = newline;
        if (stop > start && view[stop - 1] === 13) stop--;
        if (stop > start) {
          const raw = view.toString("utf8", start, stop);
          if (raw.charCodeAt(0) > 32 || raw.trim() !== "") {
            let value: unknown;
            let parsed = true;
            try {
              value = JSON.parse(raw);
            } catch (error) {
              parsed = false;
              builder.refuse(line, raw, null, "", `not valid JSON: ${(error as Error).message}`);
            }
            if (parsed) builder.take(value, line, raw, consumed + start, stop - start);
            if (builder.full) flush(consumed + newline + 1);
          }
        }
        start = newline + 1;
      }
      consumed += start;
      carry = view.length - start;
      if (carry > 0) buffer.copy(buffer, 0, start, view.length);
      if (n === 0) break;
    }
    flush(consumed + carry);
  } finally {
    closeSync(fd);
  }
}

/**
 * post_metrics CSV through csv-parse: a header row naming the columns, then one record per row. A record csv-parse
 * cannot read (an unclosed quote...) is refused with its line, like any bad row.
 */
async function readCsv(path: string, builder: ChunkBuilder, flush: (bytesRead: number) => void): Promise<void> {
  const parser = parseCsv({
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  const skipped: CsvError[] = [];
  parser.on("skip", (error: CsvError) => skipped.push(error));
  const input = createReadStream(path);
  input.on("error", (error) => parser.destroy(new ImportError(`cannot read ${path}: ${error.message}`)));
  input.pipe(parser);
  let header: string[] | null = null;
  let bytes = 0;
  const refuseSkipped = () => {
    for (const error of skipped.splice(0)) {
      const context = error as CsvError & { lines?: number; raw?: string };
      builder.refuse(Number(context.lines ?? 0), String(context.raw ?? "").replace(/[\r\n]+$/, ""), "post_metrics", "", `not valid CSV: ${error.message}`);
    }
  };
  for await (const { record, info, raw } of parser as AsyncIterable<{ record: string[]; info: Info; raw: string }>) {
    refuseSkipped();
    bytes = info.bytes;
    const text = raw.replace(/[\r\n]+$/, "");
    if (!header) {
      header = record.map((cell) => cell.trim());
      const problem = csvHeaderProblem(header);
      if (problem) {
        throw new ImportError(
          `${path}: the CSV header has ${problem}; the first line must name the columns platform, externalId, capturedAt, likes, comments ` +
            "and optionally shares, saves, views, reach, impressions (CSV carries post_metrics only: use NDJSON for other rows)",
        );
      }
      continue;
    }
    if (record.length !== header.length) {
      builder.refuse(info.lines, text, "post_metrics", "", `the record has ${record.length} cells but the header names ${header.length} columns`);
    } else {
      builder.take(csvRecordToRow(header, record), info.lines, text, -1, 0);
    }
    if (builder.full) flush(bytes);
  }
  refuseSkipped();
  if (!header) throw new ImportError(`${path} is empty: a CSV import needs a header row, then post_metrics records`);
  flush(bytes);
}

/** The ArrayBuffers of a chunk, to transfer rather than copy across threads. */
export function transferablesOf(chunk: ParsedChunk): ArrayBuffer[] {
  const s = chunk.sink;
  return [s.platform.buffer, s.capturedAt.buffer, s.counters.buffer, chunk.lines.buffer, chunk.offsets.buffer, chunk.lengths.buffer] as ArrayBuffer[];
}

/**
 * Structured JSON logs with pino, one object per line on stdout: `time` (ISO 8601, UTC), `level` as a word,
 * `msg`, and the fields of the event. Requests log one line each at `info` (server/http.ts): request id, operation
 * name and type, status, duration and SQL statement count. The start banner for people (URL, demo key) stays
 * plain text on stderr (server/main.ts).
 */
import { pino, stdTimeFunctions, symbols, type DestinationStream, type Logger } from "pino";

import type { Config } from "../config.js";

export type { Logger } from "pino";

/**
 * The lines written during one turn of the event loop, written together at its end (`setImmediate`), in order, and
 * at once when the process exits. Under load a turn completes many requests: one write for all of their lines instead
 * of one each (a write to a file is a system call of several µs, 6 % of a small request's server time). A line is
 * still out before the server waits for more I/O, so a crash loses at most the lines of the turn it happens in.
 */
export class TurnBatchedDestination implements DestinationStream {
  private pending = "";
  private scheduled = false;

  constructor(private readonly target: DestinationStream) {
    open.add(this);
  }

  write(line: string): void {
    this.pending += line;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Writes what is pending now (pino's `logger.flush()` calls it). */
  readonly flush = (done?: () => void): void => {
    this.scheduled = false;
    if (this.pending !== "") {
      const lines = this.pending;
      this.pending = "";
      this.target.write(lines);
    }
    done?.();
  };

  /** Writes what is pending and stops being flushed at exit (the app closed its logger). */
  close(): void {
    this.flush();
    open.delete(this);
  }
}

/** Destinations to flush when the process exits (one listener for all, however many apps a process runs). */
const open = new Set<TurnBatchedDestination>();
process.on("exit", () => {
  for (const destination of open) destination.flush();
});

/** Writes the logger's pending lines and detaches it from the exit flush. */
export function closeLogger(logger: Logger): void {
  const destination = (logger as unknown as Record<symbol, unknown>)[symbols.streamSym];
  if (destination instanceof TurnBatchedDestination) destination.close();
}

export function createLogger(level: Config["logLevel"], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "influencegraph" },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // API keys and cookies must never reach a log, whatever a caller passes to it.
      redact: { paths: ["authorization", "headers.authorization", "req.headers.authorization", "*.apiKey", "key"], censor: "[redacted]" },
    },
    // Synchronous writes (pino's default), batched per turn of the event loop.
    new TurnBatchedDestination(destination ?? pino.destination({ dest: 1, sync: true })),
  );
}

/** The fields of a request's line: plain values (strings, numbers, null, arrays of strings), nothing to redact. */
export type RequestLogFields = Record<string, string | number | boolean | null | undefined | readonly string[]>;

/**
 * Writes one request's line at `info`, exactly as `logger.info(fields, msg)` would (the same keys in the same
 * order, to the same destination; test/ops/logger.test.ts compares the two), without pino's general path
 * of hooks, serializers, redaction and formatters. Every request writes one: measured on `{ __typename }` under
 * load (server CPU time per request, the server alone against itself), pino's path cost about 45 µs a line inside
 * the server and this about 7, a quarter of the whole request. The fields are the server's own, never a header.
 */
export function logRequestLine(logger: Logger, fields: RequestLogFields, msg: string): void {
  if (!logger.isLevelEnabled("info")) return;
  const internals = logger as unknown as Record<symbol, unknown>;
  const body = JSON.stringify(fields);
  const line = `{"level":"info","time":"${new Date().toISOString()}"${internals[symbols.chindingsSym] as string}${body.length > 2 ? `,${body.slice(1, -1)}` : ""},"msg":${JSON.stringify(msg)}}\n`;
  (internals[symbols.streamSym] as DestinationStream).write(line);
}

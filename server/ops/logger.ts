/**
 * Structured JSON logs with pino, one object per line on stdout: `time` (ISO 8601, UTC), `level` as a word,
 * `msg`, and the fields of the event. Requests log one line each at `info` (server/http.ts): request id, operation
 * name and type, status, duration and SQL statement count. The start banner for people (URL, demo key) stays
 * plain text on stderr (server/main.ts).
 */
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from "pino";

import type { Config } from "../config.js";

export type { Logger } from "pino";

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
    // Synchronous writes (pino's default): a line logged before a crash is on its way out, not in a buffer.
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * The importer's reader thread: reads and validates the file (import.reader.ts) and posts each chunk to the
 * writer, at most `credits` chunks ahead of it (a shared counter the writer raises after each commit), so a fast
 * reader never piles up a large file in memory.
 */
import { parentPort, workerData } from "node:worker_threads";

import { ImportError, readChunks, transferablesOf, type ParsedChunk, type ReadOptions } from "./import.reader.js";

export interface ReaderData extends ReadOptions {
  /** The TypeScript module the bootstrap (common/ts-worker.mjs) imports. */
  module: string;
  /** Int32 at index 0: how many more chunks the reader may post. */
  credits: SharedArrayBuffer;
}

export type ReaderMessage =
  | { type: "chunk"; chunk: ParsedChunk }
  | { type: "done" }
  | { type: "failed"; message: string; importError: boolean };

const data = workerData as ReaderData;
const port = parentPort!;
const credits = new Int32Array(data.credits);

function post(chunk: ParsedChunk): void {
  while (Atomics.load(credits, 0) <= 0) Atomics.wait(credits, 0, 0, 1_000);
  Atomics.sub(credits, 0, 1);
  port.postMessage({ type: "chunk", chunk } satisfies ReaderMessage, transferablesOf(chunk));
}

try {
  await readChunks(data, post);
  port.postMessage({ type: "done" } satisfies ReaderMessage);
} catch (error) {
  port.postMessage({
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
    importError: error instanceof ImportError,
  } satisfies ReaderMessage);
}

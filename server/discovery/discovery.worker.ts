/**
 * The discovery worker: a thread holding one version of the discovery index, answering briefs and lookalike
 * requests (discovery.engine.ts) one at a time, so a scan over a million accounts never blocks the event loop that
 * serves the rest of the API. Started by DiscoveryWorkers (discovery.workers.ts), which sends plain-data requests
 * and turns the errors posted back into the API's typed errors.
 */
// The engine shares modules (cursors, errors) with the GraphQL layer, whose decorators need the metadata polyfill.
import "reflect-metadata";

import { parentPort, workerData } from "node:worker_threads";

import { loadConfig } from "../config.js";
import { openDatabase, setPageCache } from "../db.js";
import { AppError } from "../errors.js";
import { DiscoveryEngine } from "./discovery.engine.js";
import { DiscoveryIndex, latestRefresh } from "./discovery-index.js";
import { preloadKeywordDocuments } from "./keyword-search.js";
import type { WorkerData, WorkerMessage, WorkerRequest, SerializedError } from "./discovery.workers.js";

const port = parentPort;
if (!port) throw new Error("discovery.worker.ts runs as a worker thread (see discovery.workers.ts)");
const { databasePath } = workerData as WorkerData;

function serialize(error: unknown): SerializedError {
  if (error instanceof AppError) return { kind: "app", message: error.message, extensions: { ...error.extensions } };
  return { kind: "internal", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

const post = (message: WorkerMessage) => port.postMessage(message);

try {
  const started = performance.now();
  // Read-only: the worker never writes, and WAL lets it read beside the server's writes.
  const db = openDatabase({ path: databasePath, readonly: true });
  const { version, asOf } = latestRefresh(db);
  const index = new DiscoveryIndex(db, version, asOf);
  // The lookalike blocks and the keyword documents now, while the previous index still answers, rather than on
  // the first lookalike or keyword brief.
  index.audienceBlocks();
  const { discoveryCacheMiB } = loadConfig();
  if (discoveryCacheMiB > 0) {
    setPageCache(db.$client, discoveryCacheMiB);
    preloadKeywordDocuments(db);
  }
  const engine = new DiscoveryEngine(db, index);
  port.on("message", (request: WorkerRequest) => {
    try {
      const result = request.method === "discover" ? engine.discover(request.payload) : engine.similar(request.payload);
      post({ type: "result", id: request.id, result });
    } catch (error) {
      post({ type: "error", id: request.id, error: serialize(error) });
    }
  });
  post({ type: "ready", version, accounts: index.size, buildMs: performance.now() - started });
} catch (error) {
  post({ type: "failed", error: serialize(error) });
}

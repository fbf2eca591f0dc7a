/**
 * Runs the discovery engine in a worker thread (discovery.worker.ts) and keeps it on the latest feature refresh.
 *
 * better-sqlite3 and the ranking scan are synchronous: on the main thread, a 20–150 ms brief would hold up every
 * other request for as long. In the worker it holds up only the briefs queued behind it.
 *
 * A newer feature refresh starts a second worker that builds the new index while the current one keeps answering
 * (seconds at a million accounts); when it is ready it takes over, and the old one exits once its requests are
 * answered. `sync()` waits for that swap, for callers that need results from the latest refresh at once.
 */
import { Worker } from "node:worker_threads";

import { AppError, type ErrorCode } from "../errors.js";
import type { DiscoverRequest, DiscoveryPage, SimilarPage, SimilarRequest } from "./discovery.engine.js";

export interface WorkerData {
  databasePath: string;
  /** The TypeScript module the bootstrap (common/ts-worker.mjs) imports. */
  module: string;
}

export type WorkerRequest =
  | { id: number; method: "discover"; payload: DiscoverRequest }
  | { id: number; method: "similar"; payload: SimilarRequest };

export type SerializedError = { kind: "app"; message: string; extensions: Record<string, unknown> } | { kind: "internal"; message: string };

export type WorkerMessage =
  | { type: "ready"; version: number; accounts: number; buildMs: number }
  | { type: "failed"; error: SerializedError }
  | { type: "result"; id: number; result: unknown }
  | { type: "error"; id: number; error: SerializedError };

export interface IndexStatus {
  /** The feature refresh the index was built from (0: none). */
  version: number;
  accounts: number;
  buildMs: number;
}

interface Results {
  discover: DiscoveryPage;
  similar: SimilarPage;
}

const BOOTSTRAP = new URL("../common/ts-worker.mjs", import.meta.url);
const MODULE = new URL("./discovery.worker.ts", import.meta.url).href;

function deserialize(error: SerializedError): Error {
  if (error.kind === "app") {
    const { code, ...extensions } = error.extensions;
    return new AppError(code as ErrorCode, error.message, extensions);
  }
  // Masked as INTERNAL_SERVER_ERROR outside development (errors.ts); the message keeps the worker's stack.
  return new Error(`discovery worker: ${error.message}`);
}

/** One worker thread and its requests in flight. */
class WorkerHandle {
  readonly ready: Promise<IndexStatus>;
  status: IndexStatus | null = null;
  /** Set when the worker died or failed to build its index: it answers nothing more. */
  failure: Error | null = null;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private retiring = false;

  constructor(databasePath: string) {
    const data: WorkerData = { databasePath, module: MODULE };
    this.worker = new Worker(BOOTSTRAP, { workerData: data, execArgv: [] });
    this.ready = new Promise<IndexStatus>((resolve, reject) => {
      this.worker.on("message", (message: WorkerMessage) => {
        switch (message.type) {
          case "ready":
            this.status = { version: message.version, accounts: message.accounts, buildMs: message.buildMs };
            resolve(this.status);
            break;
          case "failed":
            this.fail(deserialize(message.error));
            reject(this.failure);
            break;
          case "result":
          case "error": {
            const waiting = this.pending.get(message.id);
            this.pending.delete(message.id);
            if (message.type === "result") waiting?.resolve(message.result);
            else waiting?.reject(deserialize(message.error));
            if (this.retiring && this.pending.size === 0) void this.terminate();
            break;
          }
        }
      });
      this.worker.on("error", (error) => {
        this.fail(new Error(`discovery worker: ${error.message}`));
        reject(this.failure);
      });
      this.worker.on("exit", (code) => {
        if (!this.failure) this.fail(new Error(`discovery worker exited (code ${code})`));
        reject(this.failure);
      });
    });
    // An unobserved rejection (a worker that failed while nobody waited) must not crash the process.
    this.ready.catch(() => {});
  }

  request<M extends keyof Results>(method: M, payload: WorkerRequest["payload"]): Promise<Results[M]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Results[M]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, method, payload } as WorkerRequest);
    });
  }

  /** Exits once the requests in flight are answered (a newer index has taken over). */
  retire(): void {
    this.retiring = true;
    if (this.pending.size === 0) void this.terminate();
  }

  async terminate(): Promise<void> {
    if (!this.failure) this.failure = new Error("discovery worker stopped");
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }
}

export class DiscoveryWorkers {
  private active: WorkerHandle | null = null;
  private building: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly databasePath: string,
    /** The latest feature refresh in the database (a cheap query on the main thread). */
    private readonly latestVersion: () => number,
  ) {
    if (databasePath === "" || databasePath === ":memory:") {
      throw new Error("Discovery runs in a worker thread that opens the database file itself: DATABASE_PATH must be a file, not :memory:.");
    }
  }

  /** The index being served: its version, size and build time (null before the first one is ready, or once its worker failed). */
  get status(): IndexStatus | null {
    return this.active && !this.active.failure ? this.active.status : null;
  }

  /** Resolves once the served index reflects the latest feature refresh (building one if needed). */
  async sync(): Promise<IndexStatus> {
    for (;;) {
      const latest = this.latestVersion();
      const status = this.active && !this.active.failure ? this.active.status : null;
      if (status && status.version >= latest) return status;
      await this.rebuild();
    }
  }

  /**
   * Sends a request to the worker. A stale index keeps answering while its successor builds; without a usable
   * index (first start, or the worker died) the request waits for one.
   */
  async call<M extends keyof Results>(method: M, payload: WorkerRequest["payload"]): Promise<Results[M]> {
    if (this.closed) throw new Error("discovery is shut down");
    const active = this.active;
    if (!active || active.failure) {
      await this.sync();
    } else if ((active.status?.version ?? 0) < this.latestVersion()) {
      // Observed in rebuild(): a failed rebuild leaves the current index serving and is retried next request.
      void this.rebuild().catch(() => {});
    }
    return this.active!.request(method, payload);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.building?.catch(() => {});
    await this.active?.terminate();
    this.active = null;
  }

  /** Builds an index of the latest refresh in a new worker and swaps it in; concurrent callers share one build. */
  private rebuild(): Promise<void> {
    this.building ??= (async () => {
      const next = new WorkerHandle(this.databasePath);
      try {
        await next.ready;
      } catch (error) {
        await next.terminate();
        throw error;
      }
      if (this.closed) {
        await next.terminate();
        return;
      }
      const previous = this.active;
      this.active = next;
      previous?.retire();
    })().finally(() => {
      this.building = null;
    });
    return this.building;
  }
}

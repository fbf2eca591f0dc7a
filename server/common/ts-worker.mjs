/**
 * Starts a TypeScript module in a worker thread. Workers do not inherit the TypeScript loader in every setting
 * (vitest's forks, plain `node`), so each one registers tsx itself and then imports `workerData.module`, a file
 * URL. Both `npm start` and the tests start workers this way, so they run the same code.
 */
import { workerData } from "node:worker_threads";

import { register } from "tsx/esm/api";

register();
await import(workerData.module);

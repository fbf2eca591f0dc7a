/**
 * `npm start` end to end: the real entry point in a child process on a fresh database file — it migrates, seeds
 * the demo data, prints the URL and the demo key, answers a nested query, and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "influencegraph-start-"));
const databasePath = join(dir, "start.db");

interface Started {
  child: ChildProcess;
  url: string;
  key: string;
  output: () => string;
}

function start(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), "server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "development", PORT: "0", DATABASE_PATH: databasePath, SEED_INFLUENCERS: "150", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
      const key = /Demo API key \(organization "demo"\): (\S+)/.exec(output)?.[1];
      if (url && key) {
        clearTimeout(timer);
        resolve({ child, url, key, output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start", () => {
  let firstKey: string | null = null;

  it("migrates, seeds and serves a nested influencers query with the printed demo key", async () => {
    const server = await start();
    try {
      expect(server.output()).toContain("seeding 150 demo influencers");
      firstKey = server.key;
      expect(firstKey).toMatch(/^ig_[0-9a-f]{8}_/);
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${firstKey}` },
        body: JSON.stringify({
          query: `{ influencers(first: 5) { totalCount edges { node { name accounts { platform handle followers audience { dimension key share } } } } } }`,
        }),
      });
      const body = (await response.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.influencers.totalCount).toBe(150);
      const accounts = body.data.influencers.edges.flatMap((e: any) => e.node.accounts);
      expect(accounts.length).toBeGreaterThanOrEqual(5);
      expect(accounts.every((a: any) => a.audience.length > 0)).toBe(true);
      const campaigns = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${firstKey}` },
        body: JSON.stringify({ query: `{ campaigns { totalCount edges { node { collaborations { totalCount } } } } }` }),
      });
      const campaignsBody = (await campaigns.json()) as any;
      expect(campaignsBody.errors).toBeUndefined();
      expect(campaignsBody.data.campaigns.totalCount).toBeGreaterThan(0);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  });

  it("restarts on the same database without seeding again, with the same demo key", async () => {
    const server = await start();
    try {
      expect(server.output()).not.toContain("seeding");
      expect(server.key).toBe(firstKey);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  });

  it("refuses an invalid configuration with a message naming the variable", async () => {
    await expect(start({ PORT: "not-a-port" })).rejects.toThrow(/exited with 1[\s\S]*PORT/);
  });
});

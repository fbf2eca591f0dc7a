import { connect } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createErrorFormatter } from "../../server/errors.js";
import { createTenant } from "../support/factories.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ BODY_LIMIT_BYTES: "2048" });
  key = createTenant(server.app.db, "ANALYST").key;
});
afterAll(() => server.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(server.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}`, ...headers }, body });

describe("HTTP edge", () => {
  it("answers /health", async () => {
    const r = await fetch(server.url.replace("/graphql", "/health"));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ok" });
  });

  it("answers other paths with a JSON 404 naming the endpoint", async () => {
    const r = await fetch(server.url.replace("/graphql", "/nope"));
    expect(r.status).toBe(404);
    expect(((await r.json()) as any).errors[0].message).toContain("/graphql");
  });

  it("refuses bodies over the limit with 413", async () => {
    const r = await post(JSON.stringify({ query: `{ influencers { totalCount } }`, padding: "x".repeat(4096) }));
    expect(r.status).toBe(413);
  });

  it("refuses a streamed (chunked) body over the limit with 413, not a reset connection", async () => {
    const chunks = (async function* () {
      for (let i = 0; i < 8; i++) yield new TextEncoder().encode("x".repeat(1024));
    })();
    const r = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: ReadableStream.from(chunks),
      duplex: "half",
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(((await r.json()) as any).errors[0].message).toContain("2048 bytes");
  });

  it("answers 408 and closes the connection when a client trickles its request past REQUEST_TIMEOUT_MS", async () => {
    const slow = await startTestServer({ REQUEST_TIMEOUT_MS: "1000" });
    try {
      const { port } = new URL(slow.url);
      const socket = connect(Number(port), "127.0.0.1");
      const started = Date.now();
      socket.write(`POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"query":`);
      const reply = await new Promise<string>((resolve) => {
        let text = "";
        socket.on("data", (chunk) => (text += chunk.toString()));
        socket.on("close", () => resolve(text));
      });
      expect(reply).toMatch(/^HTTP\/1\.1 408/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await slow.close();
    }
  });

  it("refuses a body in a charset other than UTF-8 with 415 instead of garbling it", async () => {
    const r = await post(JSON.stringify({ query: `{ __typename }` }), { "content-type": "application/json; charset=iso-8859-1" });
    expect(r.status).toBe(415);
    expect(((await r.json()) as any).errors[0].message).toContain("UTF-8");
    const ok = await post(JSON.stringify({ query: `{ __typename }` }), { "content-type": "application/json; charset=UTF-8" });
    expect(ok.status).toBe(200);
  });

  it("refuses malformed JSON with 400 and a message", async () => {
    const r = await post("{ not json");
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("does not execute batched requests", async () => {
    const r = await post(JSON.stringify([{ query: "{ influencers { totalCount } }" }, { query: "{ influencers { totalCount } }" }]));
    expect(r.status).toBe(400);
  });

  it("blocks simple cross-site GET requests (CSRF prevention)", async () => {
    const r = await fetch(`${server.url}?query=${encodeURIComponent("{ influencers { totalCount } }")}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(r.status).toBe(400);
  });

  it("reports a syntax error as GRAPHQL_PARSE_FAILED without a stack trace", async () => {
    const r = await post(JSON.stringify({ query: "{ influencers {" }));
    const body = (await r.json()) as any;
    expect(body.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(body.errors[0].extensions.stacktrace).toBeUndefined();
  });

  it("says why a presented key is refused", async () => {
    const r = await post(JSON.stringify({ query: "{ influencers { totalCount } }" }), { authorization: "Bearer nope" });
    const body = (await r.json()) as any;
    expect(body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(body.errors[0].message).toContain("malformed");
  });
});

describe("production mode", () => {
  it("hides schema hints and introspection", async () => {
    const production = await startTestServer({ NODE_ENV: "production", LOG_LEVEL: "silent" });
    try {
      const own = createTenant(production.app.db, "ANALYST").key;
      const typo = await production.gql(`{ influencerz { totalCount } }`, {}, own);
      expect(JSON.stringify(typo.errors)).not.toContain("Did you mean");
      const introspection = await production.gql(`{ __schema { types { name } } }`, {}, own);
      expect(introspection.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    } finally {
      await production.close();
    }
  });
});

describe("error formatting", () => {
  const internal = { message: "SqliteError: no such table: secrets", extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at x"] } };

  it("masks unexpected errors outside development", () => {
    expect(createErrorFormatter(false)(internal)).toEqual({ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } });
  });

  it("keeps typed errors but drops their stack outside development", () => {
    const typed = { message: "Campaign 3 was not found.", extensions: { code: "NOT_FOUND", field: "id", stacktrace: ["at y"] } };
    expect(createErrorFormatter(false)(typed)).toEqual({ message: "Campaign 3 was not found.", extensions: { code: "NOT_FOUND", field: "id" } });
  });

  it("shows everything in development", () => {
    expect(createErrorFormatter(true)(internal)).toEqual(internal);
  });
});

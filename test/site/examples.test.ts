/**
 * Every example operation the site shows (site/examples/**.graphql) is valid against the schema and works against a
 * server seeded exactly as `npm start` seeds it, with the demo API key `npm start` prints. Error examples
 * (site/examples/errors/<code>.graphql) answer their code, with the HTTP status the errors guide gives. The curl
 * commands the guides show run as shown.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

import { buildSchema, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_AS_OF, DEFAULT_SEED, DEMO_INFLUENCERS, demoApiKey, seedDatabase } from "../../seeds/seed.js";
import { curlCommand, example } from "../../site/src/lib/examples.js";
import { ERROR_CODES } from "../../site/src/lib/error-codes.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ROOT } from "./support/build.js";

const EXAMPLES = join(ROOT, "site/examples");
const names = readdirSync(EXAMPLES, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".graphql"))
  .map((f) => f.replace(/\.graphql$/, ""))
  .sort();
const errorExamples = names.filter((n) => n.startsWith("errors/"));
const workingExamples = names.filter((n) => !n.startsWith("errors/"));
const schema = buildSchema(readFileSync(join(ROOT, "schema/schema.graphql"), "utf8"));

const source = (name: string) => readFileSync(join(EXAMPLES, `${name}.graphql`), "utf8");
const variables = (name: string): Record<string, unknown> | undefined => {
  const path = join(EXAMPLES, `${name}.variables.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : undefined;
};
/** `errors/query-too-deep` → `QUERY_TOO_DEEP`. */
const codeOf = (name: string) => name.slice("errors/".length).toUpperCase().replace(/-/g, "_");

/** Every list in the answer has something in it and every connection counts something: an empty answer "works" too easily. */
function emptyParts(value: unknown, path = "data"): string[] {
  if (value === null || value === undefined) return [`${path} is ${value}`];
  if (Array.isArray(value)) return value.length === 0 ? [`${path} is empty`] : value.flatMap((v, i) => (i === 0 ? emptyParts(v, `${path}.0`) : []));
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const problems = "totalCount" in record && record.totalCount === 0 ? [`${path}.totalCount is 0`] : [];
    // Nullable leaves may be null (a creator without posts has no 30-day rate): only objects and lists must be filled.
    return [...problems, ...Object.entries(record).flatMap(([k, v]) => (v !== null && typeof v === "object" ? emptyParts(v, `${path}.${k}`) : []))];
  }
  return [];
}

let server: TestServer;
const key = demoApiKey(DEFAULT_SEED).key;

beforeAll(async () => {
  server = await startTestServer({}, (db) => seedDatabase(db, { influencers: DEMO_INFLUENCERS, seed: DEFAULT_SEED, asOf: DEFAULT_AS_OF }));
});
afterAll(async () => server?.close());

describe("site/examples", () => {
  it("holds working examples and error examples", () => {
    expect(workingExamples.length).toBeGreaterThanOrEqual(5);
    expect(errorExamples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(names)("%s is valid against schema/schema.graphql", (name) => {
    const errors = validate(schema, parse(source(name)));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.each(workingExamples)("%s answers data, without errors, with the demo key", async (name) => {
    const response = await server.gql(source(name), variables(name), key);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.status).toBe(200);
    expect(emptyParts(response.data)).toEqual([]);
  });

  it.each(errorExamples)("%s answers the error code its name gives, with the documented HTTP status", async (name) => {
    const code = codeOf(name);
    const documented = ERROR_CODES.find((e) => e.code === code);
    expect(documented, `${code} in site/src/lib/error-codes.ts`).toBeDefined();
    expect(documented!.exampleStatus, `an exampleStatus for ${code}`).toBeTypeOf("number");
    const response = await server.gql(source(name), variables(name), code === "UNAUTHENTICATED" ? undefined : key);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(response.status).toBe(documented!.exampleStatus);
  });

  it.each(["guides/errors.mdx", "zh-tw/guides/errors.mdx"])("%s prints the answer errors/bad-user-input gets", async (file) => {
    const page = readFileSync(join(ROOT, "site/src/content/docs", file), "utf8");
    const shown = JSON.parse(/```json\n([\s\S]+?)\n```/.exec(page)![1]!) as { errors: { message: string; extensions: unknown; path: unknown }[]; data: unknown };
    const response = await server.gql(source("errors/bad-user-input"), undefined, key);
    const [error] = response.errors!;
    expect({ errors: [{ message: error!.message, path: error!.path, extensions: error!.extensions }], data: response.data ?? null }).toEqual(shown);
  });
});

describe("the errors guide", () => {
  /** The codes server/errors.ts names: its ErrorCode type and the codes its formatter passes through. */
  const serverCodes = () => {
    const text = readFileSync(join(ROOT, "server/errors.ts"), "utf8");
    const type = /export type ErrorCode =([^;]+);/.exec(text)![1]!;
    const known = /const KNOWN_CODES = new Set<string>\(\[([^\]]+)\]\)/.exec(text)![1]!;
    return new Set([...`${type}${known}`.matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]!));
  };

  it("documents every code the server knows, and no other", () => {
    const codes = serverCodes();
    expect(codes.size).toBeGreaterThanOrEqual(10);
    expect(new Set(ERROR_CODES.map((e) => e.code))).toEqual(codes);
  });
});

describe("the curl commands of the guides", () => {
  const run = promisify(execFile);
  /** The shown command, sent to the test server instead of port 4000, through bash as a reader would paste it. */
  const curl = async (command: string, withKey: boolean) => {
    const { stdout } = await run("bash", ["-c", command.replace("http://127.0.0.1:4000/graphql", server.url)], {
      env: { ...process.env, ...(withKey ? { KEY: key } : {}) },
    });
    return JSON.parse(stdout) as { data?: Record<string, unknown>; errors?: { extensions: { code: string } }[] };
  };

  it.each(["first-query", "viewer", "create-campaign"])("the curl command of %s answers data", async (name) => {
    const body = await curl(curlCommand(example(name)), true);
    expect(body.errors).toBeUndefined();
    expect(emptyParts(body.data)).toEqual([]);
  });

  it("the curl command without a key answers UNAUTHENTICATED", async () => {
    const body = await curl(curlCommand(example("errors/unauthenticated"), false), false);
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });
});

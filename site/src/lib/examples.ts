/// <reference types="vite/client" />
/**
 * The example operations (site/examples/**.graphql, with an optional `.variables.json` beside each), read at build
 * time. The same files are run against a seeded server by test/site/examples.test.ts, so every example shown works.
 */
import { stripIgnoredCharacters } from "graphql";

const sources = import.meta.glob<string>("../../examples/**/*.graphql", { query: "?raw", import: "default", eager: true });
const variableFiles = import.meta.glob<string>("../../examples/**/*.variables.json", { query: "?raw", import: "default", eager: true });

export interface Example {
  name: string;
  /** As the reader finds it in the repository. */
  path: string;
  source: string;
  variables?: string;
}

export function example(name: string): Example {
  const key = `../../examples/${name}.graphql`;
  const source = sources[key];
  if (source === undefined) throw new Error(`No example operation ${key} (have: ${Object.keys(sources).join(", ")})`);
  return { name, path: `site/examples/${name}.graphql`, source, variables: variableFiles[`../../examples/${name}.variables.json`] };
}

/** The JSON request body for the example: the operation without comments or extra spaces, and its variables. */
export function requestBody(e: Example): string {
  const body: { query: string; variables?: unknown } = { query: stripIgnoredCharacters(e.source) };
  if (e.variables !== undefined) body.variables = JSON.parse(e.variables);
  return JSON.stringify(body);
}

/** A curl command that sends the example, with the key in $KEY (or no key at all). */
export function curlCommand(e: Example, withKey = true): string {
  const quoted = `'${requestBody(e).replace(/'/g, `'\\''`)}'`;
  return [
    "curl -s http://127.0.0.1:4000/graphql \\",
    "  -H 'content-type: application/json' \\",
    ...(withKey ? ['  -H "authorization: Bearer $KEY" \\'] : []),
    `  -d ${quoted}`,
  ].join("\n");
}

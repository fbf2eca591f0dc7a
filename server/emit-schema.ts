/** `npm run schema:emit`: writes schema/schema.graphql from the code. */
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { printSchemaSdl } from "./schema.js";

export const SCHEMA_FILE = resolve(dirname(fileURLToPath(import.meta.url)), "../schema/schema.graphql");

writeFileSync(SCHEMA_FILE, printSchemaSdl());
console.log(`Wrote ${SCHEMA_FILE}`);

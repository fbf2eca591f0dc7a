import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from "graphql";
import { describe, expect, it } from "vitest";

import { getSchema, printSchemaSdl } from "../../server/schema.js";

const SCHEMA_FILE = fileURLToPath(new URL("../../schema/schema.graphql", import.meta.url));

describe("schema/schema.graphql", () => {
  it("is what the code emits (run `npm run schema:emit` after changing a type)", () => {
    const checkedIn = readFileSync(SCHEMA_FILE, "utf8");
    expect(printSchemaSdl()).toBe(checkedIn);
  });

  it("describes every type, field, argument and enum value", () => {
    const missing: string[] = [];
    for (const type of Object.values(getSchema().getTypeMap())) {
      if (type.name.startsWith("__") || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("follows the API conventions: SCREAMING_CASE enums and connections for top-level lists", () => {
    const schema = getSchema();
    for (const type of Object.values(schema.getTypeMap())) {
      if (isEnumType(type) && !type.name.startsWith("__")) {
        for (const value of type.getValues()) expect(value.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      }
    }
    const query = schema.getQueryType()!.getFields();
    for (const name of ["influencers", "campaigns"]) expect(String(query[name]!.type)).toMatch(/Connection!$/);
  });
});

/**
 * Declarative input validation: class-validator decorators on the input classes, checked by type-graphql before
 * a resolver runs. Failures become one BAD_USER_INPUT error whose `field` is the path of the first offending
 * field (`input.budget.amountMinor`) and whose `problems` list every offending field.
 */
import { validate, type ValidationError } from "class-validator";
import type { ValidatorFn } from "type-graphql";

import { BadUserInputError } from "./errors.js";

function flatten(errors: ValidationError[], parent: string): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The name of the argument that holds `value` (an input object), so paths start at the argument. */
function argumentNameOf(value: object, args: Record<string, unknown>): string {
  const keys = Object.keys(value).sort().join(",");
  for (const [name, candidate] of Object.entries(args)) {
    if (candidate && typeof candidate === "object" && Object.keys(candidate).sort().join(",") === keys) return name;
  }
  return "";
}

/**
 * Values already found valid, per input class, by their JSON: the checks are pure functions of the values, and the
 * same arguments come again and again (`recentPosts(first: 5)` is validated once per account of a page otherwise).
 */
const knownValid = new WeakMap<object, Set<string>>();
const MAX_KNOWN_VALID = 1_000;

export const validateArgument: ValidatorFn<object> = async (argValue, _argType, resolverData) => {
  if (argValue === null || typeof argValue !== "object") return;
  const values = Array.isArray(argValue) ? argValue : [argValue];
  for (const value of values) {
    if (value === null || typeof value !== "object") continue;
    let known = knownValid.get(value.constructor);
    const key = JSON.stringify(value);
    if (known?.has(key)) continue;
    const errors = await validate(value, { forbidUnknownValues: false, skipMissingProperties: true });
    if (errors.length === 0) {
      if (!known) knownValid.set(value.constructor, (known = new Set()));
      if (known.size >= MAX_KNOWN_VALID) known.clear();
      known.add(key);
      continue;
    }
    const problems = flatten(errors, argumentNameOf(value, resolverData.args));
    const first = problems[0] ?? { field: "", message: "is invalid" };
    throw new BadUserInputError(first.field, problems.map((p) => `${p.field}: ${p.message}`).join("; "), {
      problems,
    });
  }
};

import { BadUserInputError } from "../errors.js";

/** Parses a GraphQL `ID` argument into a row id; anything but a positive integer is BAD_USER_INPUT on `field`. */
export function parseId(value: string | number, field: string): number {
  const text = String(value).trim();
  if (!/^[1-9]\d{0,15}$/.test(text)) {
    throw new BadUserInputError(field, `\`${field}\` must be a positive integer id, got "${String(value).slice(0, 40)}".`);
  }
  const id = Number(text);
  if (!Number.isSafeInteger(id)) throw new BadUserInputError(field, `\`${field}\` is out of range.`);
  return id;
}

/**
 * Shared scalars and value types: `DateTime` (ISO 8601 in UTC), `SafeInt` for money amounts beyond 32 bits,
 * and `Money` (integer minor units plus an ISO 4217 currency).
 */
import { GraphQLScalarType, Kind } from "graphql";
import { GraphQLSafeInt } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";

export const SafeInt = GraphQLSafeInt;

/** Serialises Dates as ISO 8601 UTC strings and accepts only ISO 8601 strings with a zone (Z or ±hh:mm). */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "A moment in time, as an ISO 8601 string in UTC (for example `2026-11-01T09:30:00.000Z`).",
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string | number);
    if (Number.isNaN(date.getTime())) throw new TypeError("DateTime cannot represent an invalid date");
    return date.toISOString();
  },
  parseValue(value) {
    return parseDateTime(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError("DateTime must be an ISO 8601 string");
    return parseDateTime(ast.value);
  },
});

/** Date, time and zone are required: a bare date or a local time would be read in an unknown zone. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

function parseDateTime(value: unknown): Date {
  const match = typeof value === "string" ? ISO_DATE_TIME.exec(value) : null;
  if (!match) {
    throw new TypeError("DateTime must be an ISO 8601 date and time with a zone, e.g. 2026-11-01T00:00:00Z");
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const offsetHours = Number(match[8] ?? 0);
  const offsetMinutes = Number(match[9] ?? 0);
  // Date.UTC rolls 2026-02-30 over to March 2: compare the parts back so impossible dates are refused.
  const calendar = new Date(Date.UTC(year!, month! - 1, day!));
  if (
    calendar.getUTCFullYear() !== year ||
    calendar.getUTCMonth() !== month! - 1 ||
    calendar.getUTCDate() !== day ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59 ||
    offsetHours > 14 ||
    offsetMinutes > 59
  ) {
    throw new TypeError(`DateTime "${String(value)}" is not a real date and time`);
  }
  const date = new Date(value as string);
  if (Number.isNaN(date.getTime())) throw new TypeError(`DateTime "${String(value)}" is not a real date and time`);
  return date;
}

@ObjectType({ description: "An amount of money: integer minor units (cents) and an ISO 4217 currency code.", simpleResolvers: true })
export class Money {
  @Field(() => SafeInt, { description: "The amount in the currency's minor unit, e.g. 150000 for USD 1,500.00." })
  amountMinor: number;

  @Field(() => String, { description: "ISO 4217 currency code, upper case (USD, EUR, GBP, ...)." })
  currency: string;
}

export function money(amountMinor: number | null, currency: string | null): Money | null {
  if (amountMinor === null || currency === null) return null;
  return { amountMinor, currency };
}

/**
 * Typed errors. Every refusal the API gives is a GraphQLError whose `extensions.code` says what kind it is and,
 * for bad input, `extensions.field` names the offending argument or input field (a dotted path such as
 * `input.budget.amountMinor`). `formatError` turns anything else into a masked INTERNAL_SERVER_ERROR.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";

import { databaseErrorAnswer, DATABASE_ERROR_CODES, sqliteFailureOf } from "./database-errors.js";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "QUERY_TOO_DEEP"
  | "TOO_MANY_ALIASES"
  | "QUERY_TOO_COSTLY"
  | "RATE_LIMITED"
  // SQLite's busy, full, read-only and I/O failures (database-errors.ts)
  | "DATABASE_BUSY"
  | "STORAGE_FULL"
  | "DATABASE_READ_ONLY"
  | "STORAGE_ERROR"
  | "INTERNAL_SERVER_ERROR";

/** Every database code is an ErrorCode (a compile-time check). */
const DATABASE_CODES: readonly ErrorCode[] = DATABASE_ERROR_CODES;

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

export class BadUserInputError extends AppError {
  constructor(field: string, message: string, extensions: Record<string, unknown> = {}) {
    super("BAD_USER_INPUT", message, { field, ...extensions });
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id: string | number, field = "id") {
    super("NOT_FOUND", `${entity} ${id} was not found.`, { entity, field });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = "An API key is required: send `Authorization: Bearer <key>`.") {
    super("UNAUTHENTICATED", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super("FORBIDDEN", message);
  }
}

export class ConflictError extends AppError {
  constructor(field: string, message: string) {
    super("CONFLICT", message, { field });
  }
}

const KNOWN_CODES = new Set<string>([
  "BAD_USER_INPUT",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "QUERY_TOO_DEEP",
  "TOO_MANY_ALIASES",
  "QUERY_TOO_COSTLY",
  "RATE_LIMITED",
  "DATABASE_BUSY",
  "STORAGE_FULL",
  "DATABASE_READ_ONLY",
  "STORAGE_ERROR",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * graphql-js reports bad variables (coercion, before any resolver runs) only in the message:
 * `Variable "$input" got invalid value <value> at "input.startsAt"; <reason>`. The path is read from the end of
 * the part before `; <reason>` (the reason is the original error's message), never from inside the printed
 * value, which the client controls.
 */
function variableField(message: string, reason: string | undefined): string | undefined {
  const variable = /^Variable "\$(\w+)"/.exec(message)?.[1];
  if (!variable) return undefined;
  const head = reason && message.endsWith(`; ${reason}`) ? message.slice(0, -(reason.length + 2)) : message.split("; ")[0]!;
  const at = / at "(\w+(?:\.\w+|\[\d+\])*)"$/.exec(head);
  // List items as dotted indexes (`input.rows.17.likes`), as the API's own validation names them.
  return at?.[1]?.startsWith(variable) ? at[1].replace(/\[(\d+)\]/g, ".$1") : variable;
}

/**
 * Errors graphql-js raises without a code, for bad input that only shows at execution. Each becomes a typed error.
 * - `Argument "input" of non-null type "X!" must not be null.`: null sent through a nullable variable that has a
 *   default, which GraphQL allows in a non-null position.
 * - `Too many errors processing variables, error limit reached.`: more than 50 invalid values; the first 50 are
 *   reported each with its field.
 */
function typedExecutionError(message: string): { code: ErrorCode | "BAD_REQUEST"; field?: string; message: string } | undefined {
  const argument = /^Argument "(\w+)" of non-null type "[^"]+" must not be null\.$/.exec(message);
  if (argument) return { code: "BAD_USER_INPUT", field: argument[1], message: `\`${argument[1]}\` must not be null.` };
  if (message.startsWith("Too many errors processing variables")) {
    return { code: "BAD_REQUEST", message: "Too many invalid variable values: fix the ones reported before this error and retry." };
  }
  return undefined;
}

/**
 * Apollo `formatError`: keeps typed errors, types SQLite's busy, full, read-only and I/O failures (database-errors.ts),
 * and masks everything else (outside development) so no internals or stack traces leak.
 */
export function createErrorFormatter(exposeInternals: boolean) {
  return (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    // An SQLite failure thrown by a resolver arrives untyped (INTERNAL_SERVER_ERROR) with the SqliteError as its
    // originalError; one raised while authenticating arrives already typed (withTypedDatabaseErrors).
    const untypedOrDatabase = code === "INTERNAL_SERVER_ERROR" || DATABASE_CODES.includes(code as ErrorCode);
    const database = untypedOrDatabase ? databaseErrorAnswer(error) : undefined;
    if (database) {
      const { stacktrace } = formatted.extensions ?? {};
      const internals = exposeInternals ? { sqliteCode: sqliteFailureOf(error)?.code, ...(stacktrace !== undefined && { stacktrace }) } : {};
      return {
        message: database.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: database.code, ...database.extensions, ...internals },
      };
    }
    const fromGraphQL = error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError);
    if (code === "INTERNAL_SERVER_ERROR" && fromGraphQL) {
      const typed = typedExecutionError(formatted.message);
      if (typed) {
        const { code: typedCode, field, message } = typed;
        return { message, locations: formatted.locations, path: formatted.path, extensions: { code: typedCode, ...(field && { field }) } };
      }
    }
    if (typeof code === "string" && KNOWN_CODES.has(code)) {
      const reason = error instanceof GraphQLError ? error.originalError?.message : undefined;
      const field = formatted.extensions?.field ?? (code === "BAD_USER_INPUT" ? variableField(formatted.message, reason) : undefined);
      const { stacktrace, ...rest } = formatted.extensions ?? {};
      const extensions = { ...rest, ...(field !== undefined && { field }), ...(exposeInternals && stacktrace !== undefined && { stacktrace }) };
      return { ...formatted, extensions };
    }
    if (exposeInternals) return formatted;
    return {
      message: "Internal server error.",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  };
}

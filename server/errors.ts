/**
 * Typed errors. Every refusal the API gives is a GraphQLError whose `extensions.code` says what kind it is and,
 * for bad input, `extensions.field` names the offending argument or input field (a dotted path such as
 * `input.budget.amountMinor`). `formatError` turns anything else into a masked INTERNAL_SERVER_ERROR.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";

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
  | "INTERNAL_SERVER_ERROR";

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
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * graphql-js reports bad variables (coercion, before any resolver runs) only in the message:
 * `Variable "$input" got invalid value "x" at "input.startsAt"; ...`. Recover the field path from it.
 */
function variableField(message: string): string | undefined {
  const at = /^Variable "\$\w+" got invalid value .*? at "([^"]+)"/s.exec(message);
  if (at) return at[1];
  return /^Variable "\$(\w+)"/.exec(message)?.[1];
}

/**
 * Apollo `formatError`: keeps typed errors and masks everything else (outside development) so no internals or stack traces leak.
 */
export function createErrorFormatter(exposeInternals: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === "string" && KNOWN_CODES.has(code)) {
      const field = formatted.extensions?.field ?? (code === "BAD_USER_INPUT" ? variableField(formatted.message) : undefined);
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

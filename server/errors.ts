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
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/**
 * Apollo `formatError`: keeps typed errors and masks everything else (outside development) so no internals or stack traces leak.
 */
export function createErrorFormatter(exposeInternals: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === "string" && KNOWN_CODES.has(code)) {
      if (exposeInternals) return formatted;
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
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

/**
 * The Apollo plugin that tells the request record (server/ops/request-record.ts) which operation ran and which
 * errors it answered, counts document parses and validations (Apollo caches parsed and validated documents, so
 * these hooks run only on a cache miss), and logs every error that reached the client masked as
 * INTERNAL_SERVER_ERROR with its real cause (the client gets no stack trace, the operator does), and every
 * database refusal (DATABASE_BUSY, STORAGE_FULL...) at warn.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLError, GraphQLFormattedError } from "graphql";

import type { Context } from "../context.js";
import { DATABASE_ERROR_CODES } from "../database-errors.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

export function observabilityPlugin(metrics: Metrics, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let raw: readonly GraphQLError[] = [];
      return {
        async parsingDidStart() {
          metrics.documentParsed();
        },
        async validationDidStart() {
          metrics.documentValidated();
        },
        async didResolveOperation({ operationName, operation, contextValue }) {
          contextValue.request.operationName = operationName ?? null;
          contextValue.request.operationType = operation?.operation ?? null;
        },
        async didEncounterErrors({ errors }) {
          raw = errors;
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single") return;
          recordResponse(contextValue, response.body.singleResult.errors ?? [], raw, logger);
        },
      };
    },
  };
}

/**
 * Notes the response's error codes on the request record, and logs the errors an operator must see: a masked
 * INTERNAL_SERVER_ERROR with its real cause, a database refusal at warn. `raw` are the errors before formatting,
 * in the same order as `sent`.
 */
export function recordResponse(contextValue: Context, sent: readonly GraphQLFormattedError[], raw: readonly GraphQLError[], logger: Logger): void {
  const record = contextValue.request;
  record.organizationId = contextValue.actor?.organizationId ?? null;
  record.errorCodes = sent.map((error) => String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
  sent.forEach((error, i) => {
    const code = record.errorCodes[i]!;
    const cause = raw[i]?.originalError ?? raw[i];
    if (code === "INTERNAL_SERVER_ERROR") {
      logger.error({ reqId: record.id, operation: record.operationName, path: error.path, err: cause }, "internal error");
    } else if ((DATABASE_ERROR_CODES as readonly string[]).includes(code)) {
      // Not a bug, but an operator's problem (a full disk, a lock held too long): worth a line of its own.
      logger.warn({ reqId: record.id, operation: record.operationName, code, cause: cause?.message }, "database refused the operation");
    }
  });
}

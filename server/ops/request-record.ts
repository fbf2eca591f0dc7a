/**
 * What one HTTP request did, filled in as it goes (the HTTP layer creates it, the GraphQL plugin adds the
 * operation and its errors) and read once the response is sent, for its log line and its metrics.
 */
import { randomUUID } from "node:crypto";

export interface RequestRecord {
  /** The caller's `x-request-id` when it is a sane token, else a new UUID; echoed in the response. */
  id: string;
  /** The operation's name as sent (null: anonymous or not reached). */
  operationName: string | null;
  /** query, mutation, subscription; null when the document did not parse or validate. */
  operationType: string | null;
  /** `extensions.code` of each error in the response, in order. */
  errorCodes: string[];
  /** The organization of the authenticated API key. */
  organizationId: number | null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function newRequestRecord(given: string | string[] | undefined): RequestRecord {
  const candidate = Array.isArray(given) ? given[0] : given;
  return {
    id: candidate !== undefined && REQUEST_ID.test(candidate) ? candidate : randomUUID(),
    operationName: null,
    operationType: null,
    errorCodes: [],
    organizationId: null,
  };
}

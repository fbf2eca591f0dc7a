/**
 * The error codes the API answers with, the HTTP status each comes with, and when. The errors guide shows this
 * table; test/site/examples.test.ts checks it names every code server/errors.ts knows, and that each error example
 * answers the code and status given here.
 */
export interface ErrorCodeDoc {
  code: string;
  /** The HTTP status of the response that carries it. */
  status: string;
  /** The status the error examples are checked against. */
  exampleStatus?: number;
  when: string;
}

export const ERROR_CODES: readonly ErrorCodeDoc[] = [
  { code: "BAD_USER_INPUT", status: "200; 400 when a variable cannot be coerced to its type", exampleStatus: 200, when: "An argument or input field is invalid (`extensions.field` names it: `input.budget.currency`, `filter.maxFollowers`, `after`…), a page size is over the maximum, a cursor is bad, or a collaboration may not move to the status asked (with `extensions.allowedNextStatuses`)." },
  { code: "UNAUTHENTICATED", status: "200", exampleStatus: 200, when: "No API key, or a malformed, unknown or revoked one; the message says which." },
  { code: "FORBIDDEN", status: "200", when: "The key's role may not do this: mutations need `MANAGER` or `ADMIN`, API keys and the audit log need `ADMIN`." },
  { code: "NOT_FOUND", status: "200; 404 for a path other than `/graphql`", exampleStatus: 200, when: "No such id, or it belongs to another organization (the two answer alike)." },
  { code: "CONFLICT", status: "200", when: "A duplicate: the influencer is already in the campaign, the promo code is in use." },
  { code: "QUERY_TOO_DEEP", status: "400", exampleStatus: 400, when: "The operation nests deeper than `MAX_QUERY_DEPTH`; `extensions.maxDepth` gives the limit. Nothing runs." },
  { code: "TOO_MANY_ALIASES", status: "400", when: "The operation uses more aliases than `MAX_ALIASES`; `extensions.maxAliases` gives the limit. Nothing runs." },
  { code: "QUERY_TOO_COSTLY", status: "400", when: "The operation's estimated cost is over `MAX_QUERY_COST`, it has more fields and fragments than `MAX_QUERY_NODES`, or its cost alone is over the key's per-minute cost budget; the extensions give the limit and the cost. Nothing runs." },
  { code: "RATE_LIMITED", status: "429, with a `Retry-After` header", when: "The key's per-minute budget of requests or of query cost is spent (or, without a valid key, the client address's); `extensions.retryAfterSeconds` says when to retry." },
  { code: "GRAPHQL_PARSE_FAILED", status: "400", when: "The document is not valid GraphQL syntax." },
  { code: "GRAPHQL_VALIDATION_FAILED", status: "400", when: "The document asks for a field, argument or type the schema does not have, or for an operation type it does not offer (there are no subscriptions)." },
  { code: "BAD_REQUEST", status: "400; 413 for a body over `BODY_LIMIT_BYTES`", when: "The HTTP request is not a GraphQL request: not JSON, no `query`, a GET without a preflight header (CSRF prevention), a body too large, or more than 50 invalid variable values." },
  { code: "OPERATION_RESOLUTION_FAILURE", status: "400", when: "`operationName` names no operation of the document, or a document with several operations has none named." },
  { code: "PERSISTED_QUERY_NOT_FOUND", status: "200", when: "An automatic persisted query was sent by its hash alone and the server does not have it yet: send it again with the `query`." },
  { code: "PERSISTED_QUERY_NOT_SUPPORTED", status: "400", when: "Persisted queries are switched off. This server keeps them on, so it does not answer this code today; the error formatter lets it through should that change." },
  { code: "INTERNAL_SERVER_ERROR", status: "200 for a failure inside the operation; 500 outside it", when: "A bug. The message is masked (“Internal server error.”) and no stack trace is sent outside development." },
];
